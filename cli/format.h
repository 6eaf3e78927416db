/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy: output in three formats.
 *   text  aligned columns, human-readable times (the default);
 *   tab   a header line, then one tab-separated record a line; raw numbers
 *         (times in ms); cleared values, when asked for, come as a table of
 *         their own first, followed by an empty line;
 *   json  one document, stable keys, numbers as numbers, null for unknown.
 * Output is streamed: objects are printed as the kernel's dump delivers them.
 */
#ifndef RTPP_CLI_FORMAT_H
#define RTPP_CLI_FORMAT_H

#include <stdio.h>
#include "args.h"
#include "json.h"

struct rtpp_out {
	FILE *f;
	enum rtpp_cli_format fmt;
	struct rtpp_json j;
	uint64_t now_ms;	/* wall clock, for ages */
	int tables;		/* tab: tables begun so far */
	bool sessions;		/* list: sessions are listed */
	unsigned int sbs;	/* list: switchboards printed */
	unsigned int sess_in_sb;	/* list: sessions of the current one */
	bool verbose;		/* text list: call quality under each stream */
};

void rtpp_out_begin(struct rtpp_out *o, FILE *f, enum rtpp_cli_format fmt);
/* Also after a failure: json closes whatever is still open. */
void rtpp_out_end(struct rtpp_out *o);

void rtpp_out_info(struct rtpp_out *o, const struct rtpp_info *info);

/* Values cleared by resets. */
void rtpp_out_cleared_begin(struct rtpp_out *o);
void rtpp_out_cleared_global(struct rtpp_out *o, const struct rtpp_stats *s);
void rtpp_out_cleared_sbs_begin(struct rtpp_out *o, enum rtpp_reset what);
void rtpp_out_cleared_sb(struct rtpp_out *o, enum rtpp_reset what,
			 const struct rtpp_sb *sb);
void rtpp_out_cleared_sbs_end(struct rtpp_out *o);
void rtpp_out_cleared_end(struct rtpp_out *o);

/* list: switchboards, each with its sessions when sessions is true. */
void rtpp_out_list_begin(struct rtpp_out *o, bool sessions);
void rtpp_out_sb_begin(struct rtpp_out *o, const struct rtpp_sb *sb);
void rtpp_out_sess(struct rtpp_out *o, const struct rtpp_sess *s);
void rtpp_out_sb_end(struct rtpp_out *o);
void rtpp_out_list_end(struct rtpp_out *o);

/* alloc: the id; with verbose (text) also the gate ports. */
void rtpp_out_alloc(struct rtpp_out *o, const struct rtpp_sess *s,
		    bool verbose);

/* update, delete: how many sessions (json: {"updated": N}; tab: a column
 * named so; text: nothing, -v says it on stderr). */
void rtpp_out_count(struct rtpp_out *o, const char *what, unsigned int n);

/* "1.5s", "42s", "3m07s", "2h05m", "3d04h" */
char *rtpp_fmt_duration(uint64_t ms, char *buf, size_t len);
/* "2025-11-25 15:30:01" (local time), "-" for 0 */
char *rtpp_fmt_time(uint64_t ms, char *buf, size_t len);
/* "10.1.1.1" */
char *rtpp_fmt_addr(uint32_t addr, char *buf, size_t len);

#endif /* RTPP_CLI_FORMAT_H */
