// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the command line tool's parser and output (cli/args.c,
 * cli/format.c, cli/json.c).  The first byte of an input picks what it
 * drives:
 *
 *   even  rtpp_cli_parse() over an argv made of the rest, split at NUL
 *         bytes; the parser's promises (args.h) are checked: exit code 0,
 *         1 or 2; a refusal comes with a message that names what it is
 *         about; an accepted line is consistent (a range lo <= hi, even
 *         gate ports, a command to run).
 *   odd   one command's output, in the format the next byte picks, from
 *         structures filled from the rest byte by byte (every field, any
 *         value), with the calls in the order cli/commands.c makes them.
 *         JSON output must be one well-formed document, and every row of
 *         a tab table must have as many fields as its header.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../cli/args.h"
#include "../../cli/format.h"
#include "fuzz.h"

#define MAX_WORDS 64

/* ---- the parser ---- */

/*
 * A refusal starts with what it is about: an option ("--port-a: ...",
 * "-x: ..."), a word of the line ("foo: unknown command", perhaps cut
 * short by the buffer), or says that the command is missing.
 */
static bool names_parameter(const char *err, int argc, char **argv)
{
	size_t len = strlen(err);
	int i;

	if (err[0] == '-' || !strncmp(err, "missing command", 15))
		return true;
	for (i = 1; i < argc; i++) {
		size_t w = strlen(argv[i]);

		if (len && !strncmp(err, argv[i], w < len ? w : len) &&
		    (w >= len || err[w] == ':'))
			return true;
	}
	return false;
}

static void fuzz_args(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[MAX_WORDS + 2], err[256], small[8];
	struct rtpp_cli_cmd cmd;
	int argc = 1, ret;
	size_t i, start = 0;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	argv[0] = "iptrtpproxy";
	for (i = 0; i <= size && argc <= MAX_WORDS; i++)
		if (!text[i]) {
			argv[argc++] = text + start;
			start = i + 1;
		}
	argv[argc] = NULL;

	ret = rtpp_cli_parse(argc, argv, &cmd, err, sizeof(err));
	FUZZ_ASSERT(ret == RTPP_EXIT_OK || ret == RTPP_EXIT_USAGE ||
		    ret == RTPP_EXIT_FAIL, "exit code %d", ret);
	FUZZ_ASSERT(memchr(err, '\0', sizeof(err)), "unterminated message");
	if (ret == RTPP_EXIT_USAGE)
		FUZZ_ASSERT(names_parameter(err, argc, argv), "message names nothing: '%s'", err);
	if (ret == RTPP_EXIT_OK && cmd.action == RTPP_CLI_RUN) {
		FUZZ_ASSERT(cmd.command > RTPP_CLI_NONE &&
			    cmd.command < __RTPP_CLI_COMMANDS, "no command");
		FUZZ_ASSERT(!cmd.has_range || cmd.lo <= cmd.hi, "range %u..%u",
			    cmd.lo, cmd.hi);
		FUZZ_ASSERT(!cmd.has_sb || (cmd.sb.has_addr_a && cmd.sb.has_port_a),
			    "a switchboard without its gate A");
		FUZZ_ASSERT(!(cmd.sb.port_a & 1) && !(cmd.sb.port_b & 1),
			    "odd gate port");
		FUZZ_ASSERT(cmd.format <= RTPP_CLI_JSON, "format %d", cmd.format);
	}
	/* the same line with a message buffer too small for any message */
	ret = rtpp_cli_parse(argc, argv, &cmd, small, sizeof(small));
	FUZZ_ASSERT(memchr(small, '\0', sizeof(small)), "unterminated short message");
	free(text);
}

/* ---- the output ---- */

struct bytes {
	const uint8_t *p;
	size_t n;
};

/* The next n bytes as a number (zeros once the input is used up). */
static uint64_t take(struct bytes *b, unsigned int n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 8 | (b->n ? *b->p : 0);
		if (b->n) {
			b->p++;
			b->n--;
		}
	}
	return v;
}

static void take_stats(struct bytes *b, uint64_t *stats)
{
	unsigned int i;

	for (i = 0; i < RTPP_STAT_COUNT; i++)
		stats[i] = take(b, 8);
}

/* Quality totals (info, switchboards): every field, flags as bools. */
static void take_totals(struct bytes *b, struct rtpp_quality_totals *t)
{
	unsigned int flags = take(b, 1);

	t->has = flags & 1;
	t->has_jitter = flags & 2;
	t->streams = take(b, 4);
	t->expected = take(b, 8);
	t->lost = take(b, 8);
	t->out_of_order = take(b, 8);
	t->duplicates = take(b, 8);
	t->not_rtp = take(b, 8);
	t->jitter_us_max = take(b, 4);
}

static void take_sb(struct bytes *b, struct rtpp_sb *sb)
{
	unsigned int i;

	sb->id = take(b, 4);
	sb->addr_a = take(b, 4);
	sb->addr_b = take(b, 4);
	sb->port_a = take(b, 2);
	sb->port_b = take(b, 2);
	sb->max_sess = take(b, 4);
	sb->expires = take(b, 4);
	sb->resurrection = take(b, 4);
	sb->rules = take(b, 4);
	sb->created_ms = take(b, 8);
	take_stats(b, sb->stats);
	sb->has_states = take(b, 1) & 1;
	for (i = 0; i < RTPP_STATES; i++)
		sb->states[i] = take(b, 4);
	sb->discont_ms = take(b, 8);
	sb->pkt_discont_ms = take(b, 8);
	take_totals(b, &sb->quality);
}

static void take_quality(struct bytes *b, struct rtpp_stream_quality *q)
{
	unsigned int flags = take(b, 1);

	q->has = flags & 1;
	q->has_ssrc = flags & 2;
	q->has_jitter = flags & 4;
	q->has_report = flags & 8;
	q->not_rtp = take(b, 4);
	q->ssrc_changes = take(b, 4);
	q->expected = take(b, 4);
	q->lost = take(b, 4);
	q->out_of_order = take(b, 4);
	q->duplicates = take(b, 4);
	q->ssrc = take(b, 4);
	q->pt = take(b, 1);
	q->ext_max_seq = take(b, 4);
	q->jitter_ts = take(b, 4);
	q->jitter_us = take(b, 4);
	q->clock_rate = take(b, 4);
	q->reports = take(b, 4);
	q->malformed = take(b, 4);
	q->fraction_lost = take(b, 1);
	q->cum_lost = (int32_t)take(b, 4);
	q->rtcp_jitter = take(b, 4);
}

static void take_sess(struct bytes *b, struct rtpp_sess *s)
{
	unsigned int i, t;

	s->sb.id = take(b, 4);
	s->sb.addr_a = take(b, 4);
	s->sb.addr_b = take(b, 4);
	s->sb.port_a = take(b, 2);
	s->sb.port_b = take(b, 2);
	s->id = take(b, 4);
	s->created_ms = take(b, 8);
	s->state = take(b, 4);
	s->expires = take(b, 4);
	s->idle_ms = take(b, 8);
	for (i = 0; i < RTPP_SIDES; i++) {
		s->side[i].always_learn = take(b, 1) & 1;
		for (t = 0; t < RTPP_STREAMS; t++) {
			struct rtpp_stream *st = &s->side[i].stream[t];

			st->addr = take(b, 4);
			st->port = take(b, 2);
			st->learning_ms = take(b, 4);
			st->gate_port = take(b, 2);
			st->learned = take(b, 1) & 1;
			st->packets = take(b, 8);
			st->bytes = take(b, 8);
			st->errors = take(b, 8);
			st->has_idle = take(b, 1) & 1;
			st->idle_ms = take(b, 8);
			take_quality(b, &st->q);
		}
	}
}

/* A JSON value, strictly (RFC 8259), from *p; false if malformed. */
static bool json_value(const char **p, int depth);

static void json_ws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
		(*p)++;
}

static bool json_string(const char **p)
{
	if (*(*p)++ != '"')
		return false;
	for (;;) {
		unsigned char c = *(*p)++;

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			c = *(*p)++;
			if (c == 'u') {
				int i;

				for (i = 0; i < 4; i++)
					if (!strchr("0123456789abcdefABCDEF", **p) || !*(*p)++)
						return false;
			} else if (!c || !strchr("\"\\/bfnrt", c)) {
				return false;
			}
		}
	}
}

static bool json_members(const char **p, char close, int depth)
{
	(*p)++;
	json_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		json_ws(p);
		if (close == '}') {
			if (!json_string(p))
				return false;
			json_ws(p);
			if (*(*p)++ != ':')
				return false;
		}
		if (!json_value(p, depth + 1))
			return false;
		json_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (*(*p)++ != ',')
			return false;
	}
}

static bool json_value(const char **p, int depth)
{
	json_ws(p);
	if (depth > 32)
		return false;
	switch (**p) {
	case '{': return json_members(p, '}', depth);
	case '[': return json_members(p, ']', depth);
	case '"': return json_string(p);
	}
	if (!strncmp(*p, "true", 4) || !strncmp(*p, "null", 4)) {
		*p += 4;
		return true;
	}
	if (!strncmp(*p, "false", 5)) {
		*p += 5;
		return true;
	}
	/* A number, as JSON has it: -?int(.digits)?([eE][+-]?digits)? */
	if (**p == '-')
		(*p)++;
	if (**p < '0' || **p > '9' || (**p == '0' && (*p)[1] >= '0' && (*p)[1] <= '9'))
		return false;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	if (**p == '.') {
		(*p)++;
		if (**p < '0' || **p > '9')
			return false;
		while (**p >= '0' && **p <= '9')
			(*p)++;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (**p < '0' || **p > '9')
			return false;
		while (**p >= '0' && **p <= '9')
			(*p)++;
	}
	return true;
}

static void check_json(const char *out)
{
	const char *p = out;

	FUZZ_ASSERT(json_value(&p, 0), "malformed JSON at offset %zu:\n%s",
		    (size_t)(p - out), out);
	json_ws(&p);
	FUZZ_ASSERT(!*p, "text after the JSON document:\n%s", out);
}

/* Every table: rows with as many tab-separated fields as the header. */
static void check_tab(const char *out)
{
	const char *line = out;
	long header = -1;

	while (*line) {
		const char *nl = strchr(line, '\n'), *c;
		long fields = 1;

		FUZZ_ASSERT(nl, "tab output does not end its last line:\n%s", out);
		if (nl == line) {		/* between tables */
			header = -1;
			line = nl + 1;
			continue;
		}
		for (c = line; c < nl; c++)
			fields += *c == '\t';
		if (header < 0)
			header = fields;
		else
			FUZZ_ASSERT(fields == header, "a row of %ld fields under a header of %ld:\n%s",
				    fields, header, out);
		line = nl + 1;
	}
}

static void fuzz_output(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size };
	enum rtpp_cli_format fmt = take(&b, 1) % 3;
	unsigned int what = take(&b, 1) % 5, n, i, k;
	struct rtpp_out o;
	struct rtpp_info info;
	struct rtpp_stats st;
	struct rtpp_sb sb;
	struct rtpp_sess sess;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return;
	memset(&info, 0, sizeof(info));
	rtpp_out_begin(&o, f, fmt);
	switch (what) {
	case 0:		/* info */
		info.version = take(&b, 4);
		info.uptime_ms = take(&b, 8);
		info.sb_count = take(&b, 4);
		for (i = 0; i < RTPP_STATES; i++)
			info.states[i] = take(&b, 4);
		take_stats(&b, info.stats);
		info.discont_ms = take(&b, 8);
		take_totals(&b, &info.quality);
		rtpp_out_info(&o, &info);
		break;
	case 1:		/* cleared values of the resets, as run() prints them */
		rtpp_out_cleared_begin(&o);
		if (take(&b, 1) & 1) {
			take_stats(&b, st.stats);
			rtpp_out_cleared_global(&o, &st);
		}
		for (k = 0; k < 2; k++) {
			enum rtpp_reset r = k ? RTPP_RESET_SB_PACKETS : RTPP_RESET_SB;

			if (!(take(&b, 1) & 1))
				continue;
			rtpp_out_cleared_sbs_begin(&o, r);
			for (n = take(&b, 1) % 4; n; n--) {
				take_sb(&b, &sb);
				rtpp_out_cleared_sb(&o, r, &sb);
			}
			rtpp_out_cleared_sbs_end(&o);
		}
		rtpp_out_cleared_end(&o);
		if (take(&b, 1) & 1) {		/* then info, as with info --reset-stat */
			rtpp_out_info(&o, &info);
		}
		break;
	case 2:		/* list */
		rtpp_out_list_begin(&o, take(&b, 1) & 1);
		for (n = take(&b, 1) % 4; n; n--) {
			take_sb(&b, &sb);
			rtpp_out_sb_begin(&o, &sb);
			if (o.sessions)
				for (k = take(&b, 1) % 4; k; k--) {
					take_sess(&b, &sess);
					rtpp_out_sess(&o, &sess);
				}
			rtpp_out_sb_end(&o);
		}
		/* a listing that failed halfway ends here, without list_end */
		if (!(take(&b, 1) & 7))
			break;
		rtpp_out_list_end(&o);
		break;
	case 3:		/* alloc */
		take_sess(&b, &sess);
		rtpp_out_alloc(&o, &sess, take(&b, 1) & 1);
		break;
	case 4:		/* update, delete */
		rtpp_out_count(&o, take(&b, 1) & 1 ? "updated" : "deleted",
			       take(&b, 4));
		break;
	}
	rtpp_out_end(&o);
	fclose(f);
	FUZZ_ASSERT(strlen(out) == len, "a NUL byte in the output");
	if (fmt == RTPP_CLI_JSON)
		check_json(out);
	else if (fmt == RTPP_CLI_TAB)
		check_tab(out);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size || size > 4096)
		return 0;
	if (data[0] & 1)
		fuzz_output(data + 1, size - 1);
	else
		fuzz_args(data + 1, size - 1);
	return 0;
}
