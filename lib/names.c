// SPDX-License-Identifier: GPL-2.0
/*
 * librtpproxy: stable names of counters, states and events, for output
 * (CLI columns and JSON keys, agent logs).
 */
#include <stddef.h>
#include "rtpproxy.h"

static const char *const stat_names[RTPP_STAT_COUNT] = {
	[RTPP_STAT_INDEX(RTPP_A_STAT_PACKETS)]		= "packets",
	[RTPP_STAT_INDEX(RTPP_A_STAT_BYTES)]		= "bytes",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_MALFORMED)]	= "drop_malformed",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_FRAGMENT)]	= "drop_fragment",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_CSUM)]	= "drop_csum",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_SOURCE)]	= "drop_source",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_NO_PEER)]	= "drop_no_peer",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_EXPIRED)]	= "drop_expired",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_DESTROYED)]	= "drop_destroyed",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_ROUTE)]	= "drop_route",
	[RTPP_STAT_INDEX(RTPP_A_STAT_ALLOCS)]		= "allocs",
	[RTPP_STAT_INDEX(RTPP_A_STAT_ALLOC_FAILS)]	= "alloc_fails",
	[RTPP_STAT_INDEX(RTPP_A_STAT_EXPIRATIONS)]	= "expirations",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DELETES)]		= "deletes",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_BAD_SOURCE)]	= "drop_bad_source",
	[RTPP_STAT_INDEX(RTPP_A_STAT_DROP_TTL)]		= "drop_ttl",
};

static const char *const state_names[RTPP_STATES] = {
	[RTPP_STATE_FREE]	= "free",
	[RTPP_STATE_LEARNING]	= "learning",
	[RTPP_STATE_ACTIVE]	= "active",
	[RTPP_STATE_EXPIRED]	= "expired",
	[RTPP_STATE_DESTROYED]	= "destroyed",
};

static const char *const event_names[] = {
	[RTPP_EVENT_SESS_EXPIRED]	= "session-expired",
	[RTPP_EVENT_SESS_DESTROYED]	= "session-destroyed",
	[RTPP_EVENT_SB_FULL]		= "switchboard-full",
	[RTPP_EVENT_SB_CREATED]		= "switchboard-created",
	[RTPP_EVENT_SB_DESTROYED]	= "switchboard-destroyed",
};

const char *rtpp_stat_name(unsigned int index)
{
	return index < RTPP_STAT_COUNT && stat_names[index] ?
	       stat_names[index] : "unknown";
}

const char *rtpp_state_name(unsigned int state)
{
	return state < RTPP_STATES ? state_names[state] : "unknown";
}

const char *rtpp_event_name(unsigned int event)
{
	return event < sizeof(event_names) / sizeof(event_names[0]) &&
	       event_names[event] ? event_names[event] : "unknown";
}
