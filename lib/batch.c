// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: allocations and deletions in batches.
 *
 * A proxy that sets up calls by the hundred pays, per request alone, a
 * send and two receives (the reply, then the acknowledgement).  A batch
 * puts up to RTPP_BATCH_WINDOW requests in one datagram.  The kernel's
 * netlink code runs them one after the other, each exactly as if it had
 * come alone, with its own reply or error; one that fails (a full
 * switchboard, no such session) does not stop the ones after it.
 *
 * Only the last request of a window asks for an acknowledgement.  The
 * kernel answers a request that fails with its error whether asked or not,
 * and answers in order: once that acknowledgement is read, every earlier
 * request of the window has had its reply or its error, and one that had
 * neither is a protocol error, not a reply still to wait for.  The
 * replies are read many to a system call (recvmmsg).
 *
 * The window bounds what the replies hold in the socket's receive buffer
 * at once (a reply the kernel cannot queue is lost, and with it the id of
 * a session it allocated): 32 replies of a few hundred bytes each, far
 * below the buffer's default size.
 */
#define _GNU_SOURCE		/* struct mmsghdr */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "internal.h"
#include "decode.h"

#define RTPP_BATCH_WINDOW	32
/* A reply's datagram: a session with call quality is under 2 KiB. */
#define RTPP_BATCH_RX		8192
/* A window's replies or errors, and the acknowledgement of its last. */
#define RTPP_BATCH_DGRAMS	(RTPP_BATCH_WINDOW + 1)

/*
 * What differs between the commands: their items, how to ask, how to read
 * the reply.  Each item type has an int err of its own, at err_off.
 */
struct batch_ops {
	uint8_t cmd;
	const char *name;
	size_t size, err_off;
	void (*put)(const struct rtpp_handle *h, struct nlmsghdr *nlh,
		    const void *item);
	int (*reply)(const struct nlmsghdr *nlh, void *item, char *err,
		     size_t errlen);
};

struct batch {
	struct rtpp_handle *h;
	const struct batch_ops *ops;
	void *items;
	int first_err;			/* of the first item that failed */
	/* the window in flight */
	size_t base, n;			/* items base .. base + n - 1 */
	uint32_t seq[RTPP_BATCH_WINDOW];
	size_t off[RTPP_BATCH_WINDOW];	/* each request in tx */
	bool replied[RTPP_BATCH_WINDOW], acked;
	union {
		char tx[RTPP_BATCH_WINDOW * RTPP_TX_SIZE];
		struct nlmsghdr align;
	};
	char (*rx)[RTPP_BATCH_RX];	/* RTPP_BATCH_DGRAMS datagrams */
};

static void *item(const struct batch *b, size_t i)
{
	return (char *)b->items + i * b->ops->size;
}

static int *item_err(const struct batch *b, size_t i)
{
	return (int *)((char *)item(b, i) + b->ops->err_off);
}

/*
 * An item's own failure.  The handle keeps the first one's messages, the
 * kernel's and the library's, for rtpp_strerror() and rtpp_last_extack().
 */
static void fail(struct batch *b, size_t w, int err, const char *ext,
		 const char *msg)
{
	struct rtpp_handle *h = b->h;
	int *e = item_err(b, b->base + w);

	if (*e)
		return;		/* its reply was already refused */
	*e = err;
	if (b->first_err)
		return;
	b->first_err = err;
	snprintf(h->extack, sizeof(h->extack), "%s", ext);
	snprintf(h->errmsg, sizeof(h->errmsg), "%s", msg);
	h->has_extack = ext[0] != '\0';
}

static size_t send_window(struct batch *b, size_t left)
{
	struct rtpp_handle *h = b->h;
	size_t len = 0, w, n = left < RTPP_BATCH_WINDOW ? left : RTPP_BATCH_WINDOW;

	for (w = 0; w < n; w++) {
		uint16_t flags = w == n - 1 ? NLM_F_ACK : 0;
		struct nlmsghdr *nlh = rtpp_req_in(h, b->tx + len, h->family,
						   b->ops->cmd,
						   XT_RTPPROXY_GENL_VERSION,
						   flags);

		b->ops->put(h, nlh, item(b, b->base + w));
		b->seq[w] = nlh->nlmsg_seq;
		b->off[w] = len;
		b->replied[w] = false;
		*item_err(b, b->base + w) = 0;
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	b->n = n;
	b->acked = false;
	return len;
}

static int window_index(const struct batch *b, uint32_t seq)
{
	size_t w;

	for (w = 0; w < b->n; w++)
		if (b->seq[w] == seq)
			return w;
	return -1;
}

/* One message of the replies; the window's end when the last is acked. */
static int take(struct batch *b, const struct nlmsghdr *nlh)
{
	struct rtpp_handle *h = b->h;
	char ext[RTPP_MSG_SIZE], msg[RTPP_MSG_SIZE];
	const struct nlmsghdr *req;
	int w = window_index(b, nlh->nlmsg_seq), err;

	if (nlh->nlmsg_pid != h->portid || w < 0)
		return 0;	/* a late reply to an earlier request */
	req = (const struct nlmsghdr *)(b->tx + b->off[w]);
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_OVERRUN:
		return -ENOBUFS;
	case NLMSG_ERROR:
	case NLMSG_DONE:
		err = rtpp_decode_end(req, nlh, ext, sizeof(ext), msg, sizeof(msg));
		if (err)
			fail(b, w, err, ext, msg);
		/* An error ends its request; only the last one asked for an ack. */
		if (!err && (size_t)w != b->n - 1)
			return RTPP_ERR_PROTO;
		b->replied[w] = true;
		if ((size_t)w == b->n - 1)
			b->acked = true;
		return 0;
	}
	if (nlh->nlmsg_type != req->nlmsg_type)
		return 0;
	if (b->replied[w])
		return RTPP_ERR_PROTO;	/* a second reply to one request */
	b->replied[w] = true;
	msg[0] = '\0';
	err = b->ops->reply(nlh, item(b, b->base + w), msg, sizeof(msg));
	if (err)
		fail(b, w, err, "", msg);
	return 0;
}

static int read_window(struct batch *b)
{
	struct mmsghdr m[RTPP_BATCH_DGRAMS];
	struct iovec iov[RTPP_BATCH_DGRAMS];
	struct sockaddr_nl from[RTPP_BATCH_DGRAMS];
	size_t w;

	while (!b->acked) {
		int got, i, err;

		for (i = 0; i < RTPP_BATCH_DGRAMS; i++) {
			iov[i] = (struct iovec){ b->rx[i], RTPP_BATCH_RX };
			m[i].msg_hdr = (struct msghdr){
				.msg_name = &from[i],
				.msg_namelen = sizeof(from[i]),
				.msg_iov = &iov[i], .msg_iovlen = 1,
			};
		}
		got = rtpp_recv_many(b->h, m, RTPP_BATCH_DGRAMS);
		if (got < 0)
			return got;
		for (i = 0; i < got; i++) {
			const struct nlmsghdr *nlh = (const void *)b->rx[i];
			int len = m[i].msg_len;

			if (m[i].msg_hdr.msg_flags & MSG_TRUNC)
				return -EMSGSIZE;
			if (from[i].nl_pid != 0)
				continue;	/* not from the kernel */
			for (; rtpp_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
				err = take(b, nlh);
				if (err)
					return err;
			}
		}
	}
	for (w = 0; w < b->n; w++)
		if (!b->replied[w])
			return RTPP_ERR_PROTO;
	return 0;
}

/*
 * The handle keeps its batch state for the next call: a caller that hands
 * over its requests as they come, a window's worth at a time, would
 * otherwise have the 33 receive buffers mapped and unmapped, and the
 * request buffer zeroed, once a window.  Nothing in it needs zeroing:
 * send_window() sets each entry of the window it fills, and requests are
 * written header first (rtpp_req_in()).
 */
static struct batch *batch_get(struct rtpp_handle *h)
{
	struct batch *b = h->batch;

	if (b)
		return b;
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	b->rx = malloc(RTPP_BATCH_DGRAMS * sizeof(*b->rx));
	if (!b->rx) {
		free(b);
		return NULL;
	}
	b->h = h;
	h->batch = b;
	return b;
}

void rtpp_batch_free(struct batch *b)
{
	if (!b)
		return;
	free(b->rx);
	free(b);
}

static int run(struct rtpp_handle *h, const struct batch_ops *ops,
	       void *items, size_t n)
{
	struct batch *b;
	int err = 0;

	h->has_extack = false;
	h->extack[0] = h->errmsg[0] = '\0';
	if (!n)
		return 0;
	b = batch_get(h);
	if (!b)
		return -ENOMEM;
	b->ops = ops;
	b->items = items;
	b->first_err = 0;
	b->base = b->n = 0;
	while (b->base < n) {
		size_t len = send_window(b, n - b->base);

		err = rtpp_send(h, b->tx, len);
		if (!err)
			err = read_window(b);
		if (err)
			break;
		b->base += b->n;
	}
	if (err) {
		/* What the window did not hear back about, and what was never sent. */
		size_t i;

		for (i = b->base; i < n; i++) {
			int *e = item_err(b, i);

			if (i >= b->base + b->n || !b->replied[i - b->base])
				*e = err;
		}
		rtpp_set_error(h, err, "%s batch: %s at item %zu of %zu",
			       ops->name, err == RTPP_ERR_PROTO ?
			       "a reply missing or out of place" : "exchange failed",
			       b->base, n);
	} else {
		err = b->first_err;
	}
	return err;
}

static void alloc_put(const struct rtpp_handle *h, struct nlmsghdr *nlh,
		      const void *item)
{
	const struct rtpp_alloc_item *it = item;

	rtpp_put_sb_spec(nlh, it->spec);
	rtpp_put_sess_params(nlh, it->params);
	/* A module that does not know the flag would refuse the request. */
	if ((it->flags & RTPP_ALLOC_BRIEF) && h->maxattr >= RTPP_A_BRIEF)
		mnl_attr_put(nlh, RTPP_A_BRIEF, 0, NULL);
}

static int alloc_reply(const struct nlmsghdr *nlh, void *item, char *err,
		       size_t errlen)
{
	struct rtpp_alloc_item *it = item;

	return rtpp_decode_sess_msg(nlh, &it->sess, err, errlen);
}

static const struct batch_ops alloc_ops = {
	.cmd = RTPP_CMD_ALLOC, .name = "ALLOC",
	.size = sizeof(struct rtpp_alloc_item),
	.err_off = offsetof(struct rtpp_alloc_item, err),
	.put = alloc_put, .reply = alloc_reply,
};

int rtpp_alloc_batch(struct rtpp_handle *h, struct rtpp_alloc_item *items,
		     size_t n)
{
	return run(h, &alloc_ops, items, n);
}

static void delete_put(const struct rtpp_handle *h, struct nlmsghdr *nlh,
		       const void *item)
{
	const struct rtpp_delete_item *it = item;

	(void)h;
	if (it->spec)
		rtpp_put_sb_spec(nlh, it->spec);
	if (it->has_range)
		rtpp_put_range(nlh, it->lo, it->hi);
}

static int delete_reply(const struct nlmsghdr *nlh, void *item, char *err,
			size_t errlen)
{
	struct rtpp_delete_item *it = item;

	return rtpp_decode_count(nlh, &it->count, err, errlen);
}

static const struct batch_ops delete_ops = {
	.cmd = RTPP_CMD_DELETE, .name = "DELETE",
	.size = sizeof(struct rtpp_delete_item),
	.err_off = offsetof(struct rtpp_delete_item, err),
	.put = delete_put, .reply = delete_reply,
};

int rtpp_delete_batch(struct rtpp_handle *h, struct rtpp_delete_item *items,
		      size_t n)
{
	return run(h, &delete_ops, items, n);
}
