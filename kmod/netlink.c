// SPDX-License-Identifier: GPL-2.0
/*
 * The generic-netlink control protocol (see include/xt_RTPPROXY.h): the
 * family, its attribute policies and the parsing of requests.  The commands
 * live by concern: nl_cmd.c (requests), nl_dump.c (listings), reset.c,
 * event.c (multicast), nl_put.c (what replies are made of).
 *
 * Requests run under the namespace's rtpp_net.lock.  Dumps keep their place
 * in cb->args (switchboard id, then slot), so a switchboard of any size is
 * listed one socket buffer at a time.
 *
 * The family has parallel_ops: generic netlink does not take its global
 * genl_mutex around our commands, which would otherwise serialise them with
 * those of every other family without parallel_ops in every namespace (an
 * audit of 30,000 sessions or a reset of thousands of switchboards in one
 * namespace would hold up nl80211, devlink and the rest).  Nothing here
 * needs it: every command takes its namespace's rtpp_net.lock for what it
 * reads or changes, pre_doit only reads the request, the family and the
 * policies are read-only, and rtpp_loaded_ms is set before registration.
 * Unregistering the family still waits for commands in flight (genl's
 * cb_lock), and a dump in flight holds a reference to the module.
 */
#include <linux/netlink.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "rtpp.h"
#include "netlink.h"

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
	[RTPP_A_BRIEF]		= { .type = NLA_FLAG },
};

int rtpp_nl_check_version(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
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
	return rtpp_nl_check_version(info->nlhdr, info->extack);
}

/* --- requests ----------------------------------------------------------- */

/*
 * The attributes of a nest, by type.  Every nest a command reads was
 * validated with its request: the family's policy nests the ones of its
 * attributes, and genl checks the whole request against it, nests within
 * nests, before the command runs (dumps included).  Parsing a nest again
 * with its policy would validate it once more for each level above it; an
 * allocation's streams were checked four times.
 */
static void take_nested(struct nlattr **tb, int max, const struct nlattr *nest)
{
	/* Cannot fail on a validated nest; tb is cleared first either way. */
	WARN_ON_ONCE(nla_parse_nested(tb, max, nest, NULL, NULL));
}

int rtpp_nl_parse_spec(const struct nlattr *nest, struct rtpp_sb_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RTPP_A_SB_MAX + 1];
	struct rtpp_gate *a = &spec->gate[RTPP_GATE_A];
	struct rtpp_gate *b = &spec->gate[RTPP_GATE_B];

	take_nested(tb, RTPP_A_SB_MAX, nest);
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

struct rtpp_switchboard *rtpp_nl_next_sb(struct rtpp_net *rn,
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

struct rtpp_switchboard *rtpp_nl_find_sb(struct rtpp_net *rn,
					const struct rtpp_sb_spec *spec,
					struct netlink_ext_ack *extack)
{
	struct rtpp_switchboard *sb = rtpp_nl_next_sb(rn, spec, 0);

	if (!sb)
		NL_SET_ERR_MSG_MOD(extack, "no such switchboard");
	return sb;
}

static void parse_stream(const struct nlattr *nest, struct rtpp_stream_params *sp)
{
	struct nlattr *tb[RTPP_A_STREAM_MAX + 1];

	take_nested(tb, RTPP_A_STREAM_MAX, nest);
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

	take_nested(tb, RTPP_A_SIDE_MAX, nest);
	if (tb[RTPP_A_SIDE_ALWAYS_LEARN]) {
		sp->has_always = true;
		sp->always = nla_get_u8(tb[RTPP_A_SIDE_ALWAYS_LEARN]);
	}
	if (tb[RTPP_A_SIDE_RTP])
		parse_stream(tb[RTPP_A_SIDE_RTP], &sp->st[RTPP_RTP]);
	if (tb[RTPP_A_SIDE_RTCP])
		parse_stream(tb[RTPP_A_SIDE_RTCP], &sp->st[RTPP_RTCP]);
}

int rtpp_nl_parse_params(struct net *net, const struct nlattr *nest,
			 struct rtpp_params *p, bool alloc,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RTPP_A_SESS_MAX + 1];
	int err;

	memset(p, 0, sizeof(*p));
	if (nest) {
		err = rtpp_nl_check_clients(net, nest, extack);
		if (err)
			return err;
		take_nested(tb, RTPP_A_SESS_MAX, nest);
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
bool rtpp_nl_parse_range(struct nlattr **attrs, u32 *lo, u32 *hi)
{
	*lo = attrs[RTPP_A_SESS_ID_LO] ? nla_get_u32(attrs[RTPP_A_SESS_ID_LO]) : 0;
	if (attrs[RTPP_A_SESS_ID_HI])
		*hi = nla_get_u32(attrs[RTPP_A_SESS_ID_HI]);
	else
		*hi = attrs[RTPP_A_SESS_ID_LO] ? *lo : U32_MAX;
	return attrs[RTPP_A_SESS_ID_LO] || attrs[RTPP_A_SESS_ID_HI];
}

/* --- family ------------------------------------------------------------- */

static const struct genl_ops rtpp_ops[] = {
	{ .cmd = RTPP_CMD_GET_INFO, .doit = rtpp_nl_get_info, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_GET_SB, .dumpit = rtpp_nl_dump_sb,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_GET_SESS, .dumpit = rtpp_nl_dump_sess,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_ALLOC, .doit = rtpp_nl_alloc, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_UPDATE, .doit = rtpp_nl_update, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_DELETE, .doit = rtpp_nl_delete, .flags = GENL_UNS_ADMIN_PERM },
	/* A reset of every switchboard is a dump (see reset.c). */
	{ .cmd = RTPP_CMD_RESET, .doit = rtpp_nl_reset, .dumpit = rtpp_nl_dump_reset,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RTPP_CMD_AUDIT, .doit = rtpp_nl_audit, .flags = GENL_UNS_ADMIN_PERM },
};

static const struct genl_multicast_group rtpp_mcgrps[] = {
	{ .name = XT_RTPPROXY_GENL_MCGRP, .flags = GENL_UNS_ADMIN_PERM },
};

struct genl_family rtpp_genl __ro_after_init = {
	.name		= XT_RTPPROXY_GENL_NAME,
	.version	= XT_RTPPROXY_GENL_VERSION,
	.maxattr	= RTPP_A_MAX,
	.policy		= rtpp_policy,
	.netnsok	= true,
	.parallel_ops	= true,		/* see the top of this file */
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
