// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: opening a handle (socket options, family resolution and
 * version check), closing it, and error texts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "decode.h"

/* The text of the last failed rtpp_open() of this thread (no handle). */
static __thread char open_errmsg[RTPP_MSG_SIZE];
static __thread char open_strerr[2 * RTPP_MSG_SIZE];

static int family_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		     void *arg)
{
	return rtpp_decode_family(nlh, arg, h->errmsg, sizeof(h->errmsg));
}

struct family_pick {
	struct rtpp_family f;
	bool found;
};

static int family_pick_cb(struct rtpp_handle *h, const struct nlmsghdr *nlh,
			  void *arg)
{
	struct family_pick *p = arg;
	int ret = rtpp_decode_family_pick(nlh, &p->f, h->errmsg,
					  sizeof(h->errmsg));

	if (ret == 1)
		p->found = true;
	return ret < 0 ? ret : 0;
}

/*
 * By name, the controller calls request_module() for a family it does not
 * have; its dump of every family does not.
 */
static int resolve(struct rtpp_handle *h, unsigned int flags)
{
	struct family_pick p = { .found = false };
	struct nlmsghdr *nlh;
	int err;

	if (flags & RTPP_OPEN_NO_LOAD) {
		rtpp_req(h, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_DUMP);
		err = rtpp_xfer(h, family_pick_cb, &p);
	} else {
		nlh = rtpp_req(h, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, XT_RTPPROXY_GENL_NAME);
		err = rtpp_xfer(h, family_cb, &p.f);
		if (err == -ENOENT)
			return RTPP_ERR_NO_MODULE;
		p.found = true;
	}
	if (err)
		return err;
	err = rtpp_family_check(&p.f, p.found, h->errmsg, sizeof(h->errmsg));
	if (err)
		return err;
	h->family = p.f.id;
	h->version = p.f.version;
	h->maxattr = p.f.maxattr;
	h->has_mcgrp = p.f.has_mcgrp;
	h->mcgrp = p.f.mcgrp;
	return 0;
}

static void set_opt(struct rtpp_handle *h, int opt)
{
	int one = 1;

	/* Older kernels lack these: messages are then only less precise. */
	mnl_socket_setsockopt(h->nl, opt, &one, sizeof(one));
}

int rtpp_open(struct rtpp_handle **hp)
{
	return rtpp_open_flags(hp, 0);
}

int rtpp_open_flags(struct rtpp_handle **hp, unsigned int flags)
{
	struct rtpp_handle *h;
	int err;

	*hp = NULL;
	open_errmsg[0] = '\0';
	if (flags & ~RTPP_OPEN_NO_LOAD)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->rx.data = malloc(RTPP_RX_MIN);
	if (!h->rx.data) {
		err = -ENOMEM;
		goto fail;
	}
	h->rx.size = RTPP_RX_MIN;
	h->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!h->nl) {
		err = -errno;
		goto fail;
	}
	set_opt(h, NETLINK_EXT_ACK);
	set_opt(h, NETLINK_CAP_ACK);
	if (mnl_socket_bind(h->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	h->portid = mnl_socket_get_portid(h->nl);
	h->seq = (uint32_t)time(NULL);
	err = resolve(h, flags);
	if (err)
		goto fail;
	*hp = h;
	return 0;
fail:
	snprintf(open_errmsg, sizeof(open_errmsg), "%s", h->errmsg);
	rtpp_close(h);
	return err;
}

void rtpp_close(struct rtpp_handle *h)
{
	if (!h)
		return;
	if (h->ev)
		mnl_socket_close(h->ev);
	if (h->nl)
		mnl_socket_close(h->nl);
	rtpp_batch_free(h->batch);
	free(h->rx.data);
	free(h->evrx.data);
	free(h);
}

uint32_t rtpp_kernel_version(const struct rtpp_handle *h)
{
	return h->version;
}

const char *rtpp_last_extack(const struct rtpp_handle *h)
{
	return h && h->has_extack ? h->extack : NULL;
}

static const char *base_text(int err)
{
	switch (err) {
	case RTPP_ERR_NO_MODULE:
		return "kernel module xt_RTPPROXY is not loaded";
	case RTPP_ERR_VERSION:
		return "kernel module xt_RTPPROXY speaks another control protocol version";
	case RTPP_ERR_PROTO:
		return "malformed reply from the kernel";
	case RTPP_ERR_NO_EVENTS:
		return "no event group to subscribe to";
	case RTPP_ERR_INTR:
		return "the kernel's listing kept changing while it was read: try again";
	case -ENOENT:
		return "no such switchboard";
	case -ENOSPC:
		return "switchboard full: no free session";
	case -EPERM:
		return "operation not permitted: missing capability CAP_NET_ADMIN";
	case -EINVAL:
		return "invalid request";
	case -ERANGE:
		return "value out of range";
	}
	return strerror(-err);
}

const char *rtpp_strerror(struct rtpp_handle *h, int err)
{
	const char *base = base_text(err);
	const char *detail = NULL;
	char *buf = h ? h->strerr : open_strerr;
	size_t len = h ? sizeof(h->strerr) : sizeof(open_strerr);

	if (err <= RTPP_ERR_NO_MODULE && err >= RTPP_ERR_INTR) {
		const char *msg = h ? h->errmsg : open_errmsg;

		if (msg[0])		/* already complete */
			base = msg;
	} else if (h && h->has_extack && err != -ENOENT && err != -ENOSPC &&
		   err != -EPERM) {
		/* those say it all; rtpp_last_extack() still has the kernel's */
		detail = h->extack;
	}
	if (!detail)
		return base;
	snprintf(buf, len, "%s: %s", base, detail);
	return buf;
}
