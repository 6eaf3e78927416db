// SPDX-License-Identifier: GPL-2.0
/*
 * Session slot allocation.  Pure logic: see pure.h and slot.h.
 */
#include "slot.h"

/* First clear bit at or after @from and before @to, or @to. */
static u32 next_free(const u64 *map, u32 from, u32 to)
{
	while (from < to) {
		u64 word = ~map[from / 64] >> (from % 64);

		if (word) {
			u32 slot = from + (u32)__builtin_ctzll(word);

			return slot < to ? slot : to;
		}
		from = (from / 64 + 1) * 64;
	}
	return to;
}

/*
 * Take the first free slot at or after *cursor, wrapping once, mark it used
 * and move the cursor past it.  Returns the slot, or -1 when all are used.
 */
long rtpp_slot_pick(u64 *map, u32 nslots, u32 *cursor)
{
	u32 start = *cursor < nslots ? *cursor : 0;
	u32 slot = next_free(map, start, nslots);

	if (slot == nslots) {
		slot = next_free(map, 0, start);
		if (slot == start)
			return -1;
	}
	rtpp_slot_set(map, slot);
	*cursor = slot + 1 < nslots ? slot + 1 : 0;
	return slot;
}
