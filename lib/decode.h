/* SPDX-License-Identifier: GPL-2.0 */
/*
 * librtpproxy: decoding of the kernel's replies and events into the
 * structs of rtpproxy.h.  Pure functions of a message, so that the unit
 * tests can feed them messages they built.  Each returns 0 or
 * RTPP_ERR_PROTO with a description of what is wrong in err.
 */
#ifndef RTPP_DECODE_H
#define RTPP_DECODE_H

#include <linux/netlink.h>
#include "rtpproxy.h"

/*
 * Whether a whole message starts at nlh within the len bytes left of a
 * datagram: for walking a datagram's messages instead of mnl_nlmsg_ok(),
 * which compares nlmsg_len as a signed int, so that a message claiming 2 GB
 * or more passes it and the decoders would read past the datagram.
 */
static inline bool rtpp_nlmsg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/* What CTRL_CMD_GETFAMILY says about a family. */
struct rtpp_family {
	uint16_t id;
	uint32_t version;
	uint32_t maxattr;		/* the highest RTPP_A_* it knows */
	bool has_mcgrp;
	uint32_t mcgrp;			/* the XT_RTPPROXY_GENL_MCGRP group */
};

/* decode_ctrl.c: the reply to a CTRL_CMD_GETFAMILY request by name */
int rtpp_decode_family(const struct nlmsghdr *nlh, struct rtpp_family *f,
		       char *err, size_t errlen);
/*
 * One message of a CTRL_CMD_GETFAMILY dump (every family): returns 1 and
 * fills *f when it describes XT_RTPPROXY_GENL_NAME, 0 (*f untouched) when
 * another family, or RTPP_ERR_PROTO.
 */
int rtpp_decode_family_pick(const struct nlmsghdr *nlh, struct rtpp_family *f,
			    char *err, size_t errlen);
/*
 * Whether the family looked up (found false: it was not there) is one this
 * library speaks to: 0, or RTPP_ERR_NO_MODULE, RTPP_ERR_PROTO (no family
 * id) or RTPP_ERR_VERSION, with the message in err ("" for NO_MODULE).
 */
int rtpp_family_check(const struct rtpp_family *f, bool found,
		      char *err, size_t errlen);
int rtpp_decode_info(const struct nlmsghdr *nlh, struct rtpp_info *out,
		     char *err, size_t errlen);
/* a GET_SB dump message: one RTPP_A_SB nest */
int rtpp_decode_sb_msg(const struct nlmsghdr *nlh, struct rtpp_sb *out,
		       char *err, size_t errlen);
/* a GET_SESS dump message or an ALLOC reply */
int rtpp_decode_sess_msg(const struct nlmsghdr *nlh, struct rtpp_sess *out,
			 char *err, size_t errlen);
/* an UPDATE or DELETE reply */
int rtpp_decode_count(const struct nlmsghdr *nlh, unsigned int *count,
		      char *err, size_t errlen);
/*
 * A RESET reply: RTPP_A_STATS into *global (if not NULL), then cb for each
 * RTPP_A_SB nest.  Returns cb's first non-zero value, if any.
 */
int rtpp_decode_reset(const struct nlmsghdr *nlh, struct rtpp_stats *global,
		      rtpp_sb_cb cb, void *arg, char *err, size_t errlen);
int rtpp_decode_event(const struct nlmsghdr *nlh, struct rtpp_event_msg *out,
		      char *err, size_t errlen);

/*
 * The end of the reply to request @req: @nlh is its NLMSG_ERROR (the
 * acknowledgement) or NLMSG_DONE.  Returns the request's result (0 or a
 * negative errno), or RTPP_ERR_PROTO with a message in err for a truncated
 * acknowledgement.  The kernel's extended-ack message goes to ext, with the
 * request attribute it points at or names as missing ("bad port
 * (SB/PORT_A)"); "" when there was none.  decode_ack.c.
 */
int rtpp_decode_end(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
		    char *ext, size_t extlen, char *err, size_t errlen);

/*
 * Names, for error messages, the attribute of request @req that starts at
 * byte offset @offs (as NLMSGERR_ATTR_OFFS gives it): "SESS/SIDE_A/RTP/PORT".
 * Returns false if no attribute starts there.
 */
bool rtpp_attr_path(const struct nlmsghdr *req, uint32_t offs,
		    char *buf, size_t len);
/* Names attribute @type missing in the nest at @nest_offs (0: top level). */
bool rtpp_missing_path(const struct nlmsghdr *req, uint32_t nest_offs,
		       uint32_t type, char *buf, size_t len);

#endif /* RTPP_DECODE_H */
