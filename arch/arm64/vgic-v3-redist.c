// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated GICv3 redistributors: one 128 KiB frame pair per vCPU (RD_base then
 * SGI_base, 64 KiB each), contiguous from the domain's GICR IPA, the last one
 * flagged in GICR_TYPER.Last. Register map: IHI 0069, 12.10 and 12.11. No LPIs.
 */
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

#define GICR_FRAME_SIZE		0x20000
#define GICR_SGI_BASE		0x10000
#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_PIDR2		0xffe8
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR0	0x0400
#define GICR_ICFGR0		0x0c00

#define TYPER_LAST		(1UL << 4)
#define WAKER_PROCESSOR_SLEEP	(1U << 1)
#define WAKER_CHILDREN_ASLEEP	(1U << 2)

static const struct {
	uint16_t base, len;
	uint8_t reg;
} sgi_groups[] = {
	{ GICR_IGROUPR0, 4, VGIC_IGROUPR },
	{ GICR_ISENABLER0, 4, VGIC_ISENABLER },
	{ GICR_ICENABLER0, 4, VGIC_ICENABLER },
	{ GICR_ISPENDR0, 4, VGIC_ISPENDR },
	{ GICR_ICPENDR0, 4, VGIC_ICPENDR },
	{ GICR_ISACTIVER0, 4, VGIC_ISACTIVER },
	{ GICR_ICACTIVER0, 4, VGIC_ICACTIVER },
	{ GICR_IPRIORITYR0, 32, VGIC_IPRIORITYR },
	{ GICR_ICFGR0, 8, VGIC_ICFGR },
};

static uint64_t redist_typer(const struct vcpu *t)
{
	uint64_t typer = (uint64_t)(t->vmpidr & 0xffffff) << 32 | (uint64_t)t->vcpu_id << 8;

	if (t->vcpu_id == t->domain->max_vcpus - 1)
		typer |= TYPER_LAST;
	return typer;
}

static void rd_access(struct vcpu *t, unsigned int off, unsigned int size, bool write, uint64_t *val)
{
	if (write) {
		if (off == GICR_WAKER)
			t->vgic.waker = *val & WAKER_PROCESSOR_SLEEP;
		return;
	}
	switch (off & ~7U) {
	case GICR_TYPER:
		*val = redist_typer(t) >> ((off & 4) * 8);
		if (size == 4)
			*val &= 0xffffffff;
		return;
	}
	switch (off) {
	case GICR_IIDR: *val = 0x43b; break;
	case GICR_WAKER:
		*val = t->vgic.waker | (t->vgic.waker ? WAKER_CHILDREN_ASLEEP : 0);
		break;
	case GICR_PIDR2: *val = 0x30; break;
	default: *val = 0; break;	/* CTLR (no LPIs), STATUSR, PROPBASER, PENDBASER: RAZ */
	}
}

static void sgi_access(struct vcpu *t, unsigned int off, unsigned int size, bool write, uint64_t *val)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sgi_groups); i++) {
		unsigned int rel = off - sgi_groups[i].base;

		if (off < sgi_groups[i].base || rel >= sgi_groups[i].len)
			continue;
		if (write)
			vgic_reg_write(t, sgi_groups[i].reg, 0, rel, size, *val);
		else
			*val = vgic_reg_read(t, sgi_groups[i].reg, 0, rel, size);
		return;
	}
	if (!write)
		*val = 0;	/* IGRPMODR0, NSACR: RAZ/WI */
}

bool vgic_redist_access(struct vcpu *v, uint64_t off, unsigned int size, bool write, uint64_t *val)
{
	struct domain *d = v->domain;
	uint64_t idx = off / GICR_FRAME_SIZE;
	unsigned int in_frame = off % GICR_FRAME_SIZE;
	struct vcpu *t;

	if (idx >= d->max_vcpus || !(t = d->vcpu[idx]))
		return false;
	if (in_frame >= GICR_SGI_BASE)
		sgi_access(t, in_frame - GICR_SGI_BASE, size, write, val);
	else
		rd_access(t, in_frame, size, write, val);
	return true;
}

/*
 * What a guest's access to the vGIC frames gets (documented policy; register map and
 * access rules: IHI 0069, 12.1 and the GICD/GICR register tables of 12.9-12.11):
 *
 * - sizes the architecture allows (IHI 0069, 12.1.3): 32-bit everywhere, 64-bit for
 *   GICD_IROUTER<n> and GICR_TYPER, bytes for the priority registers; naturally
 *   aligned. Any other size or alignment is refused and the guest gets a data abort
 *   (an access with no valid syndrome is refused before it gets here: aborts.c);
 * - offsets in the 64 KiB GICD frame or a vCPU's GICR frames that hold no register
 *   Kestrel implements (reserved, IMPLEMENTATION DEFINED, ITARGETSR/NSACR/IGRPMODR, the
 *   LPI registers) read as zero and ignore writes, as RES0 locations;
 * - registers of interrupts the domain does not have (INTIDs past GICD_TYPER's
 *   ITLinesNumber, IROUTER of 1020 and up, the SGI/PPI part of the GICD banks while
 *   affinity routing is on) read as zero and ignore writes;
 * - GICR frames past the domain's last vCPU hold no redistributor: data abort.
 */
static bool size_ok(const struct vgic_dist *dist, uint64_t ipa, unsigned int size)
{
	uint64_t d = ipa - dist->dist_base, r = (ipa - dist->redist_base) % GICR_FRAME_SIZE;
	bool in_dist = d < 0x10000, in_redist = !in_dist && ipa >= dist->redist_base;

	if (ipa & (size - 1))
		return false;
	switch (size) {
	case 4:
		return true;
	case 8:
		return (in_dist && d >= 0x6100 && d < 0x7fe0) || (in_redist && r == GICR_TYPER);
	case 1:
		return (in_dist && d >= 0x400 && d < 0x800) ||
		       (in_redist && r >= GICR_SGI_BASE + GICR_IPRIORITYR0 &&
			r < GICR_SGI_BASE + GICR_IPRIORITYR0 + 32);
	}
	return false;
}

bool vgic_mmio_covers(const struct domain *d, uint64_t ipa)
{
	return ipa - d->vgic.dist_base < 0x10000 ||
	       ipa - d->vgic.redist_base < (uint64_t)d->max_vcpus * GICR_FRAME_SIZE;
}

bool vgic_mmio_access(struct vcpu *v, uint64_t ipa, unsigned int size, bool write, uint64_t *val)
{
	struct vgic_dist *dist = &v->domain->vgic;
	bool handled = true;

	if (!vgic_mmio_covers(v->domain, ipa) || !size_ok(dist, ipa, size))
		return false;
	spin_lock(&dist->lock);
	if (ipa - dist->dist_base < 0x10000)
		vgic_dist_access(v, ipa - dist->dist_base, size, write, val);
	else
		handled = vgic_redist_access(v, ipa - dist->redist_base, size, write, val);
	spin_unlock(&dist->lock);
	return handled;
}
