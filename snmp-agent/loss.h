/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loss watch behind rtppStreamLoss (loss.c: pure, unit-tested;
 * lossnotify.c drives it).  Every period the agent lists every session
 * and notes each RTP stream's expected and lost packets: the loss over the
 * period is the growth of lost over the growth of expected.  A stream whose
 * loss passes the threshold (percent, rtppQualityLossThreshold) is told
 * once, and not again until a period with traffic at or below the
 * threshold has passed (it recovered).  A period without traffic says
 * nothing either way.  A stream is known by switchboard, session, creation
 * time (a slot reused is another session) and side.
 */
#ifndef RTPPA_LOSS_H
#define RTPPA_LOSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rtppa_loss_key {
	uint32_t sb, sess;
	uint64_t created_ms;
	unsigned int side;
};

struct rtppa_loss_entry {
	struct rtppa_loss_key k;
	uint32_t expected, lost;
	bool alarmed;
};

/* Last period's streams (sorted by key) and this period's, being noted. */
struct rtppa_loss {
	struct rtppa_loss_entry *old, *cur;
	size_t nold, ncur, cap, at;
};

bool rtppa_loss_over(uint32_t d_expected, uint32_t d_lost, unsigned int threshold);
/* Streams must be noted in key order (a listing's order); returns true
 * when this one is to be told now. */
bool rtppa_loss_note(struct rtppa_loss *l, const struct rtppa_loss_key *k,
		     uint32_t expected, uint32_t lost, unsigned int threshold);
/* The period's streams become the last period's; those not noted go. */
void rtppa_loss_end(struct rtppa_loss *l);
void rtppa_loss_clear(struct rtppa_loss *l);

#endif
