// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-fill: allocate sessions on one switchboard until it is full, then
 * list them all in one dump, for the fill scenario (tests/integration/fill.sh).
 *
 *   rtpp-fill ADDR_A PORT_A CLIENT_A [REFUSALS]
 *
 * Prints "ALLOCATED LISTED LAST_ERROR": the sessions allocated, the sessions
 * the dump returned, and the error that stopped the allocations (-ENOSPC
 * when the switchboard filled up).  Exits 3, silently, when an allocation
 * failed with -ENOMEM (a memory cgroup's limit: printing anything then
 * would charge a pipe page to a cgroup at its limit, and its OOM killer
 * might answer), 1 on any other failure.
 *
 * With REFUSALS, it then asks REFUSALS times more, in one netlink session
 * (an exec per request would cost more than what is measured), and adds
 * " REFUSED" to the line: how many of those came back -ENOSPC.
 *
 * With RTPP_FILL_GATE=PATH in the environment, it opens its netlink socket,
 * creates PATH.ready and waits until the FIFO at PATH is written and closed
 * before it allocates: a test can then lower a memory cgroup's limit under
 * a process that has already faulted in what it needs to run, and locked it
 * in: at the limit the kernel reclaims the cgroup's page cache, the text of
 * this program included, and faulting that back in would wake the cgroup's
 * OOM killer.  Only the kernel's allocations for sessions meet the limit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rtpproxy.h"

/* Say ready, then block until the FIFO at @path has been written and closed. */
static int wait_gate(const char *path)
{
	char ready[4096], buf[64];
	int fd;

	if (snprintf(ready, sizeof(ready), "%s.ready", path) >= (int)sizeof(ready))
		return -1;
	if (mlockall(MCL_CURRENT))
		return -1;
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}

static int count_sess(const struct rtpp_sess *s, void *arg)
{
	unsigned long *n = arg;

	(void)s;
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct rtpp_sb_spec spec = { 0 };
	struct rtpp_sess_params p = { 0 };
	struct rtpp_stream_params *rtp = &p.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP];
	unsigned long allocated = 0, listed = 0, refusals = 0, refused = 0;
	struct rtpp_handle *h;
	struct in_addr a;
	int err;

	if (argc < 4 || argc > 5 || inet_pton(AF_INET, argv[1], &a) != 1) {
		fprintf(stderr, "usage: rtpp-fill ADDR_A PORT_A CLIENT_A [REFUSALS]\n");
		return 2;
	}
	if (argc == 5)
		refusals = strtoul(argv[4], NULL, 10);
	spec.has_addr_a = spec.has_port_a = true;
	spec.addr_a = a.s_addr;
	spec.port_a = atoi(argv[2]);
	if (inet_pton(AF_INET, argv[3], &a) != 1)
		return 2;
	rtp->has_addr = rtp->has_port = true;
	rtp->addr = a.s_addr;
	rtp->port = 4000;

	err = rtpp_open(&h);
	if (err) {
		fprintf(stderr, "rtpp-fill: %s\n", rtpp_strerror(NULL, err));
		return 1;
	}
	if (getenv("RTPP_FILL_GATE") && wait_gate(getenv("RTPP_FILL_GATE"))) {
		fprintf(stderr, "rtpp-fill: RTPP_FILL_GATE: %s\n", strerror(errno));
		rtpp_close(h);
		return 1;
	}
	for (;;) {
		struct rtpp_sess s;

		err = rtpp_alloc(h, &spec, &p, &s);
		if (err)
			break;
		allocated++;
	}
	if (err == -ENOMEM) {
		rtpp_close(h);
		return 3;
	}
	if (err != -ENOSPC) {
		fprintf(stderr, "rtpp-fill: after %lu: %s\n", allocated,
			rtpp_strerror(h, err));
		rtpp_close(h);
		return 1;
	}
	err = rtpp_list_sess(h, &spec, 0, RTPP_ID_ALL, count_sess, &listed);
	if (err) {
		fprintf(stderr, "rtpp-fill: listing: %s\n", rtpp_strerror(h, err));
		rtpp_close(h);
		return 1;
	}
	while (refusals--) {
		struct rtpp_sess s;

		err = rtpp_alloc(h, &spec, &p, &s);
		if (err == -ENOSPC)
			refused++;
	}
	if (argc == 5)
		printf("%lu %lu ENOSPC %lu\n", allocated, listed, refused);
	else
		printf("%lu %lu ENOSPC\n", allocated, listed);
	rtpp_close(h);
	return 0;
}
