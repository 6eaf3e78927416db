// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of snmp-agent/rows.c: the library's structs as MIB values and
 * index OIDs, TimeStamps from wall-clock times, the reset objects' SET
 * state machine and the once-until-room rule of rtppSbFull.  The index
 * order is checked in net-snmp's own table container, as the agent walks it.
 *
 * UNIT-SRCS: ../../snmp-agent/rows.c
 * UNIT-LIBS: -lnetsnmp
 */
#include <check.h>
#include "unit.h"
#include <arpa/inet.h>
#include <string.h>

#include "../../snmp-agent/rows.h"
#include "../../snmp-agent/oids.h"

static const struct rtppa_clock clk = {
	.wall_ms = 1796420000000ULL,	/* 2026-12-04 ... */
	.uptime_cs = 5000,		/* the agent has run 50 s */
};

START_TEST(timestamp_counts_back_from_uptime)
{
	ck_assert_uint_eq(rtppa_timestamp(&clk, clk.wall_ms - 20000), 3000);
	ck_assert_uint_eq(rtppa_timestamp(&clk, clk.wall_ms - 49990), 1);
	/* before the agent started: 0, as a TimeStamp says */
	ck_assert_uint_eq(rtppa_timestamp(&clk, clk.wall_ms - 50000), 0);
	ck_assert_uint_eq(rtppa_timestamp(&clk, 0), 0);
	/* a clock that stepped back: now, not a wrapped value */
	ck_assert_uint_eq(rtppa_timestamp(&clk, clk.wall_ms + 7000), 5000);
}
END_TEST

START_TEST(date_and_time_in_utc)
{
	struct rtppa_value v;
	/* 2026-12-04 21:30:15.7 UTC */
	static const u_char want[11] = { 0x07, 0xea, 12, 4, 21, 30, 15, 7, '+', 0, 0 };

	rtppa_date_and_time(&v, 1796419815700ULL);
	ck_assert_int_eq(v.type, ASN_OCTET_STR);
	ck_assert_uint_eq(v.len, 11);
	ck_assert_mem_eq(v.u.octets, want, 11);
}
END_TEST

static struct rtpp_sb sample_sb(void)
{
	struct rtpp_sb sb = {
		.id = 7, .port_a = 50000, .port_b = 52000, .max_sess = 100,
		.expires = 60, .resurrection = 5, .rules = 3,
		.created_ms = clk.wall_ms - 10000,
		.discont_ms = clk.wall_ms - 2000,
		.pkt_discont_ms = clk.wall_ms - 90000,
		.has_states = true,
		.states = { 90, 1, 6, 2, 1 },
	};

	sb.addr_a = htonl(0xc000020a);	/* 192.0.2.10 */
	sb.addr_b = htonl(0xc6336407);	/* 198.51.100.7 */
	sb.stats[RTPP_STAT_INDEX(RTPP_A_STAT_PACKETS)] = 0x123456789ULL;
	sb.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_ROUTE)] = 11;
	sb.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DELETES)] = 42;
	sb.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_BAD_SOURCE)] = 13;
	sb.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_TTL)] = 14;
	return sb;
}

START_TEST(switchboard_columns)
{
	struct rtpp_sb sb = sample_sb();
	struct rtppa_value v;
	static const u_char a[4] = { 192, 0, 2, 10 };

	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_ADDR_TYPE_A, &v), 0);
	ck_assert_int_eq(v.type, ASN_INTEGER);
	ck_assert_int_eq(v.u.integer, 1);		/* ipv4 */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_ADDR_A, &v), 0);
	ck_assert_uint_eq(v.len, 4);
	ck_assert_mem_eq(v.u.octets, a, 4);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_PORT_B, &v), 0);
	ck_assert_int_eq(v.type, ASN_UNSIGNED);
	ck_assert_uint_eq(v.u.unsigned32, 52000);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_RULES, &v), 0);
	ck_assert_int_eq(v.type, ASN_GAUGE);
	ck_assert_uint_eq(v.u.unsigned32, 3);

	/* states in the kernel's order, free first */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_SESS_FREE, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 90);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, 15, &v), 0);	/* rtppSbSessActive */
	ck_assert_uint_eq(v.u.unsigned32, 6);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_SESS_DESTROYED, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 1);

	/* counters: Counter64 halves; the MIB's order is the protocol's */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_PACKETS, &v), 0);
	ck_assert_int_eq(v.type, ASN_COUNTER64);
	ck_assert_uint_eq(v.u.c64.high, 1);
	ck_assert_uint_eq(v.u.c64.low, 0x23456789);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, 27, &v), 0);	/* rtppSbDropRoute */
	ck_assert_uint_eq(v.u.c64.low, 11);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_DELETIONS, &v), 0);
	ck_assert_uint_eq(v.u.c64.low, 42);

	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_DISCONT, &v), 0);
	ck_assert_int_eq(v.type, ASN_TIMETICKS);
	ck_assert_uint_eq(v.u.unsigned32, 4800);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_PKT_DISCONT, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 0);		/* before the agent */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_RESET_PACKETS, &v), 0);
	ck_assert_int_eq(v.u.integer, 2);		/* reads false */

	/* the counters added later have arcs after the resets' */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, 36, &v), 0);	/* rtppSbDropBadSource */
	ck_assert_int_eq(v.type, ASN_COUNTER64);
	ck_assert_uint_eq(v.u.c64.low, 13);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, 37, &v), 0);	/* rtppSbDropTtl */
	ck_assert_uint_eq(v.u.c64.low, 14);
	ck_assert_int_eq(RTPPA_SB_LAST, 37);

	/* the index is not readable, nor anything past the last column */
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_ID, &v), -1);
	ck_assert_int_eq(rtppa_sb_value(&sb, &clk, RTPPA_SB_LAST + 1, &v), -1);
}
END_TEST

START_TEST(global_scalars)
{
	struct rtpp_info info = {
		.version = 1, .uptime_ms = 123456, .sb_count = 2,
		.states = { 0, 4, 3, 2, 1 },
	};
	struct rtppa_value v;

	info.stats[RTPP_STAT_INDEX(RTPP_A_STAT_BYTES)] = 999;
	info.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DELETES)] = 5;
	info.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_BAD_SOURCE)] = 6;
	info.stats[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_TTL)] = 7;
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_UPTIME, &v), 0);
	ck_assert_int_eq(v.type, ASN_TIMETICKS);
	ck_assert_uint_eq(v.u.unsigned32, 12345);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_SESS_LEARNING, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 4);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_SESS_DESTROYED, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 1);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_PACKETS + 1, &v), 0);
	ck_assert_uint_eq(v.u.c64.low, 999);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_DELETIONS, &v), 0);
	ck_assert_uint_eq(v.u.c64.low, 5);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_DISCONT, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 77);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_RESET, &v), 0);
	ck_assert_int_eq(v.u.integer, 2);
	ck_assert_int_eq(rtppa_global_value(&info, 77, 24, &v), 0);	/* rtppDropBadSource */
	ck_assert_int_eq(v.type, ASN_COUNTER64);
	ck_assert_uint_eq(v.u.c64.low, 6);
	ck_assert_int_eq(rtppa_global_value(&info, 77, 25, &v), 0);	/* rtppDropTtl */
	ck_assert_uint_eq(v.u.c64.low, 7);
	/* rtppQualityLossThreshold (26) is the agent's own: scalars.c */
	ck_assert_int_eq(RTPPA_G_LAST, 26);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_LOSS_THRESHOLD, &v), -1);
	ck_assert_int_eq(rtppa_global_value(&info, 77, RTPPA_G_LAST + 1, &v), -1);

	/* no module: zeros, and the uptime 0 the MIB promises */
	ck_assert_int_eq(rtppa_global_value(NULL, 0, RTPPA_G_UPTIME, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 0);
	ck_assert_int_eq(rtppa_global_value(NULL, 0, RTPPA_G_VERSION, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 0);
}
END_TEST

START_TEST(session_and_stream_columns)
{
	struct rtpp_sess sess = {
		.id = 3, .state = RTPP_STATE_ACTIVE, .expires = 30,
		.idle_ms = 5000000000ULL,
	};
	struct rtppa_stream_row row = {
		.st = { .port = 4000, .gate_port = 50006, .learned = true,
			.packets = 10, .bytes = 1720, .errors = 2,
			.has_idle = true, .idle_ms = 3000, .learning_ms = 250 },
		.always_learn = false,
	};
	static const u_char addr[4] = { 198, 51, 100, 7 };
	struct rtppa_value v;

	ck_assert_int_eq(rtppa_sess_value(&sess, RTPPA_SESS_STATE, &v), 0);
	ck_assert_int_eq(v.u.integer, 2);		/* active(2) */
	ck_assert_int_eq(rtppa_sess_value(&sess, RTPPA_SESS_IDLE, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, UINT32_MAX);	/* saturates */
	ck_assert_int_eq(rtppa_sess_value(&sess, RTPPA_SESS_ID, &v), -1);

	/* an address not known yet: unknown(0), empty */
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ADDR_TYPE, &v), 0);
	ck_assert_int_eq(v.u.integer, 0);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ADDR, &v), 0);
	ck_assert_uint_eq(v.len, 0);
	row.st.addr = htonl(0xc6336407);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ADDR_TYPE, &v), 0);
	ck_assert_int_eq(v.u.integer, 1);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ADDR, &v), 0);
	ck_assert_mem_eq(v.u.octets, addr, 4);

	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_LEARNED, &v), 0);
	ck_assert_int_eq(v.u.integer, 1);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ALWAYS_LEARN, &v), 0);
	ck_assert_int_eq(v.u.integer, 2);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_GATE_PORT, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 50006);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_ERRORS, &v), 0);
	ck_assert_uint_eq(v.u.c64.low, 2);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_LAST_PACKET, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 4700);
	row.st.has_idle = false;		/* no packet yet */
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_LAST_PACKET, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 0);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_TYPE, &v), -1);
}
END_TEST

START_TEST(loss_threshold_checks)
{
	long x = 10;

	ck_assert_int_eq(rtppa_threshold_check(ASN_UNSIGNED, sizeof(long), &x), 0);
	x = 0;
	ck_assert_int_eq(rtppa_threshold_check(ASN_UNSIGNED, sizeof(long), &x), 0);
	x = 100;
	ck_assert_int_eq(rtppa_threshold_check(ASN_UNSIGNED, sizeof(long), &x), 0);
	x = 101;
	ck_assert_int_eq(rtppa_threshold_check(ASN_UNSIGNED, sizeof(long), &x),
			 SNMP_ERR_WRONGVALUE);
	x = 5;
	ck_assert_int_eq(rtppa_threshold_check(ASN_INTEGER, sizeof(long), &x),
			 SNMP_ERR_WRONGTYPE);
	ck_assert_int_eq(rtppa_threshold_check(ASN_UNSIGNED, 4, &x),
			 sizeof(long) == 4 ? 0 : SNMP_ERR_WRONGLENGTH);
}
END_TEST

START_TEST(stream_quality_columns)
{
	struct rtppa_stream_row row = { .st = { .packets = 1 } };
	struct rtppa_value v;
	unsigned int col;

	/* Not tracked: every column there, false(2), 0, payload type -1. */
	for (col = RTPPA_ST_QUALITY_TRACKED; col <= RTPPA_ST_LAST; col++)
		ck_assert_int_eq(rtppa_stream_value(&row, &clk, col, &v), 0);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_QUALITY_TRACKED, &v), 0);
	ck_assert_int_eq(v.u.integer, 2);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_PT, &v), 0);
	ck_assert_int_eq(v.u.integer, -1);

	row.st.q = (struct rtpp_stream_quality){
		.has = true, .has_ssrc = true, .ssrc = 0xdeadbeef, .pt = 0,
		.expected = 251, .lost = 20, .duplicates = 3, .jitter_ts = 81,
		.jitter_us = 10125, .cum_lost = -1, .fraction_lost = 25,
	};
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_QUALITY_TRACKED, &v), 0);
	ck_assert_int_eq(v.u.integer, 1);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_PT, &v), 0);
	ck_assert_int_eq(v.u.integer, 0);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_SSRC, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 0xdeadbeef);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_EXPECTED, &v), 0);
	ck_assert_uint_eq(v.type, ASN_COUNTER);
	ck_assert_uint_eq(v.u.unsigned32, 251);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_LOST, &v), 0);
	ck_assert_uint_eq(v.type, ASN_GAUGE);
	ck_assert_uint_eq(v.u.unsigned32, 20);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_JITTER_US, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 10125);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_REP_LOST, &v), 0);
	ck_assert_int_eq(v.u.integer, -1);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_REP_FRACTION_LOST, &v), 0);
	ck_assert_uint_eq(v.u.unsigned32, 25);
	ck_assert_int_eq(rtppa_stream_value(&row, &clk, RTPPA_ST_LAST + 1, &v), -1);
}
END_TEST

START_TEST(index_oids)
{
	oid o[4];

	ck_assert_uint_eq(rtppa_sb_index(o, 9), 1);
	ck_assert_uint_eq(o[0], 9);
	ck_assert_uint_eq(rtppa_sess_index(o, 9, 0), 2);
	ck_assert_uint_eq(o[1], 0);
	ck_assert_uint_eq(rtppa_stream_index(o, 9, 4, RTPP_SIDE_B, RTPP_STREAM_RTP), 4);
	ck_assert_uint_eq(o[0], 9);
	ck_assert_uint_eq(o[1], 4);
	ck_assert_uint_eq(o[2], 2);		/* b(2) */
	ck_assert_uint_eq(o[3], 1);		/* rtp(1) */
}
END_TEST

struct row {
	netsnmp_index idx;
	oid o[4];
};

static struct row *mkrow(uint32_t sb, uint32_t sess, unsigned int side,
			 unsigned int st)
{
	struct row *r = calloc(1, sizeof(*r));

	r->idx.oids = r->o;
	r->idx.len = rtppa_stream_index(r->o, sb, sess, side, st);
	return r;
}

static void free_row(void *row, void *ctx)
{
	(void)ctx;
	free(row);
}

/* Walks c by GETNEXT from start (NULL: the beginning); returns rows seen. */
static size_t walk(netsnmp_container *c, struct row **seen, size_t max)
{
	netsnmp_index *prev = NULL;
	size_t n = 0;

	for (;;) {
		struct row *r = prev ? CONTAINER_NEXT(c, prev) : CONTAINER_FIRST(c);

		if (!r || n == max)
			return n;
		seen[n++] = r;
		prev = &r->idx;
	}
}

START_TEST(container_walks_in_index_order)
{
	static const uint32_t sbs[] = { 10, 2 };
	netsnmp_container *c;
	struct row *seen[64];
	size_t n, i;
	uint32_t sb, sess;
	unsigned int side, st;

	netsnmp_container_init_list();
	c = netsnmp_container_find("rtppa:table_container");
	ck_assert_ptr_nonnull(c);
	/* inserted out of order: two switchboards, ids 10 and 2 (10 > 2 as
	 * numbers, "10" < "2" as text), sessions 1 and 0 */
	for (i = 0; i < 2; i++)
		for (sb = sbs[i], sess = 2; sess-- > 0;)
			for (side = 2; side-- > 0;)
				for (st = 2; st-- > 0;)
					ck_assert_int_eq(CONTAINER_INSERT(c, mkrow(sb, sess, side, st)), 0);
	n = walk(c, seen, 64);
	ck_assert_uint_eq(n, 16);
	for (i = 1; i < n; i++)
		ck_assert_int_lt(snmp_oid_compare(seen[i - 1]->o, 4, seen[i]->o, 4), 0);
	ck_assert_uint_eq(seen[0]->o[0], 2);
	ck_assert_uint_eq(seen[15]->o[0], 10);

	/* a GETNEXT from a row that went away continues after its index */
	{
		struct row *gone = seen[5];
		struct row key = *gone;
		struct row *next;

		key.idx.oids = key.o;
		CONTAINER_REMOVE(c, gone);
		next = CONTAINER_NEXT(c, &key.idx);
		ck_assert_ptr_eq(next, seen[6]);
		free(gone);
	}
	CONTAINER_CLEAR(c, free_row, NULL);
	CONTAINER_FREE(c);
}
END_TEST

static unsigned int acts;
static int act_result;
static uint32_t act_id;

static int fake_act(uint32_t id)
{
	acts++;
	act_id = id;
	return act_result;
}

static int step(int mode, long value, bool present)
{
	return rtppa_set_step(mode, ASN_INTEGER, sizeof(long), &value, present,
			      fake_act, 12);
}

START_TEST(set_checks_then_acts_once)
{
	static const int phases[] = {
		SNMP_MSG_INTERNAL_SET_RESERVE1, SNMP_MSG_INTERNAL_SET_RESERVE2,
		SNMP_MSG_INTERNAL_SET_ACTION, SNMP_MSG_INTERNAL_SET_COMMIT,
		SNMP_MSG_INTERNAL_SET_FREE,
	};
	long one = 1;
	bool doit;
	size_t i;

	ck_assert_int_eq(rtppa_reset_check(ASN_OCTET_STR, 1, &one, &doit), SNMP_ERR_WRONGTYPE);
	ck_assert_int_eq(rtppa_reset_check(ASN_INTEGER, 1, &one, &doit), SNMP_ERR_WRONGLENGTH);

	acts = 0;
	act_result = SNMP_ERR_NOERROR;
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		ck_assert_int_eq(step(phases[i], 1, true), SNMP_ERR_NOERROR);
	ck_assert_uint_eq(acts, 1);
	ck_assert_uint_eq(act_id, 12);

	/* false(2) is accepted and does nothing */
	acts = 0;
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		ck_assert_int_eq(step(phases[i], 2, true), SNMP_ERR_NOERROR);
	ck_assert_uint_eq(acts, 0);

	/* anything else is refused in RESERVE1, before any act */
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_RESERVE1, 3, true), SNMP_ERR_WRONGVALUE);
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_RESERVE1, 0, true), SNMP_ERR_WRONGVALUE);
	ck_assert_uint_eq(acts, 0);

	/* no module: refused in RESERVE2, still before any act */
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_RESERVE1, 1, false), SNMP_ERR_NOERROR);
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_RESERVE2, 1, false),
			 SNMP_ERR_RESOURCEUNAVAILABLE);
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_RESERVE2, 2, false), SNMP_ERR_NOERROR);
	ck_assert_uint_eq(acts, 0);

	/* the kernel's refusal in ACTION is the SET's answer */
	act_result = SNMP_ERR_COMMITFAILED;
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_ACTION, 1, true), SNMP_ERR_COMMITFAILED);
	ck_assert_uint_eq(acts, 1);

	/* cleared counters cannot be put back */
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_UNDO, 1, true), SNMP_ERR_UNDOFAILED);
	ck_assert_int_eq(step(SNMP_MSG_INTERNAL_SET_UNDO, 2, true), SNMP_ERR_NOERROR);
	ck_assert_uint_eq(acts, 1);
}
END_TEST

START_TEST(full_once_until_room)
{
	struct rtppa_fullset fs = { 0 };
	static const uint32_t left[] = { 4, 9 };

	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 4), RTPPA_NOTIFY_SB_FULL);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 4), 0);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 4), 0);
	/* another switchboard's events are its own */
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SESS_DESTROYED, 5), 0);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 5), RTPPA_NOTIFY_SB_FULL);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SESS_EXPIRED, 4), 0);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SESS_DESTROYED, 4),
			 RTPPA_NOTIFY_SB_NOT_FULL);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SESS_DESTROYED, 4), 0);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 4), RTPPA_NOTIFY_SB_FULL);

	/* a destroyed switchboard is forgotten without a notification */
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_DESTROYED, 5), 0);
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SESS_DESTROYED, 5), 0);

	/* after lost events: room found by listing says so once */
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 9), RTPPA_NOTIFY_SB_FULL);
	ck_assert_int_eq(rtppa_full_resync(&fs, 4, 0), 0);
	ck_assert_int_eq(rtppa_full_resync(&fs, 4, 3), RTPPA_NOTIFY_SB_NOT_FULL);
	ck_assert_int_eq(rtppa_full_resync(&fs, 4, 3), 0);
	ck_assert_int_eq(rtppa_full_resync(&fs, 7, 3), 0);	/* never full */

	/* switchboards a listing no longer shows are gone */
	ck_assert_int_eq(rtppa_full_event(&fs, RTPP_EVENT_SB_FULL, 4), RTPPA_NOTIFY_SB_FULL);
	ck_assert_uint_eq(fs.n, 2);
	rtppa_full_keep(&fs, left + 1, 1);
	ck_assert_uint_eq(fs.n, 1);
	ck_assert_uint_eq(fs.ids[0], 9);
	rtppa_full_keep(&fs, left, 2);
	ck_assert_uint_eq(fs.n, 1);
	rtppa_full_clear(&fs);
	ck_assert_uint_eq(fs.n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("agent_rows");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, timestamp_counts_back_from_uptime);
	tcase_add_test(tc, date_and_time_in_utc);
	tcase_add_test(tc, switchboard_columns);
	tcase_add_test(tc, stream_quality_columns);
	tcase_add_test(tc, loss_threshold_checks);
	tcase_add_test(tc, global_scalars);
	tcase_add_test(tc, session_and_stream_columns);
	tcase_add_test(tc, index_oids);
	tcase_add_test(tc, container_walks_in_index_order);
	tcase_add_test(tc, set_checks_then_acts_once);
	tcase_add_test(tc, full_once_until_room);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
