// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: decoding replies and events, and naming attributes.
 *
 * Every attribute space of xt_RTPPROXY.h is described once below (type
 * and name of each attribute, and the space of each nest).  Known
 * attributes must have exactly their type's length: a mismatch between
 * the kernel and this library shows up as an error naming the attribute,
 * not as a wrong number.  Unknown attribute types are skipped, so that a
 * newer kernel may add attributes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "decode.h"

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_FLAG, K_STR, K_NEST };

struct nest_desc;

struct attr_desc {
	unsigned char kind;
	const char *name;
	const struct nest_desc *nest;	/* K_NEST: the nested space */
};

struct nest_desc {
	unsigned int max;
	const struct attr_desc *attrs;	/* [0 .. max] */
};

#define AD(k, n)	{ K_##k, n, NULL }
#define ND(n, d)	{ K_NEST, n, &d }

static const struct attr_desc stat_attrs[RTPP_A_STAT_MAX + 1] = {
	[RTPP_A_STAT_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_STAT_PACKETS]		= AD(U64, "PACKETS"),
	[RTPP_A_STAT_BYTES]		= AD(U64, "BYTES"),
	[RTPP_A_STAT_DROP_MALFORMED]	= AD(U64, "DROP_MALFORMED"),
	[RTPP_A_STAT_DROP_FRAGMENT]	= AD(U64, "DROP_FRAGMENT"),
	[RTPP_A_STAT_DROP_CSUM]		= AD(U64, "DROP_CSUM"),
	[RTPP_A_STAT_DROP_SOURCE]	= AD(U64, "DROP_SOURCE"),
	[RTPP_A_STAT_DROP_NO_PEER]	= AD(U64, "DROP_NO_PEER"),
	[RTPP_A_STAT_DROP_EXPIRED]	= AD(U64, "DROP_EXPIRED"),
	[RTPP_A_STAT_DROP_DESTROYED]	= AD(U64, "DROP_DESTROYED"),
	[RTPP_A_STAT_DROP_ROUTE]	= AD(U64, "DROP_ROUTE"),
	[RTPP_A_STAT_ALLOCS]		= AD(U64, "ALLOCS"),
	[RTPP_A_STAT_ALLOC_FAILS]	= AD(U64, "ALLOC_FAILS"),
	[RTPP_A_STAT_EXPIRATIONS]	= AD(U64, "EXPIRATIONS"),
	[RTPP_A_STAT_DELETES]		= AD(U64, "DELETES"),
};
static const struct nest_desc stat_space = { RTPP_A_STAT_MAX, stat_attrs };

static const struct attr_desc state_attrs[RTPP_A_STATE_MAX + 1] = {
	[RTPP_A_STATE_FREE]		= AD(U32, "FREE"),
	[RTPP_A_STATE_LEARNING]		= AD(U32, "LEARNING"),
	[RTPP_A_STATE_ACTIVE]		= AD(U32, "ACTIVE"),
	[RTPP_A_STATE_EXPIRED]		= AD(U32, "EXPIRED"),
	[RTPP_A_STATE_DESTROYED]	= AD(U32, "DESTROYED"),
};
static const struct nest_desc state_space = { RTPP_A_STATE_MAX, state_attrs };

static const struct attr_desc stream_attrs[RTPP_A_STREAM_MAX + 1] = {
	[RTPP_A_STREAM_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_STREAM_ADDR]		= AD(U32, "ADDR"),
	[RTPP_A_STREAM_PORT]		= AD(U16, "PORT"),
	[RTPP_A_STREAM_LEARNING_MS]	= AD(U32, "LEARNING_MS"),
	[RTPP_A_STREAM_GATE_PORT]	= AD(U16, "GATE_PORT"),
	[RTPP_A_STREAM_LEARNED]		= AD(U8, "LEARNED"),
	[RTPP_A_STREAM_PACKETS]		= AD(U64, "PACKETS"),
	[RTPP_A_STREAM_BYTES]		= AD(U64, "BYTES"),
	[RTPP_A_STREAM_ERRORS]		= AD(U64, "ERRORS"),
	[RTPP_A_STREAM_IDLE_MS]		= AD(U64, "IDLE_MS"),
};
static const struct nest_desc stream_space = { RTPP_A_STREAM_MAX, stream_attrs };

static const struct attr_desc side_attrs[RTPP_A_SIDE_MAX + 1] = {
	[RTPP_A_SIDE_ALWAYS_LEARN]	= AD(U8, "ALWAYS_LEARN"),
	[RTPP_A_SIDE_RTP]		= ND("RTP", stream_space),
	[RTPP_A_SIDE_RTCP]		= ND("RTCP", stream_space),
};
static const struct nest_desc side_space = { RTPP_A_SIDE_MAX, side_attrs };

static const struct attr_desc sess_attrs[RTPP_A_SESS_MAX + 1] = {
	[RTPP_A_SESS_PAD]		= AD(NONE, "PAD"),
	[RTPP_A_SESS_ID]		= AD(U32, "ID"),
	[RTPP_A_SESS_CREATED_MS]	= AD(U64, "CREATED_MS"),
	[RTPP_A_SESS_STATE]		= AD(U32, "STATE"),
	[RTPP_A_SESS_EXPIRES]		= AD(U32, "EXPIRES"),
	[RTPP_A_SESS_IDLE_MS]		= AD(U64, "IDLE_MS"),
	[RTPP_A_SESS_SIDE_A]		= ND("SIDE_A", side_space),
	[RTPP_A_SESS_SIDE_B]		= ND("SIDE_B", side_space),
};
static const struct nest_desc sess_space = { RTPP_A_SESS_MAX, sess_attrs };

static const struct attr_desc sb_attrs[RTPP_A_SB_MAX + 1] = {
	[RTPP_A_SB_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_SB_ID]			= AD(U32, "ID"),
	[RTPP_A_SB_ADDR_A]		= AD(U32, "ADDR_A"),
	[RTPP_A_SB_PORT_A]		= AD(U16, "PORT_A"),
	[RTPP_A_SB_ADDR_B]		= AD(U32, "ADDR_B"),
	[RTPP_A_SB_PORT_B]		= AD(U16, "PORT_B"),
	[RTPP_A_SB_MAX_SESS]		= AD(U32, "MAX_SESS"),
	[RTPP_A_SB_EXPIRES]		= AD(U32, "EXPIRES"),
	[RTPP_A_SB_RESURRECTION]	= AD(U32, "RESURRECTION"),
	[RTPP_A_SB_RULES]		= AD(U32, "RULES"),
	[RTPP_A_SB_CREATED_MS]		= AD(U64, "CREATED_MS"),
	[RTPP_A_SB_STATS]		= ND("STATS", stat_space),
	[RTPP_A_SB_STATES]		= ND("STATES", state_space),
	[RTPP_A_SB_DISCONT_MS]		= AD(U64, "DISCONT_MS"),
	[RTPP_A_SB_PKT_DISCONT_MS]	= AD(U64, "PKT_DISCONT_MS"),
};
static const struct nest_desc sb_space = { RTPP_A_SB_MAX, sb_attrs };

static const struct attr_desc top_attrs[RTPP_A_MAX + 1] = {
	[RTPP_A_PAD]			= AD(NONE, "PAD"),
	[RTPP_A_VERSION]		= AD(U32, "VERSION"),
	[RTPP_A_UPTIME_MS]		= AD(U64, "UPTIME_MS"),
	[RTPP_A_SB]			= ND("SB", sb_space),
	[RTPP_A_SESS]			= ND("SESS", sess_space),
	[RTPP_A_SESS_ID_LO]		= AD(U32, "SESS_ID_LO"),
	[RTPP_A_SESS_ID_HI]		= AD(U32, "SESS_ID_HI"),
	[RTPP_A_STATS]			= ND("STATS", stat_space),
	[RTPP_A_SESS_STATES]		= ND("SESS_STATES", state_space),
	[RTPP_A_SB_COUNT]		= AD(U32, "SB_COUNT"),
	[RTPP_A_COUNT]			= AD(U32, "COUNT"),
	[RTPP_A_RESET]			= AD(U32, "RESET"),
	[RTPP_A_EVENT]			= AD(U32, "EVENT"),
	[RTPP_A_NO_SESS]		= AD(FLAG, "NO_SESS"),
};
static const struct nest_desc top_space = { RTPP_A_MAX, top_attrs };

static const struct attr_desc mcgrp_attrs[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= AD(STR, "MCAST_GRP_NAME"),
	[CTRL_ATTR_MCAST_GRP_ID]	= AD(U32, "MCAST_GRP_ID"),
};
static const struct nest_desc mcgrp_space = { CTRL_ATTR_MCAST_GRP_MAX, mcgrp_attrs };

static const struct attr_desc ctrl_attrs[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= AD(U16, "FAMILY_ID"),
	[CTRL_ATTR_FAMILY_NAME]		= AD(STR, "FAMILY_NAME"),
	[CTRL_ATTR_VERSION]		= AD(U32, "VERSION"),
	[CTRL_ATTR_MCAST_GROUPS]	= AD(NEST, "MCAST_GROUPS"),
};
static const struct nest_desc ctrl_space = { CTRL_ATTR_MAX, ctrl_attrs };

_Static_assert(RTPP_STATES == RTPP_A_STATE_MAX,
	       "one RTPP_A_STATE_* attribute per session state");

/* Where decoding is, for error messages. */
struct dec {
	char *err;
	size_t errlen;
	char path[96];
};

static int bad(struct dec *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct dec *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!d->err || !d->errlen)
		return RTPP_ERR_PROTO;
	n = snprintf(d->err, d->errlen, "malformed reply: %s%s", d->path,
		     d->path[0] ? ": " : "");
	if (n >= 0 && (size_t)n < d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->err + n, d->errlen - n, fmt, ap);
		va_end(ap);
	}
	return RTPP_ERR_PROTO;
}

static const char *attr_name(const struct nest_desc *s, unsigned int type,
			     char *buf, size_t len)
{
	if (type <= s->max && s->attrs[type].name)
		return s->attrs[type].name;
	snprintf(buf, len, "#%u", type);
	return buf;
}

static bool length_ok(unsigned char kind, const struct nlattr *a)
{
	uint16_t plen = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	switch (kind) {
	case K_U8:	return plen == 1;
	case K_U16:	return plen == 2;
	case K_U32:	return plen == 4;
	case K_U64:	return plen == 8;
	case K_FLAG:	return plen == 0;
	case K_STR:	return plen > 0 && s[plen - 1] == '\0';
	default:	return true;
	}
}

static const char *const kind_len[] = {
	[K_U8] = "1 byte", [K_U16] = "2 bytes", [K_U32] = "4 bytes",
	[K_U64] = "8 bytes", [K_FLAG] = "no payload",
	[K_STR] = "a NUL-terminated string", [K_NEST] = "a nest",
};

/*
 * Calls fn for every known attribute of a space, after checking its
 * length; the attribute list must fill len exactly (but for padding).
 */
typedef int (*walk_fn)(const struct nlattr *a, unsigned int type, void *ctx);

static int walk(const void *data, size_t len, const struct nest_desc *s,
		struct dec *d, walk_fn fn, void *ctx)
{
	const char *p = data, *end = p + len;
	char num[16];

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = mnl_attr_get_type(a);
		int ret;

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			return bad(d, "attribute %s of length %u overruns its container",
				   attr_name(s, type, num, sizeof(num)),
				   a->nla_len);
		if (type <= s->max && s->attrs[type].kind != K_NONE) {
			unsigned char kind = s->attrs[type].kind;

			if (!length_ok(kind, a))
				return bad(d, "attribute %s has %u bytes, expected %s",
					   s->attrs[type].name,
					   mnl_attr_get_payload_len(a),
					   kind_len[kind]);
			ret = fn(a, type, ctx);
			if (ret)
				return ret;
		}
		p += MNL_ALIGN(a->nla_len);
	}
	if (p < end)
		return bad(d, "%d stray bytes after the attributes", (int)(end - p));
	return 0;
}

static int collect(const struct nlattr *a, unsigned int type, void *ctx)
{
	const struct nlattr **tb = ctx;

	tb[type] = a;
	return 0;
}

/* Fills tb[0 .. s->max] with the space's attributes, NULL where absent. */
static int parse(const void *data, size_t len, const struct nest_desc *s,
		 struct dec *d, const struct nlattr **tb)
{
	memset(tb, 0, (s->max + 1) * sizeof(*tb));
	return walk(data, len, s, d, collect, tb);
}

static int parse_nest(const struct nlattr *nest, const struct nest_desc *s,
		      struct dec *d, const struct nlattr **tb)
{
	return parse(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest),
		     s, d, tb);
}

/* The attributes of a generic netlink message, after its genlmsghdr. */
static int msg_payload(const struct nlmsghdr *nlh, struct dec *d,
		       const void **data, size_t *len)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return bad(d, "message of %u bytes is too short", nlh->nlmsg_len);
	*data = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	*len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return 0;
}

static int parse_msg(const struct nlmsghdr *nlh, const struct nest_desc *s,
		     struct dec *d, const struct nlattr **tb)
{
	const void *data = NULL;
	size_t len = 0;
	int ret = msg_payload(nlh, d, &data, &len);

	return ret ? ret : parse(data, len, s, d, tb);
}

/* Descends into a named nest, for error messages. */
static void push(struct dec *d, const char *name)
{
	size_t n = strlen(d->path);

	snprintf(d->path + n, sizeof(d->path) - n, "%s%s", n ? "/" : "", name);
}

static void pop(struct dec *d)
{
	char *slash = strrchr(d->path, '/');

	if (slash)
		*slash = '\0';
	else
		d->path[0] = '\0';
}

static uint8_t get_u8(const struct nlattr *a)   { return a ? mnl_attr_get_u8(a) : 0; }
static uint16_t get_u16(const struct nlattr *a) { return a ? mnl_attr_get_u16(a) : 0; }
static uint32_t get_u32(const struct nlattr *a) { return a ? mnl_attr_get_u32(a) : 0; }
static uint64_t get_u64(const struct nlattr *a) { return a ? mnl_attr_get_u64(a) : 0; }

static int decode_stats(const struct nlattr *nest, uint64_t *stats,
			const char *name, struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STAT_MAX + 1];
	unsigned int i;
	int ret;

	push(d, name);
	ret = parse_nest(nest, &stat_space, d, tb);
	pop(d);
	if (ret)
		return ret;
	for (i = RTPP_STAT_FIRST_PACKET; i <= RTPP_A_STAT_MAX; i++)
		stats[RTPP_STAT_INDEX(i)] = get_u64(tb[i]);
	return 0;
}

static int decode_states(const struct nlattr *nest, uint32_t *states,
			 const char *name, struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STATE_MAX + 1];
	unsigned int i;
	int ret;

	push(d, name);
	ret = parse_nest(nest, &state_space, d, tb);
	pop(d);
	if (ret)
		return ret;
	for (i = RTPP_A_STATE_FREE; i <= RTPP_A_STATE_MAX; i++)
		states[i - RTPP_A_STATE_FREE] = get_u32(tb[i]);
	return 0;
}

static int decode_sb(const struct nlattr *nest, struct rtpp_sb *sb,
		     struct dec *d)
{
	const struct nlattr *tb[RTPP_A_SB_MAX + 1];
	int ret;

	memset(sb, 0, sizeof(*sb));
	push(d, "SB");
	ret = parse_nest(nest, &sb_space, d, tb);
	if (ret)
		goto out;
	if (!tb[RTPP_A_SB_ID]) {
		ret = bad(d, "no ID");
		goto out;
	}
	sb->id = get_u32(tb[RTPP_A_SB_ID]);
	sb->addr_a = get_u32(tb[RTPP_A_SB_ADDR_A]);
	sb->port_a = get_u16(tb[RTPP_A_SB_PORT_A]);
	sb->addr_b = get_u32(tb[RTPP_A_SB_ADDR_B]);
	sb->port_b = get_u16(tb[RTPP_A_SB_PORT_B]);
	sb->max_sess = get_u32(tb[RTPP_A_SB_MAX_SESS]);
	sb->expires = get_u32(tb[RTPP_A_SB_EXPIRES]);
	sb->resurrection = get_u32(tb[RTPP_A_SB_RESURRECTION]);
	sb->rules = get_u32(tb[RTPP_A_SB_RULES]);
	sb->created_ms = get_u64(tb[RTPP_A_SB_CREATED_MS]);
	sb->discont_ms = get_u64(tb[RTPP_A_SB_DISCONT_MS]);
	sb->pkt_discont_ms = get_u64(tb[RTPP_A_SB_PKT_DISCONT_MS]);
	if (tb[RTPP_A_SB_STATS]) {
		ret = decode_stats(tb[RTPP_A_SB_STATS], sb->stats, "STATS", d);
		if (ret)
			goto out;
	}
	if (tb[RTPP_A_SB_STATES]) {
		sb->has_states = true;
		ret = decode_states(tb[RTPP_A_SB_STATES], sb->states, "STATES", d);
	}
out:
	pop(d);
	return ret;
}

static void sb_ref(const struct rtpp_sb *sb, struct rtpp_sb_ref *ref)
{
	ref->id = sb->id;
	ref->addr_a = sb->addr_a;
	ref->port_a = sb->port_a;
	ref->addr_b = sb->addr_b;
	ref->port_b = sb->port_b;
}

static int decode_stream(const struct nlattr *nest, struct rtpp_stream *st,
			 struct dec *d)
{
	const struct nlattr *tb[RTPP_A_STREAM_MAX + 1];
	int ret = parse_nest(nest, &stream_space, d, tb);

	if (ret)
		return ret;
	st->addr = get_u32(tb[RTPP_A_STREAM_ADDR]);
	st->port = get_u16(tb[RTPP_A_STREAM_PORT]);
	st->learning_ms = get_u32(tb[RTPP_A_STREAM_LEARNING_MS]);
	st->gate_port = get_u16(tb[RTPP_A_STREAM_GATE_PORT]);
	st->learned = get_u8(tb[RTPP_A_STREAM_LEARNED]);
	st->packets = get_u64(tb[RTPP_A_STREAM_PACKETS]);
	st->bytes = get_u64(tb[RTPP_A_STREAM_BYTES]);
	st->errors = get_u64(tb[RTPP_A_STREAM_ERRORS]);
	st->has_idle = tb[RTPP_A_STREAM_IDLE_MS] != NULL;
	st->idle_ms = get_u64(tb[RTPP_A_STREAM_IDLE_MS]);
	return 0;
}

static int decode_side(const struct nlattr *nest, struct rtpp_side *side,
		       struct dec *d)
{
	static const unsigned int attr[RTPP_STREAMS] = {
		[RTPP_STREAM_RTP] = RTPP_A_SIDE_RTP,
		[RTPP_STREAM_RTCP] = RTPP_A_SIDE_RTCP,
	};
	const struct nlattr *tb[RTPP_A_SIDE_MAX + 1];
	unsigned int i;
	int ret = parse_nest(nest, &side_space, d, tb);

	if (ret)
		return ret;
	side->always_learn = get_u8(tb[RTPP_A_SIDE_ALWAYS_LEARN]);
	for (i = 0; i < RTPP_STREAMS; i++) {
		if (!tb[attr[i]])
			continue;
		push(d, side_attrs[attr[i]].name);
		ret = decode_stream(tb[attr[i]], &side->stream[i], d);
		pop(d);
		if (ret)
			return ret;
	}
	return 0;
}

static int decode_sess(const struct nlattr *nest, struct rtpp_sess *s,
		       struct dec *d)
{
	static const unsigned int attr[RTPP_SIDES] = {
		[RTPP_SIDE_A] = RTPP_A_SESS_SIDE_A,
		[RTPP_SIDE_B] = RTPP_A_SESS_SIDE_B,
	};
	const struct nlattr *tb[RTPP_A_SESS_MAX + 1];
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	push(d, "SESS");
	ret = parse_nest(nest, &sess_space, d, tb);
	if (ret)
		goto out;
	if (!tb[RTPP_A_SESS_ID]) {
		ret = bad(d, "no ID");
		goto out;
	}
	s->id = get_u32(tb[RTPP_A_SESS_ID]);
	s->created_ms = get_u64(tb[RTPP_A_SESS_CREATED_MS]);
	s->state = get_u32(tb[RTPP_A_SESS_STATE]);
	s->expires = get_u32(tb[RTPP_A_SESS_EXPIRES]);
	s->idle_ms = get_u64(tb[RTPP_A_SESS_IDLE_MS]);
	for (i = 0; i < RTPP_SIDES; i++) {
		if (!tb[attr[i]])
			continue;
		push(d, sess_attrs[attr[i]].name);
		ret = decode_side(tb[attr[i]], &s->side[i], d);
		pop(d);
		if (ret)
			break;
	}
out:
	pop(d);
	return ret;
}

static void dec_init(struct dec *d, char *err, size_t errlen)
{
	d->err = err;
	d->errlen = errlen;
	d->path[0] = '\0';
	if (err && errlen)
		err[0] = '\0';
}

int rtpp_decode_info(const struct nlmsghdr *nlh, struct rtpp_info *out,
		     char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	dec_init(&d, err, errlen);
	memset(out, 0, sizeof(*out));
	ret = parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_VERSION])
		return bad(&d, "GET_INFO reply without VERSION");
	out->version = get_u32(tb[RTPP_A_VERSION]);
	out->uptime_ms = get_u64(tb[RTPP_A_UPTIME_MS]);
	out->sb_count = get_u32(tb[RTPP_A_SB_COUNT]);
	if (tb[RTPP_A_SESS_STATES]) {
		ret = decode_states(tb[RTPP_A_SESS_STATES], out->states,
				    "SESS_STATES", &d);
		if (ret)
			return ret;
	}
	if (tb[RTPP_A_STATS])
		ret = decode_stats(tb[RTPP_A_STATS], out->stats, "STATS", &d);
	return ret;
}

int rtpp_decode_sb_msg(const struct nlmsghdr *nlh, struct rtpp_sb *out,
		       char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	dec_init(&d, err, errlen);
	ret = parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_SB])
		return bad(&d, "switchboard message without SB");
	return decode_sb(tb[RTPP_A_SB], out, &d);
}

int rtpp_decode_sess_msg(const struct nlmsghdr *nlh, struct rtpp_sess *out,
			 char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct rtpp_sb sb;
	struct dec d;
	int ret;

	dec_init(&d, err, errlen);
	ret = parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_SB] || !tb[RTPP_A_SESS])
		return bad(&d, "session message without %s",
			   tb[RTPP_A_SB] ? "SESS" : "SB");
	ret = decode_sb(tb[RTPP_A_SB], &sb, &d);
	if (ret)
		return ret;
	/* only now: decode_sess() clears all of *out, sb included */
	ret = decode_sess(tb[RTPP_A_SESS], out, &d);
	if (!ret)
		sb_ref(&sb, &out->sb);
	return ret;
}

int rtpp_decode_count(const struct nlmsghdr *nlh, unsigned int *count,
		      char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct dec d;
	int ret;

	dec_init(&d, err, errlen);
	ret = parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_COUNT])
		return bad(&d, "reply without COUNT");
	*count = get_u32(tb[RTPP_A_COUNT]);
	return 0;
}

struct reset_decode_ctx {
	struct dec *d;
	struct rtpp_stats *global;
	rtpp_sb_cb cb;
	void *arg;
};

static int reset_attr(const struct nlattr *a, unsigned int type, void *ctx)
{
	struct reset_decode_ctx *r = ctx;
	struct rtpp_stats dummy;
	struct rtpp_sb sb;
	int ret;

	switch (type) {
	case RTPP_A_STATS:
		return decode_stats(a, r->global ? r->global->stats : dummy.stats,
				    "STATS", r->d);
	case RTPP_A_SB:
		ret = decode_sb(a, &sb, r->d);
		if (ret || !r->cb)
			return ret;
		return r->cb(&sb, r->arg);
	}
	return 0;
}

int rtpp_decode_reset(const struct nlmsghdr *nlh, struct rtpp_stats *global,
		      rtpp_sb_cb cb, void *arg, char *err, size_t errlen)
{
	struct dec d;
	struct reset_decode_ctx r = { &d, global, cb, arg };
	const void *data = NULL;
	size_t len = 0;
	int ret;

	dec_init(&d, err, errlen);
	ret = msg_payload(nlh, &d, &data, &len);
	return ret ? ret : walk(data, len, &top_space, &d, reset_attr, &r);
}

int rtpp_decode_event(const struct nlmsghdr *nlh, struct rtpp_event_msg *out,
		      char *err, size_t errlen)
{
	const struct nlattr *tb[RTPP_A_MAX + 1];
	struct rtpp_sess sess;
	struct rtpp_sb sb;
	struct dec d;
	int ret;

	dec_init(&d, err, errlen);
	memset(out, 0, sizeof(*out));
	ret = parse_msg(nlh, &top_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[RTPP_A_EVENT])
		return bad(&d, "event without EVENT");
	out->event = get_u32(tb[RTPP_A_EVENT]);
	if (tb[RTPP_A_SB]) {
		ret = decode_sb(tb[RTPP_A_SB], &sb, &d);
		if (ret)
			return ret;
		sb_ref(&sb, &out->sb);
	}
	if (tb[RTPP_A_SESS]) {
		ret = decode_sess(tb[RTPP_A_SESS], &sess, &d);
		if (ret)
			return ret;
		out->has_sess = true;
		out->sess_id = sess.id;
		out->sess_created_ms = sess.created_ms;
	}
	return 0;
}

struct family_ctx {
	struct dec *d;
	struct rtpp_family *f;
};

static int family_group(const struct nlattr *grp, struct family_ctx *c)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int ret = parse_nest(grp, &mcgrp_space, c->d, tb);

	if (ret)
		return ret;
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    XT_RTPPROXY_GENL_MCGRP)) {
		c->f->has_mcgrp = true;
		c->f->mcgrp = get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

int rtpp_decode_family(const struct nlmsghdr *nlh, struct rtpp_family *f,
		       char *err, size_t errlen)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp;
	struct dec d;
	struct family_ctx c = { &d, f };
	int ret;

	dec_init(&d, err, errlen);
	memset(f, 0, sizeof(*f));
	ret = parse_msg(nlh, &ctrl_space, &d, tb);
	if (ret)
		return ret;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return bad(&d, "family without FAMILY_ID");
	f->id = get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	f->version = get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	push(&d, "MCAST_GROUPS");
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		ret = family_group(grp, &c);
		if (ret)
			break;
	}
	pop(&d);
	return ret;
}

/*
 * Finds the attribute of a request that starts at offset @offs, appending
 * its path to buf.  Returns its description, or NULL.
 */
static const struct attr_desc *locate(const char *base, const char *data,
				      size_t len, const struct nest_desc *s,
				      uint32_t offs, char *buf, size_t buflen)
{
	const char *p = data, *end = data + len;
	char num[16];

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = mnl_attr_get_type(a);
		uint32_t at = p - base;
		const struct attr_desc *ad;
		size_t n = strlen(buf);

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			return NULL;
		if (offs >= at && offs < at + a->nla_len) {
			snprintf(buf + n, buflen - n, "%s%s", n ? "/" : "",
				 attr_name(s, type, num, sizeof(num)));
			ad = type <= s->max ? &s->attrs[type] : NULL;
			if (offs == at)
				return ad ? ad : &s->attrs[0];
			if (ad && ad->kind == K_NEST && ad->nest)
				return locate(base, (const char *)
					      mnl_attr_get_payload(a),
					      mnl_attr_get_payload_len(a),
					      ad->nest, offs, buf, buflen);
			return NULL;
		}
		p += MNL_ALIGN(a->nla_len);
	}
	return NULL;
}

bool rtpp_attr_path(const struct nlmsghdr *req, uint32_t offs,
		    char *buf, size_t len)
{
	uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;

	if (!len)
		return false;
	buf[0] = '\0';
	if (req->nlmsg_len < start || offs < start || offs >= req->nlmsg_len)
		return false;
	return locate((const char *)req, (const char *)req + start,
		      req->nlmsg_len - start, &top_space, offs, buf, len) != NULL;
}

bool rtpp_missing_path(const struct nlmsghdr *req, uint32_t nest_offs,
		       uint32_t type, char *buf, size_t len)
{
	const struct nest_desc *s = &top_space;
	char num[16];
	size_t n;

	if (!len)
		return false;
	buf[0] = '\0';
	if (nest_offs) {
		const struct attr_desc *ad;
		uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;

		if (req->nlmsg_len < start || nest_offs < start ||
		    nest_offs >= req->nlmsg_len)
			return false;
		ad = locate((const char *)req, (const char *)req + start,
			    req->nlmsg_len - start, &top_space, nest_offs,
			    buf, len);
		if (!ad || ad->kind != K_NEST || !ad->nest)
			return false;
		s = ad->nest;
	}
	n = strlen(buf);
	snprintf(buf + n, len - n, "%s%s", n ? "/" : "",
		 attr_name(s, type, num, sizeof(num)));
	return true;
}
