/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xt_RTPPROXY: the user/kernel ABI of iptrtpproxy.
 *
 * This header is shared, unchanged, by the kernel module, the iptables
 * extension, the client library and the SNMP agent.  It only uses
 * fixed-width types so that one layout holds for every compiler and word size.
 *
 * 1. The iptables target
 *
 *   -j RTPPROXY --addr-a IP --port-a P [--addr-b IP] [--port-b P]
 *               --max-sess N [--expires-timeout S] [--resurrection-timeout S]
 *
 * defines a switchboard: two gates, A and B, each an IPv4 address and the
 * lowest port of a range of 2*N ports.  Session s owns port first+2*s (RTP)
 * and first+2*s+1 (RTCP) on both gates.  struct xt_rtpproxy_tginfo carries
 * the options exactly as the user gave them (zero, with the matching
 * XT_RTPPROXY_F_* bit clear, means "not given"), so that iptables-save prints
 * back what was typed.  Defaults are resolved by rtpp_conf_resolve() in
 * kmod/conf.c, which the module, the extension and the unit tests all build:
 *
 *   --addr-b               defaults to --addr-a;
 *   --port-b               defaults to --port-a when the gates have different
 *                          addresses, and to port-a + 2*max-sess (the range
 *                          right after gate A's) when they share one;
 *   --max-sess             1 .. XT_RTPPROXY_MAX_SESS, required;
 *   --expires-timeout      seconds without a packet before a session expires,
 *                          1 .. XT_RTPPROXY_MAX_TIMEOUT, default
 *                          XT_RTPPROXY_DEF_EXPIRES;
 *   --resurrection-timeout seconds a deleted or expired session keeps its
 *                          ports (dropping packets) before the slot is free,
 *                          0 .. XT_RTPPROXY_MAX_TIMEOUT, default
 *                          XT_RTPPROXY_DEF_RESURRECTION.
 *
 * Gate ranges must lie within 1..65535, ports must be even (RTP on even
 * ports, RFC 3550 section 11), two gates on one address must not overlap,
 * and no port of either gate may belong to another switchboard of the same
 * network namespace.  A rule that repeats the definition of an existing
 * switchboard (same gates, same size) refers to it: switchboards are
 * refcounted by the rules that define them, so iptables-restore of a ruleset
 * that still defines one keeps its sessions, counters and id.  When rules
 * defining one switchboard give it different timeouts, the longest applies.
 *
 * 2. The control protocol
 *
 * Generic netlink family XT_RTPPROXY_GENL_NAME, one per network namespace
 * (CAP_NET_ADMIN in the namespace's user namespace is required for every
 * command).  Every request carries genlmsghdr.version ==
 * XT_RTPPROXY_GENL_VERSION; the kernel refuses any other version with an
 * extended-ack message naming both, and the family advertises its version so
 * that a client can say the same before sending anything.  Attributes are
 * validated by strict policies: unknown or malformed attributes are refused.
 *
 * Switchboards are named by a nested RTPP_A_SB (RTPP_A_SB_*): either by ID,
 * or by gates.  Gate B values not given are gate A's; when both gates given
 * are equal, the switchboard one of whose gates is that address:port is meant.
 *
 * Sessions carry, for each side (RTPP_A_SESS_SIDE_A/B) and each stream
 * (RTPP_A_SIDE_RTP/RTCP), a nest of RTPP_A_STREAM_* attributes.  On ALLOC,
 * RTCP values not given derive from RTP's: same address, port + 1, same
 * learning timeout.  Addresses are in network byte order, ports in host
 * byte order; times are in milliseconds unless the name says otherwise.
 * Out-of-range values are refused by the policies (ERANGE, with the
 * offending attribute in the extended ack); requests that make no sense
 * get EINVAL with a message; an unknown switchboard ENOENT, a full one
 * ENOSPC.  An UPDATE counts as activity: the expiry timer restarts.
 *
 * ALLOC's reply is the new session, as a listing shows it.  With the flag
 * RTPP_A_BRIEF it only names it: RTPP_A_SB as always, and RTPP_A_SESS with
 * ID, CREATED_MS and, in each side's RTP and RTCP nests, GATE_PORT, for a
 * client that allocates many and needs no echo of what it asked for.  A
 * module that predates the flag refuses it as an unknown attribute; the
 * family's CTRL_ATTR_MAXATTR says beforehand whether the module knows it.
 *
 * Listings (RTPP_CMD_GET_SB, RTPP_CMD_GET_SESS) are dumps, in id order,
 * one socket buffer at a time.  Each object is as it was when its buffer
 * was filled.  When a switchboard or a session of the namespace was added
 * or removed since the dump's first message, the first message made after
 * the change carries NLM_F_DUMP_INTR (NLMSG_DONE, if the change came after
 * the last object; later messages are not flagged again): the listing may
 * then lack an object that came, or show one that went, meanwhile.  A
 * client looks at the flags of every message, and asks again when it needs
 * one consistent view.  (A session's state changing, expiry for one, does
 * not interrupt a dump; its slot being freed does.)
 *
 * Statistics are 64-bit counters.  A reset returns the values it cleared:
 * every packet is counted either in the reply or after it, never lost.
 * RTPP_CMD_RESET of RTPP_RESET_GLOBAL, or of one switchboard named by
 * RTPP_A_SB, is a request with one reply message.  A reset of every
 * switchboard (RTPP_RESET_SB or RTPP_RESET_SB_PACKETS without RTPP_A_SB)
 * is a dump (NLM_F_DUMP): one NLM_F_MULTI message per switchboard, each
 * with one RTPP_A_SB (name and RTPP_A_SB_STATS, the cleared values), then
 * NLMSG_DONE; no message when there is no switchboard.  The kernel clears
 * a switchboard only once its message is in a buffer of the reply, so the
 * reply comes in pieces of one socket buffer however many switchboards
 * there are, and each switchboard's values are cleared atomically (not all
 * switchboards at one instant).  A client must read such a reply to its
 * end: what it does not read is cleared all the same, and a reset is not
 * to be repeated to recover a lost reply.  Change from the first modules
 * of version 1, whose reply to a reset of every switchboard was a single
 * message holding them all: such a request (without NLM_F_DUMP) is now
 * refused with EOPNOTSUPP and an extended-ack message saying to send a
 * dump, and nothing is cleared; a client of the first modules reads the
 * error ("Operation not supported") where it expected the reply.  A client
 * of this one facing a first module gets EOPNOTSUPP for the dump form and
 * may send the single request instead (librtpproxy does).
 * Each set of counters has a discontinuity time (as SNMP's
 * ifCounterDiscontinuityTime): the wall clock, in ms since the epoch, at
 * which it last started again from zero.  A counter's change between two
 * readings is only meaningful when its discontinuity time did not move in
 * between.  The namespace's counters (RTPP_A_STATS) have RTPP_A_DISCONT_MS:
 * set when the namespace's counters start (the module's load, or the
 * namespace's creation) and by every RTPP_RESET_GLOBAL; a switchboard's
 * session counters have RTPP_A_SB_DISCONT_MS and its packet counters
 * RTPP_A_SB_PKT_DISCONT_MS: set when it is created and by RTPP_RESET_SB and
 * RTPP_RESET_SB_PACKETS respectively.  A reset moves only its own.
 *
 * 3. Call quality
 *
 * A session allocated while the module parameter "quality" is on (the
 * default) tracks the quality of its streams, and a listing of it has an
 * RTPP_A_STREAM_QUALITY nest (RTPP_A_Q_*) in each stream; one allocated
 * while it is off has none.  For the RTP a side sends: the SSRC and payload
 * type last seen, SSRC changes, the extended highest sequence number,
 * packets expected and lost, out of order and duplicate, by RFC 3550
 * appendix A.1 and A.3 with these differences: the packets of a source's
 * probation (2 in sequence) count, duplicates within the last 64 sequence
 * numbers are told apart and not counted as received (so "lost" is exact,
 * never negative), and a new SSRC or a restart after a jump carries the
 * figures on rather than starting them again.  Interarrival jitter
 * (appendix A.8) is measured with the kernel's clock for packets whose
 * payload type has a clock rate fixed by RFC 3551 (the static types), in
 * timestamp units and microseconds; it is absent for a stream of dynamic
 * types only.  Relayed packets that are not version 2 or shorter than the
 * 12-byte header count as "not RTP"; RTCP multiplexed on the RTP port (RFC
 * 5761) counts as neither.  For the RTCP a side sends: SR and RR packets,
 * compound packets whose lengths do not add up ("malformed"; they are still
 * relayed), and the fraction lost, cumulative lost and jitter of the last
 * report block about the other side's RTP SSRC (else the first block).  An
 * RTCP packet longer than 512 bytes that is not linear in memory is not
 * looked at.  A listing of switchboards with their session counts, and
 * GET_INFO, also add up the RTP figures of the live sessions
 * (RTPP_A_SB_QUALITY, RTPP_A_QUALITY: RTPP_A_QT_*).  Clients that predate
 * these attributes ignore them: every reply attribute unknown to a client
 * is skipped.
 */
#ifndef _XT_RTPPROXY_H
#define _XT_RTPPROXY_H

#include <linux/types.h>

#define XT_RTPPROXY_MAX_SESS		32767U
#define XT_RTPPROXY_MAX_TIMEOUT		86400U		/* seconds: one day */
#define XT_RTPPROXY_DEF_EXPIRES		60U		/* seconds */
#define XT_RTPPROXY_DEF_RESURRECTION	5U		/* seconds */
#define XT_RTPPROXY_MAX_LEARNING	3600000U	/* ms: one hour */

enum {
	XT_RTPPROXY_F_ADDR_B		= 1 << 0,
	XT_RTPPROXY_F_PORT_B		= 1 << 1,
	XT_RTPPROXY_F_EXPIRES		= 1 << 2,
	XT_RTPPROXY_F_RESURRECTION	= 1 << 3,
	XT_RTPPROXY_F_ALL		= (1 << 4) - 1,
};

struct rtpp_switchboard;

struct xt_rtpproxy_tginfo {
	__be32	addr_a;
	__be32	addr_b;
	__u16	port_a;			/* host byte order, as iptables prints */
	__u16	port_b;
	__u32	max_sess;
	__u32	expires_timeout;	/* seconds */
	__u32	resurrection_timeout;	/* seconds */
	__u32	flags;			/* XT_RTPPROXY_F_* */

	/* Used internally by the kernel: not copied to or compared by user space. */
	struct rtpp_switchboard *sb __attribute__((aligned(8)));
};

#define XT_RTPPROXY_GENL_NAME		"RTPPROXY"
#ifndef XT_RTPPROXY_GENL_VERSION	/* tests build a client of the next one */
#define XT_RTPPROXY_GENL_VERSION	1
#endif
#define XT_RTPPROXY_GENL_MCGRP		"events"

enum rtpp_cmd {
	RTPP_CMD_UNSPEC,
	RTPP_CMD_GET_INFO,		/* do: global info and statistics */
	RTPP_CMD_GET_SB,		/* dump: switchboards (filter RTPP_A_SB) */
	RTPP_CMD_GET_SESS,		/* dump: sessions (filter RTPP_A_SB, range) */
	RTPP_CMD_ALLOC,			/* do: new session; reply is the session */
	RTPP_CMD_UPDATE,		/* do: update a range; reply RTPP_A_COUNT */
	RTPP_CMD_DELETE,		/* do: delete a range; reply RTPP_A_COUNT */
	RTPP_CMD_RESET,			/* do (global, one switchboard) or dump (every
					 * switchboard): RTPP_A_RESET what; reply:
					 * cleared values */
	RTPP_CMD_AUDIT,			/* do: audit now */
	RTPP_CMD_EVENT,			/* multicast: RTPP_A_EVENT and what it is about */
	__RTPP_CMD_MAX,
};
#define RTPP_CMD_MAX (__RTPP_CMD_MAX - 1)

enum rtpp_attr {
	RTPP_A_UNSPEC,
	RTPP_A_PAD,
	RTPP_A_VERSION,			/* u32: reply to GET_INFO */
	RTPP_A_UPTIME_MS,		/* u64: since the module was loaded */
	RTPP_A_SB,			/* nest RTPP_A_SB_* */
	RTPP_A_SESS,			/* nest RTPP_A_SESS_* */
	RTPP_A_SESS_ID_LO,		/* u32 */
	RTPP_A_SESS_ID_HI,		/* u32 */
	RTPP_A_STATS,			/* nest RTPP_A_STAT_* */
	RTPP_A_SESS_STATES,		/* nest RTPP_A_STATE_* (u32 counts) */
	RTPP_A_SB_COUNT,		/* u32 */
	RTPP_A_COUNT,			/* u32: sessions affected */
	RTPP_A_RESET,			/* u32: enum rtpp_reset */
	RTPP_A_EVENT,			/* u32: enum rtpp_event */
	RTPP_A_NO_SESS,			/* flag: SB dump without session counts */
	RTPP_A_DISCONT_MS,		/* u64: wall clock of last global stat reset */
	RTPP_A_QUALITY,			/* nest RTPP_A_QT_*: reply to GET_INFO */
	RTPP_A_BRIEF,			/* flag: ALLOC's reply names the session only */
	__RTPP_A_MAX,
};
#define RTPP_A_MAX (__RTPP_A_MAX - 1)

enum rtpp_sb_attr {
	RTPP_A_SB_UNSPEC,
	RTPP_A_SB_PAD,
	RTPP_A_SB_ID,			/* u32: stable, never reused in a netns */
	RTPP_A_SB_ADDR_A,		/* be32 */
	RTPP_A_SB_PORT_A,		/* u16, host order */
	RTPP_A_SB_ADDR_B,
	RTPP_A_SB_PORT_B,
	RTPP_A_SB_MAX_SESS,		/* u32 */
	RTPP_A_SB_EXPIRES,		/* u32 seconds */
	RTPP_A_SB_RESURRECTION,		/* u32 seconds */
	RTPP_A_SB_RULES,		/* u32: rules referring to it */
	RTPP_A_SB_CREATED_MS,		/* u64: wall clock, ms since the epoch */
	RTPP_A_SB_STATS,		/* nest RTPP_A_STAT_* */
	RTPP_A_SB_STATES,		/* nest RTPP_A_STATE_* */
	RTPP_A_SB_DISCONT_MS,		/* u64: wall clock of last stat reset */
	RTPP_A_SB_PKT_DISCONT_MS,	/* u64: wall clock of last packet reset */
	RTPP_A_SB_QUALITY,		/* nest RTPP_A_QT_*: with RTPP_A_SB_STATES */
	__RTPP_A_SB_MAX,
};
#define RTPP_A_SB_MAX (__RTPP_A_SB_MAX - 1)

enum rtpp_sess_state {
	RTPP_STATE_FREE,		/* not a session: slot is free */
	RTPP_STATE_LEARNING,
	RTPP_STATE_ACTIVE,
	RTPP_STATE_EXPIRED,
	RTPP_STATE_DESTROYED,
	__RTPP_STATE_MAX,
};

/* Session counts by state, in RTPP_A_SESS_STATES / RTPP_A_SB_STATES. */
enum rtpp_state_attr {
	RTPP_A_STATE_UNSPEC,
	RTPP_A_STATE_FREE,		/* u32 */
	RTPP_A_STATE_LEARNING,
	RTPP_A_STATE_ACTIVE,
	RTPP_A_STATE_EXPIRED,
	RTPP_A_STATE_DESTROYED,
	__RTPP_A_STATE_MAX,
};
#define RTPP_A_STATE_MAX (__RTPP_A_STATE_MAX - 1)

enum rtpp_sess_attr {
	RTPP_A_SESS_UNSPEC,
	RTPP_A_SESS_PAD,
	RTPP_A_SESS_ID,			/* u32 slot */
	RTPP_A_SESS_CREATED_MS,		/* u64: wall clock, tells reused slots apart */
	RTPP_A_SESS_STATE,		/* u32: enum rtpp_sess_state */
	RTPP_A_SESS_EXPIRES,		/* u32 seconds 1..; absent on ALLOC: switchboard's */
	RTPP_A_SESS_IDLE_MS,		/* u64: since last packet (or creation) */
	RTPP_A_SESS_SIDE_A,		/* nest RTPP_A_SIDE_* */
	RTPP_A_SESS_SIDE_B,
	__RTPP_A_SESS_MAX,
};
#define RTPP_A_SESS_MAX (__RTPP_A_SESS_MAX - 1)

enum rtpp_side_attr {
	RTPP_A_SIDE_UNSPEC,
	RTPP_A_SIDE_ALWAYS_LEARN,	/* u8 boolean */
	RTPP_A_SIDE_RTP,		/* nest RTPP_A_STREAM_* */
	RTPP_A_SIDE_RTCP,
	__RTPP_A_SIDE_MAX,
};
#define RTPP_A_SIDE_MAX (__RTPP_A_SIDE_MAX - 1)

enum rtpp_stream_attr {
	RTPP_A_STREAM_UNSPEC,
	RTPP_A_STREAM_PAD,
	RTPP_A_STREAM_ADDR,		/* be32: client address, 0 unknown */
	RTPP_A_STREAM_PORT,		/* u16 host order: client port, 0 unknown */
	RTPP_A_STREAM_LEARNING_MS,	/* u32: request: window from now; reply: time left */
	RTPP_A_STREAM_GATE_PORT,	/* u16: this stream's port on its gate */
	RTPP_A_STREAM_LEARNED,		/* u8: address was learned from a packet */
	RTPP_A_STREAM_PACKETS,		/* u64: packets received and relayed */
	RTPP_A_STREAM_BYTES,		/* u64: UDP payload bytes relayed */
	RTPP_A_STREAM_ERRORS,		/* u64: packets received and dropped */
	RTPP_A_STREAM_IDLE_MS,		/* u64: since last packet; absent if none */
	/* appended later, never inserted: */
	RTPP_A_STREAM_QUALITY,		/* nest RTPP_A_Q_*: replies only, when the
					 * session tracks quality (section 3) */
	__RTPP_A_STREAM_MAX,
};
#define RTPP_A_STREAM_MAX (__RTPP_A_STREAM_MAX - 1)

/*
 * Call quality of a stream, in RTPP_A_STREAM_QUALITY (section 3).  Counters
 * are u32 and wrap; every value is for the packets a side sent to its gate
 * and the relay relayed.  An RTP stream's nest has the RTP attributes, an
 * RTCP stream's the RTCP ones.
 */
enum rtpp_quality_attr {
	RTPP_A_Q_UNSPEC,
	RTPP_A_Q_PAD,
	/* RTP streams */
	RTPP_A_Q_NOT_RTP,		/* u32: not version 2, or < 12 bytes */
	RTPP_A_Q_SSRC,			/* u32: last seen; absent before any RTP */
	RTPP_A_Q_PT,			/* u8: payload type last seen; idem */
	RTPP_A_Q_SSRC_CHANGES,		/* u32 */
	RTPP_A_Q_EXT_MAX_SEQ,		/* u32: extended highest sequence number */
	RTPP_A_Q_EXPECTED,		/* u32: packets expected, all sources */
	RTPP_A_Q_LOST,			/* u32: expected less received, >= 0 */
	RTPP_A_Q_OUT_OF_ORDER,		/* u32: older than the highest, not dup */
	RTPP_A_Q_DUPLICATES,		/* u32 */
	RTPP_A_Q_JITTER_TS,		/* u32: timestamp units; with CLOCK_RATE */
	RTPP_A_Q_JITTER_US,		/* u32: microseconds; with CLOCK_RATE */
	RTPP_A_Q_CLOCK_RATE,		/* u32 Hz: of the jitter's payload type;
					 * absent when none is known */
	/* RTCP streams: what this side's endpoint reports (SR/RR) */
	RTPP_A_Q_REPORTS,		/* u32: SR and RR packets */
	RTPP_A_Q_MALFORMED,		/* u32: compound packets that did not parse */
	RTPP_A_Q_FRACTION_LOST,		/* u8: /256, of the last report block;
					 * the three absent before one */
	RTPP_A_Q_CUM_LOST,		/* s32: its cumulative number lost */
	RTPP_A_Q_RTCP_JITTER,		/* u32: its jitter, timestamp units */
	__RTPP_A_Q_MAX,
};
#define RTPP_A_Q_MAX (__RTPP_A_Q_MAX - 1)

/*
 * Call quality totals (section 3), in RTPP_A_SB_QUALITY (a switchboard's
 * live sessions, beside its RTPP_A_SB_STATES) and RTPP_A_QUALITY (every
 * switchboard's, in GET_INFO's reply): the RTP streams of the sessions
 * that track quality, added up when the reply is made.  Streams come and
 * go with their sessions, so these are figures of now, not counters.
 */
enum rtpp_quality_total_attr {
	RTPP_A_QT_UNSPEC,
	RTPP_A_QT_PAD,
	RTPP_A_QT_STREAMS,		/* u32: RTP streams that sent RTP */
	RTPP_A_QT_EXPECTED,		/* u64: their RTPP_A_Q_EXPECTED summed */
	RTPP_A_QT_LOST,			/* u64 */
	RTPP_A_QT_OUT_OF_ORDER,		/* u64 */
	RTPP_A_QT_DUPLICATES,		/* u64 */
	RTPP_A_QT_NOT_RTP,		/* u64: of every RTP stream */
	RTPP_A_QT_JITTER_US_MAX,	/* u32: the worst RTPP_A_Q_JITTER_US;
					 * absent when no stream has one */
	__RTPP_A_QT_MAX,
};
#define RTPP_A_QT_MAX (__RTPP_A_QT_MAX - 1)

/* Counters, in RTPP_A_STATS (global) and RTPP_A_SB_STATS (per switchboard). */
enum rtpp_stat_attr {
	RTPP_A_STAT_UNSPEC,
	RTPP_A_STAT_PAD,
	/* packet statistics */
	RTPP_A_STAT_PACKETS,		/* u64: relayed */
	RTPP_A_STAT_BYTES,		/* u64: UDP payload bytes relayed */
	RTPP_A_STAT_DROP_MALFORMED,	/* u64: truncated, bad lengths, IP options */
	RTPP_A_STAT_DROP_FRAGMENT,	/* u64: IP fragments to a session port */
	RTPP_A_STAT_DROP_CSUM,		/* u64: bad UDP checksum */
	RTPP_A_STAT_DROP_SOURCE,	/* u64: from an address not the client's */
	RTPP_A_STAT_DROP_NO_PEER,	/* u64: other side's client not known */
	RTPP_A_STAT_DROP_EXPIRED,	/* u64: session expired */
	RTPP_A_STAT_DROP_DESTROYED,	/* u64: session in resurrection time */
	RTPP_A_STAT_DROP_ROUTE,		/* u64: no route or output error */
	/* session statistics */
	RTPP_A_STAT_ALLOCS,		/* u64: sessions allocated */
	RTPP_A_STAT_ALLOC_FAILS,	/* u64: allocations refused (full) */
	RTPP_A_STAT_EXPIRATIONS,	/* u64: sessions that expired */
	RTPP_A_STAT_DELETES,		/* u64: sessions deleted */
	/* packet statistics added later: appended, never inserted, so that
	 * no attribute changes number */
	RTPP_A_STAT_DROP_BAD_SOURCE,	/* u64: source refused: martian,
					 * reverse path (rp_filter), IPsec
					 * policy, or not a client address */
	RTPP_A_STAT_DROP_TTL,		/* u64: arrived with TTL <= 1 */
	__RTPP_A_STAT_MAX,
};
#define RTPP_A_STAT_MAX (__RTPP_A_STAT_MAX - 1)

/*
 * Counters are indexed from the first one (arrays of RTPP_STAT_COUNT, index
 * attr - RTPP_STAT_FIRST_PACKET, the first counter).  Which ones are packet statistics (cleared by
 * RTPP_RESET_SB_PACKETS) and which session statistics (RTPP_RESET_SB) is
 * said by the masks below, one bit per attribute: with counters appended as
 * they come, neither set is a contiguous range.  RTPP_RESET_GLOBAL clears
 * both.
 */
#define RTPP_STAT_FIRST_PACKET	RTPP_A_STAT_PACKETS
#define RTPP_STAT_COUNT		(RTPP_A_STAT_MAX - RTPP_STAT_FIRST_PACKET + 1)
#define RTPP_STAT_BIT(attr)	(1ULL << (attr))
#define RTPP_STAT_PACKET_MASK						\
	(RTPP_STAT_BIT(RTPP_A_STAT_PACKETS) |				\
	 RTPP_STAT_BIT(RTPP_A_STAT_BYTES) |				\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_MALFORMED) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_FRAGMENT) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_CSUM) |				\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_SOURCE) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_NO_PEER) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_EXPIRED) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_DESTROYED) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_ROUTE) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_BAD_SOURCE) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DROP_TTL))
#define RTPP_STAT_SESS_MASK						\
	(RTPP_STAT_BIT(RTPP_A_STAT_ALLOCS) |				\
	 RTPP_STAT_BIT(RTPP_A_STAT_ALLOC_FAILS) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_EXPIRATIONS) |			\
	 RTPP_STAT_BIT(RTPP_A_STAT_DELETES))
#define RTPP_STAT_ALL_MASK	(RTPP_STAT_PACKET_MASK | RTPP_STAT_SESS_MASK)

enum rtpp_reset {
	RTPP_RESET_GLOBAL = 1,		/* global statistics */
	RTPP_RESET_SB,			/* switchboard session statistics */
	RTPP_RESET_SB_PACKETS,		/* switchboard packet statistics */
};

enum rtpp_event {
	RTPP_EVENT_SESS_EXPIRED = 1,	/* RTPP_A_SB (id) + RTPP_A_SESS (id, created) */
	RTPP_EVENT_SESS_DESTROYED,	/* slot freed after resurrection time */
	RTPP_EVENT_SB_FULL,		/* RTPP_A_SB: an allocation was refused */
	RTPP_EVENT_SB_CREATED,		/* RTPP_A_SB */
	RTPP_EVENT_SB_DESTROYED,	/* RTPP_A_SB */
};

#endif /* _XT_RTPPROXY_H */
