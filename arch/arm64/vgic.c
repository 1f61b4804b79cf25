// SPDX-License-Identifier: Apache-2.0
/*
 * vGIC core: per-interrupt state, injection and list-register management, shared by
 * the backends (struct vgic_backend: GICv3, GICv2), which own the hardware's list-register
 * encoding; the core reads and writes Kestrel's format (VGIC_LR_* in kestrel/vgic.h).
 * Interrupts that do not fit the list registers wait in vgic_cpu.queued; VGIC_HCR_UIE then
 * asks for a maintenance interrupt when the list registers drain, so they are delivered
 * without polling.
 */
#include <asm/gic.h>
#include <asm/vgic-hw.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/vgic.h>
#include <public/arch-arm.h>

#define LR_PENDING	VGIC_LR_PENDING
#define LR_ACTIVE	VGIC_LR_ACTIVE
#define LR_HW		VGIC_LR_HW
#define LR_GROUP1	VGIC_LR_GROUP1
#define LR_PRIO_SHIFT	VGIC_LR_PRIO_SHIFT
#define LR_PINTID_SHIFT	VGIC_LR_PINTID_SHIFT

void vgic_domain_free(struct domain *d)
{
	struct vgic_dist *dist = &d->vgic;

	if (dist->spis)
		mm_free_pages(dist->spis, ALIGN_UP(dist->nr_spis * sizeof(struct vgic_irq), PAGE_SIZE) / PAGE_SIZE);
	dist->spis = NULL;
}

const struct vgic_backend *vgic_hw;	/* gic_probe(), before any vCPU or domain exists */
bool vgic_hw_sysreg;

void vgic_set_backend(const struct vgic_backend *b)
{
	vgic_hw = b;
	vgic_hw_sysreg = b->sysreg_cpuif;
}

int vgic_domain_init_frames(struct domain *d, unsigned int nr_spis, const struct vgic_frames *f)
{
	struct vgic_dist *dist = &d->vgic;
	unsigned int pages = ALIGN_UP(nr_spis * sizeof(struct vgic_irq), PAGE_SIZE) / PAGE_SIZE;

	if (nr_spis > VGIC_MAX_INTID - VGIC_NR_PRIVATE)
		return -EINVAL;
	dist->spis = nr_spis ? mm_alloc_pages(pages, PAGE_SIZE) : NULL;
	if (nr_spis && !dist->spis)
		return -ENOMEM;
	dist->nr_spis = nr_spis;
	dist->dist_base = f->dist_base;
	dist->redist_base = f->redist_base;
	dist->cpu_base = f->cpu_base;
	dist->cpu_size = f->cpu_size;
	memset(dist->enabled, 0, sizeof(dist->enabled));
	memset(dist->pending, 0, sizeof(dist->pending));
	memset(dist->hw, 0, sizeof(dist->hw));
	memset(dist->icfgr, 0, sizeof(dist->icfgr));	/* SPIs start level-sensitive */
	for (unsigned int i = 0; i < nr_spis; i++) {
		dist->spis[i].intid = VGIC_NR_PRIVATE + i;
		dist->spis[i].lr = -1;
	}
	return vgic_hw->add_mmio(d);
}

int vgic_domain_init(struct domain *d, unsigned int nr_spis, uint64_t dist_base, uint64_t redist_base)
{
	struct vgic_frames f = { dist_base, redist_base, redist_base, GUEST_GICC_SIZE };

	return vgic_domain_init_frames(d, nr_spis, &f);
}

void vgic_guest_frames(struct vgic_frames *f)
{
	if (vgic_version() == 2)
		*f = (struct vgic_frames){ .dist_base = GUEST_GICD_BASE, .cpu_base = GUEST_GICC_BASE,
					   .cpu_size = GUEST_GICC_SIZE };
	else
		*f = (struct vgic_frames){ .dist_base = GUEST_GICV3_GICD_BASE,
					   .redist_base = GUEST_GICV3_GICR0_BASE };
}

void vgic_vcpu_init(struct vcpu *v)
{
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		struct vgic_irq *irq = &v->vgic.private_irqs[i];

		*irq = (struct vgic_irq){ .intid = i, .lr = -1, .edge = i < 16 };
	}
	v->vgic.enabled0 = 0;
	v->vgic.icfgr0[0] = 0xaaaaaaaa;	/* SGIs edge, PPIs level, as above */
	v->vgic.icfgr0[1] = 0;
	/* No list register used, no active priority, ICH_VMCR_EL2 0 at the vCPU's first load. */
	v->vgic.lr_used = 0;
	v->vgic.vmcr = 0;
	memset(v->vgic.ap0r, 0, sizeof(v->vgic.ap0r));
	memset(v->vgic.ap1r, 0, sizeof(v->vgic.ap1r));
	v->vgic.waker = 2;	/* GICR_WAKER.ProcessorSleep: asleep until the guest wakes it */
	v->exit_work.vgic = 1;	/* the first entry turns the virtual CPU interface on (VGIC_HCR_EN) */
}

struct vgic_irq *vgic_get_irq(struct vcpu *v, unsigned int intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &v->vgic.private_irqs[intid];
	intid -= VGIC_NR_PRIVATE;
	return intid < v->domain->vgic.nr_spis ? &v->domain->vgic.spis[intid] : NULL;
}

/*
 * The vCPU an SPI is routed to by its GICD_IROUTER: the vCPU with that affinity
 * (vcpu_id_to_mpidr()); IRM = 1 (any) or no such vCPU -> vCPU 0.
 */
static struct vcpu *spi_target(struct vcpu *v, struct vgic_irq *irq)
{
	struct domain *d = v->domain;
	int id;

	if (irq->intid < VGIC_NR_PRIVATE)
		return v;
	id = mpidr_to_vcpu_id(irq->irouter & MPIDR_AFF_MASK);
	if ((irq->irouter & (1UL << 31)) || id < 0 || (unsigned int)id >= d->max_vcpus ||
	    !d->vcpu[id])
		return d->vcpu[0];
	return d->vcpu[id];
}

/*
 * Set @irq's pending field and, for an SPI, its bit in vgic_dist.pending: every change goes
 * through here.
 */
static inline void set_pending_field(struct vcpu *v, struct vgic_irq *irq, bool pending)
{
	irq->pending = pending;
	if (irq->intid >= VGIC_NR_PRIVATE) {
		uint32_t *w = &v->domain->vgic.pending[irq->intid / 32], n = irq->intid % 32;

		*w = (*w & ~(1U << n)) | (uint32_t)pending << n;
	}
}

/* Set @irq's enabled field and its bit in vgic_enabled_word(); @v owns @irq if it is private. */
static inline void set_enabled_field(struct vcpu *v, struct vgic_irq *irq, bool enabled)
{
	uint32_t *w = vgic_enabled_word(v, irq->intid), n = irq->intid % 32;

	irq->enabled = enabled;
	*w = (*w & ~(1U << n)) | (uint32_t)enabled << n;
}

void vgic_irq_set_hw(struct domain *d, struct vgic_irq *irq)
{
	irq->hw = true;
	d->vgic.hw[irq->intid / 32] |= 1U << (irq->intid % 32);
}

static void queue(struct vcpu *v, unsigned int intid)
{
	v->vgic.queued[intid / 64] |= 1UL << (intid % 64);
	v->vgic.queued_words |= 1U << (intid / 64);
	v->exit_work.vgic = 1;
}

static void dequeue(struct vcpu *v, unsigned int intid)
{
	v->vgic.queued[intid / 64] &= ~(1UL << (intid % 64));
	if (!v->vgic.queued[intid / 64])
		v->vgic.queued_words &= ~(1U << (intid / 64));
}

static bool is_queued(const struct vcpu *v, unsigned int intid)
{
	return v->vgic.queued[intid / 64] & (1UL << (intid % 64));
}

static bool is_loaded(struct vcpu *v)
{
	return current == v;
}

/*
 * @t has a new interrupt to take: unless it runs here (its return path delivers it), kick
 * it: a vCPU on another pCPU, or a blocked one, even loaded here while its pCPU idles
 * (kestrel/sched.h, keep_loaded()), which only vcpu_kick() wakes.
 */
static void notify(struct vcpu *t)
{
	if (!is_loaded(t) || unlikely(t->sched.state != RUNSTATE_running))
		vcpu_kick(t);
}

/* @irq sits in one of @v's list registers (not another vCPU's, after a re-route). */
static bool in_lr_of(const struct vcpu *v, const struct vgic_irq *irq)
{
	return irq->lr >= 0 && (v->vgic.lr_used & (1U << irq->lr)) &&
	       v->vgic.lr_intid[irq->lr] == irq->intid;
}

static uint64_t lr_value(const struct vgic_irq *irq)
{
	uint64_t lr = irq->intid | LR_PENDING | LR_GROUP1 | ((uint64_t)irq->priority << LR_PRIO_SHIFT);

	if (irq->hw)
		lr |= LR_HW | ((uint64_t)irq->intid << LR_PINTID_SHIFT);
	return lr;
}

/* Bit n set for each implemented list register n (vgic_nr_lrs() of them). */
static uint32_t lr_mask(void)
{
	static uint32_t mask;

	if (unlikely(!mask))
		mask = (uint32_t)((1UL << vgic_nr_lrs()) - 1);
	return mask;
}

/*
 * Put @irq (pending, enabled, in no list register and not queued) into a free list
 * register of @v, loaded on this pCPU. Return: false if all are in use.
 */
static bool write_free_lr(struct vcpu *v, struct vgic_irq *irq)
{
	uint32_t free = ~v->vgic.lr_used & lr_mask();
	unsigned int n;

	if (!free)
		return false;
	n = __builtin_ctz(free);
	vgic_write_lr(n, lr_value(irq));
	v->vgic.lr_used |= 1U << n;
	v->vgic.lr_intid[n] = irq->intid;
	irq->lr = n;
	return true;
}

/* write_free_lr() for a queued @irq: it leaves the queue once in a list register. */
static bool to_free_lr(struct vcpu *v, struct vgic_irq *irq)
{
	if (!write_free_lr(v, irq))
		return false;
	dequeue(v, irq->intid);
	return true;
}

void vgic_irq_set_pending(struct vcpu *v, struct vgic_irq *irq, bool pending)
{
	struct vcpu *t = spi_target(v, irq);

	if (in_lr_of(t, irq) && is_loaded(t)) {
		/* Resident: update the list register in place (e.g. pending while active). */
		uint64_t lr = vgic_read_lr(irq->lr);

		/* A HW interrupt is never pending+active: the physical one fires again after EOI. */
		if (pending && irq->hw && (lr & LR_ACTIVE))
			return;
		lr = pending ? (lr | LR_PENDING) : (lr & ~LR_PENDING);
		vgic_write_lr(irq->lr, lr);
		set_pending_field(t, irq, pending);
		if (pending)
			notify(t);
		return;
	}
	set_pending_field(t, irq, pending);
	/* In a list register of a vCPU not loaded here: the flush on its entry merges it. */
	if (pending && irq->enabled) {
		/*
		 * For the vCPU loaded here, with nothing waiting before it: straight into a free
		 * list register (Xen does the same), no queue and no flush on the way out.
		 */
		if (irq->lr < 0 && is_loaded(t) && !t->vgic.queued_words && write_free_lr(t, irq)) {
			if (unlikely(t->sched.state != RUNSTATE_running))
				vcpu_kick(t);	/* loaded but blocked: see notify() */
			return;
		}
		queue(t, irq->intid);
		notify(t);
	} else if (!pending) {
		dequeue(t, irq->intid);
	}
}

void vgic_irq_route(struct vcpu *v, struct vgic_irq *irq, uint64_t irouter)
{
	struct vcpu *old = spi_target(v, irq);
	bool queued = is_queued(old, irq->intid);

	if (queued)
		dequeue(old, irq->intid);
	irq->irouter = irouter;
	if (queued) {
		struct vcpu *t = spi_target(v, irq);

		queue(t, irq->intid);
		notify(t);	/* it may be blocked in WFI */
	}
}

void vgic_irq_set_enabled(struct vcpu *v, struct vgic_irq *irq, bool enable)
{
	if (irq->hw && irq->enabled != enable)
		gic_set_enabled(irq->intid, enable);
	set_enabled_field(v, irq, enable);
	if (enable && irq->pending && irq->lr < 0) {
		queue(spi_target(v, irq), irq->intid);
		notify(spi_target(v, irq));
	}
	if (!enable)
		dequeue(spi_target(v, irq), irq->intid);
}

/*
 * Locking: one lock per domain (vgic_dist.lock) covers every interrupt's state and every
 * vCPU's queue and list-register bookkeeping; the exported entry points take it, the
 * vgic_irq_* helpers expect it held (the MMIO path holds it).
 */
void vgic_inject(struct vcpu *v, unsigned int intid)
{
	struct vgic_irq *irq = vgic_get_irq(v, intid);

	if (!irq)
		return;
	spin_lock(&v->domain->vgic.lock);
	vgic_irq_set_pending(v, irq, true);
	spin_unlock(&v->domain->vgic.lock);
}

static inline void sgi_to(struct vcpu *t, unsigned int intid)
{
	spin_lock(&t->domain->vgic.lock);
	vgic_irq_set_pending(t, &t->vgic.private_irqs[intid], true);
	spin_unlock(&t->domain->vgic.lock);
}

void vgic_sgi_to_others(struct vcpu *v, unsigned int intid)
{
	struct domain *d = v->domain;

	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && d->vcpu[i] != v)
			sgi_to(d->vcpu[i], intid);
}

void vgic_sgi_to_list(struct vcpu *v, unsigned int intid, unsigned int first, uint32_t list)
{
	struct domain *d = v->domain;

	for (; list; list &= list - 1) {
		unsigned int id = first + __builtin_ctz(list);

		if (id < d->max_vcpus && d->vcpu[id])
			sgi_to(d->vcpu[id], intid & 0xf);
	}
}

bool vgic_vcpu_pending(struct vcpu *v)
{
	bool pending = false;

	spin_lock(&v->domain->vgic.lock);
	if (v->vgic.queued_words)
		pending = true;
	for (uint32_t used = v->vgic.lr_used; used && !pending; used &= used - 1)
		if (vgic_read_lr(__builtin_ctz(used)) & LR_PENDING)
			pending = true;
	spin_unlock(&v->domain->vgic.lock);
	return pending;
}

VGIC_HW_INLINE void sync_resident_lrs(bool sysreg, struct vcpu *v)
{
	uint32_t done;

	done = v->vgic.lr_used & vgic_read_elrsr_on(sysreg);

	/* Still resident: the guest may have acknowledged them (pending -> active). */
	for (uint32_t live = v->vgic.lr_used & ~done; live; live &= live - 1) {
		unsigned int n = __builtin_ctz(live);
		struct vgic_irq *irq = vgic_get_irq(v, v->vgic.lr_intid[n]);
		uint64_t lr = vgic_read_lr_on(sysreg, n);

		set_pending_field(v, irq, (lr & LR_PENDING) || is_queued(v, irq->intid));
		irq->active = lr & LR_ACTIVE;
	}
	v->vgic.lr_used &= ~done;
	for (; done; done &= done - 1) {
		unsigned int n = __builtin_ctz(done);
		struct vgic_irq *irq = vgic_get_irq(v, v->vgic.lr_intid[n]);

		irq->lr = -1;
		irq->active = false;
		set_pending_field(v, irq, is_queued(v, irq->intid));	/* re-raised while resident */
	}
}

void vgic_sync_resident_lrs(struct vcpu *v)
{
	spin_lock(&v->domain->vgic.lock);
	VGIC_SPECIALISE(sync_resident_lrs, v);
	spin_unlock(&v->domain->vgic.lock);
}

/* The queued interrupt with the highest priority (lowest value), or -1. */
static int best_queued(struct vcpu *v)
{
	int best = -1;
	unsigned int best_prio = 256;

	for (uint32_t words = v->vgic.queued_words; words; words &= words - 1) {
		unsigned int w = __builtin_ctz(words);

		for (uint64_t bits = v->vgic.queued[w]; bits; bits &= bits - 1) {
			unsigned int intid = w * 64 + __builtin_ctzl(bits);
			struct vgic_irq *irq = vgic_get_irq(v, intid);

			if (irq && irq->priority < best_prio) {
				best_prio = irq->priority;
				best = (int)intid;
			}
		}
	}
	return best;
}


/*
 * All list registers are in use and @irq waits: if one holds an interrupt that is only
 * pending (not yet acknowledged) and strictly less urgent than @irq, take it back into
 * the queue, so that the list registers always hold the most urgent pending interrupts
 * (IHI 0069 4.8: the highest-priority pending interrupt is the one signalled), whatever
 * order they were raised in. Return: true if a list register was freed.
 */
static bool evict_for(struct vcpu *v, const struct vgic_irq *irq)
{
	unsigned int worst_prio = irq->priority, worst = 0;
	bool found = false;

	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1) {
		unsigned int n = __builtin_ctz(used);
		uint64_t lr = vgic_read_lr(n);
		unsigned int prio = (lr >> LR_PRIO_SHIFT) & 0xff;

		if ((lr & (LR_PENDING | LR_ACTIVE)) == LR_PENDING && prio > worst_prio) {
			worst_prio = prio;
			worst = n;
			found = true;
		}
	}
	if (found) {
		struct vgic_irq *e = vgic_get_irq(v, v->vgic.lr_intid[worst]);

		vgic_write_lr(worst, 0);
		v->vgic.lr_used &= ~(1U << worst);
		e->lr = -1;
		queue(v, e->intid);	/* still pending: delivered when a register frees up */
	}
	return found;
}

/* The queued interrupt to deliver first: the only one (the common case), or the best. */
static int next_queued(struct vcpu *v)
{
	uint32_t words = v->vgic.queued_words;
	uint64_t bits;

	if (words & (words - 1))
		return best_queued(v);
	bits = v->vgic.queued[__builtin_ctz(words)];
	if (bits & (bits - 1))
		return best_queued(v);
	return (int)(__builtin_ctz(words) * 64 + __builtin_ctzl(bits));
}

void vgic_flush_queued(struct vcpu *v)
{
	uint64_t hcr = VGIC_HCR_EN;
	int intid;

	spin_lock(&v->domain->vgic.lock);
	while (v->vgic.queued_words && (intid = next_queued(v)) >= 0) {
		struct vgic_irq *irq = vgic_get_irq(v, intid);

		if (irq->lr >= 0) {
			/*
			 * Raised again while still in a list register: pend it there (or, if
			 * that register is another vCPU's after a re-route, it is delivered there).
			 */
			dequeue(v, intid);
			if (in_lr_of(v, irq)) {
				uint64_t lr = vgic_read_lr(irq->lr);

				if (!(irq->hw && (lr & LR_ACTIVE)))
					vgic_write_lr(irq->lr, lr | LR_PENDING);
			}
			continue;
		}
		if (!to_free_lr(v, irq) && !(evict_for(v, irq) && to_free_lr(v, irq))) {
			hcr |= VGIC_HCR_UIE;	/* refill when the list registers drain */
			break;
		}
	}
	if (hcr != v->vgic.ich_hcr) {
		vgic_write_hcr(hcr);
		v->vgic.ich_hcr = hcr;
	}
	v->exit_work.vgic = v->vgic.queued_words || hcr != VGIC_HCR_EN;
	spin_unlock(&v->domain->vgic.lock);
}

/*
 * Switching vCPUs: a vCPU's list registers hold interrupts it may have acknowledged
 * (active), so they travel with it: saved to lr_saved[] and cleared here on the way
 * out, written back on the way in, under the domain's vGIC lock so no injector sees
 * them half-moved. The hypervisor control register is off while no guest vCPU is loaded (no maintenance
 * interrupt for a vCPU that is not there).
 */
VGIC_HW_INLINE void save_state(bool sysreg, struct vcpu *v)
{
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1) {
		unsigned int n = __builtin_ctz(used);

		v->vgic.lr_saved[n] = vgic_read_lr_on(sysreg, n);
		vgic_write_lr_on(sysreg, n, 0);
	}
	vgic_save_cpuif_on(sysreg, &v->vgic);
	vgic_write_hcr_on(sysreg, 0);
}

VGIC_HW_INLINE void restore_state(bool sysreg, struct vcpu *v)
{
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1) {
		unsigned int n = __builtin_ctz(used);

		vgic_write_lr_on(sysreg, n, v->vgic.lr_saved[n]);
	}
	vgic_restore_cpuif_on(sysreg, &v->vgic);
	vgic_write_hcr_on(sysreg, v->vgic.ich_hcr);
}

void vgic_save_state(struct vcpu *v)
{
	spin_lock(&v->domain->vgic.lock);
	VGIC_SPECIALISE(save_state, v);
	spin_unlock(&v->domain->vgic.lock);
}

void vgic_restore_state(struct vcpu *v)
{
	spin_lock(&v->domain->vgic.lock);
	VGIC_SPECIALISE(restore_state, v);
	spin_unlock(&v->domain->vgic.lock);
}

void vgic_vcpu_reset_cpuif(struct vcpu *v)
{
	spin_lock(&v->domain->vgic.lock);
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1) {
		unsigned int n = __builtin_ctz(used);
		struct vgic_irq *irq = vgic_get_irq(v, v->vgic.lr_intid[n]);

		if (!irq || irq->lr != (int)n)
			continue;
		irq->lr = -1;
		irq->active = false;
		set_pending_field(v, irq, (v->vgic.lr_saved[n] & LR_PENDING) || is_queued(v, irq->intid));
		if (irq->pending && irq->enabled)
			queue(v, irq->intid);
	}
	v->vgic.lr_used = 0;
	v->vgic.vmcr = 0;
	memset(v->vgic.ap0r, 0, sizeof(v->vgic.ap0r));
	memset(v->vgic.ap1r, 0, sizeof(v->vgic.ap1r));
	v->vgic.ich_hcr = 0;	/* the first flush writes VGIC_HCR_EN */
	v->exit_work.vgic = 1;
	spin_unlock(&v->domain->vgic.lock);
}

