// SPDX-License-Identifier: Apache-2.0
/*
 * vcpu_op hypercall (number 24). Linux BUG()s if VCPUOP_register_vcpu_info fails
 * (arch/arm/xen/enlighten.c, xen_starting_cpu), so it must work for every vCPU.
 * Layouts: Xen public/vcpu.h; the runstate area: public/vcpu.h, public/xen.h.
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <public/vcpu.h>

/**
 * register_vcpu_info() - move @v's vcpu_info to guest frame @gfn + @offset of its own
 * RAM. The current contents are copied over, as Xen does.
 * Return: 0, -EINVAL (not in RAM, crosses a page, already registered).
 */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info info;
	struct domain *d = v->domain;
	uint64_t ipa, pa;

	if (copy_from_guest(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (info.offset & 7))
		return -EINVAL;
	if (info.mfn >> (P2M_IPA_BITS - PAGE_SHIFT))
		return -EINVAL;
	ipa = (info.mfn << PAGE_SHIFT) + info.offset;
	if (!domain_ipa_is_ram(d, ipa, sizeof(struct vcpu_info)) || !p2m_lookup(&d->p2m, ipa, &pa))
		return -EINVAL;
	if (v->vcpu_info_registered)
		return -EINVAL;
	if (v->vcpu_info)
		memcpy((void *)(uintptr_t)pa, v->vcpu_info, sizeof(struct vcpu_info));
	else
		memset((void *)(uintptr_t)pa, 0, sizeof(struct vcpu_info));
	v->vcpu_info = (struct vcpu_info *)(uintptr_t)pa;
	v->vcpu_info_registered = true;
	return 0;
}

/* Write the runstate: this vCPU runs on its own pCPU, so it is always "running". */
static long register_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info rs;

	if (copy_from_guest(&area, arg, sizeof(area)))
		return -EFAULT;
	memset(&rs, 0, sizeof(rs));
	rs.state = RUNSTATE_running;
	if (area.addr.h && copy_to_guest(area.addr.h, &rs, sizeof(rs)))
		return -EFAULT;
	v->runstate_va = area.addr.h;
	return 0;
}

long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg)
{
	struct domain *d = current->domain;
	struct vcpu *v = vcpuid < d->max_vcpus ? d->vcpu[vcpuid] : NULL;

	if (!v)
		return -ENOENT;
	switch (cmd) {
	case VCPUOP_register_vcpu_info: {
		long ret;

		spin_lock(&d->lock);
		ret = register_vcpu_info(v, arg);
		spin_unlock(&d->lock);
		return ret;
	}
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(v, arg);
	case VCPUOP_is_up:
		return v->online;
	}
	return -ENOSYS;
}
