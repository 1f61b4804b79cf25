/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_CACHE_H
#define KESTREL_ASM_CACHE_H
#include <stdint.h>
#include <asm/sysregs.h>

/* Smallest data cache line, from CTR_EL0.DminLine (Arm ARM D17.2.34). */
static inline uint64_t dcache_line_size(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/** dcache_clean_range() - clean [va, va + size) to the Point of Coherency (DC CVAC). */
static inline void dcache_clean_range(uint64_t va, uint64_t size)
{
	uint64_t line = dcache_line_size();

	for (uint64_t a = va & ~(line - 1); a < va + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

/** dcache_clean_inval_range() - clean and invalidate [va, va + size) to PoC (DC CIVAC). */
static inline void dcache_clean_inval_range(uint64_t va, uint64_t size)
{
	uint64_t line = dcache_line_size();

	for (uint64_t a = va & ~(line - 1); a < va + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

/** icache_invalidate_all() - invalidate all instruction caches to PoU, Inner Shareable. */
static inline void icache_invalidate_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
#endif
