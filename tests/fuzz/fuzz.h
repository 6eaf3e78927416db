/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz targets share: a failed expectation is a crash, so that
 * libFuzzer keeps the input that caused it.
 */
#ifndef RTPP_FUZZ_H
#define RTPP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
