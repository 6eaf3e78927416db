// SPDX-License-Identifier: GPL-2.0
/*
 * Events: multicast to the "events" group of the namespace.
 */
#include <net/genetlink.h>

#include "rtpp.h"
#include "netlink.h"

/*
 * Sized to fit, as replies are (nl_put.c): a message of NLMSG_GOODSIZE
 * would be zeroed whole (init_on_alloc), then copied smaller by
 * netlink_trim() for each listener's socket.
 */
static size_t event_size(const struct rtpp_session *s)
{
	size_t size = nla_total_size(sizeof(u32)) + rtpp_nl_sb_name_size();

	if (s)
		size += nla_total_size(0) + nla_total_size(sizeof(u32)) +
			nla_total_size_64bit(sizeof(u64));
	return size;
}

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
	msg = genlmsg_new(event_size(s), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &rtpp_genl, 0, RTPP_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, RTPP_A_EVENT, ev))
		goto err;
	nest = nla_nest_start(msg, RTPP_A_SB);
	if (!nest || rtpp_nl_put_sb_name(msg, sb))
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
	/* Only if event_size() undercounts: the event would be lost. */
	WARN_ON_ONCE(1);
	nlmsg_free(msg);
}

/*
 * The events that say a switchboard or a session came or went are also
 * where the namespace's generation moves (see rtpp_net_changed()), told or
 * not: every path that creates or frees either announces it here (a
 * session's slot is freed right after SESS_DESTROYED, a switchboard's
 * sessions go with it), but for ALLOC, which has no event.
 */
static bool changes_set(enum rtpp_event ev)
{
	return ev == RTPP_EVENT_SESS_DESTROYED || ev == RTPP_EVENT_SB_CREATED ||
	       ev == RTPP_EVENT_SB_DESTROYED;
}

void rtpp_event_sess(struct rtpp_switchboard *sb, struct rtpp_session *s,
		     enum rtpp_event ev)
{
	if (changes_set(ev))
		rtpp_net_changed(sb->rn);
	event_send(sb, s, ev);
}

void rtpp_event_sb(struct rtpp_switchboard *sb, enum rtpp_event ev)
{
	if (changes_set(ev))
		rtpp_net_changed(sb->rn);
	event_send(sb, NULL, ev);
}
