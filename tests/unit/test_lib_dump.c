// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of librtpproxy's listings (lib/dump.c): a reply is given to
 * the callback only whole and only when the kernel did not flag it
 * interrupted; flagged replies are asked for again, a bounded number of
 * times, each under a sequence number of its own; then RTPP_ERR_INTR and
 * nothing given.  The kernel is played by the stubs of rtpp_xfer() below.
 *
 * UNIT-SRCS: ../../lib/dump.c
 * UNIT-PKGS: libmnl
 */
#include <check.h>
#include "unit.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../../lib/internal.h"

/* The play: how many tries come back flagged, what each reply holds. */
static struct {
	unsigned int tries;		/* rtpp_xfer() calls */
	unsigned int intr_tries;	/* the first ones are flagged */
	unsigned int msgs;		/* data messages per reply */
	size_t payload;			/* bytes of each */
	int err;			/* rtpp_xfer()'s own failure */
	uint32_t seqs[8];		/* the request's sequence at each try */
} play;

/* What the callback saw: (try, index) of each message, in order. */
static struct {
	unsigned int n;
	uint32_t tag[64][2];
	unsigned int stop_at;		/* return 7 at this message (1-based) */
} seen;

int rtpp_set_error(struct rtpp_handle *h, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

int rtpp_xfer(struct rtpp_handle *h, rtpp_msg_cb cb, void *arg)
{
	static union {
		char b[200000];
		struct nlmsghdr align;
	} m;
	const struct nlmsghdr *req = (const struct nlmsghdr *)h->tx;
	unsigned int i;
	int status = 0;

	play.seqs[play.tries++ % 8] = req->nlmsg_seq;
	h->dump_intr = play.tries <= play.intr_tries;
	if (play.err)
		return play.err;
	for (i = 0; i < play.msgs; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(m.b);
		uint32_t *tag = mnl_nlmsg_put_extra_header(nlh, play.payload);

		nlh->nlmsg_type = 0x20;
		nlh->nlmsg_flags = NLM_F_MULTI;
		tag[0] = play.tries;
		tag[1] = i;
		if (!status)
			status = cb(h, nlh, arg);
	}
	return status;
}

static int record(struct rtpp_handle *h, const struct nlmsghdr *nlh, void *arg)
{
	const uint32_t *tag = mnl_nlmsg_get_payload(nlh);

	(void)h;
	(void)arg;
	ck_assert_uint_lt(seen.n, 64);
	seen.tag[seen.n][0] = tag[0];
	seen.tag[seen.n][1] = tag[1];
	if (++seen.n == seen.stop_at)
		return 7;
	return 0;
}

static struct rtpp_handle h;

static void setup(void)
{
	struct nlmsghdr *req;

	memset(&play, 0, sizeof(play));
	memset(&seen, 0, sizeof(seen));
	memset(&h, 0, sizeof(h));
	play.payload = 8;
	req = mnl_nlmsg_put_header(h.tx);
	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h.seq = 41;
	req->nlmsg_seq = h.seq;
}

static void assert_one_reply(unsigned int try, unsigned int msgs)
{
	unsigned int i;

	ck_assert_uint_eq(seen.n, msgs);
	for (i = 0; i < msgs; i++) {
		ck_assert_uint_eq(seen.tag[i][0], try);
		ck_assert_uint_eq(seen.tag[i][1], i);
	}
}

START_TEST(clean_reply)
{
	play.msgs = 3;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 0);
	ck_assert_uint_eq(play.tries, 1);
	assert_one_reply(1, 3);
	ck_assert_uint_eq(rtpp_last_restarts(&h), 0);
}
END_TEST

START_TEST(empty_reply)
{
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 0);
	ck_assert_uint_eq(seen.n, 0);
}
END_TEST

/* Two flagged replies: thrown away whole, the third one given, once. */
START_TEST(interrupted_then_clean)
{
	unsigned int i;

	play.msgs = 4;
	play.intr_tries = 2;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 0);
	ck_assert_uint_eq(play.tries, 3);
	assert_one_reply(3, 4);
	ck_assert_uint_eq(rtpp_last_restarts(&h), 2);
	/* each try under a new sequence number: late pieces of an old one
	 * cannot pass for the new one's */
	for (i = 1; i < play.tries; i++)
		ck_assert_uint_gt(play.seqs[i], play.seqs[i - 1]);
}
END_TEST

START_TEST(always_interrupted)
{
	play.msgs = 2;
	play.intr_tries = 100;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), RTPP_ERR_INTR);
	ck_assert_uint_eq(play.tries, RTPP_DUMP_TRIES);
	ck_assert_uint_eq(seen.n, 0);
	ck_assert_uint_eq(rtpp_last_restarts(&h), RTPP_DUMP_TRIES - 1);
	ck_assert_ptr_nonnull(strstr(h.errmsg, "interrupted 5 times in a row"));
	ck_assert_ptr_nonnull(strstr(h.errmsg, "kept changing"));
}
END_TEST

/* The last try comes back clean: a success, not an error. */
START_TEST(clean_at_last_try)
{
	play.msgs = 1;
	play.intr_tries = RTPP_DUMP_TRIES - 1;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 0);
	assert_one_reply(RTPP_DUMP_TRIES, 1);
}
END_TEST

START_TEST(callback_stops)
{
	play.msgs = 5;
	seen.stop_at = 2;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 7);
	ck_assert_uint_eq(seen.n, 2);
}
END_TEST

START_TEST(transfer_fails)
{
	play.msgs = 3;
	play.err = -ENOBUFS;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), -ENOBUFS);
	ck_assert_uint_eq(play.tries, 1);
	ck_assert_uint_eq(seen.n, 0);
}
END_TEST

/* Messages bigger than the buffer's first size, and many of them. */
START_TEST(big_reply)
{
	play.msgs = 40;
	play.payload = 40000;
	play.intr_tries = 1;
	ck_assert_int_eq(rtpp_xfer_list(&h, record, NULL), 0);
	assert_one_reply(2, 40);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lib_dump");
	TCase *tc = tcase_create("listings");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, clean_reply);
	tcase_add_test(tc, empty_reply);
	tcase_add_test(tc, interrupted_then_clean);
	tcase_add_test(tc, always_interrupted);
	tcase_add_test(tc, clean_at_last_try);
	tcase_add_test(tc, callback_stops);
	tcase_add_test(tc, transfer_fails);
	tcase_add_test(tc, big_reply);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
