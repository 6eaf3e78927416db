/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the control protocol share (netlink.c, nl_put.c,
 * nl_cmd.c, nl_dump.c, reset.c, event.c).  Not for the rest of the module,
 * which sees only rtpp.h's rtpp_genl_init/exit and rtpp_event_*.
 */
#ifndef _RTPP_NETLINK_H
#define _RTPP_NETLINK_H

#include <net/genetlink.h>

#include "rtpp.h"

extern struct genl_family rtpp_genl;

/* A dump's place, in cb->args. */
enum { DUMP_SB_ID, DUMP_SLOT };

/* netlink.c: checking and parsing requests */
int rtpp_nl_check_version(const struct nlmsghdr *nlh,
			  struct netlink_ext_ack *extack);
int rtpp_nl_parse_spec(const struct nlattr *nest, struct rtpp_sb_spec *spec,
		       struct netlink_ext_ack *extack);
int rtpp_nl_parse_params(struct net *net, const struct nlattr *nest,
			 struct rtpp_params *p, bool alloc,
			 struct netlink_ext_ack *extack);
bool rtpp_nl_parse_range(struct nlattr **attrs, u32 *lo, u32 *hi);
struct rtpp_switchboard *rtpp_nl_next_sb(struct rtpp_net *rn,
					 const struct rtpp_sb_spec *spec,
					 u32 min_id);
struct rtpp_switchboard *rtpp_nl_find_sb(struct rtpp_net *rn,
					 const struct rtpp_sb_spec *spec,
					 struct netlink_ext_ack *extack);

/* nl_put.c: building replies */
int rtpp_nl_put_stats(struct sk_buff *skb, int type, const struct rtpp_counters *c);
int rtpp_nl_put_census(struct sk_buff *skb, int states, int quality,
		       const struct rtpp_sb_census *c);
size_t rtpp_nl_sb_name_size(void);
int rtpp_nl_put_sb_name(struct sk_buff *skb, const struct rtpp_switchboard *sb);
int rtpp_nl_put_sb(struct sk_buff *skb, struct rtpp_switchboard *sb, bool states);
int rtpp_nl_fill_sess(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd,
		      const struct rtpp_switchboard *sb, struct rtpp_session *s,
		      bool brief, struct netlink_callback *cb);
size_t rtpp_nl_sess_size(bool brief);
struct sk_buff *rtpp_nl_reply_new(struct genl_info *info, size_t size, void **hdr);
int rtpp_nl_reply_count(struct genl_info *info, u32 count);

/* the commands */
int rtpp_nl_get_info(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_alloc(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_update(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_delete(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_audit(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_dump_sb(struct sk_buff *skb, struct netlink_callback *cb);
int rtpp_nl_dump_sess(struct sk_buff *skb, struct netlink_callback *cb);
int rtpp_nl_reset(struct sk_buff *skb, struct genl_info *info);
int rtpp_nl_dump_reset(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _RTPP_NETLINK_H */
