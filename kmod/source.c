// SPDX-License-Identifier: GPL-2.0
/*
 * Who may send to a gate, and who may become a client.
 *
 * The relay takes its packets in PREROUTING, before the input route that
 * would have refused a martian source or one failing the interface's
 * reverse path filter, and before the IPsec inbound policy check of local
 * delivery.  rtpp_input_check() applies both, as the stack would have to
 * this packet.  A client address, given by netlink or learned from a
 * packet, must moreover be one media may be sent to (addr.h): given by
 * netlink it is signalling data (an SDP body) that anyone may have written,
 * so it must not be an address of this host either; learned, it may be one
 * only from a packet this host sent itself.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/dst_metadata.h>
#include <net/genetlink.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "addr.h"
#include "rtpp.h"

/*
 * What @addr is as a client: RTPP_ADDR_UNICAST if it may be one.  Unless
 * @local_ok, an address the local table routes to this host (its own, a
 * subnet broadcast, an AnyIP range) is refused too.  Any context: the
 * lookup is under RCU.
 */
int rtpp_client_class(struct net *net, __be32 addr, bool local_ok)
{
	int class = rtpp_addr_class(addr);

	if (class != RTPP_ADDR_UNICAST || local_ok)
		return class;
	switch (inet_addr_type(net, addr)) {
	case RTN_UNICAST:
		return RTPP_ADDR_UNICAST;
	case RTN_BROADCAST:
		return RTPP_ADDR_BROADCAST;
	case RTN_MULTICAST:
		return RTPP_ADDR_MULTICAST;
	default:	/* RTN_LOCAL, or whatever else the local table says */
		return RTPP_ADDR_LOCAL;
	}
}

/*
 * The client addresses of an ALLOC or UPDATE's RTPP_A_SESS @nest, already
 * validated by its policy: each one given must be a client's.  A refusal
 * names the attribute in the extended ack.
 */
int rtpp_nl_check_clients(struct net *net, const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	const struct nlattr *side, *stream, *a;
	int rs, rt, ra;

	nla_for_each_nested(side, nest, rs) {
		if (nla_type(side) != RTPP_A_SESS_SIDE_A &&
		    nla_type(side) != RTPP_A_SESS_SIDE_B)
			continue;
		nla_for_each_nested(stream, side, rt) {
			if (nla_type(stream) != RTPP_A_SIDE_RTP &&
			    nla_type(stream) != RTPP_A_SIDE_RTCP)
				continue;
			nla_for_each_nested(a, stream, ra) {
				__be32 addr;
				int class;

				if (nla_type(a) != RTPP_A_STREAM_ADDR)
					continue;
				addr = nla_get_be32(a);
				if (!addr)	/* "unknown": no client yet */
					continue;
				class = rtpp_client_class(net, addr, false);
				if (class == RTPP_ADDR_UNICAST)
					continue;
				if (extack)	/* a static string, as NL_SET_ERR_MSG */
					extack->_msg = rtpp_addr_strerror(class);
				NL_SET_BAD_ATTR(extack, a);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Would the stack have taken this packet from another host?  Returns 0 or
 * the reason to drop it.  Runs in PREROUTING only, in the receive path's
 * RCU section: the input route it may set is a noref one, which is what
 * ip_rcv_finish() sets too and keeps if the packet turns out not ours.
 */
unsigned int rtpp_input_check(struct sk_buff *skb, const struct iphdr *iph)
{
	/*
	 * The input route does the martian checks (loopback, 0/8, multicast
	 * and broadcast sources, an address of this host unless accept_local)
	 * and fib_validate_source() with the interface's rp_filter.  A packet
	 * that already has a route came through the loopback device from this
	 * host, or was routed by bridge netfilter: the stack keeps that route
	 * (ip_rcv_finish_core), and so do we.
	 */
	if (!skb_valid_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev))
		return RTPP_A_STAT_DROP_BAD_SOURCE;
	/*
	 * The packet is addressed to this host (a gate), and the relay is its
	 * end as a socket would be: the inbound policy (XFRM_POLICY_IN) is the
	 * one that applies, as udp_queue_rcv_skb() checks it, not FWD, which
	 * is for packets to other hosts.  Without policies and secpath this is
	 * a test of two counters.
	 */
	if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		return RTPP_A_STAT_DROP_BAD_SOURCE;
	return 0;
}
