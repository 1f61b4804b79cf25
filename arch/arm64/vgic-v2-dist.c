// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated GICv2 distributor (GICD, 4 KiB), trapped as stage-2 data aborts, and the guest's
 * CPU interface GICC, which is the host's GICV mapped through stage 2 (no trap: the guest
 * acknowledges and ends interrupts on the hardware's virtual interface, fed by the list
 * registers). Register map: Arm GIC architecture specification v2, IHI 0048B 4.3
 * (Table 4-1). SGIs and PPIs are banked per vCPU at the same offsets as SPIs; targets are
 * GICD_ITARGETSR bytes (CPU interface n = vCPU n); SGIs are sent by writes of GICD_SGIR.
 * One security state: everything reads as Group 0 is written.
 */
#include <asm/gic-v2.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/p2m.h>
#include <kestrel/vgic.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IIDR		0x008
#define GICD_IGROUPR		0x080
#define GICD_ICACTIVER		0x380
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_PIDR2		0xfe8
#define VGIC_V2_DIST_SIZE	0x1000

#define CTLR_ENABLE		(1U << 0)
#define PIDR2_ARCH_GICV2	0x20
#define KESTREL_IIDR		0x0000043b	/* implementer JEP106 0x43b (Arm) */
#define SGIR_FILTER_SHIFT	24		/* 0: CPUTargetList, 1: all but self, 2: self */
#define SGIR_TARGETS_SHIFT	16

/* Bitmap groups at 0x80-byte steps from IGROUPR, then IPRIORITYR and ICFGR (as in vgic-v3-dist.c). */
static const uint8_t bitmap_regs[] = {
	VGIC_IGROUPR, VGIC_ISENABLER, VGIC_ICENABLER, VGIC_ISPENDR, VGIC_ICPENDR,
	VGIC_ISACTIVER, VGIC_ICACTIVER,
};

/* The register group of @off and the offset in it; false if none. */
static bool group_of(unsigned int off, unsigned int *reg, unsigned int *rel)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
		*reg = bitmap_regs[off / 0x80 - 1];
		*rel = off % 0x80;
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		*reg = VGIC_IPRIORITYR;
		*rel = off - GICD_IPRIORITYR;
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		*reg = VGIC_ICFGR;
		*rel = off - GICD_ICFGR;
	} else {
		return false;
	}
	return true;
}

static bool is_byte_reg(unsigned int off)
{
	return off >= GICD_IPRIORITYR && off < GICD_ICFGR;	/* IPRIORITYR, ITARGETSR */
}

/* Access widths (IHI 0048B 4.1.4): aligned words everywhere, bytes for IPRIORITYR/ITARGETSR. */
static bool size_ok(unsigned int off, unsigned int size)
{
	return !(off & (size - 1)) && (size == 4 || (size == 1 && is_byte_reg(off)));
}

static uint32_t dist_typer(const struct domain *d)
{
	unsigned int lines = (d->vgic.nr_spis + VGIC_NR_PRIVATE + 31) / 32 - 1;

	return lines | ((d->max_vcpus - 1) & 7) << 5;	/* ITLinesNumber, CPUNumber */
}

/* ITARGETSR byte of @intid: the vCPU's own bit for SGIs/PPIs, the routed vCPU's for SPIs. */
static uint8_t target_byte(struct vcpu *v, unsigned int intid)
{
	struct vgic_irq *irq = vgic_get_irq(v, intid);
	int id;

	if (!irq)
		return 0;
	if (intid < VGIC_NR_PRIVATE)
		return v->vcpu_id < 8 ? 1U << v->vcpu_id : 0;
	id = mpidr_to_vcpu_id(irq->irouter & MPIDR_AFF_MASK);
	return id >= 0 && id < 8 ? 1U << id : 1;
}

/* An SPI's ITARGETSR byte: routed to the lowest vCPU named (no vCPU named: unchanged). */
static void write_target(struct vcpu *v, unsigned int intid, uint8_t byte)
{
	struct vgic_irq *irq = vgic_get_irq(v, intid);
	unsigned int id;

	if (!irq || intid < VGIC_NR_PRIVATE || !byte)
		return;
	id = __builtin_ctz(byte);
	if (id < v->domain->max_vcpus)
		vgic_irq_route(v, irq, vcpu_id_to_mpidr(id));
}

static void send_sgir(struct vcpu *v, uint32_t val)
{
	unsigned int intid = val & 0xf;

	switch ((val >> SGIR_FILTER_SHIFT) & 3) {
	case 0: vgic_sgi_to_list(v, intid, 0, (val >> SGIR_TARGETS_SHIFT) & 0xff); break;
	case 1: vgic_sgi_to_others(v, intid); break;
	case 2: vgic_sgi_to_list(v, intid, v->vcpu_id, 1); break;
	default: break;	/* reserved */
	}
}

static struct mmio_read dist_read(struct vcpu *v, uint64_t off, unsigned int size)
{
	struct domain *d = v->domain;
	unsigned int reg, rel;
	uint64_t val = 0;

	if (!size_ok(off, size))
		return (struct mmio_read){ 0, false };
	if (group_of(off, &reg, &rel)) {
		spin_lock(&d->vgic.lock);
		val = vgic_reg_read(v, reg, 0, rel, size);
		spin_unlock(&d->vgic.lock);
		return (struct mmio_read){ size == 4 ? (uint32_t)val : val & 0xff, true };
	}
	if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		spin_lock(&d->vgic.lock);
		for (unsigned int i = 0; i < size; i++)
			val |= (uint64_t)target_byte(v, off - GICD_ITARGETSR + i) << (i * 8);
		spin_unlock(&d->vgic.lock);
		return (struct mmio_read){ val, true };
	}
	switch (off) {
	case GICD_CTLR: return (struct mmio_read){ __atomic_load_n(&d->vgic.ctlr, __ATOMIC_RELAXED), true };
	case GICD_TYPER: return (struct mmio_read){ dist_typer(d), true };
	case GICD_IIDR: return (struct mmio_read){ KESTREL_IIDR, true };
	case GICD_PIDR2: return (struct mmio_read){ PIDR2_ARCH_GICV2, true };
	}
	return (struct mmio_read){ 0, true };	/* SGIR (write-only), C/SPENDSGIR, reserved: RAZ */
}

static bool dist_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	struct domain *d = v->domain;
	unsigned int reg, rel;

	if (!size_ok(off, size))
		return false;
	if (group_of(off, &reg, &rel)) {
		spin_lock(&d->vgic.lock);
		vgic_reg_write(v, reg, 0, rel, size, val);
		spin_unlock(&d->vgic.lock);
	} else if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		spin_lock(&d->vgic.lock);
		for (unsigned int i = 0; i < size; i++)
			write_target(v, off - GICD_ITARGETSR + i, (val >> (i * 8)) & 0xff);
		spin_unlock(&d->vgic.lock);
	} else if (off == GICD_SGIR) {
		send_sgir(v, (uint32_t)val);
	} else if (off == GICD_CTLR) {
		__atomic_store_n(&d->vgic.ctlr, val & CTLR_ENABLE, __ATOMIC_RELAXED);
	}
	return true;	/* other registers: WI */
}

const struct mmio_ops vgic_v2_dist_ops = { .read = dist_read, .write = dist_write };

/*
 * GICC onto GICV: an 8 KiB GICC gets the host GICV's usable window; a larger one (dom0, at
 * the host's GICC address and size) the host's GICV frame from its start, so a 64 KiB alias
 * layout looks to dom0 as the host DT describes it.
 */
int vgic_v2_add_mmio(struct domain *d)
{
	uint64_t pa = gic_v2_gicv.base, size = MIN(d->vgic.cpu_size, gic_v2_gicv.size);
	int ret;

	if (d->vgic.cpu_size == GICV2_CPU_WINDOW)
		pa = gic_v2_gicv.window;
	if (!pa || size < GICV2_CPU_WINDOW)
		return -EINVAL;
	ret = domain_add_mmio(d, d->vgic.dist_base, VGIC_V2_DIST_SIZE, &vgic_v2_dist_ops);
	return ret ? ret : p2m_map(&d->p2m, d->vgic.cpu_base, pa, ALIGN_UP(size, PAGE_SIZE), P2M_MMIO);
}
