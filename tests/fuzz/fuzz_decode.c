// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: librtpproxy's decoding of what the kernel sends
 * (lib/decode.c, lib/decode_ctrl.c, lib/decode_ack.c, lib/attr.c).  The input is one
 * received datagram; it is split into messages the way rtpp_xfer() does
 * (rtpp_nlmsg_ok, mnl_nlmsg_next: nlmsg_len held to the datagram) and every
 * decoder is run on every message, then the extended-ack helpers that look
 * into a request (rtpp_attr_path, rtpp_missing_path) at every offset.  The datagram lies in a heap block of exactly its size,
 * so that AddressSanitizer sees any read past it.
 *
 * Besides memory errors, what each decoder promises (decode.h) is checked:
 * it returns 0 (1: family_pick found ours) or RTPP_ERR_PROTO, and an error
 * always comes with a message saying "malformed reply".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include "decode.h"
#include "fuzz.h"

static char err[256];

/* A decoder's result: 0, or RTPP_ERR_PROTO with a message. */
static void result(const char *who, int ret, int ok_max)
{
	if (ret >= 0 && ret <= ok_max)
		return;
	FUZZ_ASSERT(ret == RTPP_ERR_PROTO, "%s returned %d", who, ret);
	FUZZ_ASSERT(!strncmp(err, "malformed reply", 15),
		    "%s failed with the message '%s'", who, err);
}

static int sb_cb(const struct rtpp_sb *sb, void *arg)
{
	unsigned int *n = arg;

	/* stop after a few, as a callback may: the walk must stop cleanly */
	return ++*n > 3 && (sb->id & 1) ? 7 : 0;
}

static void decode_all(const struct nlmsghdr *first, const struct nlmsghdr *nlh)
{
	struct rtpp_info info;
	struct rtpp_sb sb;
	struct rtpp_sess sess;
	struct rtpp_stats global;
	struct rtpp_event_msg ev;
	struct rtpp_family fam;
	unsigned int count, n = 0;
	char path[96], tiny[5], ext[256];
	uint32_t offs;
	int ret;

	result("rtpp_decode_info", rtpp_decode_info(nlh, &info, err, sizeof(err)), 0);
	result("rtpp_decode_sb_msg", rtpp_decode_sb_msg(nlh, &sb, err, sizeof(err)), 0);
	result("rtpp_decode_sess_msg", rtpp_decode_sess_msg(nlh, &sess, err, sizeof(err)), 0);
	result("rtpp_decode_count", rtpp_decode_count(nlh, &count, err, sizeof(err)), 0);
	ret = rtpp_decode_reset(nlh, &global, sb_cb, &n, err, sizeof(err));
	if (ret != 7)
		result("rtpp_decode_reset", ret, 0);
	result("rtpp_decode_reset", rtpp_decode_reset(nlh, NULL, NULL, NULL, err, sizeof(err)), 0);
	result("rtpp_decode_event", rtpp_decode_event(nlh, &ev, err, sizeof(err)), 0);
	result("rtpp_decode_family", rtpp_decode_family(nlh, &fam, err, sizeof(err)), 0);
	result("rtpp_decode_family_pick", rtpp_decode_family_pick(nlh, &fam, err, sizeof(err)), 1);
	/*
	 * As the end of a reply (lib/decode_ack.c): the request it answers is
	 * the datagram's first message, or itself.  A result, never success
	 * made up; the extended ack terminated, in a small buffer too.
	 */
	ret = rtpp_decode_end(first, nlh, ext, sizeof(ext), err, sizeof(err));
	FUZZ_ASSERT(ret <= 0, "rtpp_decode_end returned %d", ret);
	FUZZ_ASSERT(memchr(ext, '\0', sizeof(ext)), "unterminated extended ack");
	ret = rtpp_decode_end(nlh, nlh, tiny, sizeof(tiny), err, sizeof(err));
	FUZZ_ASSERT(ret <= 0, "rtpp_decode_end returned %d", ret);
	FUZZ_ASSERT(memchr(tiny, '\0', sizeof(tiny)), "unterminated short extended ack");

	/* an error message cut short: never past the buffer */
	rtpp_decode_sess_msg(nlh, &sess, tiny, sizeof(tiny));
	FUZZ_ASSERT(memchr(tiny, '\0', sizeof(tiny)), "unterminated short error");

	/*
	 * The message as a request an extended ack points into: every offset
	 * of its first 128 bytes, every fourth after (attributes start at
	 * multiples of 4), a few past its end; the missing type from its
	 * sequence number.
	 */
	for (offs = 0; offs < nlh->nlmsg_len + 8 && offs < 4096;
	     offs += offs < 128 ? 1 : 4) {
		if (rtpp_attr_path(nlh, offs, path, sizeof(path)))
			FUZZ_ASSERT(path[0], "attribute at %u found without a name", offs);
		if (!(offs & 3) &&
		    rtpp_missing_path(nlh, offs, nlh->nlmsg_seq, path, sizeof(path)))
			FUZZ_ASSERT(path[0], "missing attribute without a name");
		rtpp_attr_path(nlh, offs, tiny, sizeof(tiny));
		FUZZ_ASSERT(memchr(tiny, '\0', sizeof(tiny)), "unterminated short path");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh, *first;
	uint8_t *buf;
	int len = size;

	if (size > 1 << 16)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	first = (const struct nlmsghdr *)buf;
	for (nlh = first; rtpp_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		decode_all(first, nlh);
	}
	free(buf);
	return 0;
}
