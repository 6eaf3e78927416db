/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy-agent: what its files share.
 *
 * One thread.  main.c runs one loop over net-snmp's descriptors and the
 * kernel's event socket; everything else runs from that loop, in net-snmp's
 * request handlers, its alarms, or on a kernel event, so nothing here locks.
 *
 *   kernel.c   the library handle: opened without loading the module,
 *              dropped when the module goes, reopened when it returns;
 *              tells the parts above it (struct rtppa_listener)
 *   scalars.c  rtppGlobal, and the global reset
 *   sbtable.c  rtppSbTable, and the switchboard resets
 *   sesstable.c rtppSessTable and rtppStreamTable, from one dump
 *   notify.c   notifications from kernel events
 *   lossnotify.c rtppStreamLoss: a periodic listing, when a threshold is set
 *   rows.c     the pure part: values, indexes, SET checks, full tracking
 */
#ifndef RTPPA_AGENT_H
#define RTPPA_AGENT_H

#include "rows.h"
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define RTPPA_NAME	"iptrtpproxy-agent"

/*
 * kernel.c.  What the parts above it want to hear of the kernel: each
 * registers a listener at its init (in that order it is told), whose
 * callbacks may be NULL.
 */
struct rtppa_listener {
	/* Whatever the kernel shows may have changed: drop cached data (on
	 * the module leaving or coming back, after resets; by_event: a
	 * kernel event said so, and the tables' reloads are throttled, see
	 * table.h). */
	void (*changed)(bool by_event);
	void (*event)(const struct rtpp_event_msg *ev);
	void (*resync)(void);		/* events were lost, or the module came */
	void (*forget)(void);		/* the module went */
	struct rtppa_listener *next;
};
void rtppa_kernel_listen(struct rtppa_listener *l);
/* Tells every listener: cached data may be stale (a SET changed it). */
void rtppa_kernel_changed(bool by_event);
int rtppa_kernel_permitted(void);
void rtppa_kernel_start(void);
void rtppa_kernel_stop(void);
struct rtpp_handle *rtppa_kernel(void);
void rtppa_kernel_failed(int err);
int rtppa_kernel_events_fd(void);
void rtppa_kernel_events(void);
void rtppa_clock_now(struct rtppa_clock *clk);

/* scalars.c */
int rtppa_scalars_init(void);

/* sbtable.c */
int rtppa_sb_table_init(void);
void rtppa_sb_table_shutdown(void);

/* sesstable.c */
int rtppa_sess_tables_init(void);
void rtppa_sess_tables_shutdown(void);

/* notify.c */
void rtppa_notify_init(void);

/* lossnotify.c */
void rtppa_loss_init(void);
unsigned int rtppa_loss_threshold(void);
void rtppa_loss_set_threshold(unsigned int percent);

#endif /* RTPPA_AGENT_H */
