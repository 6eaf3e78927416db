// SPDX-License-Identifier: GPL-2.0
/*
 * Listings (dumps).  Each call fills one socket buffer under
 * rtpp_net.lock and keeps its place in cb->args: the id of the switchboard
 * reached, then the slot, so that nothing is listed twice and a
 * switchboard of any size is listed without a large allocation.
 *
 * Between two calls switchboards and sessions may come and go: a listing
 * then holds each object as it was when its piece was made, and may miss
 * one that came behind its place or show one that has gone since.  Each
 * call keeps the namespace's generation in cb->seq, so that the first
 * message made after a change (or NLMSG_DONE) carries NLM_F_DUMP_INTR
 * (nl_dump_check_consistent(), which flags a message when cb->seq differs
 * from the previous message's): a client that needs one consistent view
 * starts again (librtpproxy does).  The generation is the namespace's, not
 * the switchboard's: a change anywhere in it interrupts a listing.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "rtpp.h"
#include "netlink.h"

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
	err = rtpp_nl_check_version(cb->nlh, cb->extack);
	if (err)
		return err;
	if (!attrs[RTPP_A_SB])
		return 0;
	*specp = spec;
	return rtpp_nl_parse_spec(attrs[RTPP_A_SB], spec, cb->extack);
}

int rtpp_nl_dump_sb(struct sk_buff *skb, struct netlink_callback *cb)
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
	cb->seq = rtpp_net_dump_seq(rn);
	for (sb = rtpp_nl_next_sb(rn, specp, cb->args[DUMP_SB_ID] + 1); sb;
	     sb = rtpp_nl_next_sb(rn, specp, sb->id + 1)) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &rtpp_genl,
					NLM_F_MULTI, RTPP_CMD_GET_SB);

		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (rtpp_nl_put_sb(skb, sb, !attrs[RTPP_A_NO_SESS])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[DUMP_SB_ID] = sb->id;
	}
	mutex_unlock(&rn->lock);
	return skb->len;
}

int rtpp_nl_dump_sess(struct sk_buff *skb, struct netlink_callback *cb)
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
	rtpp_nl_parse_range(attrs, &lo, &hi);
	mutex_lock(&rn->lock);
	cb->seq = rtpp_net_dump_seq(rn);
	for (sb = rtpp_nl_next_sb(rn, specp, cb->args[DUMP_SB_ID]); sb;
	     sb = rtpp_nl_next_sb(rn, specp, sb->id + 1)) {
		u32 from = lo;

		if (sb->id == cb->args[DUMP_SB_ID] && cb->args[DUMP_SLOT] > lo)
			from = cb->args[DUMP_SLOT];
		rtpp_for_each_sess(sb, slot, s, from, hi) {
			if (rtpp_sess_state(s, rtpp_now()) == RTPP_STATE_FREE)
				continue;
			if (rtpp_nl_fill_sess(skb, NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, NLM_F_MULTI,
					      RTPP_CMD_GET_SESS, sb, s, false, cb)) {
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
