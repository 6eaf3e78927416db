// SPDX-License-Identifier: GPL-2.0
/*
 * rtpp-probe: open a handle the way a monitor does, and say what it found,
 * for the scenarios (tests/integration/churn.sh).
 *
 *   rtpp-probe [--no-load]
 *
 * Opens with rtpp_open_flags(), RTPP_OPEN_NO_LOAD when --no-load is given,
 * then asks for the global info and joins the events group.  Prints one
 * line and exits 0 when all went well:
 *
 *   loaded version=V switchboards=N events=yes
 *
 * or, exiting 1, "not-loaded" (RTPP_ERR_NO_MODULE) or "error: TEXT".
 */
#include <stdio.h>
#include <string.h>

#include "rtpproxy.h"

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	struct rtpp_handle *h;
	struct rtpp_info info;
	int err;

	if (argc == 2 && !strcmp(argv[1], "--no-load")) {
		flags = RTPP_OPEN_NO_LOAD;
	} else if (argc != 1) {
		fprintf(stderr, "usage: rtpp-probe [--no-load]\n");
		return 2;
	}
	err = rtpp_open_flags(&h, flags);
	if (err == RTPP_ERR_NO_MODULE) {
		printf("not-loaded\n");
		return 1;
	}
	if (err) {
		printf("error: %s\n", rtpp_strerror(NULL, err));
		return 1;
	}
	err = rtpp_info(h, &info);
	if (!err)
		err = rtpp_events_subscribe(h);
	if (err) {
		printf("error: %s\n", rtpp_strerror(h, err));
		rtpp_close(h);
		return 1;
	}
	printf("loaded version=%u switchboards=%u events=yes\n", info.version,
	       info.sb_count);
	rtpp_close(h);
	return 0;
}
