// SPDX-License-Identifier: Apache-2.0
/*
 * sched_op hypercall (number 29): yield, block (wait for an event) and shutdown.
 * Source: Xen public/sched.h.
 */
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <public/sched.h>

long do_sched_op(unsigned int cmd, uint64_t arg)
{
	struct vcpu *v = current;
	struct sched_shutdown sd;

	switch (cmd) {
	case SCHEDOP_yield:
		return 0;	/* one vCPU per pCPU: nothing else to run */
	case SCHEDOP_block:
		if (!(v->vcpu_info && v->vcpu_info->evtchn_upcall_pending))
			vcpu_wait_for_interrupt(v);
		return 0;
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, arg, sizeof(sd)))
			return -EFAULT;
		if (sd.reason > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(v->domain, sd.reason);
	}
	return -ENOSYS;
}
