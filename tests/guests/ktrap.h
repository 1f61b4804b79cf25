// SPDX-License-Identifier: Apache-2.0
/*
 * Shared by the hostile-input and isolation checks: exception syndromes (Arm ARM D17.2.37,
 * ESR_EL1), Linux errno values, Xen hypercall numbers and sub-ops (Xen public/xen.h,
 * memory.h, version.h, vcpu.h, event_channel.h, grant_table.h, hvm/hvm_op.h, sched.h,
 * physdev.h), and arming the trap log of vectors.S around an access that should abort.
 */
#ifndef KTRAP_H
#define KTRAP_H
#include "ktest.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_WNR			(1UL << 6)
#define ESR_DFSC(esr)		((esr) & 0x3f)
#define EC_UNKNOWN		0x00
#define EC_DABT_CUR		0x25
#define DFSC_SYNC_EXTERNAL	0x10

#define EPERM			1
#define ENOENT			2
#define EFAULT			14
#define EBUSY			16
#define EINVAL			22
#define ENOSYS			38

/* Hypercall numbers and sub-ops: Xen public/xen.h, memory.h, version.h, vcpu.h, ... */
#define HC_PLATFORM_OP		7
#define HC_MEMORY_OP		12
#define HC_GRANT_TABLE_OP	20
#define HC_VCPU_OP		24
#define HC_SCHED_OP		29
#define HC_EVENT_CHANNEL_OP	32
#define HC_PHYSDEV_OP		33
#define HC_HVM_OP		34
#define XENMEM_current_reservation	3
#define XENMEM_add_to_physmap		7
#define XENMEM_remove_from_physmap	15
#define XENMAPSPACE_shared_info		0
#define XENMAPSPACE_grant_table		1
#define XENMAPSPACE_gmfn		2
#define XENMAPSPACE_gmfn_foreign	4
#define XENMAPIDX_GNTTAB_STATUS		(1UL << 31)
#define XENVER_GET_FEATURES		6
#define VCPUOP_register_runstate	5
#define EVTCHNOP_alloc_unbound		6
#define GNTTABOP_query_size		6
#define HVMOP_get_param			1
#define SCHEDOP_shutdown		2
#define PHYSDEVOP_pci_device_add	25
#define DOMID_SELF			0x7ff0
#define GNTTAB_MAX_FRAMES		64	/* Kestrel's CONFIG_GNTTAB_MAX_FRAMES default */

/* Device accesses of one width each, for checks that expect (or not) an abort. */
static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline void trap_arm(void)
{
	trap_log.esr = trap_log.elr = trap_log.far = trap_log.count = 0;
	trap_log.armed = 1;
	__asm__ volatile("" ::: "memory");
}

static inline void trap_disarm(void)
{
	__asm__ volatile("" ::: "memory");
	trap_log.armed = 0;
}

/* One injected synchronous external data abort at @at for @far, and nothing else. */
static inline int one_dabt(uint64_t at, uint64_t far, int write)
{
	return trap_log.count == 1 && ESR_EC(trap_log.esr) == EC_DABT_CUR &&
	       ESR_DFSC(trap_log.esr) == DFSC_SYNC_EXTERNAL && trap_log.elr == at && trap_log.far == far &&
	       !!(trap_log.esr & ESR_WNR) == write;
}

#define DABT_DETAILS	"traps=%lu ESR=0x%lx ELR=0x%lx (insn at 0x%lx) FAR=0x%lx"
#define DABT_ARGS(at)	trap_log.count, trap_log.esr, trap_log.elr, (uint64_t)(at), trap_log.far
#endif
