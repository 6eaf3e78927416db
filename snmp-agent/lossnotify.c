// SPDX-License-Identifier: GPL-2.0
/*
 * rtppStreamLoss: while rtppQualityLossThreshold is not 0, every
 * LOSS_PERIOD seconds the agent lists every session (streamed: no
 * whole-reply buffer) and hands each tracked RTP stream's expected and
 * lost packets to the loss watch (loss.c), which says which streams to
 * tell about.  At 0 nothing is listed and the watch forgets everything:
 * a threshold set again starts from fresh periods.
 */
#include "agent.h"
#include "loss.h"
#include "oids.h"

#define LOSS_PERIOD	5	/* seconds: the MIB says so */

static unsigned int threshold;
static struct rtppa_loss watch;

unsigned int rtppa_loss_threshold(void)
{
	return threshold;
}

void rtppa_loss_set_threshold(unsigned int percent)
{
	if (threshold != percent)
		rtppa_loss_clear(&watch);
	threshold = percent;
}

static void add_u32(netsnmp_variable_list **vars, unsigned int col,
		    const struct rtpp_sess *s, unsigned int side, u_char type,
		    uint32_t value)
{
	oid name[] = RTPPA_MIB_OID(1, RTPPA_STREAM_TABLE, 1, col, s->sb.id, s->id,
				   side + 1, 1);
	u_long v = value;

	snmp_varlist_add_variable(vars, name, OID_LENGTH(name), type, &v, sizeof(v));
}

static void notify(const struct rtpp_sess *s, unsigned int side)
{
	static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	const struct rtpp_stream_quality *q = &s->side[side].stream[RTPP_STREAM_RTP].q;
	oid notification[] = RTPPA_MIB_OID(0, RTPPA_NOTIFY_STREAM_LOSS);
	netsnmp_variable_list *vars = NULL;

	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
				  ASN_OBJECT_ID, notification, sizeof(notification));
	add_u32(&vars, RTPPA_ST_EXPECTED, s, side, ASN_COUNTER, q->expected);
	add_u32(&vars, RTPPA_ST_LOST, s, side, ASN_GAUGE, q->lost);
	add_u32(&vars, RTPPA_ST_SSRC, s, side, ASN_UNSIGNED, q->ssrc);
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

static int note_sess(const struct rtpp_sess *s, void *arg)
{
	unsigned int side;

	(void)arg;
	for (side = 0; side < RTPP_SIDES; side++) {
		const struct rtpp_stream_quality *q =
			&s->side[side].stream[RTPP_STREAM_RTP].q;
		struct rtppa_loss_key k = {
			.sb = s->sb.id, .sess = s->id,
			.created_ms = s->created_ms, .side = side,
		};

		if (q->has && rtppa_loss_note(&watch, &k, q->expected, q->lost,
					      threshold))
			notify(s, side);
	}
	return 0;
}

static void period(unsigned int reg, void *arg)
{
	struct rtpp_handle *h = rtppa_kernel();
	int err;

	(void)reg;
	(void)arg;
	if (!threshold || !h)
		return;
	err = rtpp_list_sess_flags(h, NULL, 0, RTPP_ID_ALL, RTPP_LIST_STREAM,
				   note_sess, NULL);
	if (err) {
		rtppa_kernel_failed(err);
		rtppa_loss_clear(&watch);
		return;
	}
	rtppa_loss_end(&watch);
	DEBUGMSGTL(("rtppa:loss", "period: threshold %u%%, %zu streams\n",
		    threshold, watch.nold));
}

void rtppa_loss_init(void)
{
	snmp_alarm_register(LOSS_PERIOD, SA_REPEAT, period, NULL);
}
