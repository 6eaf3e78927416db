// SPDX-License-Identifier: GPL-2.0
/*
 * Call quality of a session's streams.  Pure logic: see quality.h.
 */
#include "quality.h"

#define SEQ_MOD		(1U << 16)
#define NO_BAD_SEQ	(SEQ_MOD + 1)	/* matches no sequence number */

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* RFC 3551's static payload types; 0 for the others (dynamic ones). */
u32 rtpp_q_clock_rate(unsigned int pt)
{
	switch (pt) {
	case 0: case 3: case 4: case 5: case 7: case 8: case 9: case 12:
	case 13: case 15: case 18:
		return 8000;
	case 6:
		return 16000;
	case 10: case 11:
		return 44100;
	case 16:
		return 11025;
	case 17:
		return 22050;
	case 14: case 25: case 26: case 28: case 31: case 32: case 33: case 34:
		return 90000;
	}
	return 0;
}

/*
 * Microseconds to timestamp units: times 2^32 * rate / 10^6, then >> 32,
 * a multiplication on the packet path rather than a division.  The
 * constants fold at compile time.
 */
#define US_FACTOR(rate)	((u32)((((u64)(rate) << 32) + 500000) / 1000000))

static u32 us_factor(u32 rate)
{
	switch (rate) {
	case 8000:	return US_FACTOR(8000);
	case 11025:	return US_FACTOR(11025);
	case 16000:	return US_FACTOR(16000);
	case 22050:	return US_FACTOR(22050);
	case 44100:	return US_FACTOR(44100);
	case 90000:	return US_FACTOR(90000);
	}
	return 0;
}

/*
 * Appendix A.8, from one packet to the next of the same clock: D is the
 * difference of their arrival times, in timestamp units, less the
 * difference of their timestamps.  Only consecutive packets are compared,
 * so the rounding of an arrival time to a timestamp unit never adds up.
 */
static void q_time(struct rtpp_rtp_quality *q, u32 ts, u32 arrival_us, u8 pt)
{
	u32 rate = rtpp_q_clock_rate(pt);
	u32 arrived;
	s32 d;

	/* A packet of no known clock (a dynamic type: DTMF events, say)
	 * neither counts nor breaks the chain of the others. */
	if (!rate)
		return;
	if (q->flags & RTPP_Q_TIMED) {
		if (rtpp_q_clock_rate(q->timed_pt) == rate) {
			/* Rounded to the nearest unit. */
			arrived = ((u64)(u32)(arrival_us - q->arrival_us) *
				   us_factor(rate) + (1ULL << 31)) >> 32;
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
	q->timed_pt = pt;
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
 * One relayed packet of an RTP stream: @hdr is its first RTPP_RTP_HDR
 * bytes, or NULL when it has fewer; @len is its length (the UDP payload);
 * @arrival_us the kernel's clock, wrapping.
 */
void rtpp_q_rtp(struct rtpp_rtp_quality *q, const u8 *hdr, u32 len,
		u32 arrival_us)
{
	u32 ssrc, ts;
	u16 seq, udelta;
	u8 pt;

	if (!hdr || len < RTPP_RTP_HDR || hdr[0] >> 6 != 2) {
		q->not_rtp++;
		return;
	}
	pt = hdr[1] & 0x7f;
	/* RTCP multiplexed on the RTP port (RFC 5761, SR .. APP with the
	 * marker bit read as part of the type): not a media packet. */
	if (pt >= 72 && pt <= 76)
		return;
	seq = (u16)(hdr[2] << 8 | hdr[3]);
	ts = be32_at(hdr + 4);
	ssrc = be32_at(hdr + 8);
	q->pt = pt;

	if (!(q->flags & RTPP_Q_SOURCE) || ssrc != q->ssrc) {
		if (q->flags & RTPP_Q_SOURCE)
			q->ssrc_changes++;
		end_source(q);
		q->flags |= RTPP_Q_SOURCE;
		q->ssrc = ssrc;
		q->max_seq = seq;
		q->probation = RTPP_Q_MIN_SEQUENTIAL - 1;
		goto timed;
	}
	if (!(q->flags & RTPP_Q_VALID)) {
		if (seq == (u16)(q->max_seq + 1) && !--q->probation)
			start_source(q, seq, RTPP_Q_MIN_SEQUENTIAL);
		else if (seq != (u16)(q->max_seq + 1))
			q->probation = RTPP_Q_MIN_SEQUENTIAL - 1;
		q->max_seq = seq;
		goto timed;
	}

	udelta = seq - q->max_seq;
	if (udelta == 0) {
		q->duplicates++;
		return;
	} else if (udelta < RTPP_Q_MAX_DROPOUT) {
		q_ahead(q, seq, udelta);
	} else if (udelta <= SEQ_MOD - RTPP_Q_MAX_MISORDER) {
		/* A jump: the sender restarted, if the next packet follows
		 * it.  Until then the packet is none of the source's. */
		if (seq != q->bad_seq) {
			q->bad_seq = (seq + 1) & (SEQ_MOD - 1);
			return;
		}
		end_source(q);
		start_source(q, seq, 2);
	} else if (!q_behind(q, (u16)(q->max_seq - seq))) {
		return;
	}
timed:
	q_time(q, ts, arrival_us, pt);
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

				if (!matched && want && be32_at(b) == reported->ssrc) {
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
		q->jitter = be32_at(blk + 12);
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
	f->clock_rate = q->flags & RTPP_Q_TIMED ? rtpp_q_clock_rate(q->timed_pt) : 0;
	f->jitter_us = f->clock_rate ?
		(u32)rtpp_div_u64((u64)f->jitter_ts * 1000000, f->clock_rate) : 0;
}
