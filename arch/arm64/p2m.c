// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 translation for domains (see include/kestrel/p2m.h).
 * VTCR_EL2 fields: Arm ARM D17.2.170. TLB maintenance after a change to a live
 * stage-2 entry: TLBI IPAS2E1IS then TLBI VMALLE1IS (Arm ARM D8.16.5).
 */
#include <asm/sysregs.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/p2m.h>

#define VTCR_RES1	BIT(31)
#define VTCR_T0SZ	(64 - P2M_IPA_BITS)
#define VTCR_SL0_L1	(1UL << 6)
#define VTCR_WBWA_IS	((1UL << 8) | (1UL << 10) | (3UL << 12))

static const uint64_t p2m_attr[] = {
	/* Outer Shareable, the most relaxed: the guest's stage 1 decides (seed 001). */
	[P2M_RAM] = PTE_AF | PTE_SH_OUTER | PTE_S2_MEMATTR_NORMAL_WB | PTE_S2_AP_RW,
	[P2M_MMIO] = PTE_AF | PTE_S2_MEMATTR_DEV_nGnRE | PTE_S2_AP_RW | PTE_S2_XN,
	[P2M_MAGIC] = PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR_NORMAL_WB | PTE_S2_AP_RW | PTE_S2_XN,
};

uint64_t p2m_vtcr(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)
		parange = 5;
	return VTCR_RES1 | VTCR_T0SZ | VTCR_SL0_L1 | VTCR_WBWA_IS | (parange << 16);
}

uint64_t p2m_vttbr(const struct p2m *p2m)
{
	return ((uint64_t)p2m->vmid << 48) | (uintptr_t)p2m->pt.root;
}

/* Invalidate stage-2 (and combined) TLB entries of this VMID for [ipa, ipa + size). */
static void p2m_flush(void *ctx, uint64_t ipa, uint64_t size)
{
	struct p2m *p2m = ctx;
	uint64_t saved = read_sysreg(vttbr_el2);

	dsb(ishst);
	write_sysreg(p2m_vttbr(p2m), vttbr_el2);
	isb();
	if (size > 64 * PAGE_SIZE) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	} else {
		for (uint64_t a = ipa; a < ipa + size; a += PAGE_SIZE)
			__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(a >> 12) : "memory");
		dsb(ish);
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
	}
	dsb(ish);
	write_sysreg(saved, vttbr_el2);
	isb();
}

unsigned int p2m_pool_pages(uint64_t ram, unsigned int nr_mmio)
{
	return (unsigned int)(2 + ALIGN_UP(ram, SZ_1G) / SZ_1G + 2 + ALIGN_UP(ram, SZ_2M) / SZ_2M +
			      2 * nr_mmio);
}

/* Table pages come from the domain's pool, in order; pgtable_map() frees none. */
static void *p2m_alloc_page(void *ctx)
{
	struct p2m *p2m = ctx;

	if (p2m->pool_used == p2m->pool_pages)
		return NULL;
	return p2m->pool + (uint64_t)p2m->pool_used++ * PAGE_SIZE;	/* zeroed by mm_alloc_pages() */
}

int p2m_init(struct p2m *p2m, uint16_t vmid, unsigned int pool_pages)
{
	if (pool_pages < 2)
		return -EINVAL;
	p2m->pool = mm_alloc_pages(pool_pages, 2 * PAGE_SIZE);	/* root: concatenated, 8 KiB aligned */
	if (!p2m->pool)
		return -ENOMEM;
	p2m->pool_pages = pool_pages;
	p2m->pool_used = 2;
	p2m->pt.root = (uint64_t *)p2m->pool;
	p2m->pt.root_pages = 2;
	p2m->pt.start_level = 1;
	p2m->pt.alloc_page = p2m_alloc_page;
	p2m->pt.flush = p2m_flush;
	p2m->pt.ctx = p2m;
	p2m->vmid = vmid;
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
		p2m->last_vcpu_ran[i] = UINT16_MAX;	/* none yet: the first load flushes */
	return 0;
}

void p2m_teardown(struct p2m *p2m)
{
	if (!p2m->pool)
		return;
	p2m_flush(p2m, 0, 1UL << P2M_IPA_BITS);
	mm_free_pages(p2m->pool, p2m->pool_pages);
	p2m->pool = NULL;
	p2m->pt.root = NULL;
}

int p2m_map(struct p2m *p2m, uint64_t ipa, uint64_t pa, uint64_t size, enum p2m_type type)
{
	int err = pgtable_map(&p2m->pt, ipa, pa, size, p2m_attr[type]);

	dsb(ishst);
	return err;
}

int p2m_unmap(struct p2m *p2m, uint64_t ipa, uint64_t size)
{
	int err = pgtable_map(&p2m->pt, ipa, 0, size, 0);

	dsb(ishst);
	return err;
}

bool p2m_lookup(struct p2m *p2m, uint64_t ipa, uint64_t *pa)
{
	return pgtable_lookup(&p2m->pt, ipa, pa, NULL);
}

bool p2m_lookup_ram(struct p2m *p2m, uint64_t ipa, uint64_t *pa)
{
	uint64_t attr;

	return pgtable_lookup(&p2m->pt, ipa, pa, &attr) && attr == p2m_attr[P2M_RAM];
}
