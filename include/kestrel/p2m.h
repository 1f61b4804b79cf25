/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_P2M_H
#define KESTREL_P2M_H
/*
 * p2m: a domain's stage-2 translation, IPA -> PA, 40-bit IPA, 4 KiB granule,
 * starting at level 1 with two concatenated root tables (Arm ARM D8.2.7, VTCR_EL2
 * D17.2.170). Each domain has its own VMID.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/pgtable.h>

#define P2M_IPA_BITS	40

/** enum p2m_type - how a range is mapped into the guest. */
enum p2m_type {
	P2M_RAM,	/* Normal WB, Outer Shareable, RWX: the guest's stage 1 decides */
	P2M_MMIO,	/* Device-nGnRE, RW, XN: passthrough device */
	P2M_MAGIC,	/* Normal WB RW XN: hypervisor page (shared info, grant frames) */
};

/**
 * struct p2m - a stage-2 table and its VMID.
 * @pool:       the domain's own run of @pool_pages pages: the root tables, then every
 *              table page its p2m will ever use (taken in order, @pool_used so far).
 *              A domain that maps too much runs out of its own pool, never anyone
 *              else's memory (the class of Xen XSA-409).
 */
struct p2m {
	struct pgtable pt;
	uint8_t *pool;
	unsigned int pool_pages, pool_used;
	uint16_t vmid;
	uint16_t last_vcpu_ran[CONFIG_NR_CPUS];	/* per pCPU: vCPU id whose TLB entries it may hold */
};

/**
 * p2m_pool_pages() - table pages a domain with @ram bytes of RAM and @nr_mmio other
 * mapped ranges (devices, grant and magic frames) gets: the 2 root pages, one level-2
 * table per GiB of RAM (+2 for unaligned ends), one level-3 table per 2 MiB of RAM (so
 * every block may be split into pages, e.g. by XENMEM_add_to_physmap), and a level-2
 * plus a level-3 table per other range. Kestrel's own sizing (Xen 4.17 instead gives
 * dom0less domUs 4 MiB per vCPU + RAM/256, xen/arch/arm/domain_build.c).
 */
unsigned int p2m_pool_pages(uint64_t ram, unsigned int nr_mmio);

/**
 * p2m_init() - take a pool of @pool_pages pages (at least 2) from the heap and the root
 * tables from it. Return 0, -EINVAL (@pool_pages < 2) or -ENOMEM.
 */
int p2m_init(struct p2m *p2m, uint16_t vmid, unsigned int pool_pages);

/**
 * p2m_teardown() - the domain is gone: invalidate every TLB entry of its VMID on all
 * pCPUs, then give its pool back to the heap. It must not run anywhere any more.
 */
void p2m_teardown(struct p2m *p2m);

/**
 * p2m_map() - map guest [ipa, ipa + size) to [pa, pa + size) as @type (4 KiB aligned).
 * Replacing a live mapping invalidates the stale TLB entries of this VMID.
 * Return: 0, -EINVAL (alignment or IPA beyond 40 bits), -ENOMEM (the domain's pool
 * of table pages is used up; the range may be partly mapped).
 */
int p2m_map(struct p2m *p2m, uint64_t ipa, uint64_t pa, uint64_t size, enum p2m_type type);

/**
 * p2m_unmap() - unmap guest [ipa, ipa + size) (4 KiB aligned), invalidating its TLB entries
 * of this VMID. Return: 0, -EINVAL (alignment or IPA beyond 40 bits), -ENOMEM (a block to
 * split and the pool used up: nothing unmapped in that block).
 */
int p2m_unmap(struct p2m *p2m, uint64_t ipa, uint64_t size);

/** p2m_lookup() - PA mapped at @ipa (offset kept); false if unmapped. */
bool p2m_lookup(struct p2m *p2m, uint64_t ipa, uint64_t *pa);

/** p2m_lookup_ram() - p2m_lookup() that is true only where @ipa maps RAM (P2M_RAM). */
bool p2m_lookup_ram(struct p2m *p2m, uint64_t ipa, uint64_t *pa);

/** p2m_vttbr() - VTTBR_EL2 value for this p2m (VMID in bits 63:48). */
uint64_t p2m_vttbr(const struct p2m *p2m);

/** p2m_vtcr() - VTCR_EL2 value Kestrel uses for every domain. */
uint64_t p2m_vtcr(void);
#endif
