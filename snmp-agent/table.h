/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the three tables share: a table_container whose rows are kept in
 * index order, behind a cache helper that reloads them from one kernel dump
 * at most once a second (table.c).
 *
 * Every row type starts with a netsnmp_index pointing into the row itself,
 * so rows are one allocation each and the container frees them with free().
 */
#ifndef RTPPA_TABLE_H
#define RTPPA_TABLE_H

#include "agent.h"

/*
 * How long rows are kept.  A reload of tens of thousands of sessions takes
 * a noticeable time (hundreds of ms in a slow guest); an agent reloading
 * for every request of a walk under session churn would do nothing else.
 * So rows live RTPPA_CACHE_TTL seconds, but at least RTPPA_LOAD_FACTOR
 * times as long as their last load took, and a kernel event expires them
 * at once only when they are older than RTPPA_EVENT_GAP_MS and than that
 * same multiple (later otherwise, by an alarm).  Reloading then costs at
 * most about 1/RTPPA_LOAD_FACTOR of the agent's time.
 */
#define RTPPA_CACHE_TTL		1	/* seconds */
#define RTPPA_LOAD_FACTOR	4
#define RTPPA_EVENT_GAP_MS	200

/*
 * Registers the table root[0..len) (its "Table" node) with handler as the
 * last handler of the chain: net-snmp's table helper, the cache helper,
 * then the container helper that finds rows (GET, GETNEXT, SET's RESERVE1).
 * The index types are ASN_UNSIGNED or ASN_INTEGER, n of them.  Returns the
 * container, or NULL (logged).
 */
struct rtppa_cache;

netsnmp_container *rtppa_table_register(const char *name, const oid *root,
					size_t len, Netsnmp_Node_Handler *handler,
					bool writable, const u_char *index_types,
					size_t n, unsigned int min_col,
					unsigned int max_col, struct rtppa_cache *cache);

/* A cache over one or more containers, loaded by load(), emptied by
 * free_fn(): net-snmp's cache helper, timed as above. */
struct rtppa_cache;
struct rtppa_cache *rtppa_cache_create(const oid *root, size_t len,
				       NetsnmpCacheLoad *load,
				       NetsnmpCacheFree *free_fn);
/* What the rows show changed (a reset, the module came or went): the next
 * request reloads.  by_event: a kernel event said so, throttled as above. */
void rtppa_cache_expire(struct rtppa_cache *cache, bool by_event);

/* Inserts row (whose netsnmp_index is set) or frees it; -1 on failure. */
int rtppa_table_insert(netsnmp_container *c, void *row);
void rtppa_table_clear(netsnmp_container *c);

/*
 * Answers the GETs among requests (the container helper turned GETNEXTs
 * into GETs on the rows it found): value(row, column, &v) gives a column's
 * value, non-zero for none.
 */
typedef int (*rtppa_value_fn)(const void *row, unsigned int col,
			      struct rtppa_value *v);
void rtppa_table_get(netsnmp_agent_request_info *reqinfo,
		     netsnmp_request_info *requests, rtppa_value_fn value);

/* Which column, and the index values, of a table request. */
netsnmp_table_request_info *rtppa_table_info(netsnmp_request_info *req);

#endif /* RTPPA_TABLE_H */
