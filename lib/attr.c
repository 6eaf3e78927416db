// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: walking the attributes of a message along the table of its
 * space (see attr.h), with error messages that say where decoding was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include "attr.h"
#include "rtpproxy.h"

int rtpp_dec_bad(struct dec *d, const char *fmt, ...)
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

const char *rtpp_dec_attr_name(const struct nest_desc *s, unsigned int type,
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
int rtpp_dec_walk(const void *data, size_t len, const struct nest_desc *s,
		struct dec *d, walk_fn fn, void *ctx)
{
	const char *p = data, *end = p + len;
	char num[16];

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = mnl_attr_get_type(a);
		int ret;

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			return rtpp_dec_bad(d, "attribute %s of length %u overruns its container",
					    rtpp_dec_attr_name(s, type, num, sizeof(num)),
					    a->nla_len);
		if (type <= s->max && s->attrs[type].kind != K_NONE) {
			unsigned char kind = s->attrs[type].kind;

			if (!length_ok(kind, a))
				return rtpp_dec_bad(d, "attribute %s has %u bytes, expected %s",
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
		return rtpp_dec_bad(d, "%d stray bytes after the attributes", (int)(end - p));
	return 0;
}

static int collect(const struct nlattr *a, unsigned int type, void *ctx)
{
	const struct nlattr **tb = ctx;

	tb[type] = a;
	return 0;
}

/* Fills tb[0 .. s->max] with the space's attributes, NULL where absent. */
int rtpp_dec_parse(const void *data, size_t len, const struct nest_desc *s,
		 struct dec *d, const struct nlattr **tb)
{
	memset(tb, 0, (s->max + 1) * sizeof(*tb));
	return rtpp_dec_walk(data, len, s, d, collect, tb);
}

int rtpp_dec_parse_nest(const struct nlattr *nest, const struct nest_desc *s,
		      struct dec *d, const struct nlattr **tb)
{
	return rtpp_dec_parse(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest),
			      s, d, tb);
}

/* The attributes of a generic netlink message, after its genlmsghdr. */
int rtpp_dec_msg_payload(const struct nlmsghdr *nlh, struct dec *d,
		       const void **data, size_t *len)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return rtpp_dec_bad(d, "message of %u bytes is too short", nlh->nlmsg_len);
	*data = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	*len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return 0;
}

int rtpp_dec_parse_msg(const struct nlmsghdr *nlh, const struct nest_desc *s,
		     struct dec *d, const struct nlattr **tb)
{
	const void *data = NULL;
	size_t len = 0;
	int ret = rtpp_dec_msg_payload(nlh, d, &data, &len);

	return ret ? ret : rtpp_dec_parse(data, len, s, d, tb);
}

/* Descends into a named nest, for error messages. */
void rtpp_dec_push(struct dec *d, const char *name)
{
	size_t n = strlen(d->path), len = strlen(name);

	/* every reply walks its nests: no formatting on that path */
	if (n && n + 1 < sizeof(d->path))
		d->path[n++] = '/';
	if (len > sizeof(d->path) - 1 - n)
		len = sizeof(d->path) - 1 - n;
	memcpy(d->path + n, name, len);
	d->path[n + len] = '\0';
}

void rtpp_dec_pop(struct dec *d)
{
	char *slash = strrchr(d->path, '/');

	if (slash)
		*slash = '\0';
	else
		d->path[0] = '\0';
}

void rtpp_dec_init(struct dec *d, char *err, size_t errlen)
{
	d->err = err;
	d->errlen = errlen;
	d->path[0] = '\0';
	if (err && errlen)
		err[0] = '\0';
}
