/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_SCHED_H
#define KESTREL_PUBLIC_SCHED_H

/*
 * __HYPERVISOR_sched_op(cmd, arg): scheduler requests from a guest
 * (yield, block, shut down). arg is the gva of the sub-op's struct or 0.
 * Source: Xen public/sched.h (stable-4.17).
 */

#include "xen.h"
#include "event_channel.h"

/*
 * Sub-op numbers. Source: Xen public/sched.h (stable-4.17).
 */
#define SCHEDOP_yield             0   /* arg unused: give up the CPU */
#define SCHEDOP_block             1   /* arg unused: sleep until an event (Arm guests use WFI) */
#define SCHEDOP_shutdown          2   /* struct sched_shutdown: stop the whole domain */
#define SCHEDOP_poll              3   /* struct sched_poll: wait for listed ports */
#define SCHEDOP_remote_shutdown   4   /* struct sched_remote_shutdown (privileged) */
#define SCHEDOP_shutdown_code     5   /* struct sched_shutdown: record reason for later */
#define SCHEDOP_watchdog          6   /* struct sched_watchdog */
#define SCHEDOP_pin_override      7   /* struct sched_pin_override (hardware domain) */

/*
 * Shutdown reasons (sched_shutdown.reason).
 * Source: Xen public/sched.h (stable-4.17).
 */
#define SHUTDOWN_poweroff     0   /* clean exit: destroy the domain */
#define SHUTDOWN_reboot       1   /* destroy, then restart */
#define SHUTDOWN_suspend      2   /* save state for a later resume */
#define SHUTDOWN_crash        3   /* the guest crashed */
#define SHUTDOWN_watchdog     4   /* watchdog expired: restart */
#define SHUTDOWN_soft_reset   5   /* reset Xen state, keep memory (e.g. kexec) */
#define SHUTDOWN_MAX          5   /* highest valid reason */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/*
 * SCHEDOP_shutdown / SCHEDOP_shutdown_code argument. 4 bytes (Xen uses
 * 'unsigned int', 32 bits on all Xen targets).
 * Source: Xen public/sched.h (stable-4.17).
 */
struct sched_shutdown {
    uint32_t reason;            /* SHUTDOWN_* */
};

/*
 * SCHEDOP_poll: block until one of nr_ports ports is pending or the
 * absolute system time 'timeout' (ns, 0 = none) passes. 24 bytes.
 * Source: Xen public/sched.h (stable-4.17).
 */
struct sched_poll {
    uint64_t ports;             /* guest handle: gva of evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint32_t _pad;              /* implicit alignment padding in Xen */
    uint64_t timeout;           /* ns of system time */
};

/*
 * SCHEDOP_remote_shutdown: shut down another domain. 8 bytes.
 * Source: Xen public/sched.h (stable-4.17).
 */
struct sched_remote_shutdown {
    domid_t  domain_id;
    uint16_t _pad;              /* implicit alignment padding in Xen */
    uint32_t reason;            /* SHUTDOWN_* */
};

/*
 * SCHEDOP_watchdog: id 0 creates a watchdog (returns its id); an existing
 * id with timeout 0 destroys it, otherwise re-arms it. Timeout in
 * seconds. 8 bytes. Source: Xen public/sched.h (stable-4.17).
 */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;           /* seconds */
};

/*
 * SCHEDOP_pin_override: pin the calling vCPU to physical CPU 'pcpu';
 * a negative value undoes the pin. 4 bytes.
 * Source: Xen public/sched.h (stable-4.17).
 */
struct sched_pin_override {
    int32_t pcpu;
};

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown size");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll size");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "sched_poll.nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown size");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4, "sched_remote_shutdown.reason");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog size");
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override size");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_SCHED_H */
