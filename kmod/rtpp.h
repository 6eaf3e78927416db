/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xt_RTPPROXY internals shared by the module's files.
 *
 * Locking:
 *  - rtpp_net.lock (a mutex) serialises every change of a namespace's
 *    switchboards and sessions: rule check/destroy, netlink requests and the
 *    audit.  It guards the switchboard list, rule counts, slot bitmaps, the
 *    slot pointers' writers and the reset baselines.
 *  - The packet path takes none of it: switchboards are reached through the
 *    rule's target info, sessions through RCU-protected slot pointers, and
 *    switchboard/namespace counters are per-CPU.
 *  - rtpp_session.lock (BH-safe spinlock) guards one session's clients,
 *    timing and stream counters: the packet path of that session's two
 *    directions and the control path meet only there.  The packet path
 *    runs with bottom halves off (rtpp_packet) and takes it with
 *    spin_lock(); the control path with spin_lock_bh().
 *  - Switchboards and sessions are freed after an RCU grace period.
 */
#ifndef _RTPP_H
#define _RTPP_H

#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/dst.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/route.h>

#include "conf.h"
#include "params.h"
#include "quality.h"
#include "slot.h"
#include "state.h"

struct sk_buff;

struct rtpp_counters {
	u64 c[RTPP_STAT_COUNT];		/* indexed by attr - RTPP_STAT_FIRST_PACKET */
};

#define RTPP_STAT(attr)		((attr) - RTPP_STAT_FIRST_PACKET)

/* Monotonic per-CPU counters; a reset moves a baseline (see stats.c). */
struct rtpp_stats {
	struct rtpp_counters __percpu *pcpu;
	struct rtpp_counters base;	/* under rtpp_net.lock */
};

/* 32 bytes: a bool of its own would pad it to 40. */
struct rtpp_stream {
	u64 packets, bytes;
	u64 errors:63;
	u64 learned:1;			/* the client was learned from a packet */
	u64 last;			/* ms; 0: no packet yet */
};

struct dst_entry;
struct rtable;

/*
 * A session is 232 bytes (8 + 80 + 128 + 16 + 8), an object of a cache of
 * its own (session.c), not rounded up to cache lines: with its slot
 * pointer, its bit and the memory cgroup's pointer to it, a slot in use
 * costs under 256 bytes (BENCHMARKS.md).  The cost: a session's streams
 * are no longer each within one cache line, and two sessions relayed on
 * different CPUs may share one.
 *
 * First what the packet path reads and writes under the lock: the input
 * check's verdict on each side's RTP (source.c) beside the lock, its
 * timing and configuration in 80 bytes (struct rtpp_timing and struct
 * rtpp_sess_conf say how they fit), then the four streams and the routes
 * to the two RTP clients.  Last what only the control path reads, under
 * rtpp_net.lock while the session is in its slot: its id, which is its
 * slot (under 32768: --max-sess), and created_real_ms, in 48 bits (ms
 * since 1970: until the year 10889).  The node that queues the session to
 * be freed takes those 8 bytes once it has left the slot.  Not an
 * rcu_head, which would take 16: a packet may still be reading any other
 * field until the grace period ends (session.c).
 */
struct rtpp_session {
	spinlock_t lock;
	u16 input_ok[RTPP_SIDES];
	struct rtpp_timing t;
	struct rtpp_sess_conf conf;
	struct rtpp_stream s[RTPP_SIDES][RTPP_STREAMS];
	struct dst_entry *rtp_route[RTPP_SIDES];	/* route.c */
	union {
		struct {
			u64 created_real_ms:48;
			u64 id:16;
		};
		struct llist_node dead;			/* session.c */
	};
};

/*
 * A session that tracks call quality (conf.quality) is the first part of
 * one of these, from a cache of its own aligned to cache lines: 424 bytes,
 * 448 with the alignment, rather than 232, and no pointer to follow on the
 * packet path.
 */
struct rtpp_session_q {
	struct rtpp_session s;
	struct rtpp_quality q[RTPP_SIDES];
};

static inline struct rtpp_quality *rtpp_sess_q(struct rtpp_session *s)
{
	return s->conf.quality ? container_of(s, struct rtpp_session_q, s)->q
			       : NULL;
}

struct rtpp_net;

struct rtpp_switchboard {
	/*
	 * What every packet reads, in the first cache line: written when the
	 * switchboard is created (conf's timeouts also when its rules change,
	 * stats.base by a reset).
	 */
	struct rtpp_conf conf;		/* gates and size never change */
	struct rtpp_session __rcu **slots;
	struct rtpp_net *rn;
	struct rtpp_stats stats;

	/*
	 * The control path's, under rtpp_net.lock.  Every allocation writes
	 * them: not on a line that packets read.
	 */
	u32 cursor ____cacheline_aligned_in_smp;
	u32 nused;			/* bits set in used */
	u64 *used;			/* slot bitmap */
	u64 free_at;			/* no slot comes free before (ms) */
	struct list_head list;		/* rtpp_net.sbs, in id order */
	struct list_head timeouts;	/* the rules' timeouts (switchboard.c) */
	u32 id;
	u32 rules;
	struct rcu_head rcu;
	u64 created_real_ms;
	u64 discont_real_ms;		/* last session statistics reset */
	u64 pkt_discont_real_ms;	/* last packet statistics reset */
	/* The counters of its namespace, when it outlived the namespace's
	 * exit (see rtpp_sb_put): freed with it. */
	struct rtpp_counters __percpu *net_pcpu;
};

struct rtpp_net {
	/* Read by every packet.  stats.pcpu is allocated with the first
	 * switchboard: a namespace that never has one costs no per-CPU
	 * memory and no grace period when it goes (main.c). */
	struct net *net;
	struct rtpp_stats stats;

	/* The control path's: the mutex is written by every request. */
	struct mutex lock ____cacheline_aligned_in_smp;
	struct list_head sbs;
	u32 next_id;
	u32 nsbs;
	u32 nsess;			/* the sum of their max_sess */
	bool dying;
	bool pcpu_handed;		/* a switchboard frees stats.pcpu */
	u64 discont_real_ms;		/* last global statistics reset */
	struct delayed_work audit;
	/* Moves whenever a switchboard or a session comes or goes, so that a
	 * dump spanning such a change says so (NLM_F_DUMP_INTR). */
	u32 gen;
};

/*
 * Whatever a namespace's users make the module allocate (switchboards,
 * sessions, counters) is charged to their memory cgroup.  At the cgroup's
 * limit the request fails, and iptables or the netlink client gets ENOMEM,
 * rather than the cgroup's OOM killer shooting a process of its choice.
 */
#define RTPP_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL)

extern unsigned int rtpp_net_id;
extern u64 rtpp_loaded_ms;

static inline struct rtpp_net *rtpp_net(struct net *net)
{
	return net_generic(net, rtpp_net_id);
}

/*
 * A switchboard or session was added or removed in @rn.  Called today from
 * the events that announce those changes (event.c) and from ALLOC: code
 * that adds or frees one without such an event must call it too.
 */
static inline void rtpp_net_changed(struct rtpp_net *rn)
{
	lockdep_assert_held(&rn->lock);
	/* 0 .. U32_MAX - 1: rtpp_net_dump_seq() is never 0, which
	 * nl_dump_check_consistent() reads as "not set". */
	rn->gen = rn->gen == U32_MAX - 1 ? 0 : rn->gen + 1;
}

/* The value a dump keeps in cb->seq, to be told of changes. */
static inline u32 rtpp_net_dump_seq(const struct rtpp_net *rn)
{
	lockdep_assert_held(&rn->lock);
	return rn->gen + 1;
}

/* The one clock of sessions, in ms (coarse: jiffies). */
static inline u64 rtpp_now(void)
{
#if MSEC_PER_SEC % HZ == 0	/* HZ 100, 250, 1000: a multiplication inline */
	return get_jiffies_64() * (MSEC_PER_SEC / HZ);
#else
	return jiffies64_to_msecs(get_jiffies_64());
#endif
}

/* The wall clock, in ms since the epoch: what listings and SNMP show. */
static inline u64 rtpp_real_ms(void)
{
	return ktime_get_real_ns() / NSEC_PER_MSEC;
}

/* stats.c */
int rtpp_stats_init(struct rtpp_stats *st);
void rtpp_stats_free(struct rtpp_stats *st);
void rtpp_stats_read(const struct rtpp_stats *st, struct rtpp_counters *out);
void rtpp_stats_reset(struct rtpp_stats *st, u64 mask,
		      struct rtpp_counters *cleared);
void rtpp_stats_peek(const struct rtpp_stats *st, u64 mask,
		     struct rtpp_counters *cleared, struct rtpp_counters *now);
void rtpp_stats_commit(struct rtpp_stats *st, u64 mask,
		       const struct rtpp_counters *now);

static inline void rtpp_count(struct rtpp_switchboard *sb, unsigned int attr,
			      u64 n)
{
	this_cpu_add(sb->stats.pcpu->c[RTPP_STAT(attr)], n);
	this_cpu_add(sb->rn->stats.pcpu->c[RTPP_STAT(attr)], n);
}

/* One packet of @bytes relayed: both counters of both levels at once. */
static inline void rtpp_count_relayed(struct rtpp_switchboard *sb, u64 bytes)
{
	struct rtpp_counters __percpu *sbc = sb->stats.pcpu;
	struct rtpp_counters __percpu *nc = sb->rn->stats.pcpu;

	this_cpu_inc(sbc->c[RTPP_STAT(RTPP_A_STAT_PACKETS)]);
	this_cpu_add(sbc->c[RTPP_STAT(RTPP_A_STAT_BYTES)], bytes);
	this_cpu_inc(nc->c[RTPP_STAT(RTPP_A_STAT_PACKETS)]);
	this_cpu_add(nc->c[RTPP_STAT(RTPP_A_STAT_BYTES)], bytes);
}

/* switchboard.c */
struct rtpp_switchboard *rtpp_sb_get(struct net *net, const struct rtpp_conf *conf,
				     int *err);
void rtpp_sb_put(struct rtpp_switchboard *sb, const struct rtpp_conf *conf);
/* census.c: what a listing of a switchboard, or info, shows of its live
 * sessions */
struct rtpp_sb_census {
	u32 states[__RTPP_STATE_MAX];		/* slots by state */
	struct rtpp_q_totals q;			/* their RTP streams' quality */
};

void rtpp_sb_census(struct rtpp_switchboard *sb, struct rtpp_sb_census *c,
		    u64 now);

/* limits.c */
int rtpp_limits_check(const struct rtpp_net *rn, const struct rtpp_conf *conf);

/* session.c */
int rtpp_sess_cache_init(void);
void rtpp_sess_cache_exit(void);
struct rtpp_session *rtpp_sess_alloc(struct rtpp_switchboard *sb,
				     const struct rtpp_params *p);
bool rtpp_sess_update(struct rtpp_switchboard *sb, struct rtpp_session *s,
		      const struct rtpp_params *p, bool revive);
bool rtpp_sess_delete(struct rtpp_switchboard *sb, struct rtpp_session *s);
void rtpp_sess_free_all(struct rtpp_switchboard *sb);
void rtpp_sess_sweep(struct rtpp_switchboard *sb, u64 now);

static inline enum rtpp_sess_state rtpp_sess_state(struct rtpp_session *s,
						   u64 now)
{
	enum rtpp_sess_state state;

	spin_lock_bh(&s->lock);
	state = rtpp_state(&s->t, &s->conf, now);
	spin_unlock_bh(&s->lock);
	return state;
}

static inline struct rtpp_session *rtpp_sess_at(struct rtpp_switchboard *sb,
						u32 slot)
{
	return rcu_dereference_protected(sb->slots[slot],
					 lockdep_is_held(&sb->rn->lock));
}

#define rtpp_for_each_sess(sb, slot, sess, lo, hi)			\
	for ((slot) = (lo); (slot) <= (hi) && (slot) < (sb)->conf.max_sess; (slot)++) \
		if (!rtpp_slot_used((sb)->used, (slot)) ||		\
		    !((sess) = rtpp_sess_at((sb), (slot)))) {} else

/* packet.c */
unsigned int rtpp_packet(struct sk_buff *skb, struct rtpp_switchboard *sb,
			 unsigned int hook);

/* source.c */
struct iphdr;
struct nlattr;
struct netlink_ext_ack;
int rtpp_client_class(struct net *net, __be32 addr, bool local_ok);
int rtpp_nl_check_clients(struct net *net, const struct nlattr *nest,
			  struct netlink_ext_ack *extack);
unsigned int rtpp_input_check(struct sk_buff *skb, const struct iphdr *iph);
unsigned int rtpp_input_check_rtp(struct rtpp_session *s, unsigned int g,
				  const struct rtable *rt, struct sk_buff *skb,
				  const struct iphdr *iph);

/* audit.c */
void rtpp_audit_net(struct rtpp_net *rn);
void rtpp_audit_work(struct work_struct *work);
void rtpp_audit_schedule(struct rtpp_net *rn);

/* netlink.c (the family), event.c */
int rtpp_genl_init(void);
void rtpp_genl_exit(void);
void rtpp_event_sess(struct rtpp_switchboard *sb, struct rtpp_session *s,
		     enum rtpp_event ev);
void rtpp_event_sb(struct rtpp_switchboard *sb, enum rtpp_event ev);

/* target.c */
int rtpp_target_init(void);
void rtpp_target_exit(void);

#endif /* _RTPP_H */
