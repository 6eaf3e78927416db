// SPDX-License-Identifier: GPL-2.0
/*
 * rtppGlobal: the module's uptime, version, counts and counters, and
 * rtppResetStatistics, the global reset; rtppQualityLossThreshold, which is
 * the agent's own (lossnotify.c).
 *
 * The values come from one GET_INFO reply kept for at most a second (or
 * until a kernel event or a reset says it changed).  Without the module
 * every value reads zero: the relay is not running, which is no error.
 */
#include "agent.h"
#include "oids.h"
#include "set.h"

#define INFO_TTL_MS	1000

static const oid global_oid[] = RTPPA_MIB_OID(1, RTPPA_GLOBAL);

static struct {
	bool valid;			/* info is what the kernel said */
	bool have;			/* the module answered */
	struct rtpp_info info;
	struct rtppa_clock clk;
	struct timespec loaded;		/* CLOCK_MONOTONIC */
} cache;

static void changed(bool by_event)
{
	(void)by_event;
	cache.valid = false;
}

static bool fresh(void)
{
	struct timespec now;

	if (!cache.valid)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - cache.loaded.tv_sec) * 1000 +
	       (now.tv_nsec - cache.loaded.tv_nsec) / 1000000 < INFO_TTL_MS;
}

static void load(void)
{
	struct rtpp_handle *h = rtppa_kernel();
	int err;

	if (fresh())
		return;
	cache.have = false;
	if (h) {
		err = rtpp_info(h, &cache.info);
		if (err)
			rtppa_kernel_failed(err);
		cache.have = !err;
	}
	rtppa_clock_now(&cache.clk);
	clock_gettime(CLOCK_MONOTONIC, &cache.loaded);
	cache.valid = true;
}

static int get(netsnmp_request_info *req, unsigned int col)
{
	struct rtppa_value v;
	uint32_t discont;

	load();
	discont = cache.have ? rtppa_timestamp(&cache.clk, cache.info.discont_ms) : 0;
	if (rtppa_global_value(cache.have ? &cache.info : NULL, discont, col, &v))
		return SNMP_NOSUCHOBJECT;
	snmp_set_var_typed_value(req->requestvb, v.type, &v.u, v.len);
	return SNMP_ERR_NOERROR;
}

static int reset(uint32_t id)
{
	struct rtpp_handle *h = rtppa_kernel();
	struct rtpp_stats cleared;
	int err;

	(void)id;
	if (!h)
		return SNMP_ERR_COMMITFAILED;
	err = rtpp_reset(h, RTPP_RESET_GLOBAL, NULL, NULL, NULL, &cleared);
	if (err) {
		snmp_log(LOG_ERR, "global statistics reset failed: %s\n",
			 rtpp_strerror(h, err));
		rtppa_kernel_failed(err);
		return SNMP_ERR_COMMITFAILED;
	}
	rtppa_log_cleared("global statistics reset", cleared.stats,
			  RTPP_STAT_ALL_MASK);
	rtppa_kernel_changed(false);
	return SNMP_ERR_NOERROR;
}

/*
 * rtppQualityLossThreshold's SET: checked in RESERVE1, set in ACTION, put
 * back by UNDO when another variable of the request failed.
 */
static int set_threshold(int mode, const netsnmp_variable_list *var)
{
	static unsigned int before;

	switch (mode) {
	case MODE_SET_RESERVE1:
		return rtppa_threshold_check(var->type, var->val_len, var->val.integer);
	case MODE_SET_ACTION:
		before = rtppa_loss_threshold();
		rtppa_loss_set_threshold((unsigned int)*var->val.integer);
		return SNMP_ERR_NOERROR;
	case MODE_SET_UNDO:
		rtppa_loss_set_threshold(before);
		return SNMP_ERR_NOERROR;
	}
	return SNMP_ERR_NOERROR;
}

static int handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req)
{
	unsigned int col = req->requestvb->name[OID_LENGTH(global_oid)];
	int err = SNMP_ERR_NOERROR;

	(void)handler;
	(void)reg;
	if (reqinfo->mode == MODE_GET && col == RTPPA_G_LOSS_THRESHOLD) {
		snmp_set_var_typed_integer(req->requestvb, ASN_UNSIGNED,
					   rtppa_loss_threshold());
	} else if (reqinfo->mode == MODE_GET) {
		err = get(req, col);
	} else if (col == RTPPA_G_LOSS_THRESHOLD) {
		err = set_threshold(reqinfo->mode, req->requestvb);
	} else if (col != RTPPA_G_RESET) {
		if (reqinfo->mode == MODE_SET_RESERVE1)
			err = SNMP_ERR_NOTWRITABLE;
	} else {
		err = rtppa_set_reset(reqinfo->mode, req->requestvb, reset, 0);
	}
	if (err)
		netsnmp_set_request_error(reqinfo, req, err);
	return SNMP_ERR_NOERROR;
}

int rtppa_scalars_init(void)
{
	static struct rtppa_listener listener = { .changed = changed };
	netsnmp_handler_registration *reg;

	rtppa_kernel_listen(&listener);
	reg = netsnmp_create_handler_registration("rtppGlobal", handler, global_oid,
						  OID_LENGTH(global_oid),
						  HANDLER_CAN_RWRITE);
	if (!reg)
		return -1;
	return netsnmp_register_scalar_group(reg, RTPPA_G_UPTIME, RTPPA_G_LAST) ==
	       MIB_REGISTERED_OK ? 0 : -1;
}
