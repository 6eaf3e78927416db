// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/conf.c: resolving and validating the RTPPROXY target's
 * options, compatibility between switchboards, gate/slot arithmetic and
 * naming a switchboard by id or gates (rtpp_spec_match).
 *
 * UNIT-SRCS: ../../kmod/conf.c
 */
#include <arpa/inet.h>
#include <check.h>
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static __be32 ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* The target's data as iptables fills it for "--addr-a A --port-a P --max-sess N". */
static struct xt_rtpproxy_tginfo tg(const char *addr_a, u16 port_a, u32 max)
{
	struct xt_rtpproxy_tginfo t;

	memset(&t, 0, sizeof(t));
	t.addr_a = ip(addr_a);
	t.port_a = port_a;
	t.max_sess = max;
	return t;
}

static void with_addr_b(struct xt_rtpproxy_tginfo *t, const char *addr)
{
	t->addr_b = ip(addr);
	t->flags |= XT_RTPPROXY_F_ADDR_B;
}

static void with_port_b(struct xt_rtpproxy_tginfo *t, u16 port)
{
	t->port_b = port;
	t->flags |= XT_RTPPROXY_F_PORT_B;
}

static int resolve(const struct xt_rtpproxy_tginfo *t)
{
	struct rtpp_conf c;

	return rtpp_conf_resolve(t, &c);
}

/* Resolve a definition that must be valid. */
static struct rtpp_conf conf_ok(const struct xt_rtpproxy_tginfo *t)
{
	struct rtpp_conf c;
	int err;

	memset(&c, 0xa5, sizeof(c));
	err = rtpp_conf_resolve(t, &c);
	ck_assert_msg(err == RTPP_CONF_OK, "resolve: %d (%s)", err,
		      rtpp_conf_strerror(err));
	return c;
}

#define ck_assert_err(t, want) do {					\
	int _e = resolve(t);						\
	ck_assert_msg(_e == (want), "resolve gave %d (%s), want %d (%s)", \
		      _e, rtpp_conf_strerror(_e), (want),		\
		      rtpp_conf_strerror(want));			\
} while (0)

static void ck_gate(const struct rtpp_conf *c, unsigned int g,
		    const char *addr, u16 first)
{
	ck_assert_uint_eq(c->gate[g].addr, ip(addr));
	ck_assert_uint_eq(c->gate[g].first, first);
}

/* ---- defaults -------------------------------------------------------- */

START_TEST(def_same_address)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c = conf_ok(&t);

	ck_gate(&c, RTPP_GATE_A, "10.0.0.1", 50000);
	/* gate B right after gate A's 200 ports */
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 50200);
	ck_assert_uint_eq(c.max_sess, 100);
	ck_assert_uint_eq(c.expires, XT_RTPPROXY_DEF_EXPIRES);
	ck_assert_uint_eq(c.resurrection, XT_RTPPROXY_DEF_RESURRECTION);
}
END_TEST

START_TEST(def_other_address)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	with_addr_b(&t, "10.0.0.2");
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_A, "10.0.0.1", 50000);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.2", 50000);
}
END_TEST

START_TEST(def_addr_b_given_equal)
{
	/* --addr-b equal to --addr-a: the gates share an address */
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	with_addr_b(&t, "10.0.0.1");
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 50200);
}
END_TEST

START_TEST(def_port_b_given)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	with_port_b(&t, 40000);
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_A, "10.0.0.1", 50000);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 40000);

	t = tg("10.0.0.1", 50000, 100);
	with_addr_b(&t, "10.0.0.2");
	with_port_b(&t, 50000);
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.2", 50000);
}
END_TEST

START_TEST(def_port_b_adjacent_below)
{
	/* gate B ending right where gate A starts does not overlap */
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	with_port_b(&t, 49800);
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 49800);
}
END_TEST

START_TEST(def_timeouts_given)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	t.expires_timeout = 1;
	t.resurrection_timeout = 0;
	t.flags |= XT_RTPPROXY_F_EXPIRES | XT_RTPPROXY_F_RESURRECTION;
	c = conf_ok(&t);
	ck_assert_uint_eq(c.expires, 1);
	ck_assert_uint_eq(c.resurrection, 0);

	t.expires_timeout = XT_RTPPROXY_MAX_TIMEOUT;
	t.resurrection_timeout = XT_RTPPROXY_MAX_TIMEOUT;
	c = conf_ok(&t);
	ck_assert_uint_eq(c.expires, XT_RTPPROXY_MAX_TIMEOUT);
	ck_assert_uint_eq(c.resurrection, XT_RTPPROXY_MAX_TIMEOUT);
}
END_TEST

START_TEST(def_unflagged_values_ignored)
{
	/* values whose flag is clear are "not given": defaults apply */
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);
	struct rtpp_conf c;

	t.addr_b = ip("10.0.0.9");
	t.port_b = 1000;
	t.expires_timeout = 7;
	t.resurrection_timeout = 9;
	c = conf_ok(&t);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 50200);
	ck_assert_uint_eq(c.expires, XT_RTPPROXY_DEF_EXPIRES);
	ck_assert_uint_eq(c.resurrection, XT_RTPPROXY_DEF_RESURRECTION);
}
END_TEST

/* ---- every error class ----------------------------------------------- */

START_TEST(err_flags)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	t.flags = XT_RTPPROXY_F_ALL + 1;
	ck_assert_err(&t, RTPP_CONF_BAD_FLAGS);
	t.flags = 1U << 31;
	ck_assert_err(&t, RTPP_CONF_BAD_FLAGS);
}
END_TEST

START_TEST(err_addr_a)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	t.addr_a = 0;
	ck_assert_err(&t, RTPP_CONF_NO_ADDR_A);
	t.addr_a = ip("224.0.0.1");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_A);
	t.addr_a = ip("239.255.255.255");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_A);
	t.addr_a = ip("240.0.0.1");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_A);
	t.addr_a = ip("255.255.255.255");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_A);
	t.addr_a = ip("223.255.255.254");
	ck_assert_err(&t, RTPP_CONF_OK);
}
END_TEST

START_TEST(err_addr_b)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	with_addr_b(&t, "0.0.0.0");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_B);
	with_addr_b(&t, "230.1.2.3");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_B);
	with_addr_b(&t, "255.255.255.255");
	ck_assert_err(&t, RTPP_CONF_BAD_ADDR_B);
}
END_TEST

START_TEST(err_port_a)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 0, 100);

	ck_assert_err(&t, RTPP_CONF_NO_PORT_A);
	t.port_a = 50001;
	ck_assert_err(&t, RTPP_CONF_ODD_PORT_A);
	t.port_a = 65535;
	t.max_sess = 1;
	ck_assert_err(&t, RTPP_CONF_ODD_PORT_A);
}
END_TEST

START_TEST(err_port_b)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	with_port_b(&t, 0);
	ck_assert_err(&t, RTPP_CONF_BAD_PORT_B);
	with_port_b(&t, 40001);
	ck_assert_err(&t, RTPP_CONF_ODD_PORT_B);
}
END_TEST

START_TEST(err_max_sess)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 2, 0);

	with_addr_b(&t, "10.0.0.2");
	ck_assert_err(&t, RTPP_CONF_MAX_SESS);
	t.max_sess = XT_RTPPROXY_MAX_SESS + 1;
	ck_assert_err(&t, RTPP_CONF_MAX_SESS);
	t.max_sess = 40000;
	ck_assert_err(&t, RTPP_CONF_MAX_SESS);
	t.max_sess = 0xffffffffU;
	ck_assert_err(&t, RTPP_CONF_MAX_SESS);
	/* the largest: ports 2 .. 65535 on each of two addresses */
	t.max_sess = XT_RTPPROXY_MAX_SESS;
	ck_assert_err(&t, RTPP_CONF_OK);
}
END_TEST

START_TEST(err_range_a)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 65000, 300);

	ck_assert_err(&t, RTPP_CONF_RANGE_A);
	with_addr_b(&t, "10.0.0.2");
	ck_assert_err(&t, RTPP_CONF_RANGE_A);
}
END_TEST

START_TEST(err_range_b)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 10000, 300);

	with_addr_b(&t, "10.0.0.2");
	with_port_b(&t, 65000);
	ck_assert_err(&t, RTPP_CONF_RANGE_B);
	/* same address, default port-b goes past 65535 */
	t = tg("10.0.0.1", 65000, 200);
	ck_assert_err(&t, RTPP_CONF_RANGE_B);
}
END_TEST

START_TEST(err_overlap)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	with_port_b(&t, 50000);
	ck_assert_err(&t, RTPP_CONF_OVERLAP);
	with_port_b(&t, 50198);		/* B's first port is A's last RTP */
	ck_assert_err(&t, RTPP_CONF_OVERLAP);
	with_port_b(&t, 49802);		/* B's last port is A's first RTCP */
	ck_assert_err(&t, RTPP_CONF_OVERLAP);
	with_port_b(&t, 49900);
	ck_assert_err(&t, RTPP_CONF_OVERLAP);
	/* explicit same address: same rule */
	with_addr_b(&t, "10.0.0.1");
	ck_assert_err(&t, RTPP_CONF_OVERLAP);
	/* other address: the same ports are fine */
	with_addr_b(&t, "10.0.0.2");
	ck_assert_err(&t, RTPP_CONF_OK);
}
END_TEST

START_TEST(err_expires)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	t.flags |= XT_RTPPROXY_F_EXPIRES;
	t.expires_timeout = 0;
	ck_assert_err(&t, RTPP_CONF_EXPIRES);
	t.expires_timeout = XT_RTPPROXY_MAX_TIMEOUT + 1;
	ck_assert_err(&t, RTPP_CONF_EXPIRES);
	t.expires_timeout = 0xffffffffU;
	ck_assert_err(&t, RTPP_CONF_EXPIRES);
}
END_TEST

START_TEST(err_resurrection)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 50000, 100);

	t.flags |= XT_RTPPROXY_F_RESURRECTION;
	t.resurrection_timeout = XT_RTPPROXY_MAX_TIMEOUT + 1;
	ck_assert_err(&t, RTPP_CONF_RESURRECTION);
	t.resurrection_timeout = 0xffffffffU;
	ck_assert_err(&t, RTPP_CONF_RESURRECTION);
}
END_TEST

START_TEST(strerror_all)
{
	int i, j;

	for (i = 0; i < __RTPP_CONF_ERR_MAX; i++) {
		const char *m = rtpp_conf_strerror(i);

		ck_assert_ptr_nonnull(m);
		ck_assert_msg(strlen(m) > 0, "empty message for %d", i);
		ck_assert_msg(strcmp(m, "unknown error") != 0,
			      "no message for %d", i);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(m, rtpp_conf_strerror(j)) != 0,
				      "errors %d and %d share a message", j, i);
	}
	ck_assert_str_eq(rtpp_conf_strerror(-1), "unknown error");
	ck_assert_str_eq(rtpp_conf_strerror(__RTPP_CONF_ERR_MAX),
			 "unknown error");
}
END_TEST

/* ---- boundaries ------------------------------------------------------ */

START_TEST(bound_range_a_ends_at_65535)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 65534, 1);
	struct rtpp_conf c;

	with_addr_b(&t, "10.0.0.2");
	c = conf_ok(&t);			/* 65534, 65535 */
	ck_gate(&c, RTPP_GATE_A, "10.0.0.1", 65534);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.2", 65534);

	t.port_a = 65336;			/* 65336 + 200 = 65536 */
	t.max_sess = 100;
	conf_ok(&t);
	t.port_a = 65338;			/* one past */
	ck_assert_err(&t, RTPP_CONF_RANGE_A);
	t.port_a = 65534;
	t.max_sess = 2;
	ck_assert_err(&t, RTPP_CONF_RANGE_A);
}
END_TEST

START_TEST(bound_range_b_ends_at_65535)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 10000, 100);

	with_addr_b(&t, "10.0.0.2");
	with_port_b(&t, 65336);
	conf_ok(&t);
	with_port_b(&t, 65338);
	ck_assert_err(&t, RTPP_CONF_RANGE_B);

	/* same address, default B: A 65136..65335, B 65336..65535 */
	t = tg("10.0.0.1", 65136, 100);
	{
		struct rtpp_conf c = conf_ok(&t);

		ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 65336);
	}
	t.port_a = 65138;			/* B would end at 65537 */
	ck_assert_err(&t, RTPP_CONF_RANGE_B);
}
END_TEST

START_TEST(bound_port_b_default_wraps)
{
	/* A fills 32768..65535 exactly; the default B would start at 65536,
	 * which is 0 in a u16: refused, not silently wrapped. */
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 32768, 16384);

	ck_assert_err(&t, RTPP_CONF_RANGE_B);
	t = tg("10.0.0.1", 65534, 1);
	ck_assert_err(&t, RTPP_CONF_RANGE_B);
	t = tg("10.0.0.1", 2, XT_RTPPROXY_MAX_SESS);
	ck_assert_err(&t, RTPP_CONF_RANGE_B);
	/* the same with an explicit other address for B is fine */
	t = tg("10.0.0.1", 32768, 16384);
	with_addr_b(&t, "10.0.0.2");
	conf_ok(&t);
}
END_TEST

START_TEST(bound_smallest)
{
	struct xt_rtpproxy_tginfo t = tg("10.0.0.1", 2, 1);
	struct rtpp_conf c = conf_ok(&t);

	ck_gate(&c, RTPP_GATE_A, "10.0.0.1", 2);
	ck_gate(&c, RTPP_GATE_B, "10.0.0.1", 4);
	ck_assert_uint_eq(c.max_sess, 1);
}
END_TEST

/* ---- compatibility between switchboards ------------------------------- */

static struct rtpp_conf sb(const char *a, u16 pa, const char *b, u16 pb, u32 max)
{
	struct xt_rtpproxy_tginfo t = tg(a, pa, max);

	if (b)
		with_addr_b(&t, b);
	if (pb)
		with_port_b(&t, pb);
	return conf_ok(&t);
}

static void ck_compat(const struct rtpp_conf *x, const struct rtpp_conf *y,
		      int want)
{
	int e1 = rtpp_conf_compatible(x, y), e2 = rtpp_conf_compatible(y, x);

	ck_assert_msg(e1 == want, "compatible(x, y) = %d (%s), want %d",
		      e1, rtpp_conf_strerror(e1), want);
	ck_assert_msg(e2 == want, "compatible(y, x) = %d (%s), want %d",
		      e2, rtpp_conf_strerror(e2), want);
}

START_TEST(compat_same_definition)
{
	struct rtpp_conf x = sb("10.0.0.1", 50000, NULL, 0, 100);
	struct rtpp_conf y = sb("10.0.0.1", 50000, NULL, 0, 100);

	ck_assert(rtpp_conf_same_gates(&x, &y));
	ck_compat(&x, &y, RTPP_CONF_OK);
	/* written differently, resolving to the same gates */
	y = sb("10.0.0.1", 50000, "10.0.0.1", 50200, 100);
	ck_compat(&x, &y, RTPP_CONF_OK);
	/* timeouts are not part of a switchboard's identity */
	y.expires = 10;
	y.resurrection = 0;
	ck_compat(&x, &y, RTPP_CONF_OK);
}
END_TEST

START_TEST(compat_resize)
{
	struct rtpp_conf x = sb("10.0.0.1", 50000, "10.0.0.2", 0, 100);
	struct rtpp_conf y = sb("10.0.0.1", 50000, "10.0.0.2", 0, 50);

	ck_compat(&x, &y, RTPP_CONF_RESIZE);
	x = sb("10.0.0.1", 50000, NULL, 40000, 100);
	y = sb("10.0.0.1", 50000, NULL, 40000, 101);
	ck_compat(&x, &y, RTPP_CONF_RESIZE);
}
END_TEST

START_TEST(compat_conflict)
{
	/* x: A 10.0.0.1:50000-50199, B 10.0.0.1:50200-50399 */
	struct rtpp_conf x = sb("10.0.0.1", 50000, NULL, 0, 100);
	struct rtpp_conf y;

	/* a different size on one address moves the default B: conflict */
	y = sb("10.0.0.1", 50000, NULL, 0, 50);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* y's A inside x's B */
	y = sb("10.0.0.1", 50300, "10.0.0.9", 0, 10);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* y's B shares x's last port only */
	y = sb("10.0.0.9", 1000, "10.0.0.1", 50398, 10);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* y's B ends on x's first port */
	y = sb("10.0.0.9", 1000, "10.0.0.1", 49990, 6);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* y covers x entirely */
	y = sb("10.0.0.1", 40000, "10.0.0.9", 0, 10000);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* gates swapped is another switchboard on the same ports */
	x = sb("10.0.0.1", 50000, "10.0.0.2", 0, 100);
	y = sb("10.0.0.2", 50000, "10.0.0.1", 0, 100);
	ck_assert(!rtpp_conf_same_gates(&x, &y));
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
	/* same gate A, other gate B */
	y = sb("10.0.0.1", 50000, "10.0.0.3", 0, 100);
	ck_compat(&x, &y, RTPP_CONF_CONFLICT);
}
END_TEST

START_TEST(compat_disjoint)
{
	struct rtpp_conf x = sb("10.0.0.1", 50000, NULL, 0, 100);
	struct rtpp_conf y;

	/* right after x's B */
	y = sb("10.0.0.1", 50400, NULL, 0, 100);
	ck_compat(&x, &y, RTPP_CONF_OK);
	/* right before x's A */
	y = sb("10.0.0.1", 49800, "10.0.0.9", 0, 100);
	ck_compat(&x, &y, RTPP_CONF_OK);
	/* the same ports on other addresses */
	y = sb("10.0.0.2", 50000, NULL, 0, 100);
	ck_compat(&x, &y, RTPP_CONF_OK);
	y = sb("10.0.0.2", 50000, "10.0.0.3", 50200, 100);
	ck_compat(&x, &y, RTPP_CONF_OK);
}
END_TEST

/* ---- lookup and port arithmetic -------------------------------------- */

static void ck_lookup(const struct rtpp_conf *c, const char *addr, u16 port,
		      unsigned int gate, u32 slot, unsigned int rtcp)
{
	struct rtpp_port_ref r;

	memset(&r, 0xff, sizeof(r));
	ck_assert_msg(rtpp_conf_lookup(c, ip(addr), port, &r),
		      "%s:%u not found", addr, port);
	ck_assert_uint_eq(r.gate, gate);
	ck_assert_uint_eq(r.slot, slot);
	ck_assert_uint_eq(r.rtcp, rtcp);
}

static void ck_no_lookup(const struct rtpp_conf *c, const char *addr, u16 port)
{
	struct rtpp_port_ref r;

	ck_assert_msg(!rtpp_conf_lookup(c, ip(addr), port, &r),
		      "%s:%u found", addr, port);
}

START_TEST(lookup_two_addresses)
{
	struct rtpp_conf c = sb("10.0.0.1", 50000, "10.0.0.2", 40000, 100);

	ck_lookup(&c, "10.0.0.1", 50000, RTPP_GATE_A, 0, 0);
	ck_lookup(&c, "10.0.0.1", 50001, RTPP_GATE_A, 0, 1);
	ck_lookup(&c, "10.0.0.1", 50198, RTPP_GATE_A, 99, 0);
	ck_lookup(&c, "10.0.0.1", 50199, RTPP_GATE_A, 99, 1);
	ck_lookup(&c, "10.0.0.2", 40000, RTPP_GATE_B, 0, 0);
	ck_lookup(&c, "10.0.0.2", 40001, RTPP_GATE_B, 0, 1);
	ck_lookup(&c, "10.0.0.2", 40198, RTPP_GATE_B, 99, 0);
	ck_lookup(&c, "10.0.0.2", 40199, RTPP_GATE_B, 99, 1);
	ck_no_lookup(&c, "10.0.0.1", 49999);
	ck_no_lookup(&c, "10.0.0.1", 50200);
	ck_no_lookup(&c, "10.0.0.2", 39999);
	ck_no_lookup(&c, "10.0.0.2", 40200);
	/* gate A's ports on gate B's address and the other way round */
	ck_no_lookup(&c, "10.0.0.2", 50000);
	ck_no_lookup(&c, "10.0.0.1", 40000);
	ck_no_lookup(&c, "10.0.0.3", 50000);
	ck_no_lookup(&c, "10.0.0.1", 0);
	ck_no_lookup(&c, "10.0.0.1", 65535);
}
END_TEST

START_TEST(lookup_one_address)
{
	struct rtpp_conf c = sb("10.0.0.1", 50000, NULL, 0, 100);

	ck_lookup(&c, "10.0.0.1", 50199, RTPP_GATE_A, 99, 1);
	ck_lookup(&c, "10.0.0.1", 50200, RTPP_GATE_B, 0, 0);
	ck_lookup(&c, "10.0.0.1", 50399, RTPP_GATE_B, 99, 1);
	ck_no_lookup(&c, "10.0.0.1", 50400);
	ck_no_lookup(&c, "10.0.0.1", 49999);
}
END_TEST

START_TEST(lookup_top_of_port_space)
{
	struct rtpp_conf c = sb("10.0.0.1", 65136, NULL, 0, 100);

	ck_lookup(&c, "10.0.0.1", 65136, RTPP_GATE_A, 0, 0);
	ck_lookup(&c, "10.0.0.1", 65535, RTPP_GATE_B, 99, 1);
	ck_lookup(&c, "10.0.0.1", 65534, RTPP_GATE_B, 99, 0);
	ck_no_lookup(&c, "10.0.0.1", 65135);
	ck_no_lookup(&c, "10.0.0.1", 0);

	c = sb("10.0.0.1", 2, "10.0.0.2", 0, XT_RTPPROXY_MAX_SESS);
	ck_lookup(&c, "10.0.0.1", 2, RTPP_GATE_A, 0, 0);
	ck_lookup(&c, "10.0.0.1", 65535, RTPP_GATE_A, XT_RTPPROXY_MAX_SESS - 1, 1);
	ck_lookup(&c, "10.0.0.2", 65534, RTPP_GATE_B, XT_RTPPROXY_MAX_SESS - 1, 0);
	ck_no_lookup(&c, "10.0.0.1", 1);
	ck_no_lookup(&c, "10.0.0.2", 0);
}
END_TEST

START_TEST(port_arithmetic)
{
	struct rtpp_conf c = sb("10.0.0.1", 50000, "10.0.0.2", 40000, 100);
	unsigned int g, rtcp;
	u32 s;

	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_A, 0, false), 50000);
	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_A, 0, true), 50001);
	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_A, 99, false), 50198);
	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_A, 99, true), 50199);
	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_B, 0, false), 40000);
	ck_assert_uint_eq(rtpp_conf_port(&c, RTPP_GATE_B, 99, true), 40199);

	/* lookup inverts port for every slot, gate and stream */
	for (g = 0; g < RTPP_GATES; g++)
		for (s = 0; s < c.max_sess; s++)
			for (rtcp = 0; rtcp < 2; rtcp++) {
				u16 p = rtpp_conf_port(&c, g, s, rtcp);
				struct rtpp_port_ref r;

				ck_assert(rtpp_conf_lookup(&c, c.gate[g].addr,
							   p, &r));
				ck_assert_uint_eq(r.gate, g);
				ck_assert_uint_eq(r.slot, s);
				ck_assert_uint_eq(r.rtcp, rtcp);
			}
}
END_TEST

static struct rtpp_sb_spec spec_gates(const char *a, u16 pa, const char *b,
				      u16 pb)
{
	struct rtpp_sb_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.gate[RTPP_GATE_A].addr = ip(a);
	sp.gate[RTPP_GATE_A].first = pa;
	sp.gate[RTPP_GATE_B].addr = ip(b);
	sp.gate[RTPP_GATE_B].first = pb;
	return sp;
}

START_TEST(spec_match)
{
	struct rtpp_conf c = sb("10.0.0.1", 50000, "10.0.0.2", 40000, 100);
	struct rtpp_sb_spec sp;

	/* by id: the gates do not matter */
	memset(&sp, 0, sizeof(sp));
	sp.has_id = true;
	sp.id = 7;
	ck_assert(rtpp_spec_match(&sp, 7, &c));
	ck_assert(!rtpp_spec_match(&sp, 8, &c));

	/* both gates given: both must be this switchboard's, in order */
	sp = spec_gates("10.0.0.1", 50000, "10.0.0.2", 40000);
	ck_assert(rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.2", 40000, "10.0.0.1", 50000);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.1", 50000, "10.0.0.2", 40002);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));

	/* gate B left equal to gate A: either gate's first port matches */
	sp = spec_gates("10.0.0.1", 50000, "10.0.0.1", 50000);
	ck_assert(rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.2", 40000, "10.0.0.2", 40000);
	ck_assert(rtpp_spec_match(&sp, 1, &c));
	/* not a gate's first port, or the wrong address */
	sp = spec_gates("10.0.0.1", 50002, "10.0.0.1", 50002);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.1", 40000, "10.0.0.1", 40000);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.3", 50000, "10.0.0.3", 50000);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));

	/* one address: gate B starts right after gate A */
	c = sb("10.0.0.1", 50000, NULL, 0, 100);
	sp = spec_gates("10.0.0.1", 50200, "10.0.0.1", 50200);
	ck_assert(rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.1", 50000, "10.0.0.1", 50200);
	ck_assert(rtpp_spec_match(&sp, 1, &c));
	sp = spec_gates("10.0.0.1", 50100, "10.0.0.1", 50100);
	ck_assert(!rtpp_spec_match(&sp, 1, &c));
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, def_same_address);
	tcase_add_test(tc, def_other_address);
	tcase_add_test(tc, def_addr_b_given_equal);
	tcase_add_test(tc, def_port_b_given);
	tcase_add_test(tc, def_port_b_adjacent_below);
	tcase_add_test(tc, def_timeouts_given);
	tcase_add_test(tc, def_unflagged_values_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, err_flags);
	tcase_add_test(tc, err_addr_a);
	tcase_add_test(tc, err_addr_b);
	tcase_add_test(tc, err_port_a);
	tcase_add_test(tc, err_port_b);
	tcase_add_test(tc, err_max_sess);
	tcase_add_test(tc, err_range_a);
	tcase_add_test(tc, err_range_b);
	tcase_add_test(tc, err_overlap);
	tcase_add_test(tc, err_expires);
	tcase_add_test(tc, err_resurrection);
	tcase_add_test(tc, strerror_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("boundaries");
	tcase_add_test(tc, bound_range_a_ends_at_65535);
	tcase_add_test(tc, bound_range_b_ends_at_65535);
	tcase_add_test(tc, bound_port_b_default_wraps);
	tcase_add_test(tc, bound_smallest);
	suite_add_tcase(s, tc);

	tc = tcase_create("compatible");
	tcase_add_test(tc, compat_same_definition);
	tcase_add_test(tc, compat_resize);
	tcase_add_test(tc, compat_conflict);
	tcase_add_test(tc, compat_disjoint);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_test(tc, lookup_two_addresses);
	tcase_add_test(tc, lookup_one_address);
	tcase_add_test(tc, lookup_top_of_port_space);
	tcase_add_test(tc, port_arithmetic);
	tcase_add_test(tc, spec_match);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return unit_run(conf_suite());
}
