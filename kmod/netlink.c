// SPDX-License-Identifier: GPL-2.0
/*
 * The generic-netlink control protocol (see include/xt_RTPPROXY.h).
 *
 * Requests run under the namespace's rtpp_net.lock.  Dumps keep their place
 * in cb->args (switchboard id, then slot), so a switchboard of any size is
 * listed one socket buffer at a time.
 */
#include <linux/netlink.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "rtpp.h"

static struct genl_family rtpp_genl;

enum { DUMP_SB_ID, DUMP_SLOT };

static const struct nla_policy sb_policy[RTPP_A_SB_MAX + 1] = {
	[RTPP_A_SB_ID]		= { .type = NLA_U32 },
	[RTPP_A_SB_ADDR_A]	= { .type = NLA_BE32 },
	[RTPP_A_SB_PORT_A]	= NLA_POLICY_MIN(NLA_U16, 1),
	[RTPP_A_SB_ADDR_B]	= { .type = NLA_BE32 },
	[RTPP_A_SB_PORT_B]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static struct netlink_range_validation learning_range = {
	.max = XT_RTPPROXY_MAX_LEARNING,
};

static struct netlink_range_validation expires_range = {
	.min = 1,
	.max = XT_RTPPROXY_MAX_TIMEOUT,
};

static const struct nla_policy stream_policy[RTPP_A_STREAM_MAX + 1] = {
	[RTPP_A_STREAM_ADDR]	    = { .type = NLA_BE32 },
	[RTPP_A_STREAM_PORT]	    = { .type = NLA_U16 },
	[RTPP_A_STREAM_LEARNING_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &learning_range),
};

static const struct nla_policy side_policy[RTPP_A_SIDE_MAX + 1] = {
	[RTPP_A_SIDE_ALWAYS_LEARN] = NLA_POLICY_MAX(NLA_U8, 1),
	[RTPP_A_SIDE_RTP]	   = NLA_POLICY_NESTED(stream_policy),
	[RTPP_A_SIDE_RTCP]	   = NLA_POLICY_NESTED(stream_policy),
};

static const struct nla_policy sess_policy[RTPP_A_SESS_MAX + 1] = {
	[RTPP_A_SESS_EXPIRES]	= NLA_POLICY_FULL_RANGE(NLA_U32, &expires_range),
	[RTPP_A_SESS_SIDE_A]	= NLA_POLICY_NESTED(side_policy),
	[RTPP_A_SESS_SIDE_B]	= NLA_POLICY_NESTED(side_policy),
};

static const struct nla_policy rtpp_policy[RTPP_A_MAX + 1] = {
	[RTPP_A_SB]		= NLA_POLICY_NESTED(sb_policy),
	[RTPP_A_SESS]		= NLA_POLICY_NESTED(sess_policy),
	[RTPP_A_SESS_ID_LO]	= NLA_POLICY_MAX(NLA_U32, XT_RTPPROXY_MAX_SESS - 1),
	[RTPP_A_SESS_ID_HI]	= NLA_POLICY_MAX(NLA_U32, XT_RTPPROXY_MAX_SESS - 1),
	[RTPP_A_RESET]		= NLA_POLICY_RANGE(NLA_U32, RTPP_RESET_GLOBAL,
						   RTPP_RESET_SB_PACKETS),
	[RTPP_A_NO_SESS]	= { .type = NLA_FLAG },
};

static int check_version(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	const struct genlmsghdr *hdr = nlmsg_data(nlh);

	if (hdr->version == XT_RTPPROXY_GENL_VERSION)
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "protocol version mismatch: this module speaks version "
			   __stringify(XT_RTPPROXY_GENL_VERSION)
			   "; rebuild the client against its xt_RTPPROXY.h");
	return -EPROTO;
}

static int pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		    struct genl_info *info)
{
	return check_version(info->nlhdr, info->extack);
}


/* --- requests ----------------------------------------------------------- */

static int parse_spec(const struct nlattr *nest, struct rtpp_sb_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RTPP_A_SB_MAX + 1];
	struct rtpp_gate *a = &spec->gate[RTPP_GATE_A];
	struct rtpp_gate *b = &spec->gate[RTPP_GATE_B];
	int err;

	err = nla_parse_nested(tb, RTPP_A_SB_MAX, nest, sb_policy, extack);
	if (err)
		return err;
	memset(spec, 0, sizeof(*spec));
	if (tb[RTPP_A_SB_ID]) {
		spec->has_id = true;
		spec->id = nla_get_u32(tb[RTPP_A_SB_ID]);
		return 0;
	}
	if (!tb[RTPP_A_SB_ADDR_A] || !tb[RTPP_A_SB_PORT_A]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a switchboard is named by its id or by gate A's address and port");
		return -EINVAL;
	}
	a->addr = nla_get_be32(tb[RTPP_A_SB_ADDR_A]);
	a->first = nla_get_u16(tb[RTPP_A_SB_PORT_A]);
	b->addr = tb[RTPP_A_SB_ADDR_B] ? nla_get_be32(tb[RTPP_A_SB_ADDR_B]) : a->addr;
	b->first = tb[RTPP_A_SB_PORT_B] ? nla_get_u16(tb[RTPP_A_SB_PORT_B]) : a->first;
	return 0;
}

static struct rtpp_switchboard *next_sb(struct rtpp_net *rn,
					const struct rtpp_sb_spec *spec,
					u32 min_id)
{
	struct rtpp_switchboard *sb;

	lockdep_assert_held(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list)
		if (sb->id >= min_id &&
		    (!spec || rtpp_spec_match(spec, sb->id, &sb->conf)))
			return sb;
	return NULL;
}

static struct rtpp_switchboard *find_sb(struct rtpp_net *rn,
					const struct rtpp_sb_spec *spec,
					struct netlink_ext_ack *extack)
{
	struct rtpp_switchboard *sb = next_sb(rn, spec, 0);

	if (!sb)
		NL_SET_ERR_MSG_MOD(extack, "no such switchboard");
	return sb;
}

static void parse_stream(const struct nlattr *nest, struct rtpp_stream_params *sp)
{
	struct nlattr *tb[RTPP_A_STREAM_MAX + 1];

	/* Validated with the request: cannot fail. */
	if (nla_parse_nested(tb, RTPP_A_STREAM_MAX, nest, stream_policy, NULL))
		return;
	if (tb[RTPP_A_STREAM_ADDR]) {
		sp->has_addr = true;
		sp->addr = nla_get_be32(tb[RTPP_A_STREAM_ADDR]);
	}
	if (tb[RTPP_A_STREAM_PORT]) {
		sp->has_port = true;
		sp->port = nla_get_u16(tb[RTPP_A_STREAM_PORT]);
	}
	if (tb[RTPP_A_STREAM_LEARNING_MS]) {
		sp->has_learning = true;
		sp->learning_ms = nla_get_u32(tb[RTPP_A_STREAM_LEARNING_MS]);
	}
}

static void parse_side(const struct nlattr *nest, struct rtpp_side_params *sp)
{
	struct nlattr *tb[RTPP_A_SIDE_MAX + 1];

	if (nla_parse_nested(tb, RTPP_A_SIDE_MAX, nest, side_policy, NULL))
		return;
	if (tb[RTPP_A_SIDE_ALWAYS_LEARN]) {
		sp->has_always = true;
		sp->always = nla_get_u8(tb[RTPP_A_SIDE_ALWAYS_LEARN]);
	}
	if (tb[RTPP_A_SIDE_RTP])
		parse_stream(tb[RTPP_A_SIDE_RTP], &sp->st[RTPP_RTP]);
	if (tb[RTPP_A_SIDE_RTCP])
		parse_stream(tb[RTPP_A_SIDE_RTCP], &sp->st[RTPP_RTCP]);
}

static int parse_params(struct net *net, const struct nlattr *nest,
			struct rtpp_params *p, bool alloc, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RTPP_A_SESS_MAX + 1];
	int err;

	memset(p, 0, sizeof(*p));
	if (nest) {
		err = nla_parse_nested(tb, RTPP_A_SESS_MAX, nest, sess_policy, extack);
		if (!err)
			err = rtpp_nl_check_clients(net, nest, extack);
		if (err)
			return err;
		if (tb[RTPP_A_SESS_EXPIRES]) {
			p->has_expires = true;
			p->expires = nla_get_u32(tb[RTPP_A_SESS_EXPIRES]);
		}
		if (tb[RTPP_A_SESS_SIDE_A])
			parse_side(tb[RTPP_A_SESS_SIDE_A], &p->side[RTPP_SIDE_A]);
		if (tb[RTPP_A_SESS_SIDE_B])
			parse_side(tb[RTPP_A_SESS_SIDE_B], &p->side[RTPP_SIDE_B]);
	}
	rtpp_params_derive(p);
	err = rtpp_params_check(p, alloc);
	if (err) {
		/* A static string, as NL_SET_ERR_MSG() requires. */
		if (extack)
			extack->_msg = rtpp_params_strerror(err);
		return -EINVAL;
	}
	return 0;
}

/* The session range of a request: [lo, hi] and whether one was given. */
static bool parse_range(struct nlattr **attrs, u32 *lo, u32 *hi)
{
	*lo = attrs[RTPP_A_SESS_ID_LO] ? nla_get_u32(attrs[RTPP_A_SESS_ID_LO]) : 0;
	if (attrs[RTPP_A_SESS_ID_HI])
		*hi = nla_get_u32(attrs[RTPP_A_SESS_ID_HI]);
	else
		*hi = attrs[RTPP_A_SESS_ID_LO] ? *lo : U32_MAX;
	return attrs[RTPP_A_SESS_ID_LO] || attrs[RTPP_A_SESS_ID_HI];
}

/* --- replies ------------------------------------------------------------ */

static int put_stats(struct sk_buff *skb, int type, const struct rtpp_counters *c)
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

static int put_sb_name(struct sk_buff *skb, const struct rtpp_switchboard *sb)
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

static int put_sb(struct sk_buff *skb, struct rtpp_switchboard *sb, bool states)
{
	struct nlattr *nest = nla_nest_start(skb, RTPP_A_SB);
	struct rtpp_counters c;
	u32 st[__RTPP_STATE_MAX];

	if (!nest || put_sb_name(skb, sb))
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
	    put_stats(skb, RTPP_A_SB_STATS, &c))
		return -EMSGSIZE;
	if (states) {
		rtpp_sb_states(sb, st, rtpp_now());
		if (put_states(skb, RTPP_A_SB_STATES, st))
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
};

static int put_stream(struct sk_buff *skb, int type, const struct rtpp_switchboard *sb,
		      u32 id, const struct sess_view *v, unsigned int side,
		      unsigned int st, u64 now)
{
	const struct rtpp_stream *s = &v->s[side][st];
	const struct rtpp_endpoint *e = &v->conf.client[side][st];
	u64 learn = v->conf.learning_ms[side][st];
	struct nlattr *nest = nla_nest_start(skb, type);

	/* Show what is left of the learning window, not its end. */
	learn -= min(learn, rtpp_since(now, v->t.created));
	if (!nest ||
	    nla_put_be32(skb, RTPP_A_STREAM_ADDR, e->addr) ||
	    nla_put_u16(skb, RTPP_A_STREAM_PORT, ntohs(e->port)) ||
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

/* One message: the switchboard's name and the session. */
static int fill_sess(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd,
		     const struct rtpp_switchboard *sb, struct rtpp_session *s)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rtpp_genl, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RTPP_A_SB);
	if (!nest || put_sb_name(skb, sb))
		goto cancel;
	nla_nest_end(skb, nest);
	if (put_sess(skb, sb, s))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static struct sk_buff *reply_new(struct genl_info *info, size_t size, void **hdr)
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

static int reply_count(struct genl_info *info, u32 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, RTPP_A_COUNT, count)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* --- commands ----------------------------------------------------------- */

static int cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	u32 states[__RTPP_STATE_MAX] = {}, sb_states[__RTPP_STATE_MAX];
	struct rtpp_switchboard *sb;
	struct rtpp_counters c;
	struct sk_buff *msg;
	u64 now = rtpp_now();
	void *hdr;
	int i;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list) {
		rtpp_sb_states(sb, sb_states, now);
		for (i = 0; i < __RTPP_STATE_MAX; i++)
			states[i] += sb_states[i];
	}
	rtpp_stats_read(&rn->stats, &c);
	if (nla_put_u32(msg, RTPP_A_VERSION, XT_RTPPROXY_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, RTPP_A_UPTIME_MS, now - rtpp_loaded_ms, RTPP_A_PAD) ||
	    nla_put_u32(msg, RTPP_A_SB_COUNT, rn->nsbs) ||
	    nla_put_u64_64bit(msg, RTPP_A_DISCONT_MS, rn->discont_real_ms, RTPP_A_PAD) ||
	    put_states(msg, RTPP_A_SESS_STATES, states) ||
	    put_stats(msg, RTPP_A_STATS, &c)) {
		mutex_unlock(&rn->lock);
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_unlock(&rn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * The version check of a dump runs in the dump itself, not in .start: an
 * error there reaches the client in NLMSG_DONE with its extended ack.
 */
static int dump_filter(struct netlink_callback *cb, struct rtpp_sb_spec *spec,
		       struct rtpp_sb_spec **specp)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	int err;

	*specp = NULL;
	err = check_version(cb->nlh, cb->extack);
	if (err)
		return err;
	if (!attrs[RTPP_A_SB])
		return 0;
	*specp = spec;
	return parse_spec(attrs[RTPP_A_SB], spec, cb->extack);
}

static int cmd_dump_sb(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rtpp_net *rn = rtpp_net(sock_net(skb->sk));
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct rtpp_sb_spec spec, *specp;
	struct rtpp_switchboard *sb;
	int err;

	err = dump_filter(cb, &spec, &specp);
	if (err)
		return err;
	mutex_lock(&rn->lock);
	for (sb = next_sb(rn, specp, cb->args[DUMP_SB_ID] + 1); sb;
	     sb = next_sb(rn, specp, sb->id + 1)) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &rtpp_genl,
					NLM_F_MULTI, RTPP_CMD_GET_SB);

		if (!hdr)
			break;
		if (put_sb(skb, sb, !attrs[RTPP_A_NO_SESS])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_SB_ID] = sb->id;
	}
	mutex_unlock(&rn->lock);
	return skb->len;
}

static int cmd_dump_sess(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rtpp_net *rn = rtpp_net(sock_net(skb->sk));
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct rtpp_sb_spec spec, *specp;
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	u32 lo, hi, slot;
	int err;

	err = dump_filter(cb, &spec, &specp);
	if (err)
		return err;
	parse_range(attrs, &lo, &hi);
	mutex_lock(&rn->lock);
	for (sb = next_sb(rn, specp, cb->args[DUMP_SB_ID]); sb;
	     sb = next_sb(rn, specp, sb->id + 1)) {
		u32 from = lo;

		if (sb->id == cb->args[DUMP_SB_ID] && cb->args[DUMP_SLOT] > lo)
			from = cb->args[DUMP_SLOT];
		rtpp_for_each_sess(sb, slot, s, from, hi) {
			if (rtpp_sess_state(s, rtpp_now()) == RTPP_STATE_FREE)
				continue;
			if (fill_sess(skb, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      RTPP_CMD_GET_SESS, sb, s)) {
				cb->args[DUMP_SB_ID] = sb->id;
				cb->args[DUMP_SLOT] = slot;
				goto out;
			}
		}
	}
	/* Done: the next call finds no switchboard past the last. */
	cb->args[DUMP_SB_ID] = U32_MAX;
out:
	mutex_unlock(&rn->lock);
	return skb->len;
}

static int cmd_alloc(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	struct rtpp_params p;
	struct rtpp_sb_spec spec;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RTPP_A_SB))
		return -EINVAL;
	err = parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
	if (err)
		return err;
	err = parse_params(genl_info_net(info), info->attrs[RTPP_A_SESS], &p, true, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	sb = find_sb(rn, &spec, info->extack);
	if (!sb) {
		err = -ENOENT;
		goto err;
	}
	s = rtpp_sess_alloc(sb, &p);
	if (IS_ERR(s)) {
		err = PTR_ERR(s);
		if (err == -ENOSPC)
			NL_SET_ERR_MSG_MOD(info->extack, "switchboard is full");
		goto err;
	}
	err = fill_sess(msg, info->snd_portid, info->snd_seq, 0, RTPP_CMD_ALLOC, sb, s);
	mutex_unlock(&rn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
err:
	mutex_unlock(&rn->lock);
	nlmsg_free(msg);
	return err;
}

static int cmd_update(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	struct rtpp_sb_spec spec;
	struct rtpp_params p;
	u32 lo, hi, slot, count = 0;
	bool range;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RTPP_A_SB))
		return -EINVAL;
	err = parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
	if (err)
		return err;
	err = parse_params(genl_info_net(info), info->attrs[RTPP_A_SESS], &p, false, info->extack);
	if (err)
		return err;
	range = parse_range(info->attrs, &lo, &hi);

	mutex_lock(&rn->lock);
	sb = find_sb(rn, &spec, info->extack);
	if (!sb) {
		mutex_unlock(&rn->lock);
		return -ENOENT;
	}
	/* Without a range only live sessions; a named expired one revives. */
	rtpp_for_each_sess(sb, slot, s, lo, hi)
		count += rtpp_sess_update(sb, s, &p, range);
	mutex_unlock(&rn->lock);
	return reply_count(info, count);
}

static int cmd_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_sb_spec spec, *specp = NULL;
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	u32 lo, hi, slot, count = 0;
	int err;

	if (info->attrs[RTPP_A_SB]) {
		err = parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
		if (err)
			return err;
		specp = &spec;
	}
	parse_range(info->attrs, &lo, &hi);

	mutex_lock(&rn->lock);
	if (specp && !find_sb(rn, specp, info->extack)) {
		mutex_unlock(&rn->lock);
		return -ENOENT;
	}
	for (sb = next_sb(rn, specp, 0); sb; sb = next_sb(rn, specp, sb->id + 1))
		rtpp_for_each_sess(sb, slot, s, lo, hi)
			count += rtpp_sess_delete(sb, s);
	mutex_unlock(&rn->lock);
	return reply_count(info, count);
}

static int reset_sb(struct sk_buff *msg, struct rtpp_switchboard *sb, u32 what)
{
	struct rtpp_counters cleared;
	struct nlattr *nest;

	if (what == RTPP_RESET_SB) {
		rtpp_stats_reset(&sb->stats, RTPP_STAT_SESS_MASK, &cleared);
		sb->discont_real_ms = rtpp_real_ms();
	} else {
		rtpp_stats_reset(&sb->stats, RTPP_STAT_PACKET_MASK, &cleared);
		sb->pkt_discont_real_ms = rtpp_real_ms();
	}
	nest = nla_nest_start(msg, RTPP_A_SB);
	if (!nest || put_sb_name(msg, sb) ||
	    put_stats(msg, RTPP_A_SB_STATS, &cleared))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int cmd_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_sb_spec spec, *specp = NULL;
	struct rtpp_switchboard *sb;
	struct rtpp_counters cleared;
	struct sk_buff *msg;
	void *hdr;
	u32 what;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, RTPP_A_RESET))
		return -EINVAL;
	what = nla_get_u32(info->attrs[RTPP_A_RESET]);
	if (info->attrs[RTPP_A_SB]) {
		if (what == RTPP_RESET_GLOBAL) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RTPP_A_SB],
					    "a global reset names no switchboard");
			return -EINVAL;
		}
		err = parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
		if (err)
			return err;
		specp = &spec;
	}

	mutex_lock(&rn->lock);
	/* Sized before anything is cleared: a reset that cannot reply must not
	 * lose what it would have returned. */
	msg = reply_new(info, NLMSG_GOODSIZE + rn->nsbs * 512, &hdr);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	if (what == RTPP_RESET_GLOBAL) {
		rtpp_stats_reset(&rn->stats, RTPP_STAT_ALL_MASK, &cleared);
		rn->discont_real_ms = rtpp_real_ms();
		err = put_stats(msg, RTPP_A_STATS, &cleared);
	} else if (specp && !find_sb(rn, specp, info->extack)) {
		err = -ENOENT;
	} else {
		for (sb = next_sb(rn, specp, 0); sb && !err;
		     sb = next_sb(rn, specp, sb->id + 1))
			err = reset_sb(msg, sb, what);
	}
out:
	mutex_unlock(&rn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_audit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rn->lock);
	rtpp_audit_net(rn);
	mutex_unlock(&rn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* --- events ------------------------------------------------------------- */

static void event_send(struct rtpp_switchboard *sb, struct rtpp_session *s,
		       enum rtpp_event ev)
{
	struct net *net = sb->rn->net;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&sb->rn->lock);
	if (!genl_has_listeners(&rtpp_genl, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &rtpp_genl, 0, RTPP_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, RTPP_A_EVENT, ev))
		goto err;
	nest = nla_nest_start(msg, RTPP_A_SB);
	if (!nest || put_sb_name(msg, sb))
		goto err;
	nla_nest_end(msg, nest);
	if (s) {
		nest = nla_nest_start(msg, RTPP_A_SESS);
		if (!nest || nla_put_u32(msg, RTPP_A_SESS_ID, s->id) ||
		    nla_put_u64_64bit(msg, RTPP_A_SESS_CREATED_MS,
				      s->created_real_ms, RTPP_A_SESS_PAD))
			goto err;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&rtpp_genl, net, msg, 0, 0, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}

void rtpp_event_sess(struct rtpp_switchboard *sb, struct rtpp_session *s,
		     enum rtpp_event ev)
{
	event_send(sb, s, ev);
}

void rtpp_event_sb(struct rtpp_switchboard *sb, enum rtpp_event ev)
{
	event_send(sb, NULL, ev);
}

/* --- family ------------------------------------------------------------- */

static const struct genl_ops rtpp_ops[] = {
	{ .cmd = RTPP_CMD_GET_INFO, .doit = cmd_get_info, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_GET_SB, .dumpit = cmd_dump_sb,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_GET_SESS, .dumpit = cmd_dump_sess,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_ALLOC, .doit = cmd_alloc, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_UPDATE, .doit = cmd_update, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_DELETE, .doit = cmd_delete, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_RESET, .doit = cmd_reset, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_AUDIT, .doit = cmd_audit, .flags = GENL_UNS_ADMIN_PERM },
};

static const struct genl_multicast_group rtpp_mcgrps[] = {
	{ .name = XT_RTPPROXY_GENL_MCGRP, .flags = GENL_UNS_ADMIN_PERM },
};

static struct genl_family rtpp_genl __ro_after_init = {
	.name		= XT_RTPPROXY_GENL_NAME,
	.version	= XT_RTPPROXY_GENL_VERSION,
	.maxattr	= RTPP_A_MAX,
	.policy		= rtpp_policy,
	.netnsok	= true,
	.pre_doit	= pre_doit,
	.module		= THIS_MODULE,
	.ops		= rtpp_ops,
	.n_ops		= ARRAY_SIZE(rtpp_ops),
	.resv_start_op	= RTPP_CMD_GET_INFO,
	.mcgrps		= rtpp_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(rtpp_mcgrps),
};

int rtpp_genl_init(void)
{
	return genl_register_family(&rtpp_genl);
}

void rtpp_genl_exit(void)
{
	genl_unregister_family(&rtpp_genl);
}
