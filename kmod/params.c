// SPDX-License-Identifier: GPL-2.0
/*
 * Session parameters.  Pure logic: see params.h.
 */
#include "addr.h"
#include "params.h"

/* Network byte order without the kernel's or libc's helpers. */
static __be16 be16(u16 v)
{
	union { u8 b[2]; __be16 v; } u = { .b = { v >> 8, v & 0xff } };

	return u.v;
}

const char *rtpp_params_strerror(int err)
{
	switch (err) {
	case RTPP_PARAMS_OK:
		return "no error";
	case RTPP_PARAMS_NOTHING:
		return "at least one client address or learning timeout is required";
	case RTPP_PARAMS_EXPIRES:
		return "expires timeout must be 1..86400 seconds";
	case RTPP_PARAMS_LEARNING:
		return "learning timeout must be 0..3600000 ms";
	case RTPP_PARAMS_ADDR:
		return "client address must be a unicast address";
	}
	return "unknown error";
}

/*
 * RTCP values not given follow RTP's: the same address, the next port and
 * the same learning timeout.  Applies to ALLOC and UPDATE alike, so that
 * moving a client's RTP moves its RTCP too unless RTCP is given.
 */
void rtpp_params_derive(struct rtpp_params *p)
{
	unsigned int side;

	for (side = 0; side < RTPP_SIDES; side++) {
		const struct rtpp_stream_params *rtp = &p->side[side].st[RTPP_RTP];
		struct rtpp_stream_params *rtcp = &p->side[side].st[RTPP_RTCP];

		if (rtp->has_addr && !rtcp->has_addr) {
			rtcp->has_addr = true;
			rtcp->addr = rtp->addr;
		}
		if (rtp->has_port && !rtcp->has_port && rtp->port != 0 &&
		    rtp->port < 65535) {
			rtcp->has_port = true;
			rtcp->port = rtp->port + 1;
		}
		if (rtp->has_learning && !rtcp->has_learning) {
			rtcp->has_learning = true;
			rtcp->learning_ms = rtp->learning_ms;
		}
	}
}

int rtpp_params_check(const struct rtpp_params *p, bool alloc)
{
	bool something = false;
	unsigned int side, st;

	if (p->has_expires &&
	    (p->expires == 0 || p->expires > XT_RTPPROXY_MAX_TIMEOUT))
		return RTPP_PARAMS_EXPIRES;
	for (side = 0; side < RTPP_SIDES; side++) {
		for (st = 0; st < RTPP_STREAMS; st++) {
			const struct rtpp_stream_params *s = &p->side[side].st[st];

			if (s->has_learning &&
			    s->learning_ms > XT_RTPPROXY_MAX_LEARNING)
				return RTPP_PARAMS_LEARNING;
			/* Netlink said which attribute (source.c); this
			 * is the same rule for any other caller. */
			if (s->has_addr && s->addr != 0 &&
			    rtpp_addr_class(s->addr) != RTPP_ADDR_UNICAST)
				return RTPP_PARAMS_ADDR;
			if ((s->has_addr && s->addr != 0) ||
			    (s->has_learning && s->learning_ms != 0))
				something = true;
		}
	}
	if (alloc && !something)
		return RTPP_PARAMS_NOTHING;
	return RTPP_PARAMS_OK;
}

/*
 * Apply the given values to a session @age_ms old.  A learning timeout
 * opens a window from now on; a client given by hand is no longer learned.
 */
void rtpp_params_apply(const struct rtpp_params *p, struct rtpp_sess_conf *c,
		       bool learned[RTPP_SIDES][RTPP_STREAMS], u64 age_ms)
{
	unsigned int side, st;

	if (p->has_expires)
		c->expires_ms = p->expires * 1000;
	for (side = 0; side < RTPP_SIDES; side++) {
		const struct rtpp_side_params *sp = &p->side[side];

		if (sp->has_always)
			c->always[side] = sp->always;
		for (st = 0; st < RTPP_STREAMS; st++) {
			const struct rtpp_stream_params *s = &sp->st[st];

			if (s->has_addr) {
				c->client_addr[side][st] = s->addr;
				learned[side][st] = false;
			}
			if (s->has_port) {
				c->client_port[side][st] = be16(s->port);
				learned[side][st] = false;
			}
			if (s->has_learning) {
				u64 end = s->learning_ms ? age_ms + s->learning_ms : 0;

				c->learning_ms[side][st] = end > 0xffffffffULL ?
							   0xffffffffU : (u32)end;
			}
		}
	}
}
