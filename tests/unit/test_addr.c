// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/addr.c: which addresses may be a client by their
 * value, and of kmod/params.c's use of it.
 *
 * UNIT-SRCS: ../../kmod/addr.c ../../kmod/params.c
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>
#include "unit.h"

#include "addr.h"
#include "params.h"

static int class_of(const char *text)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, text, &a), 1);
	return rtpp_addr_class(a.s_addr);
}

START_TEST(classes)
{
	ck_assert_int_eq(class_of("10.1.0.2"), RTPP_ADDR_UNICAST);
	ck_assert_int_eq(class_of("1.0.0.0"), RTPP_ADDR_UNICAST);
	ck_assert_int_eq(class_of("126.255.255.255"), RTPP_ADDR_UNICAST);
	ck_assert_int_eq(class_of("128.0.0.1"), RTPP_ADDR_UNICAST);
	ck_assert_int_eq(class_of("223.255.255.254"), RTPP_ADDR_UNICAST);
	/* a subnet's broadcast is the kernel's to tell (source.c) */
	ck_assert_int_eq(class_of("192.168.1.255"), RTPP_ADDR_UNICAST);

	ck_assert_int_eq(class_of("0.0.0.0"), RTPP_ADDR_ZERONET);
	ck_assert_int_eq(class_of("0.1.2.3"), RTPP_ADDR_ZERONET);
	ck_assert_int_eq(class_of("0.255.255.255"), RTPP_ADDR_ZERONET);
	ck_assert_int_eq(class_of("127.0.0.1"), RTPP_ADDR_LOOPBACK);
	ck_assert_int_eq(class_of("127.255.255.254"), RTPP_ADDR_LOOPBACK);
	ck_assert_int_eq(class_of("224.0.0.1"), RTPP_ADDR_MULTICAST);
	ck_assert_int_eq(class_of("239.255.255.255"), RTPP_ADDR_MULTICAST);
	ck_assert_int_eq(class_of("240.0.0.1"), RTPP_ADDR_RESERVED);
	ck_assert_int_eq(class_of("255.255.255.254"), RTPP_ADDR_RESERVED);
	ck_assert_int_eq(class_of("255.255.255.255"), RTPP_ADDR_BROADCAST);
}
END_TEST

START_TEST(messages)
{
	int c;

	for (c = RTPP_ADDR_ZERONET; c < __RTPP_ADDR_MAX; c++) {
		ck_assert_ptr_nonnull(strstr(rtpp_addr_strerror(c), "client address is "));
		ck_assert_str_ne(rtpp_addr_strerror(c), rtpp_addr_strerror(RTPP_ADDR_UNICAST));
	}
	ck_assert_ptr_nonnull(strstr(rtpp_addr_strerror(RTPP_ADDR_LOOPBACK), "loopback"));
	ck_assert_ptr_nonnull(strstr(rtpp_addr_strerror(RTPP_ADDR_LOCAL), "this host"));
}
END_TEST

/* The same rule for whoever builds parameters without netlink. */
START_TEST(params_refuse_what_no_client_may_be)
{
	static const char *const bad[] = {
		"127.0.0.1", "0.1.2.3", "224.0.0.5", "255.255.255.255", "240.0.0.1",
	};
	struct rtpp_params p;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.side[RTPP_SIDE_B].st[RTPP_RTCP].has_addr = true;
		inet_pton(AF_INET, bad[i], &p.side[RTPP_SIDE_B].st[RTPP_RTCP].addr);
		ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_ADDR);
	}
	memset(&p, 0, sizeof(p));
	p.side[RTPP_SIDE_A].st[RTPP_RTP].has_addr = true;
	inet_pton(AF_INET, "198.51.100.7", &p.side[RTPP_SIDE_A].st[RTPP_RTP].addr);
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_OK);
	/* 0.0.0.0 given: "unknown", not a client */
	p.side[RTPP_SIDE_A].st[RTPP_RTCP].has_addr = true;
	ck_assert_int_eq(rtpp_params_check(&p, true), RTPP_PARAMS_OK);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("class");

	tcase_add_test(tc, classes);
	tcase_add_test(tc, messages);
	tcase_add_test(tc, params_refuse_what_no_client_may_be);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
