/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxyd: the call map.
 *
 * One entry per kernel session: a call-id, the tag of the party whose offer
 * created it (the caller), the other party's tag once known (the callee),
 * and the media number, name one media stream of a call, which is one
 * session (sb_id, slot, created_ms) of a switchboard.  The caller's client
 * is on side caller_side of the session, the callee's on the other side.
 *
 * The map is also written to a state file, one line an entry:
 *
 *   SB SLOT CREATED_MS CALLER_SIDE MEDIA CALLID CALLER_TAG CALLEE_TAG|-
 *
 * (MEDIA is "-" for a stream named without ";N"), so that a restarted
 * daemon finds its calls again: it keeps the entries whose session the
 * kernel still has (same switchboard, slot and creation time).
 * No I/O but rtppd_calls_save() and rtppd_calls_load().
 */
#ifndef RTPPD_CALLS_H
#define RTPPD_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RTPPD_CALL_BUCKETS	4096

struct rtppd_call {
	struct rtppd_call *next;
	char *callid, *caller_tag, *callee_tag;	/* callee_tag may be NULL */
	uint32_t media;				/* RTPPD_MEDIA_ANY: no ";N" */
	int caller_side;			/* RTPP_SIDE_A or RTPP_SIDE_B */
	uint32_t sb_id, slot;
	uint64_t created_ms;
};

struct rtppd_calls {
	struct rtppd_call *bucket[RTPPD_CALL_BUCKETS];
	unsigned int count;
	bool dirty;				/* changed since the last save */
};

enum { RTPPD_PARTY_NONE, RTPPD_PARTY_CALLER, RTPPD_PARTY_CALLEE };

void rtppd_calls_init(struct rtppd_calls *m);
void rtppd_calls_clear(struct rtppd_calls *m);
/* NULL when out of memory. */
struct rtppd_call *rtppd_calls_add(struct rtppd_calls *m, const char *callid,
				   const char *caller_tag, const char *callee_tag,
				   uint32_t media);
void rtppd_calls_del(struct rtppd_calls *m, struct rtppd_call *c);
/* Sets the callee's tag (0, or -1 when out of memory). */
int rtppd_call_set_callee(struct rtppd_calls *m, struct rtppd_call *c, const char *tag);

/* The first entry of callid's chain (then follow ->next, comparing). */
struct rtppd_call *rtppd_calls_chain(const struct rtppd_calls *m, const char *callid);

/*
 * Does c belong to the call callid between the parties tag1 and tag2 (tag2
 * may be NULL: any), media stream media (RTPPD_MEDIA_ANY: any)?  Returns
 * which party tag1 is (RTPPD_PARTY_CALLER or _CALLEE), or RTPPD_PARTY_NONE.
 */
int rtppd_call_match(const struct rtppd_call *c, const char *callid,
		     const char *tag1, const char *tag2, uint32_t media);

/* One state-file line (with its newline) into buf; its length, 0 if too small. */
size_t rtppd_call_format(const struct rtppd_call *c, char *buf, size_t len);
/* Adds the entry a line describes: 0, -EINVAL (malformed), -ENOMEM. */
int rtppd_calls_parse_line(struct rtppd_calls *m, const char *line);

/* Writes the map to path (through path.tmp and a rename): 0 or -errno. */
int rtppd_calls_save(struct rtppd_calls *m, const char *path);
/* Adds the entries of path; a missing file is an empty map.  Returns the
 * number of malformed lines skipped, or -errno. */
int rtppd_calls_load(struct rtppd_calls *m, const char *path);

#endif /* RTPPD_CALLS_H */
