/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few definitions the pure-logic files (conf.c, slot.c, state.c) need,
 * so that the same source compiles into the module and into the user-space
 * unit tests and the iptables extension.  Nothing in those files may use
 * any other kernel or libc facility.
 */
#ifndef _RTPP_PURE_H
#define _RTPP_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/math64.h>
#include <linux/compiler.h>
#define rtpp_div_u64(a, b)	div_u64((a), (b))
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
#define rtpp_div_u64(a, b)	((u64)(a) / (u32)(b))
#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#endif

#endif /* _RTPP_PURE_H */
