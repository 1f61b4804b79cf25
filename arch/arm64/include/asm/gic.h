/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_GIC_H
#define KESTREL_ASM_GIC_H
/*
 * The host (physical) GIC: one driver per architecture version (gic-v3.c, gic-v2.c), chosen
 * at boot from the host DT's interrupt-controller node (gic_probe()). The rest of Kestrel
 * calls the gic_*() wrappers below, one indirect call each.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/sysregs.h>
#include <kestrel/lib.h>

struct gic_info;
struct vgic_backend;

/**
 * struct gic_driver - a host GIC driver.
 * @name:           "GICv3", "GICv2".
 * @version:        struct gic_info.version it drives (3 or 2).
 * @vgic:           the vGIC backend guests get on this GIC (vgic_set_backend()).
 * @init:           bring up the distributor and this (boot) CPU's interface.
 *                  Return: 0 or a negative errno (-ENOENT: no redistributor for this CPU).
 * @init_secondary: the CPU interface (and redistributor) of a secondary pCPU.
 * @send_sgi:       physical SGI @intid to the pCPU with MPIDR @mpidr.
 * @nr_spis:        SPIs the distributor implements.
 * @set_enabled:    enable or disable physical @intid.
 * @set_edge:       configure SPI @intid edge- (true) or level-triggered.
 * @ack:            acknowledge the highest-priority pending interrupt; its INTID.
 * @eoi:            priority drop (EOImode = 1: deactivation is separate).
 * @deactivate:     deactivate @intid, for interrupts Kestrel consumed.
 * @clear_spi:      make SPI @intid neither pending nor active, from any pCPU (GICD_ICPENDR,
 *                  GICD_ICACTIVER: IHI 0048B 4.3.7-4.3.8, IHI 0069 12.9): its domain is gone.
 */
struct gic_driver {
	const char *name;
	unsigned int version;
	const struct vgic_backend *vgic;
	int (*init)(const struct gic_info *gic);
	int (*init_secondary)(void);
	void (*send_sgi)(unsigned int intid, uint64_t mpidr);
	unsigned int (*nr_spis)(void);
	void (*set_enabled)(unsigned int intid, bool enable);
	void (*set_edge)(unsigned int intid, bool edge);
	unsigned int (*ack)(void);
	void (*eoi)(unsigned int intid);
	void (*deactivate)(unsigned int intid);
	void (*clear_spi)(unsigned int intid);
};

/** gic_hw - the host GIC driver in use (gic_probe()). */
extern const struct gic_driver *gic_hw;
/**
 * gic_hw_sysreg - the host GIC has the GICv3 system-register CPU interface: the per-interrupt
 * operations below use ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_DIR_EL1 inline (IHI 0069 12.2)
 * instead of an indirect call.
 */
extern bool gic_hw_sysreg;

/** gic_v3_driver - GICv3 with affinity routing, system-register CPU interface (gic-v3.c). */
extern const struct gic_driver gic_v3_driver;
/** gic_v2_driver - GICv2 (GIC-400): memory-mapped GICD, GICC, GICH (gic-v2.c). */
extern const struct gic_driver gic_v2_driver;

/**
 * gic_probe() - pick the driver for @gic (struct gic_info.version from the host DT), make its
 * vGIC backend the one every domain gets, and bring the GIC up on the boot CPU.
 * Return: 0, -ENODEV (no driver for this GIC), or the driver's init() error.
 */
int gic_probe(const struct gic_info *gic);

/* The host GIC's operations (struct gic_driver has the details). */
static inline int gic_init_secondary(void) { return gic_hw->init_secondary(); }
static inline unsigned int gic_nr_spis(void) { return gic_hw->nr_spis(); }
static inline void gic_set_enabled(unsigned int intid, bool enable) { gic_hw->set_enabled(intid, enable); }
static inline void gic_set_edge(unsigned int intid, bool edge) { gic_hw->set_edge(intid, edge); }
static inline void gic_clear_spi(unsigned int intid) { gic_hw->clear_spi(intid); }

/** gic_v3_sgi1r() - the ICC_SGI1R_EL1 value sending SGI @intid to MPIDR @mpidr (IHI 0069 12.2.23). */
static inline uint64_t gic_v3_sgi1r(unsigned int intid, uint64_t mpidr)
{
	/* Aff3/2/1 of the target, TargetList bit for Aff0 (< 16). */
	return ((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 32) & 0xff) << 48 |
	       (uint64_t)(intid & 0xf) << 24 | 1UL << (mpidr & 0xf);
}

static inline void gic_send_sgi(unsigned int intid, uint64_t mpidr)
{
	if (!likely(gic_hw_sysreg))
		return gic_hw->send_sgi(intid, mpidr);
	dsb(ishst);
	write_sysreg(gic_v3_sgi1r(intid, mpidr), S3_0_C12_C11_5);	/* ICC_SGI1R_EL1 */
	isb();
}

static inline unsigned int gic_ack(void)
{
	unsigned int intid;

	if (!likely(gic_hw_sysreg))
		return gic_hw->ack();
	intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;	/* ICC_IAR1_EL1 */
	dsb(sy);
	return intid;
}

static inline void gic_eoi(unsigned int intid)
{
	if (!likely(gic_hw_sysreg))
		return gic_hw->eoi(intid);
	write_sysreg(intid, S3_0_C12_C12_1);	/* ICC_EOIR1_EL1 */
	isb();
}

static inline void gic_deactivate(unsigned int intid)
{
	if (!likely(gic_hw_sysreg))
		return gic_hw->deactivate(intid);
	write_sysreg(intid, S3_0_C12_C11_1);	/* ICC_DIR_EL1 */
	isb();
}
#endif
