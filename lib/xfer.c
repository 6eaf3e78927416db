// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: one request, its reply messages, its acknowledgement.
 *
 * Every request asks for an acknowledgement (do) or ends with NLMSG_DONE
 * (dump), so a reply always has an end to read up to: a callback that stops
 * early only stops being called, and the socket is drained for the next
 * request.  Errors carry the kernel's extended ack, whose attribute offset
 * is turned into the attribute's name by looking into the request sent.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "internal.h"
#include "decode.h"

struct nlmsghdr *rtpp_req(struct rtpp_handle *h, uint16_t type, uint8_t cmd,
			  uint8_t version, uint16_t flags)
{
	return rtpp_req_in(h, h->tx, type, cmd, version, flags);
}

struct nlmsghdr *rtpp_req_in(struct rtpp_handle *h, char *buf, uint16_t type,
			     uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if (++h->seq == 0)
		h->seq = 1;
	nlh->nlmsg_seq = h->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

int rtpp_set_error(struct rtpp_handle *h, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/*
 * Receives one datagram from the kernel into rx, growing rx to fit it.
 * Returns its length or a negative errno (-EAGAIN with MSG_DONTWAIT).
 */
ssize_t rtpp_recv(struct mnl_socket *nl, struct rtpp_rxbuf *rx, int flags)
{
	int fd = mnl_socket_get_fd(nl);
	struct sockaddr_nl from;
	struct iovec iov;
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | flags);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((size_t)n > rx->size) {
			size_t size = (size_t)n > RTPP_RX_MIN ? (size_t)n : RTPP_RX_MIN;
			char *data = realloc(rx->data, size);

			if (!data)
				return -ENOMEM;
			rx->data = data;
			rx->size = size;
		}
		iov.iov_base = rx->data;
		iov.iov_len = rx->size;
		msg.msg_namelen = sizeof(from);
		n = recvmsg(fd, &msg, flags);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (from.nl_pid != 0)	/* not from the kernel: ignore */
			continue;
		return n;
	}
}

int rtpp_xfer(struct rtpp_handle *h, rtpp_msg_cb cb, void *arg)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)h->tx;
	int status = 0;

	h->has_extack = false;
	h->dump_intr = false;
	h->extack[0] = '\0';
	h->errmsg[0] = '\0';
	status = rtpp_send(h, req, req->nlmsg_len);
	if (status)
		return status;
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n = rtpp_recv(h->nl, &h->rx, 0);
		int len, ret;

		if (n < 0)
			return n;
		len = n;
		for (nlh = (const struct nlmsghdr *)h->rx.data;
		     rtpp_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    nlh->nlmsg_pid != h->portid)
				continue;	/* a late reply to an old request */
			/* a dump that went on across changes (see dump.c) */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				h->dump_intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				return -ENOBUFS;
			case NLMSG_ERROR:
			case NLMSG_DONE:
				ret = rtpp_decode_end(req, nlh, h->extack,
						      sizeof(h->extack), h->errmsg,
						      sizeof(h->errmsg));
				h->has_extack = h->extack[0] != '\0';
				return status ? status : ret;
			}
			if (nlh->nlmsg_type != req->nlmsg_type)
				continue;
			if (!status && cb)
				status = cb(h, nlh, arg);
			/* a do reply without NLM_F_ACK would end here */
		}
	}
}
