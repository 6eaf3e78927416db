// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-churn: allocate and delete sessions on one switchboard as fast as the
 * control path allows, for the churn scenario (tests/integration/churn.sh).
 *
 *   rtpp-churn ADDR_A PORT_A ADDR_B PORT_B CYCLES BATCH CLIENT_A CLIENT_B
 *
 * Each cycle allocates BATCH sessions (clients CLIENT_A:5000+2i and
 * CLIENT_B:7000+2i) and deletes them one by one.  Prints the allocations and
 * deletions done; exits 1 on any error, with the library's reason.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtpproxy.h"

static uint32_t addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "rtpp-churn: bad address %s\n", s);
		exit(2);
	}
	return a.s_addr;
}

static void client(struct rtpp_side_params *side, uint32_t a, uint16_t port)
{
	struct rtpp_stream_params *rtp = &side->stream[RTPP_STREAM_RTP];

	rtp->has_addr = rtp->has_port = true;
	rtp->addr = a;
	rtp->port = port;
}

int main(int argc, char **argv)
{
	struct rtpp_sb_spec spec = { 0 };
	struct rtpp_handle *h;
	unsigned long cycles, batch, c, i, allocs = 0, deletes = 0;
	uint32_t ids[256];
	int err;

	if (argc != 9) {
		fprintf(stderr, "usage: rtpp-churn ADDR_A PORT_A ADDR_B PORT_B CYCLES BATCH CLIENT_A CLIENT_B\n");
		return 2;
	}
	spec.has_addr_a = spec.has_port_a = spec.has_addr_b = spec.has_port_b = true;
	spec.addr_a = addr(argv[1]);
	spec.port_a = atoi(argv[2]);
	spec.addr_b = addr(argv[3]);
	spec.port_b = atoi(argv[4]);
	cycles = strtoul(argv[5], NULL, 10);
	batch = strtoul(argv[6], NULL, 10);
	if (!batch || batch > 256) {
		fprintf(stderr, "rtpp-churn: BATCH must be 1..256\n");
		return 2;
	}

	err = rtpp_open(&h);
	if (err) {
		fprintf(stderr, "rtpp-churn: %s\n", rtpp_strerror(NULL, err));
		return 1;
	}
	for (c = 0; c < cycles; c++) {
		for (i = 0; i < batch; i++) {
			struct rtpp_sess_params p = { 0 };
			struct rtpp_sess s;

			client(&p.side[RTPP_SIDE_A], addr(argv[7]), 5000 + 2 * i);
			client(&p.side[RTPP_SIDE_B], addr(argv[8]), 7000 + 2 * i);
			err = rtpp_alloc(h, &spec, &p, &s);
			if (err)
				goto fail;
			ids[i] = s.id;
			allocs++;
		}
		for (i = 0; i < batch; i++) {
			unsigned int n;

			err = rtpp_delete(h, &spec, ids[i], ids[i], true, &n);
			if (err)
				goto fail;
			if (n != 1) {
				fprintf(stderr, "rtpp-churn: deleting session %u deleted %u\n",
					ids[i], n);
				rtpp_close(h);
				return 1;
			}
			deletes++;
		}
	}
	printf("%lu %lu\n", allocs, deletes);
	rtpp_close(h);
	return 0;
fail:
	fprintf(stderr, "rtpp-churn: after %lu allocations, %lu deletions: %s\n",
		allocs, deletes, rtpp_strerror(h, err));
	rtpp_close(h);
	return 1;
}
