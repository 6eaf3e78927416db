/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switchboard configuration: resolving the target's options into two gates,
 * validating them, and the port arithmetic of gates and sessions.  Pure
 * logic (see pure.h): built into the module, the iptables extension and the
 * unit tests.
 */
#ifndef _RTPP_CONF_H
#define _RTPP_CONF_H

#include "pure.h"
#include "../include/xt_RTPPROXY.h"

enum { RTPP_GATE_A, RTPP_GATE_B, RTPP_GATES };

struct rtpp_gate {
	__be32 addr;
	u16 first;		/* lowest port; the range is first .. first+2*max-1 */
};

struct rtpp_conf {
	struct rtpp_gate gate[RTPP_GATES];
	u32 max_sess;
	u32 expires;		/* seconds */
	u32 resurrection;	/* seconds */
};

enum rtpp_conf_err {
	RTPP_CONF_OK,
	RTPP_CONF_BAD_FLAGS,
	RTPP_CONF_NO_ADDR_A,
	RTPP_CONF_BAD_ADDR_A,
	RTPP_CONF_BAD_ADDR_B,
	RTPP_CONF_NO_PORT_A,
	RTPP_CONF_ODD_PORT_A,
	RTPP_CONF_BAD_PORT_B,
	RTPP_CONF_ODD_PORT_B,
	RTPP_CONF_MAX_SESS,
	RTPP_CONF_RANGE_A,
	RTPP_CONF_RANGE_B,
	RTPP_CONF_OVERLAP,
	RTPP_CONF_EXPIRES,
	RTPP_CONF_RESURRECTION,
	RTPP_CONF_CONFLICT,	/* shares ports with another switchboard */
	RTPP_CONF_RESIZE,	/* same gates as another, different max-sess */
	__RTPP_CONF_ERR_MAX,
};

/* Where a packet's destination falls in a switchboard. */
struct rtpp_port_ref {
	u8 gate;		/* RTPP_GATE_A or RTPP_GATE_B */
	u8 rtcp;		/* 0 RTP, 1 RTCP */
	u32 slot;
};

/*
 * How a request names a switchboard: by id, or by gates.  Gate B values not
 * given are gate A's; when both gates are then equal, the switchboard either
 * of whose gates starts at that address:port is meant.
 */
struct rtpp_sb_spec {
	bool has_id;
	u32 id;
	struct rtpp_gate gate[RTPP_GATES];
};

const char *rtpp_conf_strerror(int err);
bool rtpp_spec_match(const struct rtpp_sb_spec *spec, u32 id,
		     const struct rtpp_conf *c);
int rtpp_conf_resolve(const struct xt_rtpproxy_tginfo *info,
		      struct rtpp_conf *conf);
bool rtpp_conf_same_gates(const struct rtpp_conf *a, const struct rtpp_conf *b);
int rtpp_conf_compatible(const struct rtpp_conf *a, const struct rtpp_conf *b);
u16 rtpp_conf_port(const struct rtpp_conf *c, unsigned int gate, u32 slot,
		   bool rtcp);

/*
 * Which port of which gate @addr:@port is, if any: every packet through
 * the target asks, so it is inline.
 */
static inline bool rtpp_conf_lookup(const struct rtpp_conf *c, __be32 addr,
				    u16 port, struct rtpp_port_ref *ref)
{
	unsigned int g;

	for (g = 0; g < RTPP_GATES; g++) {
		const struct rtpp_gate *gate = &c->gate[g];
		u32 off;

		if (gate->addr != addr || port < gate->first)
			continue;
		off = port - gate->first;
		if (off >= 2 * c->max_sess)
			continue;
		ref->gate = g;
		ref->rtcp = off & 1;
		ref->slot = off / 2;
		return true;
	}
	return false;
}

#endif /* _RTPP_CONF_H */
