// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxy's command line parsing (cli/args.c): every
 * option of every command, and every class of bad input, which must give
 * exit code 2 and a message naming the parameter.
 *
 * UNIT-SRCS: ../../cli/args.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../cli/args.h"

#define MAX_ARGS 64

static struct rtpp_cli_cmd cmd;
static char err[256];

/* Parses a command line given as one string of space-separated words. */
static int parse(const char *line)
{
	static char buf[1024];
	char *argv[MAX_ARGS];
	int argc = 0;
	char *tok, *save;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "iptrtpproxy";
	for (tok = strtok_r(buf, " ", &save); tok && argc < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return rtpp_cli_parse(argc, argv, &cmd, err, sizeof(err));
}

static int parse_argv(int argc, char **argv)
{
	return rtpp_cli_parse(argc, argv, &cmd, err, sizeof(err));
}

#define ok(line) do {							\
	int rc_ = parse(line);						\
	ck_assert_msg(rc_ == 0, "'%s': rc %d, %s", line, rc_, err);	\
	ck_assert_str_eq(err, "");					\
} while (0)

/* Exit code 2, and the message names the parameter. */
#define bad(line, names) do {						\
	int rc_ = parse(line);						\
	ck_assert_msg(rc_ == RTPP_EXIT_USAGE, "'%s': rc %d", line, rc_);	\
	ck_assert_msg(strstr(err, names) != NULL,			\
		      "'%s': message '%s' does not name '%s'", line, err, names); \
	ck_assert_msg(strchr(err, '\n') == NULL, "'%s': not one line", line); \
} while (0)

static uint32_t ip(const char *s)
{
	struct in_addr in;

	ck_assert_int_eq(inet_pton(AF_INET, s, &in), 1);
	return in.s_addr;
}

/* --- commands ------------------------------------------------------------ */

START_TEST(commands)
{
	ok("info");
	ck_assert_int_eq(cmd.action, RTPP_CLI_RUN);
	ck_assert_int_eq(cmd.command, RTPP_CLI_INFO);
	ck_assert_int_eq(cmd.format, RTPP_CLI_TEXT);
	ck_assert(!cmd.has_sb && !cmd.has_range && !cmd.has_params);
	ok("list");
	ck_assert_int_eq(cmd.command, RTPP_CLI_LIST);
	ck_assert(!cmd.no_sb && !cmd.no_sess);
	ok("alloc --rtp-addr-a 10.0.0.1");
	ck_assert_int_eq(cmd.command, RTPP_CLI_ALLOC);
	ok("update --addr-a 10.0.0.1 --port-a 50000 --expires-timeout 5");
	ck_assert_int_eq(cmd.command, RTPP_CLI_UPDATE);
	ok("delete");
	ck_assert_int_eq(cmd.command, RTPP_CLI_DELETE);
	ck_assert(!cmd.has_sb && !cmd.has_range);
	ck_assert_str_eq(rtpp_cli_command_name(RTPP_CLI_DELETE), "delete");
}
END_TEST

START_TEST(options_before_command)
{
	ok("-v --format json list");
	ck_assert_int_eq(cmd.command, RTPP_CLI_LIST);
	ck_assert_int_eq(cmd.verbose, 1);
	ck_assert_int_eq(cmd.format, RTPP_CLI_JSON);
	ok("--addr-a 1.2.3.4 --port-a 1000 delete");
	ck_assert_int_eq(cmd.command, RTPP_CLI_DELETE);
	ck_assert(cmd.has_sb);
}
END_TEST

START_TEST(bad_commands)
{
	bad("", "missing command");
	bad("-v", "missing command");
	bad("bogus", "bogus");
	bad("list extra", "extra");
	bad("info list", "list");
	bad("-h bogus", "bogus");
	bad("bogus -h", "bogus");
}
END_TEST

/* --- common options -------------------------------------------------------- */

START_TEST(help_anywhere)
{
	static const struct { const char *line; enum rtpp_cli_command c; } t[] = {
		{ "-h", RTPP_CLI_NONE },
		{ "--help", RTPP_CLI_NONE },
		{ "-h info", RTPP_CLI_INFO },
		{ "-h list", RTPP_CLI_LIST },
		{ "-h alloc", RTPP_CLI_ALLOC },
		{ "-h update", RTPP_CLI_UPDATE },
		{ "-h delete", RTPP_CLI_DELETE },
		{ "list -h", RTPP_CLI_LIST },
		{ "list --addr-a 1.2.3.4 --help", RTPP_CLI_LIST },
		/* help wins over errors elsewhere on the line */
		{ "alloc --bogus -h", RTPP_CLI_ALLOC },
		{ "update --port-a 3 -h", RTPP_CLI_UPDATE },
		{ "delete --addr-a -h", RTPP_CLI_DELETE },
		{ "info --addr-a 1.2.3.4 -h", RTPP_CLI_INFO },
		{ "-vh list", RTPP_CLI_LIST },
		{ "--version -h", RTPP_CLI_NONE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ok(t[i].line);
		ck_assert_msg(cmd.action == RTPP_CLI_HELP, "%s", t[i].line);
		ck_assert_msg(cmd.command == t[i].c, "%s", t[i].line);
	}
}
END_TEST

START_TEST(verbose_and_version)
{
	ok("info -v");
	ck_assert_int_eq(cmd.verbose, 1);
	ok("info --verbose -v");
	ck_assert_int_eq(cmd.verbose, 2);
	ok("info -vv");
	ck_assert_int_eq(cmd.verbose, 2);
	ok("--version");
	ck_assert_int_eq(cmd.action, RTPP_CLI_VERSION);
	ok("list --version");
	ck_assert_int_eq(cmd.action, RTPP_CLI_VERSION);
	ok("--version --addr-a 1.1.1.1");	/* wins, like -h */
	ck_assert_int_eq(cmd.action, RTPP_CLI_VERSION);
	bad("--version --bogus", "--bogus");
	bad("--version=1", "--version");
	bad("--verbose=2", "--verbose");
	bad("info -x", "-x");
	bad("info -vx", "-x");
}
END_TEST

/*
 * A bundle of short flags is one word but many occurrences: the parser
 * once made room for one occurrence per word and wrote past it.
 */
START_TEST(short_flag_bundles)
{
	char bundle[202];
	char *argv[] = { "iptrtpproxy", bundle, "info", NULL };

	ok("-vvvvvvvv info");
	ck_assert_int_eq(cmd.action, RTPP_CLI_RUN);
	ck_assert_int_eq(cmd.command, RTPP_CLI_INFO);
	ck_assert_int_eq(cmd.verbose, 8);
	ok("-vvvv -vvvv list -vvvv");
	ck_assert_int_eq(cmd.command, RTPP_CLI_LIST);
	ck_assert_int_eq(cmd.verbose, 12);
	ok("-vvvvvvvh info");
	ck_assert_int_eq(cmd.action, RTPP_CLI_HELP);
	bad("info -vvvvvvvvx", "-x");

	/* one word of 200 flags, on a line of three words */
	bundle[0] = '-';
	memset(bundle + 1, 'v', 200);
	bundle[201] = '\0';
	ck_assert_int_eq(parse_argv(3, argv), RTPP_EXIT_OK);
	ck_assert_int_eq(cmd.command, RTPP_CLI_INFO);
	ck_assert_int_eq(cmd.verbose, 200);
}
END_TEST

START_TEST(format)
{
	static const char *const cmds[] = {
		"info", "list", "alloc --rtp-addr-a 1.1.1.1",
		"update --addr-a 1.1.1.1 --port-a 2 --expires-timeout 3",
		"delete",
	};
	static const char *const names[] = { "text", "tab", "json" };
	char line[128];
	unsigned int c, f;

	for (c = 0; c < 5; c++) {
		ok(cmds[c]);
		ck_assert(!cmd.has_format);
		ck_assert_int_eq(cmd.format, RTPP_CLI_TEXT);
		for (f = 0; f < 3; f++) {
			snprintf(line, sizeof(line), "%s --format %s", cmds[c], names[f]);
			ok(line);
			ck_assert(cmd.has_format);
			ck_assert_int_eq(cmd.format, f);
			snprintf(line, sizeof(line), "%s --format=%s", cmds[c], names[f]);
			ok(line);
			ck_assert_int_eq(cmd.format, f);
		}
	}
	bad("list --format xml", "--format");
	bad("list --format JSON", "--format");
	bad("list --format", "--format");
	bad("list --format=", "--format");
	bad("list --format json --format tab", "--format");
	bad("list --format tab,json", "--format");
	bad("--format=json", "missing command");
}
END_TEST

START_TEST(common_with_every_command)
{
	static const char *const cmds[] = {
		"info", "list", "alloc --rtp-addr-a 1.1.1.1",
		"update --addr-a 1.1.1.1 --port-a 2 --expires-timeout 1", "delete",
	};
	char line[256];
	unsigned int c;

	for (c = 0; c < 5; c++) {
		snprintf(line, sizeof(line), "%s -v", cmds[c]);
		ok(line);
		ck_assert_int_eq(cmd.verbose, 1);
		ck_assert_int_eq(cmd.command, c + 1);
		snprintf(line, sizeof(line), "--verbose %s --verbose", cmds[c]);
		ok(line);
		ck_assert_int_eq(cmd.verbose, 2);
		snprintf(line, sizeof(line), "%s --help", cmds[c]);
		ok(line);
		ck_assert_int_eq(cmd.action, RTPP_CLI_HELP);
		ck_assert_int_eq(cmd.command, c + 1);
		snprintf(line, sizeof(line), "%s --version", cmds[c]);
		ok(line);
		ck_assert_int_eq(cmd.action, RTPP_CLI_VERSION);
	}
	/* an option with no command: the command is what is missing */
	bad("--addr-a 1.1.1.1 --port-a 2", "missing command");
	bad("--rtp-addr-a 1.1.1.1", "missing command");
}
END_TEST

/*
 * Every option of the manual against every command: valid where the manual
 * gives it, refused elsewhere with exit 2 and a message naming the option
 * and the command.  The table is the manual's synopsis, written out here
 * independently of the parser's own.
 */
enum { I = 1, L = 2, AL = 4, U = 8, D = 16, ALL = 31 };
enum { K_SB, K_RANGE, K_ADDR, K_PARAM, K_LIST, K_OTHER };

static const struct {
	const char *text;	/* the option with its value */
	int kind;
	unsigned int cmds;
} manual[] = {
	{ "--addr-a 1.1.1.1 --port-a 2", K_SB, L | AL | U | D },
	{ "--port-a 2 --addr-a 1.1.1.1", K_SB, L | AL | U | D },
	{ "--addr-b 1.1.1.2 --addr-a 1.1.1.1 --port-a 2", K_SB, L | AL | U | D },
	{ "--port-b 4 --addr-a 1.1.1.1 --port-a 2", K_SB, L | AL | U | D },
	{ "--sess-id-lo 1", K_RANGE, L | U | D },
	{ "--sess-id-hi 1", K_RANGE, L | U | D },
	{ "--rtp-addr-a 10.0.0.1", K_ADDR, AL | U },
	{ "--rtp-addr-b 10.0.0.1", K_ADDR, AL | U },
	{ "--rtcp-addr-a 10.0.0.1", K_ADDR, AL | U },
	{ "--rtcp-addr-b 10.0.0.1", K_ADDR, AL | U },
	{ "--rtp-port-a 4000", K_PARAM, AL | U },
	{ "--rtp-port-b 4000", K_PARAM, AL | U },
	{ "--rtcp-port-a 4001", K_PARAM, AL | U },
	{ "--rtcp-port-b 4001", K_PARAM, AL | U },
	{ "--rtp-learning-timeout-a 10", K_ADDR, AL | U },
	{ "--rtp-learning-timeout-b 10", K_ADDR, AL | U },
	{ "--rtcp-learning-timeout-a 10", K_ADDR, AL | U },
	{ "--rtcp-learning-timeout-b 10", K_ADDR, AL | U },
	{ "--always-learn-a", K_PARAM, AL | U },
	{ "--always-learn-b", K_PARAM, AL | U },
	{ "--expires-timeout 60", K_PARAM, AL | U },
	{ "--no-switchboard", K_LIST, L },
	{ "--no-session", K_LIST, L },
	{ "--reset-stat", K_OTHER, ALL },
	{ "--reset-switchboard-stat", K_OTHER, ALL },
	{ "--reset-switchboard-packet-stat", K_OTHER, ALL },
	{ "--force-switchboard-audit", K_OTHER, ALL },
	{ "--format json", K_OTHER, ALL },
};

START_TEST(manual_matrix)
{
	static const char *const names[] = {
		"info", "list", "alloc", "update", "delete",
	};
	char line[256], opt[64];
	unsigned int o, c;

	for (o = 0; o < sizeof(manual) / sizeof(manual[0]); o++) {
		int k = manual[o].kind;

		snprintf(opt, sizeof(opt), "%s", manual[o].text);
		*strchrnul(opt, ' ') = '\0';
		for (c = 0; c < 5; c++) {
			const char *extra = "";

			/* what else the command needs to be valid */
			if (c == 2 && k != K_ADDR)
				extra = " --rtp-learning-timeout-a 7";
			if (c == 3 && k == K_SB)
				extra = " --expires-timeout 5";
			else if (c == 3 && (k == K_ADDR || k == K_PARAM))
				extra = " --addr-a 9.9.9.9 --port-a 2";
			else if (c == 3)
				extra = " --addr-a 9.9.9.9 --port-a 2 --expires-timeout 5";
			snprintf(line, sizeof(line), "%s %s%s", names[c],
				 manual[o].text, extra);
			if (manual[o].cmds & (1u << c)) {
				ok(line);
				ck_assert_int_eq(cmd.command, c + 1);
			} else {
				bad(line, opt);
				ck_assert_msg(strstr(err, names[c]), "'%s': %s", line, err);
			}
		}
	}
}
END_TEST

/* --- switchboard ----------------------------------------------------------- */

START_TEST(switchboard)
{
	static const char *const cmds[] = {
		"list", "delete", "alloc --rtp-learning-timeout-a 1",
		"update --expires-timeout 9",
	};
	char line[256];
	unsigned int c;

	for (c = 0; c < 4; c++) {
		snprintf(line, sizeof(line), "%s --addr-a 10.0.0.1 --port-a 50000",
			 cmds[c]);
		ok(line);
		ck_assert(cmd.has_sb);
		ck_assert(cmd.sb.has_addr_a && cmd.sb.has_port_a);
		ck_assert(!cmd.sb.has_addr_b && !cmd.sb.has_port_b && !cmd.sb.has_id);
		ck_assert_uint_eq(cmd.sb.addr_a, ip("10.0.0.1"));
		ck_assert_uint_eq(cmd.sb.port_a, 50000);

		snprintf(line, sizeof(line),
			 "%s --addr-a 10.0.0.1 --port-a 50000 --addr-b 192.168.1.2 --port-b 40000",
			 cmds[c]);
		ok(line);
		ck_assert(cmd.sb.has_addr_b && cmd.sb.has_port_b);
		ck_assert_uint_eq(cmd.sb.addr_b, ip("192.168.1.2"));
		ck_assert_uint_eq(cmd.sb.port_b, 40000);

		snprintf(line, sizeof(line), "%s --addr-a=10.0.0.1 --port-a=2 --port-b=4",
			 cmds[c]);
		ok(line);
		ck_assert(!cmd.sb.has_addr_b && cmd.sb.has_port_b);
		ck_assert_uint_eq(cmd.sb.port_a, 2);
		ck_assert_uint_eq(cmd.sb.port_b, 4);
	}
	ok("list --addr-a 1.2.3.4 --port-a 65534");
	bad("info --addr-a 1.2.3.4 --port-a 2", "--addr-a");
	bad("info --port-b 2", "--port-b");
}
END_TEST

START_TEST(switchboard_incomplete)
{
	bad("list --addr-a 1.2.3.4", "--port-a");
	bad("list --port-a 50000", "--addr-a");
	bad("list --addr-b 1.2.3.4", "--addr-a");
	bad("list --port-b 50000", "--addr-a");
	bad("delete --addr-a 1.2.3.4 --addr-b 1.2.3.5", "--port-a");
	bad("update --expires-timeout 3", "--addr-a");
	bad("update --sess-id-lo 1 --rtp-addr-a 1.1.1.1", "--addr-a");
}
END_TEST

START_TEST(bad_addresses)
{
	static const char *const addrs[] = {
		"1.2.3", "1.2.3.256", "abc", "1.2.3.4.5", "::1", "1.2.3.4/24",
		"01.2.3.4x", "-1.2.3.4", "localhost",
	};
	static const char *const opts[] = {
		"list --port-a 2 --addr-a", "list --addr-a 1.1.1.1 --port-a 2 --addr-b",
		"alloc --rtp-addr-a", "alloc --rtp-addr-b", "alloc --rtcp-addr-a",
		"alloc --rtcp-addr-b",
	};
	char line[256], name[64];
	unsigned int a, o;

	for (o = 0; o < sizeof(opts) / sizeof(opts[0]); o++)
		for (a = 0; a < sizeof(addrs) / sizeof(addrs[0]); a++) {
			snprintf(line, sizeof(line), "%s %s", opts[o], addrs[a]);
			snprintf(name, sizeof(name), "%s", strrchr(opts[o], ' ') + 1);
			bad(line, name);
			ck_assert_msg(strstr(err, addrs[a]), "%s: %s", line, err);
		}
}
END_TEST

START_TEST(bad_ports)
{
	static const char *const ports[] = {
		"0", "65536", "-1", "12ab", "0x10", "99999999999", " ", "+2",
	};
	static const char *const opts[] = {
		"list --addr-a 1.1.1.1 --port-a",
		"list --addr-a 1.1.1.1 --port-a 2 --port-b",
		"alloc --rtp-addr-a 1.1.1.1 --rtp-port-a",
		"alloc --rtp-addr-a 1.1.1.1 --rtp-port-b",
		"alloc --rtp-addr-a 1.1.1.1 --rtcp-port-a",
		"alloc --rtp-addr-a 1.1.1.1 --rtcp-port-b",
	};
	char line[256], name[64];
	unsigned int p, o;

	for (o = 0; o < sizeof(opts) / sizeof(opts[0]); o++)
		for (p = 0; p < sizeof(ports) / sizeof(ports[0]); p++) {
			char *argv[16];
			int argc = 0;

			/* built by hand: a value may contain a space */
			snprintf(line, sizeof(line), "%s", opts[o]);
			snprintf(name, sizeof(name), "%s", strrchr(opts[o], ' ') + 1);
			argv[argc++] = "iptrtpproxy";
			for (char *t = strtok(line, " "); t; t = strtok(NULL, " "))
				argv[argc++] = t;
			argv[argc++] = (char *)ports[p];
			argv[argc] = NULL;
			ck_assert_int_eq(parse_argv(argc, argv), RTPP_EXIT_USAGE);
			ck_assert_msg(strstr(err, name), "%s %s: %s", opts[o],
				      ports[p], err);
		}
	/* gates start at even ports; clients may use any */
	bad("list --addr-a 1.1.1.1 --port-a 50001", "--port-a");
	bad("list --addr-a 1.1.1.1 --port-a 50000 --port-b 3", "--port-b");
	ok("alloc --rtp-addr-a 1.1.1.1 --rtp-port-a 4001 --rtcp-port-a 65535");
}
END_TEST

/* --- session range --------------------------------------------------------- */

START_TEST(range)
{
	static const char *const cmds[] = {
		"list", "delete", "update --addr-a 1.1.1.1 --port-a 2 --expires-timeout 1",
	};
	char line[256];
	unsigned int c;

	for (c = 0; c < 3; c++) {
		ok(cmds[c]);
		ck_assert(!cmd.has_range);
		snprintf(line, sizeof(line), "%s --sess-id-lo 5", cmds[c]);
		ok(line);
		ck_assert(cmd.has_range);
		ck_assert_uint_eq(cmd.lo, 5);
		ck_assert_uint_eq(cmd.hi, 5);
		snprintf(line, sizeof(line), "%s --sess-id-hi 7", cmds[c]);
		ok(line);
		ck_assert(cmd.has_range);
		ck_assert_uint_eq(cmd.lo, 0);
		ck_assert_uint_eq(cmd.hi, 7);
		snprintf(line, sizeof(line), "%s --sess-id-hi 32766 --sess-id-lo 3",
			 cmds[c]);
		ok(line);
		ck_assert_uint_eq(cmd.lo, 3);
		ck_assert_uint_eq(cmd.hi, 32766);
	}
	ok("list --sess-id-lo 0 --sess-id-hi 0");
	ck_assert(cmd.has_range);
	bad("list --sess-id-lo 5 --sess-id-hi 4", "--sess-id-hi");
	bad("list --sess-id-lo 32767", "--sess-id-lo");
	bad("list --sess-id-hi 40000", "--sess-id-hi");
	bad("list --sess-id-lo x", "--sess-id-lo");
	bad("list --sess-id-lo -1", "--sess-id-lo");
	bad("list --sess-id-lo 1.5", "--sess-id-lo");
	bad("list --sess-id-lo", "--sess-id-lo");
	bad("list --sess-id-lo 1 --sess-id-lo 2", "--sess-id-lo");
	bad("info --sess-id-lo 1", "--sess-id-lo");
	bad("alloc --rtp-addr-a 1.1.1.1 --sess-id-lo 1", "--sess-id-lo");
	bad("alloc --rtp-addr-a 1.1.1.1 --sess-id-hi 1", "--sess-id-hi");
}
END_TEST

/* --- RTP params ------------------------------------------------------------ */

START_TEST(rtp_params)
{
	static const char *const cmds[] = {
		"alloc", "update --addr-a 1.1.1.1 --port-a 2",
	};
	char line[512];
	unsigned int c;

	for (c = 0; c < 2; c++) {
		const struct rtpp_sess_params *p = &cmd.params;
		const struct rtpp_stream_params *ar = &p->side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP];
		const struct rtpp_stream_params *ac = &p->side[RTPP_SIDE_A].stream[RTPP_STREAM_RTCP];
		const struct rtpp_stream_params *br = &p->side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP];
		const struct rtpp_stream_params *bc = &p->side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP];

		snprintf(line, sizeof(line),
			 "%s --rtp-addr-a 10.0.0.1 --rtp-addr-b 10.0.0.2"
			 " --rtcp-addr-a 10.0.0.3 --rtcp-addr-b 10.0.0.4"
			 " --rtp-port-a 1000 --rtp-port-b 2000"
			 " --rtcp-port-a 1001 --rtcp-port-b 2001"
			 " --rtp-learning-timeout-a 100 --rtp-learning-timeout-b 200"
			 " --rtcp-learning-timeout-a 300 --rtcp-learning-timeout-b 3600000"
			 " --always-learn-a --always-learn-b=no --expires-timeout 86400",
			 cmds[c]);
		ok(line);
		ck_assert(cmd.has_params);
		ck_assert(ar->has_addr && ac->has_addr && br->has_addr && bc->has_addr);
		ck_assert_uint_eq(ar->addr, ip("10.0.0.1"));
		ck_assert_uint_eq(br->addr, ip("10.0.0.2"));
		ck_assert_uint_eq(ac->addr, ip("10.0.0.3"));
		ck_assert_uint_eq(bc->addr, ip("10.0.0.4"));
		ck_assert(ar->has_port && ac->has_port && br->has_port && bc->has_port);
		ck_assert_uint_eq(ar->port, 1000);
		ck_assert_uint_eq(br->port, 2000);
		ck_assert_uint_eq(ac->port, 1001);
		ck_assert_uint_eq(bc->port, 2001);
		ck_assert(ar->has_learning && ac->has_learning);
		ck_assert(br->has_learning && bc->has_learning);
		ck_assert_uint_eq(ar->learning_ms, 100);
		ck_assert_uint_eq(br->learning_ms, 200);
		ck_assert_uint_eq(ac->learning_ms, 300);
		ck_assert_uint_eq(bc->learning_ms, 3600000);
		ck_assert(p->side[RTPP_SIDE_A].has_always_learn);
		ck_assert(p->side[RTPP_SIDE_A].always_learn);
		ck_assert(p->side[RTPP_SIDE_B].has_always_learn);
		ck_assert(!p->side[RTPP_SIDE_B].always_learn);
		ck_assert(p->has_expires);
		ck_assert_uint_eq(p->expires, 86400);
	}
}
END_TEST

/* Only what is given is marked given, so that update changes only that. */
START_TEST(rtp_params_given)
{
	const struct rtpp_sess_params *p = &cmd.params;
	const struct rtpp_stream_params *ar = &p->side[RTPP_SIDE_A].stream[RTPP_STREAM_RTP];
	const struct rtpp_stream_params *ac = &p->side[RTPP_SIDE_A].stream[RTPP_STREAM_RTCP];
	const struct rtpp_stream_params *br = &p->side[RTPP_SIDE_B].stream[RTPP_STREAM_RTP];

	ok("update --addr-a 1.1.1.1 --port-a 2 --rtp-port-a 4000");
	ck_assert(ar->has_port && !ar->has_addr && !ar->has_learning);
	ck_assert(!ac->has_port && !ac->has_addr && !ac->has_learning);
	ck_assert(!br->has_port && !br->has_addr && !br->has_learning);
	ck_assert(!p->has_expires);
	ck_assert(!p->side[RTPP_SIDE_A].has_always_learn);
	ck_assert(!p->side[RTPP_SIDE_B].has_always_learn);

	ok("update --addr-a 1.1.1.1 --port-a 2 --always-learn-b");
	ck_assert(cmd.has_params);
	ck_assert(p->side[RTPP_SIDE_B].has_always_learn);
	ck_assert(p->side[RTPP_SIDE_B].always_learn);
	ck_assert(!p->side[RTPP_SIDE_A].has_always_learn);

	ok("update --addr-a 1.1.1.1 --port-a 2 --rtcp-learning-timeout-b 0");
	ck_assert(p->side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].has_learning);
	ck_assert_uint_eq(p->side[RTPP_SIDE_B].stream[RTPP_STREAM_RTCP].learning_ms, 0);
}
END_TEST

START_TEST(always_learn_values)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	char line[128];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "alloc --rtp-addr-a 1.1.1.1 --always-learn-a=%s",
			 yes[i]);
		ok(line);
		ck_assert(cmd.params.side[RTPP_SIDE_A].always_learn);
		snprintf(line, sizeof(line), "alloc --rtp-addr-a 1.1.1.1 --always-learn-a=%s",
			 no[i]);
		ok(line);
		ck_assert(cmd.params.side[RTPP_SIDE_A].has_always_learn);
		ck_assert(!cmd.params.side[RTPP_SIDE_A].always_learn);
	}
	bad("alloc --rtp-addr-a 1.1.1.1 --always-learn-a=maybe", "--always-learn-a");
	bad("alloc --rtp-addr-a 1.1.1.1 --always-learn-b=", "--always-learn-b");
	/* the optional value is only taken with '=' */
	bad("alloc --rtp-addr-a 1.1.1.1 --always-learn-a no", "no");
}
END_TEST

START_TEST(bad_numbers)
{
	bad("alloc --rtp-learning-timeout-a 3600001", "--rtp-learning-timeout-a");
	bad("alloc --rtp-learning-timeout-b x", "--rtp-learning-timeout-b");
	bad("alloc --rtcp-learning-timeout-a -5", "--rtcp-learning-timeout-a");
	bad("alloc --rtcp-learning-timeout-b 1e3", "--rtcp-learning-timeout-b");
	bad("alloc --rtp-addr-a 1.1.1.1 --expires-timeout 0", "--expires-timeout");
	bad("alloc --rtp-addr-a 1.1.1.1 --expires-timeout 86401", "--expires-timeout");
	bad("alloc --rtp-addr-a 1.1.1.1 --expires-timeout 4294967296", "--expires-timeout");
	bad("alloc --rtp-addr-a 1.1.1.1 --expires-timeout 10s", "--expires-timeout");
	ok("alloc --rtp-addr-a 1.1.1.1 --expires-timeout 1");
}
END_TEST

START_TEST(params_not_valid)
{
	static const char *const opts[] = {
		"--rtp-addr-a 1.1.1.1", "--rtp-addr-b 1.1.1.1", "--rtcp-addr-a 1.1.1.1",
		"--rtcp-addr-b 1.1.1.1", "--rtp-port-a 1", "--rtp-port-b 1",
		"--rtcp-port-a 1", "--rtcp-port-b 1", "--rtp-learning-timeout-a 1",
		"--rtp-learning-timeout-b 1", "--rtcp-learning-timeout-a 1",
		"--rtcp-learning-timeout-b 1", "--always-learn-a", "--always-learn-b",
		"--expires-timeout 1",
	};
	static const char *const cmds[] = { "info", "list", "delete" };
	char line[128], name[64];
	unsigned int o, c;

	for (o = 0; o < sizeof(opts) / sizeof(opts[0]); o++)
		for (c = 0; c < 3; c++) {
			snprintf(line, sizeof(line), "%s %s", cmds[c], opts[o]);
			snprintf(name, sizeof(name), "%s", opts[o]);
			*strchrnul(name, ' ') = '\0';
			bad(line, name);
			ck_assert_msg(strstr(err, cmds[c]), "%s: %s", line, err);
		}
}
END_TEST

START_TEST(alloc_needs_client)
{
	bad("alloc", "--rtp-addr-a");
	bad("alloc --addr-a 1.1.1.1 --port-a 2", "--rtp-addr-a");
	bad("alloc --rtp-port-a 4000", "--rtp-addr-a");
	bad("alloc --always-learn-a --expires-timeout 5", "--rtp-addr-a");
	ok("alloc --rtp-addr-b 1.1.1.1");
	ok("alloc --rtcp-addr-a 1.1.1.1");
	ok("alloc --rtcp-addr-b 1.1.1.1");
	ok("alloc --rtp-learning-timeout-a 1000");
	ok("alloc --rtp-learning-timeout-b 1000");
	ok("alloc --rtcp-learning-timeout-a 1000");
	ok("alloc --rtcp-learning-timeout-b 1000");
	ck_assert(!cmd.has_sb);
}
END_TEST

START_TEST(update_needs_change)
{
	bad("update --addr-a 1.1.1.1 --port-a 2", "--expires-timeout");
	bad("update --addr-a 1.1.1.1 --port-a 2 --sess-id-lo 3", "--expires-timeout");
}
END_TEST

/* --- list verbosity and other options ---------------------------------------- */

START_TEST(list_verbosity)
{
	ok("list --no-session");
	ck_assert(cmd.no_sess && !cmd.no_sb);
	ok("list --no-switchboard");
	ck_assert(cmd.no_sess && cmd.no_sb);
	ok("list --no-switchboard --no-session --no-session");
	ck_assert(cmd.no_sess && cmd.no_sb);
	ok("list --addr-a 1.1.1.1 --port-a 2 --no-session");
	bad("list --no-session=yes", "--no-session");
	bad("list --no-session --sess-id-lo 1", "--sess-id-lo");
	bad("list --no-switchboard --sess-id-hi 1", "--sess-id-hi");
	bad("list --no-switchboard --sess-id-hi 1", "--no-switchboard");
	bad("list --no-switchboard --addr-a 1.1.1.1 --port-a 2", "--no-switchboard");
	bad("info --no-session", "--no-session");
	bad("delete --no-switchboard", "--no-switchboard");
	bad("alloc --rtp-addr-a 1.1.1.1 --no-session", "--no-session");
}
END_TEST

START_TEST(other_options)
{
	static const char *const opts[] = {
		"--reset-stat", "--reset-switchboard-stat",
		"--reset-switchboard-packet-stat", "--force-switchboard-audit",
	};
	/* the manual's synopsis gives other_options to every command */
	static const char *const cmds[] = {
		"info", "list", "alloc --rtp-addr-a 1.1.1.1",
		"update --addr-a 1.1.1.1 --port-a 2 --expires-timeout 1",
		"delete", "delete --addr-a 1.1.1.1 --port-a 2 --sess-id-lo 3",
	};
	char line[256];
	unsigned int o, c;

	ok("info --reset-stat");
	ck_assert(cmd.reset_stat && !cmd.reset_sb_stat && !cmd.reset_sb_pkt_stat &&
		  !cmd.force_audit);
	ok("list --reset-switchboard-stat");
	ck_assert(!cmd.reset_stat && cmd.reset_sb_stat);
	ok("info --reset-switchboard-packet-stat");
	ck_assert(cmd.reset_sb_pkt_stat && !cmd.reset_sb_stat);
	ok("list --force-switchboard-audit");
	ck_assert(cmd.force_audit);
	ok("list --addr-a 1.1.1.1 --port-a 2 --reset-stat --reset-switchboard-stat"
	   " --reset-switchboard-packet-stat --force-switchboard-audit --no-session");
	ck_assert(cmd.reset_stat && cmd.reset_sb_stat && cmd.reset_sb_pkt_stat &&
		  cmd.force_audit && cmd.has_sb);
	for (o = 0; o < 4; o++) {
		for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			snprintf(line, sizeof(line), "%s %s", cmds[c], opts[o]);
			ok(line);
			ck_assert_msg(cmd.reset_stat == (o == 0) &&
				      cmd.reset_sb_stat == (o == 1) &&
				      cmd.reset_sb_pkt_stat == (o == 2) &&
				      cmd.force_audit == (o == 3), "%s", line);
			/* before the command word too */
			snprintf(line, sizeof(line), "%s %s", opts[o], cmds[c]);
			ok(line);
		}
		snprintf(line, sizeof(line), "info %s=1", opts[o]);
		bad(line, opts[o]);
		snprintf(line, sizeof(line), "%s", opts[o]);
		bad(line, "missing command");
	}
	ok("alloc --rtp-learning-timeout-a 5 --reset-stat --reset-switchboard-stat"
	   " --reset-switchboard-packet-stat --force-switchboard-audit --format json");
	ck_assert(cmd.reset_stat && cmd.reset_sb_stat && cmd.reset_sb_pkt_stat &&
		  cmd.force_audit && cmd.format == RTPP_CLI_JSON);
}
END_TEST

/* --- syntax ------------------------------------------------------------------ */

START_TEST(syntax)
{
	bad("list --bogus", "--bogus");
	bad("list --bogus=3", "--bogus");
	bad("list --addr", "--addr");		/* no abbreviations */
	bad("list --", "--");
	bad("list --addr-a", "--addr-a");	/* missing value at the end */
	bad("list --addr-a --port-a 2", "--addr-a");	/* value looks like an option */
	bad("alloc --rtp-addr-a -v", "--rtp-addr-a");
	bad("list --addr-a 1.1.1.1 --addr-a 1.1.1.2 --port-a 2", "--addr-a");
	bad("alloc --rtp-addr-a 1.1.1.1 --rtp-addr-a 1.1.1.1", "--rtp-addr-a");
	/* a value that is not an option is taken, and checked */
	bad("alloc --rtp-addr-a 1.1.1.1 --rtp-port-a -5", "--rtp-port-a");
	/* the first error is the one reported */
	bad("list --bogus --format xml", "--bogus");
}
END_TEST

START_TEST(err_buffer)
{
	char small[8];
	char *argv[] = { "iptrtpproxy", "--a-very-long-unknown-option", NULL };

	ck_assert_int_eq(rtpp_cli_parse(2, argv, &cmd, small, sizeof(small)),
			 RTPP_EXIT_USAGE);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	/* argc 1: just the program */
	ck_assert_int_eq(rtpp_cli_parse(1, argv, &cmd, err, sizeof(err)),
			 RTPP_EXIT_USAGE);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli_args");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, commands);
	tcase_add_test(tc, options_before_command);
	tcase_add_test(tc, bad_commands);
	tcase_add_test(tc, help_anywhere);
	tcase_add_test(tc, verbose_and_version);
	tcase_add_test(tc, short_flag_bundles);
	tcase_add_test(tc, format);
	tcase_add_test(tc, common_with_every_command);
	tcase_add_test(tc, manual_matrix);
	tcase_add_test(tc, switchboard);
	tcase_add_test(tc, switchboard_incomplete);
	tcase_add_test(tc, bad_addresses);
	tcase_add_test(tc, bad_ports);
	tcase_add_test(tc, range);
	tcase_add_test(tc, rtp_params);
	tcase_add_test(tc, rtp_params_given);
	tcase_add_test(tc, always_learn_values);
	tcase_add_test(tc, bad_numbers);
	tcase_add_test(tc, params_not_valid);
	tcase_add_test(tc, alloc_needs_client);
	tcase_add_test(tc, update_needs_change);
	tcase_add_test(tc, list_verbosity);
	tcase_add_test(tc, other_options);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, err_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
