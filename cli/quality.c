// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: a stream's call quality in the three formats (format.h),
 * and the totals of a switchboard or of them all (info).  Loss is shown as
 * a count and as a percentage of the packets expected; a reported fraction
 * lost (n/256) as a percentage too.
 */
#include <inttypes.h>
#include <stdio.h>
#include "quality.h"

static const char *const rtp_cols[] = {
	"ssrc", "pt", "ssrc_changes", "ext_max_seq", "expected", "lost",
	"lost_pct", "out_of_order", "duplicates", "not_rtp", "jitter_ts",
	"jitter_us",
};
static const char *const rtcp_cols[] = {
	"reports", "malformed", "fraction_lost", "fraction_lost_pct",
	"cum_lost", "reported_jitter_ts",
};
static const char *const total_cols[] = {
	"streams", "expected", "lost", "lost_pct", "out_of_order",
	"duplicates", "not_rtp", "jitter_us_max",
};
#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Percent of @part in @whole, two decimals; "-" when @whole is 0. */
static char *pct(uint64_t part, uint64_t whole, char *buf, size_t len)
{
	if (!whole)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", 100.0 * (double)part / (double)whole);
	return buf;
}

void rtpp_q_tab_header(FILE *f, const char *side, const char *stream,
		       bool rtcp)
{
	const char *const *cols = rtcp ? rtcp_cols : rtp_cols;
	size_t i, n = rtcp ? N(rtcp_cols) : N(rtp_cols);

	for (i = 0; i < n; i++)
		fprintf(f, "\t%s_%s_%s", side, stream, cols[i]);
}

void rtpp_q_tab(FILE *f, const struct rtpp_stream_quality *q, bool rtcp)
{
	char p[16];
	size_t i;

	if (!q->has) {
		for (i = 0; i < (rtcp ? N(rtcp_cols) : N(rtp_cols)); i++)
			fputs("\t-", f);
		return;
	}
	if (rtcp) {
		fprintf(f, "\t%u\t%u", q->reports, q->malformed);
		if (q->has_report)
			fprintf(f, "\t%u\t%s\t%" PRId32 "\t%u", q->fraction_lost,
				pct(q->fraction_lost, 256, p, sizeof(p)),
				q->cum_lost, q->rtcp_jitter);
		else
			fputs("\t-\t-\t-\t-", f);
		return;
	}
	if (q->has_ssrc)
		fprintf(f, "\t%u\t%u\t%u\t%u", q->ssrc, q->pt, q->ssrc_changes,
			q->ext_max_seq);
	else
		fprintf(f, "\t-\t-\t%u\t-", q->ssrc_changes);
	fprintf(f, "\t%u\t%u\t%s\t%u\t%u\t%u", q->expected, q->lost,
		pct(q->lost, q->expected, p, sizeof(p)), q->out_of_order,
		q->duplicates, q->not_rtp);
	if (q->has_jitter)
		fprintf(f, "\t%u\t%u", q->jitter_ts, q->jitter_us);
	else
		fputs("\t-\t-", f);
}

/* JSON: a "quality" object, or null when the session does not track it. */
void rtpp_q_json(struct rtpp_json *j, const struct rtpp_stream_quality *q,
		 bool rtcp)
{
	if (!q->has) {
		rtpp_json_null(j, "quality");
		return;
	}
	rtpp_json_open(j, "quality", '{');
	if (rtcp) {
		rtpp_json_u64(j, "reports", q->reports);
		rtpp_json_u64(j, "malformed", q->malformed);
		if (q->has_report) {
			rtpp_json_u64(j, "fraction_lost", q->fraction_lost);
			rtpp_json_double(j, "fraction_lost_pct",
					 100.0 * q->fraction_lost / 256);
			rtpp_json_i64(j, "cum_lost", q->cum_lost);
			rtpp_json_u64(j, "reported_jitter_ts", q->rtcp_jitter);
		} else {
			rtpp_json_null(j, "fraction_lost");
			rtpp_json_null(j, "fraction_lost_pct");
			rtpp_json_null(j, "cum_lost");
			rtpp_json_null(j, "reported_jitter_ts");
		}
		rtpp_json_close(j);
		return;
	}
	if (q->has_ssrc) {
		rtpp_json_u64(j, "ssrc", q->ssrc);
		rtpp_json_u64(j, "pt", q->pt);
		rtpp_json_u64(j, "ext_max_seq", q->ext_max_seq);
	} else {
		rtpp_json_null(j, "ssrc");
		rtpp_json_null(j, "pt");
		rtpp_json_null(j, "ext_max_seq");
	}
	rtpp_json_u64(j, "ssrc_changes", q->ssrc_changes);
	rtpp_json_u64(j, "expected", q->expected);
	rtpp_json_u64(j, "lost", q->lost);
	if (q->expected)
		rtpp_json_double(j, "lost_pct", 100.0 * q->lost / q->expected);
	else
		rtpp_json_null(j, "lost_pct");
	rtpp_json_u64(j, "out_of_order", q->out_of_order);
	rtpp_json_u64(j, "duplicates", q->duplicates);
	rtpp_json_u64(j, "not_rtp", q->not_rtp);
	if (q->has_jitter) {
		rtpp_json_u64(j, "jitter_ts", q->jitter_ts);
		rtpp_json_u64(j, "jitter_us", q->jitter_us);
		rtpp_json_u64(j, "clock_rate", q->clock_rate);
	} else {
		rtpp_json_null(j, "jitter_ts");
		rtpp_json_null(j, "jitter_us");
		rtpp_json_null(j, "clock_rate");
	}
	rtpp_json_close(j);
}

/*
 * Text (list -v): one line under the stream's, e.g.
 *   "lost 9/100 (9.00%), jitter 12 ts (1500 us), 5 out of order, 3 dup"
 *   "reports 4: fraction lost 10.16%, cumulative 12, jitter 40 ts"
 * Empty when there is nothing to say.
 */
void rtpp_q_text(char *buf, size_t len, const struct rtpp_stream_quality *q,
		 bool rtcp)
{
	char p[16], jit[48] = "";
	size_t n;

	buf[0] = 0;
	if (!q->has)
		return;
	if (rtcp) {
		n = snprintf(buf, len, "reports %u", q->reports);
		if (q->has_report && n < len)
			n += snprintf(buf + n, len - n,
				      ": fraction lost %s%%, cumulative %" PRId32
				      ", jitter %u ts",
				      pct(q->fraction_lost, 256, p, sizeof(p)),
				      q->cum_lost, q->rtcp_jitter);
		if (q->malformed && n < len)
			snprintf(buf + n, len - n, ", %u malformed", q->malformed);
		return;
	}
	if (q->has_jitter)
		snprintf(jit, sizeof(jit), ", jitter %u ts (%u us)",
			 q->jitter_ts, q->jitter_us);
	n = snprintf(buf, len, "lost %u/%u (%s%%)%s, %u out of order, %u dup",
		     q->lost, q->expected, pct(q->lost, q->expected, p, sizeof(p)),
		     jit, q->out_of_order, q->duplicates);
	if (q->has_ssrc && n < len)
		n += snprintf(buf + n, len - n, ", ssrc %08x pt %u", q->ssrc, q->pt);
	if (q->ssrc_changes && n < len)
		n += snprintf(buf + n, len - n, ", %u ssrc change%s",
			      q->ssrc_changes, q->ssrc_changes == 1 ? "" : "s");
	if (q->not_rtp && n < len)
		snprintf(buf + n, len - n, ", %u not RTP", q->not_rtp);
}

void rtpp_qt_tab_header(FILE *f)
{
	size_t i;

	for (i = 0; i < N(total_cols); i++)
		fprintf(f, "\tquality_%s", total_cols[i]);
}

void rtpp_qt_tab(FILE *f, const struct rtpp_quality_totals *t)
{
	char p[16];
	size_t i;

	if (!t->has) {
		for (i = 0; i < N(total_cols); i++)
			fputs("\t-", f);
		return;
	}
	fprintf(f, "\t%u\t%" PRIu64 "\t%" PRIu64 "\t%s\t%" PRIu64 "\t%" PRIu64
		"\t%" PRIu64, t->streams, t->expected, t->lost,
		pct(t->lost, t->expected, p, sizeof(p)), t->out_of_order,
		t->duplicates, t->not_rtp);
	if (t->has_jitter)
		fprintf(f, "\t%u", t->jitter_us_max);
	else
		fputs("\t-", f);
}

/* JSON: a "quality" object; nothing when the kernel sent no totals. */
void rtpp_qt_json(struct rtpp_json *j, const struct rtpp_quality_totals *t)
{
	if (!t->has)
		return;
	rtpp_json_open(j, "quality", '{');
	rtpp_json_u64(j, "streams", t->streams);
	rtpp_json_u64(j, "expected", t->expected);
	rtpp_json_u64(j, "lost", t->lost);
	if (t->expected)
		rtpp_json_double(j, "lost_pct", 100.0 * t->lost / t->expected);
	else
		rtpp_json_null(j, "lost_pct");
	rtpp_json_u64(j, "out_of_order", t->out_of_order);
	rtpp_json_u64(j, "duplicates", t->duplicates);
	rtpp_json_u64(j, "not_rtp", t->not_rtp);
	if (t->has_jitter)
		rtpp_json_u64(j, "jitter_us_max", t->jitter_us_max);
	else
		rtpp_json_null(j, "jitter_us_max");
	rtpp_json_close(j);
}

/*
 * Text (info, switchboards): e.g.
 *   "4 RTP streams: lost 9/400 (2.25%), 5 out of order, 3 dup, worst jitter 1500 us"
 * Empty when the kernel sent no totals.
 */
void rtpp_qt_text(char *buf, size_t len, const struct rtpp_quality_totals *t)
{
	char p[16];
	size_t n;

	buf[0] = 0;
	if (!t->has)
		return;
	n = snprintf(buf, len, "%u RTP stream%s: lost %" PRIu64 "/%" PRIu64
		     " (%s%%), %" PRIu64 " out of order, %" PRIu64 " dup",
		     t->streams, t->streams == 1 ? "" : "s", t->lost,
		     t->expected, pct(t->lost, t->expected, p, sizeof(p)),
		     t->out_of_order, t->duplicates);
	if (t->has_jitter && n < len)
		n += snprintf(buf + n, len - n, ", worst jitter %u us",
			      t->jitter_us_max);
	if (t->not_rtp && n < len)
		snprintf(buf + n, len - n, ", %" PRIu64 " not RTP", t->not_rtp);
}
