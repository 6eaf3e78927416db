// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
/*
 * The RTPPROXY xtables target: each rule holds a reference to the
 * switchboard it defines, and to IPv4 defragmentation in its namespace.
 *
 * A datagram bigger than a link's MTU reaches a gate in fragments, and only
 * the first one names the port.  Without conntrack nothing reassembles them
 * before the mangle table, so the relay used to see a fragment it could not
 * relay (dropped, counted drop_fragment) while the rest went on to wait in
 * the local reassembly queue.  Like xt_socket and xt_TPROXY, each rule
 * therefore enables nf_defrag_ipv4 in its namespace for as long as it
 * exists: its hooks (NF_IP_PRI_CONNTRACK_DEFRAG, -400) in PREROUTING and
 * OUTPUT run before the raw (-300) and mangle (-150) tables, so the target
 * sees whole datagrams, relays them once, and ip_local_out() fragments
 * again what is bigger than the outgoing route's MTU (the reassembled
 * datagram keeps DF clear unless its fragments had DF set).
 *
 * The rule may sit in the mangle table, as the manual shows, or in the raw
 * table.  Raw PREROUTING and OUTPUT (-300) run before connection tracking
 * (-200): a packet the target takes there never gets a conntrack entry, and
 * the packet it sends is marked untracked (packet.c), so with conntrack
 * loaded the relay costs the tracker nothing.  In mangle (-150) the tracker
 * has already looked the packet up, and allocated an entry that dies with
 * it.  Other tables are refused: filter and security see packets after the
 * input route, nat only the first packet of a flow.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/string.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>

#include "rtpp.h"

static unsigned int rtpp_tg(struct sk_buff *skb, const struct xt_action_param *par)
{
	const struct xt_rtpproxy_tginfo *info = par->targinfo;

	return rtpp_packet(skb, info->sb, xt_hooknum(par));
}

static int rtpp_tg_check(const struct xt_tgchk_param *par)
{
	struct xt_rtpproxy_tginfo *info = par->targinfo;
	struct rtpp_conf conf;
	int why, err = 0;

	/* Any table in xt_target.table would be the only one allowed. */
	if (strcmp(par->table, "mangle") && strcmp(par->table, "raw")) {
		pr_info_ratelimited("refused in table %s: only raw and mangle\n",
				    par->table);
		return -EINVAL;
	}
	why = rtpp_conf_resolve(info, &conf);
	if (why != RTPP_CONF_OK) {
		pr_info_ratelimited("refused: %s\n", rtpp_conf_strerror(why));
		return -EINVAL;
	}
	err = nf_defrag_ipv4_enable(par->net);
	if (err)
		return err;
	info->sb = rtpp_sb_get(par->net, &conf, &err);
	if (!info->sb) {
		nf_defrag_ipv4_disable(par->net);
		return err;
	}
	return 0;
}

static void rtpp_tg_destroy(const struct xt_tgdtor_param *par)
{
	const struct xt_rtpproxy_tginfo *info = par->targinfo;
	struct rtpp_conf conf;

	/* Resolved as at check time, to find the timeouts this rule gave. */
	rtpp_conf_resolve(info, &conf);
	rtpp_sb_put(info->sb, &conf);
	nf_defrag_ipv4_disable(par->net);
}

static struct xt_target rtpp_tg_reg __read_mostly = {
	.name		= "RTPPROXY",
	.revision	= 0,
	.family		= NFPROTO_IPV4,
	/* raw or mangle: checked by rtpp_tg_check().  Raw has PREROUTING
	 * and OUTPUT, the hooks where packets are taken; mangle also INPUT
	 * and POSTROUTING, which the manual's recipe jumps from (the target
	 * lets everything through there). */
	.hooks		= (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) |
			  (1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING),
	.target		= rtpp_tg,
	.checkentry	= rtpp_tg_check,
	.destroy	= rtpp_tg_destroy,
	.targetsize	= sizeof(struct xt_rtpproxy_tginfo),
	.usersize	= offsetof(struct xt_rtpproxy_tginfo, sb),
	.me		= THIS_MODULE,
};

int rtpp_target_init(void)
{
	return xt_register_target(&rtpp_tg_reg);
}

void rtpp_target_exit(void)
{
	xt_unregister_target(&rtpp_tg_reg);
}
