/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_XEN_H
#define KESTREL_PUBLIC_XEN_H

/*
 * Core of the Xen guest ABI spoken by Kestrel: hypercall numbers, error
 * numbers, domain ids, VIRQs and the shared-info page. Layouts are the
 * AArch64 ones; see arch-arm.h for the calling convention.
 */

#include "arch-arm.h"

/*
 * Hypercall numbers, passed in x16.
 * Source: Xen public/xen.h (stable-4.17). Several are x86-only; Kestrel
 * answers those with -XEN_ENOSYS.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
/* 11 is unassigned. */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* Architecture-specific hypercalls (none are defined for Arm). */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55

/* One past the highest hypercall number; handy for dispatch tables. */
#define KESTREL_NR_HYPERCALLS                      56

/*
 * Xen error numbers. Hypercalls return the negated value (e.g. -XEN_EINVAL).
 * They coincide with the Linux/asm-generic errno values.
 * Source: Xen public/errno.h (stable-4.17).
 */
#define XEN_EPERM          1   /* operation not permitted */
#define XEN_ENOENT         2   /* no such entry */
#define XEN_ESRCH          3   /* no such domain/vcpu */
#define XEN_EINTR          4   /* interrupted */
#define XEN_EIO            5   /* I/O error */
#define XEN_ENXIO          6   /* no such device or address */
#define XEN_E2BIG          7   /* argument too big */
#define XEN_EBADF          9   /* bad handle/port */
#define XEN_EAGAIN        11   /* try again */
#define XEN_ENOMEM        12   /* out of memory */
#define XEN_EACCES        13   /* access denied */
#define XEN_EFAULT        14   /* bad guest address */
#define XEN_EBUSY         16   /* resource busy */
#define XEN_EEXIST        17   /* already exists */
#define XEN_EXDEV         18   /* cross-domain operation not allowed */
#define XEN_ENODEV        19   /* no such device */
#define XEN_EINVAL        22   /* invalid argument */
#define XEN_ENOSPC        28   /* no space left */
#define XEN_ERANGE        34   /* result out of range */
#define XEN_ENOSYS        38   /* hypercall / sub-op not implemented */
#define XEN_ENODATA       61   /* no data available */
#define XEN_ETIME         62   /* timer already expired */
#define XEN_EOVERFLOW     75   /* value too large */
#define XEN_ERESTART      85   /* hypercall should be restarted */
#define XEN_EOPNOTSUPP    95   /* operation not supported */
#define XEN_ENOBUFS      105   /* no buffer space */

/*
 * Special domain ids (domid_t values). Real domains use 0..0x7FEF.
 * Source: Xen public/xen.h (stable-4.17).
 */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U  /* the calling domain */
#define DOMID_IO             0x7FF1U  /* owner of I/O (MMIO) pages */
#define DOMID_XEN            0x7FF2U  /* owner of hypervisor pages */
#define DOMID_COW            0x7FF3U  /* owner of shared copy-on-write pages */
#define DOMID_INVALID        0x7FF4U  /* unknown / no owner */
#define DOMID_IDLE           0x7FFFU  /* the idle domain */
#define DOMID_MASK           0x7FFFU

/*
 * Virtual interrupt sources that a guest binds to event channels with
 * EVTCHNOP_bind_virq. "per-vCPU" VIRQs can be bound once on each vCPU;
 * "global" ones once per domain (initially on vCPU0).
 * Source: Xen public/xen.h (stable-4.17).
 */
#define VIRQ_TIMER        0   /* per-vCPU: timer expired / time changed */
#define VIRQ_DEBUG        1   /* per-vCPU: please dump debug state */
#define VIRQ_CONSOLE      2   /* global: emergency console input (dom0) */
#define VIRQ_DOM_EXC      3   /* global: some domain had an exception (dom0) */
#define VIRQ_TBUF         4   /* global: trace buffers have data (dom0) */
/* 5 is unassigned. */
#define VIRQ_DEBUGGER     6   /* global: a domain paused for debugging */
#define VIRQ_XENOPROF     7   /* per-vCPU: profiling sample ready */
#define VIRQ_CON_RING     8   /* global: hypervisor console ring has data */
#define VIRQ_PCPU_STATE   9   /* global: physical CPU state changed */
#define VIRQ_MEM_EVENT   10   /* global: memory event raised */
#define VIRQ_ARGO        11   /* global: Argo message notification */
#define VIRQ_ENOMEM      12   /* global: hypervisor heap running low */
#define VIRQ_XENPMU      13   /* per-vCPU: PMU counter interrupt */
#define VIRQ_ARCH_0      16   /* 16..23: architecture-specific */
#define VIRQ_ARCH_1      17
#define VIRQ_ARCH_2      18
#define VIRQ_ARCH_3      19
#define VIRQ_ARCH_4      20
#define VIRQ_ARCH_5      21
#define VIRQ_ARCH_6      22
#define VIRQ_ARCH_7      23
#define NR_VIRQS         24

/*
 * __HYPERVISOR_console_io sub-ops: (cmd, count in bytes, buffer gva).
 * Source: Xen public/xen.h (stable-4.17).
 */
#define CONSOLEIO_write   0
#define CONSOLEIO_read    1

/*
 * __HYPERVISOR_vm_assist(cmd, type). Linux on Arm enables
 * VMASST_TYPE_runstate_update_flag so runstate updates set
 * XEN_RUNSTATE_UPDATE while in progress.
 * Source: Xen public/xen.h (stable-4.17).
 */
#define VMASST_CMD_enable                 0
#define VMASST_CMD_disable                1
#define VMASST_TYPE_4gb_segments          0   /* x86 only */
#define VMASST_TYPE_4gb_segments_notify   1   /* x86 only */
#define VMASST_TYPE_writable_pagetables   2   /* x86 only */
#define VMASST_TYPE_pae_extended_cr3      3   /* x86 only */
#define VMASST_TYPE_architectural_iopl    4   /* x86 only */
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32   /* x86 only */

/*
 * vcpu_time_info.flags bits.
 * Source: Xen public/xen.h (stable-4.17).
 */
#define XEN_PVCLOCK_TSC_STABLE_BIT   (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED    (1U << 1)

/*
 * vCPU run states reported in struct vcpu_runstate_info.
 * Source: Xen public/vcpu.h (stable-4.17).
 */
#define RUNSTATE_running   0   /* executing on a physical CPU */
#define RUNSTATE_runnable  1   /* ready, waiting for a physical CPU */
#define RUNSTATE_blocked   2   /* idle, waiting for an event */
#define RUNSTATE_offline   3   /* not runnable for another reason: down, paused, ... */

/*
 * Bit 63 of vcpu_runstate_info.state_entry_time: set while the hypervisor
 * is rewriting the guest's copy (only once the guest enabled
 * VMASST_TYPE_runstate_update_flag). Source: Xen public/vcpu.h (stable-4.17).
 */
#define XEN_RUNSTATE_UPDATE  (KESTREL_XEN_U64(1) << 63)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/* Domain identifier. Source: Xen public/xen.h (stable-4.17). */
typedef uint16_t domid_t;

/* Opaque 16-byte domain handle (a UUID). Source: Xen public/xen.h (stable-4.17). */
typedef uint8_t xen_domain_handle_t[16];

/*
 * One entry of a __HYPERVISOR_multicall batch (x0 = gva of the array,
 * x1 = number of entries). op is a hypercall number, result receives its
 * return value, args[] its arguments (only the first five are used).
 * 64 bytes. Source: Xen public/xen.h (stable-4.17).
 */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};

/*
 * Per-vCPU time base published by the hypervisor, 32 bytes.
 *
 * Seqlock protocol: version is odd while an update is in progress; a
 * reader retries until it sees the same even version before and after
 * reading. Time now (ns since boot) =
 *   system_time + ((((tsc - tsc_timestamp) << tsc_shift)
 *                   * tsc_to_system_mul) >> 32)
 * (a negative tsc_shift means a right shift). On Arm "tsc" is the
 * virtual counter CNTVCT_EL0.
 * Source: Xen public/xen.h (stable-4.17).
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* counter value at the last update */
    uint64_t system_time;       /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul; /* 32.32 fixed-point counter->ns factor */
    int8_t   tsc_shift;
    uint8_t  flags;             /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};

/*
 * Per-vCPU event delivery and time block, 48 bytes on Arm.
 *
 * evtchn_upcall_pending: set non-zero by the hypervisor when an event is
 * pending for this vCPU (the guest clears it before scanning).
 * evtchn_pending_sel: one bit per xen_ulong_t word of
 * shared_info.evtchn_pending that may contain pending, unmasked ports.
 * The byte after evtchn_upcall_pending is the upcall mask on x86; Arm has
 * no such mask (it uses the GIC PPI) and Xen names it pad0.
 *
 * Placed by VCPUOP_register_vcpu_info anywhere in a guest page as long as
 * it does not cross the page boundary; vcpu_info[0] of shared_info is the
 * legacy location for vCPU0.
 * Source: Xen public/xen.h + arch-arm.h (stable-4.17).
 */
struct vcpu_info {
    uint8_t  evtchn_upcall_pending;
    uint8_t  pad0;              /* x86: evtchn_upcall_mask; unused on Arm */
    uint8_t  pad1[6];           /* implicit alignment padding in Xen */
    xen_ulong_t evtchn_pending_sel;
    /* struct arch_vcpu_info is empty on Arm. */
    struct vcpu_time_info time;
};

/*
 * The shared-info page, mapped by the guest with XENMEM_add_to_physmap /
 * XENMAPSPACE_shared_info. 1088 bytes used out of one 4 KiB page.
 *
 * evtchn_pending / evtchn_mask: the 2-level event-channel bitmaps, one
 * bit per port (64 words x 64 bits = 4096 ports). The hypervisor sets
 * pending bits; the guest owns the mask bits.
 * wc_*: wall-clock time (seconds + ns since the Unix epoch) at system time
 * 0, protected by wc_version with the same protocol as vcpu_time_info.
 * Source: Xen public/xen.h + arch-arm.h (stable-4.17).
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;            /* low 32 bits of seconds */
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;         /* high 32 bits of seconds */
    /* struct arch_shared_info is empty on Arm. */
};

/*
 * vCPU run-state accounting, 48 bytes. Returned by
 * VCPUOP_get_runstate_info and kept up to date in guest memory after
 * VCPUOP_register_runstate_memory_area. Times are ns of system time.
 * Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_runstate_info {
    int32_t  state;             /* RUNSTATE_* */
    uint32_t _pad;              /* implicit alignment padding in Xen */
    uint64_t state_entry_time;  /* when 'state' was entered; bit 63 = XEN_RUNSTATE_UPDATE */
    uint64_t time[4];           /* total ns spent in each RUNSTATE_* */
};

/* Layout checks; values measured from Xen's own headers built for aarch64. */
_Static_assert(sizeof(domid_t) == 2, "domid_t");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");

_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8, "vcpu_time_info.tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16, "vcpu_time_info.system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "vcpu_time_info.tsc_to_system_mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "vcpu_time_info.tsc_shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "vcpu_time_info.flags");

_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info size (arm64)");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vcpu_info.evtchn_pending_sel");
_Static_assert(offsetof(struct vcpu_info, time) == 16, "vcpu_info.time");

_Static_assert(sizeof(struct shared_info) == 1088, "shared_info size (arm64)");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 48, "shared_info.evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 560, "shared_info.evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 1072, "shared_info.wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec) == 1076, "shared_info.wc_sec");
_Static_assert(offsetof(struct shared_info, wc_nsec) == 1080, "shared_info.wc_nsec");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 1084, "shared_info.wc_sec_hi");
_Static_assert(sizeof(struct shared_info) <= 4096, "shared_info fits in one page");

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info size");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "vcpu_runstate_info.state_entry_time");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "vcpu_runstate_info.time");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_XEN_H */
