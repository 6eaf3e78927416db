/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reset objects' SET, one state machine for all three (set.c).
 *
 * A reset is checked in RESERVE1 (type, length, value: rows.c), refused in
 * RESERVE2 when the module is not there, and done once, in ACTION.  ACTION
 * and not COMMIT: in a subagent net-snmp runs ACTION for AgentX's
 * CommitSet, whose failure reaches the manager as commitFailed, and COMMIT
 * for CleanupSet, whose outcome nobody hears.  A reset cannot be undone: if
 * another variable of the same SET fails its ACTION, UNDO says undoFailed.
 */
#ifndef RTPPA_SET_H
#define RTPPA_SET_H

#include "agent.h"

/* act(id) does the reset and returns an SNMP error status; the global
 * reset's id is 0, a switchboard's its id. */
int rtppa_set_reset(int mode, const netsnmp_variable_list *var,
		    rtppa_reset_fn act, uint32_t id);

/* Logs what a reset cleared, so that no count is lost: the kernel returns
 * the values it cleared, atomically with the clearing.  @mask: the
 * counters the reset clears, RTPP_STAT_*_MASK. */
void rtppa_log_cleared(const char *what, const uint64_t *stats, uint64_t mask);

#endif /* RTPPA_SET_H */
