// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  The packet path only ever adds to per-CPU counters; nothing
 * clears them.  A reset instead moves a baseline to the sum it read and
 * returns the difference: every packet is counted either in the values a
 * reset returned or in those read after it, never in both and never lost.
 *
 * A namespace's counters are allocated with its first switchboard: until
 * then (pcpu NULL) they read as zero.
 */
#include "rtpp.h"

int rtpp_stats_init(struct rtpp_stats *st)
{
	/* Every counter is cleared by exactly one of the two resets. */
	BUILD_BUG_ON(RTPP_STAT_PACKET_MASK & RTPP_STAT_SESS_MASK);
	BUILD_BUG_ON(RTPP_STAT_ALL_MASK !=
		     GENMASK_ULL(RTPP_A_STAT_MAX, RTPP_STAT_FIRST_PACKET));
	st->pcpu = alloc_percpu_gfp(struct rtpp_counters, RTPP_GFP);
	if (!st->pcpu)
		return -ENOMEM;
	memset(&st->base, 0, sizeof(st->base));
	return 0;
}

void rtpp_stats_free(struct rtpp_stats *st)
{
	free_percpu(st->pcpu);
}

static void sum(const struct rtpp_stats *st, struct rtpp_counters *out)
{
	int cpu, i;

	memset(out, 0, sizeof(*out));
	if (!st->pcpu)
		return;
	for_each_possible_cpu(cpu) {
		const struct rtpp_counters *c = per_cpu_ptr(st->pcpu, cpu);

		for (i = 0; i < RTPP_STAT_COUNT; i++)
			out->c[i] += READ_ONCE(c->c[i]);
	}
}

/* Values since the last reset of each counter.  Caller holds rtpp_net.lock. */
void rtpp_stats_read(const struct rtpp_stats *st, struct rtpp_counters *out)
{
	int i;

	sum(st, out);
	for (i = 0; i < RTPP_STAT_COUNT; i++)
		out->c[i] -= st->base.c[i];
}

/*
 * What a reset of the counters whose RTPP_STAT_BIT() is in @mask
 * (RTPP_STAT_*_MASK) would clear (zero for the others), and in @now the sums it would move their baseline
 * to.  Nothing changes until rtpp_stats_commit(@now): a reset whose cleared
 * values cannot be returned (no room left in the reply) does not happen.
 * Caller holds rtpp_net.lock until the commit, which keeps the baseline
 * still in between; packets counted meanwhile belong to the next period.
 */
void rtpp_stats_peek(const struct rtpp_stats *st, u64 mask,
		     struct rtpp_counters *cleared, struct rtpp_counters *now)
{
	int i;

	sum(st, now);
	memset(cleared, 0, sizeof(*cleared));
	for (i = 0; i < RTPP_STAT_COUNT; i++)
		if (mask & RTPP_STAT_BIT(RTPP_STAT_FIRST_PACKET + i))
			cleared->c[i] = now->c[i] - st->base.c[i];
}

void rtpp_stats_commit(struct rtpp_stats *st, u64 mask,
		       const struct rtpp_counters *now)
{
	int i;

	for (i = 0; i < RTPP_STAT_COUNT; i++)
		if (mask & RTPP_STAT_BIT(RTPP_STAT_FIRST_PACKET + i))
			st->base.c[i] = now->c[i];
}

/*
 * Clear the counters whose RTPP_STAT_BIT() is in @mask, returning in
 * @cleared what they held (zero for the others).  Caller holds
 * rtpp_net.lock.
 */
void rtpp_stats_reset(struct rtpp_stats *st, u64 mask,
		      struct rtpp_counters *cleared)
{
	struct rtpp_counters now;

	rtpp_stats_peek(st, mask, cleared, &now);
	rtpp_stats_commit(st, mask, &now);
}
