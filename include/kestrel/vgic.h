/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_VGIC_H
#define KESTREL_VGIC_H
/*
 * The virtual GIC: one core (interrupt state, injection, list registers) with a
 * GICv3 MMIO backend (vgic-v3-dist.c, vgic-v3-redist.c). INTID ranges: SGIs 0-15,
 * PPIs 16-31, SPIs 32-1019 (Arm GIC architecture specification IHI 0069, 2.2).
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/lib.h>
#include <kestrel/mmio.h>
#include <kestrel/spinlock.h>

#define VGIC_NR_PRIVATE		32
#define VGIC_MAX_INTID		1020
#define VGIC_MAX_LRS		16
#define VGIC_PENDING_WORDS	(1024 / 64)

struct vcpu;
struct domain;

/**
 * struct vgic_irq - one virtual interrupt's state as the guest sees it.
 * @priority: 8-bit priority written by the guest (lower is more urgent).
 * @edge:     ICFGR says edge-triggered.
 * @hw:       backed by the physical INTID of the same number (the list register's HW
 *            bit: the guest's EOI deactivates the physical interrupt).
 * @lr:       list register holding it on its vCPU, or -1.
 * @irouter:  GICD_IROUTER value (SPIs only).
 */
struct vgic_irq {
	uint8_t priority;
	bool edge, enabled, pending, active, hw;
	int8_t lr;
	uint16_t intid;
	uint64_t irouter;
};

/** struct vgic_cpu - per-vCPU interface: private IRQs, list-register bookkeeping, GICR state. */
struct vgic_cpu {
	struct vgic_irq private_irqs[VGIC_NR_PRIVATE];
	uint64_t queued[VGIC_PENDING_WORDS];	/* pending + enabled, not yet in an LR */
	uint16_t queued_words;			/* bit w: queued[w] != 0 (O(1) "nothing queued") */
	uint64_t ich_hcr;			/* ICH_HCR_EL2 last written for this vCPU */
	uint16_t lr_intid[VGIC_MAX_LRS];
	uint32_t lr_used;			/* bit n: ICH_LR<n>_EL2 holds lr_intid[n] */
	uint32_t waker;				/* GICR_WAKER.ProcessorSleep */
	uint64_t vmcr;				/* ICH_VMCR_EL2 while not loaded */
	uint64_t lr_saved[VGIC_MAX_LRS];	/* ICH_LR<n>_EL2 of lr_used while not loaded */
	uint32_t ap0r[4], ap1r[4];		/* ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2 while not loaded */
};

/** struct vgic_dist - per-domain distributor state. */
struct vgic_dist {
	uint32_t ctlr;
	unsigned int nr_spis;
	struct vgic_irq *spis;
	uint64_t dist_base, redist_base;	/* guest IPAs of GICD and of GICR frame 0 */
	spinlock_t lock;
};

/** vgic_domain_init() - set up @d's distributor with @nr_spis SPIs at the given IPAs. */
int vgic_domain_init(struct domain *d, unsigned int nr_spis, uint64_t dist_base, uint64_t redist_base);

/** vgic_vcpu_init() - reset @v's private interrupts (SGIs edge, PPIs level, all disabled). */
void vgic_vcpu_init(struct vcpu *v);

/** vgic_get_irq() - state of @intid as seen by @v, or NULL if @intid is not implemented. */
struct vgic_irq *vgic_get_irq(struct vcpu *v, unsigned int intid);

/**
 * vgic_inject() - make @intid pending for @v (SGI/PPI) or for its routed vCPU (SPI).
 * Delivered through a list register on the vCPU's next entry if enabled.
 */
void vgic_inject(struct vcpu *v, unsigned int intid);

/* ICH_HCR_EL2.En (Arm IHI 0069 12.4.3): the virtual CPU interface on, nothing else asked. */
#define ICH_HCR_EN	(1UL << 0)

/**
 * vgic_sync_from_lrs() - on exit: retire list registers the guest has finished with.
 * Inline test first: with no list register in use (the common case) it costs a load.
 */
#define vgic_sync_from_lrs(v) do {					\
	if (unlikely((v)->vgic.lr_used))				\
		vgic_sync_resident_lrs(v);				\
} while (0)
/** vgic_sync_resident_lrs() - vgic_sync_from_lrs() for a vCPU with list registers in use. */
void vgic_sync_resident_lrs(struct vcpu *v);

/**
 * vgic_flush_to_lrs() - on entry: move queued interrupts into free list registers.
 * Inline test first: one load of the vCPU's exit_work.vgic, which the core sets whenever
 * it queues an interrupt or needs ICH_HCR_EL2 changed. Another pCPU queueing meanwhile
 * also kicks this one, so the next entry sees it.
 */
#define vgic_flush_to_lrs(v) do {					\
	if (unlikely(*(volatile uint8_t *)&(v)->exit_work.vgic))	\
		vgic_flush_queued(v);					\
} while (0)
/** vgic_flush_queued() - vgic_flush_to_lrs() for a vCPU with queued interrupts or a refill request. */
void vgic_flush_queued(struct vcpu *v);

/**
 * vgic_save_state() - @v (loaded here) is being switched out: its list registers,
 * ICH_VMCR_EL2 and active-priority registers to struct vgic_cpu; the hardware's list
 * registers left empty and ICH_HCR_EL2 off, so nothing of @v signals on this pCPU.
 */
void vgic_save_state(struct vcpu *v);

/** vgic_restore_state() - load @v's virtual CPU interface (the inverse of vgic_save_state()). */
void vgic_restore_state(struct vcpu *v);

/**
 * vgic_vcpu_reset_cpuif() - PSCI CPU_ON of @v (not loaded): a fresh CPU interface, no
 * list register in use and nothing active; pending interrupts stay pending (queued).
 */
void vgic_vcpu_reset_cpuif(struct vcpu *v);

/** vgic_vcpu_pending() - true if @v has an interrupt that should wake it from WFI. */
bool vgic_vcpu_pending(struct vcpu *v);

/** vgic_irq_set_enabled() - GICD/GICR_IS/ICENABLER semantics for one interrupt. */
void vgic_irq_set_enabled(struct vcpu *v, struct vgic_irq *irq, bool enable);

/** vgic_irq_set_pending() - GICD/GICR_IS/ICPENDR semantics for one interrupt. */
void vgic_irq_set_pending(struct vcpu *v, struct vgic_irq *irq, bool pending);

/** vgic_irq_route() - set an SPI's GICD_IROUTER, moving it if it waits for its old vCPU. */
void vgic_irq_route(struct vcpu *v, struct vgic_irq *irq, uint64_t irouter);

/** vgic_send_sgi() - emulate a trapped ICC_SGI1R_EL1 write of @value by @v (IHI 0069 12.2.23). */
void vgic_send_sgi(struct vcpu *v, uint64_t value);

/** vgic_v3_dist_ops - the emulated GICv3 distributor (vgic-v3-dist.c), VGIC_V3_DIST_SIZE bytes. */
extern const struct mmio_ops vgic_v3_dist_ops;
#define VGIC_V3_DIST_SIZE	0x10000
#define GICR_FRAME_SIZE		0x20000	/* RD_base + SGI_base, 64 KiB each (IHI 0069 12.10) */


/**
 * vgic_v3_add_mmio() - make @d's GICD frame (at d->vgic.dist_base) and its GICR frames
 * (128 KiB per vCPU from d->vgic.redist_base) emulated regions of @d.
 * Return: 0, or domain_add_mmio()'s error.
 */
int vgic_v3_add_mmio(struct domain *d);

/* Register-file helpers shared by the distributor and redistributor backends. */
uint64_t vgic_reg_read(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		       unsigned int size);
void vgic_reg_write(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		    unsigned int size, uint64_t val);

/* Register groups understood by vgic_reg_read/write (offsets relative to the group base). */
enum vgic_reg {
	VGIC_IGROUPR, VGIC_ISENABLER, VGIC_ICENABLER, VGIC_ISPENDR, VGIC_ICPENDR,
	VGIC_ISACTIVER, VGIC_ICACTIVER, VGIC_IPRIORITYR, VGIC_ICFGR,
};

/* Arch hooks: list registers and the CPU interface (arch/arm64/vgic-lr.c); kicks (sched.c). */
unsigned int vgic_nr_lrs(void);
uint64_t vgic_read_lr(unsigned int n);
void vgic_write_lr(unsigned int n, uint64_t val);
uint32_t vgic_read_elrsr(void);		/* ICH_ELRSR_EL2: bit n set = LR n is empty */
void vgic_write_hcr(uint64_t val);	/* ICH_HCR_EL2 */
/** vgic_cpuif_reset_pcpu() - ICH_HCR, every ICH_LR<n>, ICH_AP<m>R<n> and ICH_VMCR zeroed (pCPU start). */
void vgic_cpuif_reset_pcpu(void);
void vgic_save_cpuif(struct vgic_cpu *c);		/* ICH_VMCR_EL2, ICH_AP<n>R<m>_EL2 */
void vgic_restore_cpuif(const struct vgic_cpu *c);
#endif
