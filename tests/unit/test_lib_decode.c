// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of librtpproxy's message coding (lib/attr.c, lib/decode.c,
 * lib/encode.c, lib/names.c; the controller's in test_lib_ctrl.c): messages shaped as the kernel sends them are built with
 * libmnl and decoded; malformed ones must be refused with a message naming
 * the attribute; requests are encoded and their attributes named back.
 *
 * UNIT-SRCS: ../../lib/attr.c ../../lib/decode.c ../../lib/decode_ack.c ../../lib/encode.c ../../lib/names.c
 * UNIT-PKGS: libmnl
 */
#include <arpa/inet.h>
#include <errno.h>
#include <check.h>
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "../../lib/decode.h"
#include "../../lib/internal.h"

#define FAMILY 0x1d

static union {
	char b[16384];
	struct nlmsghdr align;
} buf;
static char err[256];

static struct nlmsghdr *msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf.b);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = FAMILY;
	g->cmd = cmd;
	g->version = XT_RTPPROXY_GENL_VERSION;
	return nlh;
}

/* As nla_put_u64_64bit() may: a PAD attribute first, to align the value. */
static void put_u64_pad(struct nlmsghdr *nlh, uint16_t pad, uint16_t type,
			uint64_t v)
{
	mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

static void put_states(struct nlmsghdr *nlh, uint16_t type, uint32_t base)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = RTPP_A_STATE_FREE; i <= RTPP_A_STATE_MAX; i++)
		mnl_attr_put_u32(nlh, i, base + i);
	mnl_attr_nest_end(nlh, n);
}

static void put_stats(struct nlmsghdr *nlh, uint16_t type, uint64_t base)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = RTPP_STAT_FIRST_PACKET; i <= RTPP_A_STAT_MAX; i++)
		if (i & 1)
			put_u64_pad(nlh, RTPP_A_STAT_PAD, i, base + i);
		else
			mnl_attr_put_u64(nlh, i, base + i);
	mnl_attr_nest_end(nlh, n);
}

static void check_stats(const uint64_t *stats, uint64_t base)
{
	unsigned int i;

	for (i = RTPP_STAT_FIRST_PACKET; i <= RTPP_A_STAT_MAX; i++)
		ck_assert_uint_eq(stats[RTPP_STAT_INDEX(i)], base + i);
}

static void check_states(const uint32_t *states, uint32_t base)
{
	ck_assert_uint_eq(states[RTPP_STATE_FREE], base + RTPP_A_STATE_FREE);
	ck_assert_uint_eq(states[RTPP_STATE_LEARNING], base + RTPP_A_STATE_LEARNING);
	ck_assert_uint_eq(states[RTPP_STATE_ACTIVE], base + RTPP_A_STATE_ACTIVE);
	ck_assert_uint_eq(states[RTPP_STATE_EXPIRED], base + RTPP_A_STATE_EXPIRED);
	ck_assert_uint_eq(states[RTPP_STATE_DESTROYED], base + RTPP_A_STATE_DESTROYED);
}

static void put_sb_name(struct nlmsghdr *nlh, uint32_t id)
{
	mnl_attr_put_u32(nlh, RTPP_A_SB_ID, id);
	mnl_attr_put_u32(nlh, RTPP_A_SB_ADDR_A, ip("10.0.0.1"));
	mnl_attr_put_u16(nlh, RTPP_A_SB_PORT_A, 50000);
	mnl_attr_put_u32(nlh, RTPP_A_SB_ADDR_B, ip("10.0.0.2"));
	mnl_attr_put_u16(nlh, RTPP_A_SB_PORT_B, 40000);
}

/* Quality totals, @k in each value; the worst jitter only when @jitter. */
static void put_qt(struct nlmsghdr *nlh, int type, uint64_t k, bool jitter)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, RTPP_A_QT_STREAMS, (uint32_t)k);
	put_u64_pad(nlh, RTPP_A_QT_PAD, RTPP_A_QT_EXPECTED, 1000 * k);
	put_u64_pad(nlh, RTPP_A_QT_PAD, RTPP_A_QT_LOST, 10 * k);
	put_u64_pad(nlh, RTPP_A_QT_PAD, RTPP_A_QT_OUT_OF_ORDER, 3 * k);
	put_u64_pad(nlh, RTPP_A_QT_PAD, RTPP_A_QT_DUPLICATES, 2 * k);
	put_u64_pad(nlh, RTPP_A_QT_PAD, RTPP_A_QT_NOT_RTP, k + (1ULL << 33));
	if (jitter)
		mnl_attr_put_u32(nlh, RTPP_A_QT_JITTER_US_MAX, 125 * (uint32_t)k);
	mnl_attr_nest_end(nlh, n);
}

static void check_qt(const struct rtpp_quality_totals *q, uint64_t k, bool jitter)
{
	ck_assert(q->has);
	ck_assert_uint_eq(q->streams, k);
	ck_assert_uint_eq(q->expected, 1000 * k);
	ck_assert_uint_eq(q->lost, 10 * k);
	ck_assert_uint_eq(q->out_of_order, 3 * k);
	ck_assert_uint_eq(q->duplicates, 2 * k);
	ck_assert_uint_eq(q->not_rtp, k + (1ULL << 33));
	ck_assert(q->has_jitter == jitter);
	ck_assert_uint_eq(q->jitter_us_max, jitter ? 125 * k : 0);
}

static void put_sb(struct nlmsghdr *nlh, uint32_t id, bool states)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, RTPP_A_SB);

	put_sb_name(nlh, id);
	mnl_attr_put_u32(nlh, RTPP_A_SB_MAX_SESS, 100);
	mnl_attr_put_u32(nlh, RTPP_A_SB_EXPIRES, 60);
	mnl_attr_put_u32(nlh, RTPP_A_SB_RESURRECTION, 5);
	mnl_attr_put_u32(nlh, RTPP_A_SB_RULES, 3);
	put_u64_pad(nlh, RTPP_A_SB_PAD, RTPP_A_SB_CREATED_MS, 1700000000123ULL);
	put_stats(nlh, RTPP_A_SB_STATS, 1000);
	if (states) {
		put_states(nlh, RTPP_A_SB_STATES, 10);
		put_qt(nlh, RTPP_A_SB_QUALITY, 4, id % 2);
	}
	mnl_attr_put_u64(nlh, RTPP_A_SB_DISCONT_MS, 1700000000456ULL);
	mnl_attr_put_u64(nlh, RTPP_A_SB_PKT_DISCONT_MS, 1700000000789ULL);
	mnl_attr_nest_end(nlh, n);
}

static void check_sb_name(uint32_t id, uint32_t addr_a, uint16_t port_a,
			  uint32_t addr_b, uint16_t port_b, uint32_t want_id)
{
	ck_assert_uint_eq(id, want_id);
	ck_assert_uint_eq(addr_a, ip("10.0.0.1"));
	ck_assert_uint_eq(port_a, 50000);
	ck_assert_uint_eq(addr_b, ip("10.0.0.2"));
	ck_assert_uint_eq(port_b, 40000);
}

/* Sessions built with a quality nest in every stream (test sess_quality). */
static bool with_quality;

/* An RTP stream's (k odd) or an RTCP stream's figures, k in each value;
 * and an attribute of a newer kernel, to be skipped. */
static void put_quality(struct nlmsghdr *nlh, unsigned int k)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, RTPP_A_STREAM_QUALITY);

	if (k & 1) {
		mnl_attr_put_u32(nlh, RTPP_A_Q_NOT_RTP, k);
		mnl_attr_put_u32(nlh, RTPP_A_Q_SSRC, 0xabc00000 + k);
		mnl_attr_put_u8(nlh, RTPP_A_Q_PT, 8);
		mnl_attr_put_u32(nlh, RTPP_A_Q_SSRC_CHANGES, 1);
		mnl_attr_put_u32(nlh, RTPP_A_Q_EXT_MAX_SEQ, 70000 + k);
		mnl_attr_put_u32(nlh, RTPP_A_Q_EXPECTED, 251);
		mnl_attr_put_u32(nlh, RTPP_A_Q_LOST, 20 + k);
		mnl_attr_put_u32(nlh, RTPP_A_Q_OUT_OF_ORDER, 5);
		mnl_attr_put_u32(nlh, RTPP_A_Q_DUPLICATES, 3);
		if (k == 1) {
			mnl_attr_put_u32(nlh, RTPP_A_Q_JITTER_TS, 79);
			mnl_attr_put_u32(nlh, RTPP_A_Q_JITTER_US, 9875);
			mnl_attr_put_u32(nlh, RTPP_A_Q_CLOCK_RATE, 8000);
		}
	} else {
		mnl_attr_put_u32(nlh, RTPP_A_Q_REPORTS, k);
		mnl_attr_put_u32(nlh, RTPP_A_Q_MALFORMED, 1);
		if (k == 4) {
			mnl_attr_put_u8(nlh, RTPP_A_Q_FRACTION_LOST, 25);
			mnl_attr_put_u32(nlh, RTPP_A_Q_CUM_LOST, (uint32_t)-1);
			mnl_attr_put_u32(nlh, RTPP_A_Q_RTCP_JITTER, 77);
		}
	}
	mnl_attr_put_u64(nlh, RTPP_A_Q_MAX + 7, 1);
	mnl_attr_nest_end(nlh, n);
}

/* Stream values: a function of side and stream, so each is told apart. */
static void put_stream(struct nlmsghdr *nlh, uint16_t type, unsigned int k,
		       bool idle)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, RTPP_A_STREAM_ADDR, htonl(0x0a010100 + k));
	mnl_attr_put_u16(nlh, RTPP_A_STREAM_PORT, 4000 + k);
	mnl_attr_put_u32(nlh, RTPP_A_STREAM_LEARNING_MS, 100 * k);
	mnl_attr_put_u16(nlh, RTPP_A_STREAM_GATE_PORT, 50000 + k);
	mnl_attr_put_u8(nlh, RTPP_A_STREAM_LEARNED, k & 1);
	put_u64_pad(nlh, RTPP_A_STREAM_PAD, RTPP_A_STREAM_PACKETS, 10 * k);
	mnl_attr_put_u64(nlh, RTPP_A_STREAM_BYTES, 1000 * k);
	mnl_attr_put_u64(nlh, RTPP_A_STREAM_ERRORS, k);
	if (idle)
		mnl_attr_put_u64(nlh, RTPP_A_STREAM_IDLE_MS, 7 * k);
	if (with_quality)
		put_quality(nlh, k);
	mnl_attr_nest_end(nlh, n);
}

static void put_side(struct nlmsghdr *nlh, uint16_t type, unsigned int side)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, RTPP_A_SIDE_ALWAYS_LEARN, side == RTPP_SIDE_B);
	put_stream(nlh, RTPP_A_SIDE_RTP, 2 * side + 1, true);
	put_stream(nlh, RTPP_A_SIDE_RTCP, 2 * side + 2, side == RTPP_SIDE_A);
	mnl_attr_nest_end(nlh, n);
}

static struct nlmsghdr *sess_msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = msg(cmd);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 9);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID, 42);
	put_u64_pad(nlh, RTPP_A_SESS_PAD, RTPP_A_SESS_CREATED_MS, 1700000001000ULL);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_STATE, RTPP_STATE_ACTIVE);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_EXPIRES, 30);
	mnl_attr_put_u64(nlh, RTPP_A_SESS_IDLE_MS, 1234);
	put_side(nlh, RTPP_A_SESS_SIDE_A, RTPP_SIDE_A);
	put_side(nlh, RTPP_A_SESS_SIDE_B, RTPP_SIDE_B);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

/* --- replies ------------------------------------------------------------- */

START_TEST(info)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_INFO);
	struct rtpp_info in;

	mnl_attr_put_u32(nlh, RTPP_A_VERSION, 1);
	put_u64_pad(nlh, RTPP_A_PAD, RTPP_A_UPTIME_MS, 123456789ULL);
	mnl_attr_put_u32(nlh, RTPP_A_SB_COUNT, 4);
	put_states(nlh, RTPP_A_SESS_STATES, 100);
	put_stats(nlh, RTPP_A_STATS, 1ULL << 40);
	put_u64_pad(nlh, RTPP_A_PAD, RTPP_A_DISCONT_MS, 1700000000999ULL);
	put_qt(nlh, RTPP_A_QUALITY, 12, true);
	ck_assert_int_eq(rtpp_decode_info(nlh, &in, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	check_qt(&in.quality, 12, true);
	ck_assert_uint_eq(in.version, 1);
	ck_assert_uint_eq(in.uptime_ms, 123456789ULL);
	ck_assert_uint_eq(in.sb_count, 4);
	ck_assert_uint_eq(in.discont_ms, 1700000000999ULL);
	check_states(in.states, 100);
	check_stats(in.stats, 1ULL << 40);

	/* a kernel without it (older): 0, and the rest as sent */
	nlh = msg(RTPP_CMD_GET_INFO);
	mnl_attr_put_u32(nlh, RTPP_A_VERSION, 1);
	mnl_attr_put_u32(nlh, RTPP_A_SB_COUNT, 2);
	ck_assert_int_eq(rtpp_decode_info(nlh, &in, err, sizeof(err)), 0);
	ck_assert_uint_eq(in.discont_ms, 0);
	ck_assert_uint_eq(in.sb_count, 2);
	ck_assert(!in.quality.has);

	/* the wrong size is named */
	nlh = msg(RTPP_CMD_GET_INFO);
	mnl_attr_put_u32(nlh, RTPP_A_VERSION, 1);
	mnl_attr_put_u32(nlh, RTPP_A_DISCONT_MS, 5);
	ck_assert_int_eq(rtpp_decode_info(nlh, &in, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_str_eq(err, "malformed reply: attribute DISCONT_MS has 4 bytes, expected 8 bytes");
}
END_TEST

START_TEST(sb)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SB);
	struct rtpp_sb sb;

	put_sb(nlh, 7, true);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), 0);
	check_sb_name(sb.id, sb.addr_a, sb.port_a, sb.addr_b, sb.port_b, 7);
	ck_assert_uint_eq(sb.max_sess, 100);
	ck_assert_uint_eq(sb.expires, 60);
	ck_assert_uint_eq(sb.resurrection, 5);
	ck_assert_uint_eq(sb.rules, 3);
	ck_assert_uint_eq(sb.created_ms, 1700000000123ULL);
	ck_assert_uint_eq(sb.discont_ms, 1700000000456ULL);
	ck_assert_uint_eq(sb.pkt_discont_ms, 1700000000789ULL);
	check_stats(sb.stats, 1000);
	ck_assert(sb.has_states);
	check_states(sb.states, 10);
	check_qt(&sb.quality, 4, true);		/* odd id: with jitter */

	nlh = msg(RTPP_CMD_GET_SB);
	put_sb(nlh, 6, true);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), 0);
	check_qt(&sb.quality, 4, false);

	nlh = msg(RTPP_CMD_GET_SB);
	put_sb(nlh, 8, false);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), 0);
	ck_assert_uint_eq(sb.id, 8);
	ck_assert(!sb.has_states);
	ck_assert(!sb.quality.has);
	ck_assert_uint_eq(sb.states[RTPP_STATE_FREE], 0);
}
END_TEST

START_TEST(sess)
{
	struct nlmsghdr *nlh = sess_msg(RTPP_CMD_GET_SESS);
	struct rtpp_sess s;
	unsigned int side, st;

	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	check_sb_name(s.sb.id, s.sb.addr_a, s.sb.port_a, s.sb.addr_b, s.sb.port_b, 9);
	ck_assert_uint_eq(s.id, 42);
	ck_assert_uint_eq(s.created_ms, 1700000001000ULL);
	ck_assert_uint_eq(s.state, RTPP_STATE_ACTIVE);
	ck_assert_uint_eq(s.expires, 30);
	ck_assert_uint_eq(s.idle_ms, 1234);
	ck_assert(!s.side[RTPP_SIDE_A].always_learn);
	ck_assert(s.side[RTPP_SIDE_B].always_learn);
	for (side = 0; side < RTPP_SIDES; side++)
		for (st = 0; st < RTPP_STREAMS; st++) {
			const struct rtpp_stream *x = &s.side[side].stream[st];
			unsigned int k = 2 * side + st + 1;

			ck_assert_uint_eq(x->addr, htonl(0x0a010100 + k));
			ck_assert_uint_eq(x->port, 4000 + k);
			ck_assert_uint_eq(x->learning_ms, 100 * k);
			ck_assert_uint_eq(x->gate_port, 50000 + k);
			ck_assert_int_eq(x->learned, k & 1);
			ck_assert_uint_eq(x->packets, 10 * k);
			ck_assert_uint_eq(x->bytes, 1000 * k);
			ck_assert_uint_eq(x->errors, k);
			/* B's RTCP stream has had no packet */
			ck_assert_int_eq(x->has_idle, side == RTPP_SIDE_A ||
						      st == RTPP_STREAM_RTP);
			ck_assert_uint_eq(x->idle_ms, x->has_idle ? 7 * k : 0);
		}
	/* an ALLOC reply is the same message */
	nlh = sess_msg(RTPP_CMD_ALLOC);
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].gate_port, 50004);
}
END_TEST

START_TEST(sess_quality)
{
	const struct rtpp_stream_quality *q;
	struct nlmsghdr *nlh;
	struct rtpp_sess s;

	/* Without the nest (a kernel before it, or quality off): none. */
	nlh = sess_msg(RTPP_CMD_GET_SESS);
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), 0);
	ck_assert(!s.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].q.has);
	with_quality = true;
	nlh = sess_msg(RTPP_CMD_GET_SESS);
	with_quality = false;
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	q = &s.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].q;
	ck_assert(q->has && q->has_ssrc && q->has_jitter && !q->has_report);
	ck_assert_uint_eq(q->not_rtp, 1);
	ck_assert_uint_eq(q->ssrc, 0xabc00001);
	ck_assert_uint_eq(q->pt, 8);
	ck_assert_uint_eq(q->ext_max_seq, 70001);
	ck_assert_uint_eq(q->expected, 251);
	ck_assert_uint_eq(q->lost, 21);
	ck_assert_uint_eq(q->out_of_order, 5);
	ck_assert_uint_eq(q->duplicates, 3);
	ck_assert_uint_eq(q->jitter_ts, 79);
	ck_assert_uint_eq(q->jitter_us, 9875);
	ck_assert_uint_eq(q->clock_rate, 8000);
	q = &s.side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP].q;
	ck_assert(q->has && !q->has_jitter);
	ck_assert_uint_eq(q->lost, 23);
	q = &s.side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].q;
	ck_assert(q->has && q->has_report && !q->has_ssrc);
	ck_assert_uint_eq(q->reports, 4);
	ck_assert_uint_eq(q->malformed, 1);
	ck_assert_uint_eq(q->fraction_lost, 25);
	ck_assert_int_eq(q->cum_lost, -1);
	ck_assert_uint_eq(q->rtcp_jitter, 77);
	q = &s.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTCP].q;
	ck_assert(q->has && !q->has_report);
	ck_assert_uint_eq(q->reports, 2);
}
END_TEST

/* What the kernel leaves out is 0, whatever the caller's struct held. */
START_TEST(sess_minimal)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SESS);
	struct rtpp_sess s, zero;
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 5);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID, 11);
	mnl_attr_nest_end(nlh, n);
	memset(&s, 0xff, sizeof(s));
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), 0);
	check_sb_name(s.sb.id, s.sb.addr_a, s.sb.port_a, s.sb.addr_b, s.sb.port_b, 5);
	ck_assert_uint_eq(s.id, 11);
	memset(&zero, 0, sizeof(zero));
	zero.sb = s.sb;
	zero.id = 11;
	ck_assert(!memcmp(&s, &zero, sizeof(s)));
}
END_TEST

START_TEST(count)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_DELETE);
	unsigned int n = 0;

	mnl_attr_put_u32(nlh, RTPP_A_COUNT, 17);
	ck_assert_int_eq(rtpp_decode_count(nlh, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 17);

	nlh = msg(RTPP_CMD_UPDATE);
	ck_assert_int_eq(rtpp_decode_count(nlh, &n, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_ptr_nonnull(strstr(err, "COUNT"));
}
END_TEST

START_TEST(reset_global)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_RESET);
	struct rtpp_stats g;

	put_stats(nlh, RTPP_A_STATS, 5);
	ck_assert_int_eq(rtpp_decode_reset(nlh, &g, NULL, NULL, err, sizeof(err)), 0);
	check_stats(g.stats, 5);
	/* the caller may not want them */
	ck_assert_int_eq(rtpp_decode_reset(nlh, NULL, NULL, NULL, err, sizeof(err)), 0);
}
END_TEST

struct seen {
	unsigned int n;
	uint32_t ids[4];
	int stop_at;
};

static int reset_cb(const struct rtpp_sb *sb, void *arg)
{
	struct seen *s = arg;

	check_sb_name(sb->id, sb->addr_a, sb->port_a, sb->addr_b, sb->port_b,
		      sb->id);
	check_stats(sb->stats, 1000);
	s->ids[s->n++] = sb->id;
	return s->n == (unsigned int)s->stop_at ? 99 : 0;
}

START_TEST(reset_sb)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_RESET);
	struct seen s = { 0 };
	struct nlattr *n;
	uint32_t id;

	for (id = 3; id <= 5; id++) {
		n = mnl_attr_nest_start(nlh, RTPP_A_SB);
		put_sb_name(nlh, id);
		put_stats(nlh, RTPP_A_SB_STATS, 1000);
		mnl_attr_nest_end(nlh, n);
	}
	ck_assert_int_eq(rtpp_decode_reset(nlh, NULL, reset_cb, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.ids[0], 3);
	ck_assert_uint_eq(s.ids[2], 5);
	/* a callback that stops: its value comes back */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ck_assert_int_eq(rtpp_decode_reset(nlh, NULL, reset_cb, &s, err, sizeof(err)), 99);
	ck_assert_uint_eq(s.n, 2);
	/* no switchboard at all: an empty reply */
	memset(&s, 0, sizeof(s));
	nlh = msg(RTPP_CMD_RESET);
	ck_assert_int_eq(rtpp_decode_reset(nlh, NULL, reset_cb, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(event)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_EVENT);
	struct rtpp_event_msg ev;
	struct nlattr *n;

	mnl_attr_put_u32(nlh, RTPP_A_EVENT, RTPP_EVENT_SESS_EXPIRED);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 12);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID, 6);
	put_u64_pad(nlh, RTPP_A_SESS_PAD, RTPP_A_SESS_CREATED_MS, 99);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_event(nlh, &ev, err, sizeof(err)), 0);
	ck_assert_uint_eq(ev.event, RTPP_EVENT_SESS_EXPIRED);
	check_sb_name(ev.sb.id, ev.sb.addr_a, ev.sb.port_a, ev.sb.addr_b,
		      ev.sb.port_b, 12);
	ck_assert(ev.has_sess);
	ck_assert_uint_eq(ev.sess_id, 6);
	ck_assert_uint_eq(ev.sess_created_ms, 99);

	nlh = msg(RTPP_CMD_EVENT);
	mnl_attr_put_u32(nlh, RTPP_A_EVENT, RTPP_EVENT_SB_FULL);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 13);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_event(nlh, &ev, err, sizeof(err)), 0);
	ck_assert_uint_eq(ev.event, RTPP_EVENT_SB_FULL);
	ck_assert_uint_eq(ev.sb.id, 13);
	ck_assert(!ev.has_sess);

	nlh = msg(RTPP_CMD_EVENT);
	ck_assert_int_eq(rtpp_decode_event(nlh, &ev, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_ptr_nonnull(strstr(err, "EVENT"));
}
END_TEST

/* --- malformed replies ------------------------------------------------------ */

START_TEST(wrong_length)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SB);
	struct nlattr *n, *s;
	struct rtpp_sb sb;

	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 1);
	s = mnl_attr_nest_start(nlh, RTPP_A_SB_STATS);
	mnl_attr_put_u32(nlh, RTPP_A_STAT_BYTES, 5);	/* a u64 sent as u32 */
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SB/STATS") && strstr(err, "BYTES") &&
		      strstr(err, "4 bytes") && strstr(err, "8 bytes"), "%s", err);

	nlh = msg(RTPP_CMD_GET_SB);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	mnl_attr_put_u32(nlh, RTPP_A_SB_ID, 1);
	mnl_attr_put_u32(nlh, RTPP_A_SB_PORT_A, 50000);	/* u16 as u32 */
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "PORT_A"), "%s", err);
}
END_TEST

START_TEST(wrong_length_deep)
{
	struct nlmsghdr *nlh = sess_msg(RTPP_CMD_GET_SESS);
	struct nlattr *n, *side, *st;
	struct rtpp_sess s;

	nlh = msg(RTPP_CMD_GET_SESS);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 1);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID, 1);
	side = mnl_attr_nest_start(nlh, RTPP_A_SESS_SIDE_B);
	st = mnl_attr_nest_start(nlh, RTPP_A_SIDE_RTCP);
	mnl_attr_put_u32(nlh, RTPP_A_STREAM_LEARNED, 1);	/* u8 as u32 */
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, side);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SESS/SIDE_B/RTCP") && strstr(err, "LEARNED"),
		      "%s", err);
}
END_TEST

START_TEST(missing_required)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;
	struct rtpp_sess s;
	struct rtpp_sb sb;
	struct rtpp_info in;

	nlh = msg(RTPP_CMD_GET_SB);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	mnl_attr_put_u32(nlh, RTPP_A_SB_MAX_SESS, 1);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SB") && strstr(err, "ID"), "%s", err);

	nlh = msg(RTPP_CMD_GET_SB);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SB"), "%s", err);

	nlh = msg(RTPP_CMD_GET_SESS);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 1);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SESS"), "%s", err);

	nlh = msg(RTPP_CMD_GET_SESS);
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 1);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_STATE, 1);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sess_msg(nlh, &s, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SESS") && strstr(err, "ID"), "%s", err);

	nlh = msg(RTPP_CMD_GET_INFO);
	ck_assert_int_eq(rtpp_decode_info(nlh, &in, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "VERSION"), "%s", err);
}
END_TEST

START_TEST(truncated)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SB);
	struct nlattr *n;
	struct rtpp_sb sb;

	put_sb(nlh, 1, true);
	/* a nest claiming more than the message holds */
	n = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	n->nla_len += 64;
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "SB"), "%s", err);

	/* an attribute shorter than its header */
	nlh = msg(RTPP_CMD_GET_SB);
	put_sb(nlh, 1, true);
	n = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	n = mnl_attr_get_payload(n);
	n->nla_len = 2;
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);

	/* no room for the genetlink header */
	nlh = mnl_nlmsg_put_header(buf.b);
	nlh->nlmsg_type = FAMILY;
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err, "short"), "%s", err);

	/* stray bytes after the attributes */
	nlh = msg(RTPP_CMD_GET_SB);
	put_sb(nlh, 1, true);
	nlh->nlmsg_len += 4;
	memset((char *)nlh + nlh->nlmsg_len - 4, 0, 4);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), RTPP_ERR_PROTO);
}
END_TEST

/*
 * A message claiming 2 GB or more in a datagram of a few bytes: libmnl's
 * mnl_nlmsg_ok() takes it (it compares nlmsg_len as a signed int), which
 * let the decoders read past the datagram (found by tests/fuzz/fuzz_decode);
 * the library walks datagrams with rtpp_nlmsg_ok(), which refuses it.
 */
START_TEST(datagram_overclaimed)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SB);
	int len;

	put_sb(nlh, 1, true);
	len = nlh->nlmsg_len;
	ck_assert(rtpp_nlmsg_ok(nlh, len));
	ck_assert(!rtpp_nlmsg_ok(nlh, len - 1));
	nlh->nlmsg_len = 0xecececec;
	ck_assert(mnl_nlmsg_ok(nlh, len));	/* what was wrong */
	ck_assert(!rtpp_nlmsg_ok(nlh, len));
	nlh->nlmsg_len = 0x80000000u;
	ck_assert(!rtpp_nlmsg_ok(nlh, len));
	nlh->nlmsg_len = 8;
	ck_assert(!rtpp_nlmsg_ok(nlh, len));
	nlh->nlmsg_len = sizeof(*nlh);
	ck_assert(!rtpp_nlmsg_ok(nlh, sizeof(*nlh) - 1));
	ck_assert(rtpp_nlmsg_ok(nlh, sizeof(*nlh)));
}
END_TEST

START_TEST(unknown_attributes_skipped)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SB);
	struct nlattr *n;
	struct rtpp_sb sb;

	mnl_attr_put_u64(nlh, RTPP_A_MAX + 5, 1);		/* newer kernel */
	n = mnl_attr_nest_start(nlh, RTPP_A_SB);
	put_sb_name(nlh, 21);
	mnl_attr_put_u8(nlh, RTPP_A_SB_MAX + 1, 1);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), 0);
	ck_assert_uint_eq(sb.id, 21);
	/* and no message is needed to decode */
	ck_assert_int_eq(rtpp_decode_sb_msg(nlh, &sb, NULL, 0), 0);
}
END_TEST

/* --- requests ------------------------------------------------------------- */

static const struct nlattr *find(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *find_top(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static unsigned int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	unsigned int n = 0;

	mnl_attr_for_each_nested(a, nest)
		n++;
	return n;
}

START_TEST(encode_spec)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_GET_SESS);
	struct rtpp_sb_spec spec = {
		.has_addr_a = true, .addr_a = ip("1.2.3.4"),
		.has_port_a = true, .port_a = 50000,
	};
	const struct nlattr *sb;

	rtpp_put_sb_spec(nlh, &spec);
	rtpp_put_range(nlh, 3, 9);
	sb = find_top(nlh, RTPP_A_SB);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(count_nested(sb), 2);
	ck_assert_uint_eq(mnl_attr_get_u32(find(sb, RTPP_A_SB_ADDR_A)), ip("1.2.3.4"));
	ck_assert_uint_eq(mnl_attr_get_payload_len(find(sb, RTPP_A_SB_PORT_A)), 2);
	ck_assert_uint_eq(mnl_attr_get_u16(find(sb, RTPP_A_SB_PORT_A)), 50000);
	ck_assert_uint_eq(mnl_attr_get_u32(find_top(nlh, RTPP_A_SESS_ID_LO)), 3);
	ck_assert_uint_eq(mnl_attr_get_u32(find_top(nlh, RTPP_A_SESS_ID_HI)), 9);

	/* "to the end" is sent as the largest id, which the kernel accepts */
	nlh = msg(RTPP_CMD_DELETE);
	rtpp_put_range(nlh, 5, UINT32_MAX);
	ck_assert_uint_eq(mnl_attr_get_u32(find_top(nlh, RTPP_A_SESS_ID_LO)), 5);
	ck_assert_uint_eq(mnl_attr_get_u32(find_top(nlh, RTPP_A_SESS_ID_HI)),
			  XT_RTPPROXY_MAX_SESS - 1);

	nlh = msg(RTPP_CMD_GET_SB);
	memset(&spec, 0, sizeof(spec));
	spec.has_id = true;
	spec.id = 77;
	rtpp_put_sb_spec(nlh, &spec);
	sb = find_top(nlh, RTPP_A_SB);
	ck_assert_uint_eq(count_nested(sb), 1);
	ck_assert_uint_eq(mnl_attr_get_u32(find(sb, RTPP_A_SB_ID)), 77);
}
END_TEST

/* Only what is given is sent: UPDATE must not change anything else. */
START_TEST(encode_params_given)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_UPDATE);
	struct rtpp_sess_params p = { 0 };
	const struct nlattr *sess, *side, *st;

	p.side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].has_port = true;
	p.side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].port = 7001;
	rtpp_put_sess_params(nlh, &p);
	sess = find_top(nlh, RTPP_A_SESS);
	ck_assert_ptr_nonnull(sess);
	ck_assert_uint_eq(count_nested(sess), 1);
	side = find(sess, RTPP_A_SESS_SIDE_B);
	ck_assert_ptr_nonnull(side);
	ck_assert_uint_eq(count_nested(side), 1);
	st = find(side, RTPP_A_SIDE_RTCP);
	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(count_nested(st), 1);
	ck_assert_uint_eq(mnl_attr_get_u16(find(st, RTPP_A_STREAM_PORT)), 7001);

	/* nothing given: an empty SESS nest */
	nlh = msg(RTPP_CMD_ALLOC);
	memset(&p, 0, sizeof(p));
	rtpp_put_sess_params(nlh, &p);
	sess = find_top(nlh, RTPP_A_SESS);
	ck_assert_uint_eq(count_nested(sess), 0);

	/* always-learn off is sent, as a u8 */
	nlh = msg(RTPP_CMD_UPDATE);
	p.side[RTPP_SIDE_A].has_always_learn = true;
	p.has_expires = true;
	p.expires = 30;
	rtpp_put_sess_params(nlh, &p);
	sess = find_top(nlh, RTPP_A_SESS);
	ck_assert_uint_eq(count_nested(sess), 2);
	ck_assert_uint_eq(mnl_attr_get_u32(find(sess, RTPP_A_SESS_EXPIRES)), 30);
	side = find(sess, RTPP_A_SESS_SIDE_A);
	ck_assert_uint_eq(count_nested(side), 1);
	st = find(side, RTPP_A_SIDE_ALWAYS_LEARN);
	ck_assert_uint_eq(mnl_attr_get_payload_len(st), 1);
	ck_assert_uint_eq(mnl_attr_get_u8(st), 0);
}
END_TEST

START_TEST(encode_params_all)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_ALLOC);
	struct rtpp_sess_params p = { 0 };
	const struct nlattr *sess, *side, *st;
	unsigned int i, j;

	for (i = 0; i < RTPP_SIDES; i++) {
		p.side[i].has_always_learn = true;
		p.side[i].always_learn = true;
		for (j = 0; j < RTPP_STREAMS; j++) {
			struct rtpp_stream_params *s = &p.side[i].stream[j];

			s->has_addr = s->has_port = s->has_learning = true;
			s->addr = htonl(0x0a000000 + 10 * i + j);
			s->port = 1000 + 10 * i + j;
			s->learning_ms = 500 + 10 * i + j;
		}
	}
	rtpp_put_sess_params(nlh, &p);
	sess = find_top(nlh, RTPP_A_SESS);
	for (i = 0; i < RTPP_SIDES; i++) {
		side = find(sess, i ? RTPP_A_SESS_SIDE_B : RTPP_A_SESS_SIDE_A);
		ck_assert_uint_eq(mnl_attr_get_u8(find(side, RTPP_A_SIDE_ALWAYS_LEARN)), 1);
		for (j = 0; j < RTPP_STREAMS; j++) {
			st = find(side, j ? RTPP_A_SIDE_RTCP : RTPP_A_SIDE_RTP);
			ck_assert_uint_eq(mnl_attr_get_u32(find(st, RTPP_A_STREAM_ADDR)),
					  htonl(0x0a000000 + 10 * i + j));
			ck_assert_uint_eq(mnl_attr_get_u16(find(st, RTPP_A_STREAM_PORT)),
					  1000 + 10 * i + j);
			ck_assert_uint_eq(mnl_attr_get_u32(find(st, RTPP_A_STREAM_LEARNING_MS)),
					  500 + 10 * i + j);
		}
	}
	ck_assert_uint_le(nlh->nlmsg_len, RTPP_TX_SIZE);
}
END_TEST

/* The kernel's NLMSGERR_ATTR_OFFS / MISS_NEST point into the request. */
START_TEST(attr_path)
{
	struct nlmsghdr *nlh = msg(RTPP_CMD_ALLOC);
	struct rtpp_sb_spec spec = {
		.has_addr_a = true, .addr_a = ip("1.2.3.4"),
		.has_port_a = true, .port_a = 50000,
	};
	struct rtpp_sess_params p = { 0 };
	const struct nlattr *sess, *side, *st, *port, *sb;
	char path[96];

	p.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_addr = true;
	p.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].has_port = true;
	p.side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP].port = 3;
	rtpp_put_sb_spec(nlh, &spec);
	rtpp_put_sess_params(nlh, &p);
	sb = find_top(nlh, RTPP_A_SB);
	sess = find_top(nlh, RTPP_A_SESS);
	side = find(sess, RTPP_A_SESS_SIDE_A);
	st = find(side, RTPP_A_SIDE_RTP);
	port = find(st, RTPP_A_STREAM_PORT);

	ck_assert(rtpp_attr_path(nlh, (const char *)port - (const char *)nlh,
				 path, sizeof(path)));
	ck_assert_str_eq(path, "SESS/SIDE_A/RTP/PORT");
	ck_assert(rtpp_attr_path(nlh, (const char *)sess - (const char *)nlh,
				 path, sizeof(path)));
	ck_assert_str_eq(path, "SESS");
	ck_assert(rtpp_attr_path(nlh, (const char *)find(sb, RTPP_A_SB_PORT_A) -
				 (const char *)nlh, path, sizeof(path)));
	ck_assert_str_eq(path, "SB/PORT_A");
	/* offsets that are no attribute's start */
	ck_assert(!rtpp_attr_path(nlh, 3, path, sizeof(path)));
	ck_assert(!rtpp_attr_path(nlh, nlh->nlmsg_len + 8, path, sizeof(path)));
	ck_assert(!rtpp_attr_path(nlh, (const char *)port - (const char *)nlh + 2,
				  path, sizeof(path)));

	ck_assert(rtpp_missing_path(nlh, (const char *)sb - (const char *)nlh,
				    RTPP_A_SB_PORT_B, path, sizeof(path)));
	ck_assert_str_eq(path, "SB/PORT_B");
	ck_assert(rtpp_missing_path(nlh, 0, RTPP_A_SB, path, sizeof(path)));
	ck_assert_str_eq(path, "SB");
	ck_assert(rtpp_missing_path(nlh, (const char *)st - (const char *)nlh,
				    RTPP_A_STREAM_LEARNING_MS, path, sizeof(path)));
	ck_assert_str_eq(path, "SESS/SIDE_A/RTP/LEARNING_MS");
	ck_assert(!rtpp_missing_path(nlh, (const char *)port - (const char *)nlh,
				     1, path, sizeof(path)));
}
END_TEST

/* --- names ------------------------------------------------------------------ */

/* The acknowledgement or NLMSG_DONE that ends a reply (decode_ack.c). */
START_TEST(end_of_reply)
{
	struct nlmsghdr *req = msg(RTPP_CMD_ALLOC), *nlh;
	struct rtpp_sb_spec spec = {
		.has_addr_a = true, .addr_a = ip("1.2.3.4"),
		.has_port_a = true, .port_a = 50000,
	};
	static union {
		char b[1024];
		struct nlmsghdr align;
	} ackbuf;
	struct nlmsgerr *e;
	char ext[128], err2[64];
	int *done;

	rtpp_put_sb_spec(req, &spec);
	/* an ack, capped, with a message and the offset of SB/PORT_A */
	nlh = mnl_nlmsg_put_header(ackbuf.b);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EINVAL;
	e->msg = *req;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "xt_RTPPROXY: bad port");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS,
			 (const char *)find(find_top(req, RTPP_A_SB), RTPP_A_SB_PORT_A) -
			 (const char *)req);
	ck_assert_int_eq(rtpp_decode_end(req, nlh, ext, sizeof(ext), err2,
					 sizeof(err2)), -EINVAL);
	ck_assert_str_eq(ext, "bad port (SB/PORT_A)");

	/* a missing attribute, no message */
	nlh = mnl_nlmsg_put_header(ackbuf.b);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EINVAL;
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, RTPP_A_SESS);
	ck_assert_int_eq(rtpp_decode_end(req, nlh, ext, sizeof(ext), err2,
					 sizeof(err2)), -EINVAL);
	ck_assert_str_eq(ext, "invalid attribute (missing SESS)");

	/* success, nothing more; then one too short for its error code */
	nlh = mnl_nlmsg_put_header(ackbuf.b);
	nlh->nlmsg_type = NLMSG_ERROR;
	mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	ck_assert_int_eq(rtpp_decode_end(req, nlh, ext, sizeof(ext), err2,
					 sizeof(err2)), 0);
	ck_assert_str_eq(ext, "");
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	ck_assert_int_eq(rtpp_decode_end(req, nlh, ext, sizeof(ext), err2,
					 sizeof(err2)), RTPP_ERR_PROTO);
	ck_assert_msg(strstr(err2, "truncated"), "%s", err2);

	/* the end of a dump that failed, with the kernel's message */
	nlh = mnl_nlmsg_put_header(ackbuf.b);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	done = mnl_nlmsg_put_extra_header(nlh, sizeof(*done));
	*done = -EPROTO;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "version mismatch");
	ck_assert_int_eq(rtpp_decode_end(req, nlh, ext, sizeof(ext), err2,
					 sizeof(err2)), -EPROTO);
	ck_assert_str_eq(ext, "version mismatch");
}
END_TEST

START_TEST(names)
{
	unsigned int i, j;

	for (i = 0; i < RTPP_STAT_COUNT; i++) {
		ck_assert_str_ne(rtpp_stat_name(i), "unknown");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(rtpp_stat_name(i), rtpp_stat_name(j));
	}
	ck_assert_str_eq(rtpp_stat_name(RTPP_STAT_INDEX(RTPP_A_STAT_PACKETS)), "packets");
	ck_assert_str_eq(rtpp_stat_name(RTPP_STAT_INDEX(RTPP_A_STAT_DELETES)), "deletes");
	ck_assert_str_eq(rtpp_stat_name(RTPP_STAT_INDEX(RTPP_A_STAT_DROP_BAD_SOURCE)),
			 "drop_bad_source");
	ck_assert_str_eq(rtpp_stat_name(RTPP_STAT_INDEX(RTPP_A_STAT_DROP_TTL)), "drop_ttl");
	/* every counter is cleared by exactly one switchboard reset */
	for (i = 0; i < RTPP_STAT_COUNT; i++)
		ck_assert_int_ne(RTPP_STAT_IN(RTPP_STAT_PACKET_MASK, i),
				 RTPP_STAT_IN(RTPP_STAT_SESS_MASK, i));
	ck_assert(RTPP_STAT_IN(RTPP_STAT_PACKET_MASK,
			       RTPP_STAT_INDEX(RTPP_A_STAT_DROP_BAD_SOURCE)));
	ck_assert(RTPP_STAT_IN(RTPP_STAT_PACKET_MASK, RTPP_STAT_INDEX(RTPP_A_STAT_DROP_TTL)));
	ck_assert(RTPP_STAT_IN(RTPP_STAT_SESS_MASK, RTPP_STAT_INDEX(RTPP_A_STAT_DELETES)));
	ck_assert_str_eq(rtpp_stat_name(RTPP_STAT_COUNT), "unknown");
	for (i = 0; i < RTPP_STATES; i++)
		ck_assert_str_ne(rtpp_state_name(i), "unknown");
	ck_assert_str_eq(rtpp_state_name(RTPP_STATE_LEARNING), "learning");
	ck_assert_str_eq(rtpp_state_name(RTPP_STATES), "unknown");
	ck_assert_str_eq(rtpp_event_name(RTPP_EVENT_SB_FULL), "switchboard-full");
	ck_assert_str_eq(rtpp_event_name(0), "unknown");
	ck_assert_str_eq(rtpp_event_name(1000), "unknown");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lib_decode");
	TCase *tc = tcase_create("replies");
	TCase *bad = tcase_create("malformed");
	TCase *req = tcase_create("requests");

	tcase_add_test(tc, info);
	tcase_add_test(tc, sb);
	tcase_add_test(tc, sess);
	tcase_add_test(tc, sess_minimal);
	tcase_add_test(tc, sess_quality);
	tcase_add_test(tc, count);
	tcase_add_test(tc, reset_global);
	tcase_add_test(tc, reset_sb);
	tcase_add_test(tc, event);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	tcase_add_test(bad, wrong_length);
	tcase_add_test(bad, wrong_length_deep);
	tcase_add_test(bad, missing_required);
	tcase_add_test(bad, truncated);
	tcase_add_test(bad, datagram_overclaimed);
	tcase_add_test(bad, unknown_attributes_skipped);
	suite_add_tcase(s, bad);
	tcase_add_test(req, encode_spec);
	tcase_add_test(req, encode_params_given);
	tcase_add_test(req, encode_params_all);
	tcase_add_test(req, attr_path);
	tcase_add_test(req, end_of_reply);
	suite_add_tcase(s, req);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
