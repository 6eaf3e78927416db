// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of iptrtpproxyd's protocol parser and replies
 * (rtpproxyd/proto.c): every command form as Kamailio's and OpenSIPS's
 * rtpproxy modules send them, every error code, every reply.
 *
 * UNIT-SRCS: ../../rtpproxyd/proto.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include "unit.h"
#include <stdio.h>
#include <string.h>
#include "../../rtpproxyd/proto.h"

static struct rtppd_req req;
static const char *cookie;
static char err[256];
static int ecode;
static char line[4096];

static int parse(const char *s, bool with_cookie)
{
	snprintf(line, sizeof(line), "%s", s);
	memset(err, 'x', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	ecode = -2;
	return rtppd_parse(line, with_cookie, &cookie, &req, &ecode, err, sizeof(err));
}

#define ok(s, c) do {							\
	int rc_ = parse(s, c);						\
	ck_assert_msg(rc_ == 0, "'%s': E%d %s", s, ecode, err);	\
	ck_assert_int_eq(ecode, -1);					\
	ck_assert_str_eq(err, "");					\
} while (0)

/* error code, and a one-line reason naming what is wrong */
#define bad(s, c, code, names) do {					\
	int rc_ = parse(s, c);						\
	ck_assert_msg(rc_ == -1 && ecode == (code), "'%s': %d E%d, expected E%d (%s)", \
		      s, rc_, ecode, code, err);			\
	ck_assert_msg(strstr(err, names) != NULL,			\
		      "'%s': reason '%s' does not say '%s'", s, err, names); \
	ck_assert_msg(strchr(err, '\n') == NULL, "'%s': not one line", s); \
} while (0)

static uint32_t ip(const char *s)
{
	struct in_addr in;

	ck_assert_int_eq(inet_pton(AF_INET, s, &in), 1);
	return in.s_addr;
}

START_TEST(version)
{
	ok("12345_1 V\n", true);
	ck_assert_str_eq(cookie, "12345_1");
	ck_assert_int_eq(req.cmd, RTPPD_CMD_V);
	ok("V", false);
	ck_assert_ptr_null(cookie);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_V);
	ok("c VF 20050322", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_VF);
	ck_assert_uint_eq(req.date, 20050322);
	ok("c vf 20081224\r\n", true);
	ck_assert_uint_eq(req.date, 20081224);
	bad("c VF", true, RTPPD_E_NARGS, "VF takes 1 arguments, not 0");
	bad("c VF 1 2", true, RTPPD_E_NARGS, "not 2");
	bad("c VF 2005032", true, RTPPD_E_DATE, "'2005032'");
	bad("c VF 200503221", true, RTPPD_E_DATE, "YYYYMMDD");
	bad("c VF 2005O322", true, RTPPD_E_DATE, "2005O322");
	bad("c V 1", true, RTPPD_E_NARGS, "V takes 0");
	bad("c VX", true, RTPPD_E_MODS, "'X'");
	bad("c VFF 20050322", true, RTPPD_E_MODS, "'F'");
}
END_TEST

START_TEST(caps)
{
	ck_assert_int_eq(rtppd_has_cap(20040107), 1);
	ck_assert_int_eq(rtppd_has_cap(20050322), 1);
	ck_assert_int_eq(rtppd_has_cap(20060704), 1);
	ck_assert_int_eq(rtppd_has_cap(20080403), 1);
	/* not implemented: repacketization, copy, codecs, notifications,
	 * automatic bridging, load, connect time, counters */
	ck_assert_int_eq(rtppd_has_cap(20071116), 0);
	ck_assert_int_eq(rtppd_has_cap(20071218), 0);
	ck_assert_int_eq(rtppd_has_cap(20081102), 0);
	ck_assert_int_eq(rtppd_has_cap(20081224), 0);
	ck_assert_int_eq(rtppd_has_cap(20090810), 0);
	ck_assert_int_eq(rtppd_has_cap(20140323), 0);
	ck_assert_int_eq(rtppd_has_cap(20140617), 0);
	ck_assert_int_eq(rtppd_has_cap(20141004), 0);
	ck_assert_int_eq(rtppd_has_cap(19991231), 0);
}
END_TEST

START_TEST(offer)
{
	ok("2_7 U a84b4c76e66710@pc33 10.1.0.2 4000 1928301774;1\n", true);
	ck_assert_str_eq(cookie, "2_7");
	ck_assert_int_eq(req.cmd, RTPPD_CMD_U);
	ck_assert_str_eq(req.callid, "a84b4c76e66710@pc33");
	ck_assert_uint_eq(req.addr, ip("10.1.0.2"));
	ck_assert_uint_eq(req.port, 4000);
	ck_assert_str_eq(req.ftag, "1928301774");
	ck_assert_uint_eq(req.fmedia, 1);
	ck_assert_ptr_null(req.ttag);
	ck_assert(!req.asym && !req.weak);
	ck_assert_int_eq(req.from_net, RTPPD_NET_NONE);
	ck_assert_int_eq(req.to_net, RTPPD_NET_NONE);

	/* re-INVITE: both tags */
	ok("c UIE cid 10.1.0.2 4002 ft;2 tt;2", true);
	ck_assert_str_eq(req.ttag, "tt");
	ck_assert_uint_eq(req.tmedia, 2);
	ck_assert_uint_eq(req.fmedia, 2);
	ck_assert_int_eq(req.from_net, RTPPD_NET_I);
	ck_assert_int_eq(req.to_net, RTPPD_NET_E);
	ok("c Uei cid 10.1.0.2 4002 ft", true);
	ck_assert_int_eq(req.from_net, RTPPD_NET_E);
	ck_assert_int_eq(req.to_net, RTPPD_NET_I);
	ck_assert_uint_eq(req.fmedia, RTPPD_MEDIA_ANY);
	ok("c UA cid 10.1.0.2 4002 ft;1", true);
	ck_assert(req.asym);
	ok("c UAS cid 10.1.0.2 4002 ft;1", true);
	ck_assert(!req.asym);
	ok("c UWZ20C0,8,101 cid 10.1.0.2 4002 ft;1", true);
	ck_assert(req.weak);
	/* on hold / unknown address: learn it */
	ok("c U cid 0.0.0.0 4002 ft;1", true);
	ck_assert_uint_eq(req.addr, 0);
	ck_assert_uint_eq(req.port, 0);
	ok("c U cid 10.1.0.2 0 ft;1", true);
	ck_assert_uint_eq(req.addr, 0);
	ok("U cid 10.1.0.2 65535 ft;65535", false);
	ck_assert_uint_eq(req.port, 65535);
	ck_assert_uint_eq(req.fmedia, 65535);
	ok("c\tU\tcid  10.1.0.2\t4002 ft;1  ", true);
	ck_assert_str_eq(req.callid, "cid");
}
END_TEST

START_TEST(offer_errors)
{
	bad("c U cid 10.1.0.2 4000", true, RTPPD_E_NARGS, "U takes 4 to 5 arguments, not 3");
	bad("c U cid 10.1.0.2 4000 f t x", true, RTPPD_E_NARGS, "not 6");
	bad("c U cid 10.1.0.2 4000 f t sock ntag", true, RTPPD_E_INVAL, "notification");
	bad("c U cid 10.1.0 4000 f", true, RTPPD_E_ADDR, "'10.1.0'");
	bad("c U cid fe80::1 4000 f", true, RTPPD_E_ADDR, "IPv4");
	bad("c U cid host.example 4000 f", true, RTPPD_E_ADDR, "host.example");
	bad("c U cid 10.1.0.2 65536 f", true, RTPPD_E_PORT, "'65536'");
	bad("c U cid 10.1.0.2 -1 f", true, RTPPD_E_PORT, "'-1'");
	bad("c U cid 10.1.0.2 40a0 f", true, RTPPD_E_PORT, "'40a0'");
	bad("c U cid 10.1.0.2 000004000 f", true, RTPPD_E_PORT, "0..65535");
	bad("c U cid 10.1.0.2 4000 f;", true, RTPPD_E_TAG, "from tag: bad media number");
	bad("c U cid 10.1.0.2 4000 f;x", true, RTPPD_E_TAG, "'x'");
	bad("c U cid 10.1.0.2 4000 f;70000", true, RTPPD_E_TAG, "'70000'");
	bad("c U cid 10.1.0.2 4000 ;1", true, RTPPD_E_TAG, "from tag: empty");
	bad("c U cid 10.1.0.2 4000 f;1 t;x", true, RTPPD_E_TAG, "to tag");
	bad("c U cid 10.1.0.2 4000 f;1 t;2", true, RTPPD_E_TAG, "different media");
	bad("c UX cid 10.1.0.2 4000 f", true, RTPPD_E_MODS, "'X'");
	bad("c UI cid 10.1.0.2 4000 f", true, RTPPD_E_MODS, "I and E come in pairs");
	bad("c UIEI cid 10.1.0.2 4000 f", true, RTPPD_E_MODS, "more than two");
	bad("c UZ cid 10.1.0.2 4000 f", true, RTPPD_E_MODS, "Z without");
	bad("c UC cid 10.1.0.2 4000 f", true, RTPPD_E_MODS, "C without");
	bad("c U6 cid ::1 4000 f", true, RTPPD_E_INVAL, "IPv6");
}
END_TEST

START_TEST(ids)
{
	char s[600];

	/* a call-id of 255 bytes passes, 256 does not */
	snprintf(s, sizeof(s), "c U %0255d 10.1.0.2 4000 f", 7);
	ok(s, true);
	ck_assert_uint_eq(strlen(req.callid), 255);
	snprintf(s, sizeof(s), "c U %0256d 10.1.0.2 4000 f", 7);
	bad(s, true, RTPPD_E_TAG, "call-id: empty or longer than 255");
	snprintf(s, sizeof(s), "c D cid %0256d", 7);
	bad(s, true, RTPPD_E_TAG, "from tag");
}
END_TEST

START_TEST(answer)
{
	ok("9_1 L cid 10.2.0.2 6000 ft;1 tt;1", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_L);
	ck_assert_str_eq(req.ftag, "ft");
	ck_assert_str_eq(req.ttag, "tt");
	ck_assert_uint_eq(req.addr, ip("10.2.0.2"));
	ck_assert_uint_eq(req.port, 6000);
	ok("c LEI cid 10.2.0.2 6000 ft;1 tt;1", true);
	ck_assert_int_eq(req.from_net, RTPPD_NET_E);
	ck_assert_int_eq(req.to_net, RTPPD_NET_I);
	ok("c la cid 10.2.0.2 6000 ft tt", true);
	ck_assert(req.asym);
	bad("c L cid 10.2.0.2 6000 ft;1", true, RTPPD_E_NARGS, "L takes 5 arguments, not 4");
	bad("c L cid 10.2.0.2 6000 ft;1 tt;1 s t", true, RTPPD_E_INVAL, "L with a notification");
	bad("c LQ cid 10.2.0.2 6000 ft;1 tt;1", true, RTPPD_E_MODS, "'Q'");
}
END_TEST

START_TEST(delete)
{
	ok("c D cid ft", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_D);
	ck_assert_str_eq(req.callid, "cid");
	ck_assert_str_eq(req.ftag, "ft");
	ck_assert_ptr_null(req.ttag);
	ck_assert_uint_eq(req.fmedia, RTPPD_MEDIA_ANY);
	ok("c D cid ft tt", true);
	ck_assert_str_eq(req.ttag, "tt");
	ok("c Dw cid ft;2 tt;2", true);
	ck_assert(req.weak);
	ck_assert_uint_eq(req.fmedia, 2);
	bad("c D cid", true, RTPPD_E_NARGS, "D takes 2 to 3 arguments, not 1");
	bad("c D cid a b c", true, RTPPD_E_NARGS, "not 4");
	bad("c DA cid ft", true, RTPPD_E_MODS, "'A'");
}
END_TEST

START_TEST(query)
{
	ok("c Q cid ft;1 tt;1", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_Q);
	ck_assert_uint_eq(req.nstats, 0);
	ck_assert(!req.verbose);
	ok("c Qv cid ft tt ttl nrelayed npkts_ina npkts_ino ndropped", true);
	ck_assert(req.verbose);
	ck_assert_uint_eq(req.nstats, 5);
	ck_assert_uint_eq(req.stats[0], RTPPD_STAT_TTL);
	ck_assert_uint_eq(req.stats[1], RTPPD_STAT_NRELAYED);
	ck_assert_uint_eq(req.stats[4], RTPPD_STAT_NDROPPED);
	bad("c Q cid ft", true, RTPPD_E_NARGS, "Q takes 3 to 11 arguments, not 2");
	bad("c Q cid ft tt rtpa_nsent", true, RTPPD_E_STAT, "'rtpa_nsent'");
	bad("c Qx cid ft tt", true, RTPPD_E_MODS, "'x'");
}
END_TEST

START_TEST(info_and_x)
{
	ok("c I", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_I);
	ck_assert(!req.brief);
	ok("c Ib", true);
	ck_assert(req.brief);
	ok("X", false);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_X);
	bad("c I x", true, RTPPD_E_NARGS, "I takes 0");
	bad("c X all", true, RTPPD_E_NARGS, "X takes 0");
	bad("c Xa", true, RTPPD_E_MODS, "'a'");
	bad("c Iq", true, RTPPD_E_MODS, "'q'");
}
END_TEST

START_TEST(unknown)
{
	/* commands of rtpproxy's that the relay does not implement */
	bad("c P cid /tmp/moh session ft tt", true, RTPPD_E_UNKNOWN, "'P' is not implemented");
	bad("c S cid ft tt", true, RTPPD_E_UNKNOWN, "'S'");
	bad("c R cid ft tt", true, RTPPD_E_UNKNOWN, "'R'");
	bad("c C cid udp:1.2.3.4:5 ft tt", true, RTPPD_E_UNKNOWN, "'C'");
	bad("c N", true, RTPPD_E_UNKNOWN, "'N'");
	bad("c G", true, RTPPD_E_UNKNOWN, "'G'");
	bad("c ?", true, RTPPD_E_UNKNOWN, "'?'");
	ck_assert_str_eq(cookie, "c");
}
END_TEST

START_TEST(syntax)
{
	char big[RTPPD_MAX_LINE + 10], ck[200];

	bad("", true, RTPPD_E_SYNTAX, "empty");
	ck_assert_ptr_null(cookie);
	bad("  \r\n", true, RTPPD_E_SYNTAX, "empty");
	bad("cookie", true, RTPPD_E_SYNTAX, "empty");
	ck_assert_str_eq(cookie, "cookie");
	bad("", false, RTPPD_E_SYNTAX, "empty");
	memset(ck, 'k', 150);
	ck[150] = '\0';
	strcat(ck, " V");
	bad(ck, true, RTPPD_E_SYNTAX, "cookie longer");
	ck_assert_ptr_null(cookie);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = 'c';
	big[1] = ' ';
	big[sizeof(big) - 1] = '\0';
	bad(big, true, RTPPD_E_SYNTAX, "longer than 2047");
	bad("c U 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", true, RTPPD_E_NARGS, "more than 16");
	ck_assert_str_eq(cookie, "c");
	/* what follows a newline is not part of the command */
	ok("c V\nX", true);
	ck_assert_int_eq(req.cmd, RTPPD_CMD_V);
}
END_TEST

START_TEST(replies)
{
	char b[64];
	int64_t v[RTPPD_STAT_COUNT] = { 42, 100, 90, 190, 3 };

	ck_assert_uint_eq(rtppd_reply_str(b, sizeof(b), "7_1", RTPPD_BASE_VERSION), 13);
	ck_assert_str_eq(b, "7_1 20040107\n");
	rtppd_reply_str(b, sizeof(b), NULL, "1");
	ck_assert_str_eq(b, "1\n");
	rtppd_reply_error(b, sizeof(b), "c", RTPPD_E_NOSESS);
	ck_assert_str_eq(b, "c E50\n");
	rtppd_reply_error(b, sizeof(b), NULL, RTPPD_E_UNKNOWN);
	ck_assert_str_eq(b, "E0\n");
	rtppd_reply_port(b, sizeof(b), "c", 50002, ip("10.2.0.1"));
	ck_assert_str_eq(b, "c 50002 10.2.0.1\n");
	rtppd_reply_port(b, sizeof(b), "c", 0, ip("10.2.0.1"));
	ck_assert_str_eq(b, "c 0\n");

	ok("c Q cid ft tt", true);
	rtppd_reply_query(b, sizeof(b), cookie, &req, v);
	ck_assert_str_eq(b, "c 42 100 90 190 3\n");
	ok("c Qv cid ft tt", true);
	rtppd_reply_query(b, sizeof(b), cookie, &req, v);
	ck_assert_str_eq(b, "c ttl=42 npkts_ina=100 npkts_ino=90 nrelayed=190 ndropped=3\n");
	ok("c Q cid ft tt ndropped ttl", true);
	rtppd_reply_query(b, sizeof(b), cookie, &req, v);
	ck_assert_str_eq(b, "c 3 42\n");
	ok("c QV cid ft tt nrelayed", true);
	rtppd_reply_query(b, sizeof(b), cookie, &req, v);
	ck_assert_str_eq(b, "c nrelayed=190\n");

	/* too small a buffer: nothing, never a cut reply */
	ck_assert_uint_eq(rtppd_reply_str(b, 13, "7_1", RTPPD_BASE_VERSION), 0);
	ck_assert_uint_eq(rtppd_reply_str(b, 14, "7_1", RTPPD_BASE_VERSION), 13);
	ck_assert_uint_eq(rtppd_reply_port(b, 8, "c", 50002, ip("10.2.0.1")), 0);
	ck_assert_str_eq(rtppd_stat_name(RTPPD_STAT_NPKTS_INO), "npkts_ino");
	ck_assert_str_eq(rtppd_stat_name(99), "?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtpproxyd_proto");
	TCase *tc = tcase_create("proto");

	tcase_add_test(tc, version);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, offer);
	tcase_add_test(tc, offer_errors);
	tcase_add_test(tc, ids);
	tcase_add_test(tc, answer);
	tcase_add_test(tc, delete);
	tcase_add_test(tc, query);
	tcase_add_test(tc, info_and_x);
	tcase_add_test(tc, unknown);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, replies);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
