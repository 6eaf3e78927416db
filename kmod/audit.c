// SPDX-License-Identifier: GPL-2.0
/*
 * The audit: notices sessions that expired (counting them once and telling
 * listeners) and frees the slots of dead sessions whose resurrection time has
 * passed.  The packet path already acts on both lazily; the audit makes them
 * visible.  It runs every second in a namespace that has switchboards (and
 * not at all in one that has none), and on demand.
 */
#include "rtpp.h"

#define AUDIT_PERIOD	HZ

/*
 * Also sets sb->free_at, the earliest time one of the sessions left can
 * come free: until then a full switchboard need not be audited again to
 * know it is full (rtpp_sess_alloc).
 */
void rtpp_audit_sb(struct rtpp_switchboard *sb, u64 now)
{
	struct rtpp_session *s;
	u64 free_at = U64_MAX;
	u32 slot;

	lockdep_assert_held(&sb->rn->lock);
	rtpp_for_each_sess(sb, slot, s, 0, sb->conf.max_sess - 1) {
		enum rtpp_sess_state state;
		bool expired = false;
		u64 at;

		spin_lock_bh(&s->lock);
		expired = rtpp_note_expiry(&s->t, &s->conf, now);
		state = rtpp_state(&s->t, &s->conf, now);
		at = rtpp_free_at(&s->t, &s->conf);
		spin_unlock_bh(&s->lock);

		if (expired)
			rtpp_sess_expired(sb, s);
		if (state == RTPP_STATE_FREE) {
			rtpp_event_sess(sb, s, RTPP_EVENT_SESS_DESTROYED);
			rtpp_sess_free_slot(sb, s);
		} else {
			free_at = min(free_at, at);
		}
	}
	sb->free_at = free_at;
}

void rtpp_audit_net(struct rtpp_net *rn)
{
	struct rtpp_switchboard *sb;
	u64 now = rtpp_now();

	lockdep_assert_held(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list)
		rtpp_audit_sb(sb, now);
}

/* Keep the periodic audit going while there are switchboards. */
void rtpp_audit_schedule(struct rtpp_net *rn)
{
	lockdep_assert_held(&rn->lock);
	if (rn->nsbs && !READ_ONCE(rn->dying))
		queue_delayed_work(system_power_efficient_wq, &rn->audit,
				   AUDIT_PERIOD);
}

void rtpp_audit_work(struct work_struct *work)
{
	struct rtpp_net *rn = container_of(to_delayed_work(work),
					   struct rtpp_net, audit);

	mutex_lock(&rn->lock);
	rtpp_audit_net(rn);
	rtpp_audit_schedule(rn);
	mutex_unlock(&rn->lock);
}
