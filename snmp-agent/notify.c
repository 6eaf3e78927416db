// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications from the kernel's events: rtppSbCreated, rtppSbDestroyed,
 * and rtppSbFull once until the switchboard has room again (rtppSbNotFull).
 *
 * Each carries the switchboard's gates and size.  Its size is not in the
 * event; a switchboard's size never changes, so it is looked up once, when
 * the switchboard is created or first met in a listing, and kept here until
 * it is destroyed (its destruction has no switchboard left to ask).
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "oids.h"

struct known {
	uint32_t id, max_sess;
};

static struct {
	struct known *sb;
	size_t n, cap;
} known;

static struct rtppa_fullset full;

static struct known *find(uint32_t id)
{
	size_t i;

	for (i = 0; i < known.n; i++)
		if (known.sb[i].id == id)
			return &known.sb[i];
	return NULL;
}

static void remember(uint32_t id, uint32_t max_sess)
{
	struct known *k = find(id);

	if (!k) {
		if (known.n == known.cap) {
			size_t cap = known.cap ? 2 * known.cap : 16;
			struct known *sb = realloc(known.sb, cap * sizeof(*sb));

			if (!sb)
				return;		/* the notification says 0 */
			known.sb = sb;
			known.cap = cap;
		}
		k = &known.sb[known.n++];
	}
	k->id = id;
	k->max_sess = max_sess;
}

static void forget(uint32_t id)
{
	struct known *k = find(id);

	if (k)
		*k = known.sb[--known.n];
}

static int remember_sb(const struct rtpp_sb *sb, void *arg)
{
	(void)arg;
	remember(sb->id, sb->max_sess);
	return 0;
}

static void add_var(netsnmp_variable_list **vars, const struct rtpp_sb *sb,
		    unsigned int col)
{
	oid name[] = RTPPA_MIB_OID(1, RTPPA_SB_TABLE, 1, col, sb->id);
	struct rtppa_value v;

	if (!rtppa_sb_value(sb, NULL, col, &v))
		snmp_varlist_add_variable(vars, name, OID_LENGTH(name), v.type,
					  &v.u, v.len);
}

static void notify(unsigned int which, const struct rtpp_sb_ref *ref)
{
	static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	static const unsigned int cols[] = {
		RTPPA_SB_ADDR_TYPE_A, RTPPA_SB_ADDR_A, RTPPA_SB_PORT_A,
		RTPPA_SB_ADDR_TYPE_B, RTPPA_SB_ADDR_B, RTPPA_SB_PORT_B,
		RTPPA_SB_MAX_SESS,
	};
	oid notification[] = RTPPA_MIB_OID(0, which);
	netsnmp_variable_list *vars = NULL;
	struct known *k = find(ref->id);
	struct rtpp_sb sb = {
		.id = ref->id,
		.addr_a = ref->addr_a, .port_a = ref->port_a,
		.addr_b = ref->addr_b, .port_b = ref->port_b,
		.max_sess = k ? k->max_sess : 0,
	};
	size_t i;

	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
				  ASN_OBJECT_ID, notification, sizeof(notification));
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		add_var(&vars, &sb, cols[i]);
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

/* The size of a switchboard just created, or met for the first time. */
static void look_up(uint32_t id)
{
	struct rtpp_sb_spec spec = { .has_id = true, .id = id };
	struct rtpp_handle *h = rtppa_kernel();

	if (h && !find(id))
		rtpp_list_sb_flags(h, &spec, RTPP_LIST_NO_STATES, remember_sb, NULL);
}

static void event(const struct rtpp_event_msg *ev)
{
	int which;

	switch (ev->event) {
	case RTPP_EVENT_SB_CREATED:
		look_up(ev->sb.id);
		notify(RTPPA_NOTIFY_SB_CREATED, &ev->sb);
		return;
	case RTPP_EVENT_SB_DESTROYED:
		rtppa_full_event(&full, ev->event, ev->sb.id);
		notify(RTPPA_NOTIFY_SB_DESTROYED, &ev->sb);
		forget(ev->sb.id);
		return;
	}
	which = rtppa_full_event(&full, ev->event, ev->sb.id);
	if (which) {
		look_up(ev->sb.id);
		notify(which, &ev->sb);
	}
}

struct resync {
	uint32_t *ids;
	size_t n;
};

static int resync_sb(const struct rtpp_sb *sb, void *arg)
{
	struct resync *r = arg;
	struct rtpp_sb_ref ref = {
		.id = sb->id,
		.addr_a = sb->addr_a, .port_a = sb->port_a,
		.addr_b = sb->addr_b, .port_b = sb->port_b,
	};
	uint32_t *ids = realloc(r->ids, (r->n + 1) * sizeof(*ids));

	remember(sb->id, sb->max_sess);
	if (ids) {
		r->ids = ids;
		r->ids[r->n++] = sb->id;
	}
	if (rtppa_full_resync(&full, sb->id, sb->states[RTPP_STATE_FREE]))
		notify(RTPPA_NOTIFY_SB_NOT_FULL, &ref);
	return 0;
}

/*
 * After lost events, or when the module (re)appears: a listing says which
 * full switchboards got room meanwhile (one rtppSbNotFull each) and which
 * are gone.  Switchboards created or destroyed unheard are not announced:
 * a burst of notifications for old news is worse than none.
 */
static void resync(void)
{
	struct rtpp_handle *h = rtppa_kernel();
	struct resync r = { NULL, 0 };

	if (!h)
		return;
	known.n = 0;
	if (rtpp_list_sb(h, NULL, resync_sb, &r) == 0)
		rtppa_full_keep(&full, r.ids, r.n);	/* listed in id order */
	free(r.ids);
}

static void forget_all(void)
{
	rtppa_full_clear(&full);
	known.n = 0;
}

void rtppa_notify_init(void)
{
	static struct rtppa_listener listener = {
		.event = event, .resync = resync, .forget = forget_all,
	};

	rtppa_kernel_listen(&listener);
}
