// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for dom0_choose_bank() in common/dom0_mem.c (include/kestrel/dom0.h):
 * the choice of dom0's 1:1 RAM as the highest 2 MiB aligned range of the requested
 * size inside one RAM bank that overlaps no reserved range. Covered: a single bank,
 * reserved ranges at the top of RAM (hypervisor image, DTB, modules) including ones
 * with unaligned ends, several banks (highest wins, a bank too small or fully reserved
 * is skipped), size 0 or larger than all RAM (-EINVAL), RAM fragmented so that no
 * hole is big enough (-ENOSPC), exact fits of a bank and of a hole, a larger
 * alignment, and a seeded randomized comparison against a brute-force search.
 * dom0_place(): QEMU's layout (kernel at text_offset, initrd and DTB each on the next
 * 2 MiB boundary), an exact fit and one byte too many, and header or module sizes so
 * large that the old end-address sums wrapped past 2^64 (found by tests/fuzz).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/dom0.h>
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>

#define MB(x)	((uint64_t)(x) << 20)

static const struct membank qemu_ram[] = { { 0x40000000UL, 2 * SZ_1G } };	/* 2 GiB @ 1 GiB */

static void assert_bank(const struct membank *b, uint64_t start, uint64_t size)
{
	assert_int_equal(b->start, start);
	assert_int_equal(b->size, size);
}

static void test_single_bank_no_reserved(void **state)
{
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(qemu_ram, 1, NULL, 0, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0xa0000000UL, MB(512));
}

static void test_exact_fit_bank(void **state)
{
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(qemu_ram, 1, NULL, 0, 2 * SZ_1G, SZ_2M, &out), 0);
	assert_bank(&out, 0x40000000UL, 2 * SZ_1G);
}

/* Kestrel's image at the top of RAM, DTB and modules below it (unaligned ends). */
static void test_avoids_reserved(void **state)
{
	const struct membank resv[] = {
		{ 0xbfe00000UL, 0x200000UL },		/* hypervisor image, last 2 MiB */
		{ 0xbfdff000UL, 0x1000UL },		/* DTB, just below */
		{ 0x48000000UL, 0x1400000UL },		/* kernel module */
		{ 0x49400000UL, 0x800000UL },		/* initrd module */
	};
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(qemu_ram, 1, resv, 4, MB(512), SZ_2M, &out), 0);
	/* Highest 2 MiB aligned start whose end is <= 0xbfdff000. */
	assert_bank(&out, 0x9fc00000UL, MB(512));
	for (unsigned int i = 0; i < 4; i++)
		assert_true(out.start + out.size <= resv[i].start || resv[i].start + resv[i].size <= out.start);
}

/* A reservation in the middle: small sizes go above it, 3 GiB only fits below it. */
static void test_reserved_in_middle(void **state)
{
	const struct membank mem[] = { { 0x40000000UL, 4 * SZ_1G } };
	const struct membank resv[] = { { 0x100000000UL + 0x1234000UL, 0x10000UL } };
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 1, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0x120000000UL, MB(512));	/* top of the bank: above the reservation */
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 1, 3 * SZ_1G, SZ_2M, &out), 0);
	/* Below it: the end must stay <= 0x101234000, start 2 MiB aligned. */
	assert_bank(&out, 0x41200000UL, 3 * SZ_1G);
	/* Above only ~1 GiB, below ~3.02 GiB: 3.25 GiB fits nowhere. */
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 1, 3 * SZ_1G + MB(256), SZ_2M, &out), -ENOSPC);
}

/* An exact hole between two reservations. */
static void test_exact_fit_hole(void **state)
{
	const struct membank mem[] = { { 0x40000000UL, SZ_1G } };
	const struct membank resv[] = {
		{ 0x40000000UL, SZ_2M },
		{ 0x60200000UL, 0x80000000UL - 0x60200000UL },
	};
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 2, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0x40200000UL, MB(512));
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 2, MB(512) + SZ_2M, SZ_2M, &out), -ENOSPC);
}

static void test_multiple_banks(void **state)
{
	const struct membank mem[] = {
		{ 0x40000000UL, SZ_1G },
		{ 0x880000000UL, SZ_1G },	/* high bank wins */
		{ 0x80000000UL, MB(256) },	/* too small for 512M */
	};
	const struct membank resv_high[] = { { 0x8a0000000UL, SZ_2M } };
	const struct membank resv_all_high[] = { { 0x880000000UL, SZ_1G } };
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(mem, 3, NULL, 0, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0x8a0000000UL, MB(512));
	/* A 2 MiB hole at the top half of the high bank pushes dom0 below it. */
	assert_int_equal(dom0_choose_bank(mem, 3, resv_high, 1, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0x880000000UL, MB(512));
	/* High bank fully reserved: the low 1 GiB bank, not the small one. */
	assert_int_equal(dom0_choose_bank(mem, 3, resv_all_high, 1, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0x60000000UL, MB(512));
	/* 256M fits the small bank exactly, and it lies above the low bank. */
	assert_int_equal(dom0_choose_bank(mem, 3, resv_all_high, 1, MB(256), SZ_2M, &out), 0);
	assert_bank(&out, 0x80000000UL, MB(256));
}

static void test_larger_alignment(void **state)
{
	const struct membank mem[] = { { 0x40000000UL, 3 * SZ_1G } };
	const struct membank resv[] = { { 0xd0000000UL, 0x1000UL } };
	struct membank out;

	(void)state;
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 1, MB(512), SZ_1G, &out), 0);
	/* 1 GiB aligned: 0xc0000000 would cover the reservation, so the next one down. */
	assert_bank(&out, 0x80000000UL, MB(512));
	assert_int_equal(dom0_choose_bank(mem, 1, resv, 1, MB(512), SZ_2M, &out), 0);
	assert_bank(&out, 0xe0000000UL, MB(512));	/* 2 MiB aligned: the top */
}

static void test_too_big_or_zero(void **state)
{
	const struct membank mem[] = { { 0x40000000UL, SZ_1G }, { 0x100000000UL, SZ_1G } };
	struct membank out = { 0x1111, 0x2222 };

	(void)state;
	assert_int_equal(dom0_choose_bank(mem, 2, NULL, 0, 2 * SZ_1G + SZ_2M, SZ_2M, &out), -EINVAL);
	assert_int_equal(dom0_choose_bank(mem, 2, NULL, 0, 0, SZ_2M, &out), -EINVAL);
	assert_int_equal(dom0_choose_bank(mem, 0, NULL, 0, SZ_2M, SZ_2M, &out), -EINVAL);
	assert_bank(&out, 0x1111, 0x2222);	/* untouched on failure */
	/* Equal to total RAM but split over two banks: no single bank holds it. */
	assert_int_equal(dom0_choose_bank(mem, 2, NULL, 0, 2 * SZ_1G, SZ_2M, &out), -ENOSPC);
}

/* 2 GiB of RAM with a 4 KiB reservation every 256 MiB: 512 MiB fits nowhere. */
static void test_fragmented(void **state)
{
	struct membank resv[8], out;

	(void)state;
	for (unsigned int i = 0; i < 8; i++)
		resv[i] = (struct membank){ 0x40000000UL + MB(128) + i * MB(256), 0x1000 };
	assert_int_equal(dom0_choose_bank(qemu_ram, 1, resv, 8, MB(512), SZ_2M, &out), -ENOSPC);
	/* 254 MiB still fits: between the last two reservations' 2 MiB aligned ends. */
	assert_int_equal(dom0_choose_bank(qemu_ram, 1, resv, 8, MB(254), SZ_2M, &out), 0);
	assert_bank(&out, 0x40000000UL + MB(128) + 6 * MB(256) + SZ_2M, MB(254));
}

/* Brute force: the highest aligned start, scanning every aligned address of every bank. */
static int reference(const struct membank *mem, unsigned int nr_mem, const struct membank *resv,
		     unsigned int nr_resv, uint64_t size, uint64_t align, uint64_t *best)
{
	uint64_t total = 0;
	int found = 0;

	for (unsigned int i = 0; i < nr_mem; i++)
		total += mem[i].size;
	if (!size || size > total)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_mem; i++) {
		for (uint64_t a = ALIGN_UP(mem[i].start, align); a + size <= mem[i].start + mem[i].size;
		     a += align) {
			int ok = 1;

			for (unsigned int j = 0; j < nr_resv; j++)
				if (a < resv[j].start + resv[j].size && resv[j].start < a + size)
					ok = 0;
			if (ok && (!found || a > *best)) {
				*best = a;
				found = 1;
			}
		}
	}
	return found ? 0 : -ENOSPC;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dUL;

static uint64_t rnd(uint64_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

static void test_matches_brute_force(void **state)
{
	const uint64_t unit = 0x100000UL;	/* 1 MiB granules: unaligned vs the 2 MiB alignment */

	(void)state;
	for (unsigned int iter = 0; iter < 3000; iter++) {
		struct membank mem[3], resv[5], out;
		unsigned int nr_mem = 1 + rnd(3), nr_resv = rnd(6);
		uint64_t size = (1 + rnd(48)) * unit, best = 0, base = 0x40000000UL;
		int want, got;

		for (unsigned int i = 0; i < nr_mem; i++) {
			mem[i].start = base + rnd(8) * unit;
			mem[i].size = (1 + rnd(96)) * unit;
			base = mem[i].start + mem[i].size + rnd(64) * unit;
		}
		for (unsigned int i = 0; i < nr_resv; i++) {
			resv[i].start = 0x40000000UL - 8 * unit + rnd((base - 0x40000000UL) / unit + 16) * unit;
			resv[i].size = (1 + rnd(12)) * unit - (rnd(2) ? 0x1000 : 0);
		}
		want = reference(mem, nr_mem, resv, nr_resv, size, SZ_2M, &best);
		got = dom0_choose_bank(mem, nr_mem, resv, nr_resv, size, SZ_2M, &out);
		if (got != want || (!got && (out.start != best || out.size != size)))
			fail_msg("iteration %u: size 0x%lx: got %d start 0x%lx, want %d start 0x%lx", iter,
				 (unsigned long)size, got, (unsigned long)(got ? 0 : out.start), want,
				 (unsigned long)best);
	}
}

/* Debian's Image (text_offset 0, image_size 0x2010000) and initrd in 512 MiB at 0x60000000. */
static void test_place_layout(void **state)
{
	const struct membank bank = { 0x60000000UL, MB(512) };
	const struct kimage ki = { 0, 0x2010000 };
	struct dom0_layout at;

	(void)state;
	assert_int_equal(dom0_place(&bank, &ki, 0xf10d1, SZ_2M, &at), 0);
	assert_int_equal(at.kernel, 0x60000000UL);
	assert_int_equal(at.initrd, 0x62200000UL);
	assert_int_equal(at.fdt, 0x62400000UL);
}

/* The DTB's last byte on the bank's last byte fits; one byte more does not. */
static void test_place_exact_fit(void **state)
{
	const struct membank bank = { 0x60000000UL, MB(8) };
	const struct kimage ki = { 0x80000, MB(2) - 0x80000 };
	struct dom0_layout at;

	(void)state;
	assert_int_equal(dom0_place(&bank, &ki, MB(2), MB(4), &at), 0);
	assert_int_equal(at.fdt, 0x60400000UL);
	assert_int_equal(dom0_place(&bank, &ki, MB(2), MB(4) + 1, &at), -ENOSPC);
	assert_int_equal(dom0_place(&bank, &ki, MB(2) + 1, MB(4), &at), -ENOSPC);
}

/* Sizes whose sum with the bank address wraps: refused, never placed below the bank. */
static void test_place_wrapping_sizes(void **state)
{
	const struct membank bank = { 0x60000000UL, MB(512) };
	const struct kimage huge = { 0, 0xffffffffffffc000UL }, ok = { 0, MB(32) };
	struct dom0_layout at;

	(void)state;
	assert_int_equal(dom0_place(&bank, &huge, 0, SZ_2M, &at), -ENOSPC);
	assert_int_equal(dom0_place(&bank, &ok, ~0UL - MB(64), SZ_2M, &at), -ENOSPC);
	assert_int_equal(dom0_place(&bank, &ok, 0, ~0UL, &at), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_bank_no_reserved),
		cmocka_unit_test(test_exact_fit_bank),
		cmocka_unit_test(test_avoids_reserved),
		cmocka_unit_test(test_reserved_in_middle),
		cmocka_unit_test(test_exact_fit_hole),
		cmocka_unit_test(test_multiple_banks),
		cmocka_unit_test(test_larger_alignment),
		cmocka_unit_test(test_too_big_or_zero),
		cmocka_unit_test(test_fragmented),
		cmocka_unit_test(test_matches_brute_force),
		cmocka_unit_test(test_place_layout),
		cmocka_unit_test(test_place_exact_fit),
		cmocka_unit_test(test_place_wrapping_sizes),
	};

	return cmocka_run_group_tests_name("dom0_mem", tests, NULL, NULL);
}
