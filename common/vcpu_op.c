// SPDX-License-Identifier: Apache-2.0
/*
 * vcpu_op hypercall (number 24). Linux BUG()s if VCPUOP_register_vcpu_info fails
 * (arch/arm/xen/enlighten.c, xen_starting_cpu), so it must work for every vCPU.
 * Layouts: Xen public/vcpu.h; the runstate area: public/vcpu.h, public/xen.h.
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/event.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <public/vcpu.h>

/**
 * register_vcpu_info() - move @v's vcpu_info to guest frame @gfn + @offset of its own
 * RAM. The current contents are copied over and every event re-announced, as Xen does
 * (xen/common/domain.c, map_vcpu_info): a sender on another pCPU may still have written
 * the old copy after the copy was taken.
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
	__atomic_store_n(&v->vcpu_info, (struct vcpu_info *)(uintptr_t)pa, __ATOMIC_RELEASE);
	v->vcpu_info_registered = true;
	evtchn_vcpu_info_moved(v);	/* events sent into the old copy meanwhile: re-announced */
	return 0;
}

/*
 * Copy @v's runstate to its registered area, in @v's own address space (its stage 1 and
 * stage 2 must be loaded: context_switch() calls this while they are). With the
 * runstate_update_flag assist, state_entry_time carries XEN_RUNSTATE_UPDATE while the
 * rest is rewritten, so a reader on another vCPU can retry (Xen public/vcpu.h; Xen's
 * own sequence: xen/arch/arm/domain.c, update_runstate_area). A bad address is skipped.
 */
static void runstate_copy(struct vcpu *v, uint64_t va)
{
	struct vcpu_runstate_info rs = v->runstate;
	uint64_t entry = rs.state_entry_time;
	const uint64_t entry_va = va + offsetof(struct vcpu_runstate_info, state_entry_time);

	if (!v->domain->runstate_update_flag) {
		copy_to_guest(va, &rs, sizeof(rs));
		return;
	}
	rs.state_entry_time = entry | XEN_RUNSTATE_UPDATE;
	if (copy_to_guest(entry_va, &rs.state_entry_time, sizeof(entry)))
		return;
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* dmb ish: flag before body */
	copy_to_guest(va, &rs, sizeof(rs));
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* body before the flag clears */
	copy_to_guest(entry_va, &entry, sizeof(entry));
}

void runstate_area_update(struct vcpu *v)
{
	if (v->runstate_va)
		runstate_copy(v, v->runstate_va);
}

/*
 * VCPUOP_register_runstate_memory_area: from now on @v's runstate is copied to guest
 * virtual address @area.addr.h at each of its switches (0: stop). It is written at once
 * when @v is the caller (the address is in the caller's address space).
 * Return: 0; -EFAULT (argument unreadable, or the area is not writable by the caller).
 */
static long register_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;

	if (copy_from_guest(&area, arg, sizeof(area)))
		return -EFAULT;
	if (area.addr.h && guest_range_check(area.addr.h, sizeof(struct vcpu_runstate_info), 1))
		return -EFAULT;
	v->runstate_va = area.addr.h;
	if (v == current)
		runstate_area_update(v);
	return 0;
}

/* VCPUOP_get_runstate_info: @v's runstate, the current state's time counted up to now. */
static long get_runstate_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_runstate_info rs = v->runstate;
	uint64_t now = timer_ticks_to_ns(timer_now());

	if (rs.state >= 0 && rs.state <= RUNSTATE_offline && now > rs.state_entry_time)
		rs.time[rs.state] += now - rs.state_entry_time;
	return copy_to_guest(arg, &rs, sizeof(rs)) ? -EFAULT : 0;
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
	case VCPUOP_get_runstate_info:
		return get_runstate_info(v, arg);
	case VCPUOP_is_up:
		return vcpu_is_up(v);
	case VCPUOP_up:		/* resume a vCPU taken down; Xen: -EINVAL if never started */
		if (!v->initialised)
			return -EINVAL;
		vcpu_power_on(v, false, 0, 0);
		return 0;
	case VCPUOP_down:
		vcpu_power_off(v);
		return 0;
	}
	return -ENOSYS;
}
