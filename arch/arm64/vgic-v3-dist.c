// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated GICv3 distributor (GICD), trapped as stage-2 data aborts.
 * Register map: Arm GIC architecture specification IHI 0069, 12.9 (Table 12-25).
 * Affinity routing is always on (ARE = 1), one security state, Group 1 only; no LPIs.
 */
#include <asm/gic.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_TYPER2		0x000c
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8

#define CTLR_ENABLE_G1		(1U << 0)
#define CTLR_ENABLE_G1A		(1U << 1)
#define CTLR_ARE		(1U << 4)
#define PIDR2_ARCH_GICV3	0x30
#define IROUTER_VALID		0xff80ffffffUL	/* Aff3 [39:32], IRM [31], Aff2..Aff0 */
#define KESTREL_IIDR		0x0000043b	/* implementer JEP106 0x43b (Arm), as QEMU's */

/* Bitmap register groups in GICD, each covering 1024 INTIDs. */
static const struct dist_group {
	uint16_t base, len;
	uint8_t reg;
} dist_groups[] = {
	{ GICD_IGROUPR, 0x80, VGIC_IGROUPR },
	{ GICD_ISENABLER, 0x80, VGIC_ISENABLER },
	{ GICD_ICENABLER, 0x80, VGIC_ICENABLER },
	{ GICD_ISPENDR, 0x80, VGIC_ISPENDR },
	{ GICD_ICPENDR, 0x80, VGIC_ICPENDR },
	{ GICD_ISACTIVER, 0x80, VGIC_ISACTIVER },
	{ GICD_ICACTIVER, 0x80, VGIC_ICACTIVER },
	{ GICD_IPRIORITYR, 0x400, VGIC_IPRIORITYR },
	{ GICD_ICFGR, 0x100, VGIC_ICFGR },
};

static uint32_t dist_typer(const struct domain *d)
{
	unsigned int lines = (d->vgic.nr_spis + VGIC_NR_PRIVATE + 31) / 32 - 1;

	/* ITLinesNumber, CPUNumber (for legacy software), IDbits = 9 (10-bit INTIDs). */
	return lines | ((d->max_vcpus - 1) & 7) << 5 | 9U << 19;
}

/*
 * The register group holding @off, or NULL. The seven bitmap groups sit at 0x80-byte
 * steps from IGROUPR (0x080) to ICACTIVER (0x380): their index is off / 0x80 - 1.
 */
static const struct dist_group *dist_group_of(unsigned int off, unsigned int *rel)
{
	const struct dist_group *g;

	_Static_assert(GICD_ICACTIVER == GICD_IGROUPR + 6 * 0x80, "bitmap groups");
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		g = &dist_groups[off / 0x80 - 1];
	else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		g = &dist_groups[7];
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		g = &dist_groups[8];
	else
		return NULL;
	*rel = off - g->base;
	return g;
}

static bool is_irouter(unsigned int off)
{
	return off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * 1020;
}

/*
 * Access widths the architecture allows (IHI 0069, 12.1.3): naturally aligned 32-bit
 * everywhere, 64-bit for GICD_IROUTER<n>, bytes for GICD_IPRIORITYR<n>.
 */
static bool dist_size_ok(unsigned int off, unsigned int size)
{
	if (off & (size - 1))
		return false;
	return size == 4 || (size == 8 && is_irouter(off)) ||
	       (size == 1 && off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400);
}

/* SGIs and PPIs are banked in the redistributor when ARE = 1: RAZ/WI in GICD. */
static bool is_private(const struct dist_group *g, unsigned int rel)
{
	/* The first 32 INTIDs' bytes: 4 at one bit each, 32 at eight, 8 at two. */
	return rel < (g->reg == VGIC_IPRIORITYR ? 32U : g->reg == VGIC_ICFGR ? 8U : 4U);
}

static struct vgic_irq *irouter_irq(struct vcpu *v, unsigned int off)
{
	return vgic_get_irq(v, (off - GICD_IROUTER) / 8);
}

/* Per-interrupt registers, under the domain's vGIC lock (out of line: off the ID path). */
static __attribute__((noinline)) uint64_t dist_irq_read(struct vcpu *v, unsigned int off,
							 unsigned int size)
{
	const struct dist_group *g;
	unsigned int rel, shift = (off & 4) * 8;
	struct vgic_irq *irq;
	uint64_t val = 0;

	spin_lock(&v->domain->vgic.lock);
	if (is_irouter(off)) {
		if ((irq = irouter_irq(v, off)))
			val = irq->irouter >> shift;
	} else if ((g = dist_group_of(off, &rel)) && !is_private(g, rel)) {
		val = vgic_reg_read(v, g->reg, 0, rel, size);
	}
	spin_unlock(&v->domain->vgic.lock);
	return size == 8 ? val : (uint32_t)val & (0xffffffffU >> (32 - size * 8));
}

static __attribute__((noinline)) void dist_irq_write(struct vcpu *v, unsigned int off, unsigned int size,
						     uint64_t val)
{
	const struct dist_group *g;
	unsigned int rel, shift = (off & 4) * 8;
	uint64_t mask = size == 8 ? ~0UL : 0xffffffffUL << shift;
	struct vgic_irq *irq;

	spin_lock(&v->domain->vgic.lock);
	if (is_irouter(off)) {
		/* Aff3.Aff2.Aff1.Aff0 and IRM; the rest is RES0. */
		uint64_t irouter;

		if ((irq = irouter_irq(v, off)) &&
		    (irouter = (irq->irouter & ~mask) | ((val << shift) & mask & IROUTER_VALID)) != irq->irouter)
			vgic_irq_route(v, irq, irouter);
	} else if ((g = dist_group_of(off, &rel)) && !is_private(g, rel)) {
		vgic_reg_write(v, g->reg, 0, rel, size, val);
	}
	spin_unlock(&v->domain->vgic.lock);
}

/* Control and ID registers lie below IGROUPR (and PIDR2 at the top): no lock needed. */
static bool is_irq_register(unsigned int off)
{
	return off >= GICD_IGROUPR && off < GICD_IROUTER + 8 * 1020;
}

/*
 * [0xa000, 0xffd0) holds nothing of the architecture a guest without extended SPIs may use
 * (reserved and IMPLEMENTATION DEFINED space, IHI 0069 table 12-25): nothing is emulated
 * there, and an access aborts, as Xen's vGIC does for offsets it does not handle.
 */
static bool not_emulated(uint64_t off)
{
	return off >= 0xa000 && off < 0xffd0;
}

/*
 * The registers Linux touches most at run time, decoded before the others: a 32-bit,
 * aligned access to a bitmap register of SPIs, IGROUPR<n> to ICACTIVER<n> with n > 0 (n = 0
 * is the banked private word, RAZ/WI with ARE = 1). Return: its group (VGIC_IGROUPR ..
 * VGIC_ICACTIVER), or -1 (not such an access: the general decode handles it).
 */
static inline int spi_bitmap_reg(uint64_t off, unsigned int size)
{
	_Static_assert(GICD_IGROUPR / 0x80 - 1 == VGIC_IGROUPR && GICD_ICACTIVER / 0x80 - 1 == VGIC_ICACTIVER,
		       "groups at 0x80-byte steps, in enum vgic_reg order");
	if (off - GICD_IGROUPR >= GICD_IPRIORITYR - GICD_IGROUPR || size != 4 || (off & 3) || !(off & 0x7c))
		return -1;
	return off / 0x80 - 1;
}

/*
 * The same for a write to IPRIORITYR<n> (32-bit or byte) or ICFGR<n> (32-bit) of SPIs.
 * Return: VGIC_IPRIORITYR or VGIC_ICFGR with *@intid the first INTID, or -1.
 */
static inline int spi_field_reg(uint64_t off, unsigned int size, unsigned int *intid)
{
	if (off - (GICD_IPRIORITYR + VGIC_NR_PRIVATE) < 0x400 - VGIC_NR_PRIVATE && (size == 4 || size == 1) &&
	    !(off & (size - 1))) {
		*intid = off - GICD_IPRIORITYR;
		return VGIC_IPRIORITYR;
	}
	if (off - (GICD_ICFGR + VGIC_NR_PRIVATE / 4) < 0x100 - VGIC_NR_PRIVATE / 4 && size == 4 && !(off & 3)) {
		*intid = (off - GICD_ICFGR) * 4;
		return VGIC_ICFGR;
	}
	return -1;
}

/* IS/ICENABLER, IS/ICPENDR: the groups with a bitmap in the core (vgic_bitmap_mmio_read()). */
static inline bool has_bitmap(int reg)
{
	return reg >= VGIC_ISENABLER && reg <= VGIC_ICPENDR;
}

static struct mmio_read dist_read(struct vcpu *v, uint64_t off, unsigned int size)
{
	struct domain *d = v->domain;
	int reg;

	if (is_irq_register(off)) {
		if (has_bitmap(reg = spi_bitmap_reg(off, size)))
			return vgic_bitmap_mmio_read(v, reg, (off & 0x7c) * 8);
		if (!dist_size_ok(off, size))
			return (struct mmio_read){ 0, false };
		return (struct mmio_read){ dist_irq_read(v, off, size), true };
	}
	if (!dist_size_ok(off, size) || not_emulated(off))
		return (struct mmio_read){ 0, false };
	switch (off) {
	case GICD_CTLR:
		return (struct mmio_read){ __atomic_load_n(&d->vgic.ctlr, __ATOMIC_RELAXED) | CTLR_ARE, true };
	case GICD_TYPER: return (struct mmio_read){ dist_typer(d), true };
	case GICD_IIDR: return (struct mmio_read){ KESTREL_IIDR, true };
	case GICD_PIDR2: return (struct mmio_read){ PIDR2_ARCH_GICV3, true };
	}
	return (struct mmio_read){ 0, true };	/* TYPER2, STATUSR, SGIR, ...: RAZ */
}

static bool dist_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	unsigned int intid;
	int reg, field;

	if (is_irq_register(off)) {
		if (has_bitmap(reg = spi_bitmap_reg(off, size)))
			return vgic_bitmap_mmio_write(v, reg, (off & 0x7c) * 8, val);
		if ((field = spi_field_reg(off, size, &intid)) == VGIC_IPRIORITYR)
			return vgic_priority_mmio_write(v, intid, size, val);
		if (field == VGIC_ICFGR)
			return vgic_icfgr_mmio_write(v, intid, val);
		else if (reg >= 0)
			;	/* IGROUPR (RAO), IS/ICACTIVER: WI (vgic-regs.c) */
		else if (dist_size_ok(off, size))
			dist_irq_write(v, off, size, val);
		else
			return false;
		return true;
	}
	if (!dist_size_ok(off, size) || not_emulated(off))
		return false;
	if (off == GICD_CTLR)
		__atomic_store_n(&v->domain->vgic.ctlr, val & (CTLR_ENABLE_G1 | CTLR_ENABLE_G1A),
				 __ATOMIC_RELAXED);
	return true;	/* other registers: WI */
}

const struct mmio_ops vgic_v3_dist_ops = { .read = dist_read, .write = dist_write };
