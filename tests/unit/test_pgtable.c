// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/pgtable.c (include/kestrel/pgtable.h), built for the host.
 * Tables come from a fake allocator that hands out zeroed, 4 KiB aligned host pages
 * (host heap pointers are below 2^48, so they fit a table descriptor's address field)
 * and can be told to run dry. Covered: pgtable_va_bits() for stage-2 40-bit (two
 * concatenated level-1 roots), 39-bit and stage-1 48-bit layouts; pgtable_map()
 * choosing 1 GiB blocks, 2 MiB blocks and 4 KiB pages (checked by walking the
 * descriptors directly, not only through pgtable_lookup()); splitting 1 GiB and 2 MiB
 * blocks when part of them is remapped, with break-before-make flushes; unmapping;
 * replacing a table by a block; -EINVAL for misaligned or out-of-range input; -ENOMEM
 * when the allocator fails; and pgtable_lookup() of unmapped addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/errno.h>
#include <kestrel/pgtable.h>

#define SZ_4K	0x1000UL
#define SZ_2M	0x200000UL
#define SZ_1G	0x40000000UL

/* Stage-2 normal RW memory, and a device read-only XN mapping (upper bits included). */
#define ATTR_A	(PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR_NORMAL_WB | PTE_S2_AP_RW)
#define ATTR_B	(PTE_AF | PTE_S2_MEMATTR_DEV_nGnRE | PTE_S2_AP_R | PTE_S2_XN)

#define MAX_PAGES	4096
#define MAX_FLUSH	64

static struct {
	void *pages[MAX_PAGES];
	unsigned int nr;
	int fail_after;		/* allocations allowed before returning NULL; -1: never fail */
} alloc;

static struct {
	uint64_t va, size;
	int still_mapped;	/* pgtable_lookup(va) at the time of the flush */
} flushes[MAX_FLUSH];
static unsigned int nr_flush;

static struct pgtable pt;
static int flush_ctx_cookie;

static void *fake_alloc_page(void *ctx)
{
	void *p;

	if (alloc.fail_after >= 0 && alloc.nr >= (unsigned int)alloc.fail_after)
		return NULL;
	assert_true(alloc.nr < MAX_PAGES);
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(p);
	memset(p, 0, PAGE_SIZE);
	alloc.pages[alloc.nr++] = p;
	return p;
}

static void record_flush(void *ctx, uint64_t va, uint64_t size)
{
	uint64_t pa;

	assert_ptr_equal(ctx, &flush_ctx_cookie);
	assert_true(nr_flush < MAX_FLUSH);
	flushes[nr_flush].va = va;
	flushes[nr_flush].size = size;
	flushes[nr_flush].still_mapped = pgtable_lookup(&pt, va, &pa, NULL);
	nr_flush++;
}

static void new_pt(unsigned int root_pages, unsigned int start_level)
{
	size_t bytes = root_pages * PAGE_SIZE;

	pt.root = aligned_alloc(bytes, bytes);
	assert_non_null(pt.root);
	memset(pt.root, 0, bytes);
	pt.root_pages = root_pages;
	pt.start_level = start_level;
	pt.alloc_page = fake_alloc_page;
	pt.flush = record_flush;
	pt.ctx = &flush_ctx_cookie;
}

static int setup(void **state)
{
	(void)state;
	memset(&alloc, 0, sizeof(alloc));
	alloc.fail_after = -1;
	memset(&pt, 0, sizeof(pt));
	nr_flush = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < alloc.nr; i++)
		free(alloc.pages[i]);
	free(pt.root);
	pt.root = NULL;
	return 0;
}

static uint64_t *table_of(uint64_t desc)
{
	assert_int_equal(desc & PTE_TYPE_MASK, PTE_VALID | PTE_TABLE);
	return (uint64_t *)(uintptr_t)(desc & PTE_ADDR_MASK);
}

static uint64_t lookup_pa(uint64_t va, uint64_t *attr)
{
	uint64_t pa = ~0UL;

	assert_true(pgtable_lookup(&pt, va, &pa, attr));
	return pa;
}

static void assert_unmapped(uint64_t va)
{
	uint64_t pa;

	assert_false(pgtable_lookup(&pt, va, &pa, NULL));
}

static int flushed(uint64_t va, uint64_t size)
{
	for (unsigned int i = 0; i < nr_flush; i++)
		if (flushes[i].va == va && flushes[i].size == size)
			return 1;
	return 0;
}

/* Every flush happened after its entry was removed (break-before-make). */
static void assert_flushes_after_break(void)
{
	for (unsigned int i = 0; i < nr_flush; i++)
		assert_false(flushes[i].still_mapped);
}

static void test_va_bits(void **state)
{
	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_va_bits(&pt), 40);
	free(pt.root);
	new_pt(1, 1);
	assert_int_equal(pgtable_va_bits(&pt), 39);
	free(pt.root);
	new_pt(1, 0);
	assert_int_equal(pgtable_va_bits(&pt), 48);
	free(pt.root);
	new_pt(4, 1);
	assert_int_equal(pgtable_va_bits(&pt), 41);
	free(pt.root);
	new_pt(1, 2);
	assert_int_equal(pgtable_va_bits(&pt), 30);
}

/* 40-bit: a 1 GiB aligned range in the second concatenated root page is one level-1 block. */
static void test_1g_block_40bit(void **state)
{
	const uint64_t va = 0x8040000000UL, pa = 0x140000000UL;
	uint64_t attr;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_1G, ATTR_A), 0);
	assert_int_equal(alloc.nr, 0);
	assert_int_equal(pt.root[513], pa | ATTR_A | PTE_BLOCK);	/* 0x80_4000_0000 >> 30 */
	for (unsigned int i = 0; i < 1024; i++)
		if (i != 513)
			assert_int_equal(pt.root[i], 0);
	assert_int_equal(lookup_pa(va, &attr), pa);
	assert_int_equal(attr, ATTR_A);
	assert_int_equal(lookup_pa(va + SZ_1G - SZ_4K + 0x123, NULL), pa + SZ_1G - SZ_4K + 0x123);
	assert_unmapped(va - SZ_4K);
	assert_unmapped(va + SZ_1G);
	assert_int_equal(nr_flush, 0);
}

/* 39-bit: one root page of 512 level-1 entries; the last GiB is index 511. */
static void test_1g_block_39bit(void **state)
{
	const uint64_t va = 0x7fc0000000UL, pa = 0x40000000UL;

	(void)state;
	new_pt(1, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_1G, ATTR_B), 0);
	assert_int_equal(alloc.nr, 0);
	assert_int_equal(pt.root[511], pa | ATTR_B | PTE_BLOCK);
	assert_int_equal(lookup_pa(va + 0x2345678, NULL), pa + 0x2345678);
	assert_int_equal(pgtable_map(&pt, 0x8000000000UL, pa, SZ_1G, ATTR_B), -EINVAL);
}

static void test_2m_blocks(void **state)
{
	const uint64_t va = 0x40200000UL, pa = 0x80600000UL;
	uint64_t *l2, attr;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, 2 * SZ_2M, ATTR_A), 0);
	assert_int_equal(alloc.nr, 1);
	l2 = table_of(pt.root[1]);
	assert_ptr_equal(l2, alloc.pages[0]);
	assert_int_equal(l2[0], 0);
	assert_int_equal(l2[1], pa | ATTR_A | PTE_BLOCK);
	assert_int_equal(l2[2], (pa + SZ_2M) | ATTR_A | PTE_BLOCK);
	assert_int_equal(l2[3], 0);
	assert_int_equal(lookup_pa(va + SZ_2M + 0x1fffff, &attr), pa + SZ_2M + 0x1fffff);
	assert_int_equal(attr, ATTR_A);
	assert_unmapped(va - 1);
	assert_unmapped(va + 2 * SZ_2M);
}

/* 4 KiB below a 2 MiB boundary, a 2 MiB block, then 4 KiB above the next boundary. */
static void test_4k_edges(void **state)
{
	const uint64_t va = 0x401ff000UL, pa = 0x901ff000UL, size = SZ_4K + SZ_2M + SZ_4K;
	uint64_t *l2, *l3a, *l3b;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, size, ATTR_A), 0);
	assert_int_equal(alloc.nr, 3);
	l2 = table_of(pt.root[1]);
	l3a = table_of(l2[0]);
	assert_int_equal(l2[1], (pa + SZ_4K) | ATTR_A | PTE_BLOCK);
	l3b = table_of(l2[2]);
	assert_int_equal(l3a[511], pa | ATTR_A | PTE_PAGE);
	assert_int_equal(l3b[0], (pa + SZ_4K + SZ_2M) | ATTR_A | PTE_PAGE);
	for (unsigned int i = 0; i < 511; i++)
		assert_int_equal(l3a[i], 0);
	for (unsigned int i = 1; i < 512; i++)
		assert_int_equal(l3b[i], 0);
	assert_int_equal(l2[3], 0);
	assert_unmapped(va - SZ_4K);
	assert_unmapped(va + size);
	assert_int_equal(lookup_pa(va + size - 1, NULL), pa + size - 1);
}

/* A range spanning a 1 GiB boundary gets a 2 MiB block, a 1 GiB block and a 4 KiB page. */
static void test_mixed_sizes(void **state)
{
	const uint64_t va = 0x3fe00000UL, pa = 0x13fe00000UL, size = SZ_2M + SZ_1G + SZ_4K;
	uint64_t *l2lo, *l2hi, *l3;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, size, ATTR_A), 0);
	l2lo = table_of(pt.root[0]);
	assert_int_equal(l2lo[511], pa | ATTR_A | PTE_BLOCK);
	assert_int_equal(pt.root[1], (pa + SZ_2M) | ATTR_A | PTE_BLOCK);
	l2hi = table_of(pt.root[2]);
	l3 = table_of(l2hi[0]);
	assert_int_equal(l3[0], (pa + SZ_2M + SZ_1G) | ATTR_A | PTE_PAGE);
	assert_int_equal(l3[1], 0);
	assert_int_equal(alloc.nr, 3);
}

/* va is 1 GiB aligned but pa only 4 KiB aligned: nothing bigger than a page can be used. */
static void test_4k_when_pa_misaligned(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80001000UL, size = 2 * SZ_2M;
	uint64_t *l2;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, size, ATTR_A), 0);
	assert_int_equal(alloc.nr, 3);
	l2 = table_of(pt.root[1]);
	for (unsigned int t = 0; t < 2; t++) {
		uint64_t *l3 = table_of(l2[t]);

		for (unsigned int i = 0; i < 512; i++)
			assert_int_equal(l3[i], (pa + t * SZ_2M + i * SZ_4K) | ATTR_A | PTE_PAGE);
	}
	assert_int_equal(l2[2], 0);
}

static void test_split_2m_block(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL, new_pa = 0x90000000UL;
	uint64_t *l2, *l3, attr;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_2M, ATTR_B), 0);
	l2 = table_of(pt.root[1]);
	assert_int_equal(l2[0], pa | ATTR_B | PTE_BLOCK);
	assert_int_equal(nr_flush, 0);

	assert_int_equal(pgtable_map(&pt, va + 3 * SZ_4K, new_pa, SZ_4K, ATTR_A), 0);
	assert_int_equal(alloc.nr, 2);
	l3 = table_of(l2[0]);
	assert_ptr_equal(l3, alloc.pages[1]);
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t expect_pa = i == 3 ? new_pa : pa + i * SZ_4K;
		uint64_t expect_attr = i == 3 ? ATTR_A : ATTR_B;

		assert_int_equal(l3[i], expect_pa | expect_attr | PTE_PAGE);
		assert_int_equal(lookup_pa(va + i * SZ_4K + 0x10, &attr), expect_pa + 0x10);
		assert_int_equal(attr, expect_attr);
	}
	/* The block's whole range was flushed first, after the block entry was cleared. */
	assert_true(nr_flush >= 1);
	assert_int_equal(flushes[0].va, va);
	assert_int_equal(flushes[0].size, SZ_2M);
	for (unsigned int i = 0; i < nr_flush; i++)
		assert_true(flushes[i].va >= va && flushes[i].va + flushes[i].size <= va + SZ_2M);
	assert_flushes_after_break();
}

static void test_split_1g_block(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL, page = va + SZ_2M + SZ_4K;
	uint64_t *l2, *l3, attr;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_1G, ATTR_A), 0);
	assert_int_equal(pt.root[1] & PTE_TYPE_MASK, PTE_BLOCK);
	assert_int_equal(pgtable_map(&pt, page, 0x1000000UL, SZ_4K, ATTR_B), 0);
	assert_int_equal(alloc.nr, 2);
	l2 = table_of(pt.root[1]);
	for (unsigned int i = 0; i < 512; i++)
		if (i != 1)
			assert_int_equal(l2[i], (pa + i * SZ_2M) | ATTR_A | PTE_BLOCK);
	l3 = table_of(l2[1]);
	for (unsigned int i = 0; i < 512; i++)
		if (i != 1)
			assert_int_equal(l3[i], (pa + SZ_2M + i * SZ_4K) | ATTR_A | PTE_PAGE);
	assert_int_equal(l3[1], 0x1000000UL | ATTR_B | PTE_PAGE);
	assert_int_equal(lookup_pa(page + 8, &attr), 0x1000008UL);
	assert_int_equal(attr, ATTR_B);
	assert_int_equal(lookup_pa(va + SZ_1G - 1, &attr), pa + SZ_1G - 1);
	assert_int_equal(attr, ATTR_A);
	assert_int_equal(flushes[0].va, va);
	assert_int_equal(flushes[0].size, SZ_1G);
	assert_true(flushed(va + SZ_2M, SZ_2M));
	assert_flushes_after_break();
}

/* Without a flush callback (tables not live yet) a split still works. */
static void test_split_without_flush(void **state)
{
	(void)state;
	new_pt(1, 1);
	pt.flush = NULL;
	assert_int_equal(pgtable_map(&pt, 0, 0x80000000UL, SZ_2M, ATTR_A), 0);
	assert_int_equal(pgtable_map(&pt, SZ_4K, 0x90000000UL, SZ_4K, ATTR_A), 0);
	assert_int_equal(lookup_pa(SZ_4K, NULL), 0x90000000UL);
	assert_int_equal(lookup_pa(2 * SZ_4K, NULL), 0x80002000UL);
}

static void test_unmap(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL;
	uint64_t *l2;
	unsigned int allocs;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, 2 * SZ_2M, ATTR_A), 0);

	/* One page inside the first block. */
	assert_int_equal(pgtable_map(&pt, va + 5 * SZ_4K, 0, SZ_4K, 0), 0);
	assert_unmapped(va + 5 * SZ_4K);
	assert_int_equal(lookup_pa(va + 4 * SZ_4K, NULL), pa + 4 * SZ_4K);
	assert_int_equal(lookup_pa(va + 6 * SZ_4K, NULL), pa + 6 * SZ_4K);
	assert_true(flushed(va, SZ_2M));
	assert_true(flushed(va + 5 * SZ_4K, SZ_4K));

	/* The whole second block. */
	nr_flush = 0;
	assert_int_equal(pgtable_map(&pt, va + SZ_2M, 0, SZ_2M, 0), 0);
	l2 = table_of(pt.root[1]);
	assert_int_equal(l2[1], 0);
	assert_unmapped(va + SZ_2M);
	assert_unmapped(va + 2 * SZ_2M - 1);
	assert_int_equal(nr_flush, 1);
	assert_int_equal(flushes[0].va, va + SZ_2M);
	assert_int_equal(flushes[0].size, SZ_2M);
	assert_flushes_after_break();

	/* Unmapping what is not mapped allocates nothing and flushes nothing. */
	nr_flush = 0;
	allocs = alloc.nr;
	assert_int_equal(pgtable_map(&pt, 0x100000000UL, 0, SZ_1G + SZ_4K, 0), 0);
	assert_int_equal(alloc.nr, allocs);
	assert_int_equal(nr_flush, 0);
	assert_int_equal(pt.root[4], 0);
	assert_int_equal(pt.root[5], 0);

	/* A whole GiB over a table: the table entry goes, everything under it is unmapped. */
	assert_int_equal(pgtable_map(&pt, va, 0, SZ_1G, 0), 0);
	assert_int_equal(pt.root[1], 0);
	assert_unmapped(va + 4 * SZ_4K);
	assert_true(flushed(va, SZ_1G));
}

/* Mapping a whole 2 MiB range over 4 KiB pages replaces their table by one block. */
static void test_block_replaces_table(void **state)
{
	const uint64_t va = 0x40000000UL;
	uint64_t *l2;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, 0x80000000UL, 2 * SZ_4K, ATTR_A), 0);
	l2 = table_of(pt.root[1]);
	(void)table_of(l2[0]);
	assert_int_equal(pgtable_map(&pt, va, 0xa0000000UL, SZ_2M, ATTR_B), 0);
	assert_int_equal(l2[0], 0xa0000000UL | ATTR_B | PTE_BLOCK);
	assert_int_equal(lookup_pa(va + SZ_4K, NULL), 0xa0001000UL);
	assert_true(flushed(va, SZ_2M));
	assert_flushes_after_break();
}

/* Rewriting an identical entry needs no flush; changing its attributes does. */
static void test_remap_flushes_only_on_change(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL;
	uint64_t attr;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_2M, ATTR_A), 0);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_2M, ATTR_A), 0);
	assert_int_equal(nr_flush, 0);
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_2M, ATTR_B), 0);
	assert_int_equal(nr_flush, 1);
	assert_int_equal(flushes[0].va, va);
	assert_int_equal(flushes[0].size, SZ_2M);
	assert_flushes_after_break();
	assert_int_equal(lookup_pa(va, &attr), pa);
	assert_int_equal(attr, ATTR_B);
}

static void test_einval_misaligned(void **state)
{
	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, 0x40000001UL, 0x80000000UL, SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000UL, 0x80000800UL, SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000UL, 0x80000000UL, 0x10, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000UL, 0x80000000UL, SZ_2M + 8, ATTR_A), -EINVAL);
	assert_int_equal(alloc.nr, 0);
	for (unsigned int i = 0; i < 1024; i++)
		assert_int_equal(pt.root[i], 0);
}

static void test_einval_out_of_range(void **state)
{
	const uint64_t top40 = 1UL << 40;

	(void)state;
	new_pt(2, 1);
	assert_int_equal(pgtable_map(&pt, top40, 0, SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, top40 - SZ_4K, 0, 2 * SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, SZ_4K, 0, ~0xfffUL, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0, 1UL << 48, SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(alloc.nr, 0);
	/* The very last page is in range. */
	assert_int_equal(pgtable_map(&pt, top40 - SZ_4K, 0x5000UL, SZ_4K, ATTR_A), 0);
	assert_true(pt.root[1023] & PTE_VALID);
	assert_int_equal(lookup_pa(top40 - 1, NULL), 0x5fffUL);
	free(pt.root);

	new_pt(1, 1);	/* 39 bits: what was fine above is now out of range */
	assert_int_equal(pgtable_map(&pt, 1UL << 39, 0, SZ_4K, ATTR_A), -EINVAL);
	assert_int_equal(pgtable_map(&pt, (1UL << 39) - SZ_1G, 0, SZ_1G, ATTR_A), 0);
}

static void test_enomem(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL;
	uint64_t attr;

	(void)state;
	new_pt(2, 1);
	alloc.fail_after = 0;
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_4K, ATTR_A), -ENOMEM);
	assert_unmapped(va);
	alloc.fail_after = 1;	/* the level-2 table, not the level-3 one */
	assert_int_equal(pgtable_map(&pt, va, pa, SZ_4K, ATTR_A), -ENOMEM);
	assert_unmapped(va);

	/* A split that cannot get its table leaves the block as it was. */
	alloc.fail_after = -1;
	assert_int_equal(pgtable_map(&pt, va + SZ_2M, pa, SZ_2M, ATTR_A), 0);
	alloc.fail_after = (int)alloc.nr;
	nr_flush = 0;
	assert_int_equal(pgtable_map(&pt, va + SZ_2M + SZ_4K, 0x1000UL, SZ_4K, ATTR_B), -ENOMEM);
	assert_int_equal(lookup_pa(va + SZ_2M + SZ_4K, &attr), pa + SZ_4K);
	assert_int_equal(attr, ATTR_A);
	assert_int_equal(table_of(pt.root[1])[1], pa | ATTR_A | PTE_BLOCK);
	assert_int_equal(nr_flush, 0);
}

static void test_lookup_unmapped(void **state)
{
	uint64_t pa = 0x1234;

	(void)state;
	new_pt(2, 1);
	assert_false(pgtable_lookup(&pt, 0, &pa, NULL));
	assert_false(pgtable_lookup(&pt, 0x40000000UL, &pa, NULL));
	assert_int_equal(pgtable_map(&pt, 0x40000000UL, 0x80000000UL, SZ_4K, ATTR_A), 0);
	/* Same level-3 table, neighbouring invalid entry; and the next 2 MiB. */
	assert_false(pgtable_lookup(&pt, 0x40001000UL, &pa, NULL));
	assert_false(pgtable_lookup(&pt, 0x40200000UL, &pa, NULL));
	/* Beyond va_bits, even with low bits that alias a mapped entry. */
	assert_false(pgtable_lookup(&pt, (1UL << 40) | 0x40000000UL, &pa, NULL));
	assert_true(pgtable_lookup(&pt, 0x40000fffUL, &pa, NULL));
	assert_int_equal(pa, 0x80000fffUL);
}

/* Stage-1 48-bit (start level 0): level 0 never holds a block, even for 512 GiB. */
static void test_48bit_level0_has_no_blocks(void **state)
{
	uint64_t *l1;

	(void)state;
	new_pt(1, 0);
	assert_int_equal(pgtable_map(&pt, 0x8040000000UL, 0x40000000UL, SZ_1G, ATTR_A), 0);
	l1 = table_of(pt.root[1]);
	assert_int_equal(l1[1], 0x40000000UL | ATTR_A | PTE_BLOCK);
	assert_int_equal(pgtable_map(&pt, 0, 0, 512 * SZ_1G, ATTR_B), 0);
	l1 = table_of(pt.root[0]);
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(l1[i], (i * SZ_1G) | ATTR_B | PTE_BLOCK);
	assert_int_equal(alloc.nr, 2);
	assert_int_equal(lookup_pa(0x7fffffffffUL, NULL), 0x7fffffffffUL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_va_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1g_block_40bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1g_block_39bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_2m_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4k_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4k_when_pa_misaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_2m_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_1g_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_without_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_replaces_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remap_flushes_only_on_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_einval_misaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_einval_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_unmapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_48bit_level0_has_no_blocks, setup, teardown),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
