// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxyd: the rtpproxy control protocol over the kernel relay.
 *
 * Options in the manner of rtpproxy's and of the SNMP agent's; then one
 * loop waits, in one ppoll(), on the control sockets: a datagram socket
 * (udp:) carries one command a datagram, with a cookie; a stream socket
 * (unix:) one command a connection, without one, as the SIP proxies' rtpproxy
 * modules send them.  Between commands it writes the state file when the
 * call map changed, and every SWEEP_INTERVAL seconds forgets the calls
 * whose sessions the kernel ended.  SIGTERM and SIGINT are blocked except
 * inside that ppoll(), so a signal ends the loop between two commands.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xt_RTPPROXY.h>

#include "daemon.h"
#include "proto.h"

#ifndef RTPP_VERSION
#define RTPP_VERSION "0.1"
#endif

#define EXIT_USAGE	2
#define MAX_SOCKETS	16
#define DEFAULT_SOCKET	"udp:127.0.0.1:22222"
#define DEFAULT_PORT	22222
#define DEFAULT_STATE	"/run/iptrtpproxyd/calls"
#define DEFAULT_LEARN	60000	/* ms */
#define SWEEP_INTERVAL	15	/* s */
#define STREAM_WAIT_MS	1000	/* for a unix: client's command */

struct ctl {
	const char *spec;
	bool stream;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct ctl ctls[MAX_SOCKETS];
static unsigned int nctls;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void help(FILE *out)
{
	fprintf(out,
		"Usage: " RTPPD_NAME " [-f] [-s SOCKET]... [-l ADDR_A[/ADDR_B]] [-A ADDR_A[/ADDR_B]]\n"
		"                    [-W MS] [-T SECONDS] [-S STATEFILE] [-p PIDFILE]\n"
		"                    [-L stderr|syslog] [-d LEVEL]\n"
		"       " RTPPD_NAME " -h | --help | -V | --version\n"
		"\n"
		"The rtpproxy control protocol (as Kamailio's and OpenSIPS's rtpproxy modules\n"
		"speak it) over the xt_RTPPROXY relay of the network namespace it runs in.\n"
		"\n"
		"  -s SOCKET   a control socket, several allowed (default " DEFAULT_SOCKET "):\n"
		"              udp:ADDR[:PORT] (port %d), unix:PATH\n"
		"  -l ADDR_A[/ADDR_B]  use only the switchboards whose gate A (and gate B)\n"
		"              has this address (default: every switchboard)\n"
		"  -A ADDR_A[/ADDR_B]  addresses to put into SDP for gate A (and B) instead\n"
		"              of the gates' own (a relay behind NAT)\n"
		"  -W MS       learning window of symmetric clients, 0..%u (default %u)\n"
		"  -T SECONDS  a session's expiry without packets, 1..%u (default: the\n"
		"              switchboard's --expires-timeout)\n"
		"  -S FILE     the state file of the call map (default " DEFAULT_STATE ");\n"
		"              -S none keeps none (a restart then forgets the calls)\n"
		"  -p PIDFILE  write the process id to PIDFILE\n"
		"  -f          stay in the foreground\n"
		"  -L WHERE    stderr or syslog (default: stderr with -f, syslog otherwise)\n"
		"  -d LEVEL    err, warning, notice (default), info or debug\n"
		"  -h, --help  this help\n"
		"  -V, --version\n"
		"\n"
		"Needs CAP_NET_ADMIN in its network namespace. See iptrtpproxyd(8).\n",
		DEFAULT_PORT, XT_RTPPROXY_MAX_LEARNING, DEFAULT_LEARN, XT_RTPPROXY_MAX_TIMEOUT);
}

static int usage(const char *fmt, const char *arg)
{
	fprintf(stderr, RTPPD_NAME ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '" RTPPD_NAME " --help'.\n");
	return EXIT_USAGE;
}

static bool parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "ADDR_A[/ADDR_B]" */
static bool parse_pair(const char *s, bool has[2], uint32_t addr[2])
{
	char buf[64], *slash;
	struct in_addr in;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	has[0] = true;
	addr[0] = in.s_addr;
	if (slash) {
		if (inet_pton(AF_INET, slash, &in) != 1)
			return false;
		has[1] = true;
		addr[1] = in.s_addr;
	}
	return true;
}

/* Opens one control socket; 0, or -1 with a message. */
static int ctl_open(struct ctl *c)
{
	const char *s = c->spec;

	if (!strncmp(s, "udp:", 4)) {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(DEFAULT_PORT) };
		char host[64], *colon;
		uint32_t port;

		if (strlen(s + 4) >= sizeof(host))
			goto bad;
		strcpy(host, s + 4);
		colon = strchr(host, ':');
		if (colon) {
			*colon = '\0';
			if (!parse_u32(colon + 1, 1, 65535, &port))
				goto bad;
			sin.sin_port = htons(port);
		}
		if (!strcmp(host, "*"))
			sin.sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			goto bad;
		c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sin, sizeof(sin))) {
			fprintf(stderr, RTPPD_NAME ": -s %s: %s\n", s, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!strncmp(s, "unix:", 5)) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		if (!s[5] || strlen(s + 5) >= sizeof(sun.sun_path))
			goto bad;
		strcpy(sun.sun_path, s + 5);
		c->stream = true;
		c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		unlink(sun.sun_path);	/* a previous instance's */
		if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sun, sizeof(sun)) ||
		    listen(c->fd, 64)) {
			fprintf(stderr, RTPPD_NAME ": -s %s: %s\n", s, strerror(errno));
			return -1;
		}
		strcpy(c->path, sun.sun_path);
		return 0;
	}
bad:
	fprintf(stderr, RTPPD_NAME ": -s '%s': not udp:ADDR[:PORT] or unix:PATH\n"
		"Try '" RTPPD_NAME " --help'.\n", s);
	return -2;
}

static void serve_dgram(struct ctl *c)
{
	char line[RTPPD_MAX_LINE + 1], reply[4096];
	struct sockaddr_storage from;
	socklen_t fromlen;
	ssize_t n;
	size_t r;
	int i;

	for (i = 0; i < 64; i++) {	/* then let the other sockets have a turn */
		fromlen = sizeof(from);
		n = recvfrom(c->fd, line, sizeof(line) - 1, MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return;
		if ((size_t)n >= sizeof(line))	/* too long: the parser says so */
			n = sizeof(line) - 1;
		line[n] = '\0';
		r = rtppd_relay_command(line, true, reply, sizeof(reply));
		if (r && sendto(c->fd, reply, r, 0, (struct sockaddr *)&from, fromlen) < 0)
			rtppd_log(LOG_WARNING, "-s %s: reply: %s", c->spec, strerror(errno));
	}
}

static void serve_stream(struct ctl *c)
{
	char line[RTPPD_MAX_LINE + 1], reply[4096];
	struct pollfd p;
	ssize_t n;
	size_t r;
	int fd;

	fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* One command a connection, in one write, maybe without a newline:
	 * what the first read brings is the command. */
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, STREAM_WAIT_MS) != 1) {
		rtppd_log(LOG_WARNING, "-s %s: no command within %d ms", c->spec,
			  STREAM_WAIT_MS);
		close(fd);
		return;
	}
	n = read(fd, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = '\0';
		r = rtppd_relay_command(line, false, reply, sizeof(reply));
		if (r && send(fd, reply, r, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			rtppd_log(LOG_WARNING, "-s %s: reply: %s", c->spec, strerror(errno));
	}
	close(fd);
}

static void loop(const sigset_t *waitmask)
{
	struct pollfd p[MAX_SOCKETS];
	time_t next_sweep = time(NULL) + SWEEP_INTERVAL;
	unsigned int i;

	for (i = 0; i < nctls; i++) {
		p[i].fd = ctls[i].fd;
		p[i].events = POLLIN;
	}
	while (!stop) {
		time_t now = time(NULL);
		struct timespec ts = { next_sweep > now ? next_sweep - now : 0, 0 };
		int rc = ppoll(p, nctls, &ts, waitmask);

		if (rc < 0) {
			if (errno == EINTR)
				continue;
			rtppd_log(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < nctls && rc > 0; i++) {
			if (!p[i].revents)
				continue;
			if (ctls[i].stream)
				serve_stream(&ctls[i]);
			else
				serve_dgram(&ctls[i]);
		}
		if (time(NULL) >= next_sweep) {
			rtppd_relay_sweep();
			next_sweep = time(NULL) + SWEEP_INTERVAL;
		}
		rtppd_relay_flush();
	}
}

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

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		rtppd_log(LOG_ERR, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		_exit(EXIT_SUCCESS);
	setsid();
	if (chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (rtppd_logging.syslog)
			dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

/* mkdir of the state file's directory (/run/iptrtpproxyd by default). */
static void make_state_dir(const char *path)
{
	char dir[4096], *slash;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) && errno != EEXIST)
		rtppd_log(LOG_ERR, "cannot make %s: %s", dir, strerror(errno));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const levels[] = {
		[LOG_ERR] = "err", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};
	struct rtppd_conf conf = { .learn_ms = DEFAULT_LEARN, .state_file = DEFAULT_STATE };
	const char *pidfile = NULL, *logto = NULL;
	bool foreground = false;
	sigset_t blocked, waitmask;
	struct sigaction sa;
	unsigned int i;
	int opt, lvl;

	while ((opt = getopt_long(argc, argv, "fs:l:A:W:T:S:p:L:d:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			foreground = true;
			break;
		case 's':
			if (nctls == MAX_SOCKETS)
				return usage("-s: more than %s sockets", "16");
			ctls[nctls++].spec = optarg;
			break;
		case 'l':
			if (!parse_pair(optarg, conf.has_sb_addr, conf.sb_addr))
				return usage("-l '%s': not ADDR_A[/ADDR_B] (IPv4)", optarg);
			break;
		case 'A':
			if (!parse_pair(optarg, conf.has_adv, conf.adv))
				return usage("-A '%s': not ADDR_A[/ADDR_B] (IPv4)", optarg);
			break;
		case 'W':
			if (!parse_u32(optarg, 0, XT_RTPPROXY_MAX_LEARNING, &conf.learn_ms))
				return usage("-W '%s': not a learning window of 0..3600000 ms", optarg);
			break;
		case 'T':
			if (!parse_u32(optarg, 1, XT_RTPPROXY_MAX_TIMEOUT, &conf.expires))
				return usage("-T '%s': not an expiry of 1..86400 seconds", optarg);
			break;
		case 'S':
			conf.state_file = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'L':
			if (strcmp(optarg, "stderr") && strcmp(optarg, "syslog"))
				return usage("-L '%s': not stderr or syslog", optarg);
			logto = optarg;
			break;
		case 'd':
			for (lvl = LOG_ERR; lvl <= LOG_DEBUG; lvl++)
				if (levels[lvl] && !strcmp(optarg, levels[lvl]))
					break;
			if (lvl > LOG_DEBUG)
				return usage("-d '%s': not err, warning, notice, info or debug",
					     optarg);
			rtppd_logging.level = lvl;
			break;
		case 'h':
			help(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf(RTPPD_NAME " %s (control protocol version %u, rtpproxy protocol %s)\n",
			       RTPP_VERSION, XT_RTPPROXY_GENL_VERSION, RTPPD_BASE_VERSION);
			return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try '" RTPPD_NAME " --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage("unexpected argument '%s'", argv[optind]);
	if (!nctls)
		ctls[nctls++].spec = DEFAULT_SOCKET;
	rtppd_logging.syslog = logto ? !strcmp(logto, "syslog") : !foreground;
	if (rtppd_logging.syslog)
		openlog(RTPPD_NAME, LOG_PID, LOG_DAEMON);

	for (i = 0; i < nctls; i++) {
		int rc = ctl_open(&ctls[i]);

		if (rc)
			return rc == -2 ? EXIT_USAGE : EXIT_FAILURE;
	}
	if (!has_net_admin()) {
		static const char msg[] =
			"missing capability CAP_NET_ADMIN: the kernel module answers no one without it";

		if (rtppd_logging.syslog)
			fprintf(stderr, RTPPD_NAME ": %s\n", msg);
		rtppd_log(LOG_ERR, "%s", msg);
		return EXIT_FAILURE;
	}
	if (!foreground && daemonize())
		return EXIT_FAILURE;
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
			rtppd_log(LOG_ERR, "cannot write pid file %s: %s", pidfile,
				  strerror(errno));
			return EXIT_FAILURE;
		}
	}
	if (conf.state_file)
		make_state_dir(conf.state_file);

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

	rtppd_relay_init(&conf);
	rtppd_log(LOG_NOTICE, RTPPD_NAME " %s started", RTPP_VERSION);
	loop(&waitmask);
	rtppd_log(LOG_NOTICE, RTPPD_NAME " stopping");
	rtppd_relay_shutdown();
	for (i = 0; i < nctls; i++) {
		close(ctls[i].fd);
		if (ctls[i].path[0])
			unlink(ctls[i].path);
	}
	if (pidfile)
		unlink(pidfile);
	return EXIT_SUCCESS;
}
