// SPDX-License-Identifier: GPL-2.0
/*
 * RESET: statistics cleared, and the values cleared returned.
 *
 * A reset must not lose a count: the values it clears go into the reply.
 * Each set of counters is therefore cleared only once its cleared values
 * are in a message of the reply (rtpp_stats_peek(), put, then
 * rtpp_stats_commit()), all under rtpp_net.lock.
 *
 * The global reset and the reset of one named switchboard answer a single
 * request with one message.  A reset of every switchboard is a dump: each
 * call fills one socket buffer with one message per switchboard, clearing
 * those and no more, and keeps its place in cb->args like the listings.
 * netlink_dump() queues every buffer a dump call filled, whatever the
 * socket's receive queue holds (it checks for room before the call), so
 * what was cleared reaches the requester; should it close its socket
 * first, it is the one that lost them.  The reply was once a single
 * message sized by the number of switchboards: megabytes with thousands
 * of them, and beyond about 8,000 an allocation the page allocator refuses.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "rtpp.h"
#include "netlink.h"

/* Where the reset dump is, in cb->args (after its switchboard id). */
enum { DUMP_RESET_DONE = DUMP_SB_ID + 1 };

static u64 sb_mask(u32 what)
{
	return what == RTPP_RESET_SB ? RTPP_STAT_SESS_MASK : RTPP_STAT_PACKET_MASK;
}

/* @sb's counters of @what into @skb, cleared only if they fit. */
static int reset_sb(struct sk_buff *skb, struct rtpp_switchboard *sb, u32 what)
{
	struct rtpp_counters cleared, now;
	struct nlattr *nest;

	lockdep_assert_held(&sb->rn->lock);
	rtpp_stats_peek(&sb->stats, sb_mask(what), &cleared, &now);
	nest = nla_nest_start(skb, RTPP_A_SB);
	if (!nest || rtpp_nl_put_sb_name(skb, sb) ||
	    rtpp_nl_put_stats(skb, RTPP_A_SB_STATS, &cleared)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	rtpp_stats_commit(&sb->stats, sb_mask(what), &now);
	if (what == RTPP_RESET_SB)
		sb->discont_real_ms = rtpp_real_ms();
	else
		sb->pkt_discont_real_ms = rtpp_real_ms();
	return 0;
}

/* The namespace's counters into @skb, cleared only if they fit. */
static int reset_global(struct sk_buff *skb, struct rtpp_net *rn)
{
	struct rtpp_counters cleared, now;

	lockdep_assert_held(&rn->lock);
	rtpp_stats_peek(&rn->stats, RTPP_STAT_ALL_MASK, &cleared, &now);
	if (rtpp_nl_put_stats(skb, RTPP_A_STATS, &cleared))
		return -EMSGSIZE;
	rtpp_stats_commit(&rn->stats, RTPP_STAT_ALL_MASK, &now);
	rn->discont_real_ms = rtpp_real_ms();
	return 0;
}

/* What to reset, and which switchboard (*specp NULL: every one). */
static int parse(struct nlattr **attrs, u32 *what, struct rtpp_sb_spec *spec,
		 struct rtpp_sb_spec **specp, struct netlink_ext_ack *extack)
{
	*specp = NULL;
	if (!attrs[RTPP_A_RESET]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, RTPP_A_RESET);
		return -EINVAL;
	}
	*what = nla_get_u32(attrs[RTPP_A_RESET]);
	if (!attrs[RTPP_A_SB])
		return 0;
	if (*what == RTPP_RESET_GLOBAL) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[RTPP_A_SB],
				    "a global reset names no switchboard");
		return -EINVAL;
	}
	*specp = spec;
	return rtpp_nl_parse_spec(attrs[RTPP_A_SB], spec, extack);
}

/* The global reset, or one switchboard's: a single message. */
int rtpp_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_sb_spec spec, *specp;
	struct rtpp_switchboard *sb;
	struct sk_buff *msg;
	void *hdr;
	u32 what;
	int err;

	err = parse(info->attrs, &what, &spec, &specp, info->extack);
	if (err)
		return err;
	if (what != RTPP_RESET_GLOBAL && !specp) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a reset of every switchboard is a dump: send it with NLM_F_DUMP");
		return -EOPNOTSUPP;
	}
	/* Room for one switchboard's name and counters, or the global ones. */
	msg = rtpp_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	if (what == RTPP_RESET_GLOBAL) {
		err = reset_global(msg, rn);
	} else {
		sb = rtpp_nl_find_sb(rn, specp, info->extack);
		err = sb ? reset_sb(msg, sb, what) : -ENOENT;
	}
	mutex_unlock(&rn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Any reset as a dump, one message per switchboard (or one for the global
 * counters).  Switchboards created meanwhile with an id past the place
 * reached are reset too; those removed meanwhile are not in the reply, and
 * their counters went with them.
 */
int rtpp_nl_dump_reset(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rtpp_net *rn = rtpp_net(sock_net(skb->sk));
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	struct rtpp_sb_spec spec, *specp;
	struct rtpp_switchboard *sb;
	void *hdr;
	u32 what;
	int err;

	if (cb->args[DUMP_RESET_DONE])
		return 0;
	err = rtpp_nl_check_version(cb->nlh, cb->extack);
	if (!err)
		err = parse(attrs, &what, &spec, &specp, cb->extack);
	if (err)
		return err;

	mutex_lock(&rn->lock);
	if (what == RTPP_RESET_GLOBAL) {
		hdr = genlmsg_put(skb, portid, seq, &rtpp_genl, NLM_F_MULTI,
				  RTPP_CMD_RESET);
		err = hdr ? reset_global(skb, rn) : -EMSGSIZE;
		if (!err)
			genlmsg_end(skb, hdr);
		cb->args[DUMP_RESET_DONE] = 1;
		goto out;
	}
	/* A switchboard named but not there: say so, as the request would. */
	if (specp && !cb->args[DUMP_SB_ID] &&
	    !rtpp_nl_find_sb(rn, specp, cb->extack)) {
		err = -ENOENT;
		goto out;
	}
	for (sb = rtpp_nl_next_sb(rn, specp, cb->args[DUMP_SB_ID] + 1); sb;
	     sb = rtpp_nl_next_sb(rn, specp, sb->id + 1)) {
		hdr = genlmsg_put(skb, portid, seq, &rtpp_genl, NLM_F_MULTI,
				  RTPP_CMD_RESET);
		if (!hdr)
			break;
		if (reset_sb(skb, sb, what)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_SB_ID] = sb->id;
	}
	if (!sb)
		cb->args[DUMP_RESET_DONE] = 1;
	/* Not one switchboard fitted an empty buffer: never, but not a loop. */
	else if (!skb->len)
		err = -EMSGSIZE;
out:
	mutex_unlock(&rn->lock);
	return err ? err : skb->len;
}
