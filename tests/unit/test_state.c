// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/state.c and kmod/params.c: session states, learning
 * rules, and how ALLOC/UPDATE parameters apply.
 *
 * UNIT-SRCS: ../../kmod/state.c ../../kmod/params.c ../../kmod/addr.c
 */
#include <arpa/inet.h>
#include <check.h>
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "params.h"

#define T0 1000000ULL

static struct rtpp_timing timing(void)
{
	struct rtpp_timing t = {
		.created = T0, .last = T0, .resurrection_ms = 5000,
	};
	return t;
}

static struct rtpp_sess_conf sconf(void)
{
	struct rtpp_sess_conf c;

	memset(&c, 0, sizeof(c));
	c.expires_ms = 60000;
	return c;
}

START_TEST(active_until_expiry_then_expired_then_free)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	ck_assert_int_eq(rtpp_state(&t, &c, T0), RTPP_STATE_ACTIVE);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 59999), RTPP_STATE_ACTIVE);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 60000), RTPP_STATE_EXPIRED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 64999), RTPP_STATE_EXPIRED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 65000), RTPP_STATE_FREE);
}
END_TEST

START_TEST(packets_postpone_expiry)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	t.last = T0 + 50000;
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 100000), RTPP_STATE_ACTIVE);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 110000), RTPP_STATE_EXPIRED);
}
END_TEST

START_TEST(expiry_noticed_by_audit_is_the_same)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	/* The audit marks the death at the moment of expiry, not when it ran. */
	t.death = RTPP_DIED_EXPIRED;
	t.died_after = 60000;
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 62000), RTPP_STATE_EXPIRED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 65000), RTPP_STATE_FREE);
}
END_TEST

START_TEST(a_stamp_later_than_now_is_no_time)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	/* A packet on another CPU stamped the session after "now" was read:
	 * it is active, not expired for ages nor free. */
	t.last = T0 + 70000;
	c.learning_ms[RTPP_SIDE_A][RTPP_RTP] = 1000;
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 69990), RTPP_STATE_ACTIVE);
	ck_assert(!rtpp_note_expiry(&t, &c, T0 + 69990));
	ck_assert_int_eq(t.death, RTPP_ALIVE);
	/* Deleted after "now" was read: destroyed, not free. */
	rtpp_note_delete(&t, T0 + 80000, 5000);
	ck_assert_uint_eq(rtpp_died(&t), T0 + 80000);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 79990), RTPP_STATE_DESTROYED);
	/* Deleted at a "now" older than its last packet: dated at the packet. */
	t = timing();
	t.last = T0 + 70000;
	rtpp_note_delete(&t, T0 + 69990, 5000);
	ck_assert_int_eq(t.death, RTPP_DIED_DELETED);
	ck_assert_uint_eq(rtpp_died(&t), T0 + 70000);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 74999), RTPP_STATE_DESTROYED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 75000), RTPP_STATE_FREE);
	/* Created after "now": inside its learning window. */
	t = timing();
	ck_assert(rtpp_learning(&t, &c, RTPP_SIDE_A, RTPP_RTP, T0 - 5));
	ck_assert_uint_eq(rtpp_since(T0 - 5, T0), 0);
	ck_assert_uint_eq(rtpp_since(T0 + 5, T0), 5);
}
END_TEST

START_TEST(expiry_is_noticed_once)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	ck_assert(!rtpp_note_expiry(&t, &c, T0 + 59999));
	ck_assert_int_eq(t.death, RTPP_ALIVE);
	/* Noticed late: the death is dated at the expiry, not at the notice. */
	ck_assert(rtpp_note_expiry(&t, &c, T0 + 62000));
	ck_assert_int_eq(t.death, RTPP_DIED_EXPIRED);
	ck_assert_uint_eq(rtpp_died(&t), T0 + 60000);
	ck_assert(!rtpp_note_expiry(&t, &c, T0 + 63000));
	ck_assert_uint_eq(rtpp_died(&t), T0 + 60000);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 63000), RTPP_STATE_EXPIRED);
}
END_TEST

START_TEST(a_deleted_session_does_not_expire)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	rtpp_note_delete(&t, T0 + 1000, 5000);
	ck_assert(!rtpp_note_expiry(&t, &c, T0 + 61000));
	ck_assert_int_eq(t.death, RTPP_DIED_DELETED);
	ck_assert_uint_eq(rtpp_died(&t), T0 + 1000);
}
END_TEST

/*
 * The latest a death can be dated after the last packet: deleted just
 * before the slot of a session expired with the longest timeouts came free.
 */
START_TEST(a_late_death_keeps_its_date)
{
	const u64 day = XT_RTPPROXY_MAX_TIMEOUT * 1000ULL;
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	c.expires_ms = day;
	t.resurrection_ms = day;
	ck_assert(rtpp_note_expiry(&t, &c, T0 + day));
	ck_assert_uint_eq(rtpp_died(&t), T0 + day);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 2 * day - 1), RTPP_STATE_EXPIRED);
	rtpp_note_delete(&t, T0 + 2 * day - 1, day);
	ck_assert_uint_eq(rtpp_died(&t), T0 + 2 * day - 1);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 3 * day - 2), RTPP_STATE_DESTROYED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 3 * day - 1), RTPP_STATE_FREE);
	ck_assert_uint_eq(rtpp_free_at(&t, &c), T0 + 3 * day - 1);
}
END_TEST

START_TEST(deleted_is_destroyed_for_resurrection_time)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	rtpp_note_delete(&t, T0 + 1000, 5000);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 1000), RTPP_STATE_DESTROYED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 5999), RTPP_STATE_DESTROYED);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 6000), RTPP_STATE_FREE);
	rtpp_note_delete(&t, T0 + 1000, 0);
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 1000), RTPP_STATE_FREE);
}
END_TEST

START_TEST(learning_while_a_window_is_open)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();

	c.learning_ms[RTPP_SIDE_B][RTPP_RTCP] = 3000;
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 2999), RTPP_STATE_LEARNING);
	ck_assert(rtpp_learning(&t, &c, RTPP_SIDE_B, RTPP_RTCP, T0 + 2999));
	ck_assert(!rtpp_learning(&t, &c, RTPP_SIDE_B, RTPP_RTP, T0 + 1));
	ck_assert(!rtpp_learning(&t, &c, RTPP_SIDE_B, RTPP_RTCP, T0 + 3000));
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 3000), RTPP_STATE_ACTIVE);
	/* An expired session is expired, window or not. */
	c.learning_ms[RTPP_SIDE_A][RTPP_RTP] = 120000;
	ck_assert_int_eq(rtpp_state(&t, &c, T0 + 60000), RTPP_STATE_EXPIRED);
}
END_TEST

/* The packet path's state: the same as rtpp_state(), learning or not. */
START_TEST(live_state_is_the_state_without_learning)
{
	struct rtpp_timing t = timing();
	struct rtpp_sess_conf c = sconf();
	static const u64 at[] = { 0, 2999, 3000, 59999, 60000, 64999, 65000 };
	unsigned int i;

	c.learning_ms[RTPP_SIDE_B][RTPP_RTCP] = 3000;
	ck_assert_int_eq(rtpp_state_live(&t, &c, T0 + 2999), RTPP_STATE_ACTIVE);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		enum rtpp_sess_state full = rtpp_state(&t, &c, T0 + at[i]);

		ck_assert_int_eq(rtpp_state_live(&t, &c, T0 + at[i]),
				 full == RTPP_STATE_LEARNING ? RTPP_STATE_ACTIVE : full);
	}
	rtpp_note_delete(&t, T0 + 1000, 5000);
	ck_assert_int_eq(rtpp_state_live(&t, &c, T0 + 1000), RTPP_STATE_DESTROYED);
	ck_assert_int_eq(rtpp_state_live(&t, &c, T0 + 6000), RTPP_STATE_FREE);
}
END_TEST

static struct rtpp_endpoint ep(const char *addr, u16 port)
{
	struct rtpp_endpoint e;

	inet_pton(AF_INET, addr, &e.addr);
	e.port = htons(port);
	return e;
}

START_TEST(source_rules)
{
	struct rtpp_endpoint client = ep("10.0.0.1", 4000);
	struct rtpp_endpoint same = ep("10.0.0.1", 4000);
	struct rtpp_endpoint nat = ep("192.0.2.7", 31000);
	struct rtpp_endpoint port = ep("10.0.0.1", 4002);
	struct rtpp_endpoint unknown = { 0, 0 };

	ck_assert_int_eq(rtpp_src_check(&client, &same, false, false), RTPP_SRC_ACCEPT);
	ck_assert_int_eq(rtpp_src_check(&client, &nat, false, false), RTPP_SRC_REJECT);
	ck_assert_int_eq(rtpp_src_check(&client, &port, false, false), RTPP_SRC_REJECT);
	ck_assert_int_eq(rtpp_src_check(&client, &nat, true, false), RTPP_SRC_LEARN);
	ck_assert_int_eq(rtpp_src_check(&client, &nat, false, true), RTPP_SRC_LEARN);
	ck_assert_int_eq(rtpp_src_check(&client, &same, true, true), RTPP_SRC_ACCEPT);
	/* Nothing known and no window: nobody gets in. */
	ck_assert_int_eq(rtpp_src_check(&unknown, &nat, false, false), RTPP_SRC_REJECT);
	ck_assert_int_eq(rtpp_src_check(&unknown, &nat, true, false), RTPP_SRC_LEARN);
	ck_assert(!rtpp_endpoint_known(&unknown));
	ck_assert(rtpp_endpoint_known(&client));
}
END_TEST

START_TEST(rtcp_derives_from_rtp)
{
	struct rtpp_params p;

	memset(&p, 0, sizeof(p));
	p.side[RTPP_SIDE_A].st[RTPP_RTP] = (struct rtpp_stream_params){
		.has_addr = true, .addr = 0x0100000a, .has_port = true,
		.port = 4000, .has_learning = true, .learning_ms = 2000,
	};
	p.side[RTPP_SIDE_B].st[RTPP_RTP] = (struct rtpp_stream_params){
		.has_addr = true, .addr = 0x0200000a, .has_port = true, .port = 6000,
	};
	p.side[RTPP_SIDE_B].st[RTPP_RTCP] = (struct rtpp_stream_params){
		.has_port = true, .port = 7777,
	};
	rtpp_params_derive(&p);
	ck_assert(p.side[RTPP_SIDE_A].st[RTPP_RTCP].has_addr);
	ck_assert_uint_eq(p.side[RTPP_SIDE_A].st[RTPP_RTCP].addr, 0x0100000a);
	ck_assert_uint_eq(p.side[RTPP_SIDE_A].st[RTPP_RTCP].port, 4001);
	ck_assert_uint_eq(p.side[RTPP_SIDE_A].st[RTPP_RTCP].learning_ms, 2000);
	/* Given RTCP values stay. */
	ck_assert_uint_eq(p.side[RTPP_SIDE_B].st[RTPP_RTCP].port, 7777);
	ck_assert_uint_eq(p.side[RTPP_SIDE_B].st[RTPP_RTCP].addr, 0x0200000a);
	ck_assert(!p.side[RTPP_SIDE_B].st[RTPP_RTCP].has_learning);
}
END_TEST

START_TEST(alloc_needs_an_address_or_learning)
{
	struct rtpp_params p;

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_NOTHING);
	ck_assert_int_eq(rtpp_params_check(&p, false), RTPP_PARAMS_OK);
	p.side[RTPP_SIDE_B].st[RTPP_RTCP].has_learning = true;
	p.side[RTPP_SIDE_B].st[RTPP_RTCP].learning_ms = 0;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_NOTHING);
	p.side[RTPP_SIDE_B].st[RTPP_RTCP].learning_ms = 1;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_OK);
	p.side[RTPP_SIDE_B].st[RTPP_RTCP].learning_ms = XT_RTPPROXY_MAX_LEARNING + 1;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_LEARNING);

	memset(&p, 0, sizeof(p));
	p.side[RTPP_SIDE_A].st[RTPP_RTP].has_addr = true;
	inet_pton(AF_INET, "224.0.0.1", &p.side[RTPP_SIDE_A].st[RTPP_RTP].addr);
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_ADDR);
	inet_pton(AF_INET, "10.0.0.1", &p.side[RTPP_SIDE_A].st[RTPP_RTP].addr);
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_OK);
	p.has_expires = true;
	p.expires = 0;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_EXPIRES);
	p.expires = XT_RTPPROXY_MAX_TIMEOUT;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_OK);
}
END_TEST

START_TEST(apply_sets_given_fields_only)
{
	bool learned[RTPP_SIDES][RTPP_STREAMS] = { { true, true }, { true, true } };
	struct rtpp_endpoint b = ep("10.9.9.9", 9000);
	struct rtpp_sess_conf c = sconf();
	struct rtpp_params p;

	rtpp_client_set(&c, RTPP_SIDE_B, RTPP_RTP, &b);
	memset(&p, 0, sizeof(p));
	p.side[RTPP_SIDE_A].st[RTPP_RTP].has_port = true;
	p.side[RTPP_SIDE_A].st[RTPP_RTP].port = 4000;
	p.side[RTPP_SIDE_A].st[RTPP_RTP].has_learning = true;
	p.side[RTPP_SIDE_A].st[RTPP_RTP].learning_ms = 500;
	p.side[RTPP_SIDE_B].has_always = true;
	p.side[RTPP_SIDE_B].always = true;
	p.has_expires = true;
	p.expires = 7;
	/* Applied to a session 10 s old: the window runs 500 ms from now. */
	rtpp_params_apply(&p, &c, learned, 10000);
	ck_assert_uint_eq(ntohs(c.client_port[RTPP_SIDE_A][RTPP_RTP]), 4000);
	ck_assert(!learned[RTPP_SIDE_A][RTPP_RTP]);
	ck_assert(learned[RTPP_SIDE_A][RTPP_RTCP]);
	ck_assert(learned[RTPP_SIDE_B][RTPP_RTP]);
	ck_assert_uint_eq(c.learning_ms[RTPP_SIDE_A][RTPP_RTP], 10500);
	ck_assert_uint_eq(c.learning_ms[RTPP_SIDE_A][RTPP_RTCP], 0);
	ck_assert(c.always[RTPP_SIDE_B]);
	ck_assert(!c.always[RTPP_SIDE_A]);
	ck_assert_uint_eq(c.expires_ms, 7000);
	ck_assert(rtpp_endpoint_same(&b, &(struct rtpp_endpoint){
		c.client_addr[RTPP_SIDE_B][RTPP_RTP],
		c.client_port[RTPP_SIDE_B][RTPP_RTP] }));
	/* A zero learning timeout closes the window. */
	p.side[RTPP_SIDE_A].st[RTPP_RTP].learning_ms = 0;
	rtpp_params_apply(&p, &c, learned, 10000);
	ck_assert_uint_eq(c.learning_ms[RTPP_SIDE_A][RTPP_RTP], 0);
}
END_TEST

/*
 * rtpp_free_at() is when rtpp_state() turns FREE, whatever the session's
 * history: alive, expired (noticed or not), deleted; with and without
 * resurrection time; with packets.  (A full switchboard is not audited
 * again before the earliest of its sessions'.)
 */
static void assert_free_at(struct rtpp_timing *t, const struct rtpp_sess_conf *c,
			   u64 from)
{
	u64 at = rtpp_free_at(t, c), now;

	ck_assert_uint_ge(at, from);
	for (now = from; now < at + 3000; now += 250)
		ck_assert_msg((rtpp_state(t, c, now) == RTPP_STATE_FREE) == (now >= at),
			      "now %llu, free at %llu", (unsigned long long)now,
			      (unsigned long long)at);
	if (at > from)
		ck_assert_int_ne(rtpp_state(t, c, at - 1), RTPP_STATE_FREE);
	ck_assert_int_eq(rtpp_state(t, c, at), RTPP_STATE_FREE);
}

START_TEST(free_at_is_when_the_slot_comes_free)
{
	u32 res[] = { 0, 1, 5000 };
	unsigned int i;

	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		struct rtpp_timing t = timing();
		struct rtpp_sess_conf c = sconf();

		t.resurrection_ms = res[i];
		/* alive, then a packet postpones it */
		ck_assert_uint_eq(rtpp_free_at(&t, &c), T0 + 60000 + res[i]);
		assert_free_at(&t, &c, T0);
		t.last = T0 + 30000;
		ck_assert_uint_eq(rtpp_free_at(&t, &c), T0 + 90000 + res[i]);
		assert_free_at(&t, &c, T0 + 30000);
		/* expiry noticed: the same time */
		ck_assert(rtpp_note_expiry(&t, &c, T0 + 95000));
		ck_assert_uint_eq(rtpp_free_at(&t, &c), T0 + 90000 + res[i]);
		assert_free_at(&t, &c, T0 + 90000);

		/* deleted while alive: from the deletion */
		t = timing();
		rtpp_note_delete(&t, T0 + 10000, res[i]);
		ck_assert_uint_eq(rtpp_free_at(&t, &c), T0 + 10000 + res[i]);
		assert_free_at(&t, &c, T0 + 10000);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");
	TCase *tp = tcase_create("params");

	tcase_add_test(tc, active_until_expiry_then_expired_then_free);
	tcase_add_test(tc, packets_postpone_expiry);
	tcase_add_test(tc, live_state_is_the_state_without_learning);
	tcase_add_test(tc, expiry_noticed_by_audit_is_the_same);
	tcase_add_test(tc, a_stamp_later_than_now_is_no_time);
	tcase_add_test(tc, expiry_is_noticed_once);
	tcase_add_test(tc, a_deleted_session_does_not_expire);
	tcase_add_test(tc, a_late_death_keeps_its_date);
	tcase_add_test(tc, deleted_is_destroyed_for_resurrection_time);
	tcase_add_test(tc, learning_while_a_window_is_open);
	tcase_add_test(tc, source_rules);
	tcase_add_test(tc, free_at_is_when_the_slot_comes_free);
	tcase_add_test(tp, rtcp_derives_from_rtp);
	tcase_add_test(tp, alloc_needs_an_address_or_learning);
	tcase_add_test(tp, apply_sets_given_fields_only);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	return unit_run(s);
}
