// SPDX-License-Identifier: GPL-2.0
/*
 * xt_RTPPROXY: in-kernel RTP/RTCP relay.  Module and namespace set-up.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "rtpp.h"

unsigned int rtpp_net_id __read_mostly;
u64 rtpp_loaded_ms __read_mostly;

/* Allocates nothing: most namespaces never use the module. */
static int __net_init rtpp_net_init(struct net *net)
{
	struct rtpp_net *rn = rtpp_net(net);

	mutex_init(&rn->lock);
	INIT_LIST_HEAD(&rn->sbs);
	rn->net = net;
	rn->discont_real_ms = rtpp_real_ms();
	INIT_DELAYED_WORK(&rn->audit, rtpp_audit_work);
	return 0;
}

static void __net_exit rtpp_net_exit(struct net *net)
{
	struct rtpp_net *rn = rtpp_net(net);

	WRITE_ONCE(rn->dying, true);
	cancel_delayed_work_sync(&rn->audit);
}

/*
 * The namespace's tables may be torn down after this runs, with packets still
 * crossing their rules: switchboards then go with their last rule, and the
 * namespace's counters with the last switchboard (see switchboard.c).  This
 * state itself is freed only once every exit has run.
 *
 * Otherwise the counters go here, once packets that may still be counting
 * are done: one grace period for all the namespaces of a batch that had
 * counters, none for a batch of namespaces that never had a switchboard
 * (a container runtime makes and drops thousands).
 */
static void __net_exit rtpp_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;
	bool wait = false;

	list_for_each_entry(net, net_exit_list, exit_list) {
		struct rtpp_net *rn = rtpp_net(net);

		mutex_lock(&rn->lock);
		/* The last switchboard to go will free them (rtpp_sb_put). */
		if (!list_empty(&rn->sbs))
			rn->pcpu_handed = true;
		wait |= !rn->pcpu_handed && rn->stats.pcpu;
		mutex_unlock(&rn->lock);
	}
	if (!wait)
		return;
	synchronize_rcu();
	list_for_each_entry(net, net_exit_list, exit_list) {
		struct rtpp_net *rn = rtpp_net(net);

		if (!rn->pcpu_handed)
			rtpp_stats_free(&rn->stats);
	}
}

static struct pernet_operations rtpp_net_ops = {
	.init = rtpp_net_init,
	.exit = rtpp_net_exit,
	.exit_batch = rtpp_net_exit_batch,
	.id   = &rtpp_net_id,
	.size = sizeof(struct rtpp_net),
};

static int __init rtpp_init(void)
{
	int err;

	rtpp_loaded_ms = rtpp_now();
	err = rtpp_sess_cache_init();
	if (err)
		goto err;
	err = register_pernet_subsys(&rtpp_net_ops);
	if (err)
		goto err_cache;
	err = rtpp_genl_init();
	if (err)
		goto err_pernet;
	err = rtpp_target_init();
	if (err)
		goto err_genl;
	return 0;

err_genl:
	rtpp_genl_exit();
err_pernet:
	unregister_pernet_subsys(&rtpp_net_ops);
err_cache:
	rtpp_sess_cache_exit();
err:
	return err;
}

static void __exit rtpp_exit(void)
{
	rtpp_target_exit();
	rtpp_genl_exit();
	unregister_pernet_subsys(&rtpp_net_ops);
	rcu_barrier();		/* switchboards still to free */
	rtpp_sess_cache_exit();	/* and sessions */
}

module_init(rtpp_init);
module_exit(rtpp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iptrtpproxy: in-kernel RTP/RTCP relay (RTPPROXY target)");
MODULE_ALIAS("ipt_RTPPROXY");
MODULE_ALIAS_GENL_FAMILY(XT_RTPPROXY_GENL_NAME);
