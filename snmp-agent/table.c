// SPDX-License-Identifier: GPL-2.0
/*
 * Table registration shared by the switchboard, session and stream tables
 * (see table.h).
 */
#include <stdlib.h>

#include "agent.h"
#include "table.h"

/*
 * A table that cannot be registered ends the agent at start (main.c), so
 * what a failure leaves allocated goes with the process.
 */
netsnmp_container *rtppa_table_register(const char *name, const oid *root,
					size_t len, Netsnmp_Node_Handler *handler,
					bool writable, const u_char *index_types,
					size_t n, unsigned int min_col,
					unsigned int max_col, netsnmp_cache *cache)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *info;
	netsnmp_container *c;
	size_t i;

	reg = netsnmp_create_handler_registration(name, handler, root, len,
						  writable ? HANDLER_CAN_RWRITE :
							     HANDLER_CAN_RONLY);
	info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	c = netsnmp_container_find("rtppa:table_container");
	if (!reg || !info || !c)
		goto err;
	/* Rows come from the kernel: a SET to a missing one is noCreation. */
	reg->modes |= HANDLER_CAN_NOT_CREATE;
	for (i = 0; i < n; i++)
		netsnmp_table_helper_add_index(info, index_types[i]);
	info->min_column = min_col;
	info->max_column = max_col;

	/* Each injection goes in front of the last: the cache helper runs
	 * before the container helper, which runs before handler. */
	if (netsnmp_inject_handler(reg, netsnmp_container_table_handler_get(info, c,
				   TABLE_CONTAINER_KEY_NETSNMP_INDEX)) != SNMPERR_SUCCESS ||
	    netsnmp_inject_handler(reg, netsnmp_cache_handler_get(cache)) != SNMPERR_SUCCESS ||
	    netsnmp_register_table(reg, info) != MIB_REGISTERED_OK)
		goto err;
	return c;
err:
	snmp_log(LOG_ERR, "cannot register %s\n", name);
	return NULL;
}

netsnmp_cache *rtppa_cache_create(const oid *root, size_t len,
				  NetsnmpCacheLoad *load, NetsnmpCacheFree *free_fn,
				  void *magic)
{
	netsnmp_cache *cache;

	cache = netsnmp_cache_create(RTPPA_CACHE_TTL, load, free_fn, root, len);
	if (!cache)
		return NULL;
	/* The agent says when a SET changed the kernel (rtppa_changed()). */
	cache->flags |= NETSNMP_CACHE_DONT_INVALIDATE_ON_SET;
	cache->magic = magic;
	return cache;
}

void rtppa_cache_expire(netsnmp_cache *cache)
{
	if (cache)
		cache->expired = 1;
}

static void free_row(void *row, void *ctx)
{
	(void)ctx;
	free(row);
}

int rtppa_table_insert(netsnmp_container *c, void *row)
{
	if (CONTAINER_INSERT(c, row)) {
		free(row);
		return -1;
	}
	return 0;
}

void rtppa_table_clear(netsnmp_container *c)
{
	CONTAINER_CLEAR(c, free_row, NULL);
}

netsnmp_table_request_info *rtppa_table_info(netsnmp_request_info *req)
{
	return netsnmp_extract_table_info(req);
}
