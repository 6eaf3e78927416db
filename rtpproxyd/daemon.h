/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxyd: what its files share.
 *
 * One thread.  main.c parses the options, opens the control sockets and
 * runs one loop over them; relay.c answers each command from the call map
 * (calls.c) and the kernel, which it reaches only through librtpproxy;
 * proto.c is the protocol's pure part; log.c writes the messages.
 */
#ifndef RTPPD_DAEMON_H
#define RTPPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#define RTPPD_NAME	"iptrtpproxyd"

struct rtppd_conf {
	bool has_sb_addr[2];		/* -l: use only switchboards whose */
	uint32_t sb_addr[2];		/* gate A (and B) has this address */
	bool has_adv[2];		/* -A: addresses written into SDP */
	uint32_t adv[2];		/* instead of the gates' */
	uint32_t learn_ms;		/* -W: learning window */
	uint32_t expires;		/* -T: seconds; 0 the switchboard's */
	const char *state_file;		/* -S */
};

/* log.c: main.c sets where messages go before the loop starts */
struct rtppd_logging {
	bool syslog;			/* else standard error */
	int level;			/* LOG_*: the least urgent written */
};
extern struct rtppd_logging rtppd_logging;
void rtppd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* relay.c */
void rtppd_relay_init(const struct rtppd_conf *conf);
/* Answers one command line (modified) into reply; the reply's length
 * (0: no reply, the command was too long for any). */
size_t rtppd_relay_command(char *line, bool cookie_first, char *reply, size_t len);
/* Forgets the calls whose sessions the kernel no longer has. */
void rtppd_relay_sweep(void);
/* Writes the state file when the map changed. */
void rtppd_relay_flush(void);
void rtppd_relay_shutdown(void);

#endif /* RTPPD_DAEMON_H */
