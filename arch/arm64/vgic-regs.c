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

	if (intid >= limit) {
		*n = 0;
		return NULL;
	}
	*n = MIN(want, limit - intid);	/* vgic_get_irq(), its checks made above */
	return intid < VGIC_NR_PRIVATE ? &v->vgic.private_irqs[intid]
				       : &v->domain->vgic.spis[intid - VGIC_NR_PRIVATE];
}

/*
 * Of the interrupts @bits names among the 32 from @irqs (@intid, a multiple of 32), those
 * pending: the SPIs' from the core's bitmap, the private ones' from their fields
 * (kestrel/vgic.h). vGIC lock held.
 */
static __attribute__((noinline)) uint32_t private_pending(const struct vgic_irq *irqs, uint32_t bits)
{
	uint32_t val = 0;

	for (; bits; bits &= bits - 1)
		if (irqs[__builtin_ctz(bits)].pending)
			val |= bits & -bits;
	return val;
}

static inline uint32_t pending_word(struct vcpu *v, unsigned int intid, const struct vgic_irq *irqs, uint32_t bits)
{
	return intid >= VGIC_NR_PRIVATE ? v->domain->vgic.pending[intid / 32] & bits : private_pending(irqs, bits);
}

/*
 * The enabled (@enabled) or pending bits of @n interrupts from @irqs (32-aligned, n <= 64):
 * one or two words of the core's bitmaps, not a walk of the fields.
 */
static uint64_t bitmap_read(struct vcpu *v, const struct vgic_irq *irqs, unsigned int n, bool enabled)
{
	unsigned int intid = irqs ? irqs->intid : 0;
	uint64_t val = 0;

	for (unsigned int w = 0; w * 32 < n; w++)
		val |= (uint64_t)(enabled ? *vgic_enabled_word(v, intid + w * 32)
					  : pending_word(v, intid + w * 32, irqs + w * 32, ~0U)) << (w * 32);
	return n < 64 ? val & ((1UL << n) - 1) : val;
}

struct mmio_read vgic_bitmap_mmio_read(struct vcpu *v, unsigned int reg, unsigned int intid)
{
	unsigned int n;
	struct vgic_irq *irqs = irq_range(v, intid, 32, &n);
	uint32_t val = 0;

	spin_lock(&v->domain->vgic.lock);
	if (irqs)
		val = reg <= VGIC_ICENABLER ? *vgic_enabled_word(v, intid) : pending_word(v, intid, irqs, ~0U);
	spin_unlock(&v->domain->vgic.lock);
	return (struct mmio_read){ val, true };
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
		return bitmap_read(v, irqs, n, true);
	case VGIC_ISPENDR: case VGIC_ICPENDR:
		return bitmap_read(v, irqs, n, false);
	}
	for (unsigned int i = 0; i < n; i++)
		val |= field_of(&irqs[i], reg) << (i * bpi);
	return val;
}

/* The interrupts of @change (bit 2i + 1: @irqs[i]) become edge-triggered as the same bit of @val says. */
static __attribute__((noinline)) void icfgr_apply(struct vgic_irq *irqs, uint32_t *w, uint32_t val,
						  uint32_t change)
{
	for (; change; change &= change - 1) {
		unsigned int b = __builtin_ctz(change);
		struct vgic_irq *irq = &irqs[b / 2];
		bool edge = (val >> b) & 1;

		/* The physical GIC changes only when the guest's value does (both start level). */
		if (irq->hw)
			gic_set_edge(irq->intid, edge);
		irq->edge = edge;
		*w ^= 1U << b;
	}
}

/*
 * ICFGR: bit 1 of each interrupt's 2-bit field says edge (IHI 0069 12.9.9). One 32-bit
 * register: @n <= 16 interrupts from @irqs (INTID @intid, a multiple of 16), compared with
 * the core's copy of the register (vgic_icfgr_word()) at once, so only the interrupts that
 * change are visited. SGIs are always edge, read-only.
 */
static inline void write_icfgr(struct vcpu *v, struct vgic_irq *irqs, unsigned int intid, unsigned int n,
			       uint32_t val)
{
	uint32_t *w = vgic_icfgr_word(v, intid);
	uint32_t change = (val ^ *w) & (n < 16 ? (1U << (2 * n)) - 1 : ~0U) & 0xaaaaaaaa;

	if (change && intid >= 16)
		icfgr_apply(irqs, w, val, change);
}

/* The IPRIORITYR and ICFGR part of vgic_reg_write(): @size bytes for INTIDs @intid and up. */
static inline void field_write(struct vcpu *v, unsigned int reg, unsigned int intid, unsigned int size,
			       uint64_t val)
{
	unsigned int n;
	struct vgic_irq *irqs = irq_range(v, intid, size * 8 / bits_per_irq(reg), &n);

	if (reg == VGIC_ICFGR) {
		for (unsigned int i = 0; i < n; i += 16, val >>= 32)	/* 16 per 32-bit register */
			write_icfgr(v, irqs + i, intid + i, MIN(n - i, 16U), (uint32_t)val);
		return;
	}
	for (unsigned int i = 0; i < n; i++, val >>= 8)
		irqs[i].priority = (uint8_t)val;
}

bool vgic_priority_mmio_write(struct vcpu *v, unsigned int intid, unsigned int size, uint32_t val)
{
	unsigned int n;
	struct vgic_irq *irqs = irq_range(v, intid, size, &n);

	spin_lock(&v->domain->vgic.lock);
	for (unsigned int i = 0; i < n; i++, val >>= 8)
		irqs[i].priority = (uint8_t)val;
	spin_unlock(&v->domain->vgic.lock);
	return true;
}

bool vgic_icfgr_mmio_write(struct vcpu *v, unsigned int intid, uint32_t val)
{
	unsigned int n;
	struct vgic_irq *irqs = irq_range(v, intid, 16, &n);

	spin_lock(&v->domain->vgic.lock);
	if (irqs)
		write_icfgr(v, irqs, intid, n, val);
	spin_unlock(&v->domain->vgic.lock);
	return true;
}

/* IS/ICENABLER: only the interrupts whose enabled state changes, found in the enabled bitmap. */
static void write_enable(struct vcpu *v, unsigned int intid, uint32_t val, bool enable)
{
	uint32_t en = *vgic_enabled_word(v, intid);
	struct vgic_irq *irqs;
	unsigned int n;

	val &= enable ? ~en : en;
	if (!val || !(irqs = irq_range(v, intid, 32, &n)))
		return;
	if (n < 32)
		val &= (1U << n) - 1;
	for (; val; val &= val - 1)
		vgic_irq_set_enabled(v, &irqs[__builtin_ctz(val)], enable);
}

/*
 * IS/ICPENDR: only the interrupts whose pending state changes, found in the pending bitmap
 * (pending_word()); never a HW one (below). ISPENDR keeps an already pending interrupt that
 * sits in a list register: the guest may have acknowledged it since (on a vCPU running
 * elsewhere), and a new pend must then reach it.
 */
static void write_pend(struct vcpu *v, unsigned int intid, uint32_t val, bool pend)
{
	struct vgic_irq *irqs;
	uint32_t p, again = 0;
	unsigned int n;

	if (intid >= VGIC_NR_PRIVATE)
		val &= ~v->domain->vgic.hw[intid / 32];		/* private interrupts are never HW */
	if (!val || !(irqs = irq_range(v, intid, 32, &n)))
		return;
	if (n < 32)
		val &= (1U << n) - 1;
	p = pending_word(v, intid, irqs, val);
	if (pend) {
		for (uint32_t b = val & p; b; b &= b - 1)
			if (irqs[__builtin_ctz(b)].lr >= 0)
				again |= b & -b;
		val = (val & ~p) | again;
	} else {
		val &= p;
	}
	for (; val; val &= val - 1) {
		struct vgic_irq *irq = &irqs[__builtin_ctz(val)];

		if (!irq->hw)	/* one the vgic_dist.hw bitmap does not know of */
			vgic_irq_set_pending(v, irq, pend);
	}
}

/*
 * Set-and-clear registers (one bit per interrupt, writing 0 does nothing): only the bits
 * that change an interrupt are visited, so a write costs by the interrupts it changes, not
 * by its width, and an interrupt already in the state asked for costs nothing. IGROUPR
 * (RAO) and IS/ICACTIVER (Linux only clears them at init) ignore writes. A HW interrupt's
 * pending state belongs to the physical GIC: a software pend would link a list register to
 * an interrupt never acknowledged, a clear could drop one that was; both are ignored for it.
 */
static inline void bitmap_write(struct vcpu *v, unsigned int reg, unsigned int intid, uint32_t val)
{
	if (reg == VGIC_ISENABLER || reg == VGIC_ICENABLER)
		write_enable(v, intid, val, reg == VGIC_ISENABLER);
	else if (reg == VGIC_ISPENDR || reg == VGIC_ICPENDR)
		write_pend(v, intid, val, reg == VGIC_ISPENDR);
}

bool vgic_bitmap_mmio_write(struct vcpu *v, unsigned int reg, unsigned int intid, uint32_t val)
{
	spin_lock(&v->domain->vgic.lock);
	bitmap_write(v, reg, intid, val);
	spin_unlock(&v->domain->vgic.lock);
	return true;
}

/* bitmap_write() for each 32-bit half of a (32- or 64-bit) bitmap register write. */
static void write_bits(struct vcpu *v, unsigned int reg, unsigned int intid, uint64_t val)
{
	for (; val; val >>= 32, intid += 32)
		bitmap_write(v, reg, intid, (uint32_t)val);
}

void vgic_reg_write(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		    unsigned int size, uint64_t val)
{
	unsigned int bpi = bits_per_irq(reg), intid = first_intid + offset * 8 / bpi;

	if (bpi == 1)
		write_bits(v, reg, intid, size < 8 ? val & ((1UL << (size * 8)) - 1) : val);
	else
		field_write(v, reg, intid, size, val);
}
