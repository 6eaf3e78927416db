// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: the end of a reply, the acknowledgement (NLMSG_ERROR) or the
 * end of a dump (NLMSG_DONE), with the extended ack they may carry, whose
 * attribute offset is named by looking into the request sent.  A pure
 * function of the two messages, so that the fuzz target can feed it.
 */
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include "decode.h"

#define MOD_PREFIX "xt_RTPPROXY: "

/* The NLMSGERR_ATTR_* at tlv into out ("" when they say nothing). */
static void extack(const struct nlmsghdr *req, const void *tlv, size_t len,
		   char *out, size_t outlen)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const char *p = tlv, *end = p + len;
	char where[96] = "";
	const char *msg;
	size_t n;

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = mnl_attr_get_type(a);

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			break;
		if (type <= NLMSGERR_ATTR_MAX)
			tb[type] = a;
		p += MNL_ALIGN(a->nla_len);
	}
	if (tb[NLMSGERR_ATTR_MSG] && mnl_attr_validate(tb[NLMSGERR_ATTR_MSG],
						       MNL_TYPE_NUL_STRING) < 0)
		tb[NLMSGERR_ATTR_MSG] = NULL;
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    mnl_attr_validate(tb[NLMSGERR_ATTR_OFFS], MNL_TYPE_U32) == 0)
		rtpp_attr_path(req, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]),
			       where, sizeof(where));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    mnl_attr_validate(tb[NLMSGERR_ATTR_MISS_TYPE], MNL_TYPE_U32) == 0) {
		uint32_t nest = 0;
		char miss[80];

		if (tb[NLMSGERR_ATTR_MISS_NEST] &&
		    mnl_attr_validate(tb[NLMSGERR_ATTR_MISS_NEST], MNL_TYPE_U32) == 0)
			nest = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
		if (rtpp_missing_path(req, nest,
				      mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
				      miss, sizeof(miss)))
			snprintf(where, sizeof(where), "missing %s", miss);
	}
	if (!tb[NLMSGERR_ATTR_MSG] && !where[0])
		return;
	msg = tb[NLMSGERR_ATTR_MSG] ? mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]) :
				      "invalid attribute";
	/* NL_SET_ERR_MSG_MOD()'s prefix says nothing a reader needs */
	if (!strncmp(msg, MOD_PREFIX, strlen(MOD_PREFIX)))
		msg += strlen(MOD_PREFIX);
	n = snprintf(out, outlen, "%s", msg);
	if (where[0] && n < outlen)
		snprintf(out + n, outlen - n, " (%s)", where);
}

static int ack(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
	       char *ext, size_t extlen, char *err, size_t errlen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN, off = sizeof(*e);

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
		snprintf(err, errlen, "malformed reply: truncated acknowledgement");
		return RTPP_ERR_PROTO;
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
		if (off < len)
			extack(req, (const char *)e + off, len - off, ext, extlen);
	}
	return e->error > 0 ? -e->error : e->error;
}

static int done(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
		char *ext, size_t extlen)
{
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
	int err;

	if (len < sizeof(int))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		extack(req, (const char *)mnl_nlmsg_get_payload(nlh) +
		       sizeof(int), len - sizeof(int), ext, extlen);
	return err > 0 ? -err : err;
}

int rtpp_decode_end(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
		    char *ext, size_t extlen, char *err, size_t errlen)
{
	if (extlen)
		ext[0] = '\0';
	if (errlen)
		err[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return ack(req, nlh, ext, extlen, err, errlen);
	return done(req, nlh, ext, extlen);
}
