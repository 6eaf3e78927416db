/* SPDX-License-Identifier: GPL-2.0 */
/*
 * librtpproxy: the client side of the xt_RTPPROXY control protocol.
 *
 * This library is the only code that speaks the generic netlink family
 * XT_RTPPROXY_GENL_NAME (see xt_RTPPROXY.h for the wire contract).  The
 * command line tool and the SNMP agent use it; nothing else should.
 *
 * Conventions:
 *  - Functions return 0 (or a count) on success and a negative code on
 *    failure: either a negated errno value (from the kernel or the socket:
 *    -ENOENT no such switchboard, -ENOSPC switchboard full, -EPERM missing
 *    CAP_NET_ADMIN, -EINVAL a request the kernel refused) or one of the
 *    RTPP_ERR_* codes below.  rtpp_strerror() turns either into text, and
 *    rtpp_last_extack() gives the kernel's own message, when it sent one.
 *  - Addresses are IPv4 in network byte order (as in struct in_addr),
 *    ports in host byte order, times in milliseconds unless the name says
 *    otherwise; wall-clock times are milliseconds since the Unix epoch.
 *  - Listings (rtpp_list_sb*, rtpp_list_sess) show one view: the callback
 *    sees one decoded object at a time, valid only during the call, each
 *    object once, in id order, all from one reply in which no switchboard
 *    or session came or went.  To that end the library reads the kernel's
 *    whole reply before the first call (memory: about 400 bytes a
 *    session, 700 with call quality), and asks again when the kernel
 *    says the reply was interrupted by such a change (up to 5 replies in
 *    all, pausing 10, 20, 40, 80 ms between them; rtpp_last_restarts()
 *    says how many were thrown away).  When every reply was interrupted the listing returns
 *    RTPP_ERR_INTR without calling the callback at all: nothing seen is to
 *    be taken back.  A callback returns 0 to go on; any other value stops
 *    the listing, and the listing function returns that value.
 *  - A handle is not thread-safe; use one per thread.
 *  - A handle is bound to the family as it was when opened: after the
 *    module is unloaded (requests then fail, events stop), close it and
 *    open a new one.  rtpp_open() looks the family up by name, which makes
 *    the kernel load the module when it is not loaded (given the right to);
 *    rtpp_open_flags() with RTPP_OPEN_NO_LOAD never does (for monitors such
 *    as the SNMP agent, which must not be what loads it).
 *  - Discontinuity times (see xt_RTPPROXY.h) are wall-clock times at which
 *    a set of counters last started from zero: compare two readings of a
 *    counter only when its discontinuity time is the same in both.
 */
#ifndef RTPPROXY_H
#define RTPPROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xt_RTPPROXY.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Library error codes: negative, outside the errno range. */
enum rtpp_error {
	RTPP_ERR_NO_MODULE	= -4096,	/* family not registered */
	RTPP_ERR_VERSION	= -4097,	/* kernel speaks another version */
	RTPP_ERR_PROTO		= -4098,	/* malformed or unexpected reply */
	RTPP_ERR_NO_EVENTS	= -4099,	/* no events group, or not subscribed */
	RTPP_ERR_INTR		= -4100,	/* listing interrupted, every try */
};

enum { RTPP_SIDE_A, RTPP_SIDE_B, RTPP_SIDES };
enum { RTPP_STREAM_RTP, RTPP_STREAM_RTCP, RTPP_STREAMS };
#define RTPP_STATES		__RTPP_STATE_MAX
/* index into the stats[] arrays below */
#define RTPP_STAT_INDEX(attr)	((attr) - RTPP_STAT_FIRST_PACKET)
/* Is the counter at index i one of RTPP_STAT_*_MASK's? */
#define RTPP_STAT_IN(mask, i)	(((mask) & RTPP_STAT_BIT((i) + RTPP_STAT_FIRST_PACKET)) != 0)

/* Names a switchboard (request side): by id, or by its gates. */
struct rtpp_sb_spec {
	bool has_id, has_addr_a, has_port_a, has_addr_b, has_port_b;
	uint32_t id;
	uint32_t addr_a, addr_b;		/* network order */
	uint16_t port_a, port_b;		/* gates' first ports */
};

/* A switchboard as the kernel describes it (reply side). */
struct rtpp_sb_ref {
	uint32_t id;
	uint32_t addr_a, addr_b;
	uint16_t port_a, port_b;
};

/*
 * Call quality totals (xt_RTPPROXY.h, RTPP_A_QT_*): of a switchboard's live
 * sessions, or of every switchboard's; has is false when the kernel did
 * not send them (a listing without session counts, an older kernel).
 */
struct rtpp_quality_totals {
	bool has;
	uint32_t streams;			/* RTP streams that sent RTP */
	uint64_t expected, lost, out_of_order, duplicates, not_rtp;
	bool has_jitter;
	uint32_t jitter_us_max;			/* the worst stream's */
};

struct rtpp_sb {
	uint32_t id;
	uint32_t addr_a, addr_b;
	uint16_t port_a, port_b;
	uint32_t max_sess;
	uint32_t expires;			/* seconds */
	uint32_t resurrection;			/* seconds */
	uint32_t rules;				/* iptables rules defining it */
	uint64_t created_ms;			/* wall clock */
	uint64_t stats[RTPP_STAT_COUNT];	/* RTPP_STAT_INDEX(RTPP_A_STAT_*) */
	bool has_states;			/* false when dumped with NO_STATES */
	uint32_t states[RTPP_STATES];		/* by enum rtpp_sess_state */
	uint64_t discont_ms;			/* wall clock of last stat reset */
	uint64_t pkt_discont_ms;		/* ... of last packet stat reset */
	struct rtpp_quality_totals quality;	/* with the states */
};

struct rtpp_stats {
	uint64_t stats[RTPP_STAT_COUNT];	/* RTPP_STAT_INDEX(RTPP_A_STAT_*) */
};

struct rtpp_info {
	uint32_t version;			/* the kernel's protocol version */
	uint64_t uptime_ms;
	uint32_t sb_count;
	uint32_t states[RTPP_STATES];		/* sessions by state */
	struct rtpp_quality_totals quality;	/* every switchboard's */
	uint64_t stats[RTPP_STAT_COUNT];
	uint64_t discont_ms;			/* wall clock of the last global
						 * reset, or of the namespace's
						 * counters' start; 0: the
						 * kernel did not say (older) */
};

/*
 * Call quality of a stream (xt_RTPPROXY.h section 3): has is false when the
 * session does not track it (or the kernel predates it).  RTP figures in
 * an RTP stream, RTCP figures in an RTCP stream; 32-bit counters wrap.
 */
struct rtpp_stream_quality {
	bool has;
	/* RTP */
	uint32_t not_rtp, ssrc_changes;
	uint32_t expected, lost, out_of_order, duplicates;
	bool has_ssrc;				/* ssrc, pt, ext_max_seq */
	uint32_t ssrc;
	uint8_t pt;
	uint32_t ext_max_seq;
	bool has_jitter;			/* jitter_*, clock_rate */
	uint32_t jitter_ts, jitter_us, clock_rate;
	/* RTCP: what this side's endpoint reports */
	uint32_t reports, malformed;
	bool has_report;			/* the three below */
	uint8_t fraction_lost;			/* /256 */
	int32_t cum_lost;
	uint32_t rtcp_jitter;			/* timestamp units */
};

struct rtpp_stream {
	uint32_t addr;				/* client; 0 unknown */
	uint16_t port;				/* client; 0 unknown */
	uint32_t learning_ms;
	uint16_t gate_port;			/* this stream's port on its gate */
	bool learned;
	uint64_t packets, bytes, errors;
	bool has_idle;				/* false: no packet yet */
	uint64_t idle_ms;
	struct rtpp_stream_quality q;
};

struct rtpp_side {
	bool always_learn;
	struct rtpp_stream stream[RTPP_STREAMS];
};

struct rtpp_sess {
	struct rtpp_sb_ref sb;
	uint32_t id;
	uint64_t created_ms;			/* wall clock */
	uint32_t state;				/* enum rtpp_sess_state */
	uint32_t expires;			/* seconds */
	uint64_t idle_ms;
	struct rtpp_side side[RTPP_SIDES];
};

/* ALLOC and UPDATE parameters: only what is marked given is sent. */
struct rtpp_stream_params {
	bool has_addr, has_port, has_learning;
	uint32_t addr;				/* network order */
	uint16_t port;
	uint32_t learning_ms;
};

struct rtpp_side_params {
	bool has_always_learn;
	bool always_learn;
	struct rtpp_stream_params stream[RTPP_STREAMS];
};

struct rtpp_sess_params {
	bool has_expires;
	uint32_t expires;			/* seconds; 0: the switchboard's */
	struct rtpp_side_params side[RTPP_SIDES];
};

struct rtpp_event_msg {
	uint32_t event;				/* enum rtpp_event */
	struct rtpp_sb_ref sb;
	bool has_sess;
	uint32_t sess_id;
	uint64_t sess_created_ms;
};

struct rtpp_handle;

typedef int (*rtpp_sb_cb)(const struct rtpp_sb *sb, void *arg);
typedef int (*rtpp_sess_cb)(const struct rtpp_sess *sess, void *arg);
typedef int (*rtpp_event_cb)(const struct rtpp_event_msg *ev, void *arg);

/*
 * Opens a netlink socket and resolves the family.  On failure *h is NULL
 * and rtpp_strerror(NULL, err) describes the error (RTPP_ERR_NO_MODULE,
 * RTPP_ERR_VERSION, or an errno value).  rtpp_open(h) is
 * rtpp_open_flags(h, 0): it asks the kernel for the family by name, and the
 * kernel loads the module first when the family is not registered.
 *
 * RTPP_OPEN_NO_LOAD: list the registered families instead (a listing loads
 * nothing) and pick XT_RTPPROXY_GENL_NAME out of them; RTPP_ERR_NO_MODULE
 * when it is not there.  The version check and the events group are the
 * same either way.  Other flag bits: -EINVAL.
 */
#define RTPP_OPEN_NO_LOAD	1u	/* never make the kernel load the module */
int rtpp_open(struct rtpp_handle **h);
int rtpp_open_flags(struct rtpp_handle **h, unsigned int flags);
void rtpp_close(struct rtpp_handle *h);
/* The family's advertised protocol version (after a successful open). */
uint32_t rtpp_kernel_version(const struct rtpp_handle *h);

int rtpp_info(struct rtpp_handle *h, struct rtpp_info *out);

/* filter may be NULL (every switchboard). */
int rtpp_list_sb(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		 rtpp_sb_cb cb, void *arg);
#define RTPP_LIST_NO_STATES	1u	/* skip per-switchboard state counts */
/*
 * For monitors that list tens of thousands of sessions again and again
 * (the SNMP agent): objects are given as they arrive, and a reply the
 * kernel flagged interrupted is taken as it is, not asked for again.  Each
 * object still comes at most once and in id order, but those that came or
 * went while the listing ran may or may not be in it.  No whole-reply
 * buffer, no retries.
 */
#define RTPP_LIST_STREAM	2u
int rtpp_list_sb_flags(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		       unsigned int flags, rtpp_sb_cb cb, void *arg);

/*
 * Sessions lo..hi (inclusive) of the matching switchboards; 0..RTPP_ID_ALL
 * is every session, lo..RTPP_ID_ALL every session from lo on (also for the
 * ranges of update and delete).
 */
#define RTPP_ID_ALL		UINT32_MAX
int rtpp_list_sess(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
		   uint32_t lo, uint32_t hi, rtpp_sess_cb cb, void *arg);
/* flags: RTPP_LIST_STREAM or 0 */
int rtpp_list_sess_flags(struct rtpp_handle *h, const struct rtpp_sb_spec *filter,
			 uint32_t lo, uint32_t hi, unsigned int flags,
			 rtpp_sess_cb cb, void *arg);
/*
 * How many replies the last listing threw away because the kernel said
 * switchboards or sessions came or went while it sent them (0 .. 4; a
 * listing that ended in RTPP_ERR_INTR threw away 4 and failed the 5th).
 */
unsigned int rtpp_last_restarts(const struct rtpp_handle *h);

int rtpp_alloc(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
	       const struct rtpp_sess_params *params, struct rtpp_sess *out);
/* Without has_range: the sessions neither expired nor destroyed. */
int rtpp_update(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range,
		const struct rtpp_sess_params *params, unsigned int *count);
/* spec NULL: every switchboard; without has_range: every session. */
int rtpp_delete(struct rtpp_handle *h, const struct rtpp_sb_spec *spec,
		uint32_t lo, uint32_t hi, bool has_range, unsigned int *count);
/*
 * Batches: many allocations or deletions a system call, for a caller that
 * has many at once (batch.c says how).  Each item is a request of its own,
 * as rtpp_alloc() or rtpp_delete() would send it, with its own result in
 * err (0, or a code as those functions return).  Returns 0 when every
 * item succeeded; else the first failed item's code, and rtpp_strerror()
 * and rtpp_last_extack() describe that item.  When the exchange itself
 * fails (the socket, a reply missing: RTPP_ERR_PROTO), every item not
 * answered gets that code; the kernel may have carried out some of them.
 */
struct rtpp_alloc_item {
	const struct rtpp_sb_spec *spec;
	const struct rtpp_sess_params *params;
	unsigned int flags;			/* RTPP_ALLOC_* */
	struct rtpp_sess sess;			/* the new session, if err is 0 */
	int err;
};
/*
 * Only what names the new session: sess.sb, sess.id, sess.created_ms and
 * each stream's gate_port are set, the rest of sess is zero (the kernel
 * sends no more; xt_RTPPROXY.h, RTPP_A_BRIEF).  For a caller that needs
 * the ports to offer and no echo of what it asked for.  A module that
 * predates it sends the whole session, as without the flag.
 */
#define RTPP_ALLOC_BRIEF	1u
int rtpp_alloc_batch(struct rtpp_handle *h, struct rtpp_alloc_item *items,
		     size_t n);

struct rtpp_delete_item {
	const struct rtpp_sb_spec *spec;	/* NULL: every switchboard */
	uint32_t lo, hi;
	bool has_range;				/* false: every session */
	unsigned int count;			/* sessions deleted, if err is 0 */
	int err;
};
int rtpp_delete_batch(struct rtpp_handle *h, struct rtpp_delete_item *items,
		      size_t n);

/*
 * RTPP_RESET_GLOBAL: spec must be NULL (the kernel refuses one with
 * -EINVAL and says why); the cleared values go to *global_cleared (may be
 * NULL).  RTPP_RESET_SB, RTPP_RESET_SB_PACKETS: spec
 * NULL means every switchboard; cb (may be NULL) is called once per
 * switchboard with its id, gates and the cleared stats.  A reset of every
 * switchboard is cleared and reported switchboard by switchboard, as the
 * kernel's reply comes (never repeated: see xt_RTPPROXY.h); a callback
 * that stops early does not keep the rest from being cleared, it only
 * stops seeing their values.
 */
int rtpp_reset(struct rtpp_handle *h, enum rtpp_reset what,
	       const struct rtpp_sb_spec *spec, rtpp_sb_cb cb, void *arg,
	       struct rtpp_stats *global_cleared);
int rtpp_audit(struct rtpp_handle *h);

/*
 * Events: a second, non-blocking socket joined to the "events" group.  Poll
 * rtpp_events_fd() for input, then call rtpp_events_read(), which handles
 * every event queued and returns how many, 0 when none, -ENOBUFS when the
 * kernel dropped some (resynchronise by listing), or another error.
 */
int rtpp_events_subscribe(struct rtpp_handle *h);
int rtpp_events_fd(const struct rtpp_handle *h);
int rtpp_events_read(struct rtpp_handle *h, rtpp_event_cb cb, void *arg);

/*
 * Text for an error code; h may be NULL.  Valid until the next call.  For
 * -ENOENT, -ENOSPC and -EPERM the protocol's meaning ("no such switchboard",
 * "switchboard full...", "...missing capability CAP_NET_ADMIN"); for other
 * codes the error's text followed by the kernel's extended-ack message (with
 * the request attribute it points at), when there was one.
 */
const char *rtpp_strerror(struct rtpp_handle *h, int err);
/* The kernel's extended-ack message about the last request, or NULL. */
const char *rtpp_last_extack(const struct rtpp_handle *h);

/* Stable lower-case names, for output: "packets", "drop_csum", ... */
const char *rtpp_stat_name(unsigned int index);	/* RTPP_STAT_INDEX() */
const char *rtpp_state_name(unsigned int state);	/* enum rtpp_sess_state */
const char *rtpp_event_name(unsigned int event);	/* enum rtpp_event */

#ifdef __cplusplus
}
#endif

#endif /* RTPPROXY_H */
