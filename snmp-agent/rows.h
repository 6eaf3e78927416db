/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure half of the agent: how the library's structs become MIB values
 * and index OIDs, how wall-clock times become TimeStamps, how a reset
 * object's SET is judged, and which notifications a kernel event calls for.
 * Nothing here talks to net-snmp's agent or the kernel, so the unit tests
 * build it alone (tests/unit/test_agent_rows.c).
 */
#ifndef RTPPA_ROWS_H
#define RTPPA_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "rtpproxy.h"

/* One value, ready for snmp_set_var_typed_value(). */
struct rtppa_value {
	u_char type;			/* ASN_* */
	size_t len;
	union {
		long integer;		/* ASN_INTEGER */
		u_long unsigned32;	/* ASN_UNSIGNED, ASN_GAUGE, ASN_TIMETICKS */
		struct counter64 c64;	/* ASN_COUNTER64 */
		u_char octets[16];	/* ASN_OCTET_STR: addresses, DateAndTime */
	} u;
};

/*
 * The clock every value of one cache load is read against: the agent's
 * sysUpTime (hundredths of a second) and the wall clock (ms since the
 * epoch) at that sysUpTime (kernel.c keeps them in step, so that a time
 * converts to the same TimeStamp at every read).  A TimeStamp is the
 * sysUpTime at which something happened: 0 if that was before the agent
 * started.
 */
struct rtppa_clock {
	uint64_t wall_ms;
	uint32_t uptime_cs;
};

uint32_t rtppa_timestamp(const struct rtppa_clock *clk, uint64_t wall_ms);
/* DateAndTime (RFC 2579) of a wall-clock time, in UTC: 11 octets. */
void rtppa_date_and_time(struct rtppa_value *v, uint64_t wall_ms);

/* A stream table row: the stream and its side's always-learn flag.  Its
 * idle time was read with the dump the clock of the load belongs to. */
struct rtppa_stream_row {
	struct rtpp_stream st;
	bool always_learn;
};

/*
 * Values of the global scalars, of a switchboard row, a session row and a
 * stream row.  col is the object's arc (oids.h); they return 0, or -1 for
 * a column that is not readable (the indexes).  A NULL info (module not
 * loaded) gives the scalars' "nothing there" values: zeros.
 */
int rtppa_global_value(const struct rtpp_info *info, uint32_t global_discont_ts,
		       unsigned int col, struct rtppa_value *v);
int rtppa_sb_value(const struct rtpp_sb *sb, const struct rtppa_clock *clk,
		   unsigned int col, struct rtppa_value *v);
int rtppa_sess_value(const struct rtpp_sess *sess, unsigned int col,
		     struct rtppa_value *v);
int rtppa_stream_value(const struct rtppa_stream_row *row,
		       const struct rtppa_clock *clk, unsigned int col,
		       struct rtppa_value *v);

/* Index OIDs: (sb), (sb, session), (sb, session, side, stream); the side
 * and stream are the MIB's a(1)/b(2), rtp(1)/rtcp(2).  They return the
 * number of sub-identifiers written. */
size_t rtppa_sb_index(oid *out, uint32_t sb_id);
size_t rtppa_sess_index(oid *out, uint32_t sb_id, uint32_t sess_id);
size_t rtppa_stream_index(oid *out, uint32_t sb_id, uint32_t sess_id,
			  unsigned int side, unsigned int stream);

/*
 * A SET of a reset object (a TruthValue): the SNMP error to answer in
 * RESERVE1 (SNMP_ERR_NOERROR when acceptable), and in *act whether it
 * asks for the reset (true(1)) or for nothing (false(2)).
 */
int rtppa_reset_check(u_char type, size_t len, const long *value, bool *act);
int rtppa_threshold_check(u_char type, size_t len, const long *value);

/*
 * One phase (SNMP_MSG_INTERNAL_SET_*) of a reset object's SET: checks in
 * RESERVE1, refuses in RESERVE2 when the module is away, calls act(id) once
 * in ACTION for a true(1), says undoFailed in UNDO after a reset was done.
 * Returns the SNMP error status for the variable.
 */
typedef int (*rtppa_reset_fn)(uint32_t id);
int rtppa_set_step(int mode, u_char type, size_t len, const long *value,
		   bool module_present, rtppa_reset_fn act, uint32_t id);

/*
 * Switchboards that are full, to send rtppSbFull once until there is room
 * again.  rtppa_full_event() takes a kernel event and says which
 * notification to send, if any (RTPPA_NOTIFY_*, or 0); rtppa_full_resync()
 * takes a switchboard's state after events were lost and says the same.
 */
struct rtppa_fullset {
	uint32_t *ids;
	size_t n, cap;
};

int rtppa_full_event(struct rtppa_fullset *fs, uint32_t event, uint32_t sb_id);
int rtppa_full_resync(struct rtppa_fullset *fs, uint32_t sb_id, uint32_t free_slots);
/* Forget switchboards not in ids[0..n) (sorted): they are gone. */
void rtppa_full_keep(struct rtppa_fullset *fs, const uint32_t *ids, size_t n);
void rtppa_full_clear(struct rtppa_fullset *fs);

#endif /* RTPPA_ROWS_H */
