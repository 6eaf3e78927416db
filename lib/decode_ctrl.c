// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: decoding the generic netlink controller's description of a
 * family (CTRL_CMD_GETFAMILY replies).
 */
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

int rtpp_decode_family(const struct nlmsghdr *nlh, struct rtpp_family *f,
		       char *err, size_t errlen)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp;
	struct dec d;
	struct family_ctx c = { &d, f };
	int ret;

	rtpp_dec_init(&d, err, errlen);
	memset(f, 0, sizeof(*f));
	ret = rtpp_dec_parse_msg(nlh, &ctrl_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return rtpp_dec_bad(&d, "family without FAMILY_ID");
	f->id = get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	f->version = get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	rtpp_dec_push(&d, "MCAST_GROUPS");
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		ret = family_group(grp, &c);
		if (ret)
			break;
	}
	rtpp_dec_pop(&d);
	return ret;
}
