/* SPDX-License-Identifier: GPL-2.0 */
/* iptrtpproxy: the capability check made before talking to the kernel. */
#ifndef RTPP_CLI_CAPS_H
#define RTPP_CLI_CAPS_H

#include <stdbool.h>

/* Does the process have CAP_NET_ADMIN in its effective set? */
bool rtpp_cli_has_net_admin(void);

#endif /* RTPP_CLI_CAPS_H */
