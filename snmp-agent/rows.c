// SPDX-License-Identifier: GPL-2.0
/*
 * From the library's structs to MIB values, index OIDs and notifications
 * (see rows.h).  Column numbers are the MIB's, named in oids.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "oids.h"
#include "rows.h"

#define TV_TRUE		1
#define TV_FALSE	2

static void set_u32(struct rtppa_value *v, u_char type, uint64_t x)
{
	v->type = type;
	v->u.unsigned32 = x > UINT32_MAX ? UINT32_MAX : (u_long)x;
	v->len = sizeof(v->u.unsigned32);
}

static void set_int(struct rtppa_value *v, long x)
{
	v->type = ASN_INTEGER;
	v->u.integer = x;
	v->len = sizeof(v->u.integer);
}

static void set_c64(struct rtppa_value *v, uint64_t x)
{
	v->type = ASN_COUNTER64;
	v->u.c64.high = x >> 32;
	v->u.c64.low = x & 0xffffffffu;
	v->len = sizeof(v->u.c64);
}

static void set_truth(struct rtppa_value *v, bool b)
{
	set_int(v, b ? TV_TRUE : TV_FALSE);
}

/* InetAddressType: unknown(0) or ipv4(1). */
static void set_addr_type(struct rtppa_value *v, uint32_t addr)
{
	set_int(v, addr ? 1 : 0);
}

/* InetAddress: four octets in network order, none while unknown. */
static void set_addr(struct rtppa_value *v, uint32_t addr_be)
{
	v->type = ASN_OCTET_STR;
	v->len = addr_be ? 4 : 0;
	memcpy(v->u.octets, &addr_be, 4);
}

/*
 * The counters' arcs, from the first counter's (rtppPackets,
 * rtppSbPackets): the kernel's RTPP_A_STAT_* of each.  Both blocks list
 * them in the same order.
 */
static const unsigned char stat_of_arc[] = {
	RTPP_A_STAT_PACKETS, RTPP_A_STAT_BYTES, RTPP_A_STAT_DROP_MALFORMED,
	RTPP_A_STAT_DROP_FRAGMENT, RTPP_A_STAT_DROP_CSUM, RTPP_A_STAT_DROP_SOURCE,
	RTPP_A_STAT_DROP_NO_PEER, RTPP_A_STAT_DROP_EXPIRED,
	RTPP_A_STAT_DROP_DESTROYED, RTPP_A_STAT_DROP_ROUTE, RTPP_A_STAT_ALLOCS,
	RTPP_A_STAT_ALLOC_FAILS, RTPP_A_STAT_EXPIRATIONS, RTPP_A_STAT_DELETES,
};

/* The counters added later, after the reset objects' arcs: from
 * rtppDropBadSource and rtppSbDropBadSource on. */
static const unsigned char stat_of_late_arc[] = {
	RTPP_A_STAT_DROP_BAD_SOURCE, RTPP_A_STAT_DROP_TTL,
};

_Static_assert(sizeof(stat_of_arc) == RTPPA_G_DELETIONS - RTPPA_G_PACKETS + 1 &&
	       sizeof(stat_of_arc) == RTPPA_SB_DELETIONS - RTPPA_SB_PACKETS + 1,
	       "a counter for every arc");
_Static_assert(sizeof(stat_of_late_arc) == RTPPA_G_DROP_TTL - RTPPA_G_DROP_BAD_SOURCE + 1 &&
	       sizeof(stat_of_late_arc) == RTPPA_SB_DROP_TTL - RTPPA_SB_DROP_BAD_SOURCE + 1,
	       "a counter for every late arc");
_Static_assert(sizeof(stat_of_arc) + sizeof(stat_of_late_arc) == RTPP_STAT_COUNT,
	       "an arc for every counter");

static uint64_t stat_at(const uint64_t *stats, unsigned int arc_from_first)
{
	return stats[RTPP_STAT_INDEX(stat_of_arc[arc_from_first])];
}

static uint64_t late_stat_at(const uint64_t *stats, unsigned int arc_from_first)
{
	return stats[RTPP_STAT_INDEX(stat_of_late_arc[arc_from_first])];
}

uint32_t rtppa_timestamp(const struct rtppa_clock *clk, uint64_t wall_ms)
{
	uint64_t ago_cs;

	if (wall_ms >= clk->wall_ms)
		return clk->uptime_cs;
	ago_cs = (clk->wall_ms - wall_ms) / 10;
	return ago_cs >= clk->uptime_cs ? 0 : clk->uptime_cs - (uint32_t)ago_cs;
}

void rtppa_date_and_time(struct rtppa_value *v, uint64_t wall_ms)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	u_char *o = v->u.octets;

	gmtime_r(&t, &tm);
	v->type = ASN_OCTET_STR;
	v->len = 11;
	o[0] = (tm.tm_year + 1900) >> 8;
	o[1] = (tm.tm_year + 1900) & 0xff;
	o[2] = tm.tm_mon + 1;
	o[3] = tm.tm_mday;
	o[4] = tm.tm_hour;
	o[5] = tm.tm_min;
	o[6] = tm.tm_sec;
	o[7] = (wall_ms % 1000) / 100;		/* deci-seconds */
	o[8] = '+';
	o[9] = 0;
	o[10] = 0;
}

int rtppa_global_value(const struct rtpp_info *info, uint32_t global_discont_ts,
		       unsigned int col, struct rtppa_value *v)
{
	static const struct rtpp_info none;

	if (!info)
		info = &none;
	switch (col) {
	case RTPPA_G_UPTIME:
		set_u32(v, ASN_TIMETICKS, info->uptime_ms / 10);
		return 0;
	case RTPPA_G_VERSION:
		set_u32(v, ASN_UNSIGNED, info->version);
		return 0;
	case RTPPA_G_SWITCHBOARDS:
		set_u32(v, ASN_GAUGE, info->sb_count);
		return 0;
	case RTPPA_G_SESS_LEARNING ... RTPPA_G_SESS_DESTROYED:
		set_u32(v, ASN_GAUGE,
			info->states[RTPP_STATE_LEARNING + col - RTPPA_G_SESS_LEARNING]);
		return 0;
	case RTPPA_G_PACKETS ... RTPPA_G_DELETIONS:
		set_c64(v, stat_at(info->stats, col - RTPPA_G_PACKETS));
		return 0;
	case RTPPA_G_DISCONT:
		set_u32(v, ASN_TIMETICKS, global_discont_ts);
		return 0;
	case RTPPA_G_RESET:
		set_truth(v, false);
		return 0;
	case RTPPA_G_DROP_BAD_SOURCE ... RTPPA_G_DROP_TTL:
		set_c64(v, late_stat_at(info->stats, col - RTPPA_G_DROP_BAD_SOURCE));
		return 0;
	}
	return -1;
}

int rtppa_sb_value(const struct rtpp_sb *sb, const struct rtppa_clock *clk,
		   unsigned int col, struct rtppa_value *v)
{
	switch (col) {
	case RTPPA_SB_ADDR_TYPE_A:
		set_addr_type(v, sb->addr_a);
		return 0;
	case RTPPA_SB_ADDR_A:
		set_addr(v, sb->addr_a);
		return 0;
	case RTPPA_SB_PORT_A:
		set_u32(v, ASN_UNSIGNED, sb->port_a);
		return 0;
	case RTPPA_SB_ADDR_TYPE_B:
		set_addr_type(v, sb->addr_b);
		return 0;
	case RTPPA_SB_ADDR_B:
		set_addr(v, sb->addr_b);
		return 0;
	case RTPPA_SB_PORT_B:
		set_u32(v, ASN_UNSIGNED, sb->port_b);
		return 0;
	case RTPPA_SB_MAX_SESS:
		set_u32(v, ASN_UNSIGNED, sb->max_sess);
		return 0;
	case RTPPA_SB_EXPIRES:
		set_u32(v, ASN_UNSIGNED, sb->expires);
		return 0;
	case RTPPA_SB_RESURRECTION:
		set_u32(v, ASN_UNSIGNED, sb->resurrection);
		return 0;
	case RTPPA_SB_RULES:
		set_u32(v, ASN_GAUGE, sb->rules);
		return 0;
	case RTPPA_SB_CREATED:
		rtppa_date_and_time(v, sb->created_ms);
		return 0;
	case RTPPA_SB_SESS_FREE ... RTPPA_SB_SESS_DESTROYED:
		set_u32(v, ASN_GAUGE, sb->states[col - RTPPA_SB_SESS_FREE]);
		return 0;
	case RTPPA_SB_PACKETS ... RTPPA_SB_DELETIONS:
		set_c64(v, stat_at(sb->stats, col - RTPPA_SB_PACKETS));
		return 0;
	case RTPPA_SB_DISCONT:
		set_u32(v, ASN_TIMETICKS, rtppa_timestamp(clk, sb->discont_ms));
		return 0;
	case RTPPA_SB_PKT_DISCONT:
		set_u32(v, ASN_TIMETICKS, rtppa_timestamp(clk, sb->pkt_discont_ms));
		return 0;
	case RTPPA_SB_RESET:
	case RTPPA_SB_RESET_PACKETS:
		set_truth(v, false);
		return 0;
	case RTPPA_SB_DROP_BAD_SOURCE ... RTPPA_SB_DROP_TTL:
		set_c64(v, late_stat_at(sb->stats, col - RTPPA_SB_DROP_BAD_SOURCE));
		return 0;
	}
	return -1;
}

int rtppa_sess_value(const struct rtpp_sess *sess, unsigned int col,
		     struct rtppa_value *v)
{
	switch (col) {
	case RTPPA_SESS_STATE:
		/* the MIB's learning(1)..destroyed(4) are the kernel's states */
		set_int(v, sess->state);
		return 0;
	case RTPPA_SESS_CREATED:
		rtppa_date_and_time(v, sess->created_ms);
		return 0;
	case RTPPA_SESS_EXPIRES:
		set_u32(v, ASN_UNSIGNED, sess->expires);
		return 0;
	case RTPPA_SESS_IDLE:
		set_u32(v, ASN_UNSIGNED, sess->idle_ms);
		return 0;
	}
	return -1;
}

/*
 * Call quality columns: every row has them all (a table with holes walks
 * badly), 0 where they do not apply: a session that does not track
 * quality, the RTP columns of an RTCP row and the reverse.  The decoder
 * leaves what the kernel did not send at 0.
 */
static int quality_value(const struct rtpp_stream_quality *q, unsigned int col,
			 struct rtppa_value *v)
{
	switch (col) {
	case RTPPA_ST_QUALITY_TRACKED:
		set_truth(v, q->has);
		return 0;
	case RTPPA_ST_NOT_RTP:
		set_u32(v, ASN_COUNTER, q->not_rtp);
		return 0;
	case RTPPA_ST_SSRC:
		set_u32(v, ASN_UNSIGNED, q->ssrc);
		return 0;
	case RTPPA_ST_PT:
		set_int(v, q->has_ssrc ? q->pt : -1);
		return 0;
	case RTPPA_ST_SSRC_CHANGES:
		set_u32(v, ASN_COUNTER, q->ssrc_changes);
		return 0;
	case RTPPA_ST_HIGHEST_SEQ:
		set_u32(v, ASN_UNSIGNED, q->ext_max_seq);
		return 0;
	case RTPPA_ST_EXPECTED:
		set_u32(v, ASN_COUNTER, q->expected);
		return 0;
	case RTPPA_ST_LOST:
		set_u32(v, ASN_GAUGE, q->lost);
		return 0;
	case RTPPA_ST_OUT_OF_ORDER:
		set_u32(v, ASN_COUNTER, q->out_of_order);
		return 0;
	case RTPPA_ST_DUPLICATES:
		set_u32(v, ASN_COUNTER, q->duplicates);
		return 0;
	case RTPPA_ST_JITTER:
		set_u32(v, ASN_GAUGE, q->jitter_ts);
		return 0;
	case RTPPA_ST_JITTER_US:
		set_u32(v, ASN_GAUGE, q->jitter_us);
		return 0;
	case RTPPA_ST_REPORTS:
		set_u32(v, ASN_COUNTER, q->reports);
		return 0;
	case RTPPA_ST_MALFORMED_RTCP:
		set_u32(v, ASN_COUNTER, q->malformed);
		return 0;
	case RTPPA_ST_REP_FRACTION_LOST:
		set_u32(v, ASN_GAUGE, q->fraction_lost);
		return 0;
	case RTPPA_ST_REP_LOST:
		set_int(v, q->cum_lost);
		return 0;
	case RTPPA_ST_REP_JITTER:
		set_u32(v, ASN_GAUGE, q->rtcp_jitter);
		return 0;
	}
	return -1;
}

int rtppa_stream_value(const struct rtppa_stream_row *row,
		       const struct rtppa_clock *clk, unsigned int col,
		       struct rtppa_value *v)
{
	const struct rtpp_stream *st = &row->st;

	if (col >= RTPPA_ST_QUALITY_TRACKED)
		return quality_value(&st->q, col, v);
	switch (col) {
	case RTPPA_ST_ADDR_TYPE:
		set_addr_type(v, st->addr);
		return 0;
	case RTPPA_ST_ADDR:
		set_addr(v, st->addr);
		return 0;
	case RTPPA_ST_PORT:
		set_u32(v, ASN_UNSIGNED, st->port);
		return 0;
	case RTPPA_ST_LEARNED:
		set_truth(v, st->learned);
		return 0;
	case RTPPA_ST_LEARNING_LEFT:
		set_u32(v, ASN_UNSIGNED, st->learning_ms);
		return 0;
	case RTPPA_ST_ALWAYS_LEARN:
		set_truth(v, row->always_learn);
		return 0;
	case RTPPA_ST_GATE_PORT:
		set_u32(v, ASN_UNSIGNED, st->gate_port);
		return 0;
	case RTPPA_ST_PACKETS:
		set_c64(v, st->packets);
		return 0;
	case RTPPA_ST_BYTES:
		set_c64(v, st->bytes);
		return 0;
	case RTPPA_ST_ERRORS:
		set_c64(v, st->errors);
		return 0;
	case RTPPA_ST_LAST_PACKET:
		set_u32(v, ASN_TIMETICKS, !st->has_idle ? 0 :
			rtppa_timestamp(clk, st->idle_ms > clk->wall_ms ? 0 :
					clk->wall_ms - st->idle_ms));
		return 0;
	}
	return -1;
}

size_t rtppa_sb_index(oid *out, uint32_t sb_id)
{
	out[0] = sb_id;
	return 1;
}

size_t rtppa_sess_index(oid *out, uint32_t sb_id, uint32_t sess_id)
{
	out[0] = sb_id;
	out[1] = sess_id;
	return 2;
}

size_t rtppa_stream_index(oid *out, uint32_t sb_id, uint32_t sess_id,
			  unsigned int side, unsigned int stream)
{
	out[0] = sb_id;
	out[1] = sess_id;
	out[2] = side + 1;
	out[3] = stream + 1;
	return 4;
}

int rtppa_reset_check(u_char type, size_t len, const long *value, bool *act)
{
	if (type != ASN_INTEGER)
		return SNMP_ERR_WRONGTYPE;
	if (len != sizeof(long))
		return SNMP_ERR_WRONGLENGTH;
	if (*value != TV_TRUE && *value != TV_FALSE)
		return SNMP_ERR_WRONGVALUE;
	*act = *value == TV_TRUE;
	return SNMP_ERR_NOERROR;
}

/* rtppQualityLossThreshold: Unsigned32 (0..100). */
int rtppa_threshold_check(u_char type, size_t len, const long *value)
{
	if (type != ASN_UNSIGNED)
		return SNMP_ERR_WRONGTYPE;
	if (len != sizeof(long))
		return SNMP_ERR_WRONGLENGTH;
	if ((unsigned long)*value > 100)
		return SNMP_ERR_WRONGVALUE;
	return SNMP_ERR_NOERROR;
}

int rtppa_set_step(int mode, u_char type, size_t len, const long *value,
		   bool module_present, rtppa_reset_fn act, uint32_t id)
{
	bool doit = false;
	int err = rtppa_reset_check(type, len, value, &doit);

	switch (mode) {
	case SNMP_MSG_INTERNAL_SET_RESERVE1:
		return err;
	case SNMP_MSG_INTERNAL_SET_RESERVE2:
		return doit && !module_present ? SNMP_ERR_RESOURCEUNAVAILABLE : 0;
	case SNMP_MSG_INTERNAL_SET_ACTION:
		return doit ? act(id) : SNMP_ERR_NOERROR;
	case SNMP_MSG_INTERNAL_SET_UNDO:
		/* Values that passed RESERVE1 only get here: a true(1) was
		 * acted on, and counters cleared stay cleared. */
		return doit ? SNMP_ERR_UNDOFAILED : SNMP_ERR_NOERROR;
	}
	return SNMP_ERR_NOERROR;	/* COMMIT, FREE: nothing left to do */
}

/* --- full switchboards --------------------------------------------------- */

static size_t full_find(const struct rtppa_fullset *fs, uint32_t id, bool *found)
{
	size_t lo = 0, hi = fs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fs->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < fs->n && fs->ids[lo] == id;
	return lo;
}

/* Returns whether the set changed; on no memory it forgets nothing and
 * adds nothing, so the worst is a second rtppSbFull. */
static bool full_set(struct rtppa_fullset *fs, uint32_t id, bool full)
{
	bool found;
	size_t i = full_find(fs, id, &found);

	if (found == full)
		return false;
	if (!full) {
		memmove(&fs->ids[i], &fs->ids[i + 1], (fs->n - i - 1) * sizeof(*fs->ids));
		fs->n--;
		return true;
	}
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? 2 * fs->cap : 8;
		uint32_t *ids = realloc(fs->ids, cap * sizeof(*ids));

		if (!ids)
			return true;
		fs->ids = ids;
		fs->cap = cap;
	}
	memmove(&fs->ids[i + 1], &fs->ids[i], (fs->n - i) * sizeof(*fs->ids));
	fs->ids[i] = id;
	fs->n++;
	return true;
}

int rtppa_full_event(struct rtppa_fullset *fs, uint32_t event, uint32_t sb_id)
{
	switch (event) {
	case RTPP_EVENT_SB_FULL:
		return full_set(fs, sb_id, true) ? RTPPA_NOTIFY_SB_FULL : 0;
	case RTPP_EVENT_SESS_DESTROYED:
		/* a slot was freed: the only way a switchboard gets room */
		return full_set(fs, sb_id, false) ? RTPPA_NOTIFY_SB_NOT_FULL : 0;
	case RTPP_EVENT_SB_DESTROYED:
		full_set(fs, sb_id, false);
		return 0;
	}
	return 0;
}

int rtppa_full_resync(struct rtppa_fullset *fs, uint32_t sb_id, uint32_t free_slots)
{
	bool found;

	full_find(fs, sb_id, &found);
	if (!found || !free_slots)
		return 0;
	full_set(fs, sb_id, false);
	return RTPPA_NOTIFY_SB_NOT_FULL;
}

void rtppa_full_keep(struct rtppa_fullset *fs, const uint32_t *ids, size_t n)
{
	size_t i, j = 0, out = 0;

	for (i = 0; i < fs->n; i++) {
		while (j < n && ids[j] < fs->ids[i])
			j++;
		if (j < n && ids[j] == fs->ids[i])
			fs->ids[out++] = fs->ids[i];
	}
	fs->n = out;
}

void rtppa_full_clear(struct rtppa_fullset *fs)
{
	free(fs->ids);
	memset(fs, 0, sizeof(*fs));
}
