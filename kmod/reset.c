// SPDX-License-Identifier: GPL-2.0
/*
 * RESET: statistics cleared, and the values cleared returned.
 */
#include <net/genetlink.h>

#include "rtpp.h"
#include "netlink.h"

static int reset_sb(struct sk_buff *msg, struct rtpp_switchboard *sb, u32 what)
{
	struct rtpp_counters cleared;
	struct nlattr *nest;

	if (what == RTPP_RESET_SB) {
		rtpp_stats_reset(&sb->stats, RTPP_STAT_FIRST_SESS,
				 RTPP_STAT_LAST_SESS, &cleared);
		sb->discont_real_ms = rtpp_real_ms();
	} else {
		rtpp_stats_reset(&sb->stats, RTPP_STAT_FIRST_PACKET,
				 RTPP_STAT_LAST_PACKET, &cleared);
		sb->pkt_discont_real_ms = rtpp_real_ms();
	}
	nest = nla_nest_start(msg, RTPP_A_SB);
	if (!nest || rtpp_nl_put_sb_name(msg, sb) ||
	    rtpp_nl_put_stats(msg, RTPP_A_SB_STATS, &cleared))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int rtpp_nl_reset(struct sk_buff *skb, struct genl_info *info)
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
		err = rtpp_nl_parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
		if (err)
			return err;
		specp = &spec;
	}

	mutex_lock(&rn->lock);
	/* Sized before anything is cleared: a reset that cannot reply must not
	 * lose what it would have returned. */
	msg = rtpp_nl_reply_new(info, NLMSG_GOODSIZE + rn->nsbs * 512, &hdr);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	if (what == RTPP_RESET_GLOBAL) {
		rtpp_stats_reset(&rn->stats, RTPP_STAT_FIRST_PACKET,
				 RTPP_STAT_LAST_SESS, &cleared);
		rn->discont_real_ms = rtpp_real_ms();
		err = rtpp_nl_put_stats(msg, RTPP_A_STATS, &cleared);
	} else if (specp && !rtpp_nl_find_sb(rn, specp, info->extack)) {
		err = -ENOENT;
	} else {
		for (sb = rtpp_nl_next_sb(rn, specp, 0); sb && !err;
		     sb = rtpp_nl_next_sb(rn, specp, sb->id + 1))
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
