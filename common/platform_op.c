// SPDX-License-Identifier: Apache-2.0
/*
 * platform_op hypercall (number 7, dom0 only). Linux dom0 sets the wall clock with
 * XENPF_settime64 (arch/arm/xen/enlighten.c, xen_pvclock_gtod_notify); Kestrel keeps
 * it in every domain's shared info (wc_sec/wc_nsec, public/xen.h).
 * Source: Xen public/platform.h.
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/spinlock.h>
#include <public/platform.h>

/*
 * XENPF_settime64: every domain's wallclock, under one lock so two settime calls from
 * different vCPUs do not interleave their version bumps (Xen serialises them with its
 * wallclock lock, xen/common/time.c do_settime). The version is the hypervisor's own
 * counter, written with plain stores and barriers: no atomic loop on the guest-writable
 * shared info (kestrel/guest_atomic.h); a guest scribbling on it only confuses itself.
 */
static spinlock_t wallclock_lock;

static void set_wallclock(uint64_t secs, uint32_t nsecs)
{
	spin_lock(&wallclock_lock);
	for (struct domain *d = domain_list; d; d = d->next_in_list) {
		struct shared_info *s = d->shared_info;
		uint32_t version = __atomic_load_n(&s->wc_version, __ATOMIC_RELAXED);

		__atomic_store_n(&s->wc_version, version | 1, __ATOMIC_RELAXED);	/* odd: update */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		s->wc_sec = (uint32_t)secs;
		s->wc_sec_hi = (uint32_t)(secs >> 32);
		s->wc_nsec = nsecs;
		__atomic_store_n(&s->wc_version, (version | 1) + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&wallclock_lock);
}

long do_platform_op(uint64_t arg)
{
	struct xen_platform_op op;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -EACCES;
	switch (op.cmd) {
	case XENPF_settime64:
		if (op.u.settime64.mbz || op.u.settime64.nsecs >= 1000000000U)
			return -EINVAL;
		set_wallclock(op.u.settime64.secs, op.u.settime64.nsecs);
		return 0;
	}
	return -ENOSYS;
}
