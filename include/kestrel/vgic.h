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
#define VGIC_STATE_WORDS	(1024 / 32)	/* one bit per INTID, as the GICD bitmap registers */

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
	uint64_t ich_hcr;			/* VGIC_HCR_* last written for this vCPU (ICH_HCR_EL2 / GICH_HCR) */
	uint16_t lr_intid[VGIC_MAX_LRS];
	uint32_t lr_used;			/* bit n: ICH_LR<n>_EL2 holds lr_intid[n] */
	uint32_t waker;				/* GICR_WAKER.ProcessorSleep */
	uint32_t enabled0;			/* bit n: private_irqs[n].enabled */
	uint32_t icfgr0[2];			/* GICR_ICFGR0/1 as read: bit 2n + 1 = private_irqs[n].edge */
	uint64_t vmcr;				/* ICH_VMCR_EL2 while not loaded */
	uint64_t lr_saved[VGIC_MAX_LRS];	/* ICH_LR<n>_EL2 of lr_used while not loaded */
	uint32_t ap0r[4], ap1r[4];		/* ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2 while not loaded */
};

/** struct vgic_dist - per-domain distributor state. */
struct vgic_dist {
	uint32_t ctlr;
	unsigned int nr_spis;
	struct vgic_irq *spis;
	/*
	 * Bit n of word w: SPI 32 * w + n is enabled / pending (word 0, the private INTIDs, is
	 * unused: their enabled bits are vgic_cpu.enabled0; their pending bits are not kept,
	 * as SGIs and PPIs change state on every delivery, and read from the fields). A copy
	 * of the vgic_irq fields, kept by the core under @lock, so the bitmap registers read
	 * and compare 32 INTIDs at once.
	 */
	uint32_t enabled[VGIC_STATE_WORDS], pending[VGIC_STATE_WORDS];
	uint32_t hw[VGIC_STATE_WORDS];		/* SPIs backed by a physical one (vgic_irq_set_hw()) */
	uint32_t icfgr[VGIC_MAX_INTID / 16 + 1];	/* GICD_ICFGR<n> as read: bit 2i + 1 = SPI 16n + i's edge */
	uint64_t dist_base, redist_base;	/* guest IPAs of GICD and of GICR frame 0 (GICv3) */
	uint64_t cpu_base, cpu_size;		/* guest IPA and bytes of GICC (GICv2) */
	spinlock_t lock;
};

/**
 * struct vgic_frames - where a domain sees its GIC (guest IPAs, sizes in bytes).
 * @dist_base:   GICD.
 * @redist_base: GICR frame 0 (GICv3; 128 KiB per vCPU from there).
 * @cpu_base:    GICC (GICv2): mapped onto the host's GICV through stage 2.
 * @cpu_size:    GICC's size: 8 KiB (the usable window of the host's GICV is mapped), or the
 *               host GICC frame's size for dom0 (the host's GICV frame is mapped as it is,
 *               64 KiB aliases included, so dom0 finds the layout the host's DT describes).
 */
struct vgic_frames {
	uint64_t dist_base, redist_base;
	uint64_t cpu_base, cpu_size;
};

/**
 * vgic_domain_init_frames() - set up @d's distributor with @nr_spis SPIs and its GIC frames
 * at @f, for the backend in use (vgic_version()).
 * Return: 0, -EINVAL (too many SPIs, a frame the backend cannot place), -ENOMEM, or the
 * backend's add_mmio() error.
 */
int vgic_domain_init_frames(struct domain *d, unsigned int nr_spis, const struct vgic_frames *f);

/**
 * vgic_domain_init() - vgic_domain_init_frames() with GICD at @dist_base and, on GICv3, GICR
 * at @redist_base; on GICv2 @redist_base is GICC's IPA, 8 KiB (GUEST_GICC_SIZE).
 */
int vgic_domain_init(struct domain *d, unsigned int nr_spis, uint64_t dist_base, uint64_t redist_base);

/** vgic_domain_free() - give @d's SPI state back to the heap (domain destruction). */
void vgic_domain_free(struct domain *d);
/**
 * vgic_guest_frames() - the frames a domain other than dom0 gets (Xen's guest memory map,
 * public/arch-arm.h): GUEST_GICV3_GICD/GICR0 on GICv3, GUEST_GICD/GUEST_GICC on GICv2. For
 * device-tree generators, with vgic_version() for the node's compatible.
 */
void vgic_guest_frames(struct vgic_frames *f);

/** vgic_vcpu_init() - reset @v's private interrupts (SGIs edge, PPIs level, all disabled). */
void vgic_vcpu_init(struct vcpu *v);

/** vgic_get_irq() - state of @intid as seen by @v, or NULL if @intid is not implemented. */
struct vgic_irq *vgic_get_irq(struct vcpu *v, unsigned int intid);

/**
 * vgic_inject() - make @intid pending for @v (SGI/PPI) or for its routed vCPU (SPI).
 * Delivered through a list register on the vCPU's next entry if enabled.
 */
void vgic_inject(struct vcpu *v, unsigned int intid);


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

/**
 * vgic_enabled_word() - the 32-bit word of @v's view holding the enabled bits of INTIDs
 * 32 * (@intid / 32) and up: bit n for INTID 32 * (@intid / 32) + n, as in GICD/GICR_ISENABLER.
 * Private INTIDs are @v's own. Read and written under the domain's vGIC lock; the core
 * keeps it equal to the vgic_irq fields (and vgic_dist.pending for SPIs' pending bits).
 */
#define vgic_enabled_word(v, intid)							\
	((intid) < VGIC_NR_PRIVATE ? &(v)->vgic.enabled0 : &(v)->domain->vgic.enabled[(intid) / 32])

/**
 * vgic_icfgr_word() - the ICFGR word of @v's view for INTIDs 16 * (@intid / 16) and up, as
 * the register reads: bit 2n + 1 is INTID 16 * (@intid / 16) + n's vgic_irq.edge (IHI 0069
 * 12.9.9), the other bits 0. Kept by the core under the domain's vGIC lock.
 */
#define vgic_icfgr_word(v, intid)							\
	((intid) < VGIC_NR_PRIVATE ? &(v)->vgic.icfgr0[(intid) / 16] : &(v)->domain->vgic.icfgr[(intid) / 16])

/**
 * vgic_irq_set_hw() - SPI @irq of @d is backed by the physical INTID of the same number
 * (irq_route_to_domain()): its vgic_irq.hw and its bit in vgic_dist.hw.
 */
void vgic_irq_set_hw(struct domain *d, struct vgic_irq *irq);

/** vgic_irq_set_enabled() - GICD/GICR_IS/ICENABLER semantics for one interrupt. */
void vgic_irq_set_enabled(struct vcpu *v, struct vgic_irq *irq, bool enable);

/** vgic_irq_set_pending() - GICD/GICR_IS/ICPENDR semantics for one interrupt. */
void vgic_irq_set_pending(struct vcpu *v, struct vgic_irq *irq, bool pending);

/** vgic_irq_route() - set an SPI's GICD_IROUTER, moving it if it waits for its old vCPU. */
void vgic_irq_route(struct vcpu *v, struct vgic_irq *irq, uint64_t irouter);


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
/**
 * vgic_bitmap_mmio_read() - a 32-bit read of bitmap register group @reg (VGIC_ISENABLER ..
 * VGIC_ICPENDR) for INTIDs @intid (a multiple of 32) and up, as @v sees them: the same as
 * vgic_reg_read() of one register, without its decode; takes the domain's vGIC lock.
 * Return: the value (zero past the domain's INTIDs), never refused.
 */
struct mmio_read vgic_bitmap_mmio_read(struct vcpu *v, unsigned int reg, unsigned int intid);
/**
 * vgic_bitmap_mmio_write() - a 32-bit write of @val to bitmap register group @reg
 * (VGIC_IGROUPR .. VGIC_ICACTIVER) for INTIDs @intid (a multiple of 32) and up, as @v sees
 * them: the same as vgic_reg_write() of one register, without its decode; takes the
 * domain's vGIC lock. Return: true (never refused), for the MMIO handlers to return.
 */
bool vgic_bitmap_mmio_write(struct vcpu *v, unsigned int reg, unsigned int intid, uint32_t val);
/**
 * vgic_priority_mmio_write() - a @size-byte (1 or 4) write of @val to IPRIORITYR for INTIDs
 * @intid (a multiple of @size) and up, as @v sees them: the same as vgic_reg_write() of one
 * register, without its decode; takes the domain's vGIC lock. Return: true (never refused).
 */
bool vgic_priority_mmio_write(struct vcpu *v, unsigned int intid, unsigned int size, uint32_t val);
/** vgic_icfgr_mmio_write() - the same for a 32-bit ICFGR write (INTIDs @intid, a multiple of 16, and up). */
bool vgic_icfgr_mmio_write(struct vcpu *v, unsigned int intid, uint32_t val);
uint64_t vgic_reg_read(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		       unsigned int size);
void vgic_reg_write(struct vcpu *v, unsigned int reg, unsigned int first_intid, unsigned int offset,
		    unsigned int size, uint64_t val);

/* Register groups understood by vgic_reg_read/write (offsets relative to the group base). */
enum vgic_reg {
	VGIC_IGROUPR, VGIC_ISENABLER, VGIC_ICENABLER, VGIC_ISPENDR, VGIC_ICPENDR,
	VGIC_ISACTIVER, VGIC_ICACTIVER, VGIC_IPRIORITYR, VGIC_ICFGR,
};

/*
 * Kestrel's list-register format, the one the vGIC core reads and writes: a 64-bit value
 * with the fields of a list register. Its layout is that of GICv3's ICH_LR<n>_EL2 (IHI 0069
 * 12.5.10), so the GICv3 backend moves it unchanged; the GICv2 backend converts to and from
 * GICH_LR<n> (IHI 0048B 5.3.11). The core uses only these names.
 */
#define VGIC_LR_PENDING		(1UL << 62)
#define VGIC_LR_ACTIVE		(2UL << 62)
#define VGIC_LR_HW		(1UL << 61)
#define VGIC_LR_GROUP1		(1UL << 60)
#define VGIC_LR_PRIO_SHIFT	48		/* 8-bit priority, bits [55:48] */
#define VGIC_LR_PINTID_SHIFT	32		/* physical INTID, bits [41:32] (HW only) */
#define VGIC_LR_VINTID_MASK	0xffffffffUL	/* virtual INTID, bits [31:0] */

/* Kestrel's hypervisor-control flags, as in ICH_HCR_EL2 and GICH_HCR (IHI 0069 12.5.3, IHI 0048B 5.3.2). */
#define VGIC_HCR_EN		(1UL << 0)	/* the virtual CPU interface is on */
#define VGIC_HCR_UIE		(1UL << 1)	/* maintenance interrupt when at most one LR is valid */

/**
 * struct vgic_backend - one version of the hardware's virtual CPU interface and the guest's
 * view of the GIC: chosen once at boot from the host DT (vgic_set_backend()), used by the
 * core for every list-register access and vCPU switch.
 * @name:          "GICv3", "GICv2".
 * @version:       3 or 2: the GIC the guests see.
 * @sysreg_cpuif:  the ICH_* system registers: the core reaches them inline (asm/vgic-hw.h)
 *                 instead of through this table, on its hot paths.
 * @nr_lrs:        implemented list registers (at most VGIC_MAX_LRS).
 * @read_lr:       list register @n in Kestrel's format (VGIC_LR_*).
 * @write_lr:      write list register @n from Kestrel's format.
 * @read_elrsr:    bit n set: list register n holds no interrupt (ICH_ELRSR_EL2, GICH_ELRSR0).
 * @write_hcr:     VGIC_HCR_* flags to the hypervisor control register.
 * @save_cpuif:    the rest of a loaded vCPU's CPU interface (VMCR, active priorities) to @c.
 * @restore_cpuif: the inverse of @save_cpuif.
 * @add_mmio:      make the domain's GIC frames (d->vgic.dist_base, ...) emulated or mapped.
 *                 Return: 0 or a negative errno (domain_add_mmio(), p2m errors).
 */
struct vgic_backend {
	const char *name;
	unsigned int version;
	bool sysreg_cpuif;
	unsigned int (*nr_lrs)(void);
	uint64_t (*read_lr)(unsigned int n);
	void (*write_lr)(unsigned int n, uint64_t lr);
	uint32_t (*read_elrsr)(void);
	void (*write_hcr)(uint64_t hcr);
	void (*save_cpuif)(struct vgic_cpu *c);
	void (*restore_cpuif)(const struct vgic_cpu *c);
	int (*add_mmio)(struct domain *d);
};

/** vgic_hw - the backend in use (set by vgic_set_backend() before any domain exists). */
extern const struct vgic_backend *vgic_hw;
/** vgic_hw_sysreg - vgic_hw->sysreg_cpuif, one byte to test on hot paths. */
extern bool vgic_hw_sysreg;

/** vgic_set_backend() - use @b for every domain (called by the host GIC driver's probe). */
void vgic_set_backend(const struct vgic_backend *b);

/** vgic_v2_backend - GICH list registers, emulated GICD, GICC backed by the host GICV (gic-v2.c, vgic-v2-dist.c). */
extern const struct vgic_backend vgic_v2_backend;

/**
 * vgic_v2_add_mmio() - @d's emulated GICv2 distributor (4 KiB at d->vgic.dist_base) and its
 * GICC (d->vgic.cpu_base) mapped onto the host's GICV. Return: 0, -EINVAL, or a p2m error.
 */
int vgic_v2_add_mmio(struct domain *d);

/** vgic_v3_backend - GICv3 system-register CPU interface, emulated GICD + GICR (vgic-v3-*.c). */
extern const struct vgic_backend vgic_v3_backend;
/* The GICv3 backend's CPU-interface functions, called directly by asm/vgic-hw.h. */
unsigned int vgic_v3_nr_lrs(void);
void vgic_v3_save_cpuif(struct vgic_cpu *c);
void vgic_v3_restore_cpuif(const struct vgic_cpu *c);

/** vgic_version() - the GIC version guests see (3 or 2), for device-tree generators. */
static inline unsigned int vgic_version(void)
{
	return vgic_hw->version;
}

/**
 * vgic_sgi_to_list() - make SGI @intid (0-15) pending on vCPUs @first + n of @v's domain for
 * each bit n of @list: what a decoded ICC_SGI1R_EL1 (TargetList under Aff1) or GICD_SGIR
 * (CPUTargetList) write asks. vCPUs that do not exist are skipped. Takes the vGIC lock.
 */
void vgic_sgi_to_list(struct vcpu *v, unsigned int intid, unsigned int first, uint32_t list);

/** vgic_sgi_to_others() - SGI @intid to every vCPU of @v's domain but @v. */
void vgic_sgi_to_others(struct vcpu *v, unsigned int intid);

#include <kestrel/vgic-v3.h>
/** vgic_cpuif_reset_pcpu() - zero this pCPU's list, active-priority, VMCR and HCR registers (pCPU start). */
void vgic_cpuif_reset_pcpu(void);
#endif
