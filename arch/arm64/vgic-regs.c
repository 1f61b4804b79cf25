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

/*
 * The interrupts a register access covers: from @intid (a multiple of 32 for the bitmap
 * registers, of 4 or 16 for priority and configuration), *@n of them, in one array
 * (private interrupts and SPIs are each one, and no register straddles the two), or NULL.
 */
static struct vgic_irq *irq_range(struct vcpu *v, unsigned int intid, unsigned int want, unsigned int *n)
{
	unsigned int limit = intid < VGIC_NR_PRIVATE ? VGIC_NR_PRIVATE
						     : VGIC_NR_PRIVATE + v->domain->vgic.nr_spis;
	struct vgic_irq *irq = intid < limit ? vgic_get_irq(v, intid) : NULL;

	*n = irq ? MIN(want, limit - intid) : 0;
	return irq;
}

uint64_t vgic_reg_read(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		       unsigned int size)
{
	unsigned int bpi = bits_per_irq(reg), n;
	struct vgic_irq *irqs = irq_range(v, first_intid + offset * 8 / bpi, size * 8 / bpi, &n);
	uint64_t val = 0;

	switch (reg) {
	case VGIC_IGROUPR:
		return n == 64 ? ~0UL : (1UL << n) - 1;
	case VGIC_ISENABLER: case VGIC_ICENABLER:
		for (unsigned int i = 0; i < n; i++)
			val |= (uint64_t)irqs[i].enabled << i;
		return val;
	case VGIC_ISPENDR: case VGIC_ICPENDR:
		for (unsigned int i = 0; i < n; i++)
			val |= (uint64_t)irqs[i].pending << i;
		return val;
	}
	for (unsigned int i = 0; i < n; i++)
		val |= field_of(&irqs[i], reg) << (i * bpi);
	return val;
}

static void write_field(struct vcpu *v, struct vgic_irq *irq, unsigned int reg, uint64_t f)
{
	switch (reg) {
	case VGIC_IPRIORITYR: irq->priority = (uint8_t)f; break;
	case VGIC_ICFGR:
		if (irq->intid < 16)
			break;	/* SGIs: always edge, read-only */
		/* The physical GIC changes only when the guest's value does (both start level). */
		if (irq->hw && irq->edge != (bool)(f & 2))
			gic_set_edge(irq->intid, f & 2);
		irq->edge = f & 2;
		break;
	default: break;
	}
}

/*
 * Set-and-clear registers (one bit per interrupt, writing 0 does nothing): only the set
 * bits are visited, so a write costs by the interrupts it names, not by its width, and an
 * interrupt already in the state asked for costs a test. IGROUPR (RAO) and IS/ICACTIVER
 * (Linux only clears them at init) ignore writes. A HW interrupt's pending state belongs
 * to the physical GIC: a software pend would link a list register to an interrupt never
 * acknowledged, a clear could drop one that was; both are ignored for it.
 */
static void write_bits(struct vcpu *v, unsigned int reg, unsigned int intid, uint64_t val)
{
	unsigned int n;
	struct vgic_irq *irqs;

	if (reg == VGIC_IGROUPR || reg == VGIC_ISACTIVER || reg == VGIC_ICACTIVER || !val)
		return;
	irqs = irq_range(v, intid, 64, &n);
	if (n < 64)
		val &= (1UL << n) - 1;
	for (; val; val &= val - 1) {
		struct vgic_irq *irq = &irqs[__builtin_ctzl(val)];

		switch (reg) {
		case VGIC_ISENABLER:
			if (!irq->enabled)
				vgic_irq_set_enabled(v, irq, true);
			break;
		case VGIC_ICENABLER:
			if (irq->enabled)
				vgic_irq_set_enabled(v, irq, false);
			break;
		case VGIC_ISPENDR:
			if (!irq->hw)
				vgic_irq_set_pending(v, irq, true);
			break;
		case VGIC_ICPENDR:
			if (!irq->hw && irq->pending)
				vgic_irq_set_pending(v, irq, false);
			break;
		}
	}
}

void vgic_reg_write(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		    unsigned int size, uint64_t val)
{
	unsigned int bpi = bits_per_irq(reg), intid = first_intid + offset * 8 / bpi, n;
	uint64_t mask = (1UL << bpi) - 1;
	struct vgic_irq *irqs;

	if (bpi == 1) {
		write_bits(v, reg, intid, size < 8 ? val & ((1UL << (size * 8)) - 1) : val);
		return;
	}
	irqs = irq_range(v, intid, size * 8 / bpi, &n);
	for (unsigned int i = 0; i < n; i++)
		write_field(v, &irqs[i], reg, (val >> (i * bpi)) & mask);
}
