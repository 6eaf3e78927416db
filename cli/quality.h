/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy: a stream's call quality in the three formats (quality.c).
 */
#ifndef RTPP_CLI_QUALITY_H
#define RTPP_CLI_QUALITY_H

#include <stdbool.h>
#include <stdio.h>
#include <rtpproxy.h>
#include "json.h"

/* tab: the columns of one stream, each preceded by a tab; "-" unknown. */
void rtpp_q_tab_header(FILE *f, const char *side, const char *stream,
		       bool rtcp);
void rtpp_q_tab(FILE *f, const struct rtpp_stream_quality *q, bool rtcp);
void rtpp_q_json(struct rtpp_json *j, const struct rtpp_stream_quality *q,
		 bool rtcp);
void rtpp_q_text(char *buf, size_t len, const struct rtpp_stream_quality *q,
		 bool rtcp);

/* Totals of a switchboard's live sessions, or of them all (info). */
void rtpp_qt_tab_header(FILE *f);
void rtpp_qt_tab(FILE *f, const struct rtpp_quality_totals *t);
void rtpp_qt_json(struct rtpp_json *j, const struct rtpp_quality_totals *t);
void rtpp_qt_text(char *buf, size_t len, const struct rtpp_quality_totals *t);

#endif
