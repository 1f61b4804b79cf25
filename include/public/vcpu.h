/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_VCPU_H
#define KESTREL_PUBLIC_VCPU_H

/*
 * __HYPERVISOR_vcpu_op(cmd, vcpuid, arg): per-vCPU operations. arg is the
 * gva of the sub-op's struct (or 0). Upstream Xen on Arm accepts only
 * VCPUOP_register_vcpu_info and VCPUOP_register_runstate_memory_area
 * (secondary vCPUs are started with PSCI instead).
 * struct vcpu_runstate_info and RUNSTATE_* are in xen.h.
 * Source: Xen public/vcpu.h (stable-4.17).
 */

#include "xen.h"

/*
 * Sub-op numbers. Source: Xen public/vcpu.h (stable-4.17); 14 and 15
 * from Xen 4.18+.
 */
#define VCPUOP_initialise                       0   /* arg: vcpu_guest_context */
#define VCPUOP_up                               1   /* arg unused */
#define VCPUOP_down                             2   /* arg unused */
#define VCPUOP_is_up                            3   /* arg unused; returns 1 if up */
#define VCPUOP_get_runstate_info                4   /* arg: struct vcpu_runstate_info (OUT) */
#define VCPUOP_register_runstate_memory_area    5   /* arg: struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer               6   /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer              7   /* arg unused */
#define VCPUOP_set_singleshot_timer             8   /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer            9   /* arg unused */
#define VCPUOP_register_vcpu_info              10   /* arg: struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                        11   /* x86 */
#define VCPUOP_get_physid                      12   /* x86 */
#define VCPUOP_register_vcpu_time_memory_area  13   /* x86 */
#define VCPUOP_register_runstate_phys_area     14   /* Xen 4.18+: addr is a guest physical address */
#define VCPUOP_register_vcpu_time_phys_area    15   /* Xen 4.18+ */

/*
 * vcpu_set_singleshot_timer.flags: fail with -XEN_ETIME if the deadline
 * has already passed (the hypervisor may ignore this).
 * Source: Xen public/vcpu.h (stable-4.17).
 */
#define VCPU_SSHOTTMR_future   (1U << 0)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/*
 * VCPUOP_register_vcpu_info: move this vCPU's struct vcpu_info into guest
 * memory at gfn 'mfn', byte 'offset' within that 4 KiB page. The struct
 * must not cross the page end; allowed once per vCPU. 16 bytes.
 * Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_register_vcpu_info {
    uint64_t mfn;               /* gfn of the page on Arm */
    uint32_t offset;            /* byte offset within the page */
    uint32_t rsvd;              /* reserved, ignored */
};

/*
 * VCPUOP_register_runstate_memory_area: the hypervisor keeps a copy of
 * struct vcpu_runstate_info at this address, refreshed whenever the vCPU
 * is scheduled. Xen declares the member as a union of a guest handle, a
 * pointer and a uint64_t, all the same 8 bytes; on Arm it is a guest
 * virtual address. (With VCPUOP_register_runstate_phys_area the same
 * field carries a guest physical address.) 8 bytes.
 * Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_register_runstate_memory_area {
    union {
        uint64_t h;             /* guest handle: gva of vcpu_runstate_info */
        uint64_t p;             /* same bits, as a plain address */
    } addr;
};

/*
 * VCPUOP_register_vcpu_time_memory_area: same shape, for a copy of
 * struct vcpu_time_info. 8 bytes. Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_register_time_memory_area {
    union {
        uint64_t h;             /* guest handle: gva of vcpu_time_info */
        uint64_t p;
    } addr;
};

/*
 * VCPUOP_set_periodic_timer: period in ns (Xen may refuse < 1 ms). 8 bytes.
 * Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

/*
 * VCPUOP_set_singleshot_timer: absolute deadline in ns of system time;
 * fires VIRQ_TIMER. 16 bytes. Source: Xen public/vcpu.h (stable-4.17).
 */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
    uint32_t _pad;              /* implicit tail padding in Xen */
};

_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info size");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8, "vcpu_register_vcpu_info.offset");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, rsvd) == 12, "vcpu_register_vcpu_info.rsvd");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "vcpu_register_runstate_memory_area size");
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "vcpu_register_time_memory_area size");
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "vcpu_set_periodic_timer size");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "vcpu_set_singleshot_timer size");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8, "vcpu_set_singleshot_timer.flags");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_VCPU_H */
