// SPDX-License-Identifier: GPL-2.0
/*
 * iptrtpproxyd: the commands, carried out on the kernel's sessions.
 *
 * An offer (U) that names no known stream allocates a session on the first
 * switchboard with room (of those -l selects); the party whose offer it is
 * (the caller) gets the side of the network its message came from (I: gate
 * A, E: gate B; without I/E, side A) and the callee the other side.  The
 * SDP address of a party becomes its side's client address, with a
 * learning window (-W) for symmetric clients, so that a client behind NAT
 * is found by its first packet; an asymmetric one (A) is given its address
 * and nothing is learned.  A side whose client is not known yet only
 * learns.  Each reply names the gate the recipient of the SDP must send
 * to: for U the callee's side, for L the caller's.
 *
 * Before it touches a session the daemon checks that the kernel still has
 * it (same slot, same creation time, learning or active): an expired or
 * deleted session's slot may already be someone else's call.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtpproxy.h>

#include "calls.h"
#include "daemon.h"
#include "proto.h"

#define MAX_SB		64

static void inet_ntop_v4(uint32_t addr, char out[16])
{
	struct in_addr in = { addr };

	inet_ntop(AF_INET, &in, out, 16);
}

static const struct rtppd_conf *conf;
static struct rtpp_handle *handle;
static struct rtppd_calls calls;
static uint64_t sessions_created;
static bool open_failed_logged;

/* ---- the kernel ------------------------------------------------------------ */

static struct rtpp_handle *kernel(void)
{
	int err;

	if (handle)
		return handle;
	err = rtpp_open(&handle);
	if (err) {
		if (!open_failed_logged)
			rtppd_log(LOG_ERR, "kernel: %s", rtpp_strerror(NULL, err));
		open_failed_logged = true;
		handle = NULL;
		return NULL;
	}
	if (open_failed_logged)
		rtppd_log(LOG_NOTICE, "kernel: reached again");
	open_failed_logged = false;
	return handle;
}

/* After an error: a handle the module no longer answers is dropped, to be
 * opened again by the next command. */
static void kernel_failed(const char *what, int err)
{
	rtppd_log(LOG_ERR, "%s: %s", what, rtpp_strerror(handle, err));
	if (err != -ENOENT && err != -ENOSPC && err != -EINVAL && err != -ERANGE) {
		rtpp_close(handle);
		handle = NULL;
	}
}

struct sess_get {
	uint32_t slot;
	uint64_t created_ms;
	bool found;
	struct rtpp_sess sess;
};

static int sess_get_cb(const struct rtpp_sess *s, void *arg)
{
	struct sess_get *g = arg;

	if (s->id == g->slot && s->created_ms == g->created_ms &&
	    (s->state == RTPP_STATE_LEARNING || s->state == RTPP_STATE_ACTIVE)) {
		g->found = true;
		g->sess = *s;
	}
	return 0;
}

/* 1 and *out: the kernel has c's session; 0: it has not; <0: error. */
static int call_session(const struct rtppd_call *c, struct rtpp_sess *out)
{
	struct rtpp_sb_spec spec = { .has_id = true, .id = c->sb_id };
	struct sess_get g = { .slot = c->slot, .created_ms = c->created_ms };
	struct rtpp_handle *h = kernel();
	int err;

	if (!h)
		return RTPP_ERR_NO_MODULE;
	err = rtpp_list_sess(h, &spec, c->slot, c->slot, sess_get_cb, &g);
	if (err == -ENOENT)		/* the switchboard is gone */
		return 0;
	if (err < 0) {
		kernel_failed("listing a session", err);
		return err;
	}
	if (g.found && out)
		*out = g.sess;
	return g.found;
}

/* ---- offers and answers ------------------------------------------------------ */

static void client_params(struct rtpp_side_params *p, const struct rtppd_req *req)
{
	struct rtpp_stream_params *rtp = &p->stream[RTPP_STREAM_RTP];

	if (req->addr) {
		rtp->has_addr = rtp->has_port = true;
		rtp->addr = req->addr;
		rtp->port = req->port;
	}
	if (!req->addr || !req->asym) {
		rtp->has_learning = true;
		rtp->learning_ms = conf->learn_ms;
	}
}

static size_t reply_gate(char *buf, size_t len, const char *cookie,
			 const struct rtpp_sess *s, int side)
{
	uint32_t addr = side == RTPP_SIDE_A ? s->sb.addr_a : s->sb.addr_b;

	if (conf->has_adv[side])
		addr = conf->adv[side];
	return rtppd_reply_port(buf, len, cookie,
				s->side[side].stream[RTPP_STREAM_RTP].gate_port, addr);
}

struct sb_pick {
	uint32_t ids[MAX_SB];
	unsigned int n;
};

static int sb_pick_cb(const struct rtpp_sb *sb, void *arg)
{
	struct sb_pick *p = arg;

	if ((conf->has_sb_addr[0] && sb->addr_a != conf->sb_addr[0]) ||
	    (conf->has_sb_addr[1] && sb->addr_b != conf->sb_addr[1]))
		return 0;
	if (p->n < MAX_SB)
		p->ids[p->n++] = sb->id;
	return 0;
}

static size_t offer_new(const struct rtppd_req *req, const char *cookie,
			char *buf, size_t len)
{
	int caller = req->from_net == RTPPD_NET_E ? RTPP_SIDE_B : RTPP_SIDE_A;
	int callee = !caller;
	struct rtpp_sess_params params;
	struct sb_pick pick = { .n = 0 };
	struct rtpp_handle *h = kernel();
	struct rtppd_call *c;
	struct rtpp_sess s;
	unsigned int i;
	int err = -ENOSPC;

	if (req->from_net != RTPPD_NET_NONE && req->from_net == req->to_net) {
		rtppd_log(LOG_WARNING, "U %s: both parties on one network (%s): "
			  "a switchboard bridges gate A's network and gate B's",
			  req->callid, req->from_net == RTPPD_NET_I ? "II" : "EE");
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_INVAL);
	}
	if (!h)
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
	err = rtpp_list_sb_flags(h, NULL, RTPP_LIST_NO_STATES, sb_pick_cb, &pick);
	if (err < 0) {
		kernel_failed("listing switchboards", err);
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
	}
	memset(&params, 0, sizeof(params));
	params.has_expires = conf->expires != 0;
	params.expires = conf->expires;
	client_params(&params.side[caller], req);
	params.side[callee].stream[RTPP_STREAM_RTP].has_learning = true;
	params.side[callee].stream[RTPP_STREAM_RTP].learning_ms = conf->learn_ms;
	err = -ENOSPC;
	for (i = 0; i < pick.n && err == -ENOSPC; i++) {
		struct rtpp_sb_spec spec = { .has_id = true, .id = pick.ids[i] };

		err = rtpp_alloc(h, &spec, &params, &s);
		if (err == -ENOENT)	/* gone since the listing */
			err = -ENOSPC;
	}
	if (err) {
		if (err == -ENOSPC)
			rtppd_log(LOG_WARNING, "U %s: no room on %u switchboard(s)",
				  req->callid, pick.n);
		else
			kernel_failed("allocating a session", err);
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
	}
	sessions_created++;
	c = rtppd_calls_add(&calls, req->callid, req->ftag, req->ttag, req->fmedia);
	if (!c) {
		struct rtpp_sb_spec spec = { .has_id = true, .id = s.sb.id };

		rtpp_delete(h, &spec, s.id, s.id, true, NULL);
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_NOMEM);
	}
	c->sb_id = s.sb.id;
	c->slot = s.id;
	c->created_ms = s.created_ms;
	c->caller_side = caller;
	rtppd_log(LOG_INFO, "U %s %s;%d: session %u of switchboard %u", req->callid,
		  req->ftag, (int)req->fmedia, s.id, s.sb.id);
	return reply_gate(buf, len, cookie, &s, callee);
}

/* A party's new SDP address: on side owner, then the reply for side peer. */
static size_t update_side(struct rtppd_call *c, const struct rtppd_req *req,
			  const char *cookie, int owner, struct rtpp_sess *s,
			  char *buf, size_t len)
{
	struct rtpp_sb_spec spec = { .has_id = true, .id = c->sb_id };
	struct rtpp_sess_params params;
	struct rtpp_handle *h = kernel();
	unsigned int count = 0;
	int err;

	if (!h)
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
	memset(&params, 0, sizeof(params));
	client_params(&params.side[owner], req);
	err = rtpp_update(h, &spec, c->slot, c->slot, true, &params, &count);
	if (err) {
		kernel_failed("updating a session", err);
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
	}
	return reply_gate(buf, len, cookie, s, !owner);
}

static struct rtppd_call *find(const struct rtppd_req *req, uint32_t media, int *party)
{
	struct rtppd_call *c;

	for (c = rtppd_calls_chain(&calls, req->callid); c; c = c->next) {
		*party = rtppd_call_match(c, req->callid, req->ftag, req->ttag, media);
		if (*party)
			return c;
	}
	return NULL;
}

static size_t offer_answer(const struct rtppd_req *req, const char *cookie,
			   char *buf, size_t len)
{
	bool offer = req->cmd == RTPPD_CMD_U;
	struct rtpp_sess s;
	struct rtppd_call *c;
	int party, owner, rc;

	c = find(req, req->fmedia, &party);
	if (c) {
		rc = call_session(c, &s);
		if (rc < 0)
			return rtppd_reply_error(buf, len, cookie, RTPPD_E_ALLOC);
		if (rc == 0) {
			rtppd_log(LOG_INFO, "%c %s: session %u of switchboard %u is gone",
				  offer ? 'U' : 'L', req->callid, c->slot, c->sb_id);
			rtppd_calls_del(&calls, c);
			c = NULL;
		}
	}
	if (!c) {
		if (offer)
			return offer_new(req, cookie, buf, len);
		rtppd_log(LOG_INFO, "L %s: no such stream", req->callid);
		return rtppd_reply_port(buf, len, cookie, 0, 0);
	}
	/* U: the address is ftag's party's; L: ttag's, the other one */
	if ((party == RTPPD_PARTY_CALLER) == offer)
		owner = c->caller_side;
	else
		owner = !c->caller_side;
	if (party == RTPPD_PARTY_CALLER && req->ttag && !c->callee_tag &&
	    rtppd_call_set_callee(&calls, c, req->ttag))
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_NOMEM);
	return update_side(c, req, cookie, owner, &s, buf, len);
}

/* ---- delete, query, information ------------------------------------------- */

static void delete_call(struct rtppd_call *c)
{
	struct rtpp_sb_spec spec = { .has_id = true, .id = c->sb_id };
	int err;

	/* call_session() leaves the handle open when it says 1 */
	if (call_session(c, NULL) == 1 && kernel()) {
		err = rtpp_delete(kernel(), &spec, c->slot, c->slot, true, NULL);
		if (err && err != -ENOENT)
			kernel_failed("deleting a session", err);
	}
	rtppd_calls_del(&calls, c);
}

static size_t delete(const struct rtppd_req *req, const char *cookie, char *buf, size_t len)
{
	struct rtppd_call *c, *next;
	unsigned int n = 0;

	for (c = rtppd_calls_chain(&calls, req->callid); c; c = next) {
		next = c->next;
		if (rtppd_call_match(c, req->callid, req->ftag, req->ttag, req->fmedia)) {
			delete_call(c);
			n++;
		}
	}
	rtppd_log(LOG_INFO, "D %s: %u stream(s)", req->callid, n);
	if (!n)
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_NOSESS);
	return rtppd_reply_str(buf, len, cookie, "0");
}

static size_t query(const struct rtppd_req *req, const char *cookie, char *buf, size_t len)
{
	int64_t v[RTPPD_STAT_COUNT];
	const struct rtpp_stream *a, *o;
	struct rtppd_call *c;
	struct rtpp_sess s;
	int party, side, rc;

	c = find(req, req->fmedia, &party);
	if (!c)
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_NOSESS);
	rc = call_session(c, &s);
	if (rc < 0)
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_QUERY);
	if (rc == 0) {
		rtppd_log(LOG_INFO, "Q %s: session %u of switchboard %u is gone",
			  req->callid, c->slot, c->sb_id);
		rtppd_calls_del(&calls, c);
		return rtppd_reply_error(buf, len, cookie, RTPPD_E_NOSESS);
	}
	side = party == RTPPD_PARTY_CALLER ? c->caller_side : !c->caller_side;
	a = &s.side[side].stream[RTPP_STREAM_RTP];
	o = &s.side[!side].stream[RTPP_STREAM_RTP];
	v[RTPPD_STAT_TTL] = (int64_t)s.expires - (int64_t)(s.idle_ms / 1000);
	if (v[RTPPD_STAT_TTL] < 0)
		v[RTPPD_STAT_TTL] = 0;
	v[RTPPD_STAT_NPKTS_INA] = a->packets + a->errors;
	v[RTPPD_STAT_NPKTS_INO] = o->packets + o->errors;
	v[RTPPD_STAT_NRELAYED] = a->packets + o->packets;
	v[RTPPD_STAT_NDROPPED] = a->errors + o->errors;
	return rtppd_reply_query(buf, len, cookie, req, v);
}

struct info_ctx {
	char *p;
	size_t left;
};

static int info_sb_cb(const struct rtpp_sb *sb, void *arg)
{
	struct info_ctx *ic = arg;
	char a[16], b[16];
	int n;

	if ((conf->has_sb_addr[0] && sb->addr_a != conf->sb_addr[0]) ||
	    (conf->has_sb_addr[1] && sb->addr_b != conf->sb_addr[1]))
		return 0;
	inet_ntop_v4(sb->addr_a, a);
	inet_ntop_v4(sb->addr_b, b);
	n = snprintf(ic->p, ic->left, "\nswitchboard %" PRIu32 " %s:%u/%s:%u: "
		     "sessions in use %" PRIu32 " of %" PRIu32, sb->id, a, sb->port_a,
		     b, sb->port_b, sb->max_sess - sb->states[RTPP_STATE_FREE],
		     sb->max_sess);
	if (n < 0 || (size_t)n >= ic->left)
		return 1;
	ic->p += n;
	ic->left -= n;
	return 0;
}

static size_t info(const struct rtppd_req *req, const char *cookie, char *buf, size_t len)
{
	char text[2048];
	struct info_ctx ic;
	struct rtpp_handle *h;
	int n;

	n = snprintf(text, sizeof(text), "sessions created: %" PRIu64 "\n"
		     "active sessions: %u\nactive streams: %u", sessions_created,
		     calls.count, 2 * calls.count);
	ic.p = text + n;
	ic.left = sizeof(text) - n;
	if (!req->brief && (h = kernel())) {
		int err = rtpp_list_sb(h, NULL, info_sb_cb, &ic);

		if (err < 0 && err != 1)
			kernel_failed("listing switchboards", err);
	}
	return rtppd_reply_str(buf, len, cookie, text);
}

static size_t delete_all(const char *cookie, char *buf, size_t len)
{
	unsigned int i, n = calls.count;

	for (i = 0; i < RTPPD_CALL_BUCKETS; i++)
		while (calls.bucket[i])
			delete_call(calls.bucket[i]);
	rtppd_log(LOG_INFO, "X: %u stream(s)", n);
	return rtppd_reply_str(buf, len, cookie, "0");
}

size_t rtppd_relay_command(char *line, bool cookie_first, char *buf, size_t len)
{
	struct rtppd_req req;
	const char *cookie;
	char err[256];
	int ecode;

	if (rtppd_parse(line, cookie_first, &cookie, &req, &ecode, err, sizeof(err))) {
		rtppd_log(LOG_WARNING, "command refused (E%d): %s", ecode, err);
		return rtppd_reply_error(buf, len, cookie, ecode);
	}
	switch (req.cmd) {
	case RTPPD_CMD_V:
		return rtppd_reply_str(buf, len, cookie, RTPPD_BASE_VERSION);
	case RTPPD_CMD_VF:
		return rtppd_reply_str(buf, len, cookie, rtppd_has_cap(req.date) ? "1" : "0");
	case RTPPD_CMD_U:
	case RTPPD_CMD_L:
		return offer_answer(&req, cookie, buf, len);
	case RTPPD_CMD_D:
		return delete(&req, cookie, buf, len);
	case RTPPD_CMD_Q:
		return query(&req, cookie, buf, len);
	case RTPPD_CMD_I:
		return info(&req, cookie, buf, len);
	case RTPPD_CMD_X:
		return delete_all(cookie, buf, len);
	}
	return rtppd_reply_error(buf, len, cookie, RTPPD_E_UNKNOWN);
}

/* ---- the map against the kernel ------------------------------------------ */

struct live {
	uint32_t sb_id, slot;
	uint64_t created_ms;
};

struct live_list {
	struct live *v;
	size_t n, cap;
	bool nomem;
};

static int live_cb(const struct rtpp_sess *s, void *arg)
{
	struct live_list *l = arg;

	if (s->state != RTPP_STATE_LEARNING && s->state != RTPP_STATE_ACTIVE)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		struct live *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->nomem = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct live){ s->sb.id, s->id, s->created_ms };
	return 0;
}

static int live_cmp(const void *x, const void *y)
{
	const struct live *a = x, *b = y;

	if (a->sb_id != b->sb_id)
		return a->sb_id < b->sb_id ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->created_ms != b->created_ms)
		return a->created_ms < b->created_ms ? -1 : 1;
	return 0;
}

void rtppd_relay_sweep(void)
{
	struct live_list l = { NULL, 0, 0, false };
	struct rtpp_handle *h = kernel();
	unsigned int i, gone = 0;
	int err;

	if (!h || !calls.count)
		return;
	err = rtpp_list_sess(h, NULL, 0, RTPP_ID_ALL, live_cb, &l);
	if (err < 0 || l.nomem) {
		if (err < 0)
			kernel_failed("listing sessions", err);
		free(l.v);
		return;
	}
	if (l.n)	/* qsort of nothing: v is NULL */
		qsort(l.v, l.n, sizeof(*l.v), live_cmp);
	for (i = 0; i < RTPPD_CALL_BUCKETS; i++) {
		struct rtppd_call *c, *next;

		for (c = calls.bucket[i]; c; c = next) {
			struct live key = { c->sb_id, c->slot, c->created_ms };

			next = c->next;
			if (!l.n || !bsearch(&key, l.v, l.n, sizeof(*l.v), live_cmp)) {
				rtppd_calls_del(&calls, c);
				gone++;
			}
		}
	}
	free(l.v);
	if (gone)
		rtppd_log(LOG_INFO, "%u stream(s) ended in the kernel (expired or "
			  "deleted), %u left", gone, calls.count);
}

void rtppd_relay_flush(void)
{
	int err;

	if (!calls.dirty || !conf->state_file)
		return;
	err = rtppd_calls_save(&calls, conf->state_file);
	if (err)
		rtppd_log(LOG_ERR, "cannot write state file %s: %s", conf->state_file,
			  strerror(-err));
}

void rtppd_relay_init(const struct rtppd_conf *c)
{
	int rc;

	conf = c;
	sessions_created = 0;
	rtppd_calls_init(&calls);
	if (conf->state_file) {
		rc = rtppd_calls_load(&calls, conf->state_file);
		if (rc < 0)
			rtppd_log(LOG_ERR, "cannot read state file %s: %s",
				  conf->state_file, strerror(-rc));
		else if (rc > 0)
			rtppd_log(LOG_WARNING, "state file %s: %d malformed line(s) skipped",
				  conf->state_file, rc);
	}
	if (calls.count) {
		unsigned int n = calls.count;

		rtppd_relay_sweep();
		rtppd_log(LOG_NOTICE, "%u of %u stream(s) of the state file still in the kernel",
			  calls.count, n);
	}
	calls.dirty = true;	/* the file says what the map holds from now on */
	rtppd_relay_flush();
}

void rtppd_relay_shutdown(void)
{
	rtppd_relay_flush();
	rtppd_calls_clear(&calls);
	if (handle)
		rtpp_close(handle);
	handle = NULL;
}
