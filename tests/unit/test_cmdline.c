// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/cmdline.c: parse_ulong() and parse_size() (include/kestrel/
 * lib.h), cmdline_get() and cmdline_has() (include/kestrel/bootinfo.h). Covered:
 * decimal and 0x-hex numbers, K/M/G suffixes in either case, where *end is left
 * (after the suffix, at trailing junk, at s when there are no digits), saturation
 * when a suffix or the digits overflow 64 bits, and word-boundary matching on the
 * command line ("xdom0_mem=1" is not "dom0_mem", "noreboots" is not "noreboot"),
 * value copying with truncation to the caller's buffer, and NULL/empty command lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>

/* fn(s) must return @val and stop @consumed characters in (a macro: failures show the caller's line). */
#define check_parse(fn, s, val, consumed) do {				\
	const char *s_ = (s), *end_ = NULL;					\
										\
	assert_int_equal(fn(s_, &end_), (val));					\
	assert_int_equal(end_ - s_, (consumed));				\
} while (0)
#define check_size(s, val, consumed)	check_parse(parse_size, s, val, consumed)
#define check_ulong(s, val, consumed)	check_parse(parse_ulong, s, val, consumed)

static void test_parse_size_suffixes(void **state)
{
	(void)state;
	check_size("512M", 512UL << 20, 4);
	check_size("1G", 1UL << 30, 2);
	check_size("3g", 3UL << 30, 2);
	check_size("64k", 64UL << 10, 3);
	check_size("64K", 64UL << 10, 3);
	check_size("768m", 768UL << 20, 4);
	check_size("4096", 4096, 4);
	check_size("0", 0, 1);
	check_size("0x1000", 0x1000, 6);
	check_size("0X20M", 0x20UL << 20, 5);
	check_size("0x1G", 1UL << 30, 4);
}

static void test_parse_size_stops_at_junk(void **state)
{
	(void)state;
	check_size("512Mfoo", 512UL << 20, 4);
	check_size("512 M", 512, 3);		/* the suffix must follow the digits */
	check_size("16T", 16, 2);		/* unknown suffix: not consumed */
	check_size("0x", 0, 1);			/* "0" then junk "x" */
	check_size("0xg", 0, 1);
	check_size("12.5G", 12, 2);
}

static void test_parse_size_garbage(void **state)
{
	(void)state;
	check_size("garbage", 0, 0);
	check_size("", 0, 0);
	check_size("M", 0, 0);
	check_size("-1", 0, 0);
	check_size(" 5", 0, 0);
}

/* Suffix overflow saturates to UINT64_MAX, which callers report as too large. */
static void test_parse_size_suffix_overflow_saturates(void **state)
{
	(void)state;
	check_size("17179869183G", 0xffffffffc0000000UL, 12);	/* (2^34 - 1) GiB: fits */
	check_size("17179869184G", UINT64_MAX, 12);		/* 2^34 GiB = 2^64 */
	check_size("17592186044416M", UINT64_MAX, 15);		/* 2^44 MiB */
	check_size("18014398509481984K", UINT64_MAX, 18);	/* 2^54 KiB */
	check_size("0xffffffffffffG", UINT64_MAX, 15);
}

/*
 * Regression (common/cmdline.c, parse_ulong): digits that overflow 64 bits used to wrap,
 * so "dom0_mem=18446744073709551617" was taken as 1 byte instead of being rejected as
 * too large. They saturate to UINT64_MAX, as suffix overflow does.
 */
static void test_parse_size_digit_overflow_saturates(void **state)
{
	(void)state;
	check_size("18446744073709551615", UINT64_MAX, 20);	/* 2^64 - 1: fits exactly */
	check_size("18446744073709551617", UINT64_MAX, 20);	/* 2^64 + 1 */
	check_size("0x10000000000000001", UINT64_MAX, 19);	/* 2^64 + 1 */
	check_size("18446744073709551616M", UINT64_MAX, 21);	/* wraps to 0 before the shift */
}

static void test_parse_ulong(void **state)
{
	(void)state;
	check_ulong("0", 0, 1);
	check_ulong("42", 42, 2);
	check_ulong("42abc", 42, 2);		/* a-f are not decimal digits */
	check_ulong("0755", 755, 4);		/* no octal */
	check_ulong("0xFF", 255, 4);
	check_ulong("0xdeadBEEF ", 0xdeadbeef, 10);
	check_ulong("0x", 0, 1);
	check_ulong("18446744073709551615", UINT64_MAX, 20);
	check_ulong("0xffffffffffffffff", UINT64_MAX, 18);
	check_ulong("", 0, 0);
	check_ulong("x1", 0, 0);
	check_ulong("G", 0, 0);
}

/* cmdline_get() into a roomy buffer; returns the copied value or NULL. */
static const char *get(const char *cmdline, const char *name)
{
	static char buf[64];
	const char *v;

	memset(buf, 'Z', sizeof(buf));
	v = cmdline_get(cmdline, name, buf, sizeof(buf));
	if (v)
		assert_ptr_equal(v, buf);
	return v;
}

static void test_cmdline_get(void **state)
{
	(void)state;
	assert_string_equal(get("console=hvc0 dom0_mem=512M noreboot", "dom0_mem"), "512M");
	assert_string_equal(get("dom0_mem=1G", "dom0_mem"), "1G");
	assert_string_equal(get("console=hvc0 dom0_mem=1G", "console"), "hvc0");
	assert_string_equal(get("   dom0_mem=2G   other", "dom0_mem"), "2G");
	assert_string_equal(get("a  dom0_mem=3G", "dom0_mem"), "3G");
	assert_string_equal(get("dtuart=/pl011@9000000 x", "dtuart"), "/pl011@9000000");
	assert_string_equal(get("a=b=c", "a"), "b=c");
	assert_string_equal(get("x=1 x=2", "x"), "1");		/* first one wins */
	assert_string_equal(get("dom0_mem= next", "dom0_mem"), "");
}

static void test_cmdline_get_word_boundaries(void **state)
{
	(void)state;
	assert_null(get("xdom0_mem=1", "dom0_mem"));
	assert_string_equal(get("xdom0_mem=1 dom0_mem=2", "dom0_mem"), "2");
	assert_string_equal(get("dom0_mem_max=3 dom0_mem=4", "dom0_mem"), "4");
	assert_null(get("dom0_mem_max=3", "dom0_mem"));
	assert_null(get("dom0_mem", "dom0_mem"));		/* bare word, no value */
	assert_null(get("dom0_me=1", "dom0_mem"));
	assert_null(get("foo=dom0_mem=1", "dom0_mem"));	/* inside another word's value */
	assert_null(get("", "dom0_mem"));
	assert_null(get(NULL, "dom0_mem"));
}

static void test_cmdline_get_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_ptr_equal(cmdline_get("v=123456789", "v", buf, 4), buf);
	assert_string_equal(buf, "123");
	assert_int_equal(buf[4], 'Z');			/* nothing written past len */
	assert_ptr_equal(cmdline_get("v=123", "v", buf, 1), buf);
	assert_string_equal(buf, "");
	assert_null(cmdline_get("v=123", "v", buf, 0));
	assert_ptr_equal(cmdline_get("v=1234567", "v", buf, sizeof(buf)), buf);
	assert_string_equal(buf, "1234567");
}

static void test_cmdline_has(void **state)
{
	(void)state;
	assert_true(cmdline_has("console=hvc0 noreboot", "noreboot"));
	assert_true(cmdline_has("noreboot", "noreboot"));
	assert_true(cmdline_has("noreboot dom0_mem=1G", "noreboot"));
	assert_true(cmdline_has("  noreboot  ", "noreboot"));
	assert_false(cmdline_has("noreboots", "noreboot"));
	assert_false(cmdline_has("xnoreboot", "noreboot"));
	assert_false(cmdline_has("noreboot=1", "noreboot"));	/* not a bare word */
	assert_false(cmdline_has("noreb", "noreboot"));
	assert_false(cmdline_has("a=noreboot", "noreboot"));
	assert_true(cmdline_has("noreboots noreboot", "noreboot"));
	assert_false(cmdline_has("", "noreboot"));
	assert_false(cmdline_has(NULL, "noreboot"));
}

/* The way dom0_build.c reads dom0_mem=. */
static void test_get_then_parse(void **state)
{
	char buf[32];
	const char *end;

	(void)state;
	assert_non_null(cmdline_get("console=hvc0 dom0_mem=768M", "dom0_mem", buf, sizeof(buf)));
	assert_int_equal(parse_size(buf, &end), 768UL << 20);
	assert_int_equal(*end, '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size_suffixes),
		cmocka_unit_test(test_parse_size_stops_at_junk),
		cmocka_unit_test(test_parse_size_garbage),
		cmocka_unit_test(test_parse_size_suffix_overflow_saturates),
		cmocka_unit_test(test_parse_size_digit_overflow_saturates),
		cmocka_unit_test(test_parse_ulong),
		cmocka_unit_test(test_cmdline_get),
		cmocka_unit_test(test_cmdline_get_word_boundaries),
		cmocka_unit_test(test_cmdline_get_truncates),
		cmocka_unit_test(test_cmdline_has),
		cmocka_unit_test(test_get_then_parse),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
