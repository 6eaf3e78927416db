// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxy's commands (cli/commands.c) against a stand-in
 * for librtpproxy whose requests fail where a test says: what reaches
 * stdout and stderr, and the exit code.  With --format json, stdout must
 * be one valid document even when the command fails halfway.
 *
 * UNIT-SRCS: ../../cli/commands.c ../../cli/format.c ../../cli/quality.c ../../cli/json.c ../../cli/args.c ../../lib/names.c
 */
#define _GNU_SOURCE
#include <check.h>
#include "unit.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../../cli/args.h"
#include "../../cli/commands.h"

/* --- the stand-in library -------------------------------------------------- */

static struct {
	unsigned int sbs;		/* switchboards listed */
	int list_sb_err;
	unsigned int sess;		/* sessions listed per switchboard ... */
	int list_sess_err;		/* ... then this, from the sb_fail'th on */
	unsigned int sb_fail;
	unsigned int reset_cbs;		/* switchboards reset before reset_err */
	int reset_err;			/* of switchboard resets only */
	int count_err;			/* update, delete */
	unsigned int count;
	uint64_t discont_ms;		/* info's */
	struct rtpp_quality_totals quality;	/* info's and every sb's */
	unsigned int restarts;		/* of every listing */
} stub;

static unsigned int list_sess_calls;

int rtpp_info(struct rtpp_handle *h, struct rtpp_info *out)
{
	(void)h;
	memset(out, 0, sizeof(*out));
	out->version = 1;
	out->uptime_ms = 5000;
	out->sb_count = 2;
	out->discont_ms = stub.discont_ms;
	out->quality = stub.quality;
	return 0;
}

int rtpp_list_sb(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		 rtpp_sb_cb cb, void *arg)
{
	struct rtpp_sb sb;
	unsigned int i;
	int err;

	(void)h;
	(void)filter;
	for (i = 0; i < stub.sbs; i++) {
		memset(&sb, 0, sizeof(sb));
		sb.id = i;
		sb.quality = stub.quality;
		err = cb(&sb, arg);
		if (err)
			return err;
	}
	return stub.list_sb_err;
}

int rtpp_list_sess(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		   uint32_t lo, uint32_t hi, rtpp_sess_cb cb, void *arg)
{
	struct rtpp_sess s;
	unsigned int i;
	int err;

	(void)h;
	(void)lo;
	(void)hi;
	for (i = 0; i < stub.sess; i++) {
		memset(&s, 0, sizeof(s));
		s.sb.id = filter->id;
		s.id = i;
		err = cb(&s, arg);
		if (err)
			return err;
	}
	return ++list_sess_calls > stub.sb_fail ? stub.list_sess_err : 0;
}

int rtpp_alloc(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
	       const struct rtpp_sess_params *params, struct rtpp_sess *out)
{
	(void)h;
	(void)spec;
	(void)params;
	memset(out, 0, sizeof(*out));
	return 0;
}

int rtpp_update(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range,
		const struct rtpp_sess_params *params, unsigned int *count)
{
	(void)h;
	(void)spec;
	(void)lo;
	(void)hi;
	(void)has_range;
	(void)params;
	*count = stub.count;
	return stub.count_err;
}

int rtpp_delete(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range, unsigned int *count)
{
	(void)h;
	(void)spec;
	(void)lo;
	(void)hi;
	(void)has_range;
	*count = stub.count;
	return stub.count_err;
}

int rtpp_reset(struct rtpp_handle *h, enum rtpp_reset what,
	       const struct rtpp_sb_spec *spec, rtpp_sb_cb cb, void *arg,
	       struct rtpp_stats *global_cleared)
{
	struct rtpp_sb sb;
	unsigned int i;

	(void)h;
	(void)spec;
	if (what == RTPP_RESET_GLOBAL) {
		memset(global_cleared, 0, sizeof(*global_cleared));
		return 0;
	}
	for (i = 0; cb && i < stub.reset_cbs; i++) {
		memset(&sb, 0, sizeof(sb));
		sb.id = i;
		sb.quality = stub.quality;
		cb(&sb, arg);
	}
	return stub.reset_err;
}

int rtpp_audit(struct rtpp_handle *h)
{
	(void)h;
	return 0;
}

const char *rtpp_strerror(struct rtpp_handle *h, int err)
{
	(void)h;
	return strerror(-err);
}

unsigned int rtpp_last_restarts(const struct rtpp_handle *h)
{
	(void)h;
	return stub.restarts;
}

const char *rtpp_last_extack(const struct rtpp_handle *h)
{
	(void)h;
	return NULL;
}

/* --- running a command line ------------------------------------------------ */

static char out[65536], errout[4096];

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs a command line of space-separated words; stdout, stderr captured. */
static int run(const char *line)
{
	static char words[1024];
	struct rtpp_cli_cmd cmd;
	char *argv[32], *tok, *save, msg[256];
	FILE *o = tmpfile(), *e = tmpfile();
	int argc = 0, saved_out, saved_err, ret;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(e);
	snprintf(words, sizeof(words), "%s", line);
	argv[argc++] = "iptrtpproxy";
	for (tok = strtok_r(words, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	ck_assert_msg(!rtpp_cli_parse(argc, argv, &cmd, msg, sizeof(msg)),
		      "'%s': %s", line, msg);
	rtpp_cli_verbose = cmd.verbose;

	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(fileno(o), STDOUT_FILENO);
	dup2(fileno(e), STDERR_FILENO);
	ret = rtpp_cli_run(NULL, &cmd);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(o, out, sizeof(out));
	slurp(e, errout, sizeof(errout));
	return ret;
}

/* --- a JSON checker: a full recursive-descent parse, nothing kept ---------- */

static const char *json_value(const char *s);

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if (!*s || (unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\' && !*++s)
			return NULL;
	}
	return s + 1;
}

static const char *json_members(const char *s, char closing, bool keys)
{
	s = json_ws(s);
	if (*s == closing)
		return s + 1;
	for (;;) {
		if (keys) {
			s = json_string(json_ws(s));
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s++ != ':')
				return NULL;
		}
		s = json_value(s);
		if (!s)
			return NULL;
		s = json_ws(s);
		if (*s != ',')
			return *s == closing ? s + 1 : NULL;
		s++;
	}
}

static const char *json_digits(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return NULL;
	while (isdigit((unsigned char)*s))
		s++;
	return s;
}

/* -? int frac? exp?: the CLI prints counters and percentages. */
static const char *json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0' && isdigit((unsigned char)s[1]))
		return NULL;
	s = json_digits(s);
	if (s && *s == '.')
		s = json_digits(s + 1);
	if (s && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		s = json_digits(s);
	}
	return s;
}

static const char *json_value(const char *s)
{
	static const char *const words[] = { "true", "false", "null" };
	unsigned int i;

	s = json_ws(s);
	if (*s == '{')
		return json_members(s + 1, '}', true);
	if (*s == '[')
		return json_members(s + 1, ']', false);
	if (*s == '"')
		return json_string(s);
	if (*s == '-' || isdigit((unsigned char)*s))
		return json_number(s);
	for (i = 0; i < 3; i++)
		if (!strncmp(s, words[i], strlen(words[i])))
			return s + strlen(words[i]);
	return NULL;
}

/* One object, and nothing after it. */
#define one_document(text) do {						\
	const char *end_ = json_ws(text);				\
									\
	ck_assert_msg(*end_ == '{', "not an object:\n%.200s", text);	\
	end_ = json_value(end_);					\
	ck_assert_msg(end_ && !*json_ws(end_),				\
		      "not one JSON document, ends:\n%s",		\
		      text + (strlen(text) > 200 ? strlen(text) - 200 : 0)); \
} while (0)

/* --- json on failure -------------------------------------------------------- */

START_TEST(list_ok)
{
	stub.sbs = 2;
	stub.sess = 2;
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_OK);
	one_document(out);
	ck_assert_str_eq(errout, "");
}
END_TEST

/* The second switchboard's sessions fail after one was printed. */
START_TEST(list_fails_in_sessions)
{
	stub.sbs = 2;
	stub.sess = 1;
	stub.sb_fail = 1;
	stub.list_sess_err = -EIO;
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_FAIL);
	one_document(out);
	ck_assert_ptr_nonnull(strstr(out, "\"sessions\""));
	ck_assert_str_eq(errout, "iptrtpproxy: switchboard 1: Input/output error\n");
}
END_TEST

/* The exit code stays the error's: -EINVAL is a usage error. */
START_TEST(list_fails_einval)
{
	stub.sbs = 1;
	stub.sess = 3;
	stub.list_sess_err = -EINVAL;
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_USAGE);
	one_document(out);
}
END_TEST

/* -v says when the library threw interrupted replies away. */
START_TEST(list_restarted)
{
	stub.sbs = 1;
	stub.sess = 2;
	stub.restarts = 2;
	ck_assert_int_eq(run("-v list --format json"), RTPP_EXIT_OK);
	one_document(out);
	ck_assert_ptr_nonnull(strstr(errout, "iptrtpproxy: sessions: listing restarted 2 times: "));
	ck_assert_ptr_nonnull(strstr(errout, "iptrtpproxy: switchboards: listing restarted 2 times: "));
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_OK);
	ck_assert_str_eq(errout, "");
}
END_TEST

/* A listing interrupted at every try: a failure, not a usage error. */
START_TEST(list_interrupted)
{
	stub.sbs = 1;
	stub.sess = 0;
	stub.list_sess_err = RTPP_ERR_INTR;
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_FAIL);
	one_document(out);
}
END_TEST

START_TEST(list_fails_before_output)
{
	stub.list_sb_err = -EIO;
	ck_assert_int_eq(run("list --format json"), RTPP_EXIT_FAIL);
	one_document(out);
	ck_assert_str_eq(out, "{}\n");
}
END_TEST

/* A reset failing after it cleared one switchboard. */
START_TEST(reset_fails_midway)
{
	stub.reset_cbs = 1;
	stub.reset_err = -EIO;
	ck_assert_int_eq(run("info --reset-stat --reset-switchboard-stat --format json"),
			 RTPP_EXIT_FAIL);
	one_document(out);
	ck_assert_ptr_nonnull(strstr(out, "\"global\""));
	ck_assert_ptr_nonnull(strstr(out, "\"switchboard\": ["));
	ck_assert_str_eq(errout,
			 "iptrtpproxy: --reset-switchboard-stat: Input/output error\n");
}
END_TEST

/* text and tab print nothing more on failure. */
START_TEST(text_fails)
{
	stub.list_sb_err = -EIO;
	ck_assert_int_eq(run("list"), RTPP_EXIT_FAIL);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(run("list --format tab"), RTPP_EXIT_FAIL);
	ck_assert_str_eq(out, "");
}
END_TEST

/* --- update and delete: messages and exit codes ----------------------------- */

#define UPD "update --addr-a 10.0.0.1 --port-a 2000 --expires-timeout 5"

START_TEST(count_ok)
{
	stub.count = 2;
	ck_assert_int_eq(run(UPD " --format json"), RTPP_EXIT_OK);
	ck_assert_str_eq(out, "{\n  \"updated\": 2\n}\n");
	ck_assert_str_eq(errout, "");
	ck_assert_int_eq(run("delete --format tab -v"), RTPP_EXIT_OK);
	ck_assert_str_eq(out, "deleted\n2\n");
	ck_assert_str_eq(errout, "iptrtpproxy: deleted 2 sessions\n");
	stub.count = 1;
	ck_assert_int_eq(run(UPD " -v --sess-id-lo 4"), RTPP_EXIT_OK);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(errout, "iptrtpproxy: updated 1 session\n");
}
END_TEST

START_TEST(count_error)
{
	stub.count_err = -EIO;
	ck_assert_int_eq(run(UPD " -v"), RTPP_EXIT_FAIL);
	ck_assert_str_eq(errout,
			 "iptrtpproxy: switchboard A 10.0.0.1:2000: Input/output error\n");
	stub.count_err = -ERANGE;
	ck_assert_int_eq(run("delete --addr-a 10.0.0.1 --port-a 2000 --addr-b 10.0.0.2"),
			 RTPP_EXIT_USAGE);
	ck_assert_str_eq(errout,
			 "iptrtpproxy: switchboard A 10.0.0.1:2000 B 10.0.0.2:2000: Numerical result out of range\n");
	stub.count_err = -EIO;
	ck_assert_int_eq(run("delete --format json"), RTPP_EXIT_FAIL);
	ck_assert_str_eq(out, "{}\n");
	ck_assert_str_eq(errout,
			 "iptrtpproxy: every switchboard: Input/output error\n");
}
END_TEST

/* A range matching no session fails; without a range, none is no error. */
START_TEST(count_none)
{
	ck_assert_int_eq(run(UPD " -v --sess-id-lo 3 --sess-id-hi 5"),
			 RTPP_EXIT_FAIL);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(errout,
			 "iptrtpproxy: updated 0 sessions\n"
			 "iptrtpproxy: switchboard A 10.0.0.1:2000: session not found (no session in 3..5)\n");
	ck_assert_int_eq(run("delete --sess-id-lo 7 --format json"),
			 RTPP_EXIT_FAIL);
	ck_assert_str_eq(out, "{}\n");
	ck_assert_str_eq(errout,
			 "iptrtpproxy: every switchboard: session not found (no session in 7..7)\n");
	ck_assert_int_eq(run("delete --format json"), RTPP_EXIT_OK);
	ck_assert_str_eq(out, "{\n  \"deleted\": 0\n}\n");
}
END_TEST

/* --- info: the global discontinuity time, as a switchboard's ---------------- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

START_TEST(info_discont)
{
	const char *row;

	stub.discont_ms = 1700000000123ULL;	/* 2023-11-14 22:13:20.123 UTC */
	ck_assert_int_eq(run("info --format json"), RTPP_EXIT_OK);
	one_document(out);
	ck_assert_ptr_nonnull(strstr(out, "\"switchboards\": 2,\n"
					  "  \"discont_ms\": 1700000000123,\n"));
	ck_assert_int_eq(run("info --format tab"), RTPP_EXIT_OK);
	ck_assert_msg(starts(out, "version\tuptime_ms\tswitchboards\tdiscont_ms\tfree\t"),
		      "tab header: %.80s", out);
	row = strchr(out, '\n');
	ck_assert_ptr_nonnull(row);
	ck_assert_msg(starts(row + 1, "1\t5000\t2\t1700000000123\t0\t"),
		      "tab row: %.80s", row + 1);
	ck_assert_int_eq(run("info"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\ncounted since  2023-11-14 22:13:20\n"),
		      "text: %s", out);
	/* an older kernel says nothing: text shows it unknown */
	stub.discont_ms = 0;
	ck_assert_int_eq(run("info"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\ncounted since  -\n"), "text: %s", out);
}
END_TEST

/*
 * Quality totals: a line in text, an object in JSON, columns at the end in
 * tab, for info and for each switchboard; nothing (text, JSON) or "-"
 * (tab) when the kernel sent none.
 */
START_TEST(info_quality)
{
	const char *row;

	stub.quality = (struct rtpp_quality_totals){
		.has = true, .streams = 4, .expected = 400, .lost = 9,
		.out_of_order = 5, .duplicates = 3, .not_rtp = 0,
		.has_jitter = true, .jitter_us_max = 1500,
	};
	ck_assert_int_eq(run("info"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\nquality        4 RTP streams: lost 9/400 (2.25%), "
				  "5 out of order, 3 dup, worst jitter 1500 us\n"),
		      "text: %s", out);
	ck_assert_int_eq(run("info --format json"), RTPP_EXIT_OK);
	one_document(out);
	ck_assert_msg(strstr(out, "\"quality\": {\n    \"streams\": 4,\n"
				  "    \"expected\": 400,\n    \"lost\": 9,\n"
				  "    \"lost_pct\": 2.25,\n"), "json: %s", out);
	ck_assert_msg(strstr(out, "\"jitter_us_max\": 1500\n"), "json: %s", out);
	ck_assert_int_eq(run("info --format tab"), RTPP_EXIT_OK);
	row = strchr(out, '\n');
	ck_assert_ptr_nonnull(row);
	ck_assert_msg(strstr(out, "\tquality_streams\tquality_expected\tquality_lost"
				  "\tquality_lost_pct\tquality_out_of_order"
				  "\tquality_duplicates\tquality_not_rtp"
				  "\tquality_jitter_us_max\n"), "tab header: %s", out);
	ck_assert_msg(strstr(row, "\t4\t400\t9\t2.25\t5\t3\t0\t1500\n"),
		      "tab row: %s", row);

	stub.sbs = 1;
	stub.quality.not_rtp = 7;
	stub.quality.has_jitter = false;
	stub.quality.jitter_us_max = 0;
	ck_assert_int_eq(run("list"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\n  quality        4 RTP streams: lost 9/400 (2.25%), "
				  "5 out of order, 3 dup, 7 not RTP\n"), "text: %s", out);
	ck_assert_int_eq(run("list --no-session --format tab"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\t4\t400\t9\t2.25\t5\t3\t7\t-\n"), "tab: %s", out);

	memset(&stub.quality, 0, sizeof(stub.quality));
	ck_assert_int_eq(run("info"), RTPP_EXIT_OK);
	ck_assert_msg(!strstr(out, "quality"), "text: %s", out);
	ck_assert_int_eq(run("info --format json"), RTPP_EXIT_OK);
	ck_assert_msg(!strstr(out, "quality"), "json: %s", out);
	ck_assert_int_eq(run("list --no-session --format tab"), RTPP_EXIT_OK);
	ck_assert_msg(strstr(out, "\t-\t-\t-\t-\t-\t-\t-\t-\n"), "tab: %s", out);
}
END_TEST

static void setup(void)
{
	memset(&stub, 0, sizeof(stub));
	list_sess_calls = 0;
}

static Suite *suite(void)
{
	Suite *s = suite_create("cli_commands");
	TCase *tc = tcase_create("json_on_failure");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, list_ok);
	tcase_add_test(tc, list_fails_in_sessions);
	tcase_add_test(tc, list_fails_einval);
	tcase_add_test(tc, list_restarted);
	tcase_add_test(tc, list_interrupted);
	tcase_add_test(tc, list_fails_before_output);
	tcase_add_test(tc, reset_fails_midway);
	tcase_add_test(tc, text_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("update_delete");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, count_ok);
	tcase_add_test(tc, count_error);
	tcase_add_test(tc, count_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("info");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, info_discont);
	tcase_add_test(tc, info_quality);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("TZ", "UTC", 1);		/* text shows local wall-clock times */
	tzset();
	return unit_run(suite());
}
