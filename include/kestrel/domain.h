/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DOMAIN_H
#define KESTREL_DOMAIN_H
/*
 * Domains and vCPUs (Xen's terms: a domain owns memory, a p2m, event channels and
 * grant tables; it runs on one or more vCPUs). All domains are on domain_list.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/regs.h>
#include <asm/vcpu.h>
#include <kestrel/bootinfo.h>
#include <kestrel/console.h>
#include <kestrel/event.h>
#include <kestrel/grant_table.h>
#include <kestrel/mmio.h>
#include <kestrel/p2m.h>
#include <kestrel/ratelimit.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>
#include <kestrel/vgic.h>
#include <public/xen.h>

#define DOMAIN_MAX_BANKS	2

/**
 * union vcpu_exit_work - what a vCPU's way back from a trap must do besides restoring its
 * registers; one 16-bit load tells whether anything is to do (the fast path of every trap).
 * @vgic:    call vgic_flush_queued(): interrupts are queued, or ICH_HCR_EL2 must change
 *           (written under the domain's vGIC lock, by any pCPU).
 * @resched: this pCPU must reschedule (written only by the pCPU the vCPU is loaded on:
 *           sched.c for its own requests, the kick SGI's handler for another pCPU's).
 */
union vcpu_exit_work {
	struct {
		uint8_t vgic, resched;
	};
	uint16_t any;
};

/**
 * struct vcpu - one virtual CPU.
 * @regs:        general-purpose state, saved here by the trap vectors (must stay first).
 * @vmpidr:      value the guest reads as MPIDR_EL1 (VMPIDR_EL2): vcpu_id_to_mpidr(vcpu_id).
 * @vcpu_info:   hypervisor address of the guest's struct vcpu_info (shared-info slot,
 *               or where VCPUOP_register_vcpu_info put it).
 * @runstate_va: guest virtual address of its struct vcpu_runstate_info, or 0.
 * @processor:   the pCPU it runs on, or whose run queue it is on (kestrel/sched.h).
 * @sched:       scheduling state; @runstate: time in each RUNSTATE_*, in ns.
 * @initialised: started at least once (VCPUOP_up may resume it).
 * @reset_pending: start afresh at @boot_pc with x0 = @boot_x0 when next switched in.
 * @exit_work:   work for its return path (union vcpu_exit_work).
 * @arch:        the guest state held in system registers while it runs (asm/vcpu.h).
 */
struct vcpu {
	struct cpu_user_regs regs;
	struct domain *domain;
	unsigned int vcpu_id;
	unsigned int processor;
	uint64_t vmpidr;
	struct sched_vcpu sched;
	struct vcpu_runstate_info runstate;
	bool initialised, reset_pending;
	uint64_t boot_pc, boot_x0;
	struct vgic_cpu vgic;
	struct vcpu_info *vcpu_info;
	struct vcpu_info dummy_vcpu_info;
	bool vcpu_info_registered;
	uint64_t runstate_va;
	uint16_t virq_to_port[NR_VIRQS];
	union vcpu_exit_work exit_work;
	struct arch_vcpu arch;
};

/**
 * struct domain - a guest.
 * @domain_id:   0 for dom0.
 * @direct_map:  IPA == PA for RAM (dom0).
 * @mem:         RAM banks, IPA and PA (equal when @direct_map).
 * @shared_info: the domain's struct shared_info page (hypervisor pool page).
 * @shared_info_at: where XENMEM_add_to_physmap mapped it: its IPA | 1, or 0 (not mapped).
 * @pv:          offers Xen's PV interfaces (dom0; a domU with "xen,enhanced").
 * @is_dying:    being destroyed (domain_shutdown() of a domU): its vCPUs are off and
 *               the reaper frees it once none is loaded anywhere.
 * @config:      dom0less: the boot description it was built from (rebuilt on reboot).
 */
struct domain {
	uint16_t domain_id;
	bool is_privileged;
	bool direct_map;
	bool runstate_update_flag;	/* VMASST_TYPE_runstate_update_flag enabled */
	bool pv;
	bool is_dying, reap_grace;
	unsigned int refcnt;		/* pins by domain_get() */
	unsigned int shutdown_reason;
	struct timer reap_timer;
	const struct domu_config *config;
	unsigned int max_vcpus;
	struct vcpu *vcpu[CONFIG_MAX_VCPUS];
	struct p2m p2m;
	struct vgic_dist vgic;
	struct membank mem[DOMAIN_MAX_BANKS];
	unsigned int nr_mem;
	struct shared_info *shared_info;
	uint64_t shared_info_at;
	struct evtchn_domain evtchn;
	struct grant_table gnttab;
	uint64_t gnttab_ipa;		/* IPA of the grant-table region (/hypervisor reg) */
	struct mmio_region mmio[DOMAIN_MAX_MMIO];	/* emulated devices (domain_add_mmio()) */
	unsigned int nr_mmio;
	struct domain *next_in_list;
	spinlock_t lock;		/* event channels, p2m and grant-frame changes, vcpu_info */
	struct ratelimit log_limit;	/* log lines this domain triggers (gprintk_ratelimited) */
	struct vpl011 *vpl011;		/* emulated SBSA UART (vpl011_init()), or NULL */
	struct console_line console_line;	/* console_io output of a domU, held to its newline */
};

extern struct domain *domain_list;
/** domlist_lock - taken to add a domain to domain_list or take one off it. */
extern spinlock_t domlist_lock;
struct domu_config;

/** idle_domain - owner of the idle vCPUs (DOMID_IDLE); never on domain_list. */
extern struct domain idle_domain;

/** is_idle_vcpu() - true for a pCPU's idle vCPU (it never enters a guest). */
static inline bool is_idle_vcpu(const struct vcpu *v)
{
	return v->domain == &idle_domain;
}

/**
 * vcpu_create_idle() - the idle vCPU of pCPU @cpu, made at the first call (the boot pCPU
 * makes them all before building domains, so a pCPU coming up later takes nothing from
 * the heap). Return: it, or NULL when out of memory or @cpu >= CONFIG_NR_CPUS.
 */
struct vcpu *vcpu_create_idle(unsigned int cpu);

/**
 * struct domain_config - what a new domain is (Xen's xen_domctl_createdomain, reduced).
 * @domid:      its id (0 for dom0); its VMID is @domid + 1.
 * @max_vcpus:  vCPUs, 1..CONFIG_MAX_VCPUS.
 * @privileged: dom0: the hypercalls that act on the machine or other domains.
 * @direct_map: RAM at IPA == PA (dom0), else heap pages at the GUEST_RAM* IPAs.
 * @p2m_pages:  its pool of stage-2 table pages (p2m_pool_pages()).
 */
struct domain_config {
	uint16_t domid;
	unsigned int max_vcpus;
	bool privileged, direct_map;
	unsigned int p2m_pages;
};

/**
 * domain_create() - allocate a domain as @cfg says, with its vCPUs offline (placed by the
 * scheduler), an empty p2m and zeroed shared info, and put it on domain_list.
 * Return: the domain, or NULL with *@err = -EINVAL (@max_vcpus 0 or above
 * CONFIG_MAX_VCPUS, or @domid taken), -ENOMEM (nothing it took is kept), or -ENOSPC
 * (the scheduler has no pCPU for a vCPU, and printed why).
 */
struct domain *domain_create(const struct domain_config *cfg, int *err);

/**
 * domain_destroy() - take @d off domain_list, release what it shares (event channels,
 * console input, SPIs) and give all its memory back to the heap; prints the heap's free
 * page count. None of its vCPUs may be loaded anywhere (the reaper calls it). A domU that
 * asked to reboot is built again from its boot description.
 */
void domain_destroy(struct domain *d);

/** domain_release_resources() - what @d shares with others, undone (domain_destroy()). */
void domain_release_resources(struct domain *d);

/** domain_rebuild() - build again the dom0less domU that had id @domid (its reboot). */
void domain_rebuild(uint16_t domid);

/**
 * domain_free_ram() - give a domU's RAM back to the heap: every page its p2m maps as RAM
 * in its banks, whatever runs it was taken in. Nothing for a direct-mapped domain.
 */
void domain_free_ram(struct domain *d);

/**
 * domain_get() - the domain with @domid, pinned: domain_destroy() waits for domain_put()
 * before it frees it (hold it for one operation, never across a return to a guest).
 * Return: it, or NULL if no such domain is on domain_list.
 */
struct domain *domain_get(uint16_t domid);

/** domain_put() - drop a domain_get() pin. */
void domain_put(struct domain *d);

/** domain_by_id() - the domain with @domid, or NULL; boot-time or under domlist_lock. */
struct domain *domain_by_id(uint16_t domid);

/**
 * domain_ipa_is_ram() - true if guest range [ipa, ipa + size) is in one of @d's RAM banks.
 */
bool domain_ipa_is_ram(const struct domain *d, uint64_t ipa, uint64_t size);

/*
 * vCPU MPIDRs, as Xen numbers them (xen/arch/arm/domain.c, vcpu_initialise): Aff0 =
 * id % 16, Aff1 = id / 16, so that a GICv3 SGI target list (16 Aff0 values per Aff1
 * cluster, IHI 0069 12.2.23) can reach every vCPU. Bit 31 is RES1.
 */
#define MPIDR_AFF_MASK		0xff00ffffffUL	/* Aff3, Aff2, Aff1, Aff0 */

static inline uint64_t vcpu_id_to_mpidr(unsigned int id)
{
	return (1UL << 31) | (uint64_t)(id / 16) << 8 | (id % 16);
}

/** mpidr_to_vcpu_id() - the vCPU id with affinity @mpidr, or -1 if none can have it. */
static inline int mpidr_to_vcpu_id(uint64_t mpidr)
{
	if (mpidr & (MPIDR_AFF_MASK & ~0xffffUL) || (mpidr & 0xff) >= 16)
		return -1;
	return (int)(((mpidr >> 8) & 0xff) * 16 + (mpidr & 0xff));
}

/**
 * domain_find_mmio() - the emulated region of @d that holds IPA @ipa, or NULL. Inline:
 * the data-abort path asks on every trapped device access, over a handful of regions.
 */
static inline const struct mmio_region *domain_find_mmio(const struct domain *d, uint64_t ipa)
{
	for (unsigned int i = 0; i < d->nr_mmio; i++)
		if (ipa - d->mmio[i].base < d->mmio[i].size)
			return &d->mmio[i];
	return NULL;
}

/**
 * vcpu_reset() - set @v's registers to the arm64 Linux boot state: PC @entry, x0 @x0,
 * EL1h with DAIF masked (the EL1 system registers are reset when it is next loaded).
 */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);

/** vcpu_init_pcpu() - the EL2 controls every pCPU runs guests with (VTCR, CNTHCTL, MDCR, ...). */
void vcpu_init_pcpu(void);

/**
 * runstate_area_update() - copy @v's runstate (v->runstate) to the area it registered
 * with VCPUOP_register_runstate_memory_area, if any; @v's address space must be loaded
 * (common/vcpu_op.c). Faults are ignored: the area is the guest's to keep mapped.
 */
void runstate_area_update(struct vcpu *v);

/**
 * domain_shutdown() - @d asked to stop (SCHEDOP_shutdown, PSCI SYSTEM_OFF/RESET, its last
 * vCPU off) with a SHUTDOWN_* @reason. dom0's stop is the machine's (does not return);
 * a domU's vCPUs go offline at once and it is destroyed (rebuilt for SHUTDOWN_reboot)
 * once none of them is loaded: the caller returns to the scheduler.
 */
void domain_shutdown(struct domain *d, unsigned int reason);

/**
 * current - the vCPU loaded on this pCPU (NULL before the first guest entry): one
 * TPIDR_EL2 read and one load, inline because every trap path asks for it. Host unit
 * tests define KESTREL_HOST_CURRENT and supply their own current_vcpu().
 */
#ifdef KESTREL_HOST_CURRENT
struct vcpu *current_vcpu(void);
#else
#include <asm/pcpu.h>
static inline struct vcpu *current_vcpu(void)
{
	return this_pcpu()->curr;
}
#endif
#define current current_vcpu()
#endif
