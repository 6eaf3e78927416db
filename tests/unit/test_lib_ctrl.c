// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of librtpproxy's decoding of the generic netlink controller's
 * replies (lib/decode_ctrl.c): a family asked for by name, and ours picked
 * out of a dump of every family, as rtpp_open_flags(RTPP_OPEN_NO_LOAD)
 * does; then the checks both ways share.
 *
 * UNIT-SRCS: ../../lib/attr.c ../../lib/decode_ctrl.c
 * UNIT-PKGS: libmnl
 */
#include <check.h>
#include "unit.h"
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "../../lib/decode.h"

static union {
	char b[16384];
	struct nlmsghdr align;
} buf;
static char err[256];

/* A CTRL_CMD_NEWFAMILY message at p, as the controller sends them. */
static struct nlmsghdr *fam_msg(char *p)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g->cmd = CTRL_CMD_NEWFAMILY;
	g->version = 2;
	return nlh;
}

static void put_group(struct nlmsghdr *nlh, uint16_t idx, const char *name,
		      uint32_t id)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, idx);

	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_nest_end(nlh, n);
}

/* A family with one multicast group (none if grp is NULL). */
static struct nlmsghdr *put_family(char *p, uint16_t id, const char *name,
				   uint32_t version, const char *grp,
				   uint32_t grp_id)
{
	struct nlmsghdr *nlh = fam_msg(p);
	struct nlattr *n;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, version);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 10);
	if (grp) {
		n = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
		put_group(nlh, 1, grp, grp_id);
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

/* Appends a family message to a dump being built in buf; returns its end. */
#define DUMP_ADD(at, ...) \
	((at) + NLMSG_ALIGN(put_family((at), __VA_ARGS__)->nlmsg_len))

/*
 * What handle.c does with the dump: every message through the pick, then
 * the check.  *picked says how many messages were ours.
 */
static int pick_dump(const char *end, struct rtpp_family *f, int *picked)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf.b;
	int len = end - buf.b, ret;
	bool found = false;

	*picked = 0;
	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		ret = rtpp_decode_family_pick(nlh, f, err, sizeof(err));
		if (ret < 0)
			return ret;
		if (ret == 1) {
			found = true;
			++*picked;
		}
	}
	return rtpp_family_check(f, found, err, sizeof(err));
}

START_TEST(family)
{
	struct nlmsghdr *nlh = fam_msg(buf.b);
	struct rtpp_family f;
	struct nlattr *n;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, XT_RTPPROXY_GENL_NAME);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 3);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, RTPP_A_MAX);
	n = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "other", 3);
	put_group(nlh, 2, XT_RTPPROXY_GENL_MCGRP, 7);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(rtpp_decode_family(nlh, &f, err, sizeof(err)), 0);
	ck_assert_uint_eq(f.id, 0x1d);
	ck_assert_uint_eq(f.version, 3);
	ck_assert_uint_eq(f.maxattr, RTPP_A_MAX);	/* what flags it knows */
	ck_assert(f.has_mcgrp);
	ck_assert_uint_eq(f.mcgrp, 7);

	nlh = fam_msg(buf.b);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1e);
	ck_assert_int_eq(rtpp_decode_family(nlh, &f, err, sizeof(err)), 0);
	ck_assert(!f.has_mcgrp);
	ck_assert_uint_eq(f.version, 0);
	ck_assert_uint_eq(f.maxattr, 0);
}
END_TEST

/* Ours among others, not first, not last: its values, nobody else's. */
START_TEST(pick_among_several)
{
	struct rtpp_family f = { .id = 0xdead };
	char *end = buf.b;
	int picked;

	end = DUMP_ADD(end, 0x10, "nlctrl", 2, "notify", 1);
	end = DUMP_ADD(end, 0x14, "RTPPROX", 9, XT_RTPPROXY_GENL_MCGRP, 4);
	end = DUMP_ADD(end, 0x1b, XT_RTPPROXY_GENL_NAME, XT_RTPPROXY_GENL_VERSION,
		       XT_RTPPROXY_GENL_MCGRP, 9);
	end = DUMP_ADD(end, 0x1c, "RTPPROXY2", 8, XT_RTPPROXY_GENL_MCGRP, 11);
	end = DUMP_ADD(end, 0x15, "devlink", 1, "config", 5);
	ck_assert_int_eq(pick_dump(end, &f, &picked), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(picked, 1);
	ck_assert_uint_eq(f.id, 0x1b);
	ck_assert_uint_eq(f.version, XT_RTPPROXY_GENL_VERSION);
	ck_assert(f.has_mcgrp);
	ck_assert_uint_eq(f.mcgrp, 9);
}
END_TEST

/* Not there (look-alike names included): not loaded; f untouched. */
START_TEST(pick_none)
{
	struct rtpp_family f = { .id = 0xdead, .version = 77 };
	char *end = buf.b;
	int picked;

	end = DUMP_ADD(end, 0x10, "nlctrl", 2, "notify", 1);
	end = DUMP_ADD(end, 0x14, "rtpproxy", 1, XT_RTPPROXY_GENL_MCGRP, 4);
	end = DUMP_ADD(end, 0x1c, "RTPPROXY2", 1, XT_RTPPROXY_GENL_MCGRP, 11);
	end = DUMP_ADD(end, 0x15, "devlink", 1, NULL, 0);
	ck_assert_int_eq(pick_dump(end, &f, &picked), RTPP_ERR_NO_MODULE);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(picked, 0);
	ck_assert_uint_eq(f.id, 0xdead);
	ck_assert_uint_eq(f.version, 77);

	/* an empty dump too */
	ck_assert_int_eq(pick_dump(buf.b, &f, &picked), RTPP_ERR_NO_MODULE);
}
END_TEST

/* Ours in another version: the same refusal as by name. */
START_TEST(pick_other_version)
{
	struct rtpp_family f;
	char *end = buf.b;
	int picked;

	end = DUMP_ADD(end, 0x10, "nlctrl", 2, "notify", 1);
	end = DUMP_ADD(end, 0x1b, XT_RTPPROXY_GENL_NAME,
		       XT_RTPPROXY_GENL_VERSION + 1, XT_RTPPROXY_GENL_MCGRP, 9);
	ck_assert_int_eq(pick_dump(end, &f, &picked), RTPP_ERR_VERSION);
	ck_assert_int_eq(picked, 1);
	ck_assert_ptr_nonnull(strstr(err, "speaks control protocol version 2, this program version 1"));
}
END_TEST

/* Only ours is decoded in full: another family's oddities do not matter. */
START_TEST(pick_malformed)
{
	struct rtpp_family f;
	struct nlmsghdr *nlh;

	nlh = fam_msg(buf.b);		/* another family without an id */
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ck_assert_int_eq(rtpp_decode_family_pick(nlh, &f, err, sizeof(err)), 0);

	nlh = fam_msg(buf.b);		/* ours without an id */
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, XT_RTPPROXY_GENL_NAME);
	ck_assert_int_eq(rtpp_decode_family_pick(nlh, &f, err, sizeof(err)),
			 RTPP_ERR_PROTO);
	ck_assert_str_eq(err, "malformed reply: family without FAMILY_ID");

	nlh = fam_msg(buf.b);		/* a name that is not a string */
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 3, "RTP");
	ck_assert_int_eq(rtpp_decode_family_pick(nlh, &f, err, sizeof(err)),
			 RTPP_ERR_PROTO);
	ck_assert_ptr_nonnull(strstr(err, "FAMILY_NAME"));
}
END_TEST

START_TEST(check)
{
	struct rtpp_family f = { .id = 0x1d, .version = XT_RTPPROXY_GENL_VERSION };

	ck_assert_int_eq(rtpp_family_check(&f, true, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(rtpp_family_check(&f, false, err, sizeof(err)),
			 RTPP_ERR_NO_MODULE);
	f.id = 0;
	ck_assert_int_eq(rtpp_family_check(&f, true, err, sizeof(err)),
			 RTPP_ERR_PROTO);
	ck_assert_str_eq(err, "malformed reply: no family in CTRL_CMD_GETFAMILY reply");
	f.id = 0x1d;
	f.version = 0;
	ck_assert_int_eq(rtpp_family_check(&f, true, err, sizeof(err)),
			 RTPP_ERR_VERSION);
	ck_assert_str_eq(err, "kernel module xt_RTPPROXY speaks control protocol version 0, this program version 1: install matching versions");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lib_ctrl");
	TCase *tc = tcase_create("family");

	tcase_add_test(tc, family);
	tcase_add_test(tc, pick_among_several);
	tcase_add_test(tc, pick_none);
	tcase_add_test(tc, pick_other_version);
	tcase_add_test(tc, pick_malformed);
	tcase_add_test(tc, check);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
