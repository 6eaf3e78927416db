// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxyd's commands (rtpproxyd/relay.c) over a fake
 * librtpproxy: which side each party gets, which gate each reply names,
 * what is sent to the kernel, Q's numbers, and a restart from the state
 * file that keeps only the sessions the kernel still has.
 *
 * UNIT-SRCS: ../../rtpproxyd/relay.c ../../rtpproxyd/calls.c ../../rtpproxyd/proto.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include "unit.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rtpproxy.h>
#include "../../rtpproxyd/daemon.h"
#include "../../rtpproxyd/proto.h"

/* ---- a fake kernel: one switchboard of 4 sessions --------------------------- */

#define NSESS 4
static struct rtpp_sess ks[NSESS];
static struct rtpp_sess_params last_params;
static int updates, deletes, fail_alloc;
static uint64_t clock_ms = 1000;
static struct rtpp_handle *fake = (struct rtpp_handle *)&ks;
static const struct rtpp_sb_ref sbref = { 7, 0, 0, 50000, 50000 };

static uint32_t ip(const char *s)
{
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

void rtppd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

int rtpp_open(struct rtpp_handle **h) { *h = fake; return 0; }
void rtpp_close(struct rtpp_handle *h) { (void)h; }
const char *rtpp_strerror(struct rtpp_handle *h, int err) { (void)h; (void)err; return "fake"; }

int rtpp_list_sb_flags(struct rtpp_handle *h, const struct rtpp_sb_spec *f, unsigned int flags,
		       rtpp_sb_cb cb, void *arg)
{
	struct rtpp_sb sb = { .id = 7, .addr_a = ip("10.1.0.1"), .addr_b = ip("10.2.0.1"),
			      .port_a = 50000, .port_b = 50000, .max_sess = NSESS };
	unsigned int i;

	(void)h; (void)f; (void)flags;
	for (i = 0; i < NSESS; i++)
		if (ks[i].state == RTPP_STATE_FREE)
			sb.states[RTPP_STATE_FREE]++;
	return cb(&sb, arg);
}

int rtpp_list_sb(struct rtpp_handle *h, const struct rtpp_sb_spec *f, rtpp_sb_cb cb, void *arg)
{
	return rtpp_list_sb_flags(h, f, 0, cb, arg);
}

int rtpp_list_sess(struct rtpp_handle *h, const struct rtpp_sb_spec *f, uint32_t lo,
		   uint32_t hi, rtpp_sess_cb cb, void *arg)
{
	uint32_t i;
	int rc;

	(void)h;
	if (f && f->has_id && f->id != 7)
		return -ENOENT;
	for (i = lo; i <= hi && i < NSESS; i++)
		if (ks[i].state != RTPP_STATE_FREE && (rc = cb(&ks[i], arg)))
			return rc;
	return 0;
}

static void apply(struct rtpp_sess *s, const struct rtpp_sess_params *p)
{
	int side;

	for (side = 0; side < 2; side++) {
		const struct rtpp_stream_params *sp = &p->side[side].stream[RTPP_STREAM_RTP];
		struct rtpp_stream *st = &s->side[side].stream[RTPP_STREAM_RTP];

		if (sp->has_addr)
			st->addr = sp->addr;
		if (sp->has_port)
			st->port = sp->port;
		if (sp->has_learning)
			st->learning_ms = sp->learning_ms;
	}
	if (p->has_expires)
		s->expires = p->expires;
}

int rtpp_alloc(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
	       const struct rtpp_sess_params *p, struct rtpp_sess *out)
{
	int i, side;

	(void)h;
	ck_assert(spec->has_id && spec->id == 7);
	if (fail_alloc)
		return fail_alloc;
	for (i = 0; i < NSESS && ks[i].state != RTPP_STATE_FREE; i++)
		;
	if (i == NSESS)
		return -ENOSPC;
	memset(&ks[i], 0, sizeof(ks[i]));
	ks[i].sb = sbref;
	ks[i].sb.addr_a = ip("10.1.0.1");
	ks[i].sb.addr_b = ip("10.2.0.1");
	ks[i].id = i;
	ks[i].created_ms = ++clock_ms;
	ks[i].state = RTPP_STATE_LEARNING;
	ks[i].expires = 60;
	for (side = 0; side < 2; side++)
		ks[i].side[side].stream[RTPP_STREAM_RTP].gate_port = 50000 + 2 * i;
	apply(&ks[i], p);
	last_params = *p;
	*out = ks[i];
	return 0;
}

int rtpp_update(struct rtpp_handle *h, const struct rtpp_sb_spec *spec, uint32_t lo,
		uint32_t hi, bool has_range, const struct rtpp_sess_params *p, unsigned int *count)
{
	(void)h;
	ck_assert(spec->has_id && spec->id == 7 && has_range && lo == hi && lo < NSESS);
	apply(&ks[lo], p);
	last_params = *p;
	updates++;
	*count = 1;
	return 0;
}

int rtpp_delete(struct rtpp_handle *h, const struct rtpp_sb_spec *spec, uint32_t lo,
		uint32_t hi, bool has_range, unsigned int *count)
{
	(void)h;
	ck_assert(spec->has_id && spec->id == 7 && has_range && lo == hi && lo < NSESS);
	ks[lo].state = RTPP_STATE_DESTROYED;
	deletes++;
	if (count)
		*count = 1;
	return 0;
}

/* ---- the commands ------------------------------------------------------------ */

static char dir[] = "/tmp/rtppd-relay-XXXXXX", state[64];
static struct rtppd_conf conf;

static const char *cmd(const char *line)
{
	static char reply[4096];
	char buf[1024];
	size_t n;

	snprintf(buf, sizeof(buf), "ck %s", line);
	n = rtppd_relay_command(buf, true, reply, sizeof(reply));
	ck_assert_uint_gt(n, 3);
	ck_assert_mem_eq(reply, "ck ", 3);
	ck_assert_uint_eq(reply[n - 1], '\n');
	reply[n - 1] = '\0';
	return reply + 3;
}

static void setup(void)
{
	memset(ks, 0, sizeof(ks));
	updates = deletes = fail_alloc = 0;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(state, sizeof(state), "%s/calls", dir);
	memset(&conf, 0, sizeof(conf));
	conf.learn_ms = 60000;
	conf.state_file = state;
	rtppd_relay_init(&conf);
}

static void teardown(void)
{
	rtppd_relay_shutdown();
	unlink(state);
	rmdir(dir);
	strcpy(dir, "/tmp/rtppd-relay-XXXXXX");
}

START_TEST(offer_answer)
{
	const struct rtpp_stream *a = &ks[0].side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP];
	const struct rtpp_stream *b = &ks[0].side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP];

	/* from I (gate A) to E (gate B): the callee is told gate B */
	ck_assert_str_eq(cmd("UIE c1 10.1.0.2 4000 ft;1"), "50000 10.2.0.1");
	ck_assert_uint_eq(a->addr, ip("10.1.0.2"));
	ck_assert_uint_eq(a->port, 4000);
	ck_assert_uint_eq(a->learning_ms, 60000);
	ck_assert_uint_eq(b->addr, 0);
	ck_assert_uint_eq(b->learning_ms, 60000);
	ck_assert(!last_params.has_expires);
	/* the answer from E: the caller is told gate A; the callee's address */
	ck_assert_str_eq(cmd("LEI c1 10.2.0.2 6000 ft;1 tt;1"), "50000 10.1.0.1");
	ck_assert_uint_eq(b->addr, ip("10.2.0.2"));
	ck_assert_uint_eq(b->port, 6000);
	ck_assert(!last_params.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_addr);
	/* a re-INVITE from the callee (From is its tag): its address, gate A named */
	ck_assert_str_eq(cmd("U c1 10.2.0.3 6002 tt;1 ft;1"), "50000 10.1.0.1");
	ck_assert_uint_eq(b->addr, ip("10.2.0.3"));
	ck_assert_uint_eq(b->port, 6002);
	/* and from the caller, asymmetric: no learning */
	ck_assert_str_eq(cmd("UA c1 10.1.0.9 4008 ft;1 tt;1"), "50000 10.2.0.1");
	ck_assert_uint_eq(a->addr, ip("10.1.0.9"));
	ck_assert(!last_params.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_learning);
	ck_assert_int_eq(updates, 3);
	/* a second media stream is a second session */
	ck_assert_str_eq(cmd("UIE c1 10.1.0.2 4010 ft;2"), "50002 10.2.0.1");
	/* E to I: the caller on side B, the callee told gate A */
	ck_assert_str_eq(cmd("UEI c2 10.2.0.5 7000 f2;1"), "50004 10.1.0.1");
	ck_assert_uint_eq(ks[2].side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP].addr, ip("10.2.0.5"));
	/* on hold: nothing but learning */
	ck_assert_str_eq(cmd("U c3 0.0.0.0 0 f3"), "50006 10.2.0.1");
	ck_assert(!last_params.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_addr);
	ck_assert(last_params.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_learning);
	/* full */
	ck_assert_str_eq(cmd("U c4 10.1.0.2 4000 f4"), "E71");
	fail_alloc = -EPERM;
	ck_assert_str_eq(cmd("U c5 10.1.0.2 4000 f5"), "E71");
	ck_assert_str_eq(cmd("UII c5 10.1.0.2 4000 f5"), "E31");
	ck_assert_str_eq(cmd("L c9 10.1.0.2 4000 f9 t9"), "0");
	ck_assert_str_eq(cmd("L c1 10.1.0.2 4000 ft;1 other;1"), "0");	/* another fork */
	ck_assert_str_eq(cmd("Ib"), "sessions created: 4\nactive sessions: 4\nactive streams: 8");
	ck_assert_str_eq(cmd("I"), "sessions created: 4\nactive sessions: 4\nactive streams: 8\n"
			 "switchboard 7 10.1.0.1:50000/10.2.0.1:50000: sessions in use 4 of 4");
}
END_TEST

START_TEST(query_delete)
{
	struct rtpp_stream *a = &ks[0].side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP];
	struct rtpp_stream *b = &ks[0].side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP];

	conf.expires = 30;
	ck_assert_str_eq(cmd("U c1 10.1.0.2 4000 ft;1"), "50000 10.2.0.1");
	ck_assert(last_params.has_expires && last_params.expires == 30);
	ck_assert_str_eq(cmd("L c1 10.2.0.2 6000 ft;1 tt;1"), "50000 10.1.0.1");
	a->packets = 50;
	a->errors = 2;
	b->packets = 30;
	ks[0].idle_ms = 12500;
	ck_assert_str_eq(cmd("Q c1 ft;1 tt;1"), "18 52 30 80 2");
	ck_assert_str_eq(cmd("Q c1 tt;1 ft;1"), "18 30 52 80 2");
	ck_assert_str_eq(cmd("Qv c1 ft tt ndropped"), "ndropped=2");
	ks[0].idle_ms = 99000;
	ck_assert_str_eq(cmd("Q c1 ft tt ttl"), "0");
	ck_assert_str_eq(cmd("U c2 10.1.0.3 4100 f2;1"), "50002 10.2.0.1");
	ck_assert_str_eq(cmd("U c2 10.1.0.3 4102 f2;2"), "50004 10.2.0.1");
	/* one stream, then the call */
	ck_assert_str_eq(cmd("D c2 f2;2"), "0");
	ck_assert_int_eq(ks[2].state, RTPP_STATE_DESTROYED);
	ck_assert_int_eq(ks[1].state, RTPP_STATE_LEARNING);
	ck_assert_str_eq(cmd("D c2 f2"), "0");
	ck_assert_int_eq(ks[1].state, RTPP_STATE_DESTROYED);
	ck_assert_str_eq(cmd("D c2 f2"), "E50");
	ck_assert_int_eq(deletes, 2);
	/* expired in the kernel: Q says gone, nothing deleted */
	ks[0].state = RTPP_STATE_EXPIRED;
	ck_assert_str_eq(cmd("Q c1 ft tt"), "E50");
	ck_assert_str_eq(cmd("D c1 ft tt"), "E50");
	ck_assert_int_eq(deletes, 2);
	/* slot 0 is still the expired session's: the next free one; a slot
	 * freed and taken again is not the call's any more */
	ck_assert_str_eq(cmd("U c3 10.1.0.4 4200 f3"), "50006 10.2.0.1");
	ks[3].created_ms++;
	ck_assert_str_eq(cmd("Q c3 f3 t3"), "E50");
	ck_assert_str_eq(cmd("X"), "0");
	ck_assert_int_eq(deletes, 2);
}
END_TEST

START_TEST(restart)
{
	char buf[256];
	FILE *f;

	ck_assert_str_eq(cmd("U c1 10.1.0.2 4000 ft;1"), "50000 10.2.0.1");
	ck_assert_str_eq(cmd("L c1 10.2.0.2 6000 ft;1 tt;1"), "50000 10.1.0.1");
	ck_assert_str_eq(cmd("UIE c2 10.1.0.3 4100 f2;1"), "50002 10.2.0.1");
	ck_assert_str_eq(cmd("UEI c3 10.2.0.4 4200 f3;1"), "50004 10.1.0.1");
	rtppd_relay_flush();
	f = fopen(state, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	/* the daemon ends; meanwhile c2's session expires */
	rtppd_relay_shutdown();
	ks[1].state = RTPP_STATE_EXPIRED;
	rtppd_relay_init(&conf);
	ks[0].side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].packets = 5;
	ck_assert_str_eq(cmd("Q c1 ft;1 tt;1 npkts_ina"), "5");
	ck_assert_str_eq(cmd("Q c2 f2;1 t2;1"), "E50");
	ck_assert_str_eq(cmd("Ib"), "sessions created: 0\nactive sessions: 2\nactive streams: 4");
	/* c3's caller is still on side B after the restart */
	ck_assert_str_eq(cmd("U c3 10.2.0.4 4202 f3;1"), "50004 10.1.0.1");
	ck_assert_uint_eq(ks[2].side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP].port, 4202);
	ck_assert_str_eq(cmd("L c3 10.1.0.7 4300 f3;1 t3;1"), "50004 10.2.0.1");
	ck_assert_uint_eq(ks[2].side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].port, 4300);
	/* the sweep forgets what the kernel ended */
	ks[2].state = RTPP_STATE_DESTROYED;
	rtppd_relay_sweep();
	ck_assert_str_eq(cmd("Ib"), "sessions created: 0\nactive sessions: 1\nactive streams: 2");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtpproxyd_relay");
	TCase *tc = tcase_create("relay");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, offer_answer);
	tcase_add_test(tc, query_delete);
	tcase_add_test(tc, restart);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
