// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
/*
 * What one network namespace may hold.  The admin of a user namespace may
 * define rules and allocate sessions in the network namespaces it owns:
 * the memory cgroup bounds what that costs its own cgroup (RTPP_GFP), and
 * these caps bound it for a host that runs without memory cgroups, or with
 * loose ones.  They are module parameters, so only the host's root may
 * change them (/sys/module/xt_RTPPROXY/parameters/, or modprobe.d), and
 * they apply to every namespace, the initial one included.
 *
 * Defaults: 256 switchboards, and 65536 sessions in all (the sum of the
 * switchboards' --max-sess, counted when the rule is added, as the slot
 * table is allocated then): two switchboards of the largest size, some
 * 30 MB of sessions when every slot is in use (456 bytes a slot with
 * call quality, the default; 264 without, 17 MB), 512 KiB of slot tables.  A ruleset reload that replaces a
 * switchboard by another has both for a moment (iptables-restore checks the
 * new rules before it drops the old ones) and needs room for both.
 */
#include <linux/moduleparam.h>

#include "rtpp.h"

static unsigned int netns_max_switchboards __read_mostly = 256;
module_param(netns_max_switchboards, uint, 0644);
MODULE_PARM_DESC(netns_max_switchboards,
		 "Switchboards a network namespace may have (default 256)");

static unsigned int netns_max_sess __read_mostly = 65536;
module_param(netns_max_sess, uint, 0644);
MODULE_PARM_DESC(netns_max_sess,
		 "Sessions, the sum of --max-sess, a network namespace's switchboards may have (default 65536)");

/*
 * May @rn get a new switchboard of @conf?  Returns 0, or -ENOSPC (as for a
 * user namespace's limits, /proc/sys/user/) with the reason in the log.
 */
int rtpp_limits_check(const struct rtpp_net *rn, const struct rtpp_conf *conf)
{
	unsigned int max_sb = READ_ONCE(netns_max_switchboards);
	unsigned int max_sess = READ_ONCE(netns_max_sess);

	lockdep_assert_held(&rn->lock);
	if (rn->nsbs >= max_sb) {
		pr_info_ratelimited("refused %pI4:%u/%pI4:%u: the network namespace has %u switchboards, the most netns_max_switchboards (a module parameter) allows\n",
				    &conf->gate[0].addr, conf->gate[0].first,
				    &conf->gate[1].addr, conf->gate[1].first,
				    rn->nsbs);
		return -ENOSPC;
	}
	if ((u64)rn->nsess + conf->max_sess > max_sess) {
		pr_info_ratelimited("refused %pI4:%u/%pI4:%u: its %u sessions and the %u of the network namespace's switchboards would pass netns_max_sess=%u (a module parameter)\n",
				    &conf->gate[0].addr, conf->gate[0].first,
				    &conf->gate[1].addr, conf->gate[1].first,
				    conf->max_sess, rn->nsess, max_sess);
		return -ENOSPC;
	}
	return 0;
}
