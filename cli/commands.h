/* SPDX-License-Identifier: GPL-2.0 */
/* iptrtpproxy: the commands, run through librtpproxy. */
#ifndef RTPP_CLI_COMMANDS_H
#define RTPP_CLI_COMMANDS_H

#include "args.h"

/* Runs cmd (action RTPP_CLI_RUN); returns the exit code. */
int rtpp_cli_run(struct rtpp_handle *h, const struct rtpp_cli_cmd *cmd);

/* -v given: errors also print the kernel's own message. */
extern int rtpp_cli_verbose;

/* Prints "iptrtpproxy: what: reason" and returns the exit code for err. */
int rtpp_cli_error(struct rtpp_handle *h, int err, const char *what);

#endif /* RTPP_CLI_COMMANDS_H */
