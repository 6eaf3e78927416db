// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-bench-fill: allocate N sessions on one switchboard, in one netlink
 * session, for the benchmarks (bench/scale.sh, bench/memory.sh).
 *
 *   rtpp-bench-fill ADDR_A PORT_A N CLIENT_A PORT_A CLIENT_B PORT_B
 *
 * Every session gets the same clients: side A's RTP and RTCP both at
 * CLIENT_A:PORT_A, side B's at CLIENT_B:PORT_B (one port for both streams,
 * so that one sender and one receiver serve every gate port), and an
 * expiry of an hour.  Prints the number of sessions allocated; exits 1 if
 * fewer than N could be.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "rtpproxy.h"

static int addr(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = a.s_addr;
	return 0;
}

static void client(struct rtpp_side_params *side, uint32_t a, uint16_t port)
{
	int st;

	for (st = 0; st < RTPP_STREAMS; st++) {
		side->stream[st].has_addr = side->stream[st].has_port = true;
		side->stream[st].addr = a;
		side->stream[st].port = port;
	}
}

int main(int argc, char **argv)
{
	struct rtpp_sb_spec spec = { 0 };
	struct rtpp_sess_params p = { 0 };
	unsigned long n, i;
	struct rtpp_handle *h;
	uint32_t ca, cb;
	int err;

	if (argc != 8 || addr(argv[1], &spec.addr_a) || addr(argv[4], &ca) ||
	    addr(argv[6], &cb)) {
		fprintf(stderr, "usage: rtpp-bench-fill ADDR_A PORT_A N CLIENT_A PORT_A CLIENT_B PORT_B\n");
		return 2;
	}
	spec.has_addr_a = spec.has_port_a = true;
	spec.port_a = atoi(argv[2]);
	n = strtoul(argv[3], NULL, 10);
	p.has_expires = true;
	p.expires = 3600;
	client(&p.side[RTPP_SIDE_A], ca, atoi(argv[5]));
	client(&p.side[RTPP_SIDE_B], cb, atoi(argv[7]));

	err = rtpp_open(&h);
	if (err) {
		fprintf(stderr, "rtpp-bench-fill: %s\n", rtpp_strerror(NULL, err));
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct rtpp_sess s;

		err = rtpp_alloc(h, &spec, &p, &s);
		if (err) {
			fprintf(stderr, "rtpp-bench-fill: after %lu: %s\n", i,
				rtpp_strerror(h, err));
			break;
		}
	}
	rtpp_close(h);
	printf("%lu\n", i);
	return i == n ? 0 : 1;
}
