// SPDX-License-Identifier: Apache-2.0
/*
 * Optional stage-1 identity map for the ktest guest. The guest boots and runs its
 * first pass of checks with the MMU off; the second pass runs with this map on, as
 * an OS would: 39-bit VA, 4 KiB granule, one level-1 table of 1 GiB blocks, VA == IPA.
 * The GiBs holding our RAM bank are Normal write-back memory, everything else
 * Device-nGnRnE. Descriptor formats: Arm ARM D8.3; MAIR/TCR/SCTLR fields: D17.2.
 */
#include "ktest.h"

#define GIB			(1UL << 30)
#define MAIR_DEVICE_nGnRnE	0x00
#define MAIR_NORMAL_WB		0xff
#define ATTR_DEVICE		0	/* MAIR_EL1 attribute indices */
#define ATTR_NORMAL		1

#define PTE_BLOCK		1UL
#define PTE_ATTRIDX(i)		((uint64_t)(i) << 2)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_AF			(1UL << 10)
#define PTE_PXN			(1UL << 53)
#define PTE_UXN			(1UL << 54)

#define TCR_T0SZ(bits)		(64UL - (bits))
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_EPD1		(1UL << 23)	/* no TTBR1 walks */
#define TCR_IPS_40BIT		(2UL << 32)

#define SCTLR_M			(1UL << 0)
#define SCTLR_C			(1UL << 2)
#define SCTLR_I			(1UL << 12)

static uint64_t l1_table[512] __attribute__((aligned(4096)));

int mmu_is_on(void)
{
	uint64_t sctlr;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	return sctlr & SCTLR_M;
}

/* Identity-map the low 512 GiB; @ram: an address in our RAM bank (Normal memory from there). */
void mmu_enable_identity(uint64_t ram)
{
	uint64_t sctlr, ram_gib = ram / GIB;

	if (mmu_is_on())
		return;
	for (uint64_t i = 0; i < 512; i++) {
		/* The bank (512 MiB, 2 MiB aligned) may straddle a GiB boundary. */
		int normal = i == ram_gib || i == ram_gib + 1;

		l1_table[i] = i * GIB | PTE_BLOCK | PTE_AF |
			      (normal ? PTE_ATTRIDX(ATTR_NORMAL) | PTE_SH_INNER
				      : PTE_ATTRIDX(ATTR_DEVICE) | PTE_PXN | PTE_UXN);
	}
	/*
	 * The table was written with the MMU off (non-cacheable) and walks will be
	 * cacheable: QEMU has no caches to maintain; on hardware this would need a
	 * DC IVAC of the table and of everything written so far.
	 */
	__asm__ volatile("msr mair_el1, %0" : : "r"((uint64_t)MAIR_DEVICE_nGnRnE << (8 * ATTR_DEVICE) |
						     (uint64_t)MAIR_NORMAL_WB << (8 * ATTR_NORMAL)));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_T0SZ(39) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
						    TCR_SH0_INNER | TCR_EPD1 | TCR_IPS_40BIT));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)l1_table));
	__asm__ volatile("dsb ish\n\tisb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");
}

/*
 * Remap GiB @gib of the live identity map as Normal memory (@normal) or Device, with
 * break-before-make (Arm ARM D8.16.1): invalid entry, TLB invalidation, new entry.
 */
void mmu_remap_gib(uint64_t gib, int normal)
{
	if (gib >= 512)
		return;
	l1_table[gib] = 0;
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
	l1_table[gib] = gib * GIB | PTE_BLOCK | PTE_AF |
			(normal ? PTE_ATTRIDX(ATTR_NORMAL) | PTE_SH_INNER
				: PTE_ATTRIDX(ATTR_DEVICE) | PTE_PXN | PTE_UXN);
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}
