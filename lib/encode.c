// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: request attributes.  Only what the caller marked as given
 * is put, so that the kernel can apply its defaults (gate B from gate A,
 * RTCP from RTP) and UPDATE changes only what was asked for.
 */
#include "internal.h"

void rtpp_put_sb_spec(struct nlmsghdr *nlh, const struct rtpp_sb_spec *spec)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTPP_A_SB);

	if (spec->has_id)
		mnl_attr_put_u32(nlh, RTPP_A_SB_ID, spec->id);
	if (spec->has_addr_a)
		mnl_attr_put_u32(nlh, RTPP_A_SB_ADDR_A, spec->addr_a);
	if (spec->has_port_a)
		mnl_attr_put_u16(nlh, RTPP_A_SB_PORT_A, spec->port_a);
	if (spec->has_addr_b)
		mnl_attr_put_u32(nlh, RTPP_A_SB_ADDR_B, spec->addr_b);
	if (spec->has_port_b)
		mnl_attr_put_u16(nlh, RTPP_A_SB_PORT_B, spec->port_b);
	mnl_attr_nest_end(nlh, nest);
}

/* hi past the largest id means "to the end" (the kernel refuses ids past it). */
void rtpp_put_range(struct nlmsghdr *nlh, uint32_t lo, uint32_t hi)
{
	if (hi > XT_RTPPROXY_MAX_SESS - 1)
		hi = XT_RTPPROXY_MAX_SESS - 1;
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID_LO, lo);
	mnl_attr_put_u32(nlh, RTPP_A_SESS_ID_HI, hi);
}

static bool stream_given(const struct rtpp_stream_params *s)
{
	return s->has_addr || s->has_port || s->has_learning;
}

static bool side_given(const struct rtpp_side_params *s)
{
	unsigned int i;

	for (i = 0; i < RTPP_STREAMS; i++)
		if (stream_given(&s->stream[i]))
			return true;
	return s->has_always_learn;
}

static void put_stream(struct nlmsghdr *nlh, uint16_t type,
		       const struct rtpp_stream_params *s)
{
	struct nlattr *nest;

	if (!stream_given(s))
		return;
	nest = mnl_attr_nest_start(nlh, type);
	if (s->has_addr)
		mnl_attr_put_u32(nlh, RTPP_A_STREAM_ADDR, s->addr);
	if (s->has_port)
		mnl_attr_put_u16(nlh, RTPP_A_STREAM_PORT, s->port);
	if (s->has_learning)
		mnl_attr_put_u32(nlh, RTPP_A_STREAM_LEARNING_MS, s->learning_ms);
	mnl_attr_nest_end(nlh, nest);
}

static void put_side(struct nlmsghdr *nlh, uint16_t type,
		     const struct rtpp_side_params *s)
{
	struct nlattr *nest;

	if (!side_given(s))
		return;
	nest = mnl_attr_nest_start(nlh, type);
	if (s->has_always_learn)
		mnl_attr_put_u8(nlh, RTPP_A_SIDE_ALWAYS_LEARN, s->always_learn);
	put_stream(nlh, RTPP_A_SIDE_RTP, &s->stream[RTPP_STREAM_RTP]);
	put_stream(nlh, RTPP_A_SIDE_RTCP, &s->stream[RTPP_STREAM_RTCP]);
	mnl_attr_nest_end(nlh, nest);
}

void rtpp_put_sess_params(struct nlmsghdr *nlh,
			  const struct rtpp_sess_params *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTPP_A_SESS);

	if (p->has_expires)
		mnl_attr_put_u32(nlh, RTPP_A_SESS_EXPIRES, p->expires);
	put_side(nlh, RTPP_A_SESS_SIDE_A, &p->side[RTPP_SIDE_A]);
	put_side(nlh, RTPP_A_SESS_SIDE_B, &p->side[RTPP_SIDE_B]);
	mnl_attr_nest_end(nlh, nest);
}
