/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy: the command line, parsed into a struct rtpp_cli_cmd.
 * rtpp_cli_parse() is a pure function of argv (it talks to nobody and
 * prints nothing), so that the unit tests can call it.
 */
#ifndef RTPP_CLI_ARGS_H
#define RTPP_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rtpproxy.h"

enum rtpp_cli_command {
	RTPP_CLI_NONE,
	RTPP_CLI_INFO,
	RTPP_CLI_LIST,
	RTPP_CLI_ALLOC,
	RTPP_CLI_UPDATE,
	RTPP_CLI_DELETE,
	__RTPP_CLI_COMMANDS,
};

enum rtpp_cli_action {
	RTPP_CLI_RUN,		/* run command */
	RTPP_CLI_HELP,		/* print help: of command, or the list of them */
	RTPP_CLI_VERSION,	/* print the version */
};

enum rtpp_cli_format {
	RTPP_CLI_TEXT,
	RTPP_CLI_TAB,
	RTPP_CLI_JSON,
};

/* Exit codes of the manual. */
enum {
	RTPP_EXIT_OK = 0,
	RTPP_EXIT_FAIL = 1,	/* anything but the command line */
	RTPP_EXIT_USAGE = 2,	/* invalid or abused parameters */
};

struct rtpp_cli_cmd {
	enum rtpp_cli_action action;
	enum rtpp_cli_command command;
	int verbose;			/* -v count */
	enum rtpp_cli_format format;
	bool has_format;

	bool has_sb;			/* a switchboard was named */
	struct rtpp_sb_spec sb;

	bool has_range;			/* --sess-id-lo or --sess-id-hi given */
	uint32_t lo, hi;

	bool has_params;		/* any RTP param or --expires-timeout */
	struct rtpp_sess_params params;

	bool no_sb, no_sess;		/* list verbosity */
	bool reset_stat;		/* global statistics */
	bool reset_sb_stat;		/* switchboard (session) statistics */
	bool reset_sb_pkt_stat;		/* switchboard packet statistics */
	bool force_audit;
};

/*
 * Parses argv[1 .. argc-1].  Returns RTPP_EXIT_OK with *out filled, or
 * RTPP_EXIT_USAGE with a one-line message in err that names the offending
 * parameter (RTPP_EXIT_FAIL if memory ran out).  -h/--help anywhere wins over errors elsewhere on the line
 * (action RTPP_CLI_HELP, command set if one was named).
 */
int rtpp_cli_parse(int argc, char **argv, struct rtpp_cli_cmd *out,
		   char *err, size_t errlen);

const char *rtpp_cli_command_name(enum rtpp_cli_command c);

#endif /* RTPP_CLI_ARGS_H */
