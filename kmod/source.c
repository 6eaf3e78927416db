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
 *
 * The input check is a route lookup, two with rp_filter: with strict
 * rp_filter about 1,100 instructions a packet, a tenth of a relayed
 * packet's whole path (BENCHMARKS.md).  A stream's packets come from its one known client, to
 * the same gate port: as for the packets of a connected socket, which
 * early demux gives the input route the socket keeps (sk_rx_dst), the
 * verdict is the same packet after packet until something it depends on
 * changes.  rtpp_input_check_rtp() keeps it for the RTP stream of each
 * side, under the session's lock, keyed by what routing does not version
 * (input_stamp()) and tied to the route the session keeps onward
 * (route.c), so that it dies with the routing generation: a route, rule,
 * address or link that changes in the namespace bumps rt_genid, the
 * route's dst_check() fails, and the next packet is checked in full.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/dst_metadata.h>
#include <net/genetlink.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "addr.h"
#include "rtpp.h"
#include "route.h"

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
	__be32 passed = 0;	/* a side's RTCP client is mostly its RTP's */
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
				if (!addr || addr == passed)	/* 0: no client yet */
					continue;
				class = rtpp_client_class(net, addr, false);
				if (class == RTPP_ADDR_UNICAST) {
					passed = addr;
					continue;
				}
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

/*
 * What the input check's verdict on a packet depends on, besides its
 * addresses and ports and the namespace's routing (rt_genid), packed in 16
 * bits: the device it came in on, what ip_route_input_noref() keeps of its
 * TOS (IPTOS_RT_MASK), and the device's effective rp_filter, whose change
 * flushes nothing.  The other sysctls the check reads need no place here:
 * turning accept_local or route_localnet off flushes the routing
 * generation (turning them on only accepts more), and src_valid_mark
 * matters only for a marked packet, whose verdict is never kept (a rule
 * may route by its mark, packet by packet).  0 if the verdict is not to be
 * kept: a packet with a route or tunnel metadata already, from a device of
 * a VRF or numbered past 1023.
 */
static u16 input_stamp(const struct sk_buff *skb, const struct iphdr *iph)
{
	const struct net_device *dev = skb->dev;
	struct in_device *idev;
	int rpf;

	if (skb_dst(skb) || dev->ifindex >= (1 << 10) ||
	    netif_is_l3_master(dev) || netif_is_l3_slave(dev))
		return 0;
	idev = __in_dev_get_rcu(dev);
	if (!idev)
		return 0;
	/* 0 off, 1 strict, any other value loose (fib_validate_source()). */
	rpf = IN_DEV_RPFILTER(idev);
	rpf = rpf == 0 || rpf == 1 ? rpf : 2;
	return BIT(15) | rpf << 13 | (iph->tos & IPTOS_RT_MASK) << 8 |
	       dev->ifindex;
}

/*
 * rtpp_input_check() of an unmarked RTP packet from side @g's known
 * client, to be relayed by @rt, the route the session keeps to the other side's client
 * (NULL if none).  The verdict is kept in the session while that route is:
 * recorded only if no routing change came between the route's lookup and
 * this check (their generations agree), and forgotten with the route
 * (rtpp_route_reset(), rtpp_route_store()) or when the client changes,
 * which drops the route too.  The IPsec inbound check is cheap and is
 * made every time; a kept verdict it refuses (policies in place) is
 * checked in full, with the input route whose flags (disable_policy) it
 * may need.  A packet let through on a kept verdict has no input route:
 * the rare one that is then answered with ICMP gets it (packet.c).
 */
unsigned int rtpp_input_check_rtp(struct rtpp_session *s, unsigned int g,
				  const struct rtable *rt, struct sk_buff *skb,
				  const struct iphdr *iph)
{
	u16 stamp = rt ? input_stamp(skb, iph) : 0;
	unsigned int bad;
	int gen;

	lockdep_assert_held(&s->lock);
	if (stamp && s->input_ok[g] == stamp &&
	    xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		return 0;
	gen = rt_genid_ipv4(dev_net(skb->dev));
	bad = rtpp_input_check(skb, iph);
	if (!bad && stamp && rt->rt_genid == gen)
		s->input_ok[g] = stamp;
	return bad;
}
