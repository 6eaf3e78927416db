// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: listings that show one view of the kernel's tables.
 *
 * The kernel sends a listing one socket buffer at a time; switchboards and
 * sessions may come and go in between, and it then flags the first message
 * made after the change NLM_F_DUMP_INTR (rtpp_xfer() notes it on any).  Objects already handed to a callback
 * cannot be taken back, and a new listing would hand them over again, so a
 * listing is read whole first and only then given to the callback: once,
 * in order, from a reply the kernel did not flag.  A flagged reply is
 * thrown away and the listing asked for again, after a pause that grows,
 * up to RTPP_DUMP_TRIES replies in all; then RTPP_ERR_INTR, with nothing
 * given to the callback.  The cost is memory for one whole reply (about
 * 400 bytes a session, 700 with call quality) for as long as the listing
 * function runs.
 *
 * Resets are not listings: their reply is given as it comes (rtpp_xfer())
 * and never asked for twice, which would clear twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "decode.h"

#define DUMP_PAUSE_MS	10	/* before the second try; doubles each time */

static int collect(struct rtpp_handle *h, const struct nlmsghdr *nlh,
		   void *arg)
{
	struct rtpp_dump_buf *b = arg;
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	(void)h;
	if (b->cap - b->len < len) {
		size_t cap = b->cap ? b->cap : 65536;
		char *data;

		while (cap - b->len < len)
			cap *= 2;
		data = realloc(b->data, cap);
		if (!data)
			return -ENOMEM;
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, nlh, nlh->nlmsg_len);
	memset(b->data + b->len + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	b->len += len;
	return 0;
}

/* One try of the request in h->tx, under a sequence number of its own. */
static int xfer_attempt(struct rtpp_handle *h, struct rtpp_dump_buf *b,
			bool *intr)
{
	struct nlmsghdr *req = (struct nlmsghdr *)h->tx;
	int err;

	if (++h->seq == 0)
		h->seq = 1;
	req->nlmsg_seq = h->seq;
	err = rtpp_xfer(h, collect, b);
	*intr = h->dump_intr;
	return err;
}

static int deliver(struct rtpp_handle *h, const struct rtpp_dump_buf *b,
		   rtpp_msg_cb cb, void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)b->data;
	int len = b->len, ret = 0;

	if (!b->len)
		return 0;
	for (; rtpp_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		ret = cb(h, nlh, arg);
		if (ret)
			break;
	}
	return ret;
}

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int rtpp_dump_run(struct rtpp_handle *h, rtpp_dump_attempt attempt,
		  rtpp_msg_cb cb, void *arg)
{
	struct rtpp_dump_buf b = { NULL, 0, 0 };
	unsigned int try, wait = DUMP_PAUSE_MS;
	bool intr;
	int err;

	h->restarts = 0;
	for (try = 1;; try++) {
		b.len = 0;
		intr = false;
		err = attempt(h, &b, &intr);
		if (err || !intr) {
			if (!err)
				err = deliver(h, &b, cb, arg);
			break;
		}
		if (try == RTPP_DUMP_TRIES) {
			err = rtpp_set_error(h, RTPP_ERR_INTR,
					     "the kernel's listing kept changing while it was read (interrupted %u times in a row by switchboards or sessions coming or going): try again",
					     try);
			break;
		}
		h->restarts++;
		pause_ms(wait);
		wait *= 2;
	}
	free(b.data);
	return err;
}

int rtpp_xfer_list(struct rtpp_handle *h, rtpp_msg_cb cb, void *arg)
{
	return rtpp_dump_run(h, xfer_attempt, cb, arg);
}

unsigned int rtpp_last_restarts(const struct rtpp_handle *h)
{
	return h ? h->restarts : 0;
}
