// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: the commands of the control protocol, one function each.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"
#include "decode.h"

static struct nlmsghdr *req_do(struct rtpp_handle *h, uint8_t cmd)
{
	return rtpp_req(h, h->family, cmd, XT_RTPPROXY_GENL_VERSION, NLM_F_ACK);
}

static struct nlmsghdr *req_dump(struct rtpp_handle *h, uint8_t cmd)
{
	return rtpp_req(h, h->family, cmd, XT_RTPPROXY_GENL_VERSION, NLM_F_DUMP);
}

/* Exactly one reply message is expected from these commands. */
struct one {
	bool seen;
	void *out;
};

static int info_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh, void *arg)
{
	struct one *o = arg;

	o->seen = true;
	return rtpp_decode_info(nlh, o->out, h->errmsg, sizeof(h->errmsg));
}

static int no_reply(struct rtpp_handle *h, const char *cmd)
{
	return rtpp_set_error(h, RTPP_ERR_PROTO,
			      "malformed reply: the kernel acknowledged %s without a reply",
			      cmd);
}

int rtpp_info(struct rtpp_handle *h, struct rtpp_info *out)
{
	struct one o = { false, out };
	int err;

	req_do(h, RTPP_CMD_GET_INFO);
	err = rtpp_xfer(h, info_cb, &o);
	if (!err && !o.seen)
		err = no_reply(h, "GET_INFO");
	return err;
}

struct list_ctx {
	rtpp_sb_cb sb_cb;
	rtpp_sess_cb sess_cb;
	void *arg;
};

static int sb_msg_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		     void *arg)
{
	struct list_ctx *c = arg;
	struct rtpp_sb sb;
	int err = rtpp_decode_sb_msg(nlh, &sb, h->errmsg, sizeof(h->errmsg));

	return err ? err : c->sb_cb(&sb, c->arg);
}

int rtpp_list_sb_flags(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		       unsigned int flags, rtpp_sb_cb cb, void *arg)
{
	struct list_ctx c = { .sb_cb = cb, .arg = arg };
	struct nlmsghdr *nlh = req_dump(h, RTPP_CMD_GET_SB);

	if (filter)
		rtpp_put_sb_spec(nlh, filter);
	if (flags & RTPP_LIST_NO_STATES)
		mnl_attr_put(nlh, RTPP_A_NO_SESS, 0, NULL);
	return flags & RTPP_LIST_STREAM ? rtpp_xfer(h, sb_msg_cb, &c) :
					  rtpp_xfer_list(h, sb_msg_cb, &c);
}

int rtpp_list_sb(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		 rtpp_sb_cb cb, void *arg)
{
	return rtpp_list_sb_flags(h, filter, 0, cb, arg);
}

static int sess_msg_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		       void *arg)
{
	struct list_ctx *c = arg;
	struct rtpp_sess s;
	int err = rtpp_decode_sess_msg(nlh, &s, h->errmsg, sizeof(h->errmsg));

	return err ? err : c->sess_cb(&s, c->arg);
}

int rtpp_list_sess(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		   uint32_t lo, uint32_t hi, rtpp_sess_cb cb, void *arg)
{
	return rtpp_list_sess_flags(h, filter, lo, hi, 0, cb, arg);
}

int rtpp_list_sess_flags(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
			 uint32_t lo, uint32_t hi, unsigned int flags,
			 rtpp_sess_cb cb, void *arg)
{
	struct list_ctx c = { .sess_cb = cb, .arg = arg };
	struct nlmsghdr *nlh = req_dump(h, RTPP_CMD_GET_SESS);

	if (filter)
		rtpp_put_sb_spec(nlh, filter);
	if (lo != 0 || hi != RTPP_ID_ALL)
		rtpp_put_range(nlh, lo, hi);
	return flags & RTPP_LIST_STREAM ? rtpp_xfer(h, sess_msg_cb, &c) :
					  rtpp_xfer_list(h, sess_msg_cb, &c);
}

static int sess_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		   void *arg)
{
	struct one *o = arg;

	o->seen = true;
	return rtpp_decode_sess_msg(nlh, o->out, h->errmsg, sizeof(h->errmsg));
}

int rtpp_alloc(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
	       const struct rtpp_sess_params *params, struct rtpp_sess *out)
{
	struct rtpp_sess dummy;
	struct one o = { false, out ? out : &dummy };
	struct nlmsghdr *nlh = req_do(h, RTPP_CMD_ALLOC);
	int err;

	rtpp_put_sb_spec(nlh, spec);
	rtpp_put_sess_params(nlh, params);
	err = rtpp_xfer(h, sess_cb, &o);
	if (!err && !o.seen)
		err = no_reply(h, "ALLOC");
	return err;
}

static int count_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct one *o = arg;

	o->seen = true;
	return rtpp_decode_count(nlh, o->out, h->errmsg, sizeof(h->errmsg));
}

static int xfer_count(struct rtpp_handle *h, const char *cmd,
		      unsigned int *count)
{
	unsigned int dummy;
	struct one o = { false, count ? count : &dummy };
	int err = rtpp_xfer(h, count_cb, &o);

	if (!err && !o.seen)
		err = no_reply(h, cmd);
	return err;
}

int rtpp_update(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range,
		const struct rtpp_sess_params *params, unsigned int *count)
{
	struct nlmsghdr *nlh = req_do(h, RTPP_CMD_UPDATE);

	rtpp_put_sb_spec(nlh, spec);
	if (has_range)
		rtpp_put_range(nlh, lo, hi);
	rtpp_put_sess_params(nlh, params);
	return xfer_count(h, "UPDATE", count);
}

int rtpp_delete(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range, unsigned int *count)
{
	struct nlmsghdr *nlh = req_do(h, RTPP_CMD_DELETE);

	if (spec)
		rtpp_put_sb_spec(nlh, spec);
	if (has_range)
		rtpp_put_range(nlh, lo, hi);
	return xfer_count(h, "DELETE", count);
}

struct reset_ctx {
	bool seen;
	struct rtpp_stats *global;
	rtpp_sb_cb cb;
	void *arg;
};

static int reset_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct reset_ctx *c = arg;

	c->seen = true;
	return rtpp_decode_reset(nlh, c->global, c->cb, c->arg, h->errmsg,
				 sizeof(h->errmsg));
}

static struct nlmsghdr *req_reset(struct rtpp_handle *h, enum rtpp_reset what,
				  const struct rtpp_sb_spec *spec, bool dump)
{
	struct nlmsghdr *nlh = dump ? req_dump(h, RTPP_CMD_RESET) :
				      req_do(h, RTPP_CMD_RESET);

	mnl_attr_put_u32(nlh, RTPP_A_RESET, what);
	if (spec)
		rtpp_put_sb_spec(nlh, spec);
	return nlh;
}

/*
 * The global reset and a named switchboard's are one request and one
 * reply message.  A reset of every switchboard is a dump: one message per
 * switchboard, none when there is none, each switchboard cleared by the
 * kernel as its message is made.  It is never repeated (a second try would
 * clear again what the first one's lost reply held), and it is read to its
 * end even after the callback stopped.  A kernel module older than this
 * library answers the dump form with EOPNOTSUPP: it then gets the single
 * request it knows, whose one reply holds every switchboard.
 */
int rtpp_reset(struct rtpp_handle *h, enum rtpp_reset what,
	       const struct rtpp_sb_spec *spec, rtpp_sb_cb cb, void *arg,
	       struct rtpp_stats *global_cleared)
{
	struct reset_ctx c = { false, global_cleared, cb, arg };
	bool every = what != RTPP_RESET_GLOBAL && !spec;
	int err;

	if (global_cleared)
		memset(global_cleared, 0, sizeof(*global_cleared));
	req_reset(h, what, spec, every);
	err = rtpp_xfer(h, reset_cb, &c);
	if (every && err == -EOPNOTSUPP && !c.seen) {
		req_reset(h, what, spec, false);
		err = rtpp_xfer(h, reset_cb, &c);
	} else if (every) {
		return err;
	}
	if (!err && !c.seen)
		err = no_reply(h, "RESET");
	return err;
}

int rtpp_audit(struct rtpp_handle *h)
{
	req_do(h, RTPP_CMD_AUDIT);
	return rtpp_xfer(h, NULL, NULL);
}
