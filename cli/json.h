/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy: a streaming JSON writer (indented, one document).  Keys are
 * NULL inside arrays.
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
};

void rtpp_json_init(struct rtpp_json *j, FILE *f);
void rtpp_json_open(struct rtpp_json *j, const char *key, char bracket);
void rtpp_json_close(struct rtpp_json *j, char bracket);
void rtpp_json_u64(struct rtpp_json *j, const char *key, uint64_t v);
void rtpp_json_bool(struct rtpp_json *j, const char *key, bool v);
void rtpp_json_null(struct rtpp_json *j, const char *key);
void rtpp_json_str(struct rtpp_json *j, const char *key, const char *s);

#endif /* RTPP_CLI_JSON_H */
