/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session slot allocation over a bitmap of 64-bit words.  Pure logic (see
 * pure.h).
 *
 * The search starts at a cursor that moves past every slot handed out, so
 * a slot just freed is the last one to be reused: late packets of an old
 * call then find a free slot (and continue untouched) rather than a new call.
 */
#ifndef _RTPP_SLOT_H
#define _RTPP_SLOT_H

#include "pure.h"

#define RTPP_SLOT_WORDS(n)	(((n) + 63) / 64)

static inline bool rtpp_slot_used(const u64 *map, u32 slot)
{
	return map[slot / 64] & ((u64)1 << (slot % 64));
}

static inline void rtpp_slot_set(u64 *map, u32 slot)
{
	map[slot / 64] |= (u64)1 << (slot % 64);
}

static inline void rtpp_slot_clear(u64 *map, u32 slot)
{
	map[slot / 64] &= ~((u64)1 << (slot % 64));
}

long rtpp_slot_pick(u64 *map, u32 nslots, u32 *cursor);

#endif /* _RTPP_SLOT_H */
