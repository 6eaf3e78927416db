// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: allocation into a slot, update, delete and freeing.  Every
 * function here runs under rtpp_net.lock; the packet path only reads the
 * slot pointers under RCU and takes the session's own lock.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "rtpp.h"
#include "route.h"

static struct kmem_cache *sess_cache __read_mostly;
static struct kmem_cache *sess_q_cache __read_mostly;

/*
 * Whether sessions allocated from now on track call quality (quality.h):
 * 192 bytes more a session, and a few dozen instructions a packet.  A
 * session keeps what it was allocated with.
 */
static bool quality __read_mostly = true;
module_param(quality, bool, 0644);
MODULE_PARM_DESC(quality,
		 "New sessions track RTP/RTCP call quality (default on)");

int rtpp_sess_cache_init(void)
{
	/*
	 * 232 bytes a session (see struct rtpp_session), its lock counted
	 * as the 4 bytes it is without lock debugging.
	 */
	BUILD_BUG_ON(sizeof(struct rtpp_session) - sizeof(spinlock_t) + 4 > 232);
	BUILD_BUG_ON(sizeof(struct rtpp_timing) != 24);
	BUILD_BUG_ON(sizeof(struct rtpp_sess_conf) != 48);
	/* The packet path's fields before the control path's. */
	BUILD_BUG_ON(offsetof(struct rtpp_session, s) + sizeof_field(struct rtpp_session, s) !=
		     offsetof(struct rtpp_session, rtp_route));
	BUILD_BUG_ON(offsetof(struct rtpp_session, rtp_route) +
		     sizeof_field(struct rtpp_session, rtp_route) !=
		     offsetof(struct rtpp_session, dead));
	/* The id is the slot, and a slot is under 32768 (--max-sess). */
	BUILD_BUG_ON(XT_RTPPROXY_MAX_SESS - 1 > U16_MAX);

	/* With quality: 7 lines, the tail right after the session's. */
	BUILD_BUG_ON(sizeof(struct rtpp_session_q) - sizeof(spinlock_t) + 4 > 448);
	BUILD_BUG_ON(offsetof(struct rtpp_session_q, s) != 0);

	/*
	 * Not aligned to cache lines, which would round 232 bytes up to 256.
	 * Accounted: sessions are allocated for any network namespace, and
	 * its memory cgroup pays for them.  Sessions that track quality
	 * keep whole lines of their own, as before: 448 bytes each.
	 */
	sess_cache = KMEM_CACHE(rtpp_session, SLAB_ACCOUNT);
	if (!sess_cache)
		return -ENOMEM;
	sess_q_cache = KMEM_CACHE(rtpp_session_q, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT);
	if (!sess_q_cache) {
		kmem_cache_destroy(sess_cache);
		return -ENOMEM;
	}
	return 0;
}

static void sess_free(struct rtpp_session *s)
{
	if (s->conf.quality)
		kmem_cache_free(sess_q_cache, container_of(s, struct rtpp_session_q, s));
	else
		kmem_cache_free(sess_cache, s);
}

/*
 * Sessions that left their slot, freed in batches after a grace period
 * rather than by one call_rcu() each: a queue node takes 8 bytes of a
 * session, an rcu_head 16 (see struct rtpp_session).  Every session on the
 * list left its slot before it was added, so a grace period that starts
 * after the list was taken covers every reader that may still hold one of
 * them.  Sessions added meanwhile go to the next run, which waits a grace
 * period of its own.
 */
static LLIST_HEAD(sess_dead);

static void sess_reap(struct work_struct *work)
{
	struct llist_node *dead = llist_del_all(&sess_dead);
	struct rtpp_session *s, *next;

	synchronize_rcu();
	llist_for_each_entry_safe(s, next, dead, dead) {
		rtpp_route_free(s);
		sess_free(s);
	}
}

static DECLARE_WORK(sess_reap_work, sess_reap);

/*
 * Once no session can be added any more (every switchboard is gone): the
 * sessions still queued are freed before their caches go.
 */
void rtpp_sess_cache_exit(void)
{
	flush_work(&sess_reap_work);
	WARN_ON_ONCE(!llist_empty(&sess_dead));
	kmem_cache_destroy(sess_q_cache);
	kmem_cache_destroy(sess_cache);
}

/* A client that netlink moved has no route yet (route.c). */
static void reset_routes(struct rtpp_session *s,
			 const struct rtpp_endpoint old[RTPP_SIDES])
{
	unsigned int side;

	lockdep_assert_held(&s->lock);
	for (side = 0; side < RTPP_SIDES; side++) {
		struct rtpp_endpoint now = rtpp_client(&s->conf, side, RTPP_RTP);

		if (!rtpp_endpoint_same(&old[side], &now))
			rtpp_route_reset(s, side);
	}
}

/*
 * sb->free_at is a time before which no slot of the switchboard comes free:
 * at most the rtpp_free_at() of each of its sessions.  Packets only move a
 * session's later; anything the control path does to one moves the bound
 * down to it, and a sweep (rtpp_sess_sweep()) sets the bound exactly.
 */
static void note_free_at(struct rtpp_switchboard *sb, u64 free_at)
{
	lockdep_assert_held(&sb->rn->lock);
	sb->free_at = min(sb->free_at, free_at);
}

static void set_learned(struct rtpp_session *s,
			bool learned[RTPP_SIDES][RTPP_STREAMS])
{
	unsigned int side, st;

	for (side = 0; side < RTPP_SIDES; side++)
		for (st = 0; st < RTPP_STREAMS; st++)
			s->s[side][st].learned = learned[side][st];
}

static void get_learned(const struct rtpp_session *s,
			bool learned[RTPP_SIDES][RTPP_STREAMS])
{
	unsigned int side, st;

	for (side = 0; side < RTPP_SIDES; side++)
		for (st = 0; st < RTPP_STREAMS; st++)
			learned[side][st] = s->s[side][st].learned;
}

/* @p has passed rtpp_params_check(p, true) and rtpp_params_derive(). */
struct rtpp_session *rtpp_sess_alloc(struct rtpp_switchboard *sb,
				     const struct rtpp_params *p)
{
	bool learned[RTPP_SIDES][RTPP_STREAMS] = {};
	struct rtpp_session *s;
	u64 now = rtpp_now();
	long slot;

	lockdep_assert_held(&sb->rn->lock);
	/*
	 * Full.  Slots whose resurrection time has passed are free, but only
	 * a sweep, which walks every session, frees them: the audit's, and one
	 * here when a slot can have come free since the last.  Until then a
	 * full switchboard refuses at once, however large.
	 */
	if (sb->nused == sb->conf.max_sess && now >= sb->free_at)
		rtpp_sess_sweep(sb, now);
	if (sb->nused == sb->conf.max_sess) {
		rtpp_count(sb, RTPP_A_STAT_ALLOC_FAILS, 1);
		rtpp_event_sb(sb, RTPP_EVENT_SB_FULL);
		return ERR_PTR(-ENOSPC);
	}

	if (READ_ONCE(quality)) {
		struct rtpp_session_q *sq = kmem_cache_zalloc(sess_q_cache, RTPP_GFP);

		s = sq ? &sq->s : NULL;
		if (s)
			s->conf.quality = true;
	} else {
		s = kmem_cache_zalloc(sess_cache, RTPP_GFP);
	}
	if (!s)
		return ERR_PTR(-ENOMEM);
	slot = rtpp_slot_pick(sb->used, sb->conf.max_sess, &sb->cursor);
	if (WARN_ON_ONCE(slot < 0)) {	/* nused said there was one */
		sess_free(s);
		return ERR_PTR(-ENOSPC);
	}
	sb->nused++;
	spin_lock_init(&s->lock);
	s->id = slot;
	s->created_real_ms = rtpp_real_ms();
	s->t.created = now;
	s->t.last = now;
	s->t.resurrection_ms = sb->conf.resurrection * 1000;
	s->conf.expires_ms = sb->conf.expires * 1000;
	rtpp_params_apply(p, &s->conf, learned, 0);
	set_learned(s, learned);
	note_free_at(sb, rtpp_free_at(&s->t, &s->conf));

	rcu_assign_pointer(sb->slots[slot], s);
	rtpp_count(sb, RTPP_A_STAT_ALLOCS, 1);
	return s;
}

static void free_slot(struct rtpp_switchboard *sb, struct rtpp_session *s)
{
	lockdep_assert_held(&sb->rn->lock);
	RCU_INIT_POINTER(sb->slots[s->id], NULL);
	rtpp_slot_clear(sb->used, s->id);
	sb->nused--;
	/* Its id and created_real_ms are no longer read: the node takes
	 * their place. */
	if (llist_add(&s->dead, &sess_dead))
		queue_work(system_unbound_wq, &sess_reap_work);
}

/* @s's slot is free now (no resurrection time left): tell, then free it. */
static void destroyed(struct rtpp_switchboard *sb, struct rtpp_session *s)
{
	rtpp_event_sess(sb, s, RTPP_EVENT_SESS_DESTROYED);
	free_slot(sb, s);
}

/* @s has just been noticed expired (rtpp_note_expiry): count it, tell. */
static void sess_expired(struct rtpp_switchboard *sb, struct rtpp_session *s)
{
	lockdep_assert_held(&sb->rn->lock);
	rtpp_count(sb, RTPP_A_STAT_EXPIRATIONS, 1);
	rtpp_event_sess(sb, s, RTPP_EVENT_SESS_EXPIRED);
}

/*
 * Apply @p to @s if it is alive, or expired and @revive.  Returns whether
 * the session was changed.  An update (or a delete) may be the first to see
 * that a session expired, before the audit: the expiry is still counted and
 * told, once.
 */
bool rtpp_sess_update(struct rtpp_switchboard *sb, struct rtpp_session *s,
		      const struct rtpp_params *p, bool revive)
{
	bool learned[RTPP_SIDES][RTPP_STREAMS];
	struct rtpp_endpoint old[RTPP_SIDES];
	bool done = false, expired;
	u64 now = rtpp_now(), free_at;
	unsigned int side;

	lockdep_assert_held(&sb->rn->lock);
	spin_lock_bh(&s->lock);
	expired = rtpp_note_expiry(&s->t, &s->conf, now);
	switch (rtpp_state(&s->t, &s->conf, now)) {
	case RTPP_STATE_EXPIRED:
		if (!revive)
			break;
		s->t.death = RTPP_ALIVE;
		fallthrough;
	case RTPP_STATE_LEARNING:
	case RTPP_STATE_ACTIVE:
		/* An update is the signalling saying the call goes on: a new,
		 * shorter timeout counts from now, not from the last packet. */
		s->t.last = now;
		get_learned(s, learned);
		for (side = 0; side < RTPP_SIDES; side++)
			old[side] = rtpp_client(&s->conf, side, RTPP_RTP);
		rtpp_params_apply(p, &s->conf, learned, rtpp_since(now, s->t.created));
		set_learned(s, learned);
		reset_routes(s, old);
		done = true;
		break;
	default:
		break;
	}
	free_at = rtpp_free_at(&s->t, &s->conf);
	spin_unlock_bh(&s->lock);
	note_free_at(sb, free_at);
	if (expired)
		sess_expired(sb, s);
	return done;
}

/*
 * Delete @s: its ports drop packets for the switchboard's resurrection time,
 * then the slot is free.  Returns false if it was already deleted or free.
 */
bool rtpp_sess_delete(struct rtpp_switchboard *sb, struct rtpp_session *s)
{
	enum rtpp_sess_state state;
	u64 now = rtpp_now(), free_at;
	bool expired;

	lockdep_assert_held(&sb->rn->lock);
	spin_lock_bh(&s->lock);
	expired = rtpp_note_expiry(&s->t, &s->conf, now);
	state = rtpp_state(&s->t, &s->conf, now);
	if (state != RTPP_STATE_DESTROYED && state != RTPP_STATE_FREE)
		rtpp_note_delete(&s->t, now, sb->conf.resurrection * 1000);
	free_at = rtpp_free_at(&s->t, &s->conf);
	spin_unlock_bh(&s->lock);
	note_free_at(sb, free_at);

	if (expired)
		sess_expired(sb, s);
	if (state == RTPP_STATE_DESTROYED || state == RTPP_STATE_FREE)
		return false;
	rtpp_count(sb, RTPP_A_STAT_DELETES, 1);
	if (!s->t.resurrection_ms)
		destroyed(sb, s);
	return true;
}

void rtpp_sess_free_all(struct rtpp_switchboard *sb)
{
	struct rtpp_session *s;
	u32 slot;

	rtpp_for_each_sess(sb, slot, s, 0, sb->conf.max_sess - 1)
		free_slot(sb, s);
}

/*
 * Notice the sessions of @sb that expired (counted and told once) and free
 * the slots of those whose resurrection time has passed: what the audit
 * does every second, and an allocation that finds the switchboard full.
 * Also sets sb->free_at, the earliest time one of the sessions left can
 * come free: until then a full switchboard need not be swept again to
 * know it is full (rtpp_sess_alloc).  Never inlined into the allocation:
 * tests/integration/fill.sh counts who calls it with a kprobe.
 */
noinline void rtpp_sess_sweep(struct rtpp_switchboard *sb, u64 now)
{
	struct rtpp_session *s;
	u64 free_at = U64_MAX;
	u32 slot;

	lockdep_assert_held(&sb->rn->lock);
	rtpp_for_each_sess(sb, slot, s, 0, sb->conf.max_sess - 1) {
		enum rtpp_sess_state state;
		bool expired = false;
		u64 at;

		spin_lock_bh(&s->lock);
		expired = rtpp_note_expiry(&s->t, &s->conf, now);
		state = rtpp_state(&s->t, &s->conf, now);
		at = rtpp_free_at(&s->t, &s->conf);
		spin_unlock_bh(&s->lock);

		if (expired)
			sess_expired(sb, s);
		if (state == RTPP_STATE_FREE)
			destroyed(sb, s);
		else
			free_at = min(free_at, at);
	}
	sb->free_at = free_at;
}
