// SPDX-License-Identifier: Apache-2.0
/* Domain and vCPU creation and lookup; shutdown. */
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <public/sched.h>

struct domain *domain_list;

struct domain *domain_by_id(uint16_t domid)
{
	for (struct domain *d = domain_list; d; d = d->next_in_list)
		if (d->domain_id == domid)
			return d;
	return NULL;
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
	return vcpu_alloc(&idle_domain, cpu);
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

struct domain *domain_create(uint16_t domid, unsigned int max_vcpus, bool privileged, int *err)
{
	struct domain *d;

	_Static_assert(sizeof(struct domain) <= PAGE_SIZE, "struct domain fits a page");
	*err = -EINVAL;
	if (!max_vcpus || max_vcpus > CONFIG_MAX_VCPUS)
		return NULL;
	*err = -ENOMEM;
	d = mm_alloc_page();
	if (!d)
		return NULL;
	d->domain_id = domid;
	d->is_privileged = privileged;
	d->max_vcpus = max_vcpus;
	d->shared_info = mm_alloc_page();
	if (!d->shared_info || p2m_init(&d->p2m, domid + 1) || evtchn_domain_init(d))
		return NULL;
	for (unsigned int i = 0; i < max_vcpus; i++)
		if (!(d->vcpu[i] = vcpu_create(d, i)))
			return NULL;
	for (unsigned int i = 0; i < max_vcpus; i++)
		if ((*err = sched_insert_vcpu(d->vcpu[i])))
			return NULL;
	*err = 0;
	d->next_in_list = domain_list;
	domain_list = d;
	return d;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	static const char *const why[] = { "poweroff", "reboot", "suspend", "crash", "watchdog",
					   "soft_reset" };

	printk("d%u: shutdown (%s)\n", d->domain_id, reason <= SHUTDOWN_MAX ? why[reason] : "?");
	/* dom0 owns the machine: its poweroff and reboot are the host's. */
	if (reason == SHUTDOWN_reboot || (reason != SHUTDOWN_poweroff && !cmdline_has(bootinfo.cmdline, "noreboot")))
		firmware_system_reset();
	else
		firmware_system_off();
	panic("host firmware did not %s", reason == SHUTDOWN_poweroff ? "power off" : "reset");
}
