/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where IPTRTPPROXY-MIB lives: the one place the agent names the
 * enterprise arc.  32473 is RFC 5612's Private Enterprise Number for
 * documentation; when the project gets a number of its own, change
 * RTPPA_ENTERPRISE here and the MODULE-IDENTITY's arc in
 * mibs/IPTRTPPROXY-MIB.txt, nothing else.
 */
#ifndef RTPPA_OIDS_H
#define RTPPA_OIDS_H

#include <xt_RTPPROXY.h>

#define RTPPA_ENTERPRISE	32473
#define RTPPA_MIB_ARC		77

/* iptrtpproxyMIB, then the arc below it */
#define RTPPA_MIB_OID(...)	{ 1, 3, 6, 1, 4, 1, RTPPA_ENTERPRISE, RTPPA_MIB_ARC, __VA_ARGS__ }

/* rtppNotifications (.0) */
enum {
	RTPPA_NOTIFY_SB_FULL = 1,
	RTPPA_NOTIFY_SB_NOT_FULL,
	RTPPA_NOTIFY_SB_CREATED,
	RTPPA_NOTIFY_SB_DESTROYED,
};

/* rtppObjects (.1) */
enum {
	RTPPA_GLOBAL = 1,
	RTPPA_SB_TABLE,
	RTPPA_SESS_TABLE,
	RTPPA_STREAM_TABLE,
};

/*
 * Arcs are the MIB's and never move: a counter the kernel gains later gets
 * a new arc after the last, whatever its place in enum rtpp_stat_attr
 * (rows.c maps counters to arcs).
 */

/* rtppGlobal scalars */
enum {
	RTPPA_G_UPTIME = 1,
	RTPPA_G_VERSION,
	RTPPA_G_SWITCHBOARDS,
	RTPPA_G_SESS_LEARNING,		/* .. RTPPA_G_SESS_DESTROYED: by state */
	RTPPA_G_SESS_ACTIVE,
	RTPPA_G_SESS_EXPIRED,
	RTPPA_G_SESS_DESTROYED,
	RTPPA_G_PACKETS = 8,		/* .. RTPPA_G_DELETIONS: counters */
	RTPPA_G_DELETIONS = 21,
	RTPPA_G_DISCONT = 22,
	RTPPA_G_RESET = 23,
	RTPPA_G_DROP_BAD_SOURCE = 24,	/* .. RTPPA_G_DROP_TTL: counters added */
	RTPPA_G_DROP_TTL = 25,
	RTPPA_G_LAST = RTPPA_G_DROP_TTL,
};

/* rtppSbEntry columns */
enum {
	RTPPA_SB_ID = 1,
	RTPPA_SB_ADDR_TYPE_A,
	RTPPA_SB_ADDR_A,
	RTPPA_SB_PORT_A,
	RTPPA_SB_ADDR_TYPE_B,
	RTPPA_SB_ADDR_B,
	RTPPA_SB_PORT_B,
	RTPPA_SB_MAX_SESS,
	RTPPA_SB_EXPIRES,
	RTPPA_SB_RESURRECTION,
	RTPPA_SB_RULES,
	RTPPA_SB_CREATED,
	RTPPA_SB_SESS_FREE = 13,	/* .. RTPPA_SB_SESS_DESTROYED: by state */
	RTPPA_SB_SESS_DESTROYED = 17,
	RTPPA_SB_PACKETS = 18,		/* .. RTPPA_SB_DELETIONS: counters */
	RTPPA_SB_DELETIONS = 31,
	RTPPA_SB_DISCONT = 32,
	RTPPA_SB_PKT_DISCONT = 33,
	RTPPA_SB_RESET = 34,
	RTPPA_SB_RESET_PACKETS = 35,
	RTPPA_SB_DROP_BAD_SOURCE = 36,	/* .. RTPPA_SB_DROP_TTL: counters added */
	RTPPA_SB_DROP_TTL = 37,
	RTPPA_SB_LAST = RTPPA_SB_DROP_TTL,
};

/* rtppSessEntry columns */
enum {
	RTPPA_SESS_ID = 1,
	RTPPA_SESS_STATE,
	RTPPA_SESS_CREATED,
	RTPPA_SESS_EXPIRES,
	RTPPA_SESS_IDLE,
	RTPPA_SESS_LAST = RTPPA_SESS_IDLE,
};

/* rtppStreamEntry columns */
enum {
	RTPPA_ST_SIDE = 1,
	RTPPA_ST_TYPE,
	RTPPA_ST_ADDR_TYPE,
	RTPPA_ST_ADDR,
	RTPPA_ST_PORT,
	RTPPA_ST_LEARNED,
	RTPPA_ST_LEARNING_LEFT,
	RTPPA_ST_ALWAYS_LEARN,
	RTPPA_ST_GATE_PORT,
	RTPPA_ST_PACKETS,
	RTPPA_ST_BYTES,
	RTPPA_ST_ERRORS,
	RTPPA_ST_LAST_PACKET,
	RTPPA_ST_LAST = RTPPA_ST_LAST_PACKET,
};

#endif /* RTPPA_OIDS_H */
