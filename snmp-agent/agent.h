/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iptrtpproxy-agent: what its files share.
 *
 * One thread.  main.c runs one loop over net-snmp's descriptors and the
 * kernel's event socket; everything else runs from that loop, in net-snmp's
 * request handlers, its alarms, or on a kernel event, so nothing here locks.
 *
 *   kernel.c   the library handle: opened without loading the module,
 *              dropped when the module goes, reopened when it returns
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

/* kernel.c */
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
void rtppa_scalars_changed(void);

/* sbtable.c */
int rtppa_sb_table_init(void);
void rtppa_sb_table_changed(bool by_event);
void rtppa_sb_table_shutdown(void);

/* sesstable.c */
int rtppa_sess_tables_init(void);
void rtppa_sess_tables_changed(bool by_event);
void rtppa_sess_tables_shutdown(void);

/* notify.c */
void rtppa_notify_event(const struct rtpp_event_msg *ev);
void rtppa_notify_resync(void);
void rtppa_notify_forget(void);

/* lossnotify.c */
void rtppa_loss_init(void);
unsigned int rtppa_loss_threshold(void);
void rtppa_loss_set_threshold(unsigned int percent);

/*
 * Whatever the kernel shows may have changed: drop cached data (on the
 * module leaving or coming back, after resets; by_event: a kernel event
 * said so, and the tables' reloads are throttled, see table.h).
 */
static inline void rtppa_changed(bool by_event)
{
	rtppa_scalars_changed();
	rtppa_sb_table_changed(by_event);
	rtppa_sess_tables_changed(by_event);
}

#endif /* RTPPA_AGENT_H */
