// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces replies are made of: counters, switchboards, sessions.
 */
#include <net/genetlink.h>

#include "rtpp.h"
#include "netlink.h"

int rtpp_nl_put_stats(struct sk_buff *skb, int type, const struct rtpp_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < RTPP_STAT_COUNT; i++)
		if (nla_put_u64_64bit(skb, RTPP_STAT_FIRST_PACKET + i, c->c[i],
				      RTPP_A_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_states(struct sk_buff *skb, int type, const u32 *states)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __RTPP_STATE_MAX; i++)
		if (nla_put_u32(skb, RTPP_A_STATE_FREE + i, states[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, RTPP_A_QT_PAD);
}

static int put_q_totals(struct sk_buff *skb, int type, const struct rtpp_q_totals *t)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u32(skb, RTPP_A_QT_STREAMS, t->streams) ||
	    put_u64(skb, RTPP_A_QT_EXPECTED, t->expected) ||
	    put_u64(skb, RTPP_A_QT_LOST, t->lost) ||
	    put_u64(skb, RTPP_A_QT_OUT_OF_ORDER, t->out_of_order) ||
	    put_u64(skb, RTPP_A_QT_DUPLICATES, t->duplicates) ||
	    put_u64(skb, RTPP_A_QT_NOT_RTP, t->not_rtp) ||
	    (t->has_jitter &&
	     nla_put_u32(skb, RTPP_A_QT_JITTER_US_MAX, t->jitter_us_max)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Slots by state and quality totals: a switchboard's, or the namespace's. */
int rtpp_nl_put_census(struct sk_buff *skb, int states, int quality,
		       const struct rtpp_sb_census *c)
{
	if (put_states(skb, states, c->states) ||
	    put_q_totals(skb, quality, &c->q))
		return -EMSGSIZE;
	return 0;
}

/* What rtpp_nl_put_sb_name() puts, in its nest (the u16 take a u32's room). */
size_t rtpp_nl_sb_name_size(void)
{
	return nla_total_size(0) + 5 * nla_total_size(sizeof(u32));
}

int rtpp_nl_put_sb_name(struct sk_buff *skb, const struct rtpp_switchboard *sb)
{
	const struct rtpp_gate *g = sb->conf.gate;

	if (nla_put_u32(skb, RTPP_A_SB_ID, sb->id) ||
	    nla_put_be32(skb, RTPP_A_SB_ADDR_A, g[RTPP_GATE_A].addr) ||
	    nla_put_u16(skb, RTPP_A_SB_PORT_A, g[RTPP_GATE_A].first) ||
	    nla_put_be32(skb, RTPP_A_SB_ADDR_B, g[RTPP_GATE_B].addr) ||
	    nla_put_u16(skb, RTPP_A_SB_PORT_B, g[RTPP_GATE_B].first))
		return -EMSGSIZE;
	return 0;
}

int rtpp_nl_put_sb(struct sk_buff *skb, struct rtpp_switchboard *sb, bool states)
{
	struct nlattr *nest = nla_nest_start(skb, RTPP_A_SB);
	struct rtpp_sb_census census;
	struct rtpp_counters c;

	if (!nest || rtpp_nl_put_sb_name(skb, sb))
		return -EMSGSIZE;
	rtpp_stats_read(&sb->stats, &c);
	if (nla_put_u32(skb, RTPP_A_SB_MAX_SESS, sb->conf.max_sess) ||
	    nla_put_u32(skb, RTPP_A_SB_EXPIRES, sb->conf.expires) ||
	    nla_put_u32(skb, RTPP_A_SB_RESURRECTION, sb->conf.resurrection) ||
	    nla_put_u32(skb, RTPP_A_SB_RULES, sb->rules) ||
	    nla_put_u64_64bit(skb, RTPP_A_SB_CREATED_MS, sb->created_real_ms, RTPP_A_SB_PAD) ||
	    nla_put_u64_64bit(skb, RTPP_A_SB_DISCONT_MS, sb->discont_real_ms, RTPP_A_SB_PAD) ||
	    nla_put_u64_64bit(skb, RTPP_A_SB_PKT_DISCONT_MS, sb->pkt_discont_real_ms,
			      RTPP_A_SB_PAD) ||
	    rtpp_nl_put_stats(skb, RTPP_A_SB_STATS, &c))
		return -EMSGSIZE;
	if (states) {
		rtpp_sb_census(sb, &census, rtpp_now());
		if (rtpp_nl_put_census(skb, RTPP_A_SB_STATES, RTPP_A_SB_QUALITY, &census))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A consistent copy of what a session shows, taken under its lock. */
struct sess_view {
	struct rtpp_timing t;
	struct rtpp_sess_conf conf;
	struct rtpp_stream s[RTPP_SIDES][RTPP_STREAMS];
	enum rtpp_sess_state state;
	struct rtpp_quality q[RTPP_SIDES];	/* when conf.quality */
};

static int put_rtp_quality(struct sk_buff *skb, const struct rtpp_rtp_quality *q)
{
	struct rtpp_rtp_figures f;

	rtpp_q_figures(q, &f);
	if (nla_put_u32(skb, RTPP_A_Q_NOT_RTP, q->not_rtp) ||
	    nla_put_u32(skb, RTPP_A_Q_SSRC_CHANGES, q->ssrc_changes) ||
	    nla_put_u32(skb, RTPP_A_Q_EXPECTED, f.expected) ||
	    nla_put_u32(skb, RTPP_A_Q_LOST, f.lost) ||
	    nla_put_u32(skb, RTPP_A_Q_OUT_OF_ORDER, q->out_of_order) ||
	    nla_put_u32(skb, RTPP_A_Q_DUPLICATES, q->duplicates))
		return -EMSGSIZE;
	if ((q->flags & RTPP_Q_SOURCE) &&
	    (nla_put_u32(skb, RTPP_A_Q_SSRC, q->ssrc) ||
	     nla_put_u8(skb, RTPP_A_Q_PT, q->pt) ||
	     nla_put_u32(skb, RTPP_A_Q_EXT_MAX_SEQ, f.ext_max)))
		return -EMSGSIZE;
	if (f.clock_rate &&
	    (nla_put_u32(skb, RTPP_A_Q_JITTER_TS, f.jitter_ts) ||
	     nla_put_u32(skb, RTPP_A_Q_JITTER_US, f.jitter_us) ||
	     nla_put_u32(skb, RTPP_A_Q_CLOCK_RATE, f.clock_rate)))
		return -EMSGSIZE;
	return 0;
}

static int put_rtcp_quality(struct sk_buff *skb, const struct rtpp_rtcp_quality *q)
{
	if (nla_put_u32(skb, RTPP_A_Q_REPORTS, q->reports) ||
	    nla_put_u32(skb, RTPP_A_Q_MALFORMED, q->malformed))
		return -EMSGSIZE;
	if (q->has_block &&
	    (nla_put_u8(skb, RTPP_A_Q_FRACTION_LOST, q->fraction_lost) ||
	     nla_put_s32(skb, RTPP_A_Q_CUM_LOST, q->cum_lost) ||
	     nla_put_u32(skb, RTPP_A_Q_RTCP_JITTER, q->jitter)))
		return -EMSGSIZE;
	return 0;
}

static int put_quality(struct sk_buff *skb, const struct sess_view *v,
		       unsigned int side, unsigned int st)
{
	struct nlattr *nest;
	int err;

	if (!v->conf.quality)
		return 0;
	nest = nla_nest_start(skb, RTPP_A_STREAM_QUALITY);
	if (!nest)
		return -EMSGSIZE;
	err = st == RTPP_RTP ? put_rtp_quality(skb, &v->q[side].rtp)
			     : put_rtcp_quality(skb, &v->q[side].rtcp);
	if (err)
		return err;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stream(struct sk_buff *skb, int type, const struct rtpp_switchboard *sb,
		      u32 id, const struct sess_view *v, unsigned int side,
		      unsigned int st, u64 now)
{
	const struct rtpp_stream *s = &v->s[side][st];
	const struct rtpp_endpoint e = rtpp_client(&v->conf, side, st);
	u64 learn = v->conf.learning_ms[side][st];
	struct nlattr *nest = nla_nest_start(skb, type);

	/* Show what is left of the learning window, not its end. */
	learn -= min(learn, rtpp_since(now, v->t.created));
	if (!nest ||
	    nla_put_be32(skb, RTPP_A_STREAM_ADDR, e.addr) ||
	    nla_put_u16(skb, RTPP_A_STREAM_PORT, ntohs(e.port)) ||
	    nla_put_u32(skb, RTPP_A_STREAM_LEARNING_MS, learn) ||
	    nla_put_u16(skb, RTPP_A_STREAM_GATE_PORT, rtpp_conf_port(&sb->conf, side, id, st)) ||
	    nla_put_u8(skb, RTPP_A_STREAM_LEARNED, s->learned) ||
	    nla_put_u64_64bit(skb, RTPP_A_STREAM_PACKETS, s->packets, RTPP_A_STREAM_PAD) ||
	    nla_put_u64_64bit(skb, RTPP_A_STREAM_BYTES, s->bytes, RTPP_A_STREAM_PAD) ||
	    nla_put_u64_64bit(skb, RTPP_A_STREAM_ERRORS, s->errors, RTPP_A_STREAM_PAD))
		return -EMSGSIZE;
	if (s->last &&
	    nla_put_u64_64bit(skb, RTPP_A_STREAM_IDLE_MS, rtpp_since(now, s->last),
			      RTPP_A_STREAM_PAD))
		return -EMSGSIZE;
	if (put_quality(skb, v, side, st))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_side(struct sk_buff *skb, int type, const struct rtpp_switchboard *sb,
		    u32 id, const struct sess_view *v, unsigned int side, u64 now)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u8(skb, RTPP_A_SIDE_ALWAYS_LEARN, v->conf.always[side]) ||
	    put_stream(skb, RTPP_A_SIDE_RTP, sb, id, v, side, RTPP_RTP, now) ||
	    put_stream(skb, RTPP_A_SIDE_RTCP, sb, id, v, side, RTPP_RTCP, now))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_sess(struct sk_buff *skb, const struct rtpp_switchboard *sb,
		    struct rtpp_session *s)
{
	struct nlattr *nest;
	struct sess_view v;
	u64 now;

	spin_lock_bh(&s->lock);
	now = rtpp_now();
	v.t = s->t;
	v.conf = s->conf;
	memcpy(v.s, s->s, sizeof(v.s));
	if (s->conf.quality)
		memcpy(v.q, rtpp_sess_q(s), sizeof(v.q));
	v.state = rtpp_state(&s->t, &s->conf, now);
	spin_unlock_bh(&s->lock);

	nest = nla_nest_start(skb, RTPP_A_SESS);
	if (!nest ||
	    nla_put_u32(skb, RTPP_A_SESS_ID, s->id) ||
	    nla_put_u64_64bit(skb, RTPP_A_SESS_CREATED_MS, s->created_real_ms, RTPP_A_SESS_PAD) ||
	    nla_put_u32(skb, RTPP_A_SESS_STATE, v.state) ||
	    nla_put_u32(skb, RTPP_A_SESS_EXPIRES, v.conf.expires_ms / 1000) ||
	    nla_put_u64_64bit(skb, RTPP_A_SESS_IDLE_MS, rtpp_since(now, v.t.last), RTPP_A_SESS_PAD) ||
	    put_side(skb, RTPP_A_SESS_SIDE_A, sb, s->id, &v, RTPP_SIDE_A, now) ||
	    put_side(skb, RTPP_A_SESS_SIDE_B, sb, s->id, &v, RTPP_SIDE_B, now))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A brief session: its name and, in each side's streams, the gate ports. */
static int put_sess_brief(struct sk_buff *skb, const struct rtpp_switchboard *sb,
			  const struct rtpp_session *s)
{
	static const int side_type[RTPP_SIDES] = {
		RTPP_A_SESS_SIDE_A, RTPP_A_SESS_SIDE_B,
	};
	static const int stream_type[RTPP_STREAMS] = {
		RTPP_A_SIDE_RTP, RTPP_A_SIDE_RTCP,
	};
	struct nlattr *nest, *side, *stream;
	unsigned int i, st;

	nest = nla_nest_start(skb, RTPP_A_SESS);
	if (!nest ||
	    nla_put_u32(skb, RTPP_A_SESS_ID, s->id) ||
	    nla_put_u64_64bit(skb, RTPP_A_SESS_CREATED_MS, s->created_real_ms, RTPP_A_SESS_PAD))
		return -EMSGSIZE;
	for (i = 0; i < RTPP_SIDES; i++) {
		side = nla_nest_start(skb, side_type[i]);
		if (!side)
			return -EMSGSIZE;
		for (st = 0; st < RTPP_STREAMS; st++) {
			stream = nla_nest_start(skb, stream_type[st]);
			if (!stream ||
			    nla_put_u16(skb, RTPP_A_STREAM_GATE_PORT,
					rtpp_conf_port(&sb->conf, i, s->id, st)))
				return -EMSGSIZE;
			nla_nest_end(skb, stream);
		}
		nla_nest_end(skb, side);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The most rtpp_nl_fill_sess() puts, so that a reply can be allocated to
 * fit.  One of NLMSG_DEFAULT_SIZE costs far more than the few hundred
 * bytes a session takes: the kernel zeroes all of it (init_on_alloc),
 * then netlink_trim() copies the message into a smaller buffer before
 * queueing it, since it would otherwise hold 4 KiB of the receiver's
 * buffer.  Every attribute counts as present, quality included.
 */
static size_t stream_size(unsigned int st)
{
	/* the u8 attributes take as much room as the u32 ones */
	size_t q = (st == RTPP_RTP ? 12 : 5) * nla_total_size(sizeof(u32));

	return nla_total_size(0) + 5 * nla_total_size(sizeof(u32)) +
	       4 * nla_total_size_64bit(sizeof(u64)) + nla_total_size(q);
}

size_t rtpp_nl_sess_size(bool brief)
{
	size_t side, sess;

	if (brief) {	/* put_sess_brief() */
		side = nla_total_size(0) +
		       RTPP_STREAMS * nla_total_size(nla_total_size(sizeof(u16)));
		sess = nla_total_size(0) + nla_total_size(sizeof(u32)) +
		       nla_total_size_64bit(sizeof(u64)) + RTPP_SIDES * side;
	} else {
		side = nla_total_size(0) + nla_total_size(sizeof(u8)) +
		       stream_size(RTPP_RTP) + stream_size(RTPP_RTCP);
		sess = nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
		       2 * nla_total_size_64bit(sizeof(u64)) + RTPP_SIDES * side;
	}
	return rtpp_nl_sb_name_size() + sess;
}

/*
 * One message: the switchboard's name and the session, or with @brief
 * only what names the session (RTPP_A_BRIEF); @cb for a dump.
 */
int rtpp_nl_fill_sess(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd,
		      const struct rtpp_switchboard *sb, struct rtpp_session *s,
		      bool brief, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rtpp_genl, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, RTPP_A_SB);
	if (!nest || rtpp_nl_put_sb_name(skb, sb))
		goto cancel;
	nla_nest_end(skb, nest);
	if (brief ? put_sess_brief(skb, sb, s) : put_sess(skb, sb, s))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

struct sk_buff *rtpp_nl_reply_new(struct genl_info *info, size_t size, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &rtpp_genl, 0, info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int rtpp_nl_reply_count(struct genl_info *info, u32 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = rtpp_nl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, RTPP_A_COUNT, count)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
