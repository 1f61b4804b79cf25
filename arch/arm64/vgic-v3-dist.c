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
#define GICD_SIZE		0x10000

#define CTLR_ENABLE_G1		(1U << 0)
#define CTLR_ENABLE_G1A		(1U << 1)
#define CTLR_ARE		(1U << 4)
#define PIDR2_ARCH_GICV3	0x30
#define IROUTER_VALID		0xff80ffffffUL	/* Aff3 [39:32], IRM [31], Aff2..Aff0 */
#define KESTREL_IIDR		0x0000043b	/* implementer JEP106 0x43b (Arm), as QEMU's */

/* Bitmap register groups in GICD, each covering 1024 INTIDs. */
static const struct {
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

static bool dist_group_access(struct vcpu *v, unsigned int off, unsigned int size, bool write,
			      uint64_t *val)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dist_groups); i++) {
		unsigned int rel = off - dist_groups[i].base;
		unsigned int bpi = dist_groups[i].reg == VGIC_IPRIORITYR ? 8 :
				   dist_groups[i].reg == VGIC_ICFGR ? 2 : 1;

		if (off < dist_groups[i].base || rel >= dist_groups[i].len)
			continue;
		/* SGIs and PPIs are banked in the redistributor when ARE = 1: RAZ/WI here. */
		if (rel * 8 / bpi < VGIC_NR_PRIVATE) {
			if (!write)
				*val = 0;
			return true;
		}
		if (write)
			vgic_reg_write(v, dist_groups[i].reg, 0, rel, size, *val);
		else
			*val = vgic_reg_read(v, dist_groups[i].reg, 0, rel, size);
		return true;
	}
	return false;
}

static void irouter_access(struct vcpu *v, unsigned int off, unsigned int size, bool write, uint64_t *val)
{
	unsigned int intid = (off - GICD_IROUTER) / 8;
	unsigned int shift = (off & 4) * 8;
	struct vgic_irq *irq = intid >= VGIC_NR_PRIVATE ? vgic_get_irq(v, intid) : NULL;
	uint64_t mask = size == 8 ? ~0UL : 0xffffffffUL << shift;

	if (!irq) {
		if (!write)
			*val = 0;
		return;
	}
	if (write)
		/* Aff3.Aff2.Aff1.Aff0 and IRM; the rest is RES0. */
		vgic_irq_route(v, irq, (irq->irouter & ~mask) | ((*val << shift) & mask & IROUTER_VALID));
	else
		*val = (irq->irouter & mask) >> shift;
}

void vgic_dist_access(struct vcpu *v, unsigned int off, unsigned int size, bool write, uint64_t *val)
{
	struct domain *d = v->domain;

	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * 1020) {
		irouter_access(v, off, size, write, val);
		return;
	}
	/* Control and ID registers lie outside the bitmap groups: skip the group search. */
	if (off >= GICD_IGROUPR && off < GICD_ICFGR + 0x100 &&
	    dist_group_access(v, off, size, write, val))
		return;
	if (write) {
		if (off == GICD_CTLR)
			d->vgic.ctlr = *val & (CTLR_ENABLE_G1 | CTLR_ENABLE_G1A);
		return;	/* other registers: WI */
	}
	switch (off) {
	case GICD_CTLR: *val = d->vgic.ctlr | CTLR_ARE; break;
	case GICD_TYPER: *val = dist_typer(d); break;
	case GICD_IIDR: *val = KESTREL_IIDR; break;
	case GICD_PIDR2: *val = PIDR2_ARCH_GICV3; break;
	default: *val = 0; break;	/* TYPER2, STATUSR, ITARGETSR, IGRPMODR, NSACR, ...: RAZ */
	}
}
