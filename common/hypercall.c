// SPDX-License-Identifier: Apache-2.0
/* The hypercall table, built from hypercall-defs.h (the dispatcher is inline in hypercall.h). */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/event.h>
#include <kestrel/grant_table.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <public/xen.h>

#define HC_ARGS_0
#define HC_ARGS_1 a[0]
#define HC_ARGS_2 a[0], a[1]
#define HC_ARGS_3 a[0], a[1], a[2]

#define ALL false
#define PRIV true

/*
 * One adapter per hypercall: registers in, the handler's own signature out. Hypercalls
 * only the privileged domain may make check that here, off everyone else's path.
 */
#define HYPERCALL(nr, name, nargs, who)						\
	static long hc_##name(const uint64_t *a)				\
	{									\
		(void)a;							\
		if ((who) && !current->domain->is_privileged)			\
			return -EPERM;						\
		return do_##name(HC_ARGS_##nargs);				\
	}
#include "hypercall-defs.h"
#undef HYPERCALL

#define HYPERCALL(nr, name, nargs, who) [nr] = { hc_##name, nargs },
const struct hypercall hypercall_table[NR_HYPERCALLS] = {
#include "hypercall-defs.h"
};
#undef HYPERCALL

long hypercall_continue(unsigned int n, uint64_t val, unsigned int n2, uint64_t val2)
{
	current->regs.x[n] = val;
	current->regs.x[n2] = val2;
	return -ERESTART;
}

/* sysctl and domctl are the toolstack's (Xen public/sysctl.h, domctl.h): none is offered. */
long do_sysctl(uint64_t arg)
{
	return -ENOSYS;
}

long do_domctl(uint64_t arg)
{
	return -ENOSYS;
}

long do_nop(void)
{
	return 0;
}

/*
 * vm_assist: Arm has one assist, VMASST_TYPE_runstate_update_flag (Xen
 * xen/include/asm-arm/config.h, VM_ASSIST_VALID): runstate updates mark
 * state_entry_time with XEN_RUNSTATE_UPDATE while in progress (vcpu_op.c).
 * Return: 0; -EINVAL for another type; -ENOSYS for another command (Xen common/domain.c).
 */
long do_vm_assist(unsigned int cmd, unsigned int type)
{
	struct domain *d = current->domain;

	if (type != VMASST_TYPE_runstate_update_flag)
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->runstate_update_flag = true;
		return 0;
	case VMASST_CMD_disable:
		d->runstate_update_flag = false;
		return 0;
	}
	return -ENOSYS;
}


