/* SPDX-License-Identifier: GPL-2.0 */
/*
 * librtpproxy: the attribute walker under the decoders (attr.c).
 *
 * An attribute space is described by a table (struct nest_desc): type and
 * name of each attribute, and the space of each nest.  Known attributes
 * must have exactly their type's length: a mismatch between the kernel and
 * this library shows up as an error naming the attribute, not as a wrong
 * number.  Unknown attribute types are skipped, so that a newer kernel may
 * add attributes.  Not installed.
 */
#ifndef RTPP_ATTR_H
#define RTPP_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

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

/* Where decoding is, for error messages. */
struct dec {
	char *err;
	size_t errlen;
	char path[96];
};


int rtpp_dec_bad(struct dec *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rtpp_dec_init(struct dec *d, char *err, size_t errlen);
const char *rtpp_dec_attr_name(const struct nest_desc *s, unsigned int type,
			       char *buf, size_t len);

/* Calls fn for every known attribute of a space, after checking its length. */
typedef int (*walk_fn)(const struct nlattr *a, unsigned int type, void *ctx);
int rtpp_dec_walk(const void *data, size_t len, const struct nest_desc *s,
		  struct dec *d, walk_fn fn, void *ctx);
/* Fills tb[0 .. s->max] with the space's attributes, NULL where absent. */
int rtpp_dec_parse(const void *data, size_t len, const struct nest_desc *s,
		   struct dec *d, const struct nlattr **tb);
int rtpp_dec_parse_nest(const struct nlattr *nest, const struct nest_desc *s,
			struct dec *d, const struct nlattr **tb);
/* The attributes of a generic netlink message, after its genlmsghdr. */
int rtpp_dec_msg_payload(const struct nlmsghdr *nlh, struct dec *d,
			 const void **data, size_t *len);
int rtpp_dec_parse_msg(const struct nlmsghdr *nlh, const struct nest_desc *s,
		       struct dec *d, const struct nlattr **tb);
/* Descends into a named nest, and back, for error messages. */
void rtpp_dec_push(struct dec *d, const char *name);
void rtpp_dec_pop(struct dec *d);

static inline uint8_t get_u8(const struct nlattr *a)   { return a ? mnl_attr_get_u8(a) : 0; }
static inline uint16_t get_u16(const struct nlattr *a) { return a ? mnl_attr_get_u16(a) : 0; }
static inline uint32_t get_u32(const struct nlattr *a) { return a ? mnl_attr_get_u32(a) : 0; }
static inline uint64_t get_u64(const struct nlattr *a) { return a ? mnl_attr_get_u64(a) : 0; }

#endif /* RTPP_ATTR_H */
