// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the GICv2 facts of arch/arm64/include/asm/gic-v2.h: gic_v2_cpu_window()
 * (arch/arm64/gic-v2-layout.c) on a fake physical address space laid out as QEMU's
 * xlnx-zcu102 GIC-400 (every 4 KiB page repeated over 64 KiB, 128 KiB frames in the DT),
 * as QEMU virt's GICv2 (plain 8 KiB pages in a 64 KiB frame) and as a GIC-400 whose DT frame
 * is 128 KiB without aliases (the second 64 KiB reads as zero); and the GICH_LR <-> Kestrel
 * list-register conversion (IHI 0048B 5.3.11): state, priority's top 5 bits, HW + pINTID,
 * Group 0, and the round trip of every field the vGIC core uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/gic-v2.h>

#define GIC400_IIDR	0x0202143bU	/* GIC-400 r0p2 as QEMU reports it (ProductID 0x2, Arm) */

enum layout { ALIASED_64K, PLAIN, PLAIN_128K };
static enum layout layout;
static uint64_t frame;
static unsigned int reads;

/* A 32-bit read of the fake GICC frame at @frame: page 0 holds GICC_IIDR at 0xfc. */
static uint32_t fake_read32(uint64_t pa)
{
	uint64_t off = pa - frame;

	reads++;
	if (layout == ALIASED_64K)
		off = (off / GICV2_ALIAS_STRIDE) * GICV2_PAGE + off % GICV2_PAGE;	/* page n repeats */
	else if (off >= 0x2000)
		return 0;	/* nothing behind the 8 KiB interface */
	return off == GICC_IIDR ? GIC400_IIDR : 0;
}

static void test_zynqmp_aliased_frames(void **state)
{
	(void)state;
	layout = ALIASED_64K;
	frame = 0xf9020000;	/* GICC */
	assert_int_equal(gic_v2_cpu_window(frame, 0x20000, fake_read32), 0xf902f000);
	frame = 0xf9060000;	/* GICV */
	assert_int_equal(gic_v2_cpu_window(frame, 0x20000, fake_read32), 0xf906f000);
}

static void test_virt_plain_frame(void **state)
{
	(void)state;
	layout = PLAIN;
	frame = 0x08010000;
	reads = 0;
	/* A 64 KiB frame cannot hold two 64 KiB copies: no read needed. */
	assert_int_equal(gic_v2_cpu_window(frame, 0x10000, fake_read32), 0x08010000);
	assert_int_equal(reads, 0);
	assert_int_equal(gic_v2_cpu_window(frame, 0x2000, fake_read32), 0x08010000);
}

static void test_128k_frame_without_aliases(void **state)
{
	(void)state;
	layout = PLAIN_128K;
	frame = 0xf9020000;
	assert_int_equal(gic_v2_cpu_window(frame, 0x20000, fake_read32), 0xf9020000);
}

static void test_frame_too_small(void **state)
{
	(void)state;
	layout = PLAIN;
	frame = 0x08010000;
	assert_int_equal(gic_v2_cpu_window(frame, 0x1000, fake_read32), 0);
}

static void test_lr_to_gich(void **state)
{
	uint64_t lr = 27 | VGIC_LR_PENDING | VGIC_LR_GROUP1 | (uint64_t)0xa0 << VGIC_LR_PRIO_SHIFT;

	(void)state;
	/* vINTID 27, pending (01), priority 0xa0 >> 3 = 0x14, Group 0, no HW. */
	assert_int_equal(gich_lr_from_vgic(lr), 27 | 1U << 28 | 0x14U << 23);
	lr = 48 | VGIC_LR_ACTIVE | VGIC_LR_HW | (uint64_t)48 << VGIC_LR_PINTID_SHIFT |
	     (uint64_t)0xf8 << VGIC_LR_PRIO_SHIFT;
	assert_int_equal(gich_lr_from_vgic(lr), 48U | 2U << 28 | 0x1fU << 23 | 1U << 31 | 48U << 10);
	lr = 1019 | VGIC_LR_PENDING | VGIC_LR_ACTIVE;
	assert_int_equal(gich_lr_from_vgic(lr), 1019U | 3U << 28);
}

static void test_gich_to_lr_round_trip(void **state)
{
	(void)state;
	for (unsigned int intid = 0; intid < 1020; intid += 7)
		for (unsigned int st = 0; st < 4; st++)
			for (unsigned int prio = 0; prio < 256; prio += 8)
				for (int hw = 0; hw < 2; hw++) {
					uint64_t lr = intid | (uint64_t)st << 62 | VGIC_LR_GROUP1 |
						      (uint64_t)prio << VGIC_LR_PRIO_SHIFT;

					if (hw)
						lr |= VGIC_LR_HW | (uint64_t)intid << VGIC_LR_PINTID_SHIFT;
					assert_int_equal(gich_lr_to_vgic(gich_lr_from_vgic(lr)), lr);
				}
	/* Priority bits [2:0] are not held by GICH_LR: they read back as 0. */
	assert_int_equal(gich_lr_to_vgic(gich_lr_from_vgic((uint64_t)0xa7 << VGIC_LR_PRIO_SHIFT)) >>
			 VGIC_LR_PRIO_SHIFT & 0xff, 0xa0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zynqmp_aliased_frames),
		cmocka_unit_test(test_virt_plain_frame),
		cmocka_unit_test(test_128k_frame_without_aliases),
		cmocka_unit_test(test_frame_too_small),
		cmocka_unit_test(test_lr_to_gich),
		cmocka_unit_test(test_gich_to_lr_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
