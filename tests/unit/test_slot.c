// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/slot.c: slot selection spreads reuse.
 *
 * UNIT-SRCS: ../../kmod/slot.c
 */
#include <check.h>
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "slot.h"
#include "xt_RTPPROXY.h"

START_TEST(picks_in_order_then_full)
{
	u64 map[RTPP_SLOT_WORDS(70)] = {};
	u32 cursor = 0, i;

	for (i = 0; i < 70; i++)
		ck_assert_int_eq(rtpp_slot_pick(map, 70, &cursor), i);
	ck_assert_int_eq(rtpp_slot_pick(map, 70, &cursor), -1);
	for (i = 0; i < 70; i++)
		ck_assert(rtpp_slot_used(map, i));
}
END_TEST

START_TEST(freed_slot_is_reused_last)
{
	u64 map[RTPP_SLOT_WORDS(10)] = {};
	u32 cursor = 0, i;

	for (i = 0; i < 5; i++)
		rtpp_slot_pick(map, 10, &cursor);
	rtpp_slot_clear(map, 2);
	/* 5..9 come before 2 comes back. */
	for (i = 5; i < 10; i++)
		ck_assert_int_eq(rtpp_slot_pick(map, 10, &cursor), i);
	ck_assert_int_eq(rtpp_slot_pick(map, 10, &cursor), 2);
	ck_assert_int_eq(rtpp_slot_pick(map, 10, &cursor), -1);
}
END_TEST

START_TEST(alloc_free_cycle_does_not_return_same_slot)
{
	u64 map[RTPP_SLOT_WORDS(100)] = {};
	u32 cursor = 0;
	long prev = -1, s;
	int i;

	for (i = 0; i < 1000; i++) {
		s = rtpp_slot_pick(map, 100, &cursor);
		ck_assert_int_ge(s, 0);
		ck_assert_int_ne(s, prev);
		rtpp_slot_clear(map, s);
		prev = s;
	}
}
END_TEST

START_TEST(wraps_across_words)
{
	u64 map[RTPP_SLOT_WORDS(200)];
	u32 cursor = 150;

	memset(map, 0xff, sizeof(map));
	rtpp_slot_clear(map, 64);
	rtpp_slot_clear(map, 199);
	ck_assert_int_eq(rtpp_slot_pick(map, 200, &cursor), 199);
	ck_assert_uint_eq(cursor, 0);
	ck_assert_int_eq(rtpp_slot_pick(map, 200, &cursor), 64);
	ck_assert_uint_eq(cursor, 65);
	ck_assert_int_eq(rtpp_slot_pick(map, 200, &cursor), -1);
}
END_TEST

START_TEST(bits_past_the_end_are_never_picked)
{
	u64 map[RTPP_SLOT_WORDS(3)] = {};
	u32 cursor = 0;

	ck_assert_int_eq(rtpp_slot_pick(map, 3, &cursor), 0);
	ck_assert_int_eq(rtpp_slot_pick(map, 3, &cursor), 1);
	ck_assert_int_eq(rtpp_slot_pick(map, 3, &cursor), 2);
	ck_assert_int_eq(rtpp_slot_pick(map, 3, &cursor), -1);
	/* A cursor left past the end (a smaller map) restarts at 0. */
	rtpp_slot_clear(map, 0);
	cursor = 77;
	ck_assert_int_eq(rtpp_slot_pick(map, 3, &cursor), 0);
}
END_TEST

START_TEST(max_switchboard)
{
	u32 n = XT_RTPPROXY_MAX_SESS, cursor = 0, i;
	u64 *map = calloc(RTPP_SLOT_WORDS(n), sizeof(u64));

	for (i = 0; i < n; i++)
		ck_assert_int_eq(rtpp_slot_pick(map, n, &cursor), i);
	ck_assert_int_eq(rtpp_slot_pick(map, n, &cursor), -1);
	rtpp_slot_clear(map, n - 1);
	ck_assert_int_eq(rtpp_slot_pick(map, n, &cursor), n - 1);
	free(map);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("slot");
	TCase *tc = tcase_create("pick");

	tcase_add_test(tc, picks_in_order_then_full);
	tcase_add_test(tc, freed_slot_is_reused_last);
	tcase_add_test(tc, alloc_free_cycle_does_not_return_same_slot);
	tcase_add_test(tc, wraps_across_words);
	tcase_add_test(tc, bits_past_the_end_are_never_picked);
	tcase_add_test(tc, max_switchboard);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
