/* SPDX-License-Identifier: GPL-2.0 */
/* iptrtpproxy: help texts. */
#ifndef RTPP_CLI_HELP_H
#define RTPP_CLI_HELP_H

#include <stdio.h>
#include "args.h"

/* The list of commands (RTPP_CLI_NONE) or one command's help. */
void rtpp_cli_help(FILE *f, enum rtpp_cli_command c);

#endif /* RTPP_CLI_HELP_H */
