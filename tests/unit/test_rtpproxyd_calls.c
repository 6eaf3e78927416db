// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxyd's call map (rtpproxyd/calls.c): which party a
 * command's tags name, the state file's lines, and a save/load round trip.
 *
 * UNIT-SRCS: ../../rtpproxyd/calls.c
 */
#define _GNU_SOURCE
#include <check.h>
#include "unit.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../rtpproxyd/calls.h"
#include "../../rtpproxyd/proto.h"

static struct rtppd_calls m;

static struct rtppd_call *find(const char *callid, const char *t1, const char *t2,
			       uint32_t media, int *party)
{
	struct rtppd_call *c;

	for (c = rtppd_calls_chain(&m, callid); c; c = c->next)
		if ((*party = rtppd_call_match(c, callid, t1, t2, media)))
			return c;
	*party = RTPPD_PARTY_NONE;
	return NULL;
}

START_TEST(parties)
{
	struct rtppd_call *c1, *c2;
	int p;

	rtppd_calls_init(&m);
	c1 = rtppd_calls_add(&m, "cid", "ft", NULL, 1);
	c2 = rtppd_calls_add(&m, "cid", "ft", NULL, 2);
	ck_assert_uint_eq(m.count, 2);
	ck_assert(m.dirty);
	/* offer again from the caller, before and after the answer */
	ck_assert_ptr_eq(find("cid", "ft", NULL, 1, &p), c1);
	ck_assert_int_eq(p, RTPPD_PARTY_CALLER);
	ck_assert_ptr_eq(find("cid", "ft", "tt", 2, &p), c2);
	ck_assert_int_eq(p, RTPPD_PARTY_CALLER);
	ck_assert_int_eq(rtppd_call_set_callee(&m, c1, "tt"), 0);
	/* the answer: From is the caller */
	ck_assert_ptr_eq(find("cid", "ft", "tt", 1, &p), c1);
	ck_assert_int_eq(p, RTPPD_PARTY_CALLER);
	/* a re-INVITE from the callee: its tag is From */
	ck_assert_ptr_eq(find("cid", "tt", "ft", 1, &p), c1);
	ck_assert_int_eq(p, RTPPD_PARTY_CALLEE);
	ck_assert_ptr_eq(find("cid", "tt", NULL, 1, &p), c1);
	ck_assert_int_eq(p, RTPPD_PARTY_CALLEE);
	/* another fork's answer, another call, another stream */
	ck_assert_ptr_null(find("cid", "ft", "other", 1, &p));
	ck_assert_ptr_null(find("cid2", "ft", NULL, 1, &p));
	ck_assert_ptr_null(find("cid", "ft", NULL, 3, &p));
	/* any stream */
	ck_assert_ptr_nonnull(find("cid", "ft", NULL, RTPPD_MEDIA_ANY, &p));
	rtppd_calls_del(&m, c1);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_ptr_eq(find("cid", "ft", NULL, RTPPD_MEDIA_ANY, &p), c2);
	rtppd_calls_clear(&m);
	ck_assert_uint_eq(m.count, 0);
	ck_assert_ptr_null(find("cid", "ft", NULL, RTPPD_MEDIA_ANY, &p));
}
END_TEST

START_TEST(lines)
{
	struct rtppd_call *c;
	char buf[1024];
	int p;

	rtppd_calls_init(&m);
	c = rtppd_calls_add(&m, "a84b@pc33", "1928301774", NULL, 1);
	c->sb_id = 3;
	c->slot = 15;
	c->created_ms = 1764895500123ULL;
	c->caller_side = 1;
	ck_assert_uint_eq(rtppd_call_format(c, buf, sizeof(buf)), 46);
	ck_assert_str_eq(buf, "3 15 1764895500123 b 1 a84b@pc33 1928301774 -\n");
	ck_assert_uint_eq(rtppd_call_format(c, buf, 46), 0);
	ck_assert_uint_eq(rtppd_call_format(c, buf, 47), 46);
	rtppd_call_set_callee(&m, c, "tt");
	c->media = RTPPD_MEDIA_ANY;
	rtppd_call_format(c, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3 15 1764895500123 b - a84b@pc33 1928301774 tt\n");
	rtppd_calls_clear(&m);

	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 15 1764895500123 b - cid ft tt\n"), 0);
	c = find("cid", "ft", "tt", RTPPD_MEDIA_ANY, &p);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->sb_id, 3);
	ck_assert_uint_eq(c->slot, 15);
	ck_assert_uint_eq(c->created_ms, 1764895500123ULL);
	ck_assert_int_eq(c->caller_side, 1);
	ck_assert_uint_eq(c->media, RTPPD_MEDIA_ANY);
	ck_assert_ptr_null(find("cid", "ft", "tt", 1, &p));
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "0 0 1 a 7 cid2 ft -"), 0);
	c = find("cid2", "ft", NULL, 7, &p);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->callee_tag);
	ck_assert_int_eq(c->caller_side, 0);
	ck_assert_uint_eq(m.count, 2);

	ck_assert_int_eq(rtppd_calls_parse_line(&m, ""), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 15 1 b 1 cid ft"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 15 1 b 1 cid ft tt x"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 15 1 c 1 cid ft tt"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 15 1 ab 1 cid ft tt"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "x 15 1 a 1 cid ft tt"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "4294967296 15 1 a 1 cid ft tt"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 -1 1 a 1 cid ft tt"), -EINVAL);
	ck_assert_int_eq(rtppd_calls_parse_line(&m, "3 1 1 a 65536 cid ft tt"), -EINVAL);
	ck_assert_uint_eq(m.count, 2);
	rtppd_calls_clear(&m);
}
END_TEST

START_TEST(save_load)
{
	char dir[] = "/tmp/rtppd-unit-XXXXXX", path[64];
	struct rtppd_call *c;
	FILE *f;
	int i, p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/calls", dir);
	rtppd_calls_init(&m);
	ck_assert_int_eq(rtppd_calls_load(&m, path), 0);	/* no file yet */
	for (i = 0; i < 100; i++) {
		char cid[16];

		snprintf(cid, sizeof(cid), "call%d", i);
		c = rtppd_calls_add(&m, cid, "ft", i % 2 ? "tt" : NULL, 1);
		c->slot = i;
		c->created_ms = 1000 + i;
	}
	ck_assert_int_eq(rtppd_calls_save(&m, path), 0);
	ck_assert(!m.dirty);
	ck_assert_int_eq(access(path, F_OK), 0);
	rtppd_calls_clear(&m);
	/* and a line that is not one of ours */
	f = fopen(path, "a");
	fputs("garbage\n", f);
	fclose(f);
	ck_assert_int_eq(rtppd_calls_load(&m, path), 1);
	ck_assert_uint_eq(m.count, 100);
	c = find("call42", "ft", "tt", 1, &p);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->slot, 42);
	ck_assert_uint_eq(c->created_ms, 1042);
	ck_assert_ptr_null(c->callee_tag);
	c = find("call43", "ft", NULL, 1, &p);
	ck_assert_str_eq(c->callee_tag, "tt");
	rtppd_calls_clear(&m);
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(rtppd_calls_save(&m, "/nonexistent-dir/calls"), -ENOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtpproxyd_calls");
	TCase *tc = tcase_create("calls");

	tcase_add_test(tc, parties);
	tcase_add_test(tc, lines);
	tcase_add_test(tc, save_load);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
