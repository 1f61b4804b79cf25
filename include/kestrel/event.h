/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_EVENT_H
#define KESTREL_EVENT_H
/*
 * Event channels, 2-level ABI: pending and mask bitmaps in struct shared_info, a
 * selector word and the upcall flag in each struct vcpu_info, and a PPI (the
 * /hypervisor node's "interrupts") that tells the vCPU to scan them.
 * Source: Xen public/event_channel.h and public/xen.h (4.17); Linux
 * drivers/xen/events/events_2l.c for how a guest consumes them.
 */
#include <stdbool.h>
#include <stdint.h>

#define EVTCHN_2L_NR_PORTS	(64 * 64)	/* bits in xen_ulong_t squared */
#define EVTCHN_MAX_PORTS	1024		/* ports Kestrel hands out per domain */
#define EVTCHN_UPCALL_PPI	31		/* GUEST_EVTCHN_PPI, Xen public/arch-arm.h */
#ifndef VIRQ_CONSOLE
#define VIRQ_CONSOLE		2
#endif

struct vcpu;
struct domain;

enum evtchn_state { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI };

/** struct evtchn - one port of a domain. */
struct evtchn {
	uint8_t state;
	uint8_t notify_vcpu;		/* vCPU that gets the upcall */
	uint16_t remote_domid;		/* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: peer */
	uint32_t remote_port;		/* ECS_INTERDOMAIN */
	uint32_t virq;			/* ECS_VIRQ */
};

/** struct evtchn_domain - a domain's ports (port 0 is reserved, as in Xen). */
struct evtchn_domain {
	struct evtchn *ports;		/* EVTCHN_MAX_PORTS entries */
};

/** evtchn_domain_init() - allocate @d's port table. Return 0 or -ENOMEM. */
int evtchn_domain_init(struct domain *d);

/**
 * evtchn_domain_close_all() - close every port of @d (domain destruction); the peers of
 * its interdomain ports go back to unbound.
 */
void evtchn_domain_close_all(struct domain *d);

/** evtchn_domain_free() - give @d's port table back to the heap (after evtchn_domain_close_all()). */
void evtchn_domain_free(struct domain *d);

/**
 * evtchn_set_pending() - raise @port of @d: set its pending bit and, unless masked
 * or already pending, the selector bit and upcall flag of the notified vCPU and
 * inject the upcall PPI.
 */
void evtchn_set_pending(struct domain *d, uint32_t port);

/**
 * evtchn_vcpu_info_moved() - after VCPUOP_register_vcpu_info moved @v's vcpu_info: set
 * its upcall-pending flag and every selector bit and inject the upcall, so an event a
 * sender announced in the old copy meanwhile is found by a scan of the shared bitmaps
 * (as Xen's map_vcpu_info does).
 */
void evtchn_vcpu_info_moved(struct vcpu *v);

/** evtchn_is_pending() - is @port of @d pending (false for a port out of range)? */
bool evtchn_is_pending(struct domain *d, uint32_t port);

/** evtchn_send_virq() - raise @virq on @v if it is bound. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);

/** evtchn_send_virq_dom0() - raise a global VIRQ (e.g. VIRQ_CONSOLE) on dom0's vCPU 0. */
void evtchn_send_virq_dom0(unsigned int virq);

/** do_event_channel_op() - the event_channel_op hypercall (number 32). */
long do_event_channel_op(unsigned int cmd, uint64_t arg);
#endif
