/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session parameters: what ALLOC and UPDATE may set, and how the values not
 * given are derived.  Pure logic (see pure.h).
 */
#ifndef _RTPP_PARAMS_H
#define _RTPP_PARAMS_H

#include "state.h"

struct rtpp_stream_params {
	bool has_addr, has_port, has_learning;
	__be32 addr;
	u16 port;			/* host order */
	u32 learning_ms;
};

struct rtpp_side_params {
	bool has_always;
	bool always;
	struct rtpp_stream_params st[RTPP_STREAMS];
};

struct rtpp_params {
	bool has_expires;
	u32 expires;			/* seconds */
	struct rtpp_side_params side[RTPP_SIDES];
};

enum rtpp_params_err {
	RTPP_PARAMS_OK,
	RTPP_PARAMS_NOTHING,		/* alloc: no address, no learning */
	RTPP_PARAMS_EXPIRES,
	RTPP_PARAMS_LEARNING,
	RTPP_PARAMS_ADDR,
};

const char *rtpp_params_strerror(int err);
void rtpp_params_derive(struct rtpp_params *p);
int rtpp_params_check(const struct rtpp_params *p, bool alloc);
void rtpp_params_apply(const struct rtpp_params *p, struct rtpp_sess_conf *c,
		       bool learned[RTPP_SIDES][RTPP_STREAMS], u64 age_ms);

#endif /* _RTPP_PARAMS_H */
