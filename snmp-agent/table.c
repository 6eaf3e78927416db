// SPDX-License-Identifier: GPL-2.0
/*
 * Table registration shared by the switchboard, session and stream tables
 * (see table.h).
 */
#include <stdlib.h>
#include <time.h>

#include "agent.h"
#include "table.h"

struct rtppa_cache {
	netsnmp_cache *nc;
	NetsnmpCacheLoad *load;
	struct timespec loaded;		/* CLOCK_MONOTONIC, end of last load */
	long load_ms;			/* what it took */
	unsigned int alarm;		/* an event's expiry, deferred */
};

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/*
 * A table that cannot be registered ends the agent at start (main.c), so
 * what a failure leaves allocated goes with the process.
 */
netsnmp_container *rtppa_table_register(const char *name, const oid *root,
					size_t len, Netsnmp_Node_Handler *handler,
					bool writable, const u_char *index_types,
					size_t n, unsigned int min_col,
					unsigned int max_col, struct rtppa_cache *cache)
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
	    netsnmp_inject_handler(reg, netsnmp_cache_handler_get(cache->nc)) != SNMPERR_SUCCESS ||
	    netsnmp_register_table(reg, info) != MIB_REGISTERED_OK)
		goto err;
	return c;
err:
	snmp_log(LOG_ERR, "cannot register %s\n", name);
	return NULL;
}

static int timed_load(netsnmp_cache *nc, void *magic)
{
	struct rtppa_cache *c = magic;
	long ttl_ms;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &c->loaded);
	ret = c->load(nc, magic);
	c->load_ms = ms_since(&c->loaded);
	clock_gettime(CLOCK_MONOTONIC, &c->loaded);
	ttl_ms = RTPPA_LOAD_FACTOR * c->load_ms;
	DEBUGMSGTL(("rtppa:cache", "loaded in %ld ms\n", c->load_ms));
	nc->timeout = ttl_ms > RTPPA_CACHE_TTL * 1000 ? (ttl_ms + 999) / 1000 :
		      RTPPA_CACHE_TTL;
	return ret;
}

struct rtppa_cache *rtppa_cache_create(const oid *root, size_t len,
				       NetsnmpCacheLoad *load,
				       NetsnmpCacheFree *free_fn)
{
	struct rtppa_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->load = load;
	c->nc = netsnmp_cache_create(RTPPA_CACHE_TTL, timed_load, free_fn, root, len);
	if (!c->nc) {
		free(c);
		return NULL;
	}
	/* The agent says when a SET changed the kernel (rtppa_kernel_changed()). */
	c->nc->flags |= NETSNMP_CACHE_DONT_INVALIDATE_ON_SET;
	c->nc->magic = c;
	return c;
}

static void expire_alarm(unsigned int reg, void *arg)
{
	struct rtppa_cache *c = arg;

	(void)reg;
	c->alarm = 0;
	c->nc->expired = 1;
}

void rtppa_cache_expire(struct rtppa_cache *c, bool by_event)
{
	struct timeval tv;
	long gap, age;

	if (!c)
		return;
	if (!by_event) {
		c->nc->expired = 1;
		return;
	}
	if (c->alarm)
		return;		/* expires when that goes off */
	gap = RTPPA_LOAD_FACTOR * c->load_ms;
	if (gap < RTPPA_EVENT_GAP_MS)
		gap = RTPPA_EVENT_GAP_MS;
	age = ms_since(&c->loaded);
	if (age >= gap) {
		c->nc->expired = 1;
		return;
	}
	tv.tv_sec = (gap - age) / 1000;
	tv.tv_usec = (gap - age) % 1000 * 1000;
	c->alarm = snmp_alarm_register_hr(tv, 0, expire_alarm, c);
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

void rtppa_table_get(netsnmp_agent_request_info *reqinfo,
		     netsnmp_request_info *requests, rtppa_value_fn value)
{
	netsnmp_request_info *req;

	for (req = requests; req; req = req->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);
		void *row = netsnmp_container_table_row_extract(req);
		struct rtppa_value v;

		if (req->processed || !ti)
			continue;
		if (!row || value(row, ti->colnum, &v))
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
		else
			snmp_set_var_typed_value(req->requestvb, v.type, &v.u, v.len);
	}
}

netsnmp_table_request_info *rtppa_table_info(netsnmp_request_info *req)
{
	return netsnmp_extract_table_info(req);
}
