// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
/*
 * Switchboards: created by the first rule that defines one, shared by every
 * rule that defines it again, destroyed with the last.  iptables-restore
 * checks the new rules before it destroys the old ones, so a reload that
 * still defines a switchboard never drops its count to zero: its sessions,
 * counters and id survive.
 *
 * Rules that define one switchboard may disagree on its timeouts (a reload
 * that changes them has old and new rules side by side for a moment).  The
 * longest of each applies: that answer does not depend on the order in
 * which a backend checks rules, and once the old rules are gone the new
 * values are the switchboard's.  Sessions keep the expiry they were given.
 */
#include <linux/slab.h>
#include <linux/mm.h>

#include "rtpp.h"

/* The timeouts one or more rules give the switchboard. */
struct rule_timeouts {
	struct list_head list;
	u32 expires, resurrection;
	u32 rules;
};

static void timeouts_apply(struct rtpp_switchboard *sb)
{
	struct rule_timeouts *t;

	sb->conf.expires = 0;
	sb->conf.resurrection = 0;
	list_for_each_entry(t, &sb->timeouts, list) {
		sb->conf.expires = max(sb->conf.expires, t->expires);
		sb->conf.resurrection = max(sb->conf.resurrection, t->resurrection);
	}
}

/* The entry of @sb's rules that have @conf's timeouts, or NULL. */
static struct rule_timeouts *timeouts_find(struct rtpp_switchboard *sb,
					   const struct rtpp_conf *conf)
{
	struct rule_timeouts *t;

	lockdep_assert_held(&sb->rn->lock);
	list_for_each_entry(t, &sb->timeouts, list)
		if (t->expires == conf->expires &&
		    t->resurrection == conf->resurrection)
			return t;
	return NULL;
}

static int timeouts_get(struct rtpp_switchboard *sb, const struct rtpp_conf *conf)
{
	struct rule_timeouts *t = timeouts_find(sb, conf);

	if (t) {
		t->rules++;
		return 0;
	}
	t = kmalloc(sizeof(*t), RTPP_GFP);
	if (!t)
		return -ENOMEM;
	t->expires = conf->expires;
	t->resurrection = conf->resurrection;
	t->rules = 1;
	list_add_tail(&t->list, &sb->timeouts);
	timeouts_apply(sb);
	return 0;
}

static void timeouts_put(struct rtpp_switchboard *sb, const struct rtpp_conf *conf)
{
	struct rule_timeouts *t = timeouts_find(sb, conf);

	if (WARN_ON_ONCE(!t))	/* a rule we never counted */
		return;
	if (!--t->rules) {
		list_del(&t->list);
		kfree(t);
		timeouts_apply(sb);
	}
}

static void sb_free_rcu(struct rcu_head *head)
{
	struct rtpp_switchboard *sb = container_of(head, struct rtpp_switchboard, rcu);

	free_percpu(sb->net_pcpu);
	rtpp_stats_free(&sb->stats);
	kvfree(sb->used);
	kvfree(sb->slots);
	kfree(sb);
}

static struct rtpp_switchboard *sb_create(struct rtpp_net *rn,
					  const struct rtpp_conf *conf)
{
	struct rtpp_switchboard *sb;

	/* Packets read the first line only, allocations write the next. */
	BUILD_BUG_ON(offsetof(struct rtpp_switchboard, cursor) <
		     ALIGN(offsetofend(struct rtpp_switchboard, stats.pcpu),
			   SMP_CACHE_BYTES));
	BUILD_BUG_ON(offsetofend(struct rtpp_switchboard, stats.pcpu) >
		     SMP_CACHE_BYTES);

	lockdep_assert_held(&rn->lock);
	sb = kzalloc(sizeof(*sb), RTPP_GFP);
	if (!sb)
		goto err;
	sb->slots = kvcalloc(conf->max_sess, sizeof(*sb->slots), RTPP_GFP);
	if (!sb->slots)
		goto err_sb;
	sb->used = kvcalloc(RTPP_SLOT_WORDS(conf->max_sess), sizeof(u64),
			    RTPP_GFP);
	if (!sb->used)
		goto err_slots;
	if (rtpp_stats_init(&sb->stats))
		goto err_used;
	/* The namespace's counters, with its first switchboard. */
	if (!rn->stats.pcpu && rtpp_stats_init(&rn->stats))
		goto err_stats;

	sb->rn = rn;
	sb->conf = *conf;
	sb->free_at = U64_MAX;		/* no session, none to come free */
	INIT_LIST_HEAD(&sb->timeouts);
	sb->id = ++rn->next_id;
	sb->created_real_ms = rtpp_real_ms();
	sb->discont_real_ms = sb->created_real_ms;
	sb->pkt_discont_real_ms = sb->created_real_ms;
	return sb;

err_stats:
	rtpp_stats_free(&sb->stats);
err_used:
	kvfree(sb->used);
err_slots:
	kvfree(sb->slots);
err_sb:
	kfree(sb);
err:
	return NULL;
}

/*
 * The switchboard @conf defines in @net: an existing one with the same gates
 * or a new one, counting @conf's timeouts.  On
 * failure returns NULL with *err a negative errno; for a definition at odds
 * with another switchboard the reason goes to the kernel log.
 */
struct rtpp_switchboard *rtpp_sb_get(struct net *net, const struct rtpp_conf *conf,
				     int *err)
{
	struct rtpp_net *rn = rtpp_net(net);
	struct rtpp_switchboard *sb, *found = NULL;
	int why;

	mutex_lock(&rn->lock);
	list_for_each_entry(sb, &rn->sbs, list) {
		why = rtpp_conf_compatible(conf, &sb->conf);
		if (why != RTPP_CONF_OK) {
			pr_info_ratelimited("refused %pI4:%u/%pI4:%u: %s (switchboard %u, %pI4:%u/%pI4:%u)\n",
					    &conf->gate[0].addr, conf->gate[0].first,
					    &conf->gate[1].addr, conf->gate[1].first,
					    rtpp_conf_strerror(why), sb->id,
					    &sb->conf.gate[0].addr, sb->conf.gate[0].first,
					    &sb->conf.gate[1].addr, sb->conf.gate[1].first);
			*err = -EADDRINUSE;
			goto out;
		}
		if (rtpp_conf_same_gates(conf, &sb->conf))
			found = sb;
	}
	if (found) {
		*err = timeouts_get(found, conf);
		if (*err)
			found = NULL;
		else
			found->rules++;
		goto out;
	}
	*err = rtpp_limits_check(rn, conf);
	if (*err)
		goto out;
	found = sb_create(rn, conf);
	if (!found) {
		*err = -ENOMEM;
		goto out;
	}
	*err = timeouts_get(found, conf);
	if (*err) {
		sb_free_rcu(&found->rcu);	/* never published */
		found = NULL;
		goto out;
	}
	found->rules = 1;
	list_add_tail(&found->list, &rn->sbs);
	rn->nsess += conf->max_sess;
	if (!rn->nsbs++)
		rtpp_audit_schedule(rn);
	rtpp_event_sb(found, RTPP_EVENT_SB_CREATED);
out:
	mutex_unlock(&rn->lock);
	return found;
}

/* Drop the reference of a rule that defined @sb with @conf. */
void rtpp_sb_put(struct rtpp_switchboard *sb, const struct rtpp_conf *conf)
{
	struct rtpp_net *rn = sb->rn;

	mutex_lock(&rn->lock);
	timeouts_put(sb, conf);
	if (--sb->rules) {
		mutex_unlock(&rn->lock);
		return;
	}
	list_del(&sb->list);
	rn->nsbs--;
	rn->nsess -= sb->conf.max_sess;
	rtpp_sess_free_all(sb);
	if (!rn->dying) {
		rtpp_event_sb(sb, RTPP_EVENT_SB_DESTROYED);
	} else if (list_empty(&rn->sbs)) {
		/* Not through sb->rn later: the namespace's state is freed
		 * once every exit has run, before a grace period ends. */
		sb->net_pcpu = rn->stats.pcpu;
		rn->pcpu_handed = true;
	}
	mutex_unlock(&rn->lock);
	/* Packets in flight may still see it through an old rule. */
	call_rcu(&sb->rcu, sb_free_rcu);
}
