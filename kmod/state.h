/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session state and source learning rules.  Pure logic (see pure.h).
 *
 * Times are milliseconds of one monotonic clock.  A session is alive until it
 * dies: by expiry (no packet in either direction for its expiry timeout,
 * counted from creation or the last packet) or by deletion.  A dead session
 * keeps its slot, and its ports drop packets, for the resurrection timeout
 * counted from the moment it died; then the slot is free.
 */
#ifndef _RTPP_STATE_H
#define _RTPP_STATE_H

#include "pure.h"
#include "../include/xt_RTPPROXY.h"

enum { RTPP_SIDE_A, RTPP_SIDE_B, RTPP_SIDES };
enum { RTPP_RTP, RTPP_RTCP, RTPP_STREAMS };

enum rtpp_death {
	RTPP_ALIVE,
	RTPP_DIED_EXPIRED,
	RTPP_DIED_DELETED,
};

/*
 * 24 bytes.  A dead session's death time is kept as ms after @last, which
 * no longer moves once it is dead (packets are dropped, an update revives
 * it first): 30 bits hold any such span, at most an expiry and a
 * resurrection timeout, with @death beside it in one word.
 */
struct rtpp_timing {
	u64 created;
	u64 last;			/* last relayed packet or update, or created */
	u32 resurrection_ms;
	u32 death:2;			/* enum rtpp_death */
	u32 died_after:30;		/* dead: died at last + died_after (ms) */
};

#define RTPP_DIED_AFTER_MAX	((1U << 30) - 1)

enum rtpp_src_verdict {
	RTPP_SRC_ACCEPT,		/* from the known client */
	RTPP_SRC_LEARN,			/* take the source as the client */
	RTPP_SRC_REJECT,		/* drop: not the client's */
};

struct rtpp_endpoint {
	__be32 addr;
	__be16 port;
};

/*
 * What a session keeps of its parameters (see params.h).  Its clients'
 * addresses and ports in two arrays: 24 bytes, where four struct
 * rtpp_endpoint would take 32 (rtpp_client() reads one).
 */
struct rtpp_sess_conf {
	__be32 client_addr[RTPP_SIDES][RTPP_STREAMS];
	__be16 client_port[RTPP_SIDES][RTPP_STREAMS];
	bool always[RTPP_SIDES];
	bool quality;			/* a struct rtpp_session_q (session.c) */
	u32 expires_ms;
	u32 learning_ms[RTPP_SIDES][RTPP_STREAMS];	/* window from creation */
};

enum rtpp_sess_state rtpp_state(const struct rtpp_timing *t,
				const struct rtpp_sess_conf *c, u64 now);
enum rtpp_sess_state rtpp_state_live(const struct rtpp_timing *t,
				     const struct rtpp_sess_conf *c, u64 now);
bool rtpp_note_expiry(struct rtpp_timing *t, const struct rtpp_sess_conf *c,
		      u64 now);
void rtpp_note_delete(struct rtpp_timing *t, u64 now, u32 resurrection_ms);
bool rtpp_learning(const struct rtpp_timing *t, const struct rtpp_sess_conf *c,
		   unsigned int side, unsigned int stream, u64 now);
u64 rtpp_free_at(const struct rtpp_timing *t, const struct rtpp_sess_conf *c);
enum rtpp_src_verdict rtpp_src_check(const struct rtpp_endpoint *client,
				     const struct rtpp_endpoint *src,
				     bool learning, bool always_learn);

/*
 * Time from @then to @now, 0 when @then is the later one: a stamp that a
 * packet on another CPU wrote after @now was read can be.
 */
static inline u64 rtpp_since(u64 now, u64 then)
{
	return now > then ? now - then : 0;
}

/* When a dead session died (death != RTPP_ALIVE). */
static inline u64 rtpp_died(const struct rtpp_timing *t)
{
	return t->last + t->died_after;
}

static inline bool rtpp_endpoint_same(const struct rtpp_endpoint *a,
				      const struct rtpp_endpoint *b)
{
	return a->addr == b->addr && a->port == b->port;
}

static inline bool rtpp_endpoint_known(const struct rtpp_endpoint *e)
{
	return e->addr != 0 && e->port != 0;
}

static inline struct rtpp_endpoint rtpp_client(const struct rtpp_sess_conf *c,
					       unsigned int side, unsigned int st)
{
	struct rtpp_endpoint e = {
		.addr = c->client_addr[side][st],
		.port = c->client_port[side][st],
	};

	return e;
}

static inline void rtpp_client_set(struct rtpp_sess_conf *c, unsigned int side,
				   unsigned int st, const struct rtpp_endpoint *e)
{
	c->client_addr[side][st] = e->addr;
	c->client_port[side][st] = e->port;
}

#endif /* _RTPP_STATE_H */
