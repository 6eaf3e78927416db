// SPDX-License-Identifier: GPL-2.0
/*
 * Requests (doit) of the control protocol, each under rtpp_net.lock.
 */
#include <net/genetlink.h>

#include "rtpp.h"
#include "netlink.h"

int rtpp_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_sb_census all = {}, census;
	struct rtpp_switchboard *sb;
	struct rtpp_counters c;
	struct sk_buff *msg;
	u64 now = rtpp_now();
	void *hdr;
	int i;

	msg = rtpp_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list) {
		rtpp_sb_census(sb, &census, now);
		for (i = 0; i < __RTPP_STATE_MAX; i++)
			all.states[i] += census.states[i];
		rtpp_q_add_totals(&all.q, &census.q);
	}
	rtpp_stats_read(&rn->stats, &c);
	if (nla_put_u32(msg, RTPP_A_VERSION, XT_RTPPROXY_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, RTPP_A_UPTIME_MS, now - rtpp_loaded_ms, RTPP_A_PAD) ||
	    nla_put_u32(msg, RTPP_A_SB_COUNT, rn->nsbs) ||
	    nla_put_u64_64bit(msg, RTPP_A_DISCONT_MS, rn->discont_real_ms, RTPP_A_PAD) ||
	    rtpp_nl_put_census(msg, RTPP_A_SESS_STATES, RTPP_A_QUALITY, &all) ||
	    rtpp_nl_put_stats(msg, RTPP_A_STATS, &c)) {
		mutex_unlock(&rn->lock);
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_unlock(&rn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int rtpp_nl_alloc(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	struct rtpp_params p;
	struct rtpp_sb_spec spec;
	bool brief = nla_get_flag(info->attrs[RTPP_A_BRIEF]);
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RTPP_A_SB))
		return -EINVAL;
	err = rtpp_nl_parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
	if (err)
		return err;
	err = rtpp_nl_parse_params(genl_info_net(info), info->attrs[RTPP_A_SESS], &p,
				   true, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(rtpp_nl_sess_size(brief), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	sb = rtpp_nl_find_sb(rn, &spec, info->extack);
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
	rtpp_net_changed(rn);
	err = rtpp_nl_fill_sess(msg, info->snd_portid, info->snd_seq, 0,
				RTPP_CMD_ALLOC, sb, s, brief, NULL);
	mutex_unlock(&rn->lock);
	/* rtpp_nl_sess_size() undercounts: the session is left unnamed */
	if (WARN_ON_ONCE(err)) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
err:
	mutex_unlock(&rn->lock);
	nlmsg_free(msg);
	return err;
}

int rtpp_nl_update(struct sk_buff *skb, struct genl_info *info)
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
	err = rtpp_nl_parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
	if (err)
		return err;
	err = rtpp_nl_parse_params(genl_info_net(info), info->attrs[RTPP_A_SESS], &p,
				   false, info->extack);
	if (err)
		return err;
	range = rtpp_nl_parse_range(info->attrs, &lo, &hi);

	mutex_lock(&rn->lock);
	sb = rtpp_nl_find_sb(rn, &spec, info->extack);
	if (!sb) {
		mutex_unlock(&rn->lock);
		return -ENOENT;
	}
	/* Without a range only live sessions; a named expired one revives. */
	rtpp_for_each_sess(sb, slot, s, lo, hi)
		count += rtpp_sess_update(sb, s, &p, range);
	mutex_unlock(&rn->lock);
	return rtpp_nl_reply_count(info, count);
}

int rtpp_nl_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct rtpp_sb_spec spec, *specp = NULL;
	struct rtpp_switchboard *sb;
	struct rtpp_session *s;
	u32 lo, hi, slot, count = 0;
	int err;

	if (info->attrs[RTPP_A_SB]) {
		err = rtpp_nl_parse_spec(info->attrs[RTPP_A_SB], &spec, info->extack);
		if (err)
			return err;
		specp = &spec;
	}
	rtpp_nl_parse_range(info->attrs, &lo, &hi);

	mutex_lock(&rn->lock);
	if (specp && !rtpp_nl_find_sb(rn, specp, info->extack)) {
		mutex_unlock(&rn->lock);
		return -ENOENT;
	}
	for (sb = rtpp_nl_next_sb(rn, specp, 0); sb; sb = rtpp_nl_next_sb(rn, specp, sb->id + 1))
		rtpp_for_each_sess(sb, slot, s, lo, hi)
			count += rtpp_sess_delete(sb, s);
	mutex_unlock(&rn->lock);
	return rtpp_nl_reply_count(info, count);
}
int rtpp_nl_audit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpp_net *rn = rtpp_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = rtpp_nl_reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rn->lock);
	rtpp_audit_net(rn);
	mutex_unlock(&rn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
