// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: decoding replies and events, and naming attributes.
 *
 * Every attribute space of xt_RTPPROXY.h is described once below (type
 * and name of each attribute, and the space of each nest); attr.c walks
 * messages along these tables.
 */
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "attr.h"
#include "decode.h"

static const struct attr_desc stat_attrs[RTPP_A_STAT_MAX + 1] = {
	[RTPP_A_STAT_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_STAT_PACKETS]		= AD(U64, "PACKETS"),
	[RTPP_A_STAT_BYTES]		= AD(U64, "BYTES"),
	[RTPP_A_STAT_DROP_MALFORMED]	= AD(U64, "DROP_MALFORMED"),
	[RTPP_A_STAT_DROP_FRAGMENT]	= AD(U64, "DROP_FRAGMENT"),
	[RTPP_A_STAT_DROP_CSUM]		= AD(U64, "DROP_CSUM"),
	[RTPP_A_STAT_DROP_SOURCE]	= AD(U64, "DROP_SOURCE"),
	[RTPP_A_STAT_DROP_NO_PEER]	= AD(U64, "DROP_NO_PEER"),
	[RTPP_A_STAT_DROP_EXPIRED]	= AD(U64, "DROP_EXPIRED"),
	[RTPP_A_STAT_DROP_DESTROYED]	= AD(U64, "DROP_DESTROYED"),
	[RTPP_A_STAT_DROP_ROUTE]	= AD(U64, "DROP_ROUTE"),
	[RTPP_A_STAT_ALLOCS]		= AD(U64, "ALLOCS"),
	[RTPP_A_STAT_ALLOC_FAILS]	= AD(U64, "ALLOC_FAILS"),
	[RTPP_A_STAT_EXPIRATIONS]	= AD(U64, "EXPIRATIONS"),
	[RTPP_A_STAT_DELETES]		= AD(U64, "DELETES"),
	[RTPP_A_STAT_DROP_BAD_SOURCE]	= AD(U64, "DROP_BAD_SOURCE"),
	[RTPP_A_STAT_DROP_TTL]		= AD(U64, "DROP_TTL"),
};
static const struct nest_desc stat_space = { RTPP_A_STAT_MAX, stat_attrs };

static const struct attr_desc state_attrs[RTPP_A_STATE_MAX + 1] = {
	[RTPP_A_STATE_FREE]		= AD(U32, "FREE"),
	[RTPP_A_STATE_LEARNING]		= AD(U32, "LEARNING"),
	[RTPP_A_STATE_ACTIVE]		= AD(U32, "ACTIVE"),
	[RTPP_A_STATE_EXPIRED]		= AD(U32, "EXPIRED"),
	[RTPP_A_STATE_DESTROYED]	= AD(U32, "DESTROYED"),
};
static const struct nest_desc state_space = { RTPP_A_STATE_MAX, state_attrs };

static const struct attr_desc quality_attrs[RTPP_A_Q_MAX + 1] = {
	[RTPP_A_Q_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_Q_NOT_RTP]		= AD(U32, "NOT_RTP"),
	[RTPP_A_Q_SSRC]			= AD(U32, "SSRC"),
	[RTPP_A_Q_PT]			= AD(U8, "PT"),
	[RTPP_A_Q_SSRC_CHANGES]		= AD(U32, "SSRC_CHANGES"),
	[RTPP_A_Q_EXT_MAX_SEQ]		= AD(U32, "EXT_MAX_SEQ"),
	[RTPP_A_Q_EXPECTED]		= AD(U32, "EXPECTED"),
	[RTPP_A_Q_LOST]			= AD(U32, "LOST"),
	[RTPP_A_Q_OUT_OF_ORDER]		= AD(U32, "OUT_OF_ORDER"),
	[RTPP_A_Q_DUPLICATES]		= AD(U32, "DUPLICATES"),
	[RTPP_A_Q_JITTER_TS]		= AD(U32, "JITTER_TS"),
	[RTPP_A_Q_JITTER_US]		= AD(U32, "JITTER_US"),
	[RTPP_A_Q_CLOCK_RATE]		= AD(U32, "CLOCK_RATE"),
	[RTPP_A_Q_REPORTS]		= AD(U32, "REPORTS"),
	[RTPP_A_Q_MALFORMED]		= AD(U32, "MALFORMED"),
	[RTPP_A_Q_FRACTION_LOST]	= AD(U8, "FRACTION_LOST"),
	[RTPP_A_Q_CUM_LOST]		= AD(U32, "CUM_LOST"),
	[RTPP_A_Q_RTCP_JITTER]		= AD(U32, "RTCP_JITTER"),
};
static const struct nest_desc quality_space = { RTPP_A_Q_MAX, quality_attrs };

static const struct attr_desc qt_attrs[RTPP_A_QT_MAX + 1] = {
	[RTPP_A_QT_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_QT_STREAMS]		= AD(U32, "STREAMS"),
	[RTPP_A_QT_EXPECTED]		= AD(U64, "EXPECTED"),
	[RTPP_A_QT_LOST]		= AD(U64, "LOST"),
	[RTPP_A_QT_OUT_OF_ORDER]	= AD(U64, "OUT_OF_ORDER"),
	[RTPP_A_QT_DUPLICATES]		= AD(U64, "DUPLICATES"),
	[RTPP_A_QT_NOT_RTP]		= AD(U64, "NOT_RTP"),
	[RTPP_A_QT_JITTER_US_MAX]	= AD(U32, "JITTER_US_MAX"),
};
static const struct nest_desc qt_space = { RTPP_A_QT_MAX, qt_attrs };

static const struct attr_desc stream_attrs[RTPP_A_STREAM_MAX + 1] = {
	[RTPP_A_STREAM_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_STREAM_ADDR]		= AD(U32, "ADDR"),
	[RTPP_A_STREAM_PORT]		= AD(U16, "PORT"),
	[RTPP_A_STREAM_LEARNING_MS]	= AD(U32, "LEARNING_MS"),
	[RTPP_A_STREAM_GATE_PORT]	= AD(U16, "GATE_PORT"),
	[RTPP_A_STREAM_LEARNED]		= AD(U8, "LEARNED"),
	[RTPP_A_STREAM_PACKETS]		= AD(U64, "PACKETS"),
	[RTPP_A_STREAM_BYTES]		= AD(U64, "BYTES"),
	[RTPP_A_STREAM_ERRORS]		= AD(U64, "ERRORS"),
	[RTPP_A_STREAM_IDLE_MS]		= AD(U64, "IDLE_MS"),
	[RTPP_A_STREAM_QUALITY]		= ND("QUALITY", quality_space),
};
static const struct nest_desc stream_space = { RTPP_A_STREAM_MAX, stream_attrs };

static const struct attr_desc side_attrs[RTPP_A_SIDE_MAX + 1] = {
	[RTPP_A_SIDE_ALWAYS_LEARN]	= AD(U8, "ALWAYS_LEARN"),
	[RTPP_A_SIDE_RTP]		= ND("RTP", stream_space),
	[RTPP_A_SIDE_RTCP]		= ND("RTCP", stream_space),
};
static const struct nest_desc side_space = { RTPP_A_SIDE_MAX, side_attrs };

static const struct attr_desc sess_attrs[RTPP_A_SESS_MAX + 1] = {
	[RTPP_A_SESS_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_SESS_ID]		= AD(U32, "ID"),
	[RTPP_A_SESS_CREATED_MS]	= AD(U64, "CREATED_MS"),
	[RTPP_A_SESS_STATE]		= AD(U32, "STATE"),
	[RTPP_A_SESS_EXPIRES]		= AD(U32, "EXPIRES"),
	[RTPP_A_SESS_IDLE_MS]		= AD(U64, "IDLE_MS"),
	[RTPP_A_SESS_SIDE_A]		= ND("SIDE_A", side_space),
	[RTPP_A_SESS_SIDE_B]		= ND("SIDE_B", side_space),
};
static const struct nest_desc sess_space = { RTPP_A_SESS_MAX, sess_attrs };

static const struct attr_desc sb_attrs[RTPP_A_SB_MAX + 1] = {
	[RTPP_A_SB_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_SB_ID]			= AD(U32, "ID"),
	[RTPP_A_SB_ADDR_A]		= AD(U32, "ADDR_A"),
	[RTPP_A_SB_PORT_A]		= AD(U16, "PORT_A"),
	[RTPP_A_SB_ADDR_B]		= AD(U32, "ADDR_B"),
	[RTPP_A_SB_PORT_B]		= AD(U16, "PORT_B"),
	[RTPP_A_SB_MAX_SESS]		= AD(U32, "MAX_SESS"),
	[RTPP_A_SB_EXPIRES]		= AD(U32, "EXPIRES"),
	[RTPP_A_SB_RESURRECTION]	= AD(U32, "RESURRECTION"),
	[RTPP_A_SB_RULES]		= AD(U32, "RULES"),
	[RTPP_A_SB_CREATED_MS]		= AD(U64, "CREATED_MS"),
	[RTPP_A_SB_STATS]		= ND("STATS", stat_space),
	[RTPP_A_SB_STATES]		= ND("STATES", state_space),
	[RTPP_A_SB_DISCONT_MS]		= AD(U64, "DISCONT_MS"),
	[RTPP_A_SB_PKT_DISCONT_MS]	= AD(U64, "PKT_DISCONT_MS"),
	[RTPP_A_SB_QUALITY]		= ND("QUALITY", qt_space),
};
static const struct nest_desc sb_space = { RTPP_A_SB_MAX, sb_attrs };

static const struct attr_desc top_attrs[RTPP_A_MAX + 1] = {
	[RTPP_A_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_VERSION]		= AD(U32, "VERSION"),
	[RTPP_A_UPTIME_MS]		= AD(U64, "UPTIME_MS"),
	[RTPP_A_SB]			= ND("SB", sb_space),
	[RTPP_A_SESS]			= ND("SESS", sess_space),
	[RTPP_A_SESS_ID_LO]		= AD(U32, "SESS_ID_LO"),
	[RTPP_A_SESS_ID_HI]		= AD(U32, "SESS_ID_HI"),
	[RTPP_A_STATS]			= ND("STATS", stat_space),
	[RTPP_A_SESS_STATES]		= ND("SESS_STATES", state_space),
	[RTPP_A_SB_COUNT]		= AD(U32, "SB_COUNT"),
	[RTPP_A_COUNT]			= AD(U32, "COUNT"),
	[RTPP_A_RESET]			= AD(U32, "RESET"),
	[RTPP_A_EVENT]			= AD(U32, "EVENT"),
	[RTPP_A_NO_SESS]		= AD(FLAG, "NO_SESS"),
	[RTPP_A_DISCONT_MS]		= AD(U64, "DISCONT_MS"),
	[RTPP_A_QUALITY]		= ND("QUALITY", qt_space),
	[RTPP_A_BRIEF]			= AD(FLAG, "BRIEF"),
};
static const struct nest_desc top_space = { RTPP_A_MAX, top_attrs };
_Static_assert(RTPP_STATES == RTPP_A_STATE_MAX,
	       "one RTPP_A_STATE_* attribute per session state");

static int decode_stats(const struct nlattr *nest, uint64_t *stats,
			const char *name, struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STAT_MAX + 1];
	unsigned int i;
	int ret;

	rtpp_dec_push(d, name);
	ret = rtpp_dec_parse_nest(nest, &stat_space, d, tb);
	rtpp_dec_pop(d);
	if (ret)
		return ret;
	for (i = RTPP_STAT_FIRST_PACKET; i <= RTPP_A_STAT_MAX; i++)
		stats[RTPP_STAT_INDEX(i)] = get_u64(tb[i]);
	return 0;
}

static int decode_states(const struct nlattr *nest, uint32_t *states,
			 const char *name, struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STATE_MAX + 1];
	unsigned int i;
	int ret;

	rtpp_dec_push(d, name);
	ret = rtpp_dec_parse_nest(nest, &state_space, d, tb);
	rtpp_dec_pop(d);
	if (ret)
		return ret;
	for (i = RTPP_A_STATE_FREE; i <= RTPP_A_STATE_MAX; i++)
		states[i - RTPP_A_STATE_FREE] = get_u32(tb[i]);
	return 0;
}

static int decode_qt(const struct nlattr *nest, struct rtpp_quality_totals *q,
		     struct dec *d)
{
	const struct nlattr *tb[RTPP_A_QT_MAX + 1];
	int ret;

	rtpp_dec_push(d, "QUALITY");
	ret = rtpp_dec_parse_nest(nest, &qt_space, d, tb);
	rtpp_dec_pop(d);
	if (ret)
		return ret;
	q->has = true;
	q->streams = get_u32(tb[RTPP_A_QT_STREAMS]);
	q->expected = get_u64(tb[RTPP_A_QT_EXPECTED]);
	q->lost = get_u64(tb[RTPP_A_QT_LOST]);
	q->out_of_order = get_u64(tb[RTPP_A_QT_OUT_OF_ORDER]);
	q->duplicates = get_u64(tb[RTPP_A_QT_DUPLICATES]);
	q->not_rtp = get_u64(tb[RTPP_A_QT_NOT_RTP]);
	q->has_jitter = tb[RTPP_A_QT_JITTER_US_MAX] != NULL;
	q->jitter_us_max = get_u32(tb[RTPP_A_QT_JITTER_US_MAX]);
	return 0;
}

static int decode_sb(const struct nlattr *nest, struct rtpp_sb *sb,
		     struct dec *d)
{
	const struct nlattr *tb[RTPP_A_SB_MAX + 1];
	int ret;

	memset(sb, 0, sizeof(*sb));
	rtpp_dec_push(d, "SB");
	ret = rtpp_dec_parse_nest(nest, &sb_space, d, tb);
	if (ret)
		goto out;
	if (!tb[RTPP_A_SB_ID]) {
		ret = rtpp_dec_bad(d, "no ID");
		goto out;
	}
	sb->id = get_u32(tb[RTPP_A_SB_ID]);
	sb->addr_a = get_u32(tb[RTPP_A_SB_ADDR_A]);
	sb->port_a = get_u16(tb[RTPP_A_SB_PORT_A]);
	sb->addr_b = get_u32(tb[RTPP_A_SB_ADDR_B]);
	sb->port_b = get_u16(tb[RTPP_A_SB_PORT_B]);
	sb->max_sess = get_u32(tb[RTPP_A_SB_MAX_SESS]);
	sb->expires = get_u32(tb[RTPP_A_SB_EXPIRES]);
	sb->resurrection = get_u32(tb[RTPP_A_SB_RESURRECTION]);
	sb->rules = get_u32(tb[RTPP_A_SB_RULES]);
	sb->created_ms = get_u64(tb[RTPP_A_SB_CREATED_MS]);
	sb->discont_ms = get_u64(tb[RTPP_A_SB_DISCONT_MS]);
	sb->pkt_discont_ms = get_u64(tb[RTPP_A_SB_PKT_DISCONT_MS]);
	if (tb[RTPP_A_SB_STATS]) {
		ret = decode_stats(tb[RTPP_A_SB_STATS], sb->stats, "STATS", d);
		if (ret)
			goto out;
	}
	if (tb[RTPP_A_SB_STATES]) {
		sb->has_states = true;
		ret = decode_states(tb[RTPP_A_SB_STATES], sb->states, "STATES", d);
		if (ret)
			goto out;
	}
	if (tb[RTPP_A_SB_QUALITY])
		ret = decode_qt(tb[RTPP_A_SB_QUALITY], &sb->quality, d);
out:
	rtpp_dec_pop(d);
	return ret;
}

static void sb_ref(const struct rtpp_sb *sb, struct rtpp_sb_ref *ref)
{
	ref->id = sb->id;
	ref->addr_a = sb->addr_a;
	ref->port_a = sb->port_a;
	ref->addr_b = sb->addr_b;
	ref->port_b = sb->port_b;
}

static int decode_quality(const struct nlattr *nest,
			  struct rtpp_stream_quality *q, struct dec *d)
{
	const struct nlattr *tb[RTPP_A_Q_MAX + 1];
	int ret;

	rtpp_dec_push(d, "QUALITY");
	ret = rtpp_dec_parse_nest(nest, &quality_space, d, tb);
	rtpp_dec_pop(d);
	if (ret)
		return ret;
	q->has = true;
	q->not_rtp = get_u32(tb[RTPP_A_Q_NOT_RTP]);
	q->ssrc_changes = get_u32(tb[RTPP_A_Q_SSRC_CHANGES]);
	q->expected = get_u32(tb[RTPP_A_Q_EXPECTED]);
	q->lost = get_u32(tb[RTPP_A_Q_LOST]);
	q->out_of_order = get_u32(tb[RTPP_A_Q_OUT_OF_ORDER]);
	q->duplicates = get_u32(tb[RTPP_A_Q_DUPLICATES]);
	q->has_ssrc = tb[RTPP_A_Q_SSRC] != NULL;
	q->ssrc = get_u32(tb[RTPP_A_Q_SSRC]);
	q->pt = get_u8(tb[RTPP_A_Q_PT]);
	q->ext_max_seq = get_u32(tb[RTPP_A_Q_EXT_MAX_SEQ]);
	q->has_jitter = tb[RTPP_A_Q_CLOCK_RATE] != NULL;
	q->jitter_ts = get_u32(tb[RTPP_A_Q_JITTER_TS]);
	q->jitter_us = get_u32(tb[RTPP_A_Q_JITTER_US]);
	q->clock_rate = get_u32(tb[RTPP_A_Q_CLOCK_RATE]);
	q->reports = get_u32(tb[RTPP_A_Q_REPORTS]);
	q->malformed = get_u32(tb[RTPP_A_Q_MALFORMED]);
	q->has_report = tb[RTPP_A_Q_FRACTION_LOST] != NULL;
	q->fraction_lost = get_u8(tb[RTPP_A_Q_FRACTION_LOST]);
	q->cum_lost = (int32_t)get_u32(tb[RTPP_A_Q_CUM_LOST]);
	q->rtcp_jitter = get_u32(tb[RTPP_A_Q_RTCP_JITTER]);
	return 0;
}

static int decode_stream(const struct nlattr *nest, struct rtpp_stream *st,
			 struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STREAM_MAX + 1];
	int ret = rtpp_dec_parse_nest(nest, &stream_space, d, tb);

	if (ret)
		return ret;
	st->addr = get_u32(tb[RTPP_A_STREAM_ADDR]);
	st->port = get_u16(tb[RTPP_A_STREAM_PORT]);
	st->learning_ms = get_u32(tb[RTPP_A_STREAM_LEARNING_MS]);
	st->gate_port = get_u16(tb[RTPP_A_STREAM_GATE_PORT]);
	st->learned = get_u8(tb[RTPP_A_STREAM_LEARNED]);
	st->packets = get_u64(tb[RTPP_A_STREAM_PACKETS]);
	st->bytes = get_u64(tb[RTPP_A_STREAM_BYTES]);
	st->errors = get_u64(tb[RTPP_A_STREAM_ERRORS]);
	st->has_idle = tb[RTPP_A_STREAM_IDLE_MS] != NULL;
	st->idle_ms = get_u64(tb[RTPP_A_STREAM_IDLE_MS]);
	if (tb[RTPP_A_STREAM_QUALITY])
		return decode_quality(tb[RTPP_A_STREAM_QUALITY], &st->q, d);
	return 0;
}

static int decode_side(const struct nlattr *nest, struct rtpp_side *side,
		       struct dec *d)
{
	static const unsigned int attr[RTPP_STREAMS] = {
		[RTPP_STREAM_RTP] = RTPP_A_SIDE_RTP,
		[RTPP_STREAM_RTCP] = RTPP_A_SIDE_RTCP,
	};
	const struct nlattr *tb[RTPP_A_SIDE_MAX + 1];
	unsigned int i;
	int ret = rtpp_dec_parse_nest(nest, &side_space, d, tb);

	if (ret)
		return ret;
	side->always_learn = get_u8(tb[RTPP_A_SIDE_ALWAYS_LEARN]);
	for (i = 0; i < RTPP_STREAMS; i++) {
		if (!tb[attr[i]])
			continue;
		rtpp_dec_push(d, side_attrs[attr[i]].name);
		ret = decode_stream(tb[attr[i]], &side->stream[i], d);
		rtpp_dec_pop(d);
		if (ret)
			return ret;
	}
	return 0;
}

static int decode_sess(const struct nlattr *nest, struct rtpp_sess *s,
		       struct dec *d)
{
	static const unsigned int attr[RTPP_SIDES] = {
		[RTPP_SIDE_A] = RTPP_A_SESS_SIDE_A,
		[RTPP_SIDE_B] = RTPP_A_SESS_SIDE_B,
	};
	const struct nlattr *tb[RTPP_A_SESS_MAX + 1];
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	rtpp_dec_push(d, "SESS");
	ret = rtpp_dec_parse_nest(nest, &sess_space, d, tb);
	if (ret)
		goto out;
	if (!tb[RTPP_A_SESS_ID]) {
		ret = rtpp_dec_bad(d, "no ID");
		goto out;
	}
	s->id = get_u32(tb[RTPP_A_SESS_ID]);
	s->created_ms = get_u64(tb[RTPP_A_SESS_CREATED_MS]);
	s->state = get_u32(tb[RTPP_A_SESS_STATE]);
	s->expires = get_u32(tb[RTPP_A_SESS_EXPIRES]);
	s->idle_ms = get_u64(tb[RTPP_A_SESS_IDLE_MS]);
	for (i = 0; i < RTPP_SIDES; i++) {
		if (!tb[attr[i]])
			continue;
		rtpp_dec_push(d, sess_attrs[attr[i]].name);
		ret = decode_side(tb[attr[i]], &s->side[i], d);
		rtpp_dec_pop(d);
		if (ret)
			break;
	}
out:
	rtpp_dec_pop(d);
	return ret;
}

int rtpp_decode_info(const struct nlmsghdr *nlh, struct rtpp_info *out,
		     char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	memset(out, 0, sizeof(*out));
	ret = rtpp_dec_parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_VERSION])
		return rtpp_dec_bad(&d, "GET_INFO reply without VERSION");
	out->version = get_u32(tb[RTPP_A_VERSION]);
	out->uptime_ms = get_u64(tb[RTPP_A_UPTIME_MS]);
	out->sb_count = get_u32(tb[RTPP_A_SB_COUNT]);
	out->discont_ms = get_u64(tb[RTPP_A_DISCONT_MS]);
	if (tb[RTPP_A_SESS_STATES]) {
		ret = decode_states(tb[RTPP_A_SESS_STATES], out->states,
				    "SESS_STATES", &d);
		if (ret)
			return ret;
	}
	if (tb[RTPP_A_QUALITY]) {
		ret = decode_qt(tb[RTPP_A_QUALITY], &out->quality, &d);
		if (ret)
			return ret;
	}
	if (tb[RTPP_A_STATS])
		ret = decode_stats(tb[RTPP_A_STATS], out->stats, "STATS", &d);
	return ret;
}

int rtpp_decode_sb_msg(const struct nlmsghdr *nlh, struct rtpp_sb *out,
		       char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	ret = rtpp_dec_parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_SB])
		return rtpp_dec_bad(&d, "switchboard message without SB");
	return decode_sb(tb[RTPP_A_SB], out, &d);
}

int rtpp_decode_sess_msg(const struct nlmsghdr *nlh, struct rtpp_sess *out,
			 char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct rtpp_sb sb;
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	ret = rtpp_dec_parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_SB] || !tb[RTPP_A_SESS])
		return rtpp_dec_bad(&d, "session message without %s",
				    tb[RTPP_A_SB] ? "SESS" : "SB");
	ret = decode_sb(tb[RTPP_A_SB], &sb, &d);
	if (ret)
		return ret;
	/* only now: decode_sess() clears all of *out, sb included */
	ret = decode_sess(tb[RTPP_A_SESS], out, &d);
	if (!ret)
		sb_ref(&sb, &out->sb);
	return ret;
}

int rtpp_decode_count(const struct nlmsghdr *nlh, unsigned int *count,
		      char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	ret = rtpp_dec_parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_COUNT])
		return rtpp_dec_bad(&d, "reply without COUNT");
	*count = get_u32(tb[RTPP_A_COUNT]);
	return 0;
}

struct reset_decode_ctx {
	struct dec *d;
	struct rtpp_stats *global;
	rtpp_sb_cb cb;
	void *arg;
};

static int reset_attr(const struct nlattr *a, unsigned int type, void *ctx)
{
	struct reset_decode_ctx *r = ctx;
	struct rtpp_stats dummy;
	struct rtpp_sb sb;
	int ret;

	switch (type) {
	case RTPP_A_STATS:
		return decode_stats(a, r->global ? r->global->stats : dummy.stats,
				    "STATS", r->d);
	case RTPP_A_SB:
		ret = decode_sb(a, &sb, r->d);
		if (ret || !r->cb)
			return ret;
		return r->cb(&sb, r->arg);
	}
	return 0;
}

int rtpp_decode_reset(const struct nlmsghdr *nlh, struct rtpp_stats *global,
		      rtpp_sb_cb cb, void *arg, char *err, size_t errlen)
{
	struct dec d;
	struct reset_decode_ctx r = { &d, global, cb, arg };
	const void *data = NULL;
	size_t len = 0;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	ret = rtpp_dec_msg_payload(nlh, &d, &data, &len);
	return ret ? ret : rtpp_dec_walk(data, len, &top_space, &d, reset_attr, &r);
}

int rtpp_decode_event(const struct nlmsghdr *nlh, struct rtpp_event_msg *out,
		      char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct rtpp_sess sess;
	struct rtpp_sb sb;
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	memset(out, 0, sizeof(*out));
	ret = rtpp_dec_parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_EVENT])
		return rtpp_dec_bad(&d, "event without EVENT");
	out->event = get_u32(tb[RTPP_A_EVENT]);
	if (tb[RTPP_A_SB]) {
		ret = decode_sb(tb[RTPP_A_SB], &sb, &d);
		if (ret)
			return ret;
		sb_ref(&sb, &out->sb);
	}
	if (tb[RTPP_A_SESS]) {
		ret = decode_sess(tb[RTPP_A_SESS], &sess, &d);
		if (ret)
			return ret;
		out->has_sess = true;
		out->sess_id = sess.id;
		out->sess_created_ms = sess.created_ms;
	}
	return 0;
}

/*
 * Finds the attribute of a request that starts at offset @offs, appending
 * its path to buf.  Returns its description, or NULL.
 */
static const struct attr_desc *locate(const char *base, const char *data,
				      size_t len, const struct nest_desc *s,
				      uint32_t offs, char *buf, size_t buflen)
{
	const char *p = data, *end = data + len;
	char num[16];

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = mnl_attr_get_type(a);
		uint32_t at = p - base;
		const struct attr_desc *ad;
		size_t n = strlen(buf);

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			return NULL;
		if (offs >= at && offs < at + a->nla_len) {
			snprintf(buf + n, buflen - n, "%s%s", n ? "/" : "",
				 rtpp_dec_attr_name(s, type, num, sizeof(num)));
			ad = type <= s->max ? &s->attrs[type] : NULL;
			if (offs == at)
				return ad ? ad : &s->attrs[0];
			if (ad && ad->kind == K_NEST && ad->nest)
				return locate(base, (const char *)
					      mnl_attr_get_payload(a),
					      mnl_attr_get_payload_len(a),
					      ad->nest, offs, buf, buflen);
			return NULL;
		}
		p += MNL_ALIGN(a->nla_len);
	}
	return NULL;
}

bool rtpp_attr_path(const struct nlmsghdr *req, uint32_t offs,
		    char *buf, size_t len)
{
	uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;

	if (!len)
		return false;
	buf[0] = '\0';
	if (req->nlmsg_len < start || offs < start || offs >= req->nlmsg_len)
		return false;
	return locate((const char *)req, (const char *)req + start,
		      req->nlmsg_len - start, &top_space, offs, buf, len) != NULL;
}

bool rtpp_missing_path(const struct nlmsghdr *req, uint32_t nest_offs,
		       uint32_t type, char *buf, size_t len)
{
	const struct nest_desc *s = &top_space;
	char num[16];
	size_t n;

	if (!len)
		return false;
	buf[0] = '\0';
	if (nest_offs) {
		const struct attr_desc *ad;
		uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;

		if (req->nlmsg_len < start || nest_offs < start ||
		    nest_offs >= req->nlmsg_len)
			return false;
		ad = locate((const char *)req, (const char *)req + start,
			    req->nlmsg_len - start, &top_space, nest_offs,
			    buf, len);
		if (!ad || ad->kind != K_NEST || !ad->nest)
			return false;
		s = ad->nest;
	}
	n = strlen(buf);
	snprintf(buf + n, len - n, "%s%s", n ? "/" : "",
		 rtpp_dec_attr_name(s, type, num, sizeof(num)));
	return true;
}
