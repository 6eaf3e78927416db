// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's link to the kernel: one library handle and its event socket.
 *
 * The module may be absent when the agent starts, unloaded while it runs
 * and loaded again.  The agent never loads it (RTPP_OPEN_NO_LOAD): a
 * monitoring daemon that brought back a module the operator had just
 * removed would be a surprise.  An alarm every CHECK_PERIOD seconds reopens
 * the handle while the module is away and, while it is there, sends a
 * request that fails once the family is gone (a reloaded module's family
 * has a new id, so the old handle fails then too).  A failed request
 * elsewhere asks for the same check at once.  Each change is logged once:
 * a module that stays away is not an error to repeat every two seconds.
 */
#include <errno.h>
#include <sys/socket.h>
#include <time.h>

#include "agent.h"

#define CHECK_PERIOD		2	/* seconds */
/* The event socket's buffer: session churn sends thousands of events a
 * second, and the agent reads none while it reloads a large table. */
#define EVENT_RCVBUF		(4 << 20)
/* After lost events, at most one resynchronising listing this often. */
#define RESYNC_GAP		2	/* seconds */

static struct rtpp_handle *handle;
static bool in_events;		/* rtpp_events_read() is using handle */
static bool check_due;		/* a check was asked for meanwhile */
static bool absent_logged;
static bool have_events;
static unsigned int resync_alarm;
static struct rtppa_listener *listeners;

void rtppa_kernel_listen(struct rtppa_listener *l)
{
	struct rtppa_listener **p = &listeners;

	while (*p)
		p = &(*p)->next;
	l->next = NULL;
	*p = l;
}

/* Calls one callback of every listener that has it. */
#define tell(cb, ...)							\
	do {								\
		struct rtppa_listener *l_;				\
									\
		for (l_ = listeners; l_; l_ = l_->next)			\
			if (l_->cb)					\
				l_->cb(__VA_ARGS__);			\
	} while (0)

void rtppa_kernel_changed(bool by_event)
{
	tell(changed, by_event);
}

/*
 * The wall clock read in step with sysUpTime.  TimeStamps convert wall-clock
 * times from the kernel to sysUpTime; two clocks read one after the other
 * would make the same time come out a tick apart from one read to the
 * next.  So the wall clock at sysUpTime 0 is fixed once, and moved only
 * when the wall clock is stepped (by more than STEP_MS).
 */
#define STEP_MS		1000

void rtppa_clock_now(struct rtppa_clock *clk)
{
	static int64_t base_ms;		/* wall clock at sysUpTime 0 */
	static bool have_base;
	struct timespec ts;
	int64_t wall, base;

	clock_gettime(CLOCK_REALTIME, &ts);
	clk->uptime_cs = netsnmp_get_agent_uptime();
	wall = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	base = wall - (int64_t)clk->uptime_cs * 10;
	if (!have_base || base - base_ms > STEP_MS || base_ms - base > STEP_MS) {
		base_ms = base;
		have_base = true;
	}
	clk->wall_ms = base_ms + (int64_t)clk->uptime_cs * 10;
}

struct rtpp_handle *rtppa_kernel(void)
{
	return handle;
}

int rtppa_kernel_events_fd(void)
{
	return handle && have_events ? rtpp_events_fd(handle) : -1;
}

/* A request that costs the kernel nothing: a dump of the switchboard with
 * id 0, which never exists (ids start at 1).  It fails only when the
 * family is gone or the agent may not speak to it. */
static int no_sb(const struct rtpp_sb *sb, void *arg)
{
	(void)sb;
	(void)arg;
	return 0;
}

static int probe(struct rtpp_handle *h)
{
	struct rtpp_sb_spec none = { .has_id = true, .id = 0 };

	return rtpp_list_sb_flags(h, &none, RTPP_LIST_NO_STATES, no_sb, NULL);
}

static void stop_resync(void)
{
	if (resync_alarm)
		snmp_alarm_unregister(resync_alarm);
	resync_alarm = 0;
}

static void lost(int err)
{
	snmp_log(LOG_WARNING, "kernel module xt_RTPPROXY gone (%s): serving empty tables until it returns\n",
		 rtpp_strerror(handle, err));
	rtpp_close(handle);
	handle = NULL;
	have_events = false;
	stop_resync();
	absent_logged = true;
	tell(forget);
	rtppa_kernel_changed(false);
}

static void grow_rcvbuf(int fd)
{
	int size = EVENT_RCVBUF;

	/* CAP_NET_ADMIN, which the agent has, may pass net.core.rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* Returns 0, or the error that kept the handle from opening. */
static int try_open(void)
{
	struct rtpp_handle *h;
	int err;

	err = rtpp_open_flags(&h, RTPP_OPEN_NO_LOAD);
	if (!err) {
		err = probe(h);
		if (err)
			rtpp_close(h);
	}
	if (err) {
		if (!absent_logged)
			snmp_log(err == RTPP_ERR_NO_MODULE ? LOG_NOTICE : LOG_WARNING,
				 "%s: serving empty tables until it is loaded\n",
				 rtpp_strerror(NULL, err));
		absent_logged = true;
		return err;
	}
	err = rtpp_events_subscribe(h);
	have_events = !err;
	if (have_events)
		grow_rcvbuf(rtpp_events_fd(h));
	if (err)
		snmp_log(LOG_WARNING, "no kernel events (%s): no notifications, tables refreshed every second\n",
			 rtpp_strerror(h, err));
	handle = h;
	absent_logged = false;
	snmp_log(LOG_INFO, "kernel module xt_RTPPROXY found, control protocol version %u\n",
		 rtpp_kernel_version(h));
	rtppa_kernel_changed(false);
	tell(resync);
	return 0;
}

static void check(void)
{
	int err;

	if (!handle) {
		try_open();
		return;
	}
	err = probe(handle);
	if (err)
		lost(err);
}

static void check_alarm(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	check();
}

void rtppa_kernel_failed(int err)
{
	/* A switchboard that went away between two requests is no news. */
	if (!handle || err == -ENOENT)
		return;
	if (in_events)
		check_due = true;	/* not while its reader holds handle */
	else
		check();
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static int event(const struct rtpp_event_msg *ev, void *arg)
{
	(void)arg;
	rtppa_kernel_changed(true);
	tell(event, ev);
	return 0;
}

static void resync(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	resync_alarm = 0;
	tell(resync);
}

/* Said at most once a LOST_LOG_PERIOD: sustained churn that outruns the
 * agent would otherwise write a line per burst. */
#define LOST_LOG_PERIOD	60	/* seconds */

static void lost_events(void)
{
	static struct timespec said;
	static unsigned long unsaid;
	static bool ever;

	unsaid++;
	if (ever && ms_since(&said) < LOST_LOG_PERIOD * 1000)
		return;
	snmp_log(LOG_NOTICE, "kernel events were lost (%lu time%s%s): resynchronised by listing\n",
		 unsaid, unsaid == 1 ? "" : "s", ever ? " in the last minute" : "");
	clock_gettime(CLOCK_MONOTONIC, &said);
	ever = true;
	unsaid = 0;
}

void rtppa_kernel_events(void)
{
	int n;

	if (!handle)
		return;
	in_events = true;
	n = rtpp_events_read(handle, event, NULL);
	in_events = false;
	if (n == -ENOBUFS) {
		/* The kernel dropped some: whatever they said, a listing says
		 * it too, without a notification per lost event; and not once
		 * per overflow, which under churn is every read. */
		lost_events();
		rtppa_kernel_changed(true);
		if (!resync_alarm)
			resync_alarm = snmp_alarm_register(RESYNC_GAP, 0, resync, NULL);
	} else if (n < 0) {
		check_due = true;
	}
	if (check_due) {
		check_due = false;
		check();
	}
}

int rtppa_kernel_permitted(void)
{
	struct rtpp_handle *h;
	int err = rtpp_open_flags(&h, RTPP_OPEN_NO_LOAD);

	if (err)
		return err == -EPERM ? err : 0;	/* absent: nothing to say yet */
	err = probe(h);
	rtpp_close(h);
	return err == -EPERM ? err : 0;
}

void rtppa_kernel_start(void)
{
	try_open();
	snmp_alarm_register(CHECK_PERIOD, SA_REPEAT, check_alarm, NULL);
}

void rtppa_kernel_stop(void)
{
	stop_resync();
	rtpp_close(handle);
	handle = NULL;
}
