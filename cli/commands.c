// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: info, list, alloc, update and delete, each as the manual
 * describes, with the other options (audit, resets) run first, whatever
 * the command (the manual's synopsis gives other_options to each).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "format.h"

struct ctx {
	struct rtpp_handle *h;
	const struct rtpp_cli_cmd *cmd;
	struct rtpp_out out;
	enum rtpp_reset what;		/* the reset being printed */
};

int rtpp_cli_verbose;

static void verbose(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void verbose(const char *fmt, ...)
{
	va_list ap;

	if (!rtpp_cli_verbose)
		return;
	fputs("iptrtpproxy: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int rtpp_cli_error(struct rtpp_handle *h, int err, const char *what)
{
	if (rtpp_cli_verbose && rtpp_last_extack(h))
		fprintf(stderr, "iptrtpproxy: the kernel says: %s\n",
			rtpp_last_extack(h));
	fprintf(stderr, "iptrtpproxy: %s%s%s\n", what ? what : "",
		what ? ": " : "", rtpp_strerror(h, err));
	/* the kernel refused a value the command line let through */
	return err == -EINVAL || err == -ERANGE ? RTPP_EXIT_USAGE : RTPP_EXIT_FAIL;
}

/* "switchboard A 10.0.0.1:50000 B 10.0.0.2:50000", for messages */
static const char *describe(const struct rtpp_sb_spec *sb, char *buf,
			    size_t len)
{
	char a[32], b[32];
	size_t n;

	if (!sb)
		return "every switchboard";
	if (sb->has_id)
		n = snprintf(buf, len, "switchboard %u", sb->id);
	else
		n = snprintf(buf, len, "switchboard A %s:%u",
			     rtpp_fmt_addr(sb->addr_a, a, sizeof(a)), sb->port_a);
	if (n < len && (sb->has_addr_b || sb->has_port_b))
		snprintf(buf + n, len - n, " B %s:%u",
			 rtpp_fmt_addr(sb->has_addr_b ? sb->addr_b : sb->addr_a,
				       b, sizeof(b)),
			 sb->has_port_b ? sb->port_b : sb->port_a);
	return buf;
}

/* With -v: the listings the library asked for again (see rtpproxy.h). */
static void restarts(const struct ctx *c, const char *what)
{
	unsigned int n = rtpp_last_restarts(c->h);

	if (n)
		verbose("%s: listing restarted %u time%s: switchboards or sessions came or went while the kernel sent it",
			what, n, n == 1 ? "" : "s");
}

static const struct rtpp_sb_spec *filter(const struct ctx *c)
{
	return c->cmd->has_sb ? &c->cmd->sb : NULL;
}

static int cleared_sb(const struct rtpp_sb *sb, void *arg)
{
	struct ctx *c = arg;

	rtpp_out_cleared_sb(&c->out, c->what, sb);
	return 0;
}

static int reset_sb(struct ctx *c, enum rtpp_reset what, const char *opt)
{
	int err;

	c->what = what;
	rtpp_out_cleared_sbs_begin(&c->out, what);
	err = rtpp_reset(c->h, what, filter(c), cleared_sb, c, NULL);
	if (err)
		return rtpp_cli_error(c->h, err, opt);
	rtpp_out_cleared_sbs_end(&c->out);
	return 0;
}

/* --force-switchboard-audit, then the resets, printing what they cleared. */
static int other_options(struct ctx *c)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	int err;

	if (cmd->force_audit) {
		err = rtpp_audit(c->h);
		if (err)
			return rtpp_cli_error(c->h, err, "--force-switchboard-audit");
		verbose("audit done");
	}
	if (!cmd->reset_stat && !cmd->reset_sb_stat && !cmd->reset_sb_pkt_stat)
		return 0;
	rtpp_out_cleared_begin(&c->out);
	if (cmd->reset_stat) {
		struct rtpp_stats s;

		err = rtpp_reset(c->h, RTPP_RESET_GLOBAL, NULL, NULL, NULL, &s);
		if (err)
			return rtpp_cli_error(c->h, err, "--reset-stat");
		rtpp_out_cleared_global(&c->out, &s);
	}
	if (cmd->reset_sb_stat) {
		err = reset_sb(c, RTPP_RESET_SB, "--reset-switchboard-stat");
		if (err)
			return err;
	}
	if (cmd->reset_sb_pkt_stat) {
		err = reset_sb(c, RTPP_RESET_SB_PACKETS,
			       "--reset-switchboard-packet-stat");
		if (err)
			return err;
	}
	rtpp_out_cleared_end(&c->out);
	return 0;
}

static int run_info(struct ctx *c)
{
	struct rtpp_info info;
	int err = other_options(c);

	if (err)
		return err;
	err = rtpp_info(c->h, &info);
	if (err)
		return rtpp_cli_error(c->h, err, "info");
	rtpp_out_info(&c->out, &info);
	return 0;
}

/* Switchboards are few: list them first, then each one's sessions. */
struct sb_list {
	struct rtpp_sb *v;
	size_t n, cap;
};

static int collect_sb(const struct rtpp_sb *sb, void *arg)
{
	struct sb_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct rtpp_sb *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *sb;
	return 0;
}

static int get_sbs(struct ctx *c, const struct rtpp_sb_spec *spec,
		   struct sb_list *l)
{
	char buf[96];
	int err = rtpp_list_sb(c->h, spec, collect_sb, l);

	restarts(c, "switchboards");
	if (!err && spec && !l->n)
		err = -ENOENT;
	if (err)
		return rtpp_cli_error(c->h, err, describe(spec, buf, sizeof(buf)));
	return 0;
}

static int print_sess(const struct rtpp_sess *s, void *arg)
{
	rtpp_out_sess(arg, s);
	return 0;
}

static int run_list(struct ctx *c)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	struct sb_list l = { NULL, 0, 0 };
	uint32_t lo = cmd->has_range ? cmd->lo : 0;
	uint32_t hi = cmd->has_range ? cmd->hi : RTPP_ID_ALL;
	int err = other_options(c);
	size_t i;

	if (err || cmd->no_sb)
		return err;
	err = get_sbs(c, filter(c), &l);
	if (err)
		goto out;
	c->out.verbose = cmd->verbose;
	rtpp_out_list_begin(&c->out, !cmd->no_sess);
	for (i = 0; i < l.n; i++) {
		struct rtpp_sb_spec by_id = { .has_id = true, .id = l.v[i].id };

		rtpp_out_sb_begin(&c->out, &l.v[i]);
		if (!cmd->no_sess) {
			err = rtpp_list_sess(c->h, &by_id, lo, hi, print_sess,
					     &c->out);
			restarts(c, "sessions");
			if (err == -ENOENT)	/* removed meanwhile */
				err = 0;
			if (err) {
				char buf[96];

				err = rtpp_cli_error(c->h, err,
						     describe(&by_id, buf, sizeof(buf)));
				goto out;
			}
		}
		rtpp_out_sb_end(&c->out);
	}
	rtpp_out_list_end(&c->out);
out:
	free(l.v);
	return err;
}

/* alloc without a switchboard: the only one defined. */
static int only_sb(struct ctx *c, struct rtpp_sb_spec *only)
{
	struct sb_list l = { NULL, 0, 0 };
	int err = get_sbs(c, NULL, &l);

	if (err)
		return err;
	if (l.n == 1)
		only->id = l.v[0].id;
	free(l.v);
	if (l.n == 1)
		return 0;
	if (l.n)
		fprintf(stderr, "iptrtpproxy: --addr-a: %zu switchboards are defined: name one with --addr-a and --port-a\n",
			l.n);
	else
		fprintf(stderr, "iptrtpproxy: no switchboard is defined (see iptables -j RTPPROXY)\n");
	return l.n ? RTPP_EXIT_USAGE : RTPP_EXIT_FAIL;
}

static int run_alloc(struct ctx *c)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	struct rtpp_sb_spec only = { .has_id = true };
	const struct rtpp_sb_spec *spec = filter(c);
	struct rtpp_sess s;
	char buf[96];
	int err = other_options(c);

	if (err)
		return err;
	if (!spec) {
		err = only_sb(c, &only);
		if (err)
			return err;
		spec = &only;
	}
	err = rtpp_alloc(c->h, spec, &cmd->params, &s);
	if (err)
		return rtpp_cli_error(c->h, err, describe(spec, buf, sizeof(buf)));
	verbose("allocated session %u of switchboard %u", s.id, s.sb.id);
	rtpp_out_alloc(&c->out, &s, cmd->verbose);
	return 0;
}

/*
 * The end of update and delete, which differ only in what they did: the
 * library's error, or how many sessions, where a range that matched none
 * is a failure.
 */
static int report_count(struct ctx *c, const struct rtpp_sb_spec *spec,
			int err, const char *done, unsigned int count)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	char buf[96];

	if (err)
		return rtpp_cli_error(c->h, err, describe(spec, buf, sizeof(buf)));
	verbose("%s %u session%s", done, count, count == 1 ? "" : "s");
	if (cmd->has_range && !count) {
		fprintf(stderr, "iptrtpproxy: %s: session not found (no session in %u..%u)\n",
			describe(spec, buf, sizeof(buf)), cmd->lo, cmd->hi);
		return RTPP_EXIT_FAIL;
	}
	rtpp_out_count(&c->out, done, count);
	return 0;
}

static int run_update(struct ctx *c)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	unsigned int count = 0;
	int err = other_options(c);

	if (err)
		return err;
	err = rtpp_update(c->h, &cmd->sb, cmd->lo, cmd->hi, cmd->has_range,
			  &cmd->params, &count);
	return report_count(c, &cmd->sb, err, "updated", count);
}

static int run_delete(struct ctx *c)
{
	const struct rtpp_cli_cmd *cmd = c->cmd;
	unsigned int count = 0;
	int err = other_options(c);

	if (err)
		return err;
	err = rtpp_delete(c->h, filter(c), cmd->lo, cmd->hi, cmd->has_range,
			  &count);
	return report_count(c, filter(c), err, "deleted", count);
}

int rtpp_cli_run(struct rtpp_handle *h, const struct rtpp_cli_cmd *cmd)
{
	struct ctx c = { .h = h, .cmd = cmd };
	int ret;

	rtpp_out_begin(&c.out, stdout, cmd->format);
	switch (cmd->command) {
	case RTPP_CLI_INFO:
		ret = run_info(&c);
		break;
	case RTPP_CLI_LIST:
		ret = run_list(&c);
		break;
	case RTPP_CLI_ALLOC:
		ret = run_alloc(&c);
		break;
	case RTPP_CLI_UPDATE:
		ret = run_update(&c);
		break;
	case RTPP_CLI_DELETE:
		ret = run_delete(&c);
		break;
	default:
		ret = RTPP_EXIT_USAGE;
	}
	/*
	 * On failure too: json output must end as the one document the
	 * manual promises, holding what was printed before the error.
	 */
	rtpp_out_end(&c.out);
	return ret;
}
