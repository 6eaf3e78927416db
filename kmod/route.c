// SPDX-License-Identifier: GPL-2.0
/*
 * The route of each side's RTP stream, kept in its session.
 *
 * A relayed packet is routed as one this host originates, from a gate to a
 * client.  For a stream's whole life that is the same lookup (same source,
 * destination, ports and an unmarked packet), so the session keeps the
 * result, as a connected UDP socket keeps its route (sk_dst_cache) and
 * IPVS the route of each real server: one pointer, checked with
 * dst_check() on every use.  dst_check() fails once the routing generation
 * of the namespace has moved (a route, rule, address, link or IPsec policy
 * changed: rt_genid), or the kernel has marked the route obsolete (its
 * next hop went, or got a PMTU exception); the next packet then looks the
 * route up again.  A new client, learned or given by netlink, drops the
 * route to the old one.
 *
 * Not the kernel's dst_cache: that keeps one route per possible CPU, 40
 * bytes per CPU for each cache, allocated per-CPU, for tunnels whose
 * packets come from every CPU.  A stream comes from one client, so one
 * receive queue, hence mostly one CPU: one pointer does the same for 8
 * bytes (BENCHMARKS.md).
 *
 * RTCP (one packet every few seconds) and marked packets (whose mark may
 * route them elsewhere, packet by packet) are routed per packet as before:
 * caching them would cost 16 and 8 bytes more per session, past the 232
 * of its slab object, for nothing measurable.
 *
 * The verdict of the input check on each side's RTP packets is kept with
 * these routes (source.c) and goes with either: forgetting both verdicts
 * whenever a route changes is simpler than knowing which one depends on it,
 * and it is rare.
 *
 * Locking: the pointer is read and written under the session's lock, so
 * that a route is never kept for a client the session no longer has.  It
 * holds a reference to the route.  The packet path uses the route after the
 * lock is dropped without a reference of its own: a route whose last
 * reference goes is freed after an RCU grace period (dst_release()), and
 * the packet path runs inside the netfilter hook's RCU read section, as
 * forwarding uses its input route.  The session's own reference goes when
 * the session is freed, a grace period after it left its slot: no packet
 * can store a route into it any more.
 */
#include <net/dst.h>
#include <net/route.h>

#include "rtpp.h"
#include "route.h"

static void forget_verdicts(struct rtpp_session *s)
{
	lockdep_assert_held(&s->lock);
	memset(s->input_ok, 0, sizeof(s->input_ok));
}

/* The client of @side's RTP changed, or its route is stale: the route goes. */
void rtpp_route_reset(struct rtpp_session *s, unsigned int side)
{
	struct dst_entry *dst = s->rtp_route[side];

	lockdep_assert_held(&s->lock);
	s->rtp_route[side] = NULL;
	forget_verdicts(s);
	dst_release(dst);
}

/*
 * Keep @rt, looked up outside the lock for @dst, as the route to @side's
 * RTP client, unless the client moved meanwhile.  The caller keeps its own
 * reference to @rt.  From the packet path, bottom halves off.
 */
void rtpp_route_store(struct rtpp_session *s, unsigned int side,
		      const struct rtpp_endpoint *dst, struct rtable *rt)
{
	struct rtpp_endpoint client;

	lockdep_assert_in_softirq();
	spin_lock(&s->lock);
	client = rtpp_client(&s->conf, side, RTPP_RTP);
	if (rtpp_endpoint_same(&client, dst)) {
		dst_release(s->rtp_route[side]);
		dst_hold(&rt->dst);
		s->rtp_route[side] = &rt->dst;
		forget_verdicts(s);
	}
	spin_unlock(&s->lock);
}

/* When the session is freed (session.c): nobody reads or stores any more. */
void rtpp_route_free(struct rtpp_session *s)
{
	unsigned int side;

	for (side = 0; side < RTPP_SIDES; side++)
		dst_release(s->rtp_route[side]);
}
