// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxyd: its messages, to standard error or to syslog, as main.c
 * set up before the loop.
 */
#include <stdarg.h>
#include <stdio.h>
#include "daemon.h"

struct rtppd_logging rtppd_logging = { .level = LOG_NOTICE };

void rtppd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio > rtppd_logging.level)
		return;
	va_start(ap, fmt);
	if (rtppd_logging.syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, RTPPD_NAME ": ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
