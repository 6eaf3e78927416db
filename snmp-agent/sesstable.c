// SPDX-License-Identifier: GPL-2.0
/*
 * rtppSessTable and rtppStreamTable.  Both come from one session dump
 * behind one cache: a session row and its four stream rows (side a/b,
 * rtp/rtcp) are read together, so the two tables never disagree, and the
 * kernel walks its sessions once per refresh, not once per table.
 */
#include <errno.h>
#include <stdlib.h>

#include "agent.h"
#include "oids.h"
#include "table.h"

struct sess_row {
	netsnmp_index idx;
	oid idx_oid[2];
	struct rtpp_sess sess;
};

struct stream_row {
	netsnmp_index idx;
	oid idx_oid[4];
	struct rtppa_stream_row r;
};

/* A session's rows, one allocation: reloads of tens of thousands of
 * sessions are dominated by the allocator otherwise.  The session table
 * owns the block; the stream table only points into it. */
struct sess_block {
	struct sess_row sess;
	struct stream_row stream[RTPP_SIDES][RTPP_STREAMS];
};

static const oid sess_table_oid[] = RTPPA_MIB_OID(1, RTPPA_SESS_TABLE);
static const oid stream_table_oid[] = RTPPA_MIB_OID(1, RTPPA_STREAM_TABLE);

static netsnmp_container *sess_rows, *stream_rows;
static struct rtppa_cache *cache;
static struct rtppa_clock clk;		/* when rows were read */

static int add_rows(const struct rtpp_sess *sess, void *arg)
{
	struct sess_block *b = malloc(sizeof(*b));
	unsigned int side, st;

	(void)arg;
	if (!b)
		return -ENOMEM;
	b->sess.sess = *sess;
	b->sess.idx.oids = b->sess.idx_oid;
	b->sess.idx.len = rtppa_sess_index(b->sess.idx_oid, sess->sb.id, sess->id);
	if (rtppa_table_insert(sess_rows, &b->sess))
		return -ENOMEM;		/* freed b */

	for (side = 0; side < RTPP_SIDES; side++) {
		for (st = 0; st < RTPP_STREAMS; st++) {
			struct stream_row *row = &b->stream[side][st];

			row->r.st = sess->side[side].stream[st];
			row->r.always_learn = sess->side[side].always_learn;
			row->idx.oids = row->idx_oid;
			row->idx.len = rtppa_stream_index(row->idx_oid, sess->sb.id,
							  sess->id, side, st);
			if (CONTAINER_INSERT(stream_rows, row))
				return -ENOMEM;
		}
	}
	return 0;
}

static void unload(netsnmp_cache *c, void *magic)
{
	(void)c;
	(void)magic;
	/* the stream rows live in the session rows' blocks */
	CONTAINER_CLEAR(stream_rows, NULL, NULL);
	rtppa_table_clear(sess_rows);
}

static int load(netsnmp_cache *c, void *magic)
{
	struct rtpp_handle *h = rtppa_kernel();
	int err;

	rtppa_clock_now(&clk);
	if (!h)
		return 0;
	/* Rows are right one by one: a listing that sessions came or went
	 * through is taken as it is, never asked for again (and a listing of
	 * every session is not buffered whole on top of the rows). */
	err = rtpp_list_sess_flags(h, NULL, 0, RTPP_ID_ALL, RTPP_LIST_STREAM,
				   add_rows, NULL);
	DEBUGMSGTL(("rtppa:sess", "%zu sessions, error %d\n",
		    CONTAINER_SIZE(sess_rows), err));
	if (err) {
		unload(c, magic);
		rtppa_kernel_failed(err);
	}
	return 0;
}

static void changed(bool by_event)
{
	rtppa_cache_expire(cache, by_event);
}

static int sess_value(const void *row, unsigned int col, struct rtppa_value *v)
{
	return rtppa_sess_value(&((const struct sess_row *)row)->sess, col, v);
}

static int stream_value(const void *row, unsigned int col, struct rtppa_value *v)
{
	return rtppa_stream_value(&((const struct stream_row *)row)->r, &clk, col, v);
}

/* Both tables are read-only: the table helper refuses SETs before us. */
static int sess_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			netsnmp_agent_request_info *reqinfo,
			netsnmp_request_info *requests)
{
	(void)handler;
	(void)reg;
	if (reqinfo->mode == MODE_GET)
		rtppa_table_get(reqinfo, requests, sess_value);
	return SNMP_ERR_NOERROR;
}

static int stream_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			  netsnmp_agent_request_info *reqinfo,
			  netsnmp_request_info *requests)
{
	(void)handler;
	(void)reg;
	if (reqinfo->mode == MODE_GET)
		rtppa_table_get(reqinfo, requests, stream_value);
	return SNMP_ERR_NOERROR;
}

int rtppa_sess_tables_init(void)
{
	static const u_char sess_index[] = { ASN_UNSIGNED, ASN_UNSIGNED };
	static const u_char stream_index[] = {
		ASN_UNSIGNED, ASN_UNSIGNED, ASN_INTEGER, ASN_INTEGER,
	};
	static struct rtppa_listener listener = { .changed = changed };

	/* One cache for both tables: whichever a request reaches first
	 * reloads the rows of both. */
	cache = rtppa_cache_create(sess_table_oid, OID_LENGTH(sess_table_oid),
				   load, unload);
	if (!cache)
		return -1;
	rtppa_kernel_listen(&listener);
	sess_rows = rtppa_table_register("rtppSessTable", sess_table_oid,
					 OID_LENGTH(sess_table_oid), sess_handler,
					 false, sess_index, 2, RTPPA_SESS_STATE,
					 RTPPA_SESS_LAST, cache);
	stream_rows = rtppa_table_register("rtppStreamTable", stream_table_oid,
					   OID_LENGTH(stream_table_oid),
					   stream_handler, false, stream_index, 4,
					   RTPPA_ST_ADDR_TYPE, RTPPA_ST_LAST, cache);
	return sess_rows && stream_rows ? 0 : -1;
}

void rtppa_sess_tables_shutdown(void)
{
	if (sess_rows)
		unload(NULL, NULL);
}
