// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of snmp-agent/loss.c: when rtppStreamLoss is sent.
 *
 * UNIT-SRCS: ../../snmp-agent/loss.c
 */
#include <check.h>
#include "unit.h"

#include "../../snmp-agent/loss.h"

static const struct rtppa_loss_key K1 = { 1, 0, 1000, 0 };
static const struct rtppa_loss_key K2 = { 1, 0, 1000, 1 };
static const struct rtppa_loss_key K3 = { 1, 5, 2000, 0 };

/* One period: the three streams with these (expected, lost). */
static unsigned int period(struct rtppa_loss *l, const uint32_t v[3][2],
			   unsigned int threshold)
{
	unsigned int told = 0;

	told |= rtppa_loss_note(l, &K1, v[0][0], v[0][1], threshold) << 0;
	told |= rtppa_loss_note(l, &K2, v[1][0], v[1][1], threshold) << 1;
	told |= rtppa_loss_note(l, &K3, v[2][0], v[2][1], threshold) << 2;
	rtppa_loss_end(l);
	return told;
}

START_TEST(over_is_strictly_above)
{
	ck_assert(!rtppa_loss_over(100, 5, 5));
	ck_assert(rtppa_loss_over(100, 6, 5));
	ck_assert(rtppa_loss_over(3, 1, 33));
	ck_assert(!rtppa_loss_over(0, 10, 5));	/* no traffic, no verdict */
	ck_assert(!rtppa_loss_over(0xffffffffU, 0xffffffffU, 100));
}
END_TEST

START_TEST(once_until_recovered)
{
	struct rtppa_loss l = { 0 };
	static const uint32_t p[][3][2] = {
		{ { 100, 50 }, { 0, 0 }, { 10, 0 } },	/* first sight: baselines */
		{ { 200, 70 }, { 50, 1 }, { 60, 0 } },	/* K1 20%: told */
		{ { 300, 90 }, { 100, 2 }, { 110, 0 } },	/* K1 again 20%: not again */
		{ { 300, 90 }, { 150, 3 }, { 160, 0 } },	/* K1 silent: no verdict */
		{ { 400, 92 }, { 200, 4 }, { 210, 0 } },	/* K1 2%: recovered */
		{ { 500, 150 }, { 250, 5 }, { 260, 40 } },	/* K1 and K3 told */
	};
	static const unsigned int want[] = { 0, 1, 0, 0, 0, 5 };
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_uint_eq(period(&l, p[i], 10), want[i]);
	rtppa_loss_clear(&l);
}
END_TEST

START_TEST(a_new_session_in_the_slot_starts_again)
{
	struct rtppa_loss l = { 0 };
	struct rtppa_loss_key k = K1;

	rtppa_loss_note(&l, &k, 100, 0, 10);
	rtppa_loss_end(&l);
	ck_assert(rtppa_loss_note(&l, &k, 200, 50, 10));
	rtppa_loss_end(&l);
	/* Same slot, another session: a baseline, not a period. */
	k.created_ms = 9999;
	ck_assert(!rtppa_loss_note(&l, &k, 100, 90, 10));
	rtppa_loss_end(&l);
	ck_assert(rtppa_loss_note(&l, &k, 200, 190, 10));
	rtppa_loss_end(&l);
	/* A stream not listed in a period is forgotten. */
	rtppa_loss_end(&l);
	ck_assert(!rtppa_loss_note(&l, &k, 300, 290, 10));
	/* Late packets lower "lost": that is no loss. */
	rtppa_loss_end(&l);
	ck_assert(!rtppa_loss_note(&l, &k, 400, 280, 10));
	rtppa_loss_clear(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("agent_loss");
	TCase *tc = tcase_create("loss");

	tcase_add_test(tc, over_is_strictly_above);
	tcase_add_test(tc, once_until_recovered);
	tcase_add_test(tc, a_new_session_in_the_slot_starts_again);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
