// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxy's JSON writer (cli/json.c): a document cut
 * short by an error must still be closed, bracket by matching bracket.
 *
 * UNIT-SRCS: ../../cli/json.c
 */
#define _GNU_SOURCE
#include <check.h>
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include "../../cli/json.h"

static char *text;
static size_t len;
static FILE *f;
static struct rtpp_json j;

static void start(void)
{
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	rtpp_json_init(&j, f);
}

static const char *done(void)
{
	fclose(f);
	return text;
}

START_TEST(complete)
{
	start();
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_u64(&j, "a", 1);
	rtpp_json_open(&j, "b", '[');
	rtpp_json_bool(&j, NULL, true);
	rtpp_json_null(&j, NULL);
	rtpp_json_close(&j);
	rtpp_json_str(&j, "c", "x\"y");
	rtpp_json_close(&j);
	ck_assert_str_eq(done(),
			 "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n"
			 "  \"c\": \"x\\\"y\"\n}\n");
}
END_TEST

/* What a list failing in its second session leaves open. */
START_TEST(finish_closes_every_level)
{
	start();
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_open(&j, "switchboards", '[');
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_u64(&j, "id", 3);
	rtpp_json_open(&j, "sessions", '[');
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_u64(&j, "id", 0);
	rtpp_json_close(&j);
	rtpp_json_finish(&j);
	ck_assert_str_eq(done(),
			 "{\n  \"switchboards\": [\n    {\n      \"id\": 3,\n"
			 "      \"sessions\": [\n        {\n          \"id\": 0\n"
			 "        }\n      ]\n    }\n  ]\n}\n");
}
END_TEST

/* Levels opened but still empty close as {} and []. */
START_TEST(finish_empty_levels)
{
	start();
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_open(&j, "cleared", '{');
	rtpp_json_open(&j, "switchboard", '[');
	rtpp_json_finish(&j);
	ck_assert_str_eq(done(),
			 "{\n  \"cleared\": {\n    \"switchboard\": []\n  }\n}\n");
}
END_TEST

/* Once complete, nothing more: a stray bracket would spoil the document. */
START_TEST(finish_is_idempotent)
{
	start();
	rtpp_json_open(&j, NULL, '{');
	rtpp_json_finish(&j);
	rtpp_json_finish(&j);
	rtpp_json_close(&j);
	ck_assert_str_eq(done(), "{}\n");
}
END_TEST

START_TEST(finish_nothing_open)
{
	start();
	rtpp_json_finish(&j);
	ck_assert_str_eq(done(), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli_json");
	TCase *tc = tcase_create("writer");

	tcase_add_test(tc, complete);
	tcase_add_test(tc, finish_closes_every_level);
	tcase_add_test(tc, finish_empty_levels);
	tcase_add_test(tc, finish_is_idempotent);
	tcase_add_test(tc, finish_nothing_open);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
