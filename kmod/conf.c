// SPDX-License-Identifier: GPL-2.0
/*
 * Switchboard configuration.  Pure logic: see pure.h.
 */
#include "conf.h"

static const char *const conf_errors[__RTPP_CONF_ERR_MAX] = {
	[RTPP_CONF_OK]		 = "no error",
	[RTPP_CONF_BAD_FLAGS]	 = "unknown option flags (extension and module do not match)",
	[RTPP_CONF_NO_ADDR_A]	 = "--addr-a is required and must be a unicast address",
	[RTPP_CONF_BAD_ADDR_A]	 = "--addr-a must be a unicast address",
	[RTPP_CONF_BAD_ADDR_B]	 = "--addr-b must be a unicast address",
	[RTPP_CONF_NO_PORT_A]	 = "--port-a is required and must be 1..65534",
	[RTPP_CONF_ODD_PORT_A]	 = "--port-a must be even (RTP uses even ports)",
	[RTPP_CONF_BAD_PORT_B]	 = "--port-b must be 1..65534",
	[RTPP_CONF_ODD_PORT_B]	 = "--port-b must be even (RTP uses even ports)",
	[RTPP_CONF_MAX_SESS]	 = "--max-sess must be 1..32767",
	[RTPP_CONF_RANGE_A]	 = "gate A's range (--port-a + 2 * --max-sess) goes past port 65535",
	[RTPP_CONF_RANGE_B]	 = "gate B's range (--port-b + 2 * --max-sess) goes past port 65535",
	[RTPP_CONF_OVERLAP]	 = "gate A and gate B share an address and their port ranges overlap",
	[RTPP_CONF_EXPIRES]	 = "--expires-timeout must be 1..86400 seconds",
	[RTPP_CONF_RESURRECTION] = "--resurrection-timeout must be 0..86400 seconds",
	[RTPP_CONF_CONFLICT]	 = "a gate's ports overlap those of another switchboard",
	[RTPP_CONF_RESIZE]	 = "a switchboard with these gates exists with another --max-sess",
};

const char *rtpp_conf_strerror(int err)
{
	if (err < 0 || err >= __RTPP_CONF_ERR_MAX)
		return "unknown error";
	return conf_errors[err];
}

/* 0.0.0.0, multicast, class E and broadcast cannot be a gate. */
static bool unicast(__be32 addr)
{
	const u8 *b = (const u8 *)&addr;

	return addr != 0 && b[0] < 224;
}

static u32 range_end(u16 first, u32 max_sess)
{
	return (u32)first + 2 * max_sess;	/* one past the last port */
}

static bool ranges_overlap(const struct rtpp_gate *x, const struct rtpp_gate *y,
			   u32 max_x, u32 max_y)
{
	return x->addr == y->addr &&
	       x->first < range_end(y->first, max_y) &&
	       y->first < range_end(x->first, max_x);
}

int rtpp_conf_resolve(const struct xt_rtpproxy_tginfo *info,
		      struct rtpp_conf *conf)
{
	const u32 flags = info->flags;
	struct rtpp_gate *a = &conf->gate[RTPP_GATE_A];
	struct rtpp_gate *b = &conf->gate[RTPP_GATE_B];

	if (flags & ~(u32)XT_RTPPROXY_F_ALL)
		return RTPP_CONF_BAD_FLAGS;
	if (info->addr_a == 0)
		return RTPP_CONF_NO_ADDR_A;
	if (!unicast(info->addr_a))
		return RTPP_CONF_BAD_ADDR_A;
	if ((flags & XT_RTPPROXY_F_ADDR_B) && !unicast(info->addr_b))
		return RTPP_CONF_BAD_ADDR_B;
	if (info->port_a == 0)
		return RTPP_CONF_NO_PORT_A;
	if (info->port_a & 1)
		return RTPP_CONF_ODD_PORT_A;
	if ((flags & XT_RTPPROXY_F_PORT_B) && info->port_b == 0)
		return RTPP_CONF_BAD_PORT_B;
	if ((flags & XT_RTPPROXY_F_PORT_B) && (info->port_b & 1))
		return RTPP_CONF_ODD_PORT_B;
	if (info->max_sess == 0 || info->max_sess > XT_RTPPROXY_MAX_SESS)
		return RTPP_CONF_MAX_SESS;
	conf->max_sess = info->max_sess;

	a->addr = info->addr_a;
	a->first = info->port_a;
	if (range_end(a->first, conf->max_sess) > 65536)
		return RTPP_CONF_RANGE_A;

	b->addr = (flags & XT_RTPPROXY_F_ADDR_B) ? info->addr_b : a->addr;
	if (flags & XT_RTPPROXY_F_PORT_B)
		b->first = info->port_b;
	else if (b->addr == a->addr)
		b->first = (u16)range_end(a->first, conf->max_sess);
	else
		b->first = a->first;
	/* The default port-b can land on 65536, which wraps to 0 in a u16. */
	if (b->first == 0 ||
	    range_end(b->first, conf->max_sess) > 65536)
		return RTPP_CONF_RANGE_B;
	if (ranges_overlap(a, b, conf->max_sess, conf->max_sess))
		return RTPP_CONF_OVERLAP;

	conf->expires = XT_RTPPROXY_DEF_EXPIRES;
	if (flags & XT_RTPPROXY_F_EXPIRES) {
		if (info->expires_timeout == 0 ||
		    info->expires_timeout > XT_RTPPROXY_MAX_TIMEOUT)
			return RTPP_CONF_EXPIRES;
		conf->expires = info->expires_timeout;
	}
	conf->resurrection = XT_RTPPROXY_DEF_RESURRECTION;
	if (flags & XT_RTPPROXY_F_RESURRECTION) {
		if (info->resurrection_timeout > XT_RTPPROXY_MAX_TIMEOUT)
			return RTPP_CONF_RESURRECTION;
		conf->resurrection = info->resurrection_timeout;
	}
	return RTPP_CONF_OK;
}

bool rtpp_conf_same_gates(const struct rtpp_conf *a, const struct rtpp_conf *b)
{
	unsigned int g;

	for (g = 0; g < RTPP_GATES; g++)
		if (a->gate[g].addr != b->gate[g].addr ||
		    a->gate[g].first != b->gate[g].first)
			return false;
	return true;
}

/*
 * May switchboard @a be defined next to the existing @b?  Returns
 * RTPP_CONF_OK when they share no port, or when @a is @b again (the caller
 * then refers to @b), and the reason otherwise.
 */
int rtpp_conf_compatible(const struct rtpp_conf *a, const struct rtpp_conf *b)
{
	unsigned int i, j;

	if (rtpp_conf_same_gates(a, b))
		return a->max_sess == b->max_sess ? RTPP_CONF_OK : RTPP_CONF_RESIZE;
	for (i = 0; i < RTPP_GATES; i++)
		for (j = 0; j < RTPP_GATES; j++)
			if (ranges_overlap(&a->gate[i], &b->gate[j],
					   a->max_sess, b->max_sess))
				return RTPP_CONF_CONFLICT;
	return RTPP_CONF_OK;
}

u16 rtpp_conf_port(const struct rtpp_conf *c, unsigned int gate, u32 slot,
		   bool rtcp)
{
	return c->gate[gate].first + 2 * slot + (rtcp ? 1 : 0);
}

static bool gate_is(const struct rtpp_gate *g, const struct rtpp_gate *x)
{
	return g->addr == x->addr && g->first == x->first;
}

bool rtpp_spec_match(const struct rtpp_sb_spec *spec, u32 id,
		     const struct rtpp_conf *c)
{
	const struct rtpp_gate *a = &spec->gate[RTPP_GATE_A];
	const struct rtpp_gate *b = &spec->gate[RTPP_GATE_B];

	if (spec->has_id)
		return spec->id == id;
	if (gate_is(a, b))
		return gate_is(&c->gate[RTPP_GATE_A], a) ||
		       gate_is(&c->gate[RTPP_GATE_B], a);
	return gate_is(&c->gate[RTPP_GATE_A], a) &&
	       gate_is(&c->gate[RTPP_GATE_B], b);
}
