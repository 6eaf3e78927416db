/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy: a streaming JSON writer (indented, one document).  Keys are
 * NULL inside arrays.  The writer remembers which brackets are open, so
 * that a command failing halfway can still end its document.
 */
#ifndef RTPP_CLI_JSON_H
#define RTPP_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define RTPP_JSON_DEPTH 16

struct rtpp_json {
	FILE *f;
	int depth;
	bool has_items[RTPP_JSON_DEPTH];
	char closing[RTPP_JSON_DEPTH];	/* of each open level, 1..depth */
};

void rtpp_json_init(struct rtpp_json *j, FILE *f);
void rtpp_json_open(struct rtpp_json *j, const char *key, char bracket);
/* Closes the innermost open object or array. */
void rtpp_json_close(struct rtpp_json *j);
/* Closes every level still open: the document is complete. */
void rtpp_json_finish(struct rtpp_json *j);
void rtpp_json_u64(struct rtpp_json *j, const char *key, uint64_t v);
void rtpp_json_bool(struct rtpp_json *j, const char *key, bool v);
void rtpp_json_null(struct rtpp_json *j, const char *key);
void rtpp_json_i64(struct rtpp_json *j, const char *key, int64_t v);
void rtpp_json_double(struct rtpp_json *j, const char *key, double v);
void rtpp_json_str(struct rtpp_json *j, const char *key, const char *s);

#endif /* RTPP_CLI_JSON_H */
