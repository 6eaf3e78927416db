// SPDX-License-Identifier: GPL-2.0
/*
 * What a switchboard's slots hold now, for the replies that show it (a
 * listing of switchboards, GET_INFO): slots by state, and the quality of
 * the RTP its live sessions relay.
 */
#include "rtpp.h"

/*
 * Count @sb's slots by state, and add up the quality of the RTP its live
 * sessions relay.  One pass, each session's lock taken in turn: figures of
 * different sessions are not of one instant, as in any listing.
 */
void rtpp_sb_census(struct rtpp_switchboard *sb, struct rtpp_sb_census *c,
		    u64 now)
{
	struct rtpp_session *s;
	u32 slot, used = 0;

	lockdep_assert_held(&sb->rn->lock);
	memset(c, 0, sizeof(*c));
	rtpp_for_each_sess(sb, slot, s, 0, sb->conf.max_sess - 1) {
		const struct rtpp_quality *q = rtpp_sess_q(s);
		enum rtpp_sess_state st;
		unsigned int side;

		spin_lock_bh(&s->lock);
		st = rtpp_state(&s->t, &s->conf, now);
		if (st != RTPP_STATE_FREE) {
			c->states[st]++;
			used++;
			for (side = 0; q && side < RTPP_SIDES; side++)
				rtpp_q_add(&c->q, &q[side].rtp);
		}
		spin_unlock_bh(&s->lock);
	}
	c->states[RTPP_STATE_FREE] = sb->conf.max_sess - used;
}
