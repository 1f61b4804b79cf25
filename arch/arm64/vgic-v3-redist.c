// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated GICv3 redistributors: one 128 KiB frame pair per vCPU (RD_base then
 * SGI_base, 64 KiB each), contiguous from the domain's GICR IPA, the last one
 * flagged in GICR_TYPER.Last. Register map: IHI 0069, 12.10 and 12.11. No LPIs.
 */
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

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

static const struct sgi_group {
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

static uint64_t rd_read(struct vcpu *t, unsigned int off, unsigned int size)
{
	switch (off & ~7U) {
	case GICR_TYPER: {
		uint64_t typer = redist_typer(t) >> ((off & 4) * 8);

		return size == 4 ? (uint32_t)typer : typer;
	}
	}
	switch (off) {
	case GICR_IIDR: return 0x43b;
	case GICR_WAKER: return t->vgic.waker | (t->vgic.waker ? WAKER_CHILDREN_ASLEEP : 0);
	case GICR_PIDR2: return 0x30;
	}
	return 0;	/* CTLR (no LPIs), STATUSR, PROPBASER, PENDBASER: RAZ */
}

static void rd_write(struct vcpu *t, unsigned int off, uint64_t val)
{
	if (off == GICR_WAKER)
		t->vgic.waker = val & WAKER_PROCESSOR_SLEEP;
}

/* The SGI_base register group holding @off, or NULL (IGRPMODR0, NSACR...: RAZ/WI). */
static const struct sgi_group *sgi_group_of(unsigned int off, unsigned int *rel)
{
	const struct sgi_group *g;

	_Static_assert(GICR_ICACTIVER0 == GICR_IGROUPR0 + 6 * 0x80, "bitmap groups");
	if (off >= GICR_IGROUPR0 && off < GICR_IPRIORITYR0)
		g = &sgi_groups[off / 0x80 - 1];	/* one register each, at 0x80-byte steps */
	else if (off >= GICR_IPRIORITYR0 && off < GICR_IPRIORITYR0 + 32)
		g = &sgi_groups[7];
	else if (off >= GICR_ICFGR0 && off < GICR_ICFGR0 + 8)
		g = &sgi_groups[8];
	else
		return NULL;
	*rel = off - g->base;
	return *rel < g->len ? g : NULL;
}

/*
 * Access widths the architecture allows (IHI 0069, 12.1.3): naturally aligned 32-bit
 * everywhere, 64-bit for GICR_TYPER, bytes for GICR_IPRIORITYR<n>. @off is within a
 * vCPU's 128 KiB frame pair.
 */
static bool redist_size_ok(unsigned int off, unsigned int size)
{
	if (off & (size - 1))
		return false;
	return size == 4 || (size == 8 && off == GICR_TYPER) ||
	       (size == 1 && off >= GICR_SGI_BASE + GICR_IPRIORITYR0 &&
		off < GICR_SGI_BASE + GICR_IPRIORITYR0 + 32);
}

/* The vCPU whose frame pair holds @off, or NULL (past the last vCPU: the access aborts). */
static struct vcpu *redist_vcpu(struct vcpu *v, uint64_t off)
{
	uint64_t idx = off / GICR_FRAME_SIZE;

	return idx < v->domain->max_vcpus ? v->domain->vcpu[idx] : NULL;
}

/*
 * A 32-bit access to GICR_IS/ICENABLER0 or GICR_IS/ICPENDR0, the SGI-frame registers Linux
 * touches most: decoded before the others. Return: the group (VGIC_ISENABLER ..
 * VGIC_ICPENDR), or 0.
 */
static inline unsigned int sgi_bitmap_reg(unsigned int in_frame, unsigned int size)
{
	unsigned int off = in_frame - GICR_SGI_BASE;

	_Static_assert(GICR_ISENABLER0 / 0x80 - 1 == VGIC_ISENABLER && GICR_ICPENDR0 / 0x80 - 1 == VGIC_ICPENDR,
		       "groups at 0x80-byte steps, in enum vgic_reg order");
	if (off - GICR_ISENABLER0 >= GICR_ISACTIVER0 - GICR_ISENABLER0 || (off & 0x7f) || size != 4)
		return 0;
	return off / 0x80 - 1;
}

static struct mmio_read redist_read(struct vcpu *v, uint64_t off, unsigned int size)
{
	unsigned int in_frame = off % GICR_FRAME_SIZE, rel, reg;
	struct vcpu *t = redist_vcpu(v, off);
	const struct sgi_group *g;
	uint64_t val = 0;

	if (t && (reg = sgi_bitmap_reg(in_frame, size)))
		return vgic_bitmap_mmio_read(t, reg, 0);
	if (!t || !redist_size_ok(in_frame, size))
		return (struct mmio_read){ 0, false };
	if (in_frame < GICR_SGI_BASE)
		return (struct mmio_read){ rd_read(t, in_frame, size), true };
	if ((g = sgi_group_of(in_frame - GICR_SGI_BASE, &rel))) {
		spin_lock(&v->domain->vgic.lock);
		val = vgic_reg_read(t, g->reg, 0, rel, size);
		spin_unlock(&v->domain->vgic.lock);
	}
	return (struct mmio_read){ val, true };
}

static bool redist_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	unsigned int in_frame = off % GICR_FRAME_SIZE, rel, reg;
	struct vcpu *t = redist_vcpu(v, off);
	const struct sgi_group *g;

	if (!t)
		return false;
	if (in_frame >= GICR_SGI_BASE) {
		/* The SGI frame's registers Linux writes, decoded first. */
		unsigned int sgi = in_frame - GICR_SGI_BASE;

		if ((reg = sgi_bitmap_reg(in_frame, size)))
			return vgic_bitmap_mmio_write(t, reg, 0, val);
		if (sgi - GICR_ICFGR0 < 8 && size == 4 && !(sgi & 3))
			return vgic_icfgr_mmio_write(t, (sgi - GICR_ICFGR0) * 4, val);
		if (sgi - GICR_IPRIORITYR0 < 32 && (size == 4 || size == 1) && !(sgi & (size - 1)))
			return vgic_priority_mmio_write(t, sgi - GICR_IPRIORITYR0, size, val);
	}
	if (!redist_size_ok(in_frame, size))
		return false;
	if (in_frame < GICR_SGI_BASE) {
		rd_write(t, in_frame, val);
	} else if ((g = sgi_group_of(in_frame - GICR_SGI_BASE, &rel))) {
		spin_lock(&v->domain->vgic.lock);
		vgic_reg_write(t, g->reg, 0, rel, size, val);
		spin_unlock(&v->domain->vgic.lock);
	}
	return true;
}

/* The emulated GICv3 redistributors: one frame pair per vCPU. */
static const struct mmio_ops vgic_v3_redist_ops = { .read = redist_read, .write = redist_write };

/*
 * What a guest's access to the vGIC frames gets (documented policy; register map and
 * access rules: IHI 0069, 12.1 and the GICD/GICR register tables of 12.9-12.11):
 *
 * - sizes the architecture allows (IHI 0069, 12.1.3): 32-bit everywhere, 64-bit for
 *   GICD_IROUTER<n> and GICR_TYPER, bytes for the priority registers; naturally
 *   aligned. Any other size or alignment is refused and the guest gets a data abort
 *   (an access with no valid syndrome is refused before it gets here: aborts.c;
 *   vgic-v3-dist.c checks GICD's, redist_size_ok() GICR's);
 * - offsets in the 64 KiB GICD frame or a vCPU's GICR frames that hold no register
 *   Kestrel implements (reserved, IMPLEMENTATION DEFINED, ITARGETSR/NSACR/IGRPMODR, the
 *   LPI registers) read as zero and ignore writes, as RES0 locations;
 * - registers of interrupts the domain does not have (INTIDs past GICD_TYPER's
 *   ITLinesNumber, IROUTER of 1020 and up, the SGI/PPI part of the GICD banks while
 *   affinity routing is on) read as zero and ignore writes;
 * - GICR frames past the domain's last vCPU hold no redistributor: data abort.
 */
int vgic_v3_add_mmio(struct domain *d)
{
	int ret = domain_add_mmio(d, d->vgic.dist_base, VGIC_V3_DIST_SIZE, &vgic_v3_dist_ops);

	return ret ? ret : domain_add_mmio(d, d->vgic.redist_base,
					   (uint64_t)d->max_vcpus * GICR_FRAME_SIZE, &vgic_v3_redist_ops);
}
