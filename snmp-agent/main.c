// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxy-agent: the AgentX subagent exporting IPTRTPPROXY-MIB.
 *
 * Options in the manner of snmpd's; then one loop waits, in one pselect(),
 * on net-snmp's descriptors (the AgentX session), its alarms (reconnection
 * to the master, the kernel check) and the kernel's event socket.  SIGTERM
 * and SIGINT are blocked except inside that pselect(), so a signal ends the
 * loop between two requests, never in the middle of one.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/select.h>
#include <unistd.h>

#include "agent.h"

#ifndef RTPP_VERSION
#define RTPP_VERSION "0.1"
#endif

#define EXIT_USAGE	2
/* Seconds between AgentX pings, and so between attempts to reach a master
 * that went away: snmpd restarting is picked up within this. */
#define PING_INTERVAL	5

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void help(FILE *out)
{
	fprintf(out,
		"Usage: " RTPPA_NAME " [-f] [-x ADDRESS] [-L LOGOPTS] [-p PIDFILE] [-D TOKENS]\n"
		"       " RTPPA_NAME " -h | --help | -V | --version\n"
		"\n"
		"AgentX subagent exporting IPTRTPPROXY-MIB: the xt_RTPPROXY relay of the\n"
		"network namespace it runs in.\n"
		"\n"
		"  -f           stay in the foreground\n"
		"  -x ADDRESS   the master agent's AgentX socket (default: net-snmp's,\n"
		"               /var/agentx/master), e.g. unix:/run/agentx.sock or\n"
		"               tcp:127.0.0.1:705\n"
		"  -L LOGOPTS   where to log, as snmpd's -L:\n");
	snmp_log_options_usage("                 ", out);
	fprintf(out,
		"               default: stderr with -f, syslog (daemon) otherwise\n"
		"  -p PIDFILE   write the process id to PIDFILE\n"
		"  -D TOKENS    debug output for net-snmp's debug tokens, e.g. rtppa\n"
		"               (cache loads), agentx\n"
		"  -h, --help   this help\n"
		"  -V, --version\n"
		"\n"
		"Needs CAP_NET_ADMIN in its network namespace. See iptrtpproxy-agent(8).\n");
}

/* The kernel refuses every request without CAP_NET_ADMIN; when the module
 * is not loaded yet, nothing would tell until it is, so ask the process. */
static bool has_net_admin(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
		snmp_log(LOG_ERR, "cannot write pid file %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void loop(const sigset_t *waitmask)
{
	while (!stop) {
		struct timeval tv = { LONG_MAX, 0 };
		struct timespec ts, *tsp = &ts;
		int n = 0, block = 0, evfd, rc;
		fd_set fds;

		FD_ZERO(&fds);
		snmp_select_info(&n, &fds, &tv, &block);
		if (block)
			tsp = NULL;	/* no alarm due: wait for input */
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * 1000;
		evfd = rtppa_kernel_events_fd();
		if (evfd >= 0) {
			FD_SET(evfd, &fds);
			if (evfd >= n)
				n = evfd + 1;
		}
		rc = pselect(n, &fds, NULL, NULL, tsp, waitmask);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			snmp_log(LOG_ERR, "select: %s\n", strerror(errno));
			break;
		}
		if (rc == 0) {
			snmp_timeout();
		} else {
			if (evfd >= 0 && FD_ISSET(evfd, &fds)) {
				FD_CLR(evfd, &fds);
				rtppa_kernel_events();
			}
			snmp_read(&fds);
		}
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pidfile = NULL;
	bool foreground = false, logging = false;
	sigset_t blocked, waitmask;
	struct sigaction sa;
	int opt, ret = EXIT_FAILURE;

	while ((opt = getopt_long(argc, argv, "fx:L:p:D:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			foreground = true;
			break;
		case 'x':
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
					      NETSNMP_DS_AGENT_X_SOCKET, optarg);
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				fprintf(stderr, RTPPA_NAME ": invalid -L option '%s'\n", optarg);
				return EXIT_USAGE;
			}
			logging = true;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'h':
			help(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf(RTPPA_NAME " %s (control protocol version %u)\n",
			       RTPP_VERSION, XT_RTPPROXY_GENL_VERSION);
			return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try '" RTPPA_NAME " --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, RTPPA_NAME ": unexpected argument '%s'\nTry '"
			RTPPA_NAME " --help'.\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!logging) {
		if (foreground)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(RTPPA_NAME, LOG_DAEMON);
	}
	if (!has_net_admin() || rtppa_kernel_permitted() == -EPERM) {
		static const char msg[] =
			"missing capability CAP_NET_ADMIN: the kernel module answers no one without it";

		/* Said where it was started, whatever the log: it stops here. */
		if (!snmp_stderrlog_status())
			fprintf(stderr, RTPPA_NAME ": %s\n", msg);
		snmp_log(LOG_ERR, "%s\n", msg);
		return EXIT_FAILURE;
	}

	/* The agent speaks OIDs, never names: reading MIB files would only
	 * cost start-up time and fill the log with other modules' problems. */
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, PING_INTERVAL);
	/* Alarms through select()'s timeout, not SIGALRM. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/* No persistent state of net-snmp's (no /var/lib/snmp writes). */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);

	/* keeps stderr open only for a -Le of the user's */
	if (!foreground && netsnmp_daemonize(1, snmp_stderrlog_status()))
		return EXIT_FAILURE;
	if (pidfile && write_pidfile(pidfile))
		return EXIT_FAILURE;

	if (init_agent(RTPPA_NAME))
		goto out_pid;
	rtppa_loss_init();
	if (rtppa_scalars_init() || rtppa_sb_table_init() || rtppa_sess_tables_init())
		goto out_agent;
	rtppa_notify_init();
	init_snmp(RTPPA_NAME);

	rtppa_kernel_start();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	sigprocmask(SIG_BLOCK, &blocked, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	snmp_log(LOG_INFO, RTPPA_NAME " %s started\n", RTPP_VERSION);
	loop(&waitmask);
	snmp_log(LOG_INFO, RTPPA_NAME " stopping\n");
	ret = EXIT_SUCCESS;

	rtppa_kernel_stop();
	snmp_shutdown(RTPPA_NAME);
out_agent:
	rtppa_sess_tables_shutdown();
	rtppa_sb_table_shutdown();
	shutdown_agent();
out_pid:
	if (pidfile)
		unlink(pidfile);
	return ret;
}
