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
	P2M_RAM,	/* Normal WB, Inner+Outer Shareable, RWX: the guest's stage 1 decides */
	P2M_MMIO,	/* Device-nGnRE, RW, XN: passthrough device */
	P2M_MAGIC,	/* Normal WB RW XN: hypervisor page (shared info, grant frames) */
};

/** struct p2m - a stage-2 table and its VMID. */
struct p2m {
	struct pgtable pt;
	uint16_t vmid;
	uint16_t last_vcpu_ran[CONFIG_NR_CPUS];	/* per pCPU: vCPU id whose TLB entries it may hold */
};

/** p2m_init() - allocate the root tables. Return 0 or -ENOMEM. */
int p2m_init(struct p2m *p2m, uint16_t vmid);

/**
 * p2m_map() - map guest [ipa, ipa + size) to [pa, pa + size) as @type (4 KiB aligned).
 * Replacing a live mapping invalidates the stale TLB entries of this VMID.
 * Return: 0, -EINVAL (alignment or IPA beyond 40 bits), -ENOMEM.
 */
int p2m_map(struct p2m *p2m, uint64_t ipa, uint64_t pa, uint64_t size, enum p2m_type type);

/** p2m_lookup() - PA mapped at @ipa (offset kept); false if unmapped. */
bool p2m_lookup(struct p2m *p2m, uint64_t ipa, uint64_t *pa);

/** p2m_vttbr() - VTTBR_EL2 value for this p2m (VMID in bits 63:48). */
uint64_t p2m_vttbr(const struct p2m *p2m);

/** p2m_vtcr() - VTCR_EL2 value Kestrel uses for every domain. */
uint64_t p2m_vtcr(void);
#endif
