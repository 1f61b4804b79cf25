// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/mm.c, the page heap: pages come back zeroed and aligned as
 * asked, runs are contiguous and disjoint, frees return every page (the free count is
 * back to its value before), a double free or a foreign pointer is refused and frees
 * nothing, an added region serves runs the boot pool cannot (a 2 MiB-aligned run of
 * 2 MiB, a 1 GiB-aligned run is refused when none fits), and fragmentation is handled
 * first-fit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>

#define REGION_SIZE	(8 * SZ_2M)

static uint64_t free_now(void)
{
	uint64_t f;

	mm_stats(&f, NULL);
	return f;
}

static void test_alloc_zeroed_aligned_disjoint(void **state)
{
	uint64_t before = free_now();
	uint8_t *a = mm_alloc_page(), *b = mm_alloc_pages(3, 4 * PAGE_SIZE);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % PAGE_SIZE, 0);
	assert_int_equal((uintptr_t)b % (4 * PAGE_SIZE), 0);
	assert_true(a + PAGE_SIZE <= b || b + 3 * PAGE_SIZE <= a);
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		assert_int_equal(b[i], 0);
	memset(b, 0xaa, 3 * PAGE_SIZE);
	assert_int_equal(free_now(), before - 4);
	assert_int_equal(mm_free_pages(b, 3), 0);
	assert_int_equal(mm_free_page(a), 0);
	assert_int_equal(free_now(), before);
	b = mm_alloc_pages(3, 4 * PAGE_SIZE);	/* the same run again, zeroed again */
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		assert_int_equal(b[i], 0);
	assert_int_equal(mm_free_pages(b, 3), 0);
}

static void test_double_free_refused(void **state)
{
	uint8_t *a = mm_alloc_pages(2, PAGE_SIZE);
	uint64_t before;

	(void)state;
	assert_int_equal(mm_free_page(a + PAGE_SIZE), 0);
	before = free_now();
	assert_int_equal(mm_free_pages(a, 2), -EINVAL);	/* its second page is free already */
	assert_int_equal(free_now(), before);		/* and the first was not freed */
	assert_int_equal(mm_free_page(a), 0);
	assert_int_equal(mm_free_page(a), -EINVAL);
	assert_int_equal(mm_free_page((void *)(uintptr_t)0x1000), -EINVAL);
	assert_int_equal(mm_free_page(a + 1), -EINVAL);
	assert_null(mm_alloc_pages(0, PAGE_SIZE));
	assert_null(mm_alloc_pages(1, 3 * PAGE_SIZE));
}

static void *region_mem;	/* a heap region is never removed: reachable, not leaked */

static void test_region_serves_large_aligned_runs(void **state)
{
	void *mem = region_mem = aligned_alloc(SZ_2M, REGION_SIZE), *held[4];
	uint64_t total0, total1, free0 = 0;
	unsigned int n = 0;
	uint8_t *run;

	(void)state;
	/* Take every 2 MiB run the 4 MiB boot pool has left. */
	while (n < 4 && (held[n] = mm_alloc_pages(SZ_2M / PAGE_SIZE, SZ_2M)))
		n++;
	assert_true(n <= 2);
	mm_stats(&free0, &total0);
	assert_int_equal(mm_add_region((uintptr_t)mem, REGION_SIZE), 0);
	mm_stats(&free0, &total1);
	assert_int_equal(total1 - total0, REGION_SIZE / PAGE_SIZE);
	/* Its bitmap takes its first page, so the first 2 MiB run starts at 2 MiB. */
	run = mm_alloc_pages(SZ_2M / PAGE_SIZE, SZ_2M);
	assert_ptr_equal(run, (uint8_t *)mem + SZ_2M);
	assert_null(mm_alloc_pages(SZ_1G / PAGE_SIZE, SZ_1G));
	assert_int_equal(mm_free_pages(run, SZ_2M / PAGE_SIZE), 0);
	assert_int_equal(free_now(), free0);
	while (n)
		assert_int_equal(mm_free_pages(held[--n], SZ_2M / PAGE_SIZE), 0);
	assert_int_equal(mm_add_region(0x10000, 0x1000), -EINVAL);	/* no room for its bitmap */
	assert_int_equal(mm_add_region(~0UL - 0x1000, 0x4000), -EINVAL);	/* wraps */
}

static void test_first_fit_reuses_holes(void **state)
{
	void *p[64];
	uint64_t before = free_now();

	(void)state;
	for (int i = 0; i < 64; i++)
		assert_non_null(p[i] = mm_alloc_page());
	for (int i = 0; i < 64; i += 2)
		assert_int_equal(mm_free_page(p[i]), 0);
	for (int i = 0; i < 64; i += 2) {
		void *q = mm_alloc_page();

		assert_ptr_equal(q, p[i]);	/* lowest hole first */
	}
	for (int i = 0; i < 64; i++)
		assert_int_equal(mm_free_page(p[i]), 0);
	assert_int_equal(free_now(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_zeroed_aligned_disjoint),
		cmocka_unit_test(test_double_free_refused),
		cmocka_unit_test(test_first_fit_reuses_holes),
		cmocka_unit_test(test_region_serves_large_aligned_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
