// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path.
 *
 * A packet addressed to a gate port of a live session is rewritten in place
 * (source: the other gate's matching port, destination: the other side's
 * client), routed as a packet this host originates, handed to the output
 * path of its route as a forwarded packet is (send()) and stolen from the
 * hook.  It never goes through ip_forward() with a
 * rewritten source, so the martian-source and rp_filter checks of the
 * forwarding path cannot see a local source arriving from outside, and a
 * client on the relay host itself works the same way as a remote one.
 *
 * Packets are taken at the first hook that sees them addressed to a gate:
 * PREROUTING for packets from other hosts, OUTPUT for packets of local
 * clients.  The same rule in INPUT and POSTROUTING lets everything through.
 *
 * Taken before the input route, a packet from another host is checked as
 * the stack would have checked it (source.c): martian source, rp_filter,
 * inbound IPsec policy.  It is relayed as a router forwards, TTL less one,
 * and it leaves scrubbed of what it gathered on its way in.  Only a packet
 * ip_local_out() took counts as relayed; the others count as drop_route.
 *
 * Nothing here takes a lock shared by sessions: the session is found through
 * an RCU slot pointer and only its own lock is taken, once per packet: to
 * check, learn, account and take the route the session keeps (route.c).
 * Looking a route up, building the header and sending come after it.  The
 * lock is taken a second time for a route to keep (the first RTP packet to
 * a client, or the first after the routes changed) and for a packet that
 * could not be sent after all.
 *
 * Relayed packets leave untracked by conntrack.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "addr.h"
#include "rtpp.h"
#include "route.h"

struct relay {
	struct rtpp_port_ref ref;
	struct rtpp_endpoint src, dst;	/* new source (a gate) and destination */
	struct rtable *rt;
	u32 payload;
	u32 mtu;			/* too big for the route: its MTU */
	bool local;			/* sent by this host */
	bool out;			/* taken in OUTPUT: it crossed no hop */
	bool cached;			/* rt is the session's: no reference */
};

static unsigned int drop(struct rtpp_switchboard *sb, unsigned int reason)
{
	rtpp_count(sb, reason, 1);
	return NF_DROP;
}

/*
 * Is the UDP datagram the whole IP payload, with a checksum that verifies?
 * Returns 0 or the counter of the reason to drop it.
 */
static unsigned int check_packet(struct sk_buff *skb, const struct iphdr *iph,
				 const struct udphdr *uh, unsigned int hook)
{
	unsigned int ihl = iph->ihl * 4;
	unsigned int ulen = ntohs(uh->len);

	if (ip_is_fragment(iph))
		return RTPP_A_STAT_DROP_FRAGMENT;
	/* Options (source routes, record route) make no sense rewritten. */
	if (ihl != sizeof(*iph) || skb_is_gso(skb))
		return RTPP_A_STAT_DROP_MALFORMED;
	if (ulen < sizeof(*uh) || ulen != skb->len - ihl)
		return RTPP_A_STAT_DROP_MALFORMED;
	/* Zero: no checksum.  nf_ip_checksum() trusts what the device
	 * verified or summed, and computes the rest. */
	if (uh->check && nf_ip_checksum(skb, hook, ihl, IPPROTO_UDP))
		return RTPP_A_STAT_DROP_CSUM;
	return 0;
}

static struct rtable *route(struct net *net, struct sk_buff *skb,
			    const struct rtpp_endpoint *src,
			    const struct rtpp_endpoint *dst)
{
	struct flowi4 fl4 = {
		.daddr = dst->addr,
		.saddr = src->addr,
		.flowi4_mark = skb->mark,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = src->port,
		.fl4_dport = dst->port,
	};

	/* Without FLOWI_FLAG_ANYSRC a gate address that is not local fails
	 * here rather than leaving with a foreign source. */
	return ip_route_output_key(net, &fl4);
}

/*
 * Is the packet too big for @rt with Don't Fragment set?  The same MTU
 * ip_finish_output() will use (no socket, not IPSKB_FORWARDED), so that a
 * packet passed here is not refused there.  GSO packets are segmented to
 * the MTU on the way out.
 */
static u32 too_big(const struct sk_buff *skb, const struct rtable *rt)
{
	u32 mtu;

	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || skb_is_gso(skb))
		return 0;
	mtu = ip_dst_mtu_maybe_forward(&rt->dst, false);
	return skb->len > mtu ? mtu : 0;
}

/*
 * Call quality (quality.h), under the session's lock, of a packet about to
 * be relayed.  The arrival clock is read only for a packet rtpp_q_rtp()
 * times: most RTP.
 */
static __always_inline void note_rtp(struct rtpp_rtp_quality *q, const u8 *h,
				     u32 len)
{
	unsigned int clk = rtpp_q_rtp(q, h, len);

	if (clk)
		rtpp_q_time(q, h, clk, (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC));
}

/*
 * What the packet path does not see: an RTP header not in the linear part,
 * and every RTCP packet, copied whole when it is not.  Apart, and not
 * inlined, so that the copy lives on this frame only, and the common
 * path zeroes no buffer (the kernel initialises locals) and needs no stack
 * canary.
 */
static noinline void note_quality_slow(struct rtpp_session *s,
				       const struct sk_buff *skb,
				       unsigned int g, unsigned int st, u32 len)
{
	const unsigned int off = sizeof(struct iphdr) + sizeof(struct udphdr);
	struct rtpp_quality *q = rtpp_sess_q(s);
	u8 buf[512] __uninitialized;
	const u8 *p;

	lockdep_assert_held(&s->lock);
	if (st == RTPP_RTP) {
		p = len >= RTPP_RTP_HDR ?
			skb_header_pointer(skb, off, RTPP_RTP_HDR, buf) : NULL;
		/* rtpp_q_rtp() reads no header shorter than its own. */
		note_rtp(&q[g].rtp, p, p ? len : 0);
		return;
	}
	if (len > sizeof(buf) && skb_headlen(skb) < off + len)
		return;
	p = skb_header_pointer(skb, off, len, buf);
	/* This side reports on what it receives: the other side's RTP. */
	rtpp_q_rtcp(&q[g].rtcp, p, p ? len : 0, &q[!g].rtp);
}

static inline void note_quality(struct rtpp_session *s,
				const struct sk_buff *skb,
				unsigned int g, unsigned int st, u32 len)
{
	const unsigned int off = sizeof(struct iphdr) + sizeof(struct udphdr);

	lockdep_assert_held(&s->lock);
	if (st == RTPP_RTP && skb_headlen(skb) >= off + RTPP_RTP_HDR)
		note_rtp(&rtpp_sess_q(s)[g].rtp, skb->data + off, len);
	else
		note_quality_slow(s, skb, g, st, len);
}

/*
 * TTL of a packet: a router would drop it at 1 (it would leave with 0) and
 * tell its sender; a local client's taken in OUTPUT is kept, and only 0
 * (which no socket sends) is refused.  One that came in through lo is
 * forwarded like any other: it may be a relayed packet coming back.
 */
static unsigned int check_ttl(const struct iphdr *iph, bool out)
{
	if (iph->ttl > 1 || (out && iph->ttl == 1))
		return 0;
	return RTPP_A_STAT_DROP_TTL;
}

/*
 * Would the stack have taken this packet from another host (source.c)?  An
 * RTP packet from the known client, unmarked, may be let through on the
 * verdict the session kept for its side, with r->rt, the route to the other
 * side's client that it will take.
 */
static unsigned int check_input(struct rtpp_session *s, struct sk_buff *skb,
				const struct relay *r, bool known)
{
	if (!known || r->ref.rtcp != RTPP_RTP || skb->mark)
		return rtpp_input_check(skb, ip_hdr(skb));
	return rtpp_input_check_rtp(s, r->ref.gate, r->rt, skb, ip_hdr(skb));
}

/*
 * Decide under the session's lock: check the source as the stack would
 * (check_input(), which may use the verdict the session kept) and the TTL,
 * learn, account, and take the route the session keeps to the destination,
 * if any (route.c).  Returns 0 to relay or a drop reason; @bad is what
 * check_packet() found wrong with the packet, if anything.  A session past
 * its resurrection time, not yet freed by the audit, is a free slot: its
 * packets, broken or not, are none of ours (*free_slot), and are not
 * checked either: the stack will.
 *
 * A packet to relay is accounted to its stream here, before it is routed
 * and sent, so that a packet costs one round trip of the lock: the rare
 * packet that then finds no route, is too big or is refused by the output
 * path is moved to the errors by unaccount().  Routing, building the
 * header and sending happen after the lock is dropped.
 */
static unsigned int decide(struct rtpp_switchboard *sb, struct rtpp_session *s,
			   struct sk_buff *skb, struct relay *r, unsigned int bad,
			   bool *free_slot)
{
	const unsigned int g = r->ref.gate, st = r->ref.rtcp;
	struct rtpp_stream *in = &s->s[g][st];
	struct rtpp_endpoint client, peer;
	enum rtpp_sess_state state;
	struct rtpp_port_ref gate;
	unsigned int reason = 0;
	bool known;
	u64 now;

	lockdep_assert_in_softirq();	/* bottom halves off: rtpp_packet() */
	spin_lock(&s->lock);
	now = rtpp_now();
	state = rtpp_state_live(&s->t, &s->conf, now);
	if (state == RTPP_STATE_FREE) {
		*free_slot = true;
		goto out;
	}
	/* The route kept to the peer: learning a client of this side below
	 * drops only the route to it. */
	if (st == RTPP_RTP && !skb->mark) {
		r->rt = rtpp_route_get(s, !g);
		r->cached = r->rt != NULL;
	}
	client = rtpp_client(&s->conf, g, st);
	known = rtpp_endpoint_same(&client, &r->src);
	if (!bad && !r->out)
		bad = check_input(s, skb, r, known);
	if (!bad)
		bad = check_ttl(ip_hdr(skb), r->out);
	if (bad)
		reason = bad;
	else if (state == RTPP_STATE_EXPIRED)
		reason = RTPP_A_STAT_DROP_EXPIRED;
	else if (state == RTPP_STATE_DESTROYED)
		reason = RTPP_A_STAT_DROP_DESTROYED;
	if (reason)
		goto err;

	/* The known client first: no need to ask for the learning window. */
	switch (known ? RTPP_SRC_ACCEPT :
		rtpp_src_check(&client, &r->src,
			       rtpp_learning(&s->t, &s->conf, g, st, now),
			       s->conf.always[g])) {
	case RTPP_SRC_REJECT:
		reason = RTPP_A_STAT_DROP_SOURCE;
		goto err;
	case RTPP_SRC_LEARN:
		/* Rare (a new source), so the FIB lookup may be here: media
		 * must never be sent to where this source points.  Nor to a
		 * gate port of this switchboard (a local socket bound there):
		 * relayed there, it would come back through lo to be relayed
		 * again, and only the TTL would end that loop. */
		if (rtpp_client_class(sb->rn->net, r->src.addr, r->local) !=
		    RTPP_ADDR_UNICAST ||
		    rtpp_conf_lookup(&sb->conf, r->src.addr, ntohs(r->src.port),
				     &gate)) {
			reason = RTPP_A_STAT_DROP_BAD_SOURCE;
			goto err;
		}
		rtpp_client_set(&s->conf, g, st, &r->src);
		in->learned = true;
		if (st == RTPP_RTP)
			rtpp_route_reset(s, g);
		break;
	case RTPP_SRC_ACCEPT:
		break;
	}
	peer = rtpp_client(&s->conf, !g, st);
	if (!rtpp_endpoint_known(&peer)) {
		reason = RTPP_A_STAT_DROP_NO_PEER;
		goto err;
	}

	r->dst = peer;
	in->packets++;
	in->bytes += r->payload;
	in->last = now;
	s->t.last = now;
	if (s->conf.quality)
		note_quality(s, skb, g, st, r->payload);
	goto out;
err:
	in->errors++;
out:
	spin_unlock(&s->lock);
	return reason;
}

/*
 * The route from the gate to the client, when the session keeps none: looked
 * up, and kept for the next packet if it is one to keep.  Returns 0 or the
 * reason to drop the packet; on success r->rt holds a reference.
 */
static unsigned int find_route(struct rtpp_switchboard *sb,
			       struct rtpp_session *s, struct sk_buff *skb,
			       struct relay *r)
{
	r->rt = route(sb->rn->net, skb, &r->src, &r->dst);
	if (IS_ERR(r->rt)) {
		r->rt = NULL;
		return RTPP_A_STAT_DROP_ROUTE;
	}
	if (r->ref.rtcp == RTPP_RTP && !skb->mark)
		rtpp_route_store(s, !r->ref.gate, &r->dst, r->rt);
	return 0;
}

/* A packet decide() accounted was not sent after all: an error. */
static void unaccount(struct rtpp_session *s, const struct relay *r)
{
	struct rtpp_stream *in = &s->s[r->ref.gate][r->ref.rtcp];

	spin_lock(&s->lock);
	in->packets--;
	in->bytes -= r->payload;
	in->errors++;
	spin_unlock(&s->lock);
}

/*
 * Tell the sender why, as a router would: the packet is still as it came
 * (and in PREROUTING has the input route icmp_send() needs).
 */
static void tell_sender(struct sk_buff *skb, unsigned int reason,
			const struct relay *r)
{
	int type, code;
	__be32 info = 0;

	if (reason == RTPP_A_STAT_DROP_TTL && !r->local) {
		type = ICMP_TIME_EXCEEDED;
		code = ICMP_EXC_TTL;
	} else if (reason == RTPP_A_STAT_DROP_ROUTE && r->mtu) {
		type = ICMP_DEST_UNREACH;
		code = ICMP_FRAG_NEEDED;
		info = htonl(r->mtu);
	} else {
		return;
	}
	/* Let through on a verdict the session kept, a packet from another
	 * host has no input route yet (source.c); icmp_send() needs one. */
	if (!skb_dst(skb) && rtpp_input_check(skb, ip_hdr(skb)))
		return;
	icmp_send(skb, type, code, info);
}

/* What the new addresses add to a checksum of the old ones. */
static __wsum addrs_diff(const struct iphdr *iph, const struct relay *r)
{
	__wsum d = csum_sub(csum_sub((__force __wsum)r->src.addr,
				     (__force __wsum)iph->saddr),
			    (__force __wsum)iph->daddr);

	return csum_add(d, (__force __wsum)r->dst.addr);
}

static __wsum ports_diff(const struct udphdr *uh, const struct relay *r)
{
	__wsum d = csum_sub(csum_sub((__force __wsum)(__force u32)r->src.port,
				     (__force __wsum)(__force u32)uh->source),
			    (__force __wsum)(__force u32)uh->dest);

	return csum_add(d, (__force __wsum)(__force u32)r->dst.port);
}

static void rewrite(struct sk_buff *skb, const struct relay *r)
{
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = (struct udphdr *)((u8 *)iph + sizeof(*iph));
	bool partial = skb->ip_summed == CHECKSUM_PARTIAL;

	/*
	 * The UDP checksum, updated by what changed: both addresses (in the
	 * pseudo-header) and both ports.  A partial one is the pseudo-header's
	 * sum alone, the rest is summed on the way out; any other is left
	 * complete and the packet marked CHECKSUM_NONE below, so skb->csum
	 * needs no update.  A zero UDP checksum means none: it stays none.
	 */
	if (partial) {
		uh->check = ~csum_fold(csum_add(csum_unfold(uh->check),
						addrs_diff(iph, r)));
	} else if (uh->check) {
		__wsum d = csum_add(addrs_diff(iph, r), ports_diff(uh, r));

		csum_replace_by_diff(&uh->check, d);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	iph->saddr = r->src.addr;
	iph->daddr = r->dst.addr;
	uh->source = r->src.port;
	uh->dest = r->dst.port;
	/*
	 * The packet is forwarded: one hop less, so that a loop (two relays
	 * each other's clients, or sessions of this host relaying to each
	 * other's gates through lo) dies as a routing loop does.  A local
	 * client's packet taken in OUTPUT has crossed no hop: it keeps the
	 * TTL its socket gave it.  send() recomputes the header checksum.
	 */
	if (!r->out)
		iph->ttl--;

	if (!partial)
		skb->ip_summed = CHECKSUM_NONE;
	skb_orphan(skb);
	/*
	 * Nothing of the way in may leave with it: conntrack, bridge netfilter
	 * and IPsec state (skb extensions), the input route, trace and offload
	 * marks, ignore_df.  Not xnet: the packet stays in its namespace, and
	 * its mark chose the route below (policy routing) and may classify it
	 * on the way out, as for a forwarded packet; but an IPVS property and
	 * the receive time stamp belong to the packet that came in.
	 */
	skb_scrub_packet(skb, false);
	/*
	 * And none of it is connection tracking's business: the relay keeps
	 * its own state, and a tracked relayed packet costs a lookup, and an
	 * entry per stream, on the way out (an untracked one skips the OUTPUT
	 * and loopback PREROUTING conntrack hooks).  Marked after the scrub,
	 * which drops the entry of the way in.  An inline store: the module
	 * does not depend on nf_conntrack.
	 */
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	ipvs_reset(skb);
	skb_clear_tstamp(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	/* The session's route is used without a reference, as forwarding
	 * uses its input route: see route.c. */
	if (r->cached)
		skb_dst_set_noref(skb, &r->rt->dst);
	else
		skb_dst_set(skb, &r->rt->dst);
}

/*
 * Returns 0 if the output path took the packet, else why not.
 *
 * A relayed packet is forwarded, not sent by a process of this host: as a
 * forwarded packet it goes to the output path of its route (POSTROUTING,
 * the neighbour, the queue) without crossing OUTPUT, whose rules are for
 * what this host sends, and whose hooks cost as much again as the relay's
 * own work (BENCHMARKS.md).  Not through FORWARD either: a host that is no
 * router often drops everything there.  What ip_local_out() would do
 * besides its hook is the header checksum.
 */
static int send(struct rtpp_switchboard *sb, struct sk_buff *skb)
{
	int err;

	ip_send_check(ip_hdr(skb));
	skb->protocol = htons(ETH_P_IP);
	err = dst_output(sb->rn->net, NULL, skb);
	/*
	 * Negative: refused by a hook or the neighbour layer, or no memory;
	 * NET_XMIT_DROP: the queue dropped it.  NET_XMIT_CN means queued on a
	 * congested queue: sent.  A packet queued while its neighbour resolves
	 * counts as sent; if resolution fails it is lost unseen.
	 */
	return net_xmit_eval(err);
}

/*
 * Relay one datagram to session @s's port @ref, @uh its UDP header (as
 * rtpp_packet() read it; NULL: to be read).  Returns NF_STOLEN (sent, or
 * refused by the output path), NF_DROP (counted), or XT_CONTINUE (the slot
 * turned out free: not ours).
 */
static unsigned int relay_one(struct sk_buff *skb, struct rtpp_switchboard *sb,
			      struct rtpp_session *s,
			      const struct rtpp_port_ref *ref,
			      const struct udphdr *uh, unsigned int hook)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr _uh;
	struct relay r = { .ref = *ref };
	unsigned int bad, reason;
	bool free_slot = false;

	if (!uh)
		uh = skb_header_pointer(skb, iph->ihl * 4, sizeof(_uh), &_uh);
	if (!uh)
		return drop(sb, RTPP_A_STAT_DROP_MALFORMED);
	r.src.addr = iph->saddr;
	r.src.port = uh->source;
	r.payload = ntohs(uh->len) - sizeof(*uh);
	/* Sent by this host: in OUTPUT, or looped back through lo (the
	 * only device a packet of this host's can come in from). */
	r.out = hook == NF_INET_LOCAL_OUT;
	r.local = r.out || (skb->dev->flags & IFF_LOOPBACK);
	bad = check_packet(skb, iph, uh, hook);
	reason = decide(sb, s, skb, &r, bad, &free_slot);
	if (free_slot)
		return XT_CONTINUE;
	if (reason) {
		tell_sender(skb, reason, &r);
		return drop(sb, reason);
	}
	if (skb_ensure_writable(skb, sizeof(*iph) + sizeof(*uh))) {
		unaccount(s, &r);
		return drop(sb, RTPP_A_STAT_DROP_ROUTE);
	}

	/* From here on nothing needs the session's lock. */
	r.src.addr = sb->conf.gate[!r.ref.gate].addr;
	r.src.port = htons(rtpp_conf_port(&sb->conf, !r.ref.gate, r.ref.slot,
					  r.ref.rtcp));
	if (!r.rt)
		reason = find_route(sb, s, skb, &r);
	if (!reason) {
		r.mtu = too_big(skb, r.rt);
		if (r.mtu)
			reason = RTPP_A_STAT_DROP_ROUTE;
	}
	if (reason) {
		if (r.rt && !r.cached)
			ip_rt_put(r.rt);
		unaccount(s, &r);
		tell_sender(skb, reason, &r);
		return drop(sb, reason);
	}

	rewrite(skb, &r);
	if (send(sb, skb)) {
		unaccount(s, &r);
		rtpp_count(sb, RTPP_A_STAT_DROP_ROUTE, 1);
	} else {
		rtpp_count_relayed(sb, r.payload);
	}
	return NF_STOLEN;
}

/*
 * A burst that arrives as one GSO skb (UDP GRO forwarding or fraglist GRO
 * on the way in, a local sender's UDP_SEGMENT, a veth peer passing either
 * on) is cut into its datagrams, and each one is checked, accounted and
 * relayed as if it had come alone.  Cut in software (no device features):
 * each segment gets its own checksum, which check_packet() verifies.
 */
static unsigned int relay_segments(struct sk_buff *skb,
				   struct rtpp_switchboard *sb,
				   struct rtpp_session *s,
				   const struct rtpp_port_ref *ref,
				   unsigned int hook)
{
	struct sk_buff *segs, *seg, *next;

	/* Whether the burst is ours is decided for all of it, before it is
	 * cut: a segment cannot go on through the hook alone. */
	if (rtpp_sess_state(s, rtpp_now()) == RTPP_STATE_FREE)
		return XT_CONTINUE;
	/* A sound GSO packet's checksum is partial (sent, or UDP GRO) or
	 * verified (fraglist GRO): segmenting any other would warn. */
	if (skb->ip_summed != CHECKSUM_PARTIAL &&
	    skb->ip_summed != CHECKSUM_UNNECESSARY)
		return drop(sb, RTPP_A_STAT_DROP_MALFORMED);
	segs = __skb_gso_segment(skb, 0, hook == NF_INET_LOCAL_OUT);
	if (IS_ERR_OR_NULL(segs))
		return drop(sb, RTPP_A_STAT_DROP_MALFORMED);
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		/* A slot that came free in the middle of the burst drops the
		 * rest of it: the next burst continues through the hook. */
		if (relay_one(seg, sb, s, ref, NULL, hook) != NF_STOLEN)
			kfree_skb(seg);
	}
	return NF_STOLEN;
}

static unsigned int relay(struct sk_buff *skb, struct rtpp_switchboard *sb,
			  struct rtpp_session *s, const struct rtpp_port_ref *ref,
			  const struct udphdr *uh, unsigned int hook)
{
	/* Only UDP bursts: a GSO skb of anything else is malformed here. */
	if (skb_is_gso(skb) && (skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4))
		return relay_segments(skb, sb, s, ref, hook);
	return relay_one(skb, sb, s, ref, uh, hook);
}

/*
 * From the target, in any hook: in PREROUTING (a softirq) and OUTPUT, with
 * bottom halves off from here on, as the session's lock wants.
 */
unsigned int rtpp_packet(struct sk_buff *skb, struct rtpp_switchboard *sb,
			 unsigned int hook)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh;
	struct rtpp_session *s;
	struct rtpp_port_ref ref;
	struct udphdr _uh;

	if (hook != NF_INET_PRE_ROUTING && hook != NF_INET_LOCAL_OUT)
		return XT_CONTINUE;
	if (iph->protocol != IPPROTO_UDP || (ntohs(iph->frag_off) & IP_OFFSET))
		return XT_CONTINUE;	/* later fragments carry no ports */
	uh = skb_header_pointer(skb, iph->ihl * 4, sizeof(_uh), &_uh);
	if (!uh || !rtpp_conf_lookup(&sb->conf, iph->daddr, ntohs(uh->dest),
				     &ref))
		return XT_CONTINUE;
	s = rcu_dereference(sb->slots[ref.slot]);
	if (!s)
		return XT_CONTINUE;	/* a free slot is not ours */
	if (hook == NF_INET_LOCAL_OUT) {
		unsigned int verdict;

		/* The session's lock is taken with bottom halves off. */
		local_bh_disable();
		verdict = relay(skb, sb, s, &ref, uh, hook);
		local_bh_enable();
		return verdict;
	}
	return relay(skb, sb, s, &ref, uh, hook);
}
