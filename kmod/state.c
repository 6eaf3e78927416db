// SPDX-License-Identifier: GPL-2.0
/*
 * Session state and source learning rules.  Pure logic: see state.h.
 */
#include "state.h"

/*
 * A death is dated at most an expiry timeout after the last packet (expiry)
 * or, for a session deleted while expired, less than an expiry and a
 * resurrection timeout after it: died_after holds either.
 */
_Static_assert(2ULL * XT_RTPPROXY_MAX_TIMEOUT * 1000 <= RTPP_DIED_AFTER_MAX,
	       "died_after too narrow for the timeouts");

bool rtpp_learning(const struct rtpp_timing *t, const struct rtpp_sess_conf *c,
		   unsigned int side, unsigned int stream, u64 now)
{
	return rtpp_since(now, t->created) < c->learning_ms[side][stream];
}

/*
 * The state as the packet path needs it: whether the session relays
 * (RTPP_STATE_ACTIVE, learning or not), has expired or been deleted, or is
 * past its resurrection time (RTPP_STATE_FREE).  Cheaper than rtpp_state():
 * no look at the four learning windows.
 */
enum rtpp_sess_state rtpp_state_live(const struct rtpp_timing *t,
				     const struct rtpp_sess_conf *c, u64 now)
{
	u64 died;

	if (t->death == RTPP_ALIVE) {
		if (rtpp_since(now, t->last) < c->expires_ms)
			return RTPP_STATE_ACTIVE;
		/* Expired, and not yet noticed by the audit. */
		died = t->last + c->expires_ms;
	} else {
		died = rtpp_died(t);
	}
	if (rtpp_since(now, died) >= t->resurrection_ms)
		return RTPP_STATE_FREE;
	return t->death == RTPP_DIED_DELETED ? RTPP_STATE_DESTROYED
					      : RTPP_STATE_EXPIRED;
}

enum rtpp_sess_state rtpp_state(const struct rtpp_timing *t,
				const struct rtpp_sess_conf *c, u64 now)
{
	enum rtpp_sess_state state = rtpp_state_live(t, c, now);
	unsigned int side, stream;

	if (state != RTPP_STATE_ACTIVE)
		return state;
	for (side = 0; side < RTPP_SIDES; side++)
		for (stream = 0; stream < RTPP_STREAMS; stream++)
			if (rtpp_learning(t, c, side, stream, now))
				return RTPP_STATE_LEARNING;
	return RTPP_STATE_ACTIVE;
}

/*
 * When the session's slot comes free if nothing more happens to it: no
 * packet, no update, no delete.  rtpp_state() says RTPP_STATE_FREE from
 * then on.  A packet only moves it later; an update or a delete may move
 * it earlier.
 */
u64 rtpp_free_at(const struct rtpp_timing *t, const struct rtpp_sess_conf *c)
{
	u64 died = t->death == RTPP_ALIVE ? t->last + c->expires_ms : rtpp_died(t);

	return died + t->resurrection_ms;
}

/*
 * A session whose expiry time has passed counts as expired at once (see
 * rtpp_state), but it is marked dead only when someone notices: the audit,
 * or an update or delete that reaches it first.  Returns true for the one
 * call that marks it, so each expiry is counted and told exactly once.
 */
bool rtpp_note_expiry(struct rtpp_timing *t, const struct rtpp_sess_conf *c,
		      u64 now)
{
	if (t->death != RTPP_ALIVE || rtpp_since(now, t->last) < c->expires_ms)
		return false;
	t->death = RTPP_DIED_EXPIRED;
	t->died_after = c->expires_ms;
	return true;
}

/*
 * Deleted at @now: its ports drop packets for @resurrection_ms from then.
 * Dated no earlier than its last packet, which a packet on another CPU can
 * have stamped after @now was read.
 */
void rtpp_note_delete(struct rtpp_timing *t, u64 now, u32 resurrection_ms)
{
	u64 after = rtpp_since(now, t->last);

	t->death = RTPP_DIED_DELETED;
	t->died_after = after < RTPP_DIED_AFTER_MAX ? after : RTPP_DIED_AFTER_MAX;
	t->resurrection_ms = resurrection_ms;
}

/*
 * Inside the learning window, or always with always-learn, any source
 * becomes the client.  Otherwise only the known client passes.
 */
enum rtpp_src_verdict rtpp_src_check(const struct rtpp_endpoint *client,
				     const struct rtpp_endpoint *src,
				     bool learning, bool always_learn)
{
	if (client->addr == src->addr && client->port == src->port)
		return RTPP_SRC_ACCEPT;
	if (learning || always_learn)
		return RTPP_SRC_LEARN;
	return RTPP_SRC_REJECT;
}
