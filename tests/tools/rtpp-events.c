// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-events: print the kernel's events of the current network namespace,
 * one line each, for the events scenario (tests/integration/events.sh).
 *
 *   rtpp-events
 *
 * Prints "subscribed" once it listens, then a line per event as it comes:
 *
 *   EVENT SB_ID ADDR_A:PORT_A ADDR_B:PORT_B [SESS_ID]
 *
 * with EVENT as rtpp_event_name() gives it, and "overrun" when the kernel
 * dropped events.  Runs until killed; every line is flushed at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtpproxy.h"

static void put_gate(uint32_t addr, uint16_t port)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = addr };

	printf(" %s:%u", inet_ntop(AF_INET, &a, buf, sizeof(buf)), port);
}

static int print_event(const struct rtpp_event_msg *ev, void *arg)
{
	(void)arg;
	printf("%s %u", rtpp_event_name(ev->event), ev->sb.id);
	put_gate(ev->sb.addr_a, ev->sb.port_a);
	put_gate(ev->sb.addr_b, ev->sb.port_b);
	if (ev->has_sess)
		printf(" %u", ev->sess_id);
	putchar('\n');
	return fflush(stdout) ? -errno : 0;
}

int main(int argc, char **argv)
{
	struct rtpp_handle *h;
	struct pollfd pfd;
	int err;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: rtpp-events\n");
		return 2;
	}
	err = rtpp_open(&h);
	if (err) {
		fprintf(stderr, "rtpp-events: %s\n", rtpp_strerror(NULL, err));
		return 1;
	}
	err = rtpp_events_subscribe(h);
	if (err)
		goto out;
	printf("subscribed\n");
	fflush(stdout);

	pfd.fd = rtpp_events_fd(h);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			err = -errno;
			if (err == -EINTR)
				continue;
			break;
		}
		err = rtpp_events_read(h, print_event, NULL);
		if (err == -ENOBUFS) {
			printf("overrun\n");
			fflush(stdout);
		} else if (err < 0) {
			break;
		}
	}
out:
	fprintf(stderr, "rtpp-events: %s\n", rtpp_strerror(h, err));
	rtpp_close(h);
	return 1;
}
