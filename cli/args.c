// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: command line parsing.
 *
 * Two passes: the first splits argv into the command word and options
 * with their values (so that options may come before the command), the
 * second checks each option against the command and converts its value.
 * Every error message starts with the parameter it is about.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"

#define CMD(c)		(1u << (c))
#define C_INFO		CMD(RTPP_CLI_INFO)
#define C_LIST		CMD(RTPP_CLI_LIST)
#define C_ALLOC		CMD(RTPP_CLI_ALLOC)
#define C_UPDATE	CMD(RTPP_CLI_UPDATE)
#define C_DELETE	CMD(RTPP_CLI_DELETE)
#define C_ANY		(CMD(RTPP_CLI_NONE) | C_INFO | C_LIST | C_ALLOC | \
			 C_UPDATE | C_DELETE)
#define C_SB		(C_LIST | C_ALLOC | C_UPDATE | C_DELETE)
#define C_RANGE		(C_LIST | C_UPDATE | C_DELETE)
#define C_PARAMS	(C_ALLOC | C_UPDATE)
/* the manual's synopsis gives other_options to every command */
#define C_OTHER		(C_INFO | C_LIST | C_ALLOC | C_UPDATE | C_DELETE)

enum opt_id {
	O_HELP, O_VERBOSE, O_VERSION, O_FORMAT,
	O_ADDR_A, O_ADDR_B, O_PORT_A, O_PORT_B,
	O_SESS_LO, O_SESS_HI,
	O_ADDR, O_PORT, O_LEARNING,	/* a stream's: see side, stream */
	O_ALWAYS_LEARN, O_EXPIRES,
	O_NO_SB, O_NO_SESS,
	O_RESET_STAT, O_RESET_SB_STAT, O_RESET_SB_PKT_STAT, O_FORCE_AUDIT,
};

enum { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

struct opt {
	const char *name;		/* long name, without "--" */
	char short_name;
	unsigned char arg;
	unsigned char id;
	unsigned char side, stream;	/* O_ADDR, O_PORT, O_LEARNING, O_ALWAYS_LEARN */
	unsigned int cmds;		/* commands it is valid with */
};

#define A RTPP_SIDE_A
#define B RTPP_SIDE_B
#define RTP RTPP_STREAM_RTP
#define RTCP RTPP_STREAM_RTCP

static const struct opt opts[] = {
	{ "help", 'h', ARG_NONE, O_HELP, 0, 0, C_ANY },
	{ "verbose", 'v', ARG_NONE, O_VERBOSE, 0, 0, C_ANY },
	{ "version", 0, ARG_NONE, O_VERSION, 0, 0, C_ANY },
	{ "format", 0, ARG_REQUIRED, O_FORMAT, 0, 0, C_OTHER },
	{ "addr-a", 0, ARG_REQUIRED, O_ADDR_A, 0, 0, C_SB },
	{ "addr-b", 0, ARG_REQUIRED, O_ADDR_B, 0, 0, C_SB },
	{ "port-a", 0, ARG_REQUIRED, O_PORT_A, 0, 0, C_SB },
	{ "port-b", 0, ARG_REQUIRED, O_PORT_B, 0, 0, C_SB },
	{ "sess-id-lo", 0, ARG_REQUIRED, O_SESS_LO, 0, 0, C_RANGE },
	{ "sess-id-hi", 0, ARG_REQUIRED, O_SESS_HI, 0, 0, C_RANGE },
	{ "rtp-addr-a", 0, ARG_REQUIRED, O_ADDR, A, RTP, C_PARAMS },
	{ "rtp-addr-b", 0, ARG_REQUIRED, O_ADDR, B, RTP, C_PARAMS },
	{ "rtcp-addr-a", 0, ARG_REQUIRED, O_ADDR, A, RTCP, C_PARAMS },
	{ "rtcp-addr-b", 0, ARG_REQUIRED, O_ADDR, B, RTCP, C_PARAMS },
	{ "rtp-port-a", 0, ARG_REQUIRED, O_PORT, A, RTP, C_PARAMS },
	{ "rtp-port-b", 0, ARG_REQUIRED, O_PORT, B, RTP, C_PARAMS },
	{ "rtcp-port-a", 0, ARG_REQUIRED, O_PORT, A, RTCP, C_PARAMS },
	{ "rtcp-port-b", 0, ARG_REQUIRED, O_PORT, B, RTCP, C_PARAMS },
	{ "rtp-learning-timeout-a", 0, ARG_REQUIRED, O_LEARNING, A, RTP, C_PARAMS },
	{ "rtp-learning-timeout-b", 0, ARG_REQUIRED, O_LEARNING, B, RTP, C_PARAMS },
	{ "rtcp-learning-timeout-a", 0, ARG_REQUIRED, O_LEARNING, A, RTCP, C_PARAMS },
	{ "rtcp-learning-timeout-b", 0, ARG_REQUIRED, O_LEARNING, B, RTCP, C_PARAMS },
	{ "always-learn-a", 0, ARG_OPTIONAL, O_ALWAYS_LEARN, A, 0, C_PARAMS },
	{ "always-learn-b", 0, ARG_OPTIONAL, O_ALWAYS_LEARN, B, 0, C_PARAMS },
	{ "expires-timeout", 0, ARG_REQUIRED, O_EXPIRES, 0, 0, C_PARAMS },
	{ "no-switchboard", 0, ARG_NONE, O_NO_SB, 0, 0, C_LIST },
	{ "no-session", 0, ARG_NONE, O_NO_SESS, 0, 0, C_LIST },
	{ "reset-stat", 0, ARG_NONE, O_RESET_STAT, 0, 0, C_OTHER },
	{ "reset-switchboard-stat", 0, ARG_NONE, O_RESET_SB_STAT, 0, 0, C_OTHER },
	{ "reset-switchboard-packet-stat", 0, ARG_NONE, O_RESET_SB_PKT_STAT, 0, 0, C_OTHER },
	{ "force-switchboard-audit", 0, ARG_NONE, O_FORCE_AUDIT, 0, 0, C_OTHER },
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

#undef A
#undef B
#undef RTP
#undef RTCP

static const char *const command_names[__RTPP_CLI_COMMANDS] = {
	[RTPP_CLI_NONE] = "",
	[RTPP_CLI_INFO] = "info",
	[RTPP_CLI_LIST] = "list",
	[RTPP_CLI_ALLOC] = "alloc",
	[RTPP_CLI_UPDATE] = "update",
	[RTPP_CLI_DELETE] = "delete",
};

const char *rtpp_cli_command_name(enum rtpp_cli_command c)
{
	return (unsigned int)c < __RTPP_CLI_COMMANDS ? command_names[c] : "";
}

/* One option as found on the command line. */
struct occurrence {
	const struct opt *opt;
	const char *value;		/* NULL when none was given */
};

struct parser {
	char *err;
	size_t errlen;
	bool failed;			/* err holds the first error */
	bool help;
	const char *bad_command;	/* an unknown command word */
	struct occurrence *occ;
	int n_occ;
	bool seen[N_OPTS];
	struct rtpp_cli_cmd *cmd;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		p->failed = true;
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const struct opt *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

static const struct opt *find_short(char c)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

/* Would this word be read as an option rather than as a value? */
static bool looks_like_option(const char *s)
{
	if (s[0] != '-')
		return false;
	if (s[1] == '-')
		return true;
	return s[1] && find_short(s[1]);
}

static void record(struct parser *p, const struct opt *o, const char *value)
{
	struct occurrence *oc = &p->occ[p->n_occ++];

	oc->opt = o;
	oc->value = value;
	if (o->id == O_HELP)
		p->help = true;
}

static enum rtpp_cli_command find_command(const char *word)
{
	unsigned int c;

	for (c = RTPP_CLI_INFO; c < __RTPP_CLI_COMMANDS; c++)
		if (!strcmp(word, command_names[c]))
			return c;
	return RTPP_CLI_NONE;
}

#define UNKNOWN_COMMAND "%s: unknown command (one of info, list, alloc, update, delete)"

/*
 * How many occurrences split() may record: one per word, except that a
 * bundle of short flags ("-vvvv") makes one per letter, so argc alone is
 * too few.
 */
static size_t max_occurrences(int argc, char **argv)
{
	size_t n = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] == '-' && w[1] && w[1] != '-')
			n += strlen(w) - 1;
		else
			n++;
	}
	return n;
}

/* Pass 1: the command word, and each option with its value. */
static void split(struct parser *p, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] == '-' && w[1] == '-') {
			const char *name = w + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct opt *o = find_long(name, len);

			if (!o) {
				fail(p, "%.*s: unknown option", (int)(len + 2), w);
				continue;
			}
			if (eq && o->arg == ARG_NONE) {
				fail(p, "--%s: takes no value", o->name);
				continue;
			}
			if (eq) {
				record(p, o, eq + 1);
			} else if (o->arg == ARG_REQUIRED) {
				if (i + 1 >= argc || looks_like_option(argv[i + 1]))
					fail(p, "--%s: missing value", o->name);
				else
					record(p, o, argv[++i]);
			} else {
				record(p, o, NULL);
			}
		} else if (w[0] == '-' && w[1]) {
			const char *c;

			/* bundled short flags: -v, -vv, -vh */
			for (c = w + 1; *c; c++) {
				const struct opt *o = find_short(*c);

				if (!o) {
					fail(p, "-%c: unknown option", *c);
					break;
				}
				record(p, o, NULL);
			}
		} else if (p->cmd->command == RTPP_CLI_NONE) {
			p->cmd->command = find_command(w);
			if (p->cmd->command == RTPP_CLI_NONE && !p->bad_command) {
				p->bad_command = w;
				fail(p, UNKNOWN_COMMAND, w);
			}
		} else if (!p->bad_command) {
			fail(p, "%s: unexpected argument (%s takes options only)",
			     w, command_names[p->cmd->command]);
		}
	}
}

/* Strict unsigned decimal in min..max. */
static bool number(const char *s, unsigned long min, unsigned long max,
		   uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int ipv4(struct parser *p, const struct occurrence *oc, uint32_t *addr)
{
	struct in_addr in;

	if (inet_pton(AF_INET, oc->value, &in) != 1)
		return fail(p, "--%s: '%s' is not an IPv4 address",
			    oc->opt->name, oc->value);
	*addr = in.s_addr;
	return 0;
}

static int port(struct parser *p, const struct occurrence *oc, uint16_t *out)
{
	uint32_t v;

	if (!number(oc->value, 1, 65535, &v))
		return fail(p, "--%s: '%s' is not a port (1..65535)",
			    oc->opt->name, oc->value);
	*out = v;
	return 0;
}

static int gate_port(struct parser *p, const struct occurrence *oc,
		     uint16_t *out)
{
	if (port(p, oc, out))
		return -1;
	if (*out & 1)
		return fail(p, "--%s: %u is odd: a gate's range starts at an even port",
			    oc->opt->name, *out);
	return 0;
}

static int value(struct parser *p, const struct occurrence *oc,
		 unsigned long min, unsigned long max, const char *what,
		 uint32_t *out)
{
	if (!number(oc->value, min, max, out))
		return fail(p, "--%s: '%s' is not %s (%lu..%lu)", oc->opt->name,
			    oc->value, what, min, max);
	return 0;
}

static int boolean(struct parser *p, const struct occurrence *oc, bool *out)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	unsigned int i;

	*out = true;
	if (!oc->value)
		return 0;
	for (i = 0; i < 4; i++) {
		if (!strcmp(oc->value, yes[i]))
			return 0;
		if (!strcmp(oc->value, no[i])) {
			*out = false;
			return 0;
		}
	}
	return fail(p, "--%s: '%s' is not yes or no", oc->opt->name, oc->value);
}

static int format(struct parser *p, const struct occurrence *oc)
{
	static const char *const names[] = {
		[RTPP_CLI_TEXT] = "text", [RTPP_CLI_TAB] = "tab",
		[RTPP_CLI_JSON] = "json",
	};
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(oc->value, names[i])) {
			p->cmd->format = i;
			p->cmd->has_format = true;
			return 0;
		}
	return fail(p, "--format: '%s' is not text, tab or json", oc->value);
}

/* Pass 2: one option, for the command now known. */
static int apply(struct parser *p, const struct occurrence *oc)
{
	const struct opt *o = oc->opt;
	struct rtpp_cli_cmd *c = p->cmd;
	struct rtpp_sb_spec *sb = &c->sb;
	struct rtpp_side_params *side = &c->params.side[o->side];
	struct rtpp_stream_params *st = &side->stream[o->stream];
	size_t idx = o - opts;

	if (!(o->cmds & CMD(c->command)))
		return fail(p, "--%s: not valid with %s", o->name,
			    command_names[c->command]);
	if (o->arg != ARG_NONE && p->seen[idx])
		return fail(p, "--%s: given twice", o->name);
	p->seen[idx] = true;

	switch (o->id) {
	case O_HELP:
		break;
	case O_VERBOSE:
		c->verbose++;
		break;
	case O_VERSION:		/* handled by parse() */
		break;
	case O_FORMAT:
		return format(p, oc);
	case O_ADDR_A:
		sb->has_addr_a = c->has_sb = true;
		return ipv4(p, oc, &sb->addr_a);
	case O_ADDR_B:
		sb->has_addr_b = c->has_sb = true;
		return ipv4(p, oc, &sb->addr_b);
	case O_PORT_A:
		sb->has_port_a = c->has_sb = true;
		return gate_port(p, oc, &sb->port_a);
	case O_PORT_B:
		sb->has_port_b = c->has_sb = true;
		return gate_port(p, oc, &sb->port_b);
	case O_SESS_LO:
		c->has_range = true;
		return value(p, oc, 0, XT_RTPPROXY_MAX_SESS - 1, "a session id",
			     &c->lo);
	case O_SESS_HI:
		c->has_range = true;
		return value(p, oc, 0, XT_RTPPROXY_MAX_SESS - 1, "a session id",
			     &c->hi);
	case O_ADDR:
		st->has_addr = c->has_params = true;
		return ipv4(p, oc, &st->addr);
	case O_PORT:
		st->has_port = c->has_params = true;
		return port(p, oc, &st->port);
	case O_LEARNING:
		st->has_learning = c->has_params = true;
		return value(p, oc, 0, XT_RTPPROXY_MAX_LEARNING,
			     "a learning timeout in ms", &st->learning_ms);
	case O_ALWAYS_LEARN:
		side->has_always_learn = c->has_params = true;
		return boolean(p, oc, &side->always_learn);
	case O_EXPIRES:
		c->params.has_expires = c->has_params = true;
		return value(p, oc, 1, XT_RTPPROXY_MAX_TIMEOUT,
			     "an expiry timeout in seconds", &c->params.expires);
	case O_NO_SB:
		c->no_sb = c->no_sess = true;
		break;
	case O_NO_SESS:
		c->no_sess = true;
		break;
	case O_RESET_STAT:
		c->reset_stat = true;
		break;
	case O_RESET_SB_STAT:
		c->reset_sb_stat = true;
		break;
	case O_RESET_SB_PKT_STAT:
		c->reset_sb_pkt_stat = true;
		break;
	case O_FORCE_AUDIT:
		c->force_audit = true;
		break;
	}
	return 0;
}

static bool given(const struct parser *p, enum opt_id id, int side, int stream)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (opts[i].id == id && p->seen[i] &&
		    (side < 0 || opts[i].side == side) &&
		    (stream < 0 || opts[i].stream == stream))
			return true;
	return false;
}

/* Rules between options, once each is known to be valid on its own. */
static int check(struct parser *p)
{
	struct rtpp_cli_cmd *c = p->cmd;
	const struct rtpp_sb_spec *sb = &c->sb;

	if (c->has_sb && !sb->has_addr_a)
		return fail(p, "--addr-a: required to name a switchboard (with --%s)",
			    sb->has_port_a ? "port-a" :
			    sb->has_addr_b ? "addr-b" : "port-b");
	if (c->has_sb && !sb->has_port_a)
		return fail(p, "--port-a: required to name a switchboard (with --addr-a)");
	if (c->has_range) {
		if (!given(p, O_SESS_LO, -1, -1))
			c->lo = 0;
		if (!given(p, O_SESS_HI, -1, -1))
			c->hi = c->lo;
		if (c->hi < c->lo)
			return fail(p, "--sess-id-hi: %u is below --sess-id-lo %u",
				    c->hi, c->lo);
	}
	if (c->command == RTPP_CLI_LIST && c->no_sess && c->has_range)
		return fail(p, "--sess-id-%s: lists sessions, but --%s says not to",
			    given(p, O_SESS_LO, -1, -1) ? "lo" : "hi",
			    given(p, O_NO_SB, -1, -1) ? "no-switchboard" : "no-session");
	if (c->command == RTPP_CLI_LIST && c->no_sb && c->has_sb)
		return fail(p, "--addr-a: selects switchboards, but --no-switchboard says not to list them");
	if (c->command == RTPP_CLI_ALLOC && !given(p, O_ADDR, -1, -1) &&
	    !given(p, O_LEARNING, -1, -1))
		return fail(p, "--rtp-addr-a: alloc needs a client address (--rtp-addr-a/-b, --rtcp-addr-a/-b) or a learning timeout (--rtp-learning-timeout-a/-b, --rtcp-learning-timeout-a/-b)");
	if (c->command == RTPP_CLI_UPDATE && !c->has_sb)
		return fail(p, "--addr-a: update needs the switchboard (--addr-a and --port-a)");
	if (c->command == RTPP_CLI_UPDATE && !c->has_params)
		return fail(p, "--expires-timeout: update has nothing to change (give RTP params, --always-learn-a/-b or --expires-timeout)");
	return 0;
}

/* Pass 1, pass 2, then the rules between options. */
static int parse(struct parser *p, int argc, char **argv)
{
	struct rtpp_cli_cmd *out = p->cmd;
	int i;

	split(p, argc, argv);
	if (p->help) {
		/* -h anywhere wins, unless it is about an unknown command */
		if (p->bad_command) {
			snprintf(p->err, p->errlen, UNKNOWN_COMMAND, p->bad_command);
			return RTPP_EXIT_USAGE;
		}
		out->action = RTPP_CLI_HELP;
		if (p->errlen)
			p->err[0] = '\0';
		return RTPP_EXIT_OK;
	}
	if (p->failed)
		return RTPP_EXIT_USAGE;
	for (i = 0; i < p->n_occ; i++)
		if (p->occ[i].opt->id == O_VERSION) {
			/* --version wins too, over the rest of a valid line */
			out->action = RTPP_CLI_VERSION;
			return RTPP_EXIT_OK;
		}
	if (out->command == RTPP_CLI_NONE)
		fail(p, "missing command: one of info, list, alloc, update, delete (see -h)");
	for (i = 0; i < p->n_occ && !p->failed; i++)
		apply(p, &p->occ[i]);
	if (!p->failed)
		check(p);
	return p->failed ? RTPP_EXIT_USAGE : RTPP_EXIT_OK;
}

int rtpp_cli_parse(int argc, char **argv, struct rtpp_cli_cmd *out,
		   char *err, size_t errlen)
{
	struct parser p = { .err = err, .errlen = errlen, .cmd = out };
	int ret;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	/* + 1: calloc(0, ...) may return NULL, which is no shortage */
	p.occ = calloc(max_occurrences(argc, argv) + 1, sizeof(*p.occ));
	if (!p.occ) {
		snprintf(err, errlen, "out of memory");
		return RTPP_EXIT_FAIL;
	}
	ret = parse(&p, argc, argv);
	free(p.occ);
	return ret;
}
