// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: management tool for the RTP/RTCP sessions of the netfilter
 * RTPPROXY target.  Parses the command line, answers -h and --version,
 * checks CAP_NET_ADMIN, opens the control channel and runs the command.
 */
#include <stdio.h>
#include "args.h"
#include "caps.h"
#include "commands.h"
#include "help.h"

#ifndef RTPP_VERSION
#define RTPP_VERSION "0.1"
#endif

static int version(void)
{
	struct rtpp_handle *h;
	int err;

	printf("iptrtpproxy %s (control protocol version %u)\n", RTPP_VERSION,
	       XT_RTPPROXY_GENL_VERSION);
	err = rtpp_open(&h);
	if (err) {
		printf("%s\n", rtpp_strerror(NULL, err));
		return RTPP_EXIT_OK;
	}
	printf("kernel module xt_RTPPROXY: control protocol version %u\n",
	       rtpp_kernel_version(h));
	rtpp_close(h);
	return RTPP_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct rtpp_cli_cmd cmd;
	struct rtpp_handle *h;
	char err[256];
	int ret;

	ret = rtpp_cli_parse(argc, argv, &cmd, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iptrtpproxy: %s\n", err);
		return ret;
	}
	switch (cmd.action) {
	case RTPP_CLI_HELP:
		rtpp_cli_help(stdout, cmd.command);
		return RTPP_EXIT_OK;
	case RTPP_CLI_VERSION:
		return version();
	case RTPP_CLI_RUN:
		break;
	}
	rtpp_cli_verbose = cmd.verbose;
	if (!rtpp_cli_has_net_admin()) {
		fprintf(stderr, "iptrtpproxy: missing capability CAP_NET_ADMIN\n");
		return RTPP_EXIT_FAIL;
	}
	ret = rtpp_open(&h);
	if (ret)
		return rtpp_cli_error(NULL, ret, NULL);
	if (cmd.verbose)
		fprintf(stderr, "iptrtpproxy: kernel module speaks control protocol version %u\n",
			rtpp_kernel_version(h));
	ret = rtpp_cli_run(h, &cmd);
	rtpp_close(h);
	return ret;
}
