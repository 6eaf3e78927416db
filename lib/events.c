// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: the "events" multicast group, on a socket of its own so that
 * events never mix with the replies to requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include "internal.h"
#include "decode.h"

int rtpp_events_subscribe(struct rtpp_handle *h)
{
	struct mnl_socket *ev;
	int grp, err;

	if (h->ev)
		return 0;
	if (!h->has_mcgrp)
		return rtpp_set_error(h, RTPP_ERR_NO_EVENTS,
				      "the RTPPROXY family has no \"%s\" group",
				      XT_RTPPROXY_GENL_MCGRP);
	ev = mnl_socket_open(NETLINK_GENERIC);
	if (!ev)
		return -errno;
	grp = h->mcgrp;
	if (mnl_socket_bind(ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(ev, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		err = -errno;
		mnl_socket_close(ev);
		return err;
	}
	h->ev = ev;
	return 0;
}

int rtpp_events_fd(const struct rtpp_handle *h)
{
	return h->ev ? mnl_socket_get_fd(h->ev) : -1;
}

int rtpp_events_read(struct rtpp_handle *h, rtpp_event_cb cb, void *arg)
{
	int count = 0;

	if (!h->ev)
		return rtpp_set_error(h, RTPP_ERR_NO_EVENTS,
				      "rtpp_events_subscribe() was not called");
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n = rtpp_recv(h->ev, &h->evrx, MSG_DONTWAIT);
		int len;

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return count;
		if (n < 0)
			return n;
		len = n;
		for (nlh = (const struct nlmsghdr *)h->evrx.data;
		     rtpp_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
			struct rtpp_event_msg ev;
			int err;

			if (nlh->nlmsg_type != h->family ||
			    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    g->cmd != RTPP_CMD_EVENT)
				continue;
			err = rtpp_decode_event(nlh, &ev, h->errmsg,
						sizeof(h->errmsg));
			if (err)
				return err;
			count++;
			if (cb) {
				err = cb(&ev, arg);
				if (err)
					return err;
			}
		}
	}
}
