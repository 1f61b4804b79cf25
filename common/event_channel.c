// SPDX-License-Identifier: Apache-2.0
/*
 * Event channels with the 2-level ABI (see include/kestrel/event.h).
 * Operations and structures: Xen public/event_channel.h (4.17). The FIFO ABI is
 * not offered (EVTCHNOP_init_control returns -ENOSYS), so Linux falls back to
 * 2-level (drivers/xen/events/events_base.c, xen_init_IRQ).
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/event.h>
#include <kestrel/guest_access.h>
#include <kestrel/guest_atomic.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/vgic.h>
#include <public/event_channel.h>

#define BITS_PER_WORD	64

/*
 * Guest-writable words, updated with the bounded atomics of kestrel/guest_atomic.h. A
 * word the guest keeps contended past the bound is left as it is (the bit counts as
 * already set: nothing is announced), logged; only that guest's own events suffer.
 */
static void contended(const char *what, unsigned int bit)
{
	gprintk_ratelimited("event channels: %s word of bit %u contended by its guest: update dropped\n", what,
			   bit);
}

static bool test_and_set(xen_ulong_t *words, unsigned int bit)
{
	xen_ulong_t m = 1UL << (bit % BITS_PER_WORD);
	uint64_t old;

	if (!guest_atomic_rmw(&words[bit / BITS_PER_WORD], GUEST_OR64, m, &old)) {
		contended("set", bit);
		return true;
	}
	return old & m;
}

static void clear_bit_of(xen_ulong_t *words, unsigned int bit)
{
	uint64_t old;

	if (!guest_atomic_rmw(&words[bit / BITS_PER_WORD], GUEST_AND64, ~(1UL << (bit % BITS_PER_WORD)), &old))
		contended("clear", bit);
}

static bool test(const xen_ulong_t *words, unsigned int bit)
{
	return __atomic_load_n(&words[bit / BITS_PER_WORD], __ATOMIC_ACQUIRE) &
	       (1UL << (bit % BITS_PER_WORD));
}

int evtchn_domain_init(struct domain *d)
{
	unsigned int pages = ALIGN_UP(EVTCHN_MAX_PORTS * sizeof(struct evtchn), PAGE_SIZE) / PAGE_SIZE;

	d->evtchn.ports = mm_alloc_pages(pages, PAGE_SIZE);
	if (!d->evtchn.ports)
		return -ENOMEM;
	d->evtchn.ports[0].state = ECS_RESERVED;
	return 0;
}

void evtchn_domain_free(struct domain *d)
{
	unsigned int pages = ALIGN_UP(EVTCHN_MAX_PORTS * sizeof(struct evtchn), PAGE_SIZE) / PAGE_SIZE;

	if (d->evtchn.ports)
		mm_free_pages(d->evtchn.ports, pages);
}

/* Tell @v to scan its selector: set the upcall flag and inject the upcall PPI. */
static void mark_events_pending(struct vcpu *v)
{
	uint64_t old = 0;

	/* Contended past the bound: inject anyway (a spare upcall is harmless). */
	if (guest_atomic_rmw(&v->vcpu_info->evtchn_upcall_pending, GUEST_XCHG8, 1, &old) && old)
		return;
	vgic_inject(v, EVTCHN_UPCALL_PPI);
}

void evtchn_vcpu_info_moved(struct vcpu *v)
{
	uint64_t old;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the new pointer before the re-announcement */
	if (!guest_atomic_rmw(&v->vcpu_info->evtchn_pending_sel, GUEST_OR64, ~0UL, &old))
		contended("selector", 0);
	guest_atomic_rmw(&v->vcpu_info->evtchn_upcall_pending, GUEST_XCHG8, 1, &old);
	vgic_inject(v, EVTCHN_UPCALL_PPI);
}

/* A port that is pending and unmasked: propagate to the selector and upcall. */
static void notify_if_unmasked(struct domain *d, uint32_t port)
{
	struct vcpu *v = d->vcpu[d->evtchn.ports[port].notify_vcpu];
	struct shared_info *s = d->shared_info;

	if (test(s->evtchn_mask, port))
		return;
	if (!test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD))
		mark_events_pending(v);
}

/*
 * Wake @d's vCPUs blocked in SCHEDOP_poll on @port (or on several ports), masked or not,
 * as Xen does (xen/common/event_channel.c, evtchn_check_pollers). Pairs with
 * sched_poll(): it sets polling before it reads the pending bits, this reads polling
 * after setting one, both with full barriers, so one of the two sees the other.
 */
static void wake_pollers(struct domain *d, uint32_t port)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (__atomic_load_n(&v->sched.polling, __ATOMIC_ACQUIRE) &&
		    (v->sched.poll_evtchn < 0 || (uint32_t)v->sched.poll_evtchn == port))
			vcpu_unblock(v);
	}
}

void evtchn_set_pending(struct domain *d, uint32_t port)
{
	if (port >= EVTCHN_MAX_PORTS || test_and_set(d->shared_info->evtchn_pending, port))
		return;
	notify_if_unmasked(d, port);
	wake_pollers(d, port);
}

bool evtchn_is_pending(struct domain *d, uint32_t port)
{
	return port < EVTCHN_MAX_PORTS && test(d->shared_info->evtchn_pending, port);
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	uint16_t port = virq < NR_VIRQS ? v->virq_to_port[virq] : 0;

	if (port)
		evtchn_set_pending(v->domain, port);
}

void evtchn_send_virq_dom0(unsigned int virq)
{
	struct domain *d = domain_by_id(0);

	if (d)
		evtchn_send_virq(d->vcpu[0], virq);
}

static long alloc_port(struct domain *d, unsigned int state)
{
	for (uint32_t port = 1; port < EVTCHN_MAX_PORTS; port++) {
		struct evtchn *chn = &d->evtchn.ports[port];

		if (chn->state == ECS_FREE) {
			*chn = (struct evtchn){ .state = (uint8_t)state };
			return port;
		}
	}
	return -ENOSPC;
}

static struct evtchn *port_of(struct domain *d, uint32_t port)
{
	if (port >= EVTCHN_MAX_PORTS || d->evtchn.ports[port].state == ECS_FREE ||
	    d->evtchn.ports[port].state == ECS_RESERVED)
		return NULL;
	return &d->evtchn.ports[port];
}

/*
 * The domain @domid as seen by @self (DOMID_SELF = itself), pinned against destruction
 * until put_remote(); NULL if there is none.
 */
static struct domain *get_remote(struct domain *self, uint16_t domid)
{
	return domid == DOMID_SELF || domid == self->domain_id ? self : domain_get(domid);
}

static void put_remote(struct domain *self, struct domain *rd)
{
	if (rd && rd != self)
		domain_put(rd);
}

/* Both domains' port tables, locked in domain-id order (one lock if they are one). */
static void lock_pair(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->domain_id < b->domain_id) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void unlock_pair(struct domain *a, struct domain *b)
{
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

/* A port of @d that @remote may bind later; only for @d itself (-EPERM for another domain). */
static long evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *a)
{
	struct domain *remote;
	long port;

	if (a->dom != DOMID_SELF && a->dom != d->domain_id)
		return -EPERM;
	remote = get_remote(d, a->remote_dom);
	if (!remote)
		return -ESRCH;
	port = alloc_port(d, ECS_UNBOUND);
	if (port >= 0) {
		d->evtchn.ports[port].remote_domid = remote->domain_id;
		a->port = (evtchn_port_t)port;
	}
	put_remote(d, remote);
	return port < 0 ? port : 0;
}

/* Both port tables locked (lock_pair()); @rd is alive and pinned. */
static long bind_interdomain_locked(struct domain *d, struct domain *rd, struct evtchn_bind_interdomain *b)
{
	struct evtchn *rchn;
	long port;

	if (rd->is_dying)
		return -ESRCH;
	rchn = port_of(rd, b->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_domid != d->domain_id)
		return -EINVAL;
	port = alloc_port(d, ECS_INTERDOMAIN);
	if (port < 0)
		return port;
	d->evtchn.ports[port].remote_domid = rd->domain_id;
	d->evtchn.ports[port].remote_port = b->remote_port;
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_domid = d->domain_id;
	rchn->remote_port = (uint32_t)port;
	b->local_port = (evtchn_port_t)port;
	evtchn_set_pending(d, (uint32_t)port);	/* as Xen: the binder sees an event at once */
	return 0;
}

/*
 * Bind a new port of @d to @rd's unbound port that names @d as its peer. Source: Xen
 * public/event_channel.h (EVTCHNOP_bind_interdomain); a port offered to another domain
 * cannot be taken (-EINVAL), as in Xen.
 */
static long evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *b)
{
	struct domain *rd = get_remote(d, b->remote_dom);
	long ret;

	if (!rd)
		return -ESRCH;
	lock_pair(d, rd);
	ret = bind_interdomain_locked(d, rd, b);
	unlock_pair(d, rd);
	put_remote(d, rd);
	return ret;
}

/* Per-vCPU VIRQs may be bound on any vCPU; global ones only on vCPU 0 (Xen: virq_is_global). */
static bool virq_is_global(uint32_t virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

static long evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	struct vcpu *v = b->vcpu < d->max_vcpus ? d->vcpu[b->vcpu] : NULL;
	long port;

	if (b->virq >= NR_VIRQS || !v || (virq_is_global(b->virq) && b->vcpu != 0))
		return -EINVAL;
	if (v->virq_to_port[b->virq])
		return -EEXIST;
	port = alloc_port(d, ECS_VIRQ);
	if (port < 0)
		return port;
	d->evtchn.ports[port].virq = b->virq;
	d->evtchn.ports[port].notify_vcpu = (uint8_t)b->vcpu;
	v->virq_to_port[b->virq] = (uint16_t)port;
	b->port = (evtchn_port_t)port;
	return 0;
}

static long evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	long port;

	if (b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu])
		return -ENOENT;
	port = alloc_port(d, ECS_IPI);
	if (port < 0)
		return port;
	d->evtchn.ports[port].notify_vcpu = (uint8_t)b->vcpu;
	b->port = (evtchn_port_t)port;
	return 0;
}

/* Close @port of @d; d->lock held, and the peer's too for an interdomain port. */
static long close_locked(struct domain *d, uint32_t port, struct domain *rd)
{
	struct evtchn *chn = port_of(d, port);

	if (!chn)
		return -EINVAL;
	if (chn->state == ECS_VIRQ)	/* bound on one vCPU; bind_vcpu may have moved delivery */
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			if (d->vcpu[i] && d->vcpu[i]->virq_to_port[chn->virq] == port)
				d->vcpu[i]->virq_to_port[chn->virq] = 0;
	if (chn->state == ECS_INTERDOMAIN) {
		struct evtchn *rchn = rd ? port_of(rd, chn->remote_port) : NULL;

		if (rchn && rchn->state == ECS_INTERDOMAIN && rchn->remote_domid == d->domain_id) {
			rchn->state = ECS_UNBOUND;
			rchn->remote_domid = d->domain_id;
		}
	}
	*chn = (struct evtchn){ .state = ECS_FREE };
	/* A reused port must not start with a stale event (as Xen's evtchn_free). */
	clear_bit_of(d->shared_info->evtchn_pending, port);
	return 0;
}

static long close_then_unlock(struct domain *d, uint32_t port, struct domain *rd)
{
	long ret = close_locked(d, port, rd);

	spin_unlock(&d->lock);
	return ret;
}

/*
 * Close @port of @d (no lock held). The peer of an interdomain port goes back to
 * unbound, naming @d (Xen common/event_channel.c semantics); both tables are locked in
 * domain-id order, so two domains closing each other's ends cannot deadlock.
 */
static long evtchn_close(struct domain *d, uint32_t port)
{
	struct domain *rd = NULL;
	uint16_t peer;
	long ret;

	for (;;) {
		spin_lock(&d->lock);
		peer = port < EVTCHN_MAX_PORTS && d->evtchn.ports[port].state == ECS_INTERDOMAIN ?
			       d->evtchn.ports[port].remote_domid : DOMID_INVALID;
		if (peer == DOMID_INVALID || peer == d->domain_id)
			return close_then_unlock(d, port, peer == d->domain_id ? d : NULL);
		spin_unlock(&d->lock);
		rd = domain_get(peer);
		if (!rd) {	/* the peer is gone: its end is closed already */
			spin_lock(&d->lock);
			return close_then_unlock(d, port, NULL);
		}
		lock_pair(d, rd);
		if (d->evtchn.ports[port].state == ECS_INTERDOMAIN && d->evtchn.ports[port].remote_domid == peer)
			break;
		unlock_pair(d, rd);	/* changed meanwhile: look again */
		domain_put(rd);
	}
	ret = close_locked(d, port, rd);
	unlock_pair(d, rd);
	domain_put(rd);
	return ret;
}

void evtchn_domain_close_all(struct domain *d)
{
	for (uint32_t port = 1; port < EVTCHN_MAX_PORTS; port++)
		if (d->evtchn.ports[port].state != ECS_FREE && d->evtchn.ports[port].state != ECS_RESERVED)
			evtchn_close(d, port);
}

static long evtchn_send(struct domain *d, uint32_t port)
{
	struct evtchn *chn = port_of(d, port);
	struct domain *rd;

	if (!chn)
		return -EINVAL;
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		/* Pinned: a peer being destroyed closes this end under d->lock first. */
		rd = get_remote(d, chn->remote_domid);
		if (rd)
			evtchn_set_pending(rd, chn->remote_port);
		put_remote(d, rd);
		return 0;
	case ECS_IPI:
		evtchn_set_pending(d, port);
		return 0;
	case ECS_UNBOUND:
		return 0;	/* nobody listening yet: dropped, as in Xen */
	}
	return -EINVAL;
}

static long evtchn_status(struct domain *d, struct evtchn_status *st)
{
	static const uint32_t status_of[] = {
		[ECS_FREE] = EVTCHNSTAT_closed, [ECS_RESERVED] = EVTCHNSTAT_closed,
		[ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
		[ECS_VIRQ] = EVTCHNSTAT_virq, [ECS_IPI] = EVTCHNSTAT_ipi,
	};
	struct evtchn *chn;

	if (st->dom != DOMID_SELF && st->dom != d->domain_id)
		return -EPERM;
	if (st->port >= EVTCHN_MAX_PORTS)
		return -EINVAL;
	chn = &d->evtchn.ports[st->port];
	st->status = status_of[chn->state];
	st->vcpu = chn->notify_vcpu;
	memset(&st->u, 0, sizeof(st->u));
	if (chn->state == ECS_UNBOUND)
		st->u.unbound.dom = chn->remote_domid;
	else if (chn->state == ECS_INTERDOMAIN) {
		st->u.interdomain.dom = chn->remote_domid;
		st->u.interdomain.port = chn->remote_port;
	} else if (chn->state == ECS_VIRQ)
		st->u.virq = chn->virq;
	return 0;
}

static long evtchn_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
	struct evtchn *chn = port_of(d, port);

	if (!chn || vcpu >= d->max_vcpus || !d->vcpu[vcpu])
		return -EINVAL;
	/* Global VIRQs move like any other port; per-vCPU ones stay (Xen's evtchn_bind_vcpu). */
	if (chn->state == ECS_VIRQ && !virq_is_global(chn->virq))
		return -EINVAL;
	if (chn->state == ECS_IPI)
		return -EINVAL;
	chn->notify_vcpu = (uint8_t)vcpu;
	return 0;
}

static long evtchn_unmask(struct domain *d, uint32_t port)
{
	struct shared_info *s = d->shared_info;

	if (!port_of(d, port))
		return -EINVAL;
	clear_bit_of(s->evtchn_mask, port);
	if (test(s->evtchn_pending, port))
		notify_if_unmasked(d, port);
	return 0;
}

/*
 * Run one sub-op on its argument struct: copy it in, call (under d->lock if @locked; the
 * ops that lock both ends take their locks themselves, lock_pair()), and copy it back
 * when the op has OUT fields (@out) and succeeded. Never returns with d->lock held.
 */
#define EVTCHN_CALL(type, out, locked, call)				\
	do {								\
		type a;							\
		if (copy_from_guest(&a, arg, sizeof(a))) {		\
			ret = -EFAULT;					\
			break;						\
		}							\
		if (locked)						\
			spin_lock(&d->lock);				\
		ret = call;						\
		if (locked)						\
			spin_unlock(&d->lock);				\
		if (!ret && (out) && copy_to_guest(arg, &a, sizeof(a)))	\
			ret = -EFAULT;					\
	} while (0)
#define EVTCHN_OP(type, out, call)		EVTCHN_CALL(type, out, true, call)
#define EVTCHN_OP_UNLOCKED(type, out, call)	EVTCHN_CALL(type, out, false, call)

long do_event_channel_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;
	long ret;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		EVTCHN_OP(struct evtchn_alloc_unbound, true, evtchn_alloc_unbound(d, &a));
		break;
	case EVTCHNOP_bind_interdomain:
		EVTCHN_OP_UNLOCKED(struct evtchn_bind_interdomain, true, evtchn_bind_interdomain(d, &a));
		break;
	case EVTCHNOP_bind_virq:
		EVTCHN_OP(struct evtchn_bind_virq, true, evtchn_bind_virq(d, &a));
		break;
	case EVTCHNOP_bind_ipi:
		EVTCHN_OP(struct evtchn_bind_ipi, true, evtchn_bind_ipi(d, &a));
		break;
	case EVTCHNOP_close:
		EVTCHN_OP_UNLOCKED(struct evtchn_close, false, evtchn_close(d, a.port));
		break;
	case EVTCHNOP_send:
		EVTCHN_OP(struct evtchn_send, false, evtchn_send(d, a.port));
		break;
	case EVTCHNOP_status:
		EVTCHN_OP(struct evtchn_status, true, evtchn_status(d, &a));
		break;
	case EVTCHNOP_bind_vcpu:
		EVTCHN_OP(struct evtchn_bind_vcpu, false, evtchn_bind_vcpu(d, a.port, a.vcpu));
		break;
	case EVTCHNOP_unmask:
		EVTCHN_OP(struct evtchn_unmask, false, evtchn_unmask(d, a.port));
		break;
	default:
		ret = -ENOSYS;	/* FIFO ABI (init_control, expand_array, set_priority), reset */
	}
	return ret;
}
