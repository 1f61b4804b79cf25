/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_EVENT_CHANNEL_H
#define KESTREL_PUBLIC_EVENT_CHANNEL_H

/*
 * __HYPERVISOR_event_channel_op(cmd, arg): event channels, the Xen
 * notification mechanism. arg is the gva of the sub-op's struct; IN
 * fields are read, OUT fields written back.
 * Source: Xen public/event_channel.h (stable-4.17).
 */

#include "xen.h"

/*
 * Sub-op numbers. Source: Xen public/event_channel.h (stable-4.17).
 */
#define EVTCHNOP_bind_interdomain   0   /* struct evtchn_bind_interdomain */
#define EVTCHNOP_bind_virq          1   /* struct evtchn_bind_virq */
#define EVTCHNOP_bind_pirq          2   /* struct evtchn_bind_pirq */
#define EVTCHNOP_close              3   /* struct evtchn_close */
#define EVTCHNOP_send               4   /* struct evtchn_send */
#define EVTCHNOP_status             5   /* struct evtchn_status */
#define EVTCHNOP_alloc_unbound      6   /* struct evtchn_alloc_unbound */
#define EVTCHNOP_bind_ipi           7   /* struct evtchn_bind_ipi */
#define EVTCHNOP_bind_vcpu          8   /* struct evtchn_bind_vcpu */
#define EVTCHNOP_unmask             9   /* struct evtchn_unmask */
#define EVTCHNOP_reset             10   /* struct evtchn_reset */
#define EVTCHNOP_init_control      11   /* struct evtchn_init_control (FIFO ABI) */
#define EVTCHNOP_expand_array      12   /* struct evtchn_expand_array (FIFO ABI) */
#define EVTCHNOP_set_priority      13   /* struct evtchn_set_priority (FIFO ABI) */
/*
 * 14 is used inside Xen only (continuation of EVTCHNOP_reset); Xen's
 * header hides it from guests. Reserved here, never valid from a guest.
 */
#define EVTCHNOP_reset_cont        14

/*
 * evtchn_status.status values. Source: Xen public/event_channel.h (stable-4.17).
 */
#define EVTCHNSTAT_closed        0   /* port free */
#define EVTCHNSTAT_unbound       1   /* waiting for a remote domain to bind */
#define EVTCHNSTAT_interdomain   2   /* connected to a remote port */
#define EVTCHNSTAT_pirq          3   /* bound to a physical IRQ */
#define EVTCHNSTAT_virq          4   /* bound to a VIRQ_* */
#define EVTCHNSTAT_ipi           5   /* bound as an inter-vCPU IPI */

/* evtchn_bind_pirq.flags: the physical IRQ may be shared. */
#define BIND_PIRQ__WILL_SHARE    1

/*
 * Number of ports of the 2-level ABI on Arm (64-bit words):
 * 64 selector bits x 64 bits per word = 4096.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
#define EVTCHN_2L_NR_CHANNELS    4096

/*
 * FIFO event-channel ABI constants (EVTCHNOP_init_control & co). Priority
 * 0 is highest. Source: Xen public/event_channel.h (stable-4.17).
 */
#define EVTCHN_FIFO_PRIORITY_MAX      0
#define EVTCHN_FIFO_PRIORITY_DEFAULT  7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       16
#define EVTCHN_FIFO_PENDING          31   /* bit numbers in an event word */
#define EVTCHN_FIFO_MASKED           30
#define EVTCHN_FIFO_LINKED           29
#define EVTCHN_FIFO_BUSY             28
#define EVTCHN_FIFO_LINK_BITS        17
#define EVTCHN_FIFO_LINK_MASK        ((1U << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS      (1U << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/* An event-channel port number (local to one domain). */
typedef uint32_t evtchn_port_t;

/*
 * EVTCHNOP_alloc_unbound: create a port in 'dom' that 'remote_dom' may
 * later connect to with EVTCHNOP_bind_interdomain. 8 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_alloc_unbound {
    domid_t       dom;          /* IN: owner of the new port (DOMID_SELF unless privileged) */
    domid_t       remote_dom;   /* IN: who may connect (DOMID_SELF allowed) */
    evtchn_port_t port;         /* OUT: new port */
};

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to an unbound port
 * of remote_dom. The new local port starts out pending. 12 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_bind_interdomain {
    domid_t       remote_dom;   /* IN */
    uint16_t      _pad;         /* implicit alignment padding in Xen */
    evtchn_port_t remote_port;  /* IN */
    evtchn_port_t local_port;   /* OUT */
};

/*
 * EVTCHNOP_bind_virq: bind a new port to VIRQ 'virq' delivered to vCPU
 * 'vcpu'. 12 bytes. Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_bind_virq {
    uint32_t      virq;         /* IN: VIRQ_* */
    uint32_t      vcpu;         /* IN */
    evtchn_port_t port;         /* OUT */
};

/*
 * EVTCHNOP_bind_pirq: bind a new port to physical IRQ 'pirq'. 12 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_bind_pirq {
    uint32_t      pirq;         /* IN */
    uint32_t      flags;        /* IN: BIND_PIRQ__* */
    evtchn_port_t port;         /* OUT */
};

/*
 * EVTCHNOP_bind_ipi: new port for signalling vCPU 'vcpu' of the same
 * domain. 8 bytes. Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_bind_ipi {
    uint32_t      vcpu;         /* IN */
    evtchn_port_t port;         /* OUT */
};

/*
 * EVTCHNOP_close: free a local port; an interdomain peer falls back to
 * EVTCHNSTAT_unbound. 4 bytes. Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_close {
    evtchn_port_t port;         /* IN */
};

/*
 * EVTCHNOP_send: signal the other end of local port 'port'. 4 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_send {
    evtchn_port_t port;         /* IN */
};

/*
 * EVTCHNOP_status: describe port 'port' of domain 'dom'. The union member
 * that is valid depends on 'status'. 24 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_status {
    domid_t       dom;          /* IN: DOMID_SELF unless privileged */
    uint16_t      _pad;         /* implicit alignment padding in Xen */
    evtchn_port_t port;         /* IN */
    uint32_t      status;       /* OUT: EVTCHNSTAT_* */
    uint32_t      vcpu;         /* OUT: vCPU notified by this port */
    union {
        struct {
            domid_t dom;        /* peer allowed to connect */
        } unbound;              /* EVTCHNSTAT_unbound */
        struct {
            domid_t       dom;  /* peer domain */
            uint16_t      _pad;
            evtchn_port_t port; /* peer port */
        } interdomain;          /* EVTCHNSTAT_interdomain */
        uint32_t pirq;          /* EVTCHNSTAT_pirq */
        uint32_t virq;          /* EVTCHNSTAT_virq */
    } u;
};

/*
 * EVTCHNOP_bind_vcpu: route notifications of 'port' to vCPU 'vcpu'
 * (not allowed for per-vCPU VIRQs). 8 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port;         /* IN */
    uint32_t      vcpu;         /* IN */
};

/*
 * EVTCHNOP_unmask: clear the port's mask bit and raise an upcall if it is
 * pending. 4 bytes. Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_unmask {
    evtchn_port_t port;         /* IN */
};

/*
 * EVTCHNOP_reset: close every port of 'dom'. 2 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_reset {
    domid_t dom;                /* IN: DOMID_SELF unless privileged */
};

/*
 * EVTCHNOP_init_control: switch to the FIFO ABI, control block for vCPU
 * 'vcpu' at byte 'offset' of gfn 'control_gfn'. 24 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_init_control {
    uint64_t control_gfn;       /* IN */
    uint32_t offset;            /* IN: bytes */
    uint32_t vcpu;              /* IN */
    uint8_t  link_bits;         /* OUT */
    uint8_t  _pad[7];
};

/*
 * EVTCHNOP_expand_array: add the page at gfn 'array_gfn' to the FIFO event
 * array. 8 bytes. Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_expand_array {
    uint64_t array_gfn;         /* IN */
};

/*
 * EVTCHNOP_set_priority: FIFO queue priority of 'port'. 8 bytes.
 * Source: Xen public/event_channel.h (stable-4.17).
 */
struct evtchn_set_priority {
    evtchn_port_t port;         /* IN */
    uint32_t      priority;     /* IN: EVTCHN_FIFO_PRIORITY_* range */
};

_Static_assert(sizeof(evtchn_port_t) == 4, "evtchn_port_t");
_Static_assert(EVTCHN_2L_NR_CHANNELS == sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64,
               "2-level port count");

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound size");
_Static_assert(offsetof(struct evtchn_alloc_unbound, remote_dom) == 2, "evtchn_alloc_unbound.remote_dom");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "evtchn_alloc_unbound.port");

_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain size");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "evtchn_bind_interdomain.remote_port");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8, "evtchn_bind_interdomain.local_port");

_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq size");
_Static_assert(offsetof(struct evtchn_bind_virq, port) == 8, "evtchn_bind_virq.port");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq size");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi size");
_Static_assert(offsetof(struct evtchn_bind_ipi, port) == 4, "evtchn_bind_ipi.port");
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close size");
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send size");

_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status size");
_Static_assert(offsetof(struct evtchn_status, port) == 4, "evtchn_status.port");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "evtchn_status.status");
_Static_assert(offsetof(struct evtchn_status, vcpu) == 12, "evtchn_status.vcpu");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "evtchn_status.u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "evtchn_status.u.interdomain.port");

_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu size");
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask size");
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset size");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "evtchn_init_control size");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16, "evtchn_init_control.link_bits");
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "evtchn_expand_array size");
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "evtchn_set_priority size");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_EVENT_CHANNEL_H */
