/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_PLATFORM_H
#define KESTREL_PUBLIC_PLATFORM_H

/*
 * __HYPERVISOR_platform_op(arg): privileged (dom0) platform control.
 * arg is the gva of a struct xen_platform_op. Upstream Xen on Arm only
 * implements XENPF_settime64; Linux dom0 uses it to push wall-clock
 * updates.
 * Source: Xen public/platform.h (stable-4.17).
 */

#include "xen.h"

/*
 * Value the caller must put in xen_platform_op.interface_version.
 * Source: Xen public/platform.h (stable-4.17).
 */
#define XENPF_INTERFACE_VERSION   0x03000001

/*
 * Commands (xen_platform_op.cmd) Kestrel knows by name; every other
 * command is rejected. Source: Xen public/platform.h (stable-4.17).
 */
#define XENPF_settime32           17   /* struct xenpf_settime32 */
#define XENPF_settime64           62   /* struct xenpf_settime64 */

/* Size in bytes of the command-specific union in xen_platform_op. */
#define XENPF_UNION_SIZE          128

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/*
 * XENPF_settime32: set the wall clock so that it reads secs.nsecs (since
 * the Unix epoch) at hypervisor system time 'system_time' (ns since
 * boot). 16 bytes. Source: Xen public/platform.h (stable-4.17).
 */
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

/*
 * XENPF_settime64: same with 64-bit seconds; 'mbz' must be zero.
 * 24 bytes. Source: Xen public/platform.h (stable-4.17).
 */
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

/*
 * The platform_op argument block: a command header followed by a 128-byte
 * union (8-byte aligned, so it starts at offset 8). Xen's union lists a
 * member for every command; only the ones Kestrel reads are named here,
 * and 'pad' keeps the size. 136 bytes.
 * Source: Xen public/platform.h (stable-4.17).
 */
struct xen_platform_op {
    uint32_t cmd;               /* XENPF_* */
    uint32_t interface_version; /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        uint8_t                pad[XENPF_UNION_SIZE];
    } u;
};

_Static_assert(sizeof(struct xenpf_settime32) == 16, "xenpf_settime32 size");
_Static_assert(offsetof(struct xenpf_settime32, system_time) == 8, "xenpf_settime32.system_time");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "xenpf_settime64 size");
_Static_assert(offsetof(struct xenpf_settime64, nsecs) == 8, "xenpf_settime64.nsecs");
_Static_assert(offsetof(struct xenpf_settime64, mbz) == 12, "xenpf_settime64.mbz");
_Static_assert(offsetof(struct xenpf_settime64, system_time) == 16, "xenpf_settime64.system_time");
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op size");
_Static_assert(offsetof(struct xen_platform_op, interface_version) == 4, "xen_platform_op.interface_version");
_Static_assert(offsetof(struct xen_platform_op, u) == 8, "xen_platform_op.u");
_Static_assert(sizeof(((struct xen_platform_op *)0)->u) == XENPF_UNION_SIZE, "xen_platform_op.u size");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_PLATFORM_H */
