// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy: help texts, from the manual page.
 */
#include "help.h"

static const char usage[] =
"Usage: iptrtpproxy -h [COMMAND]\n"
"       iptrtpproxy info [other_options] [common_options]\n"
"       iptrtpproxy list [switchboard] [session_range] [list_verbosity] [other_options] [common_options]\n"
"       iptrtpproxy alloc [switchboard] RTP_params [other_options] [common_options]\n"
"       iptrtpproxy update switchboard [session_range] RTP_params [other_options]\n"
"                          [common_options]\n"
"       iptrtpproxy delete [switchboard] [session_range] [other_options] [common_options]\n"
"\n"
"Manages the RTP/RTCP sessions of the netfilter RTPPROXY target.\n"
"\n"
"Commands:\n"
"  info     uptime, number of switchboards and sessions, global statistics\n"
"  list     switchboards and their sessions\n"
"  alloc    allocate a session; prints its id\n"
"  update   change sessions of a switchboard\n"
"  delete   destroy sessions\n"
"\n"
"Other options (any command; run first, the cleared values are printed):\n"
"  --reset-stat  --reset-switchboard-stat  --reset-switchboard-packet-stat\n"
"  --force-switchboard-audit\n"
"\n"
"Common options:\n"
"  --format text|tab|json  output format (default text)\n"
"  -v, --verbose   verbose output (mostly to stderr)\n"
"  --version       print the version\n"
"  -h, --help      this help; with a command, that command's help\n"
"\n"
"Requires CAP_NET_ADMIN. Exit codes: 0 success, 2 invalid parameters,\n"
"1 other errors.\n";

static const char sb_opts[] =
"Switchboard (gate B values not given are gate A's; with equal gates, the\n"
"switchboard either of whose gates is ADDR:PORT):\n"
"  --addr-a IP  --port-a PORT   gate A: address and first port of its range\n"
"  --addr-b IP  --port-b PORT   gate B\n";

static const char range_opts[] =
"Session range:\n"
"  --sess-id-lo ID   lowest session id (default 0)\n"
"  --sess-id-hi ID   highest session id (default: --sess-id-lo)\n";

static const char rtp_opts[] =
"RTP params (RTCP values not given derive from RTP: same address, port + 1,\n"
"same learning timeout):\n"
"  --rtp-addr-a IP      --rtp-addr-b IP       RTP client address of side A, B\n"
"  --rtcp-addr-a IP     --rtcp-addr-b IP      RTCP client address\n"
"  --rtp-port-a PORT    --rtp-port-b PORT     RTP client port\n"
"  --rtcp-port-a PORT   --rtcp-port-b PORT    RTCP client port\n"
"  --rtp-learning-timeout-a MS   --rtp-learning-timeout-b MS\n"
"  --rtcp-learning-timeout-a MS  --rtcp-learning-timeout-b MS\n"
"                       how long to learn the client's address from packets\n"
"  --always-learn-a[=yes|no]  --always-learn-b[=yes|no]\n"
"                       learn the source of every packet, even when the\n"
"                       address is known (a forged packet can then redirect\n"
"                       the stream)\n"
"  --expires-timeout S  the session's expiry timeout in seconds (default:\n"
"                       the switchboard's)\n";

static const char other_opts[] =
"Other options (run before the command; the cleared values are printed first):\n"
"  --reset-stat                     reset global statistics\n"
"  --reset-switchboard-stat         reset switchboard statistics\n"
"  --reset-switchboard-packet-stat  reset switchboard packet statistics\n"
"  --force-switchboard-audit        check expirations and update statistics\n";

static const char format_opt[] =
"Common options:\n"
"  --format text|tab|json           output format (default text)\n"
"  -v, --verbose                    verbose output (mostly to stderr)\n"
"  -h, --help                       this help\n";

void rtpp_cli_help(FILE *f, enum rtpp_cli_command c)
{
	switch (c) {
	case RTPP_CLI_NONE:
	case __RTPP_CLI_COMMANDS:
		fputs(usage, f);
		return;
	case RTPP_CLI_INFO:
		fputs("Usage: iptrtpproxy info [other_options] [common_options]\n\n"
		      "Prints the module's uptime, the number of switchboards and of\n"
		      "sessions by state, and the global statistics.\n\n", f);
		fputs(other_opts, f);
		fputs(format_opt, f);
		return;
	case RTPP_CLI_LIST:
		fputs("Usage: iptrtpproxy list [switchboard] [session_range] [list_verbosity]\n"
		      "                        [other_options] [common_options]\n\n"
		      "Lists switchboards (all, or the one named) and their sessions.\n\n", f);
		fputs(sb_opts, f);
		fputs(range_opts, f);
		fputs("List verbosity:\n"
		      "  --no-switchboard  do not list switchboards (implies --no-session)\n"
		      "  --no-session      do not list sessions\n", f);
		fputs(other_opts, f);
		fputs(format_opt, f);
		return;
	case RTPP_CLI_ALLOC:
		fputs("Usage: iptrtpproxy alloc [switchboard] RTP_params [other_options]\n"
		      "                         [common_options]\n\n"
		      "Allocates a session and prints its id (with -v or --format json\n"
		      "also its RTP and RTCP ports on gates A and B). At least one client\n"
		      "address or learning timeout is required. Without a switchboard,\n"
		      "the only one defined is used.\n\n", f);
		fputs(sb_opts, f);
		fputs(rtp_opts, f);
		fputs(other_opts, f);
		fputs(format_opt, f);
		return;
	case RTPP_CLI_UPDATE:
		fputs("Usage: iptrtpproxy update switchboard [session_range] RTP_params\n"
		      "                          [other_options] [common_options]\n\n"
		      "Changes the given parameters of the sessions in the range or,\n"
		      "without a range, of every session neither expired nor destroyed.\n"
		      "-v says how many (--format json or tab: on standard output).\n\n", f);
		fputs(sb_opts, f);
		fputs(range_opts, f);
		fputs(rtp_opts, f);
		fputs(other_opts, f);
		fputs(format_opt, f);
		return;
	case RTPP_CLI_DELETE:
		fputs("Usage: iptrtpproxy delete [switchboard] [session_range] [other_options]\n"
		      "                          [common_options]\n\n"
		      "Destroys the sessions in the range (default: every session) of the\n"
		      "switchboard (default: every switchboard). Their ports drop packets\n"
		      "until the switchboard's resurrection timeout has passed. -v says\n"
		      "how many (--format json or tab: on standard output).\n\n", f);
		fputs(sb_opts, f);
		fputs(range_opts, f);
		fputs(other_opts, f);
		fputs(format_opt, f);
		return;
	}
}
