/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which IPv4 addresses may be a session's client.  Pure logic (see
 * pure.h): the classes an address has by its value alone.  Whether it is
 * an address of this host is the kernel's to say (source.c).
 *
 * Media relayed to a client goes out from a gate, a trusted local source:
 * to 127.0.0.1 or an address of this host it would reach a local service
 * past the INPUT filter, to a broadcast or multicast address the whole
 * LAN, and back to a gate a loop through the relay itself.
 */
#ifndef _RTPP_ADDR_H
#define _RTPP_ADDR_H

#include "pure.h"

enum rtpp_addr_class {
	RTPP_ADDR_UNICAST,	/* may be a client */
	RTPP_ADDR_ZERONET,	/* 0.0.0.0/8 ("this network") */
	RTPP_ADDR_LOOPBACK,	/* 127.0.0.0/8 */
	RTPP_ADDR_MULTICAST,	/* 224.0.0.0/4 */
	RTPP_ADDR_BROADCAST,	/* 255.255.255.255, or (kernel) a subnet's */
	RTPP_ADDR_RESERVED,	/* 240.0.0.0/4 but the limited broadcast */
	RTPP_ADDR_LOCAL,	/* (kernel) an address of this host */
	__RTPP_ADDR_MAX,
};

/* @addr in network byte order; 0.0.0.0 itself is ZERONET too (callers
 * that take 0 as "unknown" do not ask). */
enum rtpp_addr_class rtpp_addr_class(__be32 addr);
/* "client address is ...", for extended acks: a static string. */
const char *rtpp_addr_strerror(int class);

#endif /* _RTPP_ADDR_H */
