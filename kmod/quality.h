/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call quality of a session's streams.  Pure logic (see pure.h): built into
 * the module and the unit tests.
 *
 * For each side, the RTP it sends: sequence numbers by RFC 3550 appendix A.1
 * and A.3 (a source is valid after RTPP_Q_MIN_SEQUENTIAL packets in
 * sequence, jumps of RTPP_Q_MAX_DROPOUT or more forward restart it when two
 * packets in sequence confirm them, packets up to RTPP_Q_MAX_MISORDER behind
 * the highest are late ones), a new SSRC restarts the source; interarrival
 * jitter by appendix A.8 for payload types whose clock rate RFC 3551 fixes.
 * Departures from the RFC, which a receiver's report needs and a relay does
 * not: the packets of a probation, and the two that confirm a restart, are
 * counted (the RFC counts only the last); duplicates within the last
 * RTPP_Q_WINDOW sequence numbers are counted apart, never as received, so
 * that "lost" is exact; the figures of a source that ends (new SSRC,
 * restart) carry on into the next one's, so that they never go back.
 *
 * For each side, the RTCP it sends: the figures of the report block it gives
 * about the stream it receives (the other side's RTP; the block with that
 * stream's SSRC, else the first one).  A compound packet whose lengths do
 * not add up is counted as malformed, and nothing of it is used.
 *
 * Counters are 32 bits wide and wrap.  Every function here runs under the
 * session's lock.
 */
#ifndef _RTPP_QUALITY_H
#define _RTPP_QUALITY_H

#include "pure.h"

#define RTPP_Q_MIN_SEQUENTIAL	2
#define RTPP_Q_MAX_DROPOUT	3000
#define RTPP_Q_MAX_MISORDER	100
#define RTPP_Q_WINDOW		64	/* bits of struct rtpp_rtp_quality.seen */
#define RTPP_RTP_HDR		12	/* fixed RTP header */

struct rtpp_rtp_quality {
	u64 seen;		/* bit i: max_seq - i arrived */
	u32 ssrc;
	u32 cycles;		/* wraps of the sequence number, << 16 */
	u32 base_seq;		/* extended: the first of the source */
	u32 bad_seq;		/* a jump's next sequence number, + 1 << 16 if none */
	u32 received;		/* distinct packets counted, all sources */
	u32 expected_prior;	/* expected of the sources before this one */
	u32 arrival_us;		/* arrival of the last packet timed */
	u32 ts;			/* and its RTP timestamp */
	u32 jitter;		/* timestamp units << 4 (appendix A.8) */
	u32 not_rtp;		/* relayed, not version 2 or too short */
	u32 ssrc_changes;
	u32 out_of_order;	/* counted, but older than the highest */
	u32 duplicates;
	u16 max_seq;
	u8 pt;			/* of the last RTP packet */
	u8 probation;		/* packets in sequence still to come */
	u8 timed_clk;		/* clock of the last packet timed (quality.c) */
	u8 flags;		/* RTPP_Q_* */
};

enum {
	RTPP_Q_SOURCE	= 1 << 0,	/* an RTP packet was seen: ssrc, pt */
	RTPP_Q_VALID	= 1 << 1,	/* past probation: base and max count */
	RTPP_Q_TIMED	= 1 << 2,	/* arrival_us and ts hold a packet's */
};

struct rtpp_rtcp_quality {
	u32 reports;		/* SR and RR packets */
	u32 malformed;		/* compound packets that did not parse */
	u32 jitter;		/* of the last report block */
	s32 cum_lost;		/* its cumulative number lost (24 bits, signed) */
	u8 fraction_lost;	/* its fraction lost, /256 */
	u8 has_block;		/* a report block was seen */
};

struct rtpp_quality {
	struct rtpp_rtp_quality rtp;
	struct rtpp_rtcp_quality rtcp;
};

/* What the control path shows of an RTP stream. */
struct rtpp_rtp_figures {
	u32 ext_max;		/* extended highest sequence number */
	u32 expected;
	u32 lost;		/* 0 when more arrived than expected */
	u32 jitter_ts;		/* timestamp units */
	u32 jitter_us;		/* when clock_rate */
	u32 clock_rate;		/* of the jitter's payload type; 0 unknown */
};

u32 rtpp_q_clock_rate(unsigned int pt);
/*
 * The RTP streams of a switchboard, or of them all, added up (the control
 * path's census of live sessions): the streams that sent RTP, their figures
 * summed, and the worst jitter of those with a known clock.
 */
struct rtpp_q_totals {
	u64 expected;
	u64 lost;
	u64 out_of_order;
	u64 duplicates;
	u64 not_rtp;
	u32 streams;
	u32 jitter_us_max;
	bool has_jitter;
};

#define RTPP_Q_PTS	128	/* payload types */
extern const u8 rtpp_q_pt_clock[RTPP_Q_PTS];	/* 0: none known */
bool rtpp_q_other(struct rtpp_rtp_quality *q, u16 seq, u16 udelta);
void rtpp_q_new_source(struct rtpp_rtp_quality *q, u16 seq, u32 ssrc);
void rtpp_q_start(struct rtpp_rtp_quality *q, u16 seq);

static inline u32 rtpp_q_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * One relayed packet of an RTP stream: @hdr is its first RTPP_RTP_HDR
 * bytes (it may be NULL when @len, its length, the UDP payload's, is less).
 * Returns the clock of a packet to time, not 0: then the caller reads the
 * arrival time and passes both to rtpp_q_time().  Only then: a duplicate,
 * a packet of a dynamic payload type or one that is not RTP costs no
 * clock.  Inline, for the packet path: the next packet of a valid source
 * and a source's probation go straight through, the rest (a new SSRC,
 * loss, reordering, duplicates, jumps) is out of line in quality.c.
 */
static inline unsigned int rtpp_q_rtp(struct rtpp_rtp_quality *q,
				      const u8 *hdr, u32 len)
{
	u16 seq, udelta;
	u32 ssrc;
	u8 pt;

	if (unlikely(len < RTPP_RTP_HDR || hdr[0] >> 6 != 2)) {
		q->not_rtp++;
		return 0;
	}
	pt = hdr[1] & 0x7f;
	/* RTCP multiplexed on the RTP port (RFC 5761, SR .. APP with the
	 * marker bit read as part of the type): not a media packet. */
	if (unlikely((u8)(pt - 72) <= 76 - 72))
		return 0;
	seq = (u16)(hdr[2] << 8 | hdr[3]);
	ssrc = rtpp_q_be32(hdr + 8);
	q->pt = pt;
	if (unlikely(!(q->flags & RTPP_Q_SOURCE) || ssrc != q->ssrc)) {
		rtpp_q_new_source(q, seq, ssrc);
	} else if (likely(q->flags & RTPP_Q_VALID)) {
		udelta = seq - q->max_seq;
		if (likely(udelta == 1)) {
			if (!seq)			/* 65535, then 0 */
				q->cycles += 1U << 16;
			q->max_seq = seq;
			q->seen = q->seen << 1 | 1;
			q->received++;
		} else if (!rtpp_q_other(q, seq, udelta)) {
			return 0;
		}
	} else {
		/* Probation: RTPP_Q_MIN_SEQUENTIAL in sequence, and valid. */
		if (seq != (u16)(q->max_seq + 1))
			q->probation = RTPP_Q_MIN_SEQUENTIAL - 1;
		else if (!--q->probation)
			rtpp_q_start(q, seq);
		q->max_seq = seq;
	}
	/* A packet of no known clock (a dynamic type: DTMF events, say)
	 * neither counts nor breaks the chain of the others. */
	return rtpp_q_pt_clock[pt];
}

void rtpp_q_time(struct rtpp_rtp_quality *q, const u8 *hdr, unsigned int clk,
		 u32 arrival_us);
void rtpp_q_rtcp(struct rtpp_rtcp_quality *q, const u8 *p, u32 len,
		 const struct rtpp_rtp_quality *reported);
void rtpp_q_figures(const struct rtpp_rtp_quality *q,
		    struct rtpp_rtp_figures *f);
void rtpp_q_add(struct rtpp_q_totals *t, const struct rtpp_rtp_quality *q);
void rtpp_q_add_totals(struct rtpp_q_totals *t, const struct rtpp_q_totals *u);

#endif /* _RTPP_QUALITY_H */
