// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: a streaming JSON writer.
 */
#include <inttypes.h>
#include "json.h"

void rtpp_json_init(struct rtpp_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
}

static void indent(struct rtpp_json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Separator, indentation and key of a new item. */
static void item(struct rtpp_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->has_items[j->depth])
			fputc(',', j->f);
		j->has_items[j->depth] = true;
		indent(j);
	}
	if (key) {
		quoted(j->f, key);
		fputs(": ", j->f);
	}
}

void rtpp_json_open(struct rtpp_json *j, const char *key, char bracket)
{
	item(j, key);
	fputc(bracket, j->f);
	if (j->depth < RTPP_JSON_DEPTH - 1)
		j->depth++;
	j->has_items[j->depth] = false;
	j->closing[j->depth] = bracket == '[' ? ']' : '}';
}

void rtpp_json_close(struct rtpp_json *j)
{
	bool had = j->has_items[j->depth];
	char bracket = j->closing[j->depth];

	/* nothing open: a stray bracket would only spoil the document */
	if (j->depth == 0)
		return;
	j->depth--;
	if (had)
		indent(j);
	fputc(bracket, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void rtpp_json_finish(struct rtpp_json *j)
{
	while (j->depth > 0)
		rtpp_json_close(j);
}

void rtpp_json_u64(struct rtpp_json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void rtpp_json_bool(struct rtpp_json *j, const char *key, bool v)
{
	item(j, key);
	fputs(v ? "true" : "false", j->f);
}

void rtpp_json_null(struct rtpp_json *j, const char *key)
{
	item(j, key);
	fputs("null", j->f);
}

void rtpp_json_str(struct rtpp_json *j, const char *key, const char *s)
{
	item(j, key);
	quoted(j->f, s);
}

void rtpp_json_i64(struct rtpp_json *j, const char *key, int64_t v)
{
	item(j, key);
	fprintf(j->f, "%" PRId64, v);
}

/* Two decimals: percentages. */
void rtpp_json_double(struct rtpp_json *j, const char *key, double v)
{
	item(j, key);
	fprintf(j->f, "%.2f", v);
}
