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

void rtppa_log_cleared(const char *what, const uint64_t *stats, uint64_t mask)
{
	char line[1024];
	size_t len = 0;
	unsigned int i;

	line[0] = '\0';
	for (i = 0; i < RTPP_STAT_COUNT && len < sizeof(line); i++) {
		if (!RTPP_STAT_IN(mask, i))
			continue;
		len += snprintf(line + len, sizeof(line) - len, " %s=%llu",
				rtpp_stat_name(i), (unsigned long long)stats[i]);
	}
	snmp_log(LOG_INFO, "%s by SNMP, cleared:%s\n", what, line);
}
