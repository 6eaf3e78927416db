// SPDX-License-Identifier: GPL-2.0
/*
 * Call quality of a session's streams.  Pure logic: see quality.h.
 */
#include "quality.h"

#define SEQ_MOD		(1U << 16)
#define NO_BAD_SEQ	(SEQ_MOD + 1)	/* matches no sequence number */


/*
 * RFC 3551's static payload types, by clock: an index into the tables
 * below, 0 for the others (unassigned and dynamic types).  A table of
 * every payload type, not a switch: it is read for every RTP packet.
 */
enum { CLK_NONE, CLK_8K, CLK_11K, CLK_16K, CLK_22K, CLK_44K, CLK_90K, CLK_N };

const u8 rtpp_q_pt_clock[RTPP_Q_PTS] = {
	[0] = CLK_8K, [3] = CLK_8K, [4] = CLK_8K, [5] = CLK_8K, [7] = CLK_8K,
	[8] = CLK_8K, [9] = CLK_8K, [12] = CLK_8K, [13] = CLK_8K,
	[15] = CLK_8K, [18] = CLK_8K,
	[6] = CLK_16K,
	[10] = CLK_44K, [11] = CLK_44K,
	[16] = CLK_11K,
	[17] = CLK_22K,
	[14] = CLK_90K, [25] = CLK_90K, [26] = CLK_90K, [28] = CLK_90K,
	[31] = CLK_90K, [32] = CLK_90K, [33] = CLK_90K, [34] = CLK_90K,
};

static const u32 clock_rate[CLK_N] = {
	[CLK_8K] = 8000, [CLK_11K] = 11025, [CLK_16K] = 16000,
	[CLK_22K] = 22050, [CLK_44K] = 44100, [CLK_90K] = 90000,
};

/*
 * Microseconds to timestamp units: times 2^32 * rate / 10^6, then >> 32,
 * a multiplication on the packet path rather than a division.
 */
#define US_FACTOR(rate)	((u32)((((u64)(rate) << 32) + 500000) / 1000000))

static const u32 us_factor[CLK_N] = {
	[CLK_8K] = US_FACTOR(8000), [CLK_11K] = US_FACTOR(11025),
	[CLK_16K] = US_FACTOR(16000), [CLK_22K] = US_FACTOR(22050),
	[CLK_44K] = US_FACTOR(44100), [CLK_90K] = US_FACTOR(90000),
};

static unsigned int clock_of(unsigned int pt)
{
	return pt < RTPP_Q_PTS ? rtpp_q_pt_clock[pt] : CLK_NONE;
}

u32 rtpp_q_clock_rate(unsigned int pt)
{
	return clock_rate[clock_of(pt)];
}

/*
 * Appendix A.8, from one packet to the next of the same clock: D is the
 * difference of their arrival times, in timestamp units, less the
 * difference of their timestamps.  Only consecutive packets are compared,
 * so the rounding of an arrival time to a timestamp unit never adds up.
 * @clk is what rtpp_q_rtp() returned for the packet, @hdr.
 */
void rtpp_q_time(struct rtpp_rtp_quality *q, const u8 *hdr, unsigned int clk,
		 u32 arrival_us)
{
	u32 ts = rtpp_q_be32(hdr + 4);
	u32 arrived;
	s32 d;

	if (q->flags & RTPP_Q_TIMED) {
		if (q->timed_clk == clk) {
			/* Rounded to the nearest unit. */
			arrived = ((u64)(u32)(arrival_us - q->arrival_us) *
				   us_factor[clk] + (1ULL << 31)) >> 32;
			d = (s32)(arrived - (ts - q->ts));
			if (d < 0)
				d = -d;
			q->jitter += d - ((q->jitter + 8) >> 4);
		} else {
			/* Another clock: the old figure's units mean nothing. */
			q->jitter = 0;
		}
	}
	q->arrival_us = arrival_us;
	q->ts = ts;
	q->timed_clk = clk;
	q->flags |= RTPP_Q_TIMED;
}

static u32 cur_expected(const struct rtpp_rtp_quality *q)
{
	if (!(q->flags & RTPP_Q_VALID))
		return 0;
	return q->cycles + q->max_seq - q->base_seq + 1;
}

/* The source ends: what it expected carries on into the totals. */
static void end_source(struct rtpp_rtp_quality *q)
{
	q->expected_prior += cur_expected(q);
	q->flags &= ~(RTPP_Q_VALID | RTPP_Q_TIMED);
	q->seen = 0;
	q->cycles = 0;
	q->bad_seq = NO_BAD_SEQ;
}

/* The source is valid from @n packets in sequence ending with @seq. */
static void start_source(struct rtpp_rtp_quality *q, u16 seq, unsigned int n)
{
	q->flags |= RTPP_Q_VALID;
	q->max_seq = seq;
	q->cycles = 0;
	q->base_seq = (u32)seq - (n - 1);	/* may wrap: differences hold */
	q->bad_seq = NO_BAD_SEQ;
	q->seen = (1ULL << n) - 1;
	q->received += n;
}

/* A packet in sequence or ahead of it: appendix A.1's udelta < MAX_DROPOUT. */
static void q_ahead(struct rtpp_rtp_quality *q, u16 seq, u16 udelta)
{
	if (seq < q->max_seq)
		q->cycles += SEQ_MOD;
	q->max_seq = seq;
	q->seen = udelta >= RTPP_Q_WINDOW ? 1 : q->seen << udelta | 1;
	q->received++;
}

/* Behind the highest by 1 .. MAX_MISORDER: a late packet or a duplicate. */
static bool q_behind(struct rtpp_rtp_quality *q, u16 back)
{
	if (back < RTPP_Q_WINDOW) {
		u64 bit = 1ULL << back;

		if (q->seen & bit) {
			q->duplicates++;
			return false;
		}
		q->seen |= bit;
	}
	q->out_of_order++;
	q->received++;
	return true;
}

/*
 * A packet of a valid source, not the one after the highest: appendix
 * A.1's tests.  Returns whether it counts (and is timed).
 */
bool rtpp_q_other(struct rtpp_rtp_quality *q, u16 seq, u16 udelta)
{
	if (udelta == 0) {
		q->duplicates++;
		return false;
	}
	if (udelta < RTPP_Q_MAX_DROPOUT) {
		q_ahead(q, seq, udelta);
		return true;
	}
	if (udelta <= SEQ_MOD - RTPP_Q_MAX_MISORDER) {
		/* A jump: the sender restarted, if the next packet follows
		 * it.  Until then the packet is none of the source's. */
		if (seq != q->bad_seq) {
			q->bad_seq = (seq + 1) & (SEQ_MOD - 1);
			return false;
		}
		end_source(q);
		start_source(q, seq, 2);
		return true;
	}
	return q_behind(q, (u16)(q->max_seq - seq));
}

/* A new SSRC: the source before it ends, the new one is on probation. */
void rtpp_q_new_source(struct rtpp_rtp_quality *q, u16 seq, u32 ssrc)
{
	if (q->flags & RTPP_Q_SOURCE)
		q->ssrc_changes++;
	end_source(q);
	q->flags |= RTPP_Q_SOURCE;
	q->ssrc = ssrc;
	q->probation = RTPP_Q_MIN_SEQUENTIAL - 1;
	q->max_seq = seq;
}

/* Probation is over with @seq: the source is valid. */
void rtpp_q_start(struct rtpp_rtp_quality *q, u16 seq)
{
	start_source(q, seq, RTPP_Q_MIN_SEQUENTIAL);
}

static s32 sext24(const u8 *p)
{
	u32 v = (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];

	return (s32)(v << 8) >> 8;
}

#define RTCP_SR		200
#define RTCP_RR		201
#define RTCP_HDR	4
#define RTCP_BLOCK	24

/*
 * One relayed packet of an RTCP stream, @len bytes at @p: a compound
 * packet whose every part must be version 2 and whose lengths must add up
 * to @len exactly, the report blocks of SRs and RRs within their part.
 * @reported is the RTP stream the sender receives: its SSRC picks the
 * report block to keep.
 */
void rtpp_q_rtcp(struct rtpp_rtcp_quality *q, const u8 *p, u32 len,
		 const struct rtpp_rtp_quality *reported)
{
	bool want = reported && (reported->flags & RTPP_Q_SOURCE);
	const u8 *blk = NULL;
	bool matched = false;
	u32 off = 0, reports = 0;

	if (!p || len < RTCP_HDR)
		goto bad;
	while (off < len) {
		const u8 *h = p + off;
		u32 plen, fixed, rc, i;

		if (len - off < RTCP_HDR || h[0] >> 6 != 2)
			goto bad;
		plen = ((u32)(h[2] << 8 | h[3]) + 1) * 4;
		if (plen > len - off)
			goto bad;
		if (h[1] == RTCP_SR || h[1] == RTCP_RR) {
			fixed = h[1] == RTCP_SR ? 28 : 8;
			rc = h[0] & 0x1f;
			if (fixed + rc * RTCP_BLOCK > plen)
				goto bad;
			reports++;
			for (i = 0; i < rc; i++) {
				const u8 *b = h + fixed + i * RTCP_BLOCK;

				if (!matched && want && rtpp_q_be32(b) == reported->ssrc) {
					blk = b;
					matched = true;
				} else if (!blk) {
					blk = b;
				}
			}
		}
		off += plen;
	}
	q->reports += reports;
	if (blk) {
		q->fraction_lost = blk[4];
		q->cum_lost = sext24(blk + 5);
		q->jitter = rtpp_q_be32(blk + 12);
		q->has_block = 1;
	}
	return;
bad:
	q->malformed++;
}

void rtpp_q_figures(const struct rtpp_rtp_quality *q,
		    struct rtpp_rtp_figures *f)
{
	u32 received = q->received;

	f->ext_max = q->cycles + q->max_seq;
	f->expected = q->expected_prior + cur_expected(q);
	f->lost = f->expected > received ? f->expected - received : 0;
	f->jitter_ts = q->jitter >> 4;
	f->clock_rate = q->flags & RTPP_Q_TIMED ? clock_rate[q->timed_clk] : 0;
	f->jitter_us = f->clock_rate ?
		(u32)rtpp_div_u64((u64)f->jitter_ts * 1000000, f->clock_rate) : 0;
}

static void worst_jitter(struct rtpp_q_totals *t, u32 us)
{
	if (!t->has_jitter || us > t->jitter_us_max) {
		t->jitter_us_max = us;
		t->has_jitter = true;
	}
}

/* One stream into the totals; "not RTP" counts even without any RTP. */
void rtpp_q_add(struct rtpp_q_totals *t, const struct rtpp_rtp_quality *q)
{
	struct rtpp_rtp_figures f;

	t->not_rtp += q->not_rtp;
	if (!(q->flags & RTPP_Q_SOURCE))
		return;
	rtpp_q_figures(q, &f);
	t->streams++;
	t->expected += f.expected;
	t->lost += f.lost;
	t->out_of_order += q->out_of_order;
	t->duplicates += q->duplicates;
	if (f.clock_rate)
		worst_jitter(t, f.jitter_us);
}

void rtpp_q_add_totals(struct rtpp_q_totals *t, const struct rtpp_q_totals *u)
{
	t->expected += u->expected;
	t->lost += u->lost;
	t->out_of_order += u->out_of_order;
	t->duplicates += u->duplicates;
	t->not_rtp += u->not_rtp;
	t->streams += u->streams;
	if (u->has_jitter)
		worst_jitter(t, u->jitter_us_max);
}
