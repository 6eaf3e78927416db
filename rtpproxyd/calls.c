// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxyd: the call map and its state file (see calls.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls.h"
#include "proto.h"

static unsigned int hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % RTPPD_CALL_BUCKETS;
}

void rtppd_calls_init(struct rtppd_calls *m)
{
	memset(m, 0, sizeof(*m));
}

static void call_free(struct rtppd_call *c)
{
	free(c->callid);
	free(c->caller_tag);
	free(c->callee_tag);
	free(c);
}

void rtppd_calls_clear(struct rtppd_calls *m)
{
	unsigned int i;

	for (i = 0; i < RTPPD_CALL_BUCKETS; i++) {
		while (m->bucket[i]) {
			struct rtppd_call *c = m->bucket[i];

			m->bucket[i] = c->next;
			call_free(c);
		}
	}
	if (m->count)
		m->dirty = true;
	m->count = 0;
}

struct rtppd_call *rtppd_calls_add(struct rtppd_calls *m, const char *callid,
				   const char *caller_tag, const char *callee_tag,
				   uint32_t media)
{
	struct rtppd_call *c = calloc(1, sizeof(*c));
	unsigned int b = hash(callid);

	if (!c)
		return NULL;
	c->callid = strdup(callid);
	c->caller_tag = strdup(caller_tag);
	c->callee_tag = callee_tag ? strdup(callee_tag) : NULL;
	if (!c->callid || !c->caller_tag || (callee_tag && !c->callee_tag)) {
		call_free(c);
		return NULL;
	}
	c->media = media;
	c->next = m->bucket[b];
	m->bucket[b] = c;
	m->count++;
	m->dirty = true;
	return c;
}

void rtppd_calls_del(struct rtppd_calls *m, struct rtppd_call *c)
{
	struct rtppd_call **p = &m->bucket[hash(c->callid)];

	for (; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			call_free(c);
			m->count--;
			m->dirty = true;
			return;
		}
	}
}

int rtppd_call_set_callee(struct rtppd_calls *m, struct rtppd_call *c, const char *tag)
{
	char *t = strdup(tag);

	if (!t)
		return -1;
	free(c->callee_tag);
	c->callee_tag = t;
	m->dirty = true;
	return 0;
}

struct rtppd_call *rtppd_calls_chain(const struct rtppd_calls *m, const char *callid)
{
	return m->bucket[hash(callid)];
}

int rtppd_call_match(const struct rtppd_call *c, const char *callid,
		     const char *tag1, const char *tag2, uint32_t media)
{
	if (strcmp(c->callid, callid) ||
	    (media != RTPPD_MEDIA_ANY && media != c->media))
		return RTPPD_PARTY_NONE;
	if (!strcmp(c->caller_tag, tag1) &&
	    (!tag2 || !c->callee_tag || !strcmp(c->callee_tag, tag2)))
		return RTPPD_PARTY_CALLER;
	if (tag2 && !strcmp(c->caller_tag, tag2) &&
	    (!c->callee_tag || !strcmp(c->callee_tag, tag1)))
		return RTPPD_PARTY_CALLEE;
	if (!tag2 && c->callee_tag && !strcmp(c->callee_tag, tag1))
		return RTPPD_PARTY_CALLEE;
	return RTPPD_PARTY_NONE;
}

size_t rtppd_call_format(const struct rtppd_call *c, char *buf, size_t len)
{
	char media[16];
	int n;

	if (c->media == RTPPD_MEDIA_ANY)
		strcpy(media, "-");
	else
		snprintf(media, sizeof(media), "%" PRIu32, c->media);
	n = snprintf(buf, len, "%" PRIu32 " %" PRIu32 " %" PRIu64 " %c %s %s %s %s\n",
		     c->sb_id, c->slot, c->created_ms, c->caller_side ? 'b' : 'a',
		     media, c->callid, c->caller_tag,
		     c->callee_tag ? c->callee_tag : "-");
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

static bool number(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && !errno && *out <= max;
}

int rtppd_calls_parse_line(struct rtppd_calls *m, const char *line)
{
	char buf[3 * RTPPD_MAX_ID + 128], *w[9], *save, *tok;
	uint64_t sb, slot, created, media = RTPPD_MEDIA_ANY;
	struct rtppd_call *c;
	int n = 0;

	if (strlen(line) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, line);
	buf[strcspn(buf, "\n")] = '\0';
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == 8)
			return -EINVAL;
		w[n++] = tok;
	}
	if (n != 8 || !number(w[0], UINT32_MAX, &sb) || !number(w[1], UINT32_MAX, &slot) ||
	    !number(w[2], UINT64_MAX, &created) || strlen(w[3]) != 1 ||
	    (w[3][0] != 'a' && w[3][0] != 'b') ||
	    (strcmp(w[4], "-") && !number(w[4], 65535, &media)) ||
	    strlen(w[5]) >= RTPPD_MAX_ID || strlen(w[6]) >= RTPPD_MAX_ID ||
	    strlen(w[7]) >= RTPPD_MAX_ID)
		return -EINVAL;
	c = rtppd_calls_add(m, w[5], w[6], strcmp(w[7], "-") ? w[7] : NULL, media);
	if (!c)
		return -ENOMEM;
	c->sb_id = sb;
	c->slot = slot;
	c->created_ms = created;
	c->caller_side = w[3][0] == 'b';
	return 0;
}

int rtppd_calls_save(struct rtppd_calls *m, const char *path)
{
	char tmp[4096], line[3 * RTPPD_MAX_ID + 128];
	unsigned int i;
	FILE *f;
	int err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	for (i = 0; i < RTPPD_CALL_BUCKETS; i++) {
		const struct rtppd_call *c;

		for (c = m->bucket[i]; c; c = c->next)
			if (rtppd_call_format(c, line, sizeof(line)))
				fputs(line, f);
	}
	/* No fsync: the file has to survive the daemon, not the host (the
	 * kernel's sessions do not survive a reboot either). */
	if (fflush(f))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	else
		m->dirty = false;
	return err;
}

int rtppd_calls_load(struct rtppd_calls *m, const char *path)
{
	char line[3 * RTPPD_MAX_ID + 256];
	FILE *f = fopen(path, "r");
	int bad = 0, rc;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		rc = rtppd_calls_parse_line(m, line);
		if (rc == -ENOMEM) {
			fclose(f);
			return rc;
		}
		if (rc)
			bad++;
	}
	fclose(f);
	return bad;
}
