// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: capability check (libcap), so that a user without
 * CAP_NET_ADMIN is told which capability is missing before anything is
 * sent.  The kernel checks again, in the network namespace's user
 * namespace; its EPERM is reported the same way.
 */
#include <sys/capability.h>
#include "caps.h"

bool rtpp_cli_has_net_admin(void)
{
	cap_flag_value_t v = CAP_SET;
	cap_t caps = cap_get_proc();

	if (!caps)
		return true;	/* cannot tell: let the kernel decide */
	if (cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &v) < 0)
		v = CAP_SET;
	cap_free(caps);
	return v == CAP_SET;
}
