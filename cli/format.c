// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: output formatting, text|tab|json (see format.h).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include "format.h"
#include "quality.h"

#define TEXT(o)	((o)->fmt == RTPP_CLI_TEXT)
#define TAB(o)	((o)->fmt == RTPP_CLI_TAB)
#define JSON(o)	((o)->fmt == RTPP_CLI_JSON)
#define STAT(a)	RTPP_STAT_INDEX(RTPP_A_STAT_##a)

static const char *const side_name[RTPP_SIDES] = { "a", "b" };
static const char *const stream_name[RTPP_STREAMS] = { "rtp", "rtcp" };

/* Labels of the counters in text output. */
static const char *const stat_label[RTPP_STAT_COUNT] = {
	[STAT(PACKETS)]		= "packets",
	[STAT(BYTES)]		= "bytes",
	[STAT(DROP_MALFORMED)]	= "malformed",
	[STAT(DROP_FRAGMENT)]	= "fragments",
	[STAT(DROP_CSUM)]	= "bad checksum",
	[STAT(DROP_SOURCE)]	= "wrong source",
	[STAT(DROP_NO_PEER)]	= "no peer",
	[STAT(DROP_EXPIRED)]	= "expired",
	[STAT(DROP_DESTROYED)]	= "destroyed",
	[STAT(DROP_ROUTE)]	= "no route",
	[STAT(ALLOCS)]		= "allocations",
	[STAT(ALLOC_FAILS)]	= "allocation failures",
	[STAT(EXPIRATIONS)]	= "expirations",
	[STAT(DELETES)]		= "deletions",
	[STAT(DROP_BAD_SOURCE)]	= "bad source",
	[STAT(DROP_TTL)]	= "TTL exceeded",
};

/* Session states in the order text lists them. */
static const unsigned int state_order[RTPP_STATES] = {
	RTPP_STATE_LEARNING, RTPP_STATE_ACTIVE, RTPP_STATE_EXPIRED,
	RTPP_STATE_DESTROYED, RTPP_STATE_FREE,
};

char *rtpp_fmt_duration(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (ms < 10000)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "s", s, ms % 1000 / 100);
	else if (s < 60)
		snprintf(buf, len, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s % 86400 / 3600);
	return buf;
}

char *rtpp_fmt_time(uint64_t ms, char *buf, size_t len)
{
	time_t t = ms / 1000;
	struct tm tm;

	if (!ms || !localtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "-");
	return buf;
}

char *rtpp_fmt_addr(uint32_t addr, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = addr };

	if (!inet_ntop(AF_INET, &in, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static char *fmt_gate(uint32_t addr, uint16_t port, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	snprintf(buf, len, "%s:%u", rtpp_fmt_addr(addr, a, sizeof(a)), port);
	return buf;
}

/* tab: the start of a table; an empty line separates tables. */
static void tab_table(struct rtpp_out *o)
{
	if (o->tables++)
		fputc('\n', o->f);
}

static void tab_stat_names(struct rtpp_out *o)
{
	unsigned int i;

	for (i = 0; i < RTPP_STAT_COUNT; i++)
		fprintf(o->f, "\t%s", rtpp_stat_name(i));
}

/* Counters not in @mask (RTPP_STAT_*_MASK) print as "-". */
static void tab_stats(struct rtpp_out *o, const uint64_t *stats, uint64_t mask)
{
	unsigned int i;

	for (i = 0; i < RTPP_STAT_COUNT; i++)
		if (RTPP_STAT_IN(mask, i))
			fprintf(o->f, "\t%" PRIu64, stats[i]);
		else
			fputs("\t-", o->f);
}

static void json_stats(struct rtpp_out *o, const char *key,
		       const uint64_t *stats, uint64_t mask)
{
	unsigned int i;

	rtpp_json_open(&o->j, key, '{');
	for (i = 0; i < RTPP_STAT_COUNT; i++)
		if (RTPP_STAT_IN(mask, i))
			rtpp_json_u64(&o->j, rtpp_stat_name(i), stats[i]);
	rtpp_json_close(&o->j);
}

static void json_states(struct rtpp_out *o, const char *key,
			const uint32_t *states)
{
	unsigned int i;

	rtpp_json_open(&o->j, key, '{');
	for (i = 0; i < RTPP_STATES; i++)
		rtpp_json_u64(&o->j, rtpp_state_name(i), states[i]);
	rtpp_json_close(&o->j);
}

static void json_addr(struct rtpp_out *o, const char *key, uint32_t addr)
{
	char a[INET_ADDRSTRLEN];

	rtpp_json_str(&o->j, key, rtpp_fmt_addr(addr, a, sizeof(a)));
}

/* text: "12 packets, 3400 bytes" for the counters of @mask */
static void text_stats(struct rtpp_out *o, const char *label,
		       const uint64_t *stats, uint64_t mask)
{
	const char *sep = "";
	unsigned int i;

	fprintf(o->f, "%-15s", label);
	for (i = 0; i < RTPP_STAT_COUNT; i++) {
		if (!RTPP_STAT_IN(mask, i))
			continue;
		fprintf(o->f, "%s%" PRIu64 " %s", sep, stats[i], stat_label[i]);
		sep = ", ";
	}
	fputc('\n', o->f);
}

#define RELAYED_MASK	(RTPP_STAT_BIT(RTPP_A_STAT_PACKETS) |	\
			 RTPP_STAT_BIT(RTPP_A_STAT_BYTES))
#define DROPPED_MASK	(RTPP_STAT_PACKET_MASK & ~RELAYED_MASK)

static void text_all_stats(struct rtpp_out *o, const char *indent,
			   const uint64_t *stats)
{
	fputs(indent, o->f);
	text_stats(o, "relayed", stats, RELAYED_MASK);
	fputs(indent, o->f);
	text_stats(o, "dropped", stats, DROPPED_MASK);
	fputs(indent, o->f);
	text_stats(o, "sessions made", stats, RTPP_STAT_SESS_MASK);
}

static void text_states(struct rtpp_out *o, const uint32_t *states)
{
	unsigned int i;

	fprintf(o->f, "%-15s", "sessions");
	for (i = 0; i < RTPP_STATES; i++)
		fprintf(o->f, "%s%u %s", i ? ", " : "", states[state_order[i]],
			rtpp_state_name(state_order[i]));
	fputc('\n', o->f);
}

static void text_quality(struct rtpp_out *o, const char *indent,
			 const struct rtpp_quality_totals *t)
{
	char buf[256];

	rtpp_qt_text(buf, sizeof(buf), t);
	if (buf[0])
		fprintf(o->f, "%s%-15s%s\n", indent, "quality", buf);
}

void rtpp_out_begin(struct rtpp_out *o, FILE *f, enum rtpp_cli_format fmt)
{
	struct timeval tv;

	memset(o, 0, sizeof(*o));
	o->f = f;
	o->fmt = fmt;
	gettimeofday(&tv, NULL);
	o->now_ms = (uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	rtpp_json_init(&o->j, f);
	if (JSON(o))
		rtpp_json_open(&o->j, NULL, '{');
}

void rtpp_out_end(struct rtpp_out *o)
{
	/*
	 * Whatever is still open, not just the outer object: after a failure
	 * halfway through a list or reset, stdout must still be one document.
	 */
	if (JSON(o))
		rtpp_json_finish(&o->j);
	fflush(o->f);
}

void rtpp_out_info(struct rtpp_out *o, const struct rtpp_info *info)
{
	char d[32];
	unsigned int i;

	if (JSON(o)) {
		rtpp_json_u64(&o->j, "version", info->version);
		rtpp_json_u64(&o->j, "uptime_ms", info->uptime_ms);
		rtpp_json_u64(&o->j, "switchboards", info->sb_count);
		rtpp_json_u64(&o->j, "discont_ms", info->discont_ms);
		json_states(o, "sessions", info->states);
		rtpp_qt_json(&o->j, &info->quality);
		json_stats(o, "stats", info->stats, RTPP_STAT_ALL_MASK);
	} else if (TAB(o)) {
		tab_table(o);
		fputs("version\tuptime_ms\tswitchboards\tdiscont_ms", o->f);
		for (i = 0; i < RTPP_STATES; i++)
			fprintf(o->f, "\t%s", rtpp_state_name(i));
		tab_stat_names(o);
		rtpp_qt_tab_header(o->f);
		fprintf(o->f, "\n%u\t%" PRIu64 "\t%u\t%" PRIu64, info->version,
			info->uptime_ms, info->sb_count, info->discont_ms);
		for (i = 0; i < RTPP_STATES; i++)
			fprintf(o->f, "\t%u", info->states[i]);
		tab_stats(o, info->stats, RTPP_STAT_ALL_MASK);
		rtpp_qt_tab(o->f, &info->quality);
		fputc('\n', o->f);
	} else {
		fprintf(o->f, "%-15s%u\n", "version", info->version);
		fprintf(o->f, "%-15s%s\n", "uptime",
			rtpp_fmt_duration(info->uptime_ms, d, sizeof(d)));
		fprintf(o->f, "%-15s%u\n", "switchboards", info->sb_count);
		text_states(o, info->states);
		text_quality(o, "", &info->quality);
		text_all_stats(o, "", info->stats);
		fprintf(o->f, "%-15s%s\n", "counted since",
			rtpp_fmt_time(info->discont_ms, d, sizeof(d)));
	}
}

void rtpp_out_cleared_begin(struct rtpp_out *o)
{
	if (JSON(o)) {
		rtpp_json_open(&o->j, "cleared", '{');
	} else if (TAB(o)) {
		tab_table(o);
		fputs("cleared\tid\taddr_a\tport_a\taddr_b\tport_b", o->f);
		tab_stat_names(o);
		fputc('\n', o->f);
	}
}

void rtpp_out_cleared_global(struct rtpp_out *o, const struct rtpp_stats *s)
{
	if (JSON(o)) {
		json_stats(o, "global", s->stats, RTPP_STAT_ALL_MASK);
	} else if (TAB(o)) {
		fputs("global\t-\t-\t-\t-\t-", o->f);
		tab_stats(o, s->stats, RTPP_STAT_ALL_MASK);
		fputc('\n', o->f);
	} else {
		fputs("Cleared global statistics:\n", o->f);
		text_all_stats(o, "  ", s->stats);
	}
}

static const char *cleared_key(enum rtpp_reset what)
{
	return what == RTPP_RESET_SB ? "switchboard" : "switchboard_packets";
}

/* The counters a switchboard reset clears. */
static uint64_t reset_mask(enum rtpp_reset what)
{
	return what == RTPP_RESET_SB ? RTPP_STAT_SESS_MASK : RTPP_STAT_PACKET_MASK;
}

void rtpp_out_cleared_sbs_begin(struct rtpp_out *o, enum rtpp_reset what)
{
	if (JSON(o))
		rtpp_json_open(&o->j, cleared_key(what), '[');
	else if (TEXT(o))
		fprintf(o->f, "Cleared switchboard %sstatistics:\n",
			what == RTPP_RESET_SB ? "" : "packet ");
}

void rtpp_out_cleared_sb(struct rtpp_out *o, enum rtpp_reset what,
			 const struct rtpp_sb *sb)
{
	uint64_t mask = reset_mask(what);
	char a[32], b[32];

	if (JSON(o)) {
		rtpp_json_open(&o->j, NULL, '{');
		rtpp_json_u64(&o->j, "id", sb->id);
		json_addr(o, "addr_a", sb->addr_a);
		rtpp_json_u64(&o->j, "port_a", sb->port_a);
		json_addr(o, "addr_b", sb->addr_b);
		rtpp_json_u64(&o->j, "port_b", sb->port_b);
		json_stats(o, "stats", sb->stats, mask);
		rtpp_json_close(&o->j);
	} else if (TAB(o)) {
		fprintf(o->f, "%s\t%u\t%s\t%u\t%s\t%u", cleared_key(what),
			sb->id, rtpp_fmt_addr(sb->addr_a, a, sizeof(a)),
			sb->port_a, rtpp_fmt_addr(sb->addr_b, b, sizeof(b)),
			sb->port_b);
		tab_stats(o, sb->stats, mask);
		fputc('\n', o->f);
	} else {
		fprintf(o->f, "  switchboard %u (A %s, B %s)\n", sb->id,
			fmt_gate(sb->addr_a, sb->port_a, a, sizeof(a)),
			fmt_gate(sb->addr_b, sb->port_b, b, sizeof(b)));
		fputs("    ", o->f);
		if (what == RTPP_RESET_SB) {
			text_stats(o, "sessions made", sb->stats, mask);
		} else {
			text_stats(o, "relayed", sb->stats, RELAYED_MASK);
			fputs("    ", o->f);
			text_stats(o, "dropped", sb->stats, DROPPED_MASK);
		}
	}
}

void rtpp_out_cleared_sbs_end(struct rtpp_out *o)
{
	if (JSON(o))
		rtpp_json_close(&o->j);
}

void rtpp_out_cleared_end(struct rtpp_out *o)
{
	if (JSON(o))
		rtpp_json_close(&o->j);
	else if (TEXT(o))
		fputc('\n', o->f);
}

static const char *const sess_columns[] = {
	"learning_ms", "gate_port", "learned", "packets", "bytes", "errors",
	"idle_ms",
};

void rtpp_out_list_begin(struct rtpp_out *o, bool sessions)
{
	unsigned int i, s, t, c;

	o->sessions = sessions;
	o->sbs = 0;
	if (JSON(o)) {
		rtpp_json_open(&o->j, "switchboards", '[');
	} else if (TAB(o) && !sessions) {
		tab_table(o);
		fputs("id\taddr_a\tport_a\taddr_b\tport_b\tmax_sess\texpires"
		      "\tresurrection\trules\tcreated_ms\tdiscont_ms"
		      "\tpkt_discont_ms", o->f);
		for (i = 0; i < RTPP_STATES; i++)
			fprintf(o->f, "\t%s", rtpp_state_name(i));
		tab_stat_names(o);
		rtpp_qt_tab_header(o->f);
		fputc('\n', o->f);
	} else if (TAB(o)) {
		tab_table(o);
		fputs("sb_id\tsb_addr_a\tsb_port_a\tsb_addr_b\tsb_port_b"
		      "\tid\tcreated_ms\tstate\texpires\tidle_ms", o->f);
		for (s = 0; s < RTPP_SIDES; s++) {
			fprintf(o->f, "\t%s_always_learn", side_name[s]);
			for (t = 0; t < RTPP_STREAMS; t++) {
				fprintf(o->f, "\t%s_%s_addr\t%s_%s_port",
					side_name[s], stream_name[t],
					side_name[s], stream_name[t]);
				for (c = 0; c < sizeof(sess_columns) /
					     sizeof(sess_columns[0]); c++)
					fprintf(o->f, "\t%s_%s_%s", side_name[s],
						stream_name[t], sess_columns[c]);
			}
		}
		/* Call quality's after all the others: appended columns. */
		for (s = 0; s < RTPP_SIDES; s++)
			for (t = 0; t < RTPP_STREAMS; t++)
				rtpp_q_tab_header(o->f, side_name[s],
						  stream_name[t], t);
		fputc('\n', o->f);
	}
}

static void text_sb(struct rtpp_out *o, const struct rtpp_sb *sb)
{
	char a[32], b[32], t[32], u[32];

	if (o->sbs > 1)
		fputc('\n', o->f);
	fprintf(o->f, "switchboard %u: A %s  B %s  %u sessions, %u rule%s\n",
		sb->id, fmt_gate(sb->addr_a, sb->port_a, a, sizeof(a)),
		fmt_gate(sb->addr_b, sb->port_b, b, sizeof(b)), sb->max_sess,
		sb->rules, sb->rules == 1 ? "" : "s");
	fprintf(o->f, "  %-15sexpires %s, resurrection %s\n", "timeouts",
		rtpp_fmt_duration((uint64_t)sb->expires * 1000, a, sizeof(a)),
		rtpp_fmt_duration((uint64_t)sb->resurrection * 1000, b, sizeof(b)));
	fprintf(o->f, "  %-15s%s\n", "created",
		rtpp_fmt_time(sb->created_ms, t, sizeof(t)));
	if (sb->has_states) {
		fputs("  ", o->f);
		text_states(o, sb->states);
	}
	text_quality(o, "  ", &sb->quality);
	text_all_stats(o, "  ", sb->stats);
	fprintf(o->f, "  %-15s%s (packet counters: %s)\n", "counted since",
		rtpp_fmt_time(sb->discont_ms, t, sizeof(t)),
		rtpp_fmt_time(sb->pkt_discont_ms, u, sizeof(u)));
}

static void tab_sb(struct rtpp_out *o, const struct rtpp_sb *sb)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	unsigned int i;

	fprintf(o->f, "%u\t%s\t%u\t%s\t%u\t%u\t%u\t%u\t%u\t%" PRIu64 "\t%"
		PRIu64 "\t%" PRIu64, sb->id,
		rtpp_fmt_addr(sb->addr_a, a, sizeof(a)), sb->port_a,
		rtpp_fmt_addr(sb->addr_b, b, sizeof(b)), sb->port_b,
		sb->max_sess, sb->expires, sb->resurrection, sb->rules,
		sb->created_ms, sb->discont_ms, sb->pkt_discont_ms);
	for (i = 0; i < RTPP_STATES; i++)
		if (sb->has_states)
			fprintf(o->f, "\t%u", sb->states[i]);
		else
			fputs("\t-", o->f);
	tab_stats(o, sb->stats, RTPP_STAT_ALL_MASK);
	rtpp_qt_tab(o->f, &sb->quality);
	fputc('\n', o->f);
}

static void json_sb(struct rtpp_out *o, const struct rtpp_sb *sb)
{
	rtpp_json_open(&o->j, NULL, '{');
	rtpp_json_u64(&o->j, "id", sb->id);
	json_addr(o, "addr_a", sb->addr_a);
	rtpp_json_u64(&o->j, "port_a", sb->port_a);
	json_addr(o, "addr_b", sb->addr_b);
	rtpp_json_u64(&o->j, "port_b", sb->port_b);
	rtpp_json_u64(&o->j, "max_sess", sb->max_sess);
	rtpp_json_u64(&o->j, "expires", sb->expires);
	rtpp_json_u64(&o->j, "resurrection", sb->resurrection);
	rtpp_json_u64(&o->j, "rules", sb->rules);
	rtpp_json_u64(&o->j, "created_ms", sb->created_ms);
	rtpp_json_u64(&o->j, "discont_ms", sb->discont_ms);
	rtpp_json_u64(&o->j, "pkt_discont_ms", sb->pkt_discont_ms);
	if (sb->has_states)
		json_states(o, "sessions_by_state", sb->states);
	else
		rtpp_json_null(&o->j, "sessions_by_state");
	rtpp_qt_json(&o->j, &sb->quality);
	json_stats(o, "stats", sb->stats, RTPP_STAT_ALL_MASK);
}

void rtpp_out_sb_begin(struct rtpp_out *o, const struct rtpp_sb *sb)
{
	o->sbs++;
	o->sess_in_sb = 0;
	if (JSON(o)) {
		json_sb(o, sb);
		if (o->sessions)
			rtpp_json_open(&o->j, "sessions", '[');
	} else if (TAB(o)) {
		if (!o->sessions)
			tab_sb(o, sb);
	} else {
		text_sb(o, sb);
	}
}

static void json_stream(struct rtpp_out *o, const char *key,
			const struct rtpp_stream *st, bool rtcp)
{
	rtpp_json_open(&o->j, key, '{');
	if (st->addr)
		json_addr(o, "addr", st->addr);
	else
		rtpp_json_null(&o->j, "addr");
	if (st->port)
		rtpp_json_u64(&o->j, "port", st->port);
	else
		rtpp_json_null(&o->j, "port");
	rtpp_json_u64(&o->j, "learning_ms", st->learning_ms);
	rtpp_json_u64(&o->j, "gate_port", st->gate_port);
	rtpp_json_bool(&o->j, "learned", st->learned);
	rtpp_json_u64(&o->j, "packets", st->packets);
	rtpp_json_u64(&o->j, "bytes", st->bytes);
	rtpp_json_u64(&o->j, "errors", st->errors);
	if (st->has_idle)
		rtpp_json_u64(&o->j, "idle_ms", st->idle_ms);
	else
		rtpp_json_null(&o->j, "idle_ms");
	rtpp_q_json(&o->j, &st->q, rtcp);
	rtpp_json_close(&o->j);
}

static void json_sess(struct rtpp_out *o, const char *key,
		      const struct rtpp_sess *s)
{
	unsigned int i, t;

	rtpp_json_open(&o->j, key, '{');
	rtpp_json_u64(&o->j, "id", s->id);
	rtpp_json_u64(&o->j, "created_ms", s->created_ms);
	rtpp_json_str(&o->j, "state", rtpp_state_name(s->state));
	rtpp_json_u64(&o->j, "expires", s->expires);
	rtpp_json_u64(&o->j, "idle_ms", s->idle_ms);
	for (i = 0; i < RTPP_SIDES; i++) {
		rtpp_json_open(&o->j, side_name[i], '{');
		rtpp_json_bool(&o->j, "always_learn", s->side[i].always_learn);
		for (t = 0; t < RTPP_STREAMS; t++)
			json_stream(o, stream_name[t], &s->side[i].stream[t], t);
		rtpp_json_close(&o->j);
	}
	rtpp_json_close(&o->j);
}

static void tab_sess(struct rtpp_out *o, const struct rtpp_sess *s)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	unsigned int i, t;

	fprintf(o->f, "%u\t%s\t%u\t%s\t%u\t%u\t%" PRIu64 "\t%s\t%u\t%" PRIu64,
		s->sb.id, rtpp_fmt_addr(s->sb.addr_a, a, sizeof(a)),
		s->sb.port_a, rtpp_fmt_addr(s->sb.addr_b, b, sizeof(b)),
		s->sb.port_b, s->id, s->created_ms, rtpp_state_name(s->state),
		s->expires, s->idle_ms);
	for (i = 0; i < RTPP_SIDES; i++) {
		fprintf(o->f, "\t%u", s->side[i].always_learn);
		for (t = 0; t < RTPP_STREAMS; t++) {
			const struct rtpp_stream *st = &s->side[i].stream[t];

			if (st->addr)
				fprintf(o->f, "\t%s", rtpp_fmt_addr(st->addr, a,
								    sizeof(a)));
			else
				fputs("\t-", o->f);
			if (st->port)
				fprintf(o->f, "\t%u", st->port);
			else
				fputs("\t-", o->f);
			fprintf(o->f, "\t%u\t%u\t%u\t%" PRIu64 "\t%" PRIu64 "\t%"
				PRIu64, st->learning_ms, st->gate_port,
				st->learned, st->packets, st->bytes, st->errors);
			if (st->has_idle)
				fprintf(o->f, "\t%" PRIu64, st->idle_ms);
			else
				fputs("\t-", o->f);
		}
	}
	for (i = 0; i < RTPP_SIDES; i++)
		for (t = 0; t < RTPP_STREAMS; t++)
			rtpp_q_tab(o->f, &s->side[i].stream[t].q, t);
	fputc('\n', o->f);
}

/* "10.1.1.1:4000", "10.1.1.1:?", "?:4000", "?" */
static void text_client(const struct rtpp_stream *st, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN] = "?", p[8] = "?";

	if (!st->addr && !st->port) {
		snprintf(buf, len, "?");
		return;
	}
	if (st->addr)
		rtpp_fmt_addr(st->addr, a, sizeof(a));
	if (st->port)
		snprintf(p, sizeof(p), "%u", st->port);
	snprintf(buf, len, "%s:%s", a, p);
}

/* A table row, without the trailing blanks of empty last columns. */
static void line(struct rtpp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void line(struct rtpp_out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n'))
		n--;
	fprintf(o->f, "%.*s\n", n, buf);
}

#define SESS_COLS	"%6s  %-10s %-7s %-7s %-7s  "
#define STREAM_COLS	"%-6s %-21s %5s  %-8s %10s %12s %8s %-7s %s\n"

static void text_sess(struct rtpp_out *o, const struct rtpp_sess *s)
{
	char id[12], age[16], exp[16], idle[16];
	unsigned int i, t;

	if (!o->sess_in_sb++) {
		fputc('\n', o->f);
		line(o, "  " SESS_COLS STREAM_COLS, "ID", "STATE", "AGE",
		     "EXPIRES", "IDLE", "STREAM", "CLIENT", "GATE", "LEARNING",
		     "PACKETS", "BYTES", "ERRORS", "LAST", "FLAGS");
	}
	snprintf(id, sizeof(id), "%u", s->id);
	rtpp_fmt_duration(o->now_ms > s->created_ms ?
			  o->now_ms - s->created_ms : 0, age, sizeof(age));
	rtpp_fmt_duration((uint64_t)s->expires * 1000, exp, sizeof(exp));
	rtpp_fmt_duration(s->idle_ms, idle, sizeof(idle));
	for (i = 0; i < RTPP_SIDES; i++) {
		for (t = 0; t < RTPP_STREAMS; t++) {
			const struct rtpp_stream *st = &s->side[i].stream[t];
			char name[8], client[32], gate[8], learn[16], last[16];
			char pk[24], by[24], er[24], flags[24], qual[160];
			bool first = !i && !t;

			snprintf(name, sizeof(name), "%c %s", 'A' + i,
				 t ? "RTCP" : "RTP");
			text_client(st, client, sizeof(client));
			snprintf(gate, sizeof(gate), "%u", st->gate_port);
			rtpp_fmt_duration(st->learning_ms, learn, sizeof(learn));
			if (st->has_idle)
				rtpp_fmt_duration(st->idle_ms, last, sizeof(last));
			else
				snprintf(last, sizeof(last), "-");
			snprintf(pk, sizeof(pk), "%" PRIu64, st->packets);
			snprintf(by, sizeof(by), "%" PRIu64, st->bytes);
			snprintf(er, sizeof(er), "%" PRIu64, st->errors);
			snprintf(flags, sizeof(flags), "%s%s%s",
				 st->learned ? "learned" : "",
				 st->learned && s->side[i].always_learn ? "," : "",
				 s->side[i].always_learn ? "always-learn" : "");
			line(o, "  " SESS_COLS STREAM_COLS,
				first ? id : "", first ? rtpp_state_name(s->state) : "",
				first ? age : "", first ? exp : "", first ? idle : "",
				name, client, gate, learn, pk, by, er, last, flags);
			if (!o->verbose)
				continue;
			rtpp_q_text(qual, sizeof(qual), &st->q, t);
			if (qual[0])
				line(o, "  " SESS_COLS "%-6s %s", "", "", "", "", "",
				     "", qual);
		}
	}
}

void rtpp_out_sess(struct rtpp_out *o, const struct rtpp_sess *s)
{
	if (JSON(o))
		json_sess(o, NULL, s);
	else if (TAB(o))
		tab_sess(o, s);
	else
		text_sess(o, s);
}

void rtpp_out_sb_end(struct rtpp_out *o)
{
	if (JSON(o)) {
		if (o->sessions)
			rtpp_json_close(&o->j);
		rtpp_json_close(&o->j);
	} else if (TEXT(o) && o->sessions && !o->sess_in_sb) {
		fputs("  no session\n", o->f);
	}
}

void rtpp_out_list_end(struct rtpp_out *o)
{
	if (JSON(o))
		rtpp_json_close(&o->j);
	else if (TEXT(o) && !o->sbs)
		fputs("no switchboard\n", o->f);
}

void rtpp_out_alloc(struct rtpp_out *o, const struct rtpp_sess *s,
		    bool verbose)
{
	const struct rtpp_side *sa = &s->side[RTPP_SIDE_A];
	const struct rtpp_side *sb = &s->side[RTPP_SIDE_B];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	rtpp_fmt_addr(s->sb.addr_a, a, sizeof(a));
	rtpp_fmt_addr(s->sb.addr_b, b, sizeof(b));
	if (JSON(o)) {
		rtpp_json_open(&o->j, "switchboard", '{');
		rtpp_json_u64(&o->j, "id", s->sb.id);
		rtpp_json_str(&o->j, "addr_a", a);
		rtpp_json_u64(&o->j, "port_a", s->sb.port_a);
		rtpp_json_str(&o->j, "addr_b", b);
		rtpp_json_u64(&o->j, "port_b", s->sb.port_b);
		rtpp_json_close(&o->j);
		json_sess(o, "session", s);
	} else if (TAB(o)) {
		tab_table(o);
		fputs("sb_id\tid\taddr_a\trtp_port_a\trtcp_port_a\taddr_b"
		      "\trtp_port_b\trtcp_port_b\n", o->f);
		fprintf(o->f, "%u\t%u\t%s\t%u\t%u\t%s\t%u\t%u\n", s->sb.id, s->id,
			a, sa->stream[RTPP_STREAM_RTP].gate_port,
			sa->stream[RTPP_STREAM_RTCP].gate_port, b,
			sb->stream[RTPP_STREAM_RTP].gate_port,
			sb->stream[RTPP_STREAM_RTCP].gate_port);
	} else {
		fprintf(o->f, "%u\n", s->id);
		if (!verbose)
			return;
		fprintf(o->f, "gate A %s RTP %u RTCP %u\n", a,
			sa->stream[RTPP_STREAM_RTP].gate_port,
			sa->stream[RTPP_STREAM_RTCP].gate_port);
		fprintf(o->f, "gate B %s RTP %u RTCP %u\n", b,
			sb->stream[RTPP_STREAM_RTP].gate_port,
			sb->stream[RTPP_STREAM_RTCP].gate_port);
	}
}

void rtpp_out_count(struct rtpp_out *o, const char *what, unsigned int n)
{
	if (JSON(o)) {
		rtpp_json_u64(&o->j, what, n);
	} else if (TAB(o)) {
		tab_table(o);
		fprintf(o->f, "%s\n%u\n", what, n);
	}
}
