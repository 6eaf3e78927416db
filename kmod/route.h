/* SPDX-License-Identifier: GPL-2.0 */
/*
 * route.c: the route each session keeps to each side's RTP client, and the
 * source verdicts tied to it (source.c).
 */
#ifndef _RTPP_ROUTE_H
#define _RTPP_ROUTE_H

#include "rtpp.h"

/* Under the session's lock, but rtpp_route_store() takes it (bottom
 * halves off: the packet path). */
void rtpp_route_reset(struct rtpp_session *s, unsigned int side);
void rtpp_route_store(struct rtpp_session *s, unsigned int side,
		      const struct rtpp_endpoint *dst, struct rtable *rt);
void rtpp_route_free(struct rtpp_session *s);

/*
 * The route to @side's RTP client, without a reference: NULL if none (or
 * no longer valid: then it goes).  Inline: every RTP packet asks.
 */
static inline struct rtable *rtpp_route_get(struct rtpp_session *s,
					    unsigned int side)
{
	struct dst_entry *dst = s->rtp_route[side];

	lockdep_assert_held(&s->lock);
	if (!dst)
		return NULL;
	if (likely(dst_check(dst, 0)))
		return container_of(dst, struct rtable, dst);
	rtpp_route_reset(s, side);
	return NULL;
}

#endif /* _RTPP_ROUTE_H */
