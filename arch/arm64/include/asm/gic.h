/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_GIC_H
#define KESTREL_ASM_GIC_H
#include <stdbool.h>
#include <stdint.h>

struct gic_info;

/**
 * gic_init() - bring up the host GICv3 for this (boot) CPU: distributor with affinity
 * routing, all SPIs Group 1, disabled, level, routed to this CPU; this CPU's
 * redistributor awake; ICC_* with EOImode = 1 (priority drop and deactivation are
 * separate, so a guest can deactivate a forwarded interrupt through the HW bit).
 * Source: IHI 0069, 4.1 and 12.2.
 * Return: 0, or -ENOENT if no redistributor matches this CPU's MPIDR.
 */
int gic_init(const struct gic_info *gic);

/** gic_init_secondary() - wake this (secondary) pCPU's redistributor and CPU interface. */
int gic_init_secondary(void);

/** gic_send_sgi() - send physical SGI @intid to the pCPU with MPIDR @mpidr (Aff0 < 16). */
void gic_send_sgi(unsigned int intid, uint64_t mpidr);

/** gic_nr_spis() - SPIs the host distributor implements (from GICD_TYPER). */
unsigned int gic_nr_spis(void);

/** gic_set_enabled() - enable or disable physical @intid (SPI in GICD, PPI/SGI in GICR). */
void gic_set_enabled(unsigned int intid, bool enable);

/** gic_set_edge() - configure physical SPI @intid edge- (true) or level-triggered. */
void gic_set_edge(unsigned int intid, bool edge);

/** gic_ack() - acknowledge the highest-priority pending interrupt (ICC_IAR1_EL1). */
unsigned int gic_ack(void);

/** gic_eoi() - priority drop for @intid (ICC_EOIR1_EL1). */
void gic_eoi(unsigned int intid);

/** gic_deactivate() - deactivate @intid (ICC_DIR_EL1), for interrupts Kestrel consumed. */
void gic_deactivate(unsigned int intid);
#endif
