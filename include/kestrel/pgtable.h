/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PGTABLE_H
#define KESTREL_PGTABLE_H
/*
 * VMSAv8-64 translation tables with a 4 KiB granule, shared by the EL2 stage-1
 * map (mmu.c) and the stage-2 p2m (p2m.c). Descriptor formats: Arm ARM D8.3
 * ("Translation table descriptor formats"); stage-2 attributes: Arm ARM D8.5.
 *
 * Tables live in memory the hypervisor addresses 1:1 (VA == PA), so a table
 * descriptor's output address is also a pointer to the next-level table.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PTES_PER_TABLE		512

#define PTE_VALID		(1UL << 0)
#define PTE_TABLE		(1UL << 1)	/* at levels 0-2; "page" at level 3 */
#define PTE_TYPE_MASK		3UL
#define PTE_BLOCK		1UL
#define PTE_PAGE		3UL
#define PTE_ADDR_MASK		0x0000fffffffff000UL
#define PTE_AF			(1UL << 10)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_SH_OUTER		(2UL << 8)

/* EL2 stage-1 lower/upper attributes (Arm ARM D8.3.2). */
#define PTE_S1_ATTRIDX(i)	((uint64_t)(i) << 2)
#define PTE_S1_RO		(2UL << 6)	/* AP[2:1] = 0b10: read-only at EL2 */
#define PTE_S1_XN		(1UL << 54)

/* Stage-2 lower/upper attributes (Arm ARM D8.5.5, "Stage 2 memory type"). */
#define PTE_S2_MEMATTR_DEV_nGnRE	(1UL << 2)	/* MemAttr 0b0001 */
#define PTE_S2_MEMATTR_NORMAL_WB	(0xfUL << 2)	/* Outer WB, Inner WB */
#define PTE_S2_AP_R		(1UL << 6)
#define PTE_S2_AP_W		(2UL << 6)
#define PTE_S2_AP_RW		(3UL << 6)
#define PTE_S2_XN		(2UL << 53)	/* XN[1:0] = 0b10: not executable */

/**
 * struct pgtable - one translation regime's tables.
 * @root:        start-level table; may be @root_pages concatenated 4 KiB tables.
 * @root_pages:  1, 2, 4, ... concatenated root tables (stage 2 only, Arm ARM D8.2.7).
 * @start_level: level of @root (0..2).
 * @alloc_page:  returns a zeroed, 4 KiB aligned page or NULL (out of memory); gets @ctx.
 * @flush:       called after a valid entry covering [va, va + size) was removed, before
 *               it is replaced (break-before-make, Arm ARM D8.16.1); may be NULL while the
 *               tables are not live.
 * @ctx:         passed back to @alloc_page and @flush.
 */
struct pgtable {
	uint64_t *root;
	unsigned int root_pages;
	unsigned int start_level;
	void *(*alloc_page)(void *ctx);
	void (*flush)(void *ctx, uint64_t va, uint64_t size);
	void *ctx;
};

/**
 * pgtable_map() - map [va, va + size) to [pa, pa + size) with leaf attributes @attr.
 * @attr: descriptor bits other than the type and address (AF, SH, AttrIndx/MemAttr, AP, XN).
 *
 * Uses the largest block each sub-range allows (1 GiB, 2 MiB, 4 KiB), splits an
 * existing block when only part of it changes, and replaces existing mappings.
 * @attr == 0 unmaps. All of va, pa and size must be 4 KiB aligned.
 * Return: 0, -EINVAL on misaligned or out-of-range input, -ENOMEM if a table page
 * could not be allocated (the range may then be partly mapped).
 */
int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr);

/**
 * pgtable_lookup() - software walk of @va.
 * @pa_out:   receives the output address of @va (page offset included).
 * @attr_out: receives the leaf's attribute bits (may be NULL).
 * Return: true if @va is mapped.
 */
bool pgtable_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa_out, uint64_t *attr_out);

/** pgtable_va_bits() - input-address bits covered by @pt (e.g. 39 or 40). */
unsigned int pgtable_va_bits(const struct pgtable *pt);

#endif
