// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/string.c, Kestrel's memset() and memmove(), built here under other
 * names (the host's own stay in use by cmocka and the sanitizers): every length from 0 to
 * 200 bytes at every alignment 0-15 of the destination (and of the source), checked byte
 * for byte against a plain loop, with guard bytes on either side untouched; memmove with
 * the ranges overlapping in both directions and by every distance up to 72 bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define memset kestrel_memset
#define memmove kestrel_memmove
#include "../../common/string.c"
#undef memset
#undef memmove

#define BUF	320
#define GUARD	0xa5

static void fill_pattern(unsigned char *b, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void test_memset_every_length_and_alignment(void **state)
{
	unsigned char buf[BUF], ref[BUF];

	for (size_t off = 0; off < 16; off++)
		for (size_t len = 0; len <= 200; len++) {
			for (size_t i = 0; i < BUF; i++)
				buf[i] = ref[i] = GUARD;
			for (size_t i = 0; i < len; i++)
				ref[off + 8 + i] = 0x3c;
			assert_ptr_equal(kestrel_memset(buf + off + 8, 0x13c, len), buf + off + 8);	/* int: low byte */
			assert_memory_equal(buf, ref, BUF);
		}
}

/* memmove of @len bytes from @src to @dst offsets in one buffer, against a copy made through a temporary. */
static void check_move(size_t dst, size_t src, size_t len)
{
	unsigned char buf[BUF], ref[BUF], tmp[BUF];

	fill_pattern(buf, BUF, (unsigned int)(dst + src + len));
	for (size_t i = 0; i < BUF; i++)
		ref[i] = buf[i];
	for (size_t i = 0; i < len; i++)
		tmp[i] = ref[src + i];
	for (size_t i = 0; i < len; i++)
		ref[dst + i] = tmp[i];
	assert_ptr_equal(kestrel_memmove(buf + dst, buf + src, len), buf + dst);
	assert_memory_equal(buf, ref, BUF);
}

static void test_memmove_disjoint(void **state)
{
	for (size_t a = 0; a < 16; a++)
		for (size_t b = 0; b < 16; b++)
			for (size_t len = 0; len <= 100; len++) {
				check_move(a, 150 + b, len);
				check_move(150 + a, b, len);
			}
}

static void test_memmove_overlapping_both_ways(void **state)
{
	for (size_t dist = 1; dist <= 72; dist++)
		for (size_t base = 0; base < 16; base++)
			for (size_t len = 0; len <= 200; len += 1) {
				check_move(base + dist, base, len);	/* destination above: backwards */
				check_move(base, base + dist, len);	/* destination below: forwards */
			}
}

static void test_memmove_onto_itself(void **state)
{
	for (size_t len = 0; len <= 200; len++)
		check_move(5, 5, len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memset_every_length_and_alignment),
		cmocka_unit_test(test_memmove_disjoint),
		cmocka_unit_test(test_memmove_overlapping_both_ways),
		cmocka_unit_test(test_memmove_onto_itself),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
