// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-bench-ctl: N sessions set up and torn down from one process, for
 * bench/control.sh (issue 9, measurement 4).
 *
 *   rtpp-bench-ctl lib N BATCH    through librtpproxy: N allocations on the
 *                                 switchboard of gate 10.1.0.1:2000, then
 *                                 N deletions, one session each, BATCH
 *                                 requests a batch (rtpp_alloc_batch() with
 *                                 brief replies, rtpp_delete_batch());
 *                                 BATCH 1: one rtpp_alloc() or
 *                                 rtpp_delete() a session
 *   rtpp-bench-ctl lib-full N BATCH
 *                                 the same, each allocation's reply the
 *                                 whole session (no RTPP_ALLOC_BRIEF)
 *   rtpp-bench-ctl ct N BATCH     through libnetfilter_conntrack: N entries
 *                                 relaying as a session would, then their
 *                                 deletion, BATCH requests a datagram
 *
 * Session i (both tools): side A's client 10.1.0.2:10000+2i, side B's
 * 10.2.0.2:6000.  The conntrack entry of session i is what a relay
 * through conntrack (mediaproxy's way) installs for its RTP from A: the
 * flow 10.1.0.2:10000+2i -> 10.1.0.1:2000+2i, its destination rewritten
 * to B's client and its source to the relay's gate on B's side,
 * 10.2.0.1:2000+2i, expiring in an hour.
 *
 * Every request's result is checked (an allocation's session id and gate
 * ports, a deletion's count of one); any failure exits 1.  What is timed is the
 * exchanges only: every request is built before the clock starts.
 * Prints one line:
 *
 *   TOOL n N batch B alloc-s A delete-s D per-s R
 *
 * R = N / (A + D): sessions set up and torn down a second.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "rtpproxy.h"

#define CT_REQ_MAX	512	/* bytes of one conntrack request, at most */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static void report(const char *tool, unsigned long n, unsigned long batch,
		   double a, double d)
{
	printf("%s n %lu batch %lu alloc-s %.6f delete-s %.6f per-s %.1f\n",
	       tool, n, batch, a, d, n / (a + d));
}

static void client(struct rtpp_side_params *side, uint32_t a, uint16_t port)
{
	int st;

	for (st = 0; st < RTPP_STREAMS; st++) {
		side->stream[st].has_addr = side->stream[st].has_port = true;
		side->stream[st].addr = a;
		side->stream[st].port = port + st;
	}
}

static int die_lib(struct rtpp_handle *h, const char *what, unsigned long i,
		   int err)
{
	fprintf(stderr, "rtpp-bench-ctl: %s %lu: %s\n", what, i,
		rtpp_strerror(h, err));
	return 1;
}

static int run_lib(unsigned long n, unsigned long batch, unsigned int flags)
{
	struct rtpp_sb_spec spec = {
		.has_addr_a = true, .has_port_a = true, .port_a = 2000,
	};
	struct rtpp_sess_params *p = calloc(n, sizeof(*p));
	struct rtpp_alloc_item *a = calloc(n, sizeof(*a));
	struct rtpp_delete_item *d = calloc(n, sizeof(*d));
	struct rtpp_handle *h;
	double t0, t1, t2, t3;
	unsigned long i, k;
	int err;

	if (!p || !a || !d)
		return 1;
	/* fault the pages in now, not in the timed replies' decoding */
	memset(a, 0, n * sizeof(*a));
	memset(d, 0, n * sizeof(*d));
	spec.addr_a = ip("10.1.0.1");
	for (i = 0; i < n; i++) {
		p[i].has_expires = true;
		p[i].expires = 3600;
		client(&p[i].side[RTPP_SIDE_A], ip("10.1.0.2"), 10000 + 2 * i);
		client(&p[i].side[RTPP_SIDE_B], ip("10.2.0.2"), 6000);
		a[i].spec = &spec;
		a[i].params = &p[i];
		a[i].flags = flags;
	}
	err = rtpp_open(&h);
	if (err)
		return die_lib(NULL, "open", 0, err);

	t0 = now();
	for (i = 0; i < n; i += k) {
		k = n - i < batch ? n - i : batch;
		err = batch == 1 ? rtpp_alloc(h, &spec, &p[i], &a[i].sess) :
				   rtpp_alloc_batch(h, &a[i], k);
		if (err)
			return die_lib(h, "alloc", i, err);
	}
	t1 = now();

	for (i = 0; i < n; i++) {
		const struct rtpp_sess *s = &a[i].sess;
		unsigned int side, st;

		/* both gates' ranges start at 2000: session s has 2000 + 2s */
		for (side = 0; side < RTPP_SIDES; side++)
			for (st = 0; st < RTPP_STREAMS; st++)
				if (s->side[side].stream[st].gate_port != 2000 + 2 * s->id + st)
					return die_lib(h, "gate port of", i, -EPROTO);
		d[i].spec = &spec;
		d[i].has_range = true;
		d[i].lo = d[i].hi = a[i].sess.id;
	}
	t2 = now();
	for (i = 0; i < n; i += k) {
		k = n - i < batch ? n - i : batch;
		err = batch == 1 ? rtpp_delete(h, &spec, d[i].lo, d[i].hi, true,
					       &d[i].count) :
				   rtpp_delete_batch(h, &d[i], k);
		if (err)
			return die_lib(h, "delete", i, err);
	}
	t3 = now();
	for (i = 0; i < n; i++)
		if (d[i].count != 1)
			return die_lib(h, "delete of", i, -ENOENT);
	rtpp_close(h);
	report(flags ? "library" : "library-full", n, batch, t1 - t0, t3 - t2);
	return 0;
}

/*
 * Conntrack: requests of one type (new or delete) for entries i .. i+k-1,
 * in one datagram, built in buf; only the last asks for an
 * acknowledgement, as librtpproxy's batches (errors come unasked).
 */
static size_t ct_batch(char *buf, struct nf_conntrack **ct, unsigned long i,
		       unsigned long k, uint16_t type, uint16_t flags,
		       uint32_t *seq)
{
	size_t len = 0;
	unsigned long j;

	for (j = 0; j < k; j++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + len);
		struct nfgenmsg *nfg;

		nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
		nlh->nlmsg_flags = NLM_F_REQUEST | flags |
				   (j == k - 1 ? NLM_F_ACK : 0);
		nlh->nlmsg_seq = ++*seq;
		nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
		nfg->nfgen_family = AF_INET;
		nfg->version = NFNETLINK_V0;
		nfg->res_id = 0;
		nfct_nlmsg_build(nlh, ct[i + j]);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return len;
}

/* Sends a batch; reads up to the last one's acknowledgement.  0 or -errno. */
static int ct_xfer(struct mnl_socket *nl, const char *buf, size_t len,
		   uint32_t last_seq)
{
	char rx[MNL_SOCKET_BUFFER_SIZE];

	if (mnl_socket_sendto(nl, buf, len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, rx, sizeof(rx));
		const struct nlmsghdr *nlh = (const void *)rx;
		int left = n;

		if (n < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error)
				return e->error;	/* any failure fails the run */
			if (nlh->nlmsg_seq == last_seq)
				return 0;
		}
	}
}

/*
 * Every entry's request of one type, BATCH to a datagram, each batch built
 * untimed in buf and sent timed; the time in *secs.  0, or 1 on failure.
 */
static int ct_phase(struct mnl_socket *nl, char *buf, struct nf_conntrack **ct,
		    unsigned long n, unsigned long batch, uint16_t type,
		    uint16_t flags, uint32_t *seq, double *secs)
{
	unsigned long i, k;

	*secs = 0;
	for (i = 0; i < n; i += k) {
		size_t len;
		double t;
		int err;

		k = n - i < batch ? n - i : batch;
		len = ct_batch(buf, ct, i, k, type, flags, seq);
		t = now();
		err = ct_xfer(nl, buf, len, *seq);
		*secs += now() - t;
		if (err) {
			fprintf(stderr, "rtpp-bench-ctl: conntrack %s %lu: %s\n",
				type == IPCTNL_MSG_CT_NEW ? "new" : "delete", i,
				strerror(-err));
			return 1;
		}
	}
	return 0;
}

static int run_ct(unsigned long n, unsigned long batch)
{
	struct nf_conntrack **ct = calloc(n, sizeof(*ct));
	char *buf = malloc(batch * CT_REQ_MAX);
	struct mnl_socket *nl;
	double t0, t1;
	unsigned long i;
	uint32_t seq = 0;

	if (!ct || !buf)
		return 1;
	for (i = 0; i < n; i++) {
		ct[i] = nfct_new();
		if (!ct[i])
			return 1;
		nfct_set_attr_u8(ct[i], ATTR_L3PROTO, AF_INET);
		nfct_set_attr_u32(ct[i], ATTR_IPV4_SRC, ip("10.1.0.2"));
		nfct_set_attr_u32(ct[i], ATTR_IPV4_DST, ip("10.1.0.1"));
		nfct_set_attr_u8(ct[i], ATTR_L4PROTO, IPPROTO_UDP);
		nfct_set_attr_u16(ct[i], ATTR_PORT_SRC, htons(10000 + 2 * i));
		nfct_set_attr_u16(ct[i], ATTR_PORT_DST, htons(2000 + 2 * i));
		nfct_setobjopt(ct[i], NFCT_SOPT_SETUP_REPLY);
		nfct_set_attr_u32(ct[i], ATTR_DNAT_IPV4, ip("10.2.0.2"));
		nfct_set_attr_u16(ct[i], ATTR_DNAT_PORT, htons(6000));
		nfct_set_attr_u32(ct[i], ATTR_SNAT_IPV4, ip("10.2.0.1"));
		nfct_set_attr_u16(ct[i], ATTR_SNAT_PORT, htons(2000 + 2 * i));
		nfct_set_attr_u32(ct[i], ATTR_TIMEOUT, 3600);
	}
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("rtpp-bench-ctl: netfilter socket");
		return 1;
	}

	if (ct_phase(nl, buf, ct, n, batch, IPCTNL_MSG_CT_NEW,
		     NLM_F_CREATE | NLM_F_EXCL, &seq, &t0) ||
	    ct_phase(nl, buf, ct, n, batch, IPCTNL_MSG_CT_DELETE, 0, &seq, &t1))
		return 1;
	mnl_socket_close(nl);
	for (i = 0; i < n; i++)
		nfct_destroy(ct[i]);
	report("conntrack", n, batch, t0, t1);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n, batch;

	if (argc != 4 || (strcmp(argv[1], "lib") && strcmp(argv[1], "lib-full") &&
			  strcmp(argv[1], "ct"))) {
		fprintf(stderr, "usage: rtpp-bench-ctl lib|lib-full|ct N BATCH\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	batch = strtoul(argv[3], NULL, 10);
	if (!n || n > 10000 || !batch || batch > 1024) {
		fprintf(stderr, "rtpp-bench-ctl: N 1..10000 (a port of its own each), BATCH 1..1024\n");
		return 2;
	}
	if (!strcmp(argv[1], "ct"))
		return run_ct(n, batch);
	return run_lib(n, batch, strcmp(argv[1], "lib") ? 0 : RTPP_ALLOC_BRIEF);
}
