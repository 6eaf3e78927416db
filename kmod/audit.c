// SPDX-License-Identifier: GPL-2.0
/*
 * The audit: sweeps every switchboard's sessions (rtpp_sess_sweep(): it
 * notices sessions that expired, counting them once and telling listeners,
 * and frees the slots of dead sessions whose resurrection time has passed).
 * The packet path already acts on both lazily; the audit makes them
 * visible.  It runs every second in a namespace that has switchboards (and
 * not at all in one that has none), and on demand.
 */
#include "rtpp.h"

#define AUDIT_PERIOD	HZ

void rtpp_audit_net(struct rtpp_net *rn)
{
	struct rtpp_switchboard *sb;
	u64 now = rtpp_now();

	lockdep_assert_held(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list)
		rtpp_sess_sweep(sb, now);
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
