// SPDX-License-Identifier: GPL-2.0
/*
 * libxt_RTPPROXY: the iptables extension of the RTPPROXY target.
 *
 *   -j RTPPROXY --addr-a IP --port-a P [--addr-b IP] [--port-b P]
 *               --max-sess N [--expires-timeout S] [--resurrection-timeout S]
 *
 * The target data carries the options as given (see include/xt_RTPPROXY.h):
 * optional options set an XT_RTPPROXY_F_* bit, so that print and save show
 * exactly what the user typed and iptables-save round-trips.  Defaults and
 * validation are those of the module: both call rtpp_conf_resolve()
 * (kmod/conf.c), so a definition refused here would be refused by the kernel
 * for the same reason.  Only the checks that need the other switchboards of
 * the namespace (ports shared with another switchboard) are the kernel's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <xtables.h>

#include "../include/xt_RTPPROXY.h"
#include "../kmod/conf.h"

enum {
	O_ADDR_A,
	O_PORT_A,
	O_ADDR_B,
	O_PORT_B,
	O_MAX_SESS,
	O_EXPIRES,
	O_RESURRECTION,
};

#define s struct xt_rtpproxy_tginfo
static const struct xt_option_entry rtpproxy_tg_opts[] = {
	{.name = "addr-a", .id = O_ADDR_A, .type = XTTYPE_HOST,
	 .flags = XTOPT_MAND},
	{.name = "port-a", .id = O_PORT_A, .type = XTTYPE_PORT,
	 .flags = XTOPT_MAND | XTOPT_PUT, XTOPT_POINTER(s, port_a)},
	{.name = "addr-b", .id = O_ADDR_B, .type = XTTYPE_HOST},
	{.name = "port-b", .id = O_PORT_B, .type = XTTYPE_PORT,
	 .flags = XTOPT_PUT, XTOPT_POINTER(s, port_b)},
	{.name = "max-sess", .id = O_MAX_SESS, .type = XTTYPE_UINT32,
	 .flags = XTOPT_MAND | XTOPT_PUT, XTOPT_POINTER(s, max_sess),
	 .min = 1, .max = XT_RTPPROXY_MAX_SESS},
	{.name = "expires-timeout", .id = O_EXPIRES, .type = XTTYPE_UINT32,
	 .flags = XTOPT_PUT, XTOPT_POINTER(s, expires_timeout),
	 .min = 1, .max = XT_RTPPROXY_MAX_TIMEOUT},
	/* min 0 means "no lower limit" to libxtables, which is what we want */
	{.name = "resurrection-timeout", .id = O_RESURRECTION,
	 .type = XTTYPE_UINT32, .flags = XTOPT_PUT,
	 XTOPT_POINTER(s, resurrection_timeout),
	 .min = 0, .max = XT_RTPPROXY_MAX_TIMEOUT},
	XTOPT_TABLEEND,
};
#undef s

static void rtpproxy_tg_help(void)
{
	printf(
"RTPPROXY target options (defines a switchboard of two gates, A and B;\n"
"session s uses port first+2*s for RTP and first+2*s+1 for RTCP on each gate):\n"
"  --addr-a IP                  IPv4 address of gate A (required)\n"
"  --port-a PORT                lowest port of gate A, even (required);\n"
"                               gate A uses PORT .. PORT+2*N-1, at most 65535\n"
"  --addr-b IP                  IPv4 address of gate B (default: --addr-a)\n"
"  --port-b PORT                lowest port of gate B, even (default: --port-a\n"
"                               when the addresses differ, --port-a + 2*N\n"
"                               when both gates share an address)\n"
"  --max-sess N                 number of sessions N, 1..%u (required)\n"
"  --expires-timeout SECONDS    a session without packets expires after this,\n"
"                               1..%u (default %u)\n"
"  --resurrection-timeout SECONDS\n"
"                               a deleted or expired session keeps its ports\n"
"                               this long before its slot is free,\n"
"                               0..%u (default %u)\n"
"Two gates on one address must not overlap, and no port may belong to another\n"
"switchboard of the same network namespace; a rule repeating the definition of\n"
"an existing switchboard refers to it.\n",
	       XT_RTPPROXY_MAX_SESS,
	       XT_RTPPROXY_MAX_TIMEOUT, XT_RTPPROXY_DEF_EXPIRES,
	       XT_RTPPROXY_MAX_TIMEOUT, XT_RTPPROXY_DEF_RESURRECTION);
}

/*
 * A host name that does not resolve: libxtables would say only
 * "getaddrinfo: Name or service not known", naming neither the option nor
 * the name.
 */
static void rtpproxy_tg_resolve(const struct xt_option_call *cb)
{
	struct addrinfo hints = {.ai_family = AF_INET}, *res;
	int err;

	err = getaddrinfo(cb->arg, NULL, &hints, &res);
	if (err != 0)
		xtables_error(PARAMETER_PROBLEM,
			      "RTPPROXY: bad value for option \"--%s\": "
			      "cannot resolve \"%s\" to an IPv4 address: %s",
			      cb->entry->name, cb->arg, gai_strerror(err));
	freeaddrinfo(res);
}

/*
 * libxtables resolves XTTYPE_PORT through getaddrinfo(), which silently
 * truncates numbers to 16 bits ("70000" becomes 4464), and reports a bad
 * XTTYPE_HOST only as getaddrinfo's error.  Numbers and dotted quads are
 * checked here first; names must resolve, then libxtables takes them.
 */
static void rtpproxy_tg_precheck(const struct xt_option_call *cb)
{
	const char *arg = cb->arg;
	struct in_addr addr;
	unsigned long v;
	char *end;

	if (arg == NULL)
		return;		/* libxtables reports the missing argument */
	switch (cb->entry->type) {
	case XTTYPE_PORT:
		if (isalpha((unsigned char)*arg))
			return;	/* a service name */
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (!isdigit((unsigned char)*arg) || *end != '\0' ||
		    errno != 0 || v > 65535)
			xtables_error(PARAMETER_PROBLEM,
				      "RTPPROXY: bad value for option \"--%s\": "
				      "\"%s\" is not a port number (0-65535)",
				      cb->entry->name, arg);
		break;
	case XTTYPE_HOST:
		if (arg[strspn(arg, "0123456789.")] != '\0' &&
		    strchr(arg, ':') == NULL) {
			rtpproxy_tg_resolve(cb);	/* a host name */
			return;
		}
		if (inet_pton(AF_INET, arg, &addr) != 1)
			xtables_error(PARAMETER_PROBLEM,
				      "RTPPROXY: bad value for option \"--%s\": "
				      "\"%s\" is not an IPv4 address",
				      cb->entry->name, arg);
		break;
	default:
		break;
	}
}

static void rtpproxy_tg_parse(struct xt_option_call *cb)
{
	struct xt_rtpproxy_tginfo *info = cb->data;

	rtpproxy_tg_precheck(cb);
	xtables_option_parse(cb);
	switch (cb->entry->id) {
	case O_ADDR_A:
		info->addr_a = cb->val.haddr.ip;
		break;
	case O_ADDR_B:
		info->addr_b = cb->val.haddr.ip;
		info->flags |= XT_RTPPROXY_F_ADDR_B;
		break;
	case O_PORT_B:
		info->flags |= XT_RTPPROXY_F_PORT_B;
		break;
	case O_EXPIRES:
		info->flags |= XT_RTPPROXY_F_EXPIRES;
		break;
	case O_RESURRECTION:
		info->flags |= XT_RTPPROXY_F_RESURRECTION;
		break;
	}
}

static void rtpproxy_tg_check(struct xt_fcheck_call *cb)
{
	const struct xt_rtpproxy_tginfo *info = cb->data;
	struct rtpp_conf conf;
	int err;

	/*
	 * libxtables checks the mandatory options only after this function:
	 * do it first, so that a missing option is reported as such rather
	 * than as the invalid value it leaves behind.
	 */
	xtables_options_fcheck(cb->ext_name, cb->xflags, rtpproxy_tg_opts);

	err = rtpp_conf_resolve(info, &conf);
	if (err != RTPP_CONF_OK)
		xtables_error(PARAMETER_PROBLEM, "RTPPROXY: %s",
			      rtpp_conf_strerror(err));
}

static void rtpproxy_tg_show(const struct xt_rtpproxy_tginfo *info,
			     const char *pfx)
{
	struct in_addr a;

	a.s_addr = info->addr_a;
	printf(" %saddr-a %s", pfx, xtables_ipaddr_to_numeric(&a));
	printf(" %sport-a %u", pfx, info->port_a);
	if (info->flags & XT_RTPPROXY_F_ADDR_B) {
		a.s_addr = info->addr_b;
		printf(" %saddr-b %s", pfx, xtables_ipaddr_to_numeric(&a));
	}
	if (info->flags & XT_RTPPROXY_F_PORT_B)
		printf(" %sport-b %u", pfx, info->port_b);
	printf(" %smax-sess %u", pfx, info->max_sess);
	if (info->flags & XT_RTPPROXY_F_EXPIRES)
		printf(" %sexpires-timeout %u", pfx, info->expires_timeout);
	if (info->flags & XT_RTPPROXY_F_RESURRECTION)
		printf(" %sresurrection-timeout %u", pfx,
		       info->resurrection_timeout);
}

static void rtpproxy_tg_print(const void *ip, const struct xt_entry_target *t,
			      int numeric)
{
	(void)ip;
	(void)numeric;	/* gate addresses are always shown as numbers */
	rtpproxy_tg_show((const void *)t->data, "");
}

static void rtpproxy_tg_save(const void *ip, const struct xt_entry_target *t)
{
	(void)ip;
	rtpproxy_tg_show((const void *)t->data, "--");
}

static struct xtables_target rtpproxy_tg_reg = {
	.version	= XTABLES_VERSION,
	.name		= "RTPPROXY",
	.revision	= 0,
	.family		= NFPROTO_IPV4,
	.size		= XT_ALIGN(sizeof(struct xt_rtpproxy_tginfo)),
	.userspacesize	= offsetof(struct xt_rtpproxy_tginfo, sb),
	.help		= rtpproxy_tg_help,
	.print		= rtpproxy_tg_print,
	.save		= rtpproxy_tg_save,
	.x6_parse	= rtpproxy_tg_parse,
	.x6_fcheck	= rtpproxy_tg_check,
	.x6_options	= rtpproxy_tg_opts,
};

static void __attribute__((constructor)) rtpproxy_tg_ldr(void)
{
	xtables_register_target(&rtpproxy_tg_reg);
}
