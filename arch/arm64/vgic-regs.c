// SPDX-License-Identifier: Apache-2.0
/*
 * Register files common to GICD and the GICR SGI frame: one bit per interrupt
 * (IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER), eight (IPRIORITYR) or two
 * (ICFGR). Semantics: Arm GIC architecture specification IHI 0069, 12.9 (GICD_*)
 * and 12.11 (GICR_*). Kestrel's guests see one security state with every
 * interrupt in Group 1: IGROUPR reads as all ones and ignores writes.
 */
#include <asm/gic.h>
#include <kestrel/domain.h>
#include <kestrel/vgic.h>

static unsigned int bits_per_irq(unsigned int reg)
{
	return reg == VGIC_IPRIORITYR ? 8 : reg == VGIC_ICFGR ? 2 : 1;
}

static uint64_t field_of(const struct vgic_irq *irq, unsigned int reg)
{
	switch (reg) {
	case VGIC_IGROUPR: return 1;
	case VGIC_ISENABLER: case VGIC_ICENABLER: return irq->enabled;
	case VGIC_ISPENDR: case VGIC_ICPENDR: return irq->pending;
	case VGIC_ISACTIVER: case VGIC_ICACTIVER: return irq->active;
	case VGIC_IPRIORITYR: return irq->priority;
	case VGIC_ICFGR: return irq->edge ? 2 : 0;
	}
	return 0;
}

uint64_t vgic_reg_read(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		       unsigned int size)
{
	unsigned int bpi = bits_per_irq(reg), intid = first_intid + offset * 8 / bpi;
	uint64_t val = 0;

	for (unsigned int i = 0; i < size * 8 / bpi; i++) {
		struct vgic_irq *irq = vgic_get_irq(v, intid + i);

		if (irq)
			val |= field_of(irq, reg) << (i * bpi);
	}
	return val;
}

static void write_field(struct vcpu *v, struct vgic_irq *irq, unsigned int reg, uint64_t f)
{
	switch (reg) {
	case VGIC_ISENABLER: if (f) vgic_irq_set_enabled(v, irq, true); break;
	case VGIC_ICENABLER: if (f) vgic_irq_set_enabled(v, irq, false); break;
	/*
	 * A HW interrupt's pending state belongs to the physical GIC: a software pend would
	 * link a list register to an interrupt never acknowledged, a clear could drop one
	 * that was. Both are ignored for it.
	 */
	case VGIC_ISPENDR: if (f && !irq->hw) vgic_irq_set_pending(v, irq, true); break;
	case VGIC_ICPENDR: if (f && !irq->hw) vgic_irq_set_pending(v, irq, false); break;
	case VGIC_IPRIORITYR: irq->priority = (uint8_t)f; break;
	case VGIC_ICFGR:
		if (irq->intid < 16)
			break;	/* SGIs: always edge, read-only */
		irq->edge = f & 2;
		if (irq->hw)
			gic_set_edge(irq->intid, irq->edge);
		break;
	default: break;	/* IGROUPR: RAO/WI; IS/ICACTIVER: WI (Linux only clears at init) */
	}
}

/*
 * Set-and-clear registers (one bit per interrupt, writing 0 does nothing): only the set
 * bits are visited, so a write costs by the interrupts it names, not by its width.
 * IGROUPR and IS/ICACTIVER ignore writes altogether.
 */
static void write_bits(struct vcpu *v, unsigned int reg, unsigned int intid, uint64_t val)
{
	if (reg == VGIC_IGROUPR || reg == VGIC_ISACTIVER || reg == VGIC_ICACTIVER)
		return;
	for (; val; val &= val - 1) {
		struct vgic_irq *irq = vgic_get_irq(v, intid + (unsigned int)__builtin_ctzl(val));

		if (irq)
			write_field(v, irq, reg, 1);
	}
}

void vgic_reg_write(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		    unsigned int size, uint64_t val)
{
	unsigned int bpi = bits_per_irq(reg), intid = first_intid + offset * 8 / bpi;
	uint64_t mask = (1UL << bpi) - 1;

	if (bpi == 1) {
		write_bits(v, reg, intid, size < 8 ? val & ((1UL << (size * 8)) - 1) : val);
		return;
	}
	for (unsigned int i = 0; i < size * 8 / bpi; i++) {
		struct vgic_irq *irq = vgic_get_irq(v, intid + i);

		if (irq)
			write_field(v, irq, reg, (val >> (i * bpi)) & mask);
	}
}
