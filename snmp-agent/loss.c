// SPDX-License-Identifier: GPL-2.0
/*
 * The loss watch: see loss.h.
 */
#include <stdlib.h>

#include "loss.h"

static int key_cmp(const struct rtppa_loss_key *a, const struct rtppa_loss_key *b)
{
	if (a->sb != b->sb)
		return a->sb < b->sb ? -1 : 1;
	if (a->sess != b->sess)
		return a->sess < b->sess ? -1 : 1;
	if (a->created_ms != b->created_ms)
		return a->created_ms < b->created_ms ? -1 : 1;
	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	return 0;
}

/* Loss over a period above @threshold percent; none without traffic. */
bool rtppa_loss_over(uint32_t d_expected, uint32_t d_lost, unsigned int threshold)
{
	return d_expected && (uint64_t)d_lost * 100 > (uint64_t)threshold * d_expected;
}

bool rtppa_loss_note(struct rtppa_loss *l, const struct rtppa_loss_key *k,
		     uint32_t expected, uint32_t lost, unsigned int threshold)
{
	struct rtppa_loss_entry *e, *o = NULL;
	uint32_t d_exp, d_lost;
	bool tell = false;

	if (l->ncur == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct rtppa_loss_entry *v = realloc(l->cur, cap * sizeof(*v));

		if (!v)
			return false;	/* forgotten: seen anew next period */
		l->cur = v;
		l->cap = cap;
	}
	while (l->at < l->nold && key_cmp(&l->old[l->at].k, k) < 0)
		l->at++;
	if (l->at < l->nold && !key_cmp(&l->old[l->at].k, k))
		o = &l->old[l->at];
	e = &l->cur[l->ncur++];
	e->k = *k;
	e->expected = expected;
	e->lost = lost;
	e->alarmed = o && o->alarmed;
	if (!o)
		return false;		/* the period starts now */
	d_exp = expected - o->expected;
	/* Lost goes down when late packets come: no loss in the period. */
	d_lost = lost > o->lost ? lost - o->lost : 0;
	if (!d_exp)
		return false;
	if (rtppa_loss_over(d_exp, d_lost, threshold)) {
		tell = !e->alarmed;
		e->alarmed = true;
	} else {
		e->alarmed = false;
	}
	return tell;
}

void rtppa_loss_end(struct rtppa_loss *l)
{
	free(l->old);
	l->old = l->cur;
	l->nold = l->ncur;
	l->cur = NULL;
	l->ncur = 0;
	l->cap = 0;
	l->at = 0;
}

void rtppa_loss_clear(struct rtppa_loss *l)
{
	free(l->old);
	free(l->cur);
	*l = (struct rtppa_loss){ 0 };
}
