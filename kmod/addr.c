// SPDX-License-Identifier: GPL-2.0
/*
 * Address classes of clients.  Pure logic: see addr.h.
 */
#include "addr.h"

enum rtpp_addr_class rtpp_addr_class(__be32 addr)
{
	/* Network byte order without the kernel's or libc's helpers: the
	 * first octet is the first byte in memory. */
	const u8 *b = (const u8 *)&addr;

	if (b[0] == 0)
		return RTPP_ADDR_ZERONET;
	if (b[0] == 127)
		return RTPP_ADDR_LOOPBACK;
	if ((b[0] & 0xf0) == 224)
		return RTPP_ADDR_MULTICAST;
	if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255)
		return RTPP_ADDR_BROADCAST;
	if ((b[0] & 0xf0) == 240)
		return RTPP_ADDR_RESERVED;
	return RTPP_ADDR_UNICAST;
}

const char *rtpp_addr_strerror(int class)
{
	switch (class) {
	case RTPP_ADDR_UNICAST:
		return "client address is unicast";
	case RTPP_ADDR_ZERONET:
		return "client address is in 0.0.0.0/8";
	case RTPP_ADDR_LOOPBACK:
		return "client address is loopback (127.0.0.0/8)";
	case RTPP_ADDR_MULTICAST:
		return "client address is multicast";
	case RTPP_ADDR_BROADCAST:
		return "client address is a broadcast address";
	case RTPP_ADDR_RESERVED:
		return "client address is reserved (240.0.0.0/4)";
	case RTPP_ADDR_LOCAL:
		return "client address is an address of this host";
	}
	return "client address is not a unicast address";
}
