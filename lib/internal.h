/* SPDX-License-Identifier: GPL-2.0 */
/*
 * librtpproxy internals: the handle, the request/reply exchange and the
 * attribute coding shared by the library's files.  Not installed.
 */
#ifndef RTPP_INTERNAL_H
#define RTPP_INTERNAL_H

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "rtpproxy.h"

#define RTPP_TX_SIZE		1024	/* the largest request is ~250 bytes */
#define RTPP_RX_MIN		32768	/* the kernel sizes dump skbs up to this */
#define RTPP_MSG_SIZE		256

struct rtpp_rxbuf {
	char *data;
	size_t size;
};

struct rtpp_handle {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t version;
	uint32_t maxattr;		/* the module's highest RTPP_A_* */
	bool has_mcgrp;
	uint32_t mcgrp;
	struct mnl_socket *ev;		/* events socket, once subscribed */
	struct rtpp_rxbuf rx, evrx;
	struct batch *batch;		/* batch.c's state, once used */
	union {				/* the request being sent */
		char tx[RTPP_TX_SIZE];
		struct nlmsghdr align;
	};
	bool dump_intr;			/* the last reply had NLM_F_DUMP_INTR */
	unsigned int restarts;		/* of the last listing (dump.c) */
	bool has_extack;
	char extack[RTPP_MSG_SIZE];	/* the kernel's message, with where */
	char errmsg[RTPP_MSG_SIZE];	/* text of the last library error */
	char strerr[2 * RTPP_MSG_SIZE];	/* rtpp_strerror()'s buffer */
};

/* Called for each data message of a reply; non-zero stops (see rtpproxy.h). */
typedef int (*rtpp_msg_cb)(struct rtpp_handle *h, const struct nlmsghdr *nlh,
			   void *arg);

/* xfer.c: requests and replies */
struct nlmsghdr *rtpp_req(struct rtpp_handle *h, uint16_t type, uint8_t cmd,
			  uint8_t version, uint16_t flags);
int rtpp_xfer(struct rtpp_handle *h, rtpp_msg_cb cb, void *arg);
ssize_t rtpp_recv(struct mnl_socket *nl, struct rtpp_rxbuf *rx, int flags);
/* Requests built one after another in buf, sent in one datagram (batch.c). */
struct nlmsghdr *rtpp_req_in(struct rtpp_handle *h, char *buf, uint16_t type,
			     uint8_t cmd, uint8_t version, uint16_t flags);
/* io.c: one datagram out; in, recvmmsg() (waits for one, takes those
 * already there).  0 or the number received, else -errno. */
struct mmsghdr;
int rtpp_send(struct rtpp_handle *h, const void *buf, size_t len);
int rtpp_recv_many(struct rtpp_handle *h, struct mmsghdr *m, unsigned int n);
int rtpp_set_error(struct rtpp_handle *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* batch.c */
struct batch;
void rtpp_batch_free(struct batch *b);

/* dump.c: listings read whole, asked for again when interrupted */
#define RTPP_DUMP_TRIES		5	/* replies read before RTPP_ERR_INTR */
struct rtpp_dump_buf {
	char *data;			/* whole messages, NLMSG_ALIGNed */
	size_t len, cap;
};
/* One try: the reply's data messages into b, *intr if it was flagged. */
typedef int (*rtpp_dump_attempt)(struct rtpp_handle *h, struct rtpp_dump_buf *b,
				 bool *intr);
int rtpp_dump_run(struct rtpp_handle *h, rtpp_dump_attempt attempt,
		  rtpp_msg_cb cb, void *arg);
/* rtpp_xfer() for a listing: the request in h->tx, through rtpp_dump_run() */
int rtpp_xfer_list(struct rtpp_handle *h, rtpp_msg_cb cb, void *arg);

/* encode.c: request attributes */
void rtpp_put_sb_spec(struct nlmsghdr *nlh, const struct rtpp_sb_spec *spec);
void rtpp_put_range(struct nlmsghdr *nlh, uint32_t lo, uint32_t hi);
void rtpp_put_sess_params(struct nlmsghdr *nlh,
			  const struct rtpp_sess_params *p);

#endif /* RTPP_INTERNAL_H */
