// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of librtpproxy's batches (lib/batch.c): requests go out
 * RTPP_BATCH_WINDOW (32) to a datagram, only the last of each asking for an
 * acknowledgement; each item gets its own reply's result, whatever order
 * and however many datagrams a recv returns; the first failure is the one
 * the handle describes; a reply missing, a socket error or a second reply
 * end the batch with every unanswered item marked; an allocation asks for a
 * brief reply only when its item does and the module knows the flag.  The
 * kernel is played by the stubs of lib/io.c below.
 *
 * UNIT-SRCS: ../../lib/batch.c ../../lib/xfer.c ../../lib/attr.c ../../lib/decode.c ../../lib/decode_ack.c ../../lib/encode.c ../../lib/names.c
 * UNIT-PKGS: libmnl
 */
#define _GNU_SOURCE
#include <check.h>
#include "unit.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "../../lib/internal.h"

#define FAMILY	0x1d
#define PORTID	4242
#define MAXQ	512

/* The play: how the kernel answers request number i (from 0, all sends). */
static struct {
	int fail[MAXQ];			/* its error, 0: a reply */
	int mute;			/* gets neither reply nor error (-1: none) */
	int twice;			/* gets two replies (-1: none) */
	int per_recv;			/* datagrams a recv returns at most */
	int recv_err;			/* the first recv fails so */
	bool stray;			/* a reply to an old request first */
} play;

/* What the kernel saw and has queued. */
static struct {
	unsigned int sends, reqs;
	unsigned int msgs[16], acked[16];	/* per send */
	uint8_t cmd;
	bool sb_spec_seen;
	unsigned int brief;		/* requests with RTPP_A_BRIEF */
	union {				/* aligned for the headers */
		char b[512];
		struct nlmsghdr align;
	} q[MAXQ];
	size_t qlen[MAXQ];
	unsigned int head, tail;
} k;

static struct nlmsghdr *queue(void)
{
	struct nlmsghdr *nlh;

	ck_assert_uint_lt(k.tail, MAXQ);
	nlh = mnl_nlmsg_put_header(k.q[k.tail].b);
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void queued(const struct nlmsghdr *nlh)
{
	k.qlen[k.tail++] = nlh->nlmsg_len;
}

static void reply_count(const struct nlmsghdr *req, uint32_t count)
{
	struct nlmsghdr *nlh = queue();
	struct genlmsghdr *g;

	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = req->nlmsg_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = k.cmd;
	mnl_attr_put_u32(nlh, RTPP_A_COUNT, count);
	queued(nlh);
}

/* An allocation's brief reply (xt_RTPPROXY.h): session id, gates at 2000. */
static void reply_sess(const struct nlmsghdr *req, uint32_t id)
{
	struct nlmsghdr *nlh = queue();
	struct nlattr *sess, *side, *stream;
	struct genlmsghdr *g;
	unsigned int i, st;

	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = req->nlmsg_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = RTPP_CMD_ALLOC;
	sess = mnl_attr_nest_start(nlh, RTPP_A_SB);
	mnl_attr_put_u32(nlh, RTPP_A_SB_ID, 3);
	mnl_attr_nest_end(nlh, sess);
	sess = mnl_attr_nest_start(nlh, RTPP_A_SESS);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID, id);
	mnl_attr_put_u64(nlh, RTPP_A_SESS_CREATED_MS, 1000 + id);
	for (i = 0; i < RTPP_SIDES; i++) {
		side = mnl_attr_nest_start(nlh, RTPP_A_SESS_SIDE_A + i);
		for (st = 0; st < RTPP_STREAMS; st++) {
			stream = mnl_attr_nest_start(nlh, RTPP_A_SIDE_RTP + st);
			mnl_attr_put_u16(nlh, RTPP_A_STREAM_GATE_PORT, 2000 + 2 * id + st);
			mnl_attr_nest_end(nlh, stream);
		}
		mnl_attr_nest_end(nlh, side);
	}
	mnl_attr_nest_end(nlh, sess);
	queued(nlh);
}

static void reply_err(const struct nlmsghdr *req, int err, const char *msg)
{
	struct nlmsghdr *nlh = queue();
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *req;
	e->msg.nlmsg_len = NLMSG_HDRLEN;	/* the request, capped */
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS | NLM_F_CAPPED;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	queued(nlh);
}

int rtpp_send(struct rtpp_handle *h, const void *buf, size_t len)
{
	const struct nlmsghdr *req = buf;
	int left = len;

	(void)h;
	ck_assert_uint_lt(k.sends, 16);
	if (play.stray) {
		struct nlmsghdr old = { .nlmsg_seq = 1 };	/* never in flight */

		reply_count(&old, 99);
		play.stray = false;
	}
	for (; mnl_nlmsg_ok(req, left); req = mnl_nlmsg_next(req, &left)) {
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
		const struct nlattr *a;
		unsigned int i = k.reqs++;

		ck_assert_uint_eq(req->nlmsg_type, FAMILY);
		k.cmd = g->cmd;
		mnl_attr_for_each(a, req, sizeof(*g)) {
			if (mnl_attr_get_type(a) == RTPP_A_SB)
				k.sb_spec_seen = true;
			if (mnl_attr_get_type(a) == RTPP_A_BRIEF)
				k.brief++;
		}
		k.msgs[k.sends]++;
		if (play.fail[i])
			reply_err(req, play.fail[i], i % 2 ? "odd one" : "even one");
		else if (g->cmd == RTPP_CMD_ALLOC)
			reply_sess(req, i + 1);
		else if ((int)i != play.mute) {
			reply_count(req, i + 1);
			if ((int)i == play.twice)
				reply_count(req, i + 1);
		}
		if (req->nlmsg_flags & NLM_F_ACK) {
			k.acked[k.sends]++;
			if (!play.fail[i])
				reply_err(req, 0, NULL);
		}
	}
	ck_assert_int_eq(left, 0);
	k.sends++;
	return 0;
}

int rtpp_recv_many(struct rtpp_handle *h, struct mmsghdr *m, unsigned int n)
{
	unsigned int got = 0;

	(void)h;
	if (play.recv_err) {
		int err = play.recv_err;

		play.recv_err = 0;
		return err;
	}
	ck_assert_uint_lt(k.head, k.tail);	/* would block for ever */
	while (got < n && got < (unsigned int)play.per_recv && k.head < k.tail) {
		struct sockaddr_nl *from = m[got].msg_hdr.msg_name;

		memcpy(m[got].msg_hdr.msg_iov->iov_base, k.q[k.head].b, k.qlen[k.head]);
		m[got].msg_len = k.qlen[k.head];
		m[got].msg_hdr.msg_flags = 0;
		memset(from, 0, sizeof(*from));
		from->nl_family = AF_NETLINK;
		k.head++;
		got++;
	}
	return got;
}

static struct rtpp_handle h;
static struct rtpp_delete_item items[100];
static struct rtpp_sb_spec spec = { .has_id = true, .id = 3 };

static void setup(void)
{
	unsigned int i;

	memset(&play, 0, sizeof(play));
	play.mute = play.twice = -1;
	play.per_recv = 1000;
	memset(&k, 0, sizeof(k));
	memset(&h, 0, sizeof(h));
	h.portid = PORTID;
	h.family = FAMILY;
	h.seq = UINT32_MAX - 40;	/* the batch wraps past 0 */
	h.maxattr = RTPP_A_MAX;
	for (i = 0; i < 100; i++) {
		items[i] = (struct rtpp_delete_item){
			.spec = &spec, .lo = i, .hi = i, .has_range = true,
			.count = 12345, .err = 777,
		};
	}
}

START_TEST(windows_of_32_one_ack_each)
{
	unsigned int i;

	ck_assert_int_eq(rtpp_delete_batch(&h, items, 70), 0);
	ck_assert_uint_eq(k.sends, 3);
	ck_assert_uint_eq(k.msgs[0], 32);
	ck_assert_uint_eq(k.msgs[1], 32);
	ck_assert_uint_eq(k.msgs[2], 6);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(k.acked[i], 1);
	ck_assert_uint_eq(k.cmd, RTPP_CMD_DELETE);
	ck_assert(k.sb_spec_seen);
	for (i = 0; i < 70; i++) {
		ck_assert_int_eq(items[i].err, 0);
		ck_assert_uint_eq(items[i].count, i + 1);
	}
	ck_assert_int_eq(items[70].err, 777);	/* not part of it */
	ck_assert_uint_eq(k.head, k.tail);	/* every reply read */
}
END_TEST

START_TEST(one_datagram_a_recv_and_a_stray_reply)
{
	unsigned int i;

	play.per_recv = 1;
	play.stray = true;
	ck_assert_int_eq(rtpp_delete_batch(&h, items, 40), 0);
	for (i = 0; i < 40; i++)
		ck_assert_uint_eq(items[i].count, i + 1);
	ck_assert_uint_eq(k.head, k.tail);
}
END_TEST

START_TEST(failures_are_each_items_own)
{
	unsigned int i;

	play.fail[4] = -ENOENT;
	play.fail[31] = -ENOENT;	/* the window's last: no ack after it */
	play.fail[45] = -EINVAL;
	ck_assert_int_eq(rtpp_delete_batch(&h, items, 50), -ENOENT);
	for (i = 0; i < 50; i++) {
		int want = i == 4 || i == 31 ? -ENOENT : i == 45 ? -EINVAL : 0;

		ck_assert_int_eq(items[i].err, want);
		if (!want)
			ck_assert_uint_eq(items[i].count, i + 1);
	}
	/* the handle describes the first failure, not the last */
	ck_assert_str_eq(h.extack, "even one");
	ck_assert(h.has_extack);
	ck_assert_uint_eq(k.sends, 2);
}
END_TEST

START_TEST(a_missing_reply_is_a_protocol_error)
{
	unsigned int i;
	int err;

	play.mute = 7;
	err = rtpp_delete_batch(&h, items, 40);
	ck_assert_int_eq(err, RTPP_ERR_PROTO);
	ck_assert_uint_eq(k.sends, 1);		/* the batch stopped there */
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(items[i].err, i == 7 || i >= 32 ? RTPP_ERR_PROTO : 0);
	ck_assert_ptr_nonnull(strstr(h.errmsg, "DELETE batch"));
}
END_TEST

START_TEST(a_second_reply_is_a_protocol_error)
{
	play.twice = 3;
	ck_assert_int_eq(rtpp_delete_batch(&h, items, 10), RTPP_ERR_PROTO);
	ck_assert_int_eq(items[2].err, 0);
	ck_assert_int_eq(items[9].err, RTPP_ERR_PROTO);
}
END_TEST

START_TEST(a_socket_error_marks_the_unanswered)
{
	unsigned int i;

	play.recv_err = -ENOBUFS;
	ck_assert_int_eq(rtpp_delete_batch(&h, items, 5), -ENOBUFS);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(items[i].err, -ENOBUFS);
}
END_TEST

START_TEST(allocations_ask_alloc)
{
	struct rtpp_sess_params p = { .has_expires = true, .expires = 60 };
	struct rtpp_alloc_item a[3] = {
		{ .spec = &spec, .params = &p }, { .spec = &spec, .params = &p },
		{ .spec = &spec, .params = &p },
	};

	play.fail[0] = play.fail[1] = play.fail[2] = -ENOSPC;
	ck_assert_int_eq(rtpp_alloc_batch(&h, a, 3), -ENOSPC);
	ck_assert_uint_eq(k.cmd, RTPP_CMD_ALLOC);
	ck_assert(k.sb_spec_seen);
	ck_assert_int_eq(a[0].err, -ENOSPC);
	ck_assert_int_eq(a[2].err, -ENOSPC);
	/* no item: nothing sent */
	ck_assert_int_eq(rtpp_alloc_batch(&h, a, 0), 0);
	ck_assert_uint_eq(k.sends, 1);
}
END_TEST

static void teardown(void)
{
	rtpp_batch_free(h.batch);
}

START_TEST(brief_replies_when_asked_and_known)
{
	struct rtpp_sess_params p = { .has_expires = true, .expires = 60 };
	struct rtpp_alloc_item a[40];
	unsigned int i, side, st;

	for (i = 0; i < 40; i++)
		a[i] = (struct rtpp_alloc_item){
			.spec = &spec, .params = &p,
			.flags = i < 30 ? RTPP_ALLOC_BRIEF : 0, .err = 777,
		};
	ck_assert_int_eq(rtpp_alloc_batch(&h, a, 40), 0);
	ck_assert_uint_eq(k.brief, 30);		/* only the items that asked */
	for (i = 0; i < 40; i++) {
		const struct rtpp_sess *s = &a[i].sess;

		ck_assert_int_eq(a[i].err, 0);
		ck_assert_uint_eq(s->sb.id, 3);
		ck_assert_uint_eq(s->id, i + 1);
		ck_assert_uint_eq(s->created_ms, 1000 + i + 1);
		for (side = 0; side < RTPP_SIDES; side++)
			for (st = 0; st < RTPP_STREAMS; st++) {
				const struct rtpp_stream *x = &s->side[side].stream[st];

				ck_assert_uint_eq(x->gate_port, 2000 + 2 * (i + 1) + st);
				ck_assert_uint_eq(x->addr, 0);	/* not in the reply */
				ck_assert(!x->q.has);
			}
	}
	/* a module that predates the flag would refuse it: never sent */
	h.maxattr = RTPP_A_BRIEF - 1;
	k.brief = 0;
	ck_assert_int_eq(rtpp_alloc_batch(&h, a, 30), 0);
	ck_assert_uint_eq(k.brief, 0);
	ck_assert_uint_eq(a[29].sess.side[1].stream[1].gate_port, 2000 + 2 * 70 + 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lib_batch");
	TCase *tc = tcase_create("batch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, windows_of_32_one_ack_each);
	tcase_add_test(tc, one_datagram_a_recv_and_a_stray_reply);
	tcase_add_test(tc, failures_are_each_items_own);
	tcase_add_test(tc, a_missing_reply_is_a_protocol_error);
	tcase_add_test(tc, a_second_reply_is_a_protocol_error);
	tcase_add_test(tc, a_socket_error_marks_the_unanswered);
	tcase_add_test(tc, allocations_ask_alloc);
	tcase_add_test(tc, brief_replies_when_asked_and_known);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
