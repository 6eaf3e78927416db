// SPDX-License-Identifier: GPL-2.0
/*
 * rtppSbTable: a row per switchboard, indexed by the kernel's stable id,
 * and its two writable reset objects.
 */
#include <errno.h>
#include <stdlib.h>

#include "agent.h"
#include "oids.h"
#include "set.h"
#include "table.h"

struct sb_row {
	netsnmp_index idx;
	oid idx_oid[1];
	struct rtpp_sb sb;
};

static const oid sb_table_oid[] = RTPPA_MIB_OID(1, RTPPA_SB_TABLE);

static netsnmp_container *rows;
static struct rtppa_cache *cache;
static struct rtppa_clock clk;		/* when rows were read */

static int add_row(const struct rtpp_sb *sb, void *arg)
{
	struct sb_row *row = malloc(sizeof(*row));

	(void)arg;
	if (!row)
		return -ENOMEM;
	row->sb = *sb;
	row->idx.oids = row->idx_oid;
	row->idx.len = rtppa_sb_index(row->idx_oid, sb->id);
	return rtppa_table_insert(rows, row) ? -ENOMEM : 0;
}

static int load(netsnmp_cache *c, void *magic)
{
	struct rtpp_handle *h = rtppa_kernel();
	int err;

	(void)c;
	(void)magic;
	rtppa_clock_now(&clk);
	if (!h)
		return 0;		/* no module: no rows */
	err = rtpp_list_sb_flags(h, NULL, RTPP_LIST_STREAM, add_row, NULL);
	if (err) {
		rtppa_table_clear(rows);
		rtppa_kernel_failed(err);
	}
	return 0;
}

static void unload(netsnmp_cache *c, void *magic)
{
	(void)c;
	(void)magic;
	rtppa_table_clear(rows);
}

static void changed(bool by_event)
{
	rtppa_cache_expire(cache, by_event);
}

static int cleared(const struct rtpp_sb *sb, void *arg)
{
	const unsigned int *what = arg;
	char line[64];

	snprintf(line, sizeof(line), "switchboard %u %s reset", sb->id,
		 *what == RTPP_RESET_SB ? "statistics" : "packet statistics");
	if (*what == RTPP_RESET_SB)
		rtppa_log_cleared(line, sb->stats, RTPP_STAT_SESS_MASK);
	else
		rtppa_log_cleared(line, sb->stats, RTPP_STAT_PACKET_MASK);
	return 0;
}

static int reset(uint32_t id, unsigned int what)
{
	struct rtpp_sb_spec spec = { .has_id = true, .id = id };
	struct rtpp_handle *h = rtppa_kernel();
	int err;

	if (!h)
		return SNMP_ERR_COMMITFAILED;
	err = rtpp_reset(h, what, &spec, cleared, &what, NULL);
	if (err) {
		snmp_log(LOG_ERR, "switchboard %u reset failed: %s\n", id,
			 rtpp_strerror(h, err));
		rtppa_kernel_failed(err);
		return SNMP_ERR_COMMITFAILED;
	}
	rtppa_kernel_changed(false);
	return SNMP_ERR_NOERROR;
}

static int reset_stats(uint32_t id)
{
	return reset(id, RTPP_RESET_SB);
}

static int reset_packets(uint32_t id)
{
	return reset(id, RTPP_RESET_SB_PACKETS);
}

static int sb_value(const void *row, unsigned int col, struct rtppa_value *v)
{
	return rtppa_sb_value(&((const struct sb_row *)row)->sb, &clk, col, v);
}

static int handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	netsnmp_request_info *req;

	(void)handler;
	(void)reg;
	if (reqinfo->mode == MODE_GET) {
		rtppa_table_get(reqinfo, requests, sb_value);
		return SNMP_ERR_NOERROR;
	}
	for (req = requests; req; req = req->next) {
		netsnmp_table_request_info *ti = rtppa_table_info(req);
		int err = SNMP_ERR_NOERROR;

		if (req->processed || !ti)
			continue;
		if (ti->colnum == RTPPA_SB_RESET || ti->colnum == RTPPA_SB_RESET_PACKETS)
			/* Later phases come in AgentX PDUs of their own, with
			 * no row attached: the index names the switchboard. */
			err = rtppa_set_reset(reqinfo->mode, req->requestvb,
					      ti->colnum == RTPPA_SB_RESET ?
					      reset_stats : reset_packets,
					      *ti->indexes->val.integer);
		else if (reqinfo->mode == MODE_SET_RESERVE1)
			err = SNMP_ERR_NOTWRITABLE;
		if (err)
			netsnmp_set_request_error(reqinfo, req, err);
	}
	return SNMP_ERR_NOERROR;
}

int rtppa_sb_table_init(void)
{
	static const u_char index[] = { ASN_UNSIGNED };
	static struct rtppa_listener listener = { .changed = changed };

	cache = rtppa_cache_create(sb_table_oid, OID_LENGTH(sb_table_oid),
				   load, unload);
	if (!cache)
		return -1;
	rtppa_kernel_listen(&listener);
	rows = rtppa_table_register("rtppSbTable", sb_table_oid,
				    OID_LENGTH(sb_table_oid), handler, true,
				    index, 1, RTPPA_SB_ADDR_TYPE_A, RTPPA_SB_LAST,
				    cache);
	return rows ? 0 : -1;
}

void rtppa_sb_table_shutdown(void)
{
	if (rows)
		rtppa_table_clear(rows);
}
