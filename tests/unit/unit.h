/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every unit test program ends with: run its suite, exit non-zero if a
 * test failed.
 */
#ifndef RTPP_UNIT_H
#define RTPP_UNIT_H

#include <check.h>
#include <stdlib.h>

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
