// SPDX-License-Identifier: Apache-2.0
/* Domain and vCPU creation and lookup; shutdown. */
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/timer.h>
#include <kestrel/vpl011.h>
#include <asm/irq.h>
#include <public/sched.h>

struct domain *domain_list;
spinlock_t domlist_lock;

static void domain_free(struct domain *d);

struct domain *domain_by_id(uint16_t domid)
{
	struct domain *d;

	for (d = domain_list; d; d = d->next_in_list)
		if (d->domain_id == domid)
			break;
	return d;
}

struct domain *domain_get(uint16_t domid)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	d = domain_by_id(domid);
	if (d)
		__atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
	spin_unlock(&domlist_lock);
	return d;
}

void domain_put(struct domain *d)
{
	__atomic_fetch_sub(&d->refcnt, 1, __ATOMIC_RELEASE);
}

void domain_release_resources(struct domain *d)
{
	console_guest_flush(d);
	if (d->vpl011)
		vpl011_destroy(d);
	if (d->evtchn.ports)
		evtchn_domain_close_all(d);
	irq_release_domain(d);
}

bool domain_ipa_is_ram(const struct domain *d, uint64_t ipa, uint64_t size)
{
	for (unsigned int i = 0; i < d->nr_mem; i++)
		if (ipa >= d->mem[i].start && size <= d->mem[i].size &&
		    ipa - d->mem[i].start <= d->mem[i].size - size)
			return true;
	return false;
}

struct domain idle_domain = { .domain_id = DOMID_IDLE };

static struct vcpu *vcpu_alloc(struct domain *d, unsigned int id)
{
	struct vcpu *v;

	_Static_assert(sizeof(struct vcpu) <= 2 * PAGE_SIZE, "struct vcpu fits two pages");
	v = mm_alloc_pages(2, PAGE_SIZE);
	if (!v)
		return NULL;
	v->domain = d;
	v->vcpu_id = id;
	return v;
}

struct vcpu *vcpu_create_idle(unsigned int cpu)
{
	static struct vcpu *idle_vcpus[CONFIG_NR_CPUS];

	/* Made once per pCPU, by the boot pCPU for all of them before any domain is built. */
	if (cpu < CONFIG_NR_CPUS && !idle_vcpus[cpu])
		idle_vcpus[cpu] = vcpu_alloc(&idle_domain, cpu);
	return cpu < CONFIG_NR_CPUS ? idle_vcpus[cpu] : NULL;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
	struct vcpu *v = vcpu_alloc(d, id);

	if (!v)
		return NULL;
	v->vmpidr = vcpu_id_to_mpidr(id);
	/* vCPUs beyond XEN_LEGACY_MAX_VCPUS have no shared-info slot until they register one. */
	v->vcpu_info = id < XEN_LEGACY_MAX_VCPUS ? &d->shared_info->vcpu_info[id] : &v->dummy_vcpu_info;
	vgic_vcpu_init(v);
	return v;
}

struct domain *domain_create(const struct domain_config *cfg, int *err)
{
	struct domain *d;

	_Static_assert(sizeof(struct domain) <= PAGE_SIZE, "struct domain fits a page");
	*err = -EINVAL;
	if (!cfg->max_vcpus || cfg->max_vcpus > CONFIG_MAX_VCPUS || domain_by_id(cfg->domid))
		return NULL;
	*err = -ENOMEM;
	d = mm_alloc_page();
	if (!d)
		return NULL;
	d->domain_id = cfg->domid;
	d->is_privileged = cfg->privileged;
	d->direct_map = cfg->direct_map;
	d->max_vcpus = cfg->max_vcpus;
	d->shared_info = mm_alloc_page();
	/*
	 * Grant frame 0 now: every PV guest maps it at boot, and taking it here keeps the
	 * heap still while other domains run (a domU's destruction gives back what it took).
	 */
	if (!d->shared_info || p2m_init(&d->p2m, cfg->domid + 1, cfg->p2m_pages) || evtchn_domain_init(d) ||
	    !gnttab_get_frame(d, 0))
		goto fail;
	for (unsigned int i = 0; i < cfg->max_vcpus; i++)
		if (!(d->vcpu[i] = vcpu_create(d, i)))
			goto fail;
	for (unsigned int i = 0; i < cfg->max_vcpus; i++)
		if ((*err = sched_insert_vcpu(d->vcpu[i])))
			goto fail;
	*err = 0;
	spin_lock(&domlist_lock);
	d->next_in_list = domain_list;
	domain_list = d;
	spin_unlock(&domlist_lock);
	return d;
fail:
	domain_free(d);
	return NULL;
}

/* Give back everything @d holds; it is on no list and runs nowhere. */
static void domain_free(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i]) {
			timer_stop(&d->vcpu[i]->sched.wake_timer);
			mm_free_pages(d->vcpu[i], 2);
		}
	domain_free_ram(d);
	gnttab_domain_free(d);
	evtchn_domain_free(d);
	vgic_domain_free(d);
	p2m_teardown(&d->p2m);
	if (d->shared_info)
		mm_free_page(d->shared_info);
	mm_free_page(d);
}

/* Free [@pa, @pa + @len) if @len: a run of RAM pages found contiguous in PA. */
static void free_run(uint64_t pa, uint64_t len)
{
	if (len && mm_free_pages((void *)(uintptr_t)pa, (unsigned int)(len / PAGE_SIZE)))
		printk("heap: RAM 0x%lx+0x%lx was not in use\n", (unsigned long)pa, (unsigned long)len);
}

void domain_free_ram(struct domain *d)
{
	if (d->direct_map)
		return;	/* dom0's RAM is the machine's, not the heap's */
	/*
	 * Page by page through the p2m, so that however the RAM was taken (blocks, or pages
	 * where the heap had no block) and whatever the guest put over it since (the shared
	 * info page, which frees the RAM page it covers), exactly its RAM pages are freed.
	 */
	for (unsigned int b = 0; b < d->nr_mem; b++) {
		uint64_t run_pa = 0, run_len = 0;

		for (uint64_t ipa = d->mem[b].start; ipa < d->mem[b].start + d->mem[b].size; ipa += PAGE_SIZE) {
			uint64_t pa;

			if (!p2m_lookup_ram(&d->p2m, ipa, &pa))
				continue;
			if (run_len && pa == run_pa + run_len) {
				run_len += PAGE_SIZE;
				continue;
			}
			free_run(run_pa, run_len);
			run_pa = pa;
			run_len = PAGE_SIZE;
		}
		free_run(run_pa, run_len);
	}
	d->nr_mem = 0;
}

/*
 * The reaper: a dying domain is freed once none of its vCPUs is loaded on any pCPU,
 * checked from a timer on the pCPU that killed it. Once they are all off, one more
 * period passes before the memory goes (a wake timer that fired on another pCPU just
 * before it was stopped may still be finishing its callback on that vCPU).
 */
static void domain_reap(struct timer *t)
{
	struct domain *d = (struct domain *)((char *)t - __builtin_offsetof(struct domain, reap_timer));
	bool busy = false;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		timer_stop(&v->sched.wake_timer);
		busy |= __atomic_load_n(&v->sched.is_running, __ATOMIC_ACQUIRE) ||
			__atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE) != RUNSTATE_offline;
	}
	if (busy || !d->reap_grace) {
		d->reap_grace = !busy;
		timer_set(t, timer_now() + timer_ns_to_ticks(1000000));
		return;
	}
	domain_destroy(d);
}

void domain_destroy(struct domain *d)
{
	uint16_t domid = d->domain_id;
	unsigned int reason = d->shutdown_reason;
	struct domain **pp;
	uint64_t free_pages;

	spin_lock(&domlist_lock);
	for (pp = &domain_list; *pp && *pp != d; pp = &(*pp)->next_in_list)
		;
	if (*pp)
		*pp = d->next_in_list;
	spin_unlock(&domlist_lock);
	/* No new pin can be taken now; those taken before are held for one operation. */
	while (__atomic_load_n(&d->refcnt, __ATOMIC_ACQUIRE))
		;
	domain_release_resources(d);	/* interdomain channels, console, routed SPIs */
	domain_free(d);
	mm_stats(&free_pages, NULL);
	printk("d%u: destroyed; heap now %lu free pages (%lu KiB)\n", domid, (unsigned long)free_pages,
	       (unsigned long)(free_pages * (PAGE_SIZE / 1024)));
	if (reason == SHUTDOWN_reboot)
		domain_rebuild(domid);
}

/* Take every vCPU of @d offline and leave the rest to the reaper. */
static void domain_kill(struct domain *d, unsigned int reason)
{
	if (__atomic_exchange_n(&d->is_dying, true, __ATOMIC_ACQ_REL))
		return;
	d->shutdown_reason = reason;
	irq_release_domain(
		d); /* no SPI reaches it any more; the reaper's grace period covers in-flight ones */
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		vcpu_power_off(d->vcpu[i]);
	timer_init(&d->reap_timer, domain_reap);
	timer_set(&d->reap_timer, timer_now() + timer_ns_to_ticks(1000000));
}

static const char *const shutdown_why[] = { "poweroff", "reboot", "suspend", "crash", "watchdog",
					    "soft_reset" };

void domain_shutdown(struct domain *d, unsigned int reason)
{
	printk("d%u: shutdown (%s)\n", d->domain_id, reason <= SHUTDOWN_MAX ? shutdown_why[reason] : "?");
	if (!d->is_privileged) {
		/* A domU ends (or restarts) alone; its memory goes back to the heap. */
		domain_kill(d, reason == SHUTDOWN_reboot ? SHUTDOWN_reboot : SHUTDOWN_poweroff);
		return;
	}
	/* dom0 owns the machine: its poweroff and reboot are the host's. */
	trap_count_print();
	if (reason == SHUTDOWN_reboot || (reason != SHUTDOWN_poweroff && !cmdline_has(bootinfo.cmdline, "noreboot")))
		firmware_system_reset();
	else
		firmware_system_off();
	panic("host firmware did not %s", reason == SHUTDOWN_poweroff ? "power off" : "reset");
}
