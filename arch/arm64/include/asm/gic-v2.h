/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_GIC_V2_H
#define KESTREL_ASM_GIC_V2_H
/*
 * GICv2 (GIC-400) facts shared by the host driver, the vGICv2 backend and their unit
 * tests: the CPU interface frame layout (Arm IHI 0048B 4.3) and the list-register format
 * GICH_LR<n> (IHI 0048B 5.3.11), with its conversion to and from Kestrel's format (VGIC_LR_*).
 */
#include <stdint.h>
#include <kestrel/vgic.h>

#define GICV2_PAGE		0x1000UL
#define GICV2_CPU_WINDOW	0x2000UL	/* GICC/GICV: two 4 KiB pages */
#define GICV2_ALIAS_STRIDE	0x10000UL	/* a 4 KiB page repeated over 64 KiB */
#define GICC_IIDR		0xfc

/**
 * gic_v2_cpu_window() - the PA of the usable 8 KiB window of a GICC or GICV frame given by
 * the DT as @base, @size bytes: @base, or @base + 0xf000 when each 4 KiB page repeats over
 * 64 KiB (detected through @read32, a 32-bit MMIO read at a PA; see gic-v2-layout.c).
 * Return: the window's PA, or 0 if @size is below 8 KiB (no usable frame).
 */
uint64_t gic_v2_cpu_window(uint64_t base, uint64_t size, uint32_t (*read32)(uint64_t pa));

/**
 * struct gic_v2_gicv - the host's virtual CPU interface frame GICV (PAs, bytes), as the DT
 * gives it, and its usable 8 KiB window (gic_v2_cpu_window()). Set by the GICv2 driver.
 */
struct gic_v2_gicv {
	uint64_t base, size, window;
};
extern struct gic_v2_gicv gic_v2_gicv;

/**
 * gic_v2_pending_intid() - the INTID the next GICC_IAR read would return (GICC_HPPIR,
 * IHI 0048B 4.4.8), without acknowledging it; 1023 if none. For the trace buffer.
 */
unsigned int gic_v2_pending_intid(void);

/* GICH_LR<n> fields (IHI 0048B 5.3.11). */
#define GICH_LR_VINTID_MASK	0x3ffU
#define GICH_LR_PINTID_SHIFT	10
#define GICH_LR_PRIO_SHIFT	23		/* priority bits [7:3] in [27:23] */
#define GICH_LR_STATE_SHIFT	28		/* 01 pending, 10 active, 11 both */
#define GICH_LR_GROUP1		(1U << 30)
#define GICH_LR_HW		(1U << 31)

/**
 * gich_lr_from_vgic() - GICH_LR value for Kestrel's list-register value @lr. The interrupt
 * is Group 0 (Grp1 = 0): Linux's GICv2 driver turns on only group 0 of its CPU interface
 * (it writes GICC_CTLR = 1; Linux drivers/irqchip/irq-gic.c), which on the virtual
 * interface is GICV_CTLR.EnableGrp0. Priority keeps its top 5 bits (GICH_LR has 5).
 */
static inline uint32_t gich_lr_from_vgic(uint64_t lr)
{
	uint32_t v = (uint32_t)(lr & GICH_LR_VINTID_MASK);

	v |= (uint32_t)((lr >> 62) & 3) << GICH_LR_STATE_SHIFT;
	v |= (uint32_t)((lr >> VGIC_LR_PRIO_SHIFT & 0xff) >> 3) << GICH_LR_PRIO_SHIFT;
	if (lr & VGIC_LR_HW)
		v |= GICH_LR_HW | (uint32_t)((lr >> VGIC_LR_PINTID_SHIFT) & GICH_LR_VINTID_MASK)
			<< GICH_LR_PINTID_SHIFT;
	return v;
}

/** gich_lr_to_vgic() - Kestrel's list-register value for GICH_LR value @v (Group 1 as the core writes it). */
static inline uint64_t gich_lr_to_vgic(uint32_t v)
{
	uint64_t lr = (v & GICH_LR_VINTID_MASK) | VGIC_LR_GROUP1;

	lr |= (uint64_t)((v >> GICH_LR_STATE_SHIFT) & 3) << 62;
	lr |= (uint64_t)(((v >> GICH_LR_PRIO_SHIFT) & 0x1f) << 3) << VGIC_LR_PRIO_SHIFT;
	if (v & GICH_LR_HW)
		lr |= VGIC_LR_HW | (uint64_t)((v >> GICH_LR_PINTID_SHIFT) & GICH_LR_VINTID_MASK)
			<< VGIC_LR_PINTID_SHIFT;
	return lr;
}
#endif
