// SPDX-License-Identifier: GPL-2.0
/*
 * The reset objects' SET, between net-snmp's request and rows.c's state
 * machine, and the log line that keeps what a reset cleared.
 */
#include <stdio.h>

#include "agent.h"
#include "set.h"

int rtppa_set_reset(int mode, const netsnmp_variable_list *var,
		    rtppa_reset_fn act, uint32_t id)
{
	return rtppa_set_step(mode, var->type, var->val_len, var->val.integer,
			      rtppa_kernel() != NULL, act, id);
}

void rtppa_log_cleared(const char *what, const uint64_t *stats,
		       unsigned int first, unsigned int last)
{
	char line[1024];
	size_t len = 0;
	unsigned int attr;

	line[0] = '\0';
	for (attr = first; attr <= last && len < sizeof(line); attr++) {
		unsigned int i = RTPP_STAT_INDEX(attr);

		len += snprintf(line + len, sizeof(line) - len, " %s=%llu",
				rtpp_stat_name(i), (unsigned long long)stats[i]);
	}
	snmp_log(LOG_INFO, "%s by SNMP, cleared:%s\n", what, line);
}
