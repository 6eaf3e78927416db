// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: decoding the generic netlink controller's description of a
 * family (CTRL_CMD_GETFAMILY replies), and picking ours out of a dump of
 * them all.
 */
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "attr.h"
#include "decode.h"

static const struct attr_desc mcgrp_attrs[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= AD(STR, "MCAST_GRP_NAME"),
	[CTRL_ATTR_MCAST_GRP_ID]	= AD(U32, "MCAST_GRP_ID"),
};
static const struct nest_desc mcgrp_space = { CTRL_ATTR_MCAST_GRP_MAX, mcgrp_attrs };

static const struct attr_desc ctrl_attrs[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= AD(U16, "FAMILY_ID"),
	[CTRL_ATTR_FAMILY_NAME]		= AD(STR, "FAMILY_NAME"),
	[CTRL_ATTR_VERSION]		= AD(U32, "VERSION"),
	[CTRL_ATTR_MAXATTR]		= AD(U32, "MAXATTR"),
	[CTRL_ATTR_MCAST_GROUPS]	= AD(NEST, "MCAST_GROUPS"),
};
static const struct nest_desc ctrl_space = { CTRL_ATTR_MAX, ctrl_attrs };

struct family_ctx {
	struct dec *d;
	struct rtpp_family *f;
};

static int family_group(const struct nlattr *grp, struct family_ctx *c)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int ret = rtpp_dec_parse_nest(grp, &mcgrp_space, c->d, tb);

	if (ret)
		return ret;
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    XT_RTPPROXY_GENL_MCGRP)) {
		c->f->has_mcgrp = true;
		c->f->mcgrp = get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

/* Fills *f from a parsed family message. */
static int family(const struct nlattr **tb, struct rtpp_family *f,
		  struct dec *d)
{
	const struct nlattr *grp;
	struct family_ctx c = { d, f };
	int ret = 0;

	memset(f, 0, sizeof(*f));
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return rtpp_dec_bad(d, "family without FAMILY_ID");
	f->id = get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	f->version = get_u32(tb[CTRL_ATTR_VERSION]);
	f->maxattr = get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	rtpp_dec_push(d, "MCAST_GROUPS");
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		ret = family_group(grp, &c);
		if (ret)
			break;
	}
	rtpp_dec_pop(d);
	return ret;
}

int rtpp_decode_family(const struct nlmsghdr *nlh, struct rtpp_family *f,
		       char *err, size_t errlen)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	memset(f, 0, sizeof(*f));
	ret = rtpp_dec_parse_msg(nlh, &ctrl_space, &d, tb);
	return ret ? ret : family(tb, f, &d);
}

int rtpp_decode_family_pick(const struct nlmsghdr *nlh, struct rtpp_family *f,
			    char *err, size_t errlen)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct dec d;
	int ret;

	rtpp_dec_init(&d, err, errlen);
	ret = rtpp_dec_parse_msg(nlh, &ctrl_space, &d, tb);
	if (ret)
		return ret;
	/* Other families are only looked at as far as their name. */
	if (!tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]),
		   XT_RTPPROXY_GENL_NAME))
		return 0;
	ret = family(tb, f, &d);
	return ret ? ret : 1;
}

int rtpp_family_check(const struct rtpp_family *f, bool found,
		      char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!found)
		return RTPP_ERR_NO_MODULE;
	if (!f->id) {
		snprintf(err, errlen, "malformed reply: no family in CTRL_CMD_GETFAMILY reply");
		return RTPP_ERR_PROTO;
	}
	if (f->version != XT_RTPPROXY_GENL_VERSION) {
		snprintf(err, errlen, "kernel module xt_RTPPROXY speaks control protocol version %u, this program version %u: install matching versions",
			 f->version, XT_RTPPROXY_GENL_VERSION);
		return RTPP_ERR_VERSION;
	}
	return 0;
}
