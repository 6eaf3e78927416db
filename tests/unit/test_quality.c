// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/quality.c: RTP sequence and jitter arithmetic (RFC
 * 3550 appendix A.1, A.3, A.8) and RTCP report blocks, against figures
 * worked out by hand in the comments.
 *
 * UNIT-SRCS: ../../kmod/quality.c
 */
#include <check.h>
#include "unit.h"
#include <string.h>

#include "quality.h"

#define SSRC_A	0x11223344U
#define SSRC_B	0x55667788U

/* An RTP header: version 2, payload type @pt. */
static void hdr(u8 h[RTPP_RTP_HDR], u8 pt, u16 seq, u32 ts, u32 ssrc)
{
	h[0] = 0x80;
	h[1] = pt;
	h[2] = seq >> 8;
	h[3] = seq & 0xff;
	h[4] = ts >> 24; h[5] = ts >> 16; h[6] = ts >> 8; h[7] = ts;
	h[8] = ssrc >> 24; h[9] = ssrc >> 16; h[10] = ssrc >> 8; h[11] = ssrc;
}

/*
 * A packet as the module takes it: the clock is read, and passed, only when
 * rtpp_q_rtp() asks for it.  Returns whether it did.
 */
static bool rtp(struct rtpp_rtp_quality *q, const u8 *h, u32 len, u32 us)
{
	unsigned int clk = rtpp_q_rtp(q, h, len);

	if (!clk)
		return false;
	rtpp_q_time(q, h, clk, us);
	return true;
}

/* PCMU, 20 ms packets: timestamp 160 a packet, on time at 20000 us each. */
static void pkt(struct rtpp_rtp_quality *q, u16 seq, u32 ssrc)
{
	u8 h[RTPP_RTP_HDR];

	hdr(h, 0, seq, seq * 160U, ssrc);
	rtp(q, h, 172, seq * 20000U);
}

static void seqs(struct rtpp_rtp_quality *q, const int *s, int n, u32 ssrc)
{
	int i;

	for (i = 0; i < n; i++)
		pkt(q, (u16)s[i], ssrc);
}

static struct rtpp_rtp_figures fig(const struct rtpp_rtp_quality *q)
{
	struct rtpp_rtp_figures f;

	rtpp_q_figures(q, &f);
	return f;
}

START_TEST(in_order_counts_every_packet)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;
	int i;

	for (i = 100; i < 110; i++)
		pkt(&q, i, SSRC_A);
	f = fig(&q);
	/* Probation's two packets count too: 100 .. 109. */
	ck_assert_uint_eq(f.ext_max, 109);
	ck_assert_uint_eq(f.expected, 10);
	ck_assert_uint_eq(f.lost, 0);
	ck_assert_uint_eq(q.received, 10);
	ck_assert_uint_eq(q.out_of_order + q.duplicates + q.ssrc_changes, 0);
	ck_assert_uint_eq(q.ssrc, SSRC_A);
	ck_assert_uint_eq(q.pt, 0);
	/* Perfectly paced: no jitter. */
	ck_assert_uint_eq(f.jitter_ts, 0);
	ck_assert_uint_eq(f.clock_rate, 8000);
}
END_TEST

START_TEST(wrap_at_65535)
{
	static const int s[] = { 65533, 65534, 65535, 0, 2 };
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;

	seqs(&q, s, 5, SSRC_A);
	f = fig(&q);
	/* One cycle: 65536 + 2; 65533 .. 65538 is 6, 1 missing. */
	ck_assert_uint_eq(f.ext_max, 65538);
	ck_assert_uint_eq(q.cycles, 65536);
	ck_assert_uint_eq(f.expected, 6);
	ck_assert_uint_eq(f.lost, 1);
	ck_assert_uint_eq(q.out_of_order, 0);
	/* The lost one turns up late, across the wrap. */
	pkt(&q, 1, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.lost, 0);
	ck_assert_uint_eq(q.out_of_order, 1);
	ck_assert_uint_eq(f.ext_max, 65538);
}
END_TEST

START_TEST(loss_every_tenth)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;
	int i;

	/* 1 .. 100 without 10, 20, .. 90 (100 is the highest: sent). */
	for (i = 1; i <= 100; i++)
		if (i % 10 || i == 100)
			pkt(&q, i, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.expected, 100);
	ck_assert_uint_eq(f.lost, 9);
	ck_assert_uint_eq(q.out_of_order, 0);
}
END_TEST

START_TEST(reordering)
{
	static const int s[] = { 1, 2, 4, 3, 5, 7, 6, 8 };
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;

	seqs(&q, s, 8, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(q.out_of_order, 2);
	ck_assert_uint_eq(q.duplicates, 0);
	ck_assert_uint_eq(f.expected, 8);
	ck_assert_uint_eq(f.lost, 0);
	ck_assert_uint_eq(f.ext_max, 8);
}
END_TEST

START_TEST(duplicates)
{
	/* 3 again at once, 2 again behind, 4 late then again: 3 duplicates,
	 * one out of order. */
	static const int s[] = { 1, 2, 3, 3, 2, 5, 4, 4, 6 };
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;

	seqs(&q, s, 9, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(q.duplicates, 3);
	ck_assert_uint_eq(q.out_of_order, 1);
	ck_assert_uint_eq(q.received, 6);
	ck_assert_uint_eq(f.expected, 6);
	ck_assert_uint_eq(f.lost, 0);
}
END_TEST

START_TEST(duplicates_beyond_the_window_are_late_packets)
{
	struct rtpp_rtp_quality q = {};
	int i;

	for (i = 1; i <= 80; i++)
		pkt(&q, i, SSRC_A);
	pkt(&q, 80 - 63, SSRC_A);	/* the window's last bit */
	ck_assert_uint_eq(q.duplicates, 1);
	pkt(&q, 80 - 64, SSRC_A);	/* past it: cannot tell */
	ck_assert_uint_eq(q.duplicates, 1);
	ck_assert_uint_eq(q.out_of_order, 1);
	/* A jump of the window's size or more forgets it all. */
	pkt(&q, 80 + 64, SSRC_A);
	pkt(&q, 80 + 1, SSRC_A);
	ck_assert_uint_eq(q.duplicates, 1);
	ck_assert_uint_eq(q.out_of_order, 2);
	pkt(&q, 80 + 1, SSRC_A);
	ck_assert_uint_eq(q.duplicates, 2);
}
END_TEST

START_TEST(restart_after_a_large_jump)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;
	int i;

	for (i = 1; i <= 10; i++)
		pkt(&q, i, SSRC_A);
	/* One packet far ahead: ignored, the source goes on. */
	pkt(&q, 5000, SSRC_A);
	pkt(&q, 11, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.expected, 11);
	ck_assert_uint_eq(f.ext_max, 11);
	ck_assert_uint_eq(f.lost, 0);
	/* Two in sequence: the sender restarted there; both count. */
	pkt(&q, 9000, SSRC_A);
	pkt(&q, 9001, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.ext_max, 9001);
	ck_assert_uint_eq(f.expected, 13);
	ck_assert_uint_eq(f.lost, 0);
	pkt(&q, 9003, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.expected, 15);
	ck_assert_uint_eq(f.lost, 1);
	ck_assert_uint_eq(q.ssrc_changes, 0);
	/* A jump of MAX_DROPOUT - 1 is a burst of loss, not a restart. */
	pkt(&q, 9003 + RTPP_Q_MAX_DROPOUT - 1, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.lost, 1 + RTPP_Q_MAX_DROPOUT - 2);
}
END_TEST

START_TEST(ssrc_change_restarts_the_source)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;
	int i;

	for (i = 1; i <= 10; i++)
		if (i != 5)
			pkt(&q, i, SSRC_A);
	/* B's first packet is on probation: not counted yet. */
	pkt(&q, 30000, SSRC_B);
	f = fig(&q);
	ck_assert_uint_eq(q.ssrc_changes, 1);
	ck_assert_uint_eq(q.ssrc, SSRC_B);
	ck_assert_uint_eq(f.expected, 10);
	ck_assert_uint_eq(f.lost, 1);
	for (i = 30001; i <= 30009; i++)
		pkt(&q, i, SSRC_B);
	f = fig(&q);
	/* A's 10 (1 lost) and B's 10, totals carried on. */
	ck_assert_uint_eq(f.expected, 20);
	ck_assert_uint_eq(f.lost, 1);
	ck_assert_uint_eq(f.ext_max, 30009);
	/* And back to A: a change again, from probation again. */
	pkt(&q, 11, SSRC_A);
	ck_assert_uint_eq(q.ssrc_changes, 2);
	ck_assert_uint_eq(fig(&q).expected, 20);
}
END_TEST

START_TEST(probation)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;

	pkt(&q, 100, SSRC_A);
	ck_assert_uint_eq(fig(&q).expected, 0);
	/* Not in sequence: probation starts again from 200. */
	pkt(&q, 200, SSRC_A);
	ck_assert_uint_eq(fig(&q).expected, 0);
	ck_assert_uint_eq(q.received, 0);
	pkt(&q, 201, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(f.expected, 2);
	ck_assert_uint_eq(q.received, 2);
	ck_assert_uint_eq(f.ext_max, 201);
	/* 100 late: older than the source's base, counted out of order;
	 * more received than expected is no loss, not a negative one. */
	pkt(&q, 199, SSRC_A);
	f = fig(&q);
	ck_assert_uint_eq(q.out_of_order, 1);
	ck_assert_uint_eq(f.lost, 0);
}
END_TEST

START_TEST(not_rtp)
{
	struct rtpp_rtp_quality q = {};
	u8 h[RTPP_RTP_HDR];

	hdr(h, 0, 1, 0, SSRC_A);
	rtp(&q, h, 11, 0);	/* too short */
	rtp(&q, NULL, 3, 0);
	h[0] = 0x40;			/* version 1 */
	rtp(&q, h, 172, 0);
	ck_assert_uint_eq(q.not_rtp, 3);
	ck_assert_uint_eq(q.flags, 0);
	/* RTCP muxed on the RTP port (RR, marker set): none of these. */
	hdr(h, 201 & 0xff, 1, 0, SSRC_A);
	h[1] = 201;
	rtp(&q, h, 32, 0);
	ck_assert_uint_eq(q.not_rtp, 3);
	ck_assert_uint_eq(q.flags, 0);
}
END_TEST

/* Packet @i's timestamp i * 160, arriving at @us. */
static void at(struct rtpp_rtp_quality *q, u8 pt, u16 i, u32 us)
{
	u8 h[RTPP_RTP_HDR];

	hdr(h, pt, i, i * 160U, SSRC_A);
	rtp(q, h, 172, us);
}

/*
 * The clock is read for the packets that are timed, and for those only:
 * each packet of a known clock that counts, the first of a source and those
 * of its probation included; never for a duplicate, a packet of a dynamic
 * type, one that is not RTP, RTCP on the RTP port, or the first packet of
 * a jump, which is none of the source's yet.
 */
START_TEST(clock_read_only_when_timed)
{
	struct rtpp_rtp_quality q = {};
	u8 h[RTPP_RTP_HDR];

	hdr(h, 0, 10, 1600, SSRC_A);
	ck_assert(rtp(&q, h, 172, 0));			/* a new source */
	hdr(h, 0, 11, 1760, SSRC_A);
	ck_assert(rtp(&q, h, 172, 20000));		/* probation ends */
	ck_assert(!rtp(&q, h, 172, 20001));		/* a duplicate */
	hdr(h, 0, 9, 1440, SSRC_A);
	ck_assert(rtp(&q, h, 172, 20002));		/* late, counted */
	ck_assert(!rtp(&q, h, 172, 20003));		/* its duplicate */
	hdr(h, 101, 12, 1920, SSRC_A);
	ck_assert(!rtp(&q, h, 172, 40000));		/* DTMF events */
	hdr(h, 0, 13, 2080, SSRC_A);
	ck_assert(rtp(&q, h, 172, 60000));
	hdr(h, 0, 13 + RTPP_Q_MAX_DROPOUT, 9999, SSRC_A);
	ck_assert(!rtp(&q, h, 172, 80000));		/* a jump: not yet */
	ck_assert(!rtp(&q, h, 11, 80001));		/* too short */
	h[1] = 201;
	ck_assert(!rtp(&q, h, 32, 80002));		/* RTCP, muxed */
	ck_assert_uint_eq(q.duplicates, 2);
	ck_assert_uint_eq(q.out_of_order, 1);
	ck_assert_uint_eq(q.not_rtp, 1);
	/* The last packet timed is the 13th, of PCMU. */
	ck_assert_uint_eq(q.arrival_us, 60000);
	ck_assert_uint_eq(q.ts, 2080);
	ck_assert_uint_eq(fig(&q).clock_rate, 8000);
}
END_TEST

/*
 * Totals: a stream that sent no RTP adds only its "not RTP"; the others add
 * their figures (lost as rtpp_q_figures() gives it, never negative), and
 * the worst jitter is of the streams with a clock only.
 */
START_TEST(totals_add_up)
{
	struct rtpp_rtp_quality a = {}, b = {}, c = {}, d = {};
	struct rtpp_q_totals t = {}, u = {};
	const int gaps[] = { 1, 2, 3, 5, 6, 7, 8, 9, 10 };	/* 4 is lost */
	u8 h[RTPP_RTP_HDR];
	u16 i;

	for (i = 1; i <= 10; i++)
		pkt(&a, i, SSRC_A);		/* PCMU, on time: jitter 0 */
	seqs(&b, gaps, 9, SSRC_B);
	pkt(&b, 9, SSRC_B);			/* a duplicate */
	rtp(&c, h, 5, 0);			/* not RTP only */
	for (i = 1; i <= 4; i++) {		/* a dynamic type: no clock */
		hdr(h, 111, i, i * 960U, SSRC_A);
		rtp(&d, h, 172, i * 20000U);
	}
	rtpp_q_add(&t, &a);
	rtpp_q_add(&t, &b);
	rtpp_q_add(&t, &c);
	ck_assert_uint_eq(t.streams, 2);
	ck_assert_uint_eq(t.expected, 20);
	ck_assert_uint_eq(t.lost, 1);
	ck_assert_uint_eq(t.duplicates, 1);
	ck_assert_uint_eq(t.out_of_order, 0);
	ck_assert_uint_eq(t.not_rtp, 1);
	ck_assert(t.has_jitter);
	ck_assert_uint_eq(t.jitter_us_max, 0);

	rtpp_q_add(&u, &d);
	ck_assert_uint_eq(u.streams, 1);
	ck_assert_uint_eq(u.expected, 4);
	ck_assert(!u.has_jitter);
	/* Late by 10 ms: J = 80 / 16 = 5 ticks, 625 us at 8 kHz. */
	at(&a, 0, 11, 10 * 20000U + 30000U);
	rtpp_q_add(&u, &a);
	ck_assert(u.has_jitter);
	ck_assert_uint_eq(u.jitter_us_max, 625);

	rtpp_q_add_totals(&t, &u);
	ck_assert_uint_eq(t.streams, 4);
	ck_assert_uint_eq(t.expected, 20 + 4 + 11);
	ck_assert_uint_eq(t.lost, 1);
	ck_assert_uint_eq(t.not_rtp, 1);
	ck_assert(t.has_jitter);
	ck_assert_uint_eq(t.jitter_us_max, 625);
	memset(&u, 0, sizeof(u));
	rtpp_q_add_totals(&u, &t);		/* into empty ones */
	ck_assert(u.has_jitter);
	ck_assert_uint_eq(u.jitter_us_max, 625);
	ck_assert_uint_eq(u.streams, 4);
}
END_TEST

START_TEST(jitter_by_hand)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;

	at(&q, 0, 1, 1000000);
	at(&q, 0, 2, 1020000);
	ck_assert_uint_eq(q.jitter, 0);
	/* 10 ms late: D = 30 ms (240) - 160 = 80; J = 0 + (80 - 0)/16,
	 * kept as 16 J = 80: 5 units. */
	at(&q, 0, 3, 1050000);
	ck_assert_uint_eq(q.jitter, 80);
	ck_assert_uint_eq(fig(&q).jitter_ts, 5);
	/* Back on time: D = |80 - 160| = 80; 16 J = 80 + 80 - (80 + 8) / 16
	 * = 155: 9 units, 9 / 8000 s = 1125 us. */
	at(&q, 0, 4, 1060000);
	f = fig(&q);
	ck_assert_uint_eq(q.jitter, 155);
	ck_assert_uint_eq(f.jitter_ts, 9);
	ck_assert_uint_eq(f.jitter_us, 1125);
	/* A dynamic payload type (telephone-event) between them neither
	 * counts nor breaks the chain: 6 compares with 4, on time. */
	at(&q, 101, 5, 1065000);
	at(&q, 0, 6, 1100000);
	/* 16 J = 155 + 0 - (155 + 8) / 16 = 155 - 10 = 145. */
	ck_assert_uint_eq(q.jitter, 145);
	ck_assert_uint_eq(q.pt, 0);
	/* The clock wraps: differences hold. */
	q = (struct rtpp_rtp_quality){};
	at(&q, 0, 1, 0xffffffffU - 9999);
	at(&q, 0, 2, 10000);
	ck_assert_uint_eq(q.jitter, 0);
}
END_TEST

START_TEST(jitter_at_90khz_and_steady)
{
	struct rtpp_rtp_quality q = {};
	struct rtpp_rtp_figures f;
	u8 h[RTPP_RTP_HDR];
	u32 us = 0;
	int i;

	/* Video, 3000 ticks a frame, frames alternately 30 ms and 36.667 ms
	 * apart (2700 and 3300 ticks): |D| = 300 each time.  16 J rises to
	 * the first value where (16 J + 8) >> 4 is 300: 4792, 299 ticks,
	 * 299 / 90000 s = 3322 us. */
	for (i = 0; i < 400; i++) {
		hdr(h, 34, i, i * 3000U, SSRC_A);
		rtp(&q, h, 1000, us);
		us += i & 1 ? 36667 : 30000;
	}
	f = fig(&q);
	ck_assert_uint_eq(f.clock_rate, 90000);
	ck_assert_uint_eq(q.jitter, 4792);
	ck_assert_uint_eq(f.jitter_ts, 299);
	ck_assert_uint_eq(f.jitter_us, 3322);
}
END_TEST

START_TEST(clock_rates)
{
	ck_assert_uint_eq(rtpp_q_clock_rate(0), 8000);
	ck_assert_uint_eq(rtpp_q_clock_rate(8), 8000);
	ck_assert_uint_eq(rtpp_q_clock_rate(9), 8000);	/* G.722's odd one */
	ck_assert_uint_eq(rtpp_q_clock_rate(6), 16000);
	ck_assert_uint_eq(rtpp_q_clock_rate(10), 44100);
	ck_assert_uint_eq(rtpp_q_clock_rate(31), 90000);
	ck_assert_uint_eq(rtpp_q_clock_rate(2), 0);	/* unassigned */
	ck_assert_uint_eq(rtpp_q_clock_rate(96), 0);
}
END_TEST

/* RTCP builders. */
static u8 *put32(u8 *p, u32 v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
	return p + 4;
}

static u8 *rtcp_hdr(u8 *p, u8 rc, u8 pt, u16 words)
{
	p[0] = 0x80 | rc;
	p[1] = pt;
	p[2] = words >> 8;
	p[3] = words & 0xff;
	return p + 4;
}

static u8 *block(u8 *p, u32 ssrc, u8 frac, u32 cum, u32 jitter)
{
	p = put32(p, ssrc);
	p = put32(p, (u32)frac << 24 | (cum & 0xffffff));
	p = put32(p, 1234);		/* highest seq */
	p = put32(p, jitter);
	p = put32(p, 0);		/* LSR */
	return put32(p, 0);		/* DLSR */
}

/* An RR from @ssrc with @n blocks, then an SDES of one word. */
static u32 rr(u8 *buf, int n, const u32 *ssrcs, u8 frac, u32 cum, u32 jit)
{
	u8 *p = rtcp_hdr(buf, n, 201, 1 + 6 * n);
	int i;

	p = put32(p, 0xabcdef01);
	for (i = 0; i < n; i++)
		p = block(p, ssrcs[i], frac + i, cum + i, jit + i);
	p = rtcp_hdr(p, 0, 202, 0);
	return p - buf;
}

START_TEST(rtcp_report_blocks)
{
	struct rtpp_rtcp_quality q = {};
	struct rtpp_rtp_quality rtp = {};
	static const u32 two[] = { 0x99999999U, SSRC_A };
	u8 buf[256], *p;
	u32 len;

	len = rr(buf, 1, two, 25, 10, 42);
	rtpp_q_rtcp(&q, buf, len, &rtp);
	ck_assert_uint_eq(q.reports, 1);
	ck_assert_uint_eq(q.malformed, 0);
	ck_assert_uint_eq(q.has_block, 1);
	ck_assert_uint_eq(q.fraction_lost, 25);
	ck_assert_int_eq(q.cum_lost, 10);
	ck_assert_uint_eq(q.jitter, 42);

	/* Two blocks: the one about the stream we relay wins, second or not. */
	pkt(&rtp, 1, SSRC_A);
	len = rr(buf, 2, two, 50, 20, 70);
	rtpp_q_rtcp(&q, buf, len, &rtp);
	ck_assert_uint_eq(q.reports, 2);
	ck_assert_uint_eq(q.fraction_lost, 51);
	ck_assert_int_eq(q.cum_lost, 21);
	ck_assert_uint_eq(q.jitter, 71);

	/* Cumulative lost is 24 bits, signed: duplicates make it negative. */
	len = rr(buf, 1, two + 1, 0, 0xffffff, 0);
	rtpp_q_rtcp(&q, buf, len, &rtp);
	ck_assert_int_eq(q.cum_lost, -1);

	/* An SR with one block then an RR without any. */
	p = rtcp_hdr(buf, 1, 200, 6 + 6);
	p = put32(p, 0xabcdef01);
	memset(p, 0, 20);
	p = block(p + 20, SSRC_A, 3, 4, 5);
	p = rtcp_hdr(p, 0, 201, 1);
	p = put32(p, 0xabcdef01);
	rtpp_q_rtcp(&q, buf, p - buf, &rtp);
	ck_assert_uint_eq(q.reports, 5);
	ck_assert_uint_eq(q.fraction_lost, 3);
	ck_assert_int_eq(q.cum_lost, 4);
	ck_assert_uint_eq(q.jitter, 5);
	ck_assert_uint_eq(q.malformed, 0);
}
END_TEST

START_TEST(rtcp_malformed_is_counted_and_not_used)
{
	struct rtpp_rtcp_quality q = {};
	static const u32 one[] = { SSRC_A };
	u8 buf[256];
	u32 len;

	len = rr(buf, 1, one, 25, 10, 42);
	rtpp_q_rtcp(&q, buf, len - 1, NULL);	/* lengths do not add up */
	rtpp_q_rtcp(&q, buf, len + 4, NULL);	/* trailing bytes */
	rtpp_q_rtcp(&q, buf, 3, NULL);		/* no header */
	rtpp_q_rtcp(&q, NULL, 0, NULL);
	buf[0] = 0x41;				/* version 1 */
	rtpp_q_rtcp(&q, buf, len, NULL);
	buf[0] = 0x82;				/* two blocks in room for one */
	rtpp_q_rtcp(&q, buf, len, NULL);
	buf[0] = 0x81;
	buf[3] = 200;				/* length past the end */
	rtpp_q_rtcp(&q, buf, len, NULL);
	ck_assert_uint_eq(q.malformed, 7);
	ck_assert_uint_eq(q.reports, 0);
	ck_assert_uint_eq(q.has_block, 0);
	buf[3] = 7;
	rtpp_q_rtcp(&q, buf, len, NULL);
	ck_assert_uint_eq(q.reports, 1);
	ck_assert_uint_eq(q.jitter, 42);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("quality");
	TCase *tr = tcase_create("rtp");
	TCase *tj = tcase_create("jitter");
	TCase *tc = tcase_create("rtcp");

	tcase_add_test(tr, in_order_counts_every_packet);
	tcase_add_test(tr, wrap_at_65535);
	tcase_add_test(tr, loss_every_tenth);
	tcase_add_test(tr, reordering);
	tcase_add_test(tr, duplicates);
	tcase_add_test(tr, duplicates_beyond_the_window_are_late_packets);
	tcase_add_test(tr, restart_after_a_large_jump);
	tcase_add_test(tr, ssrc_change_restarts_the_source);
	tcase_add_test(tr, probation);
	tcase_add_test(tr, not_rtp);
	tcase_add_test(tj, jitter_by_hand);
	tcase_add_test(tj, jitter_at_90khz_and_steady);
	tcase_add_test(tj, clock_rates);
	tcase_add_test(tj, clock_read_only_when_timed);
	tcase_add_test(tj, totals_add_up);
	tcase_add_test(tc, rtcp_report_blocks);
	tcase_add_test(tc, rtcp_malformed_is_counted_and_not_used);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, tj);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
