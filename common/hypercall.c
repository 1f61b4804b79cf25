// SPDX-License-Identifier: Apache-2.0
/* The hypercall table, built from hypercall-defs.h, and its dispatcher. */
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

/* One adapter per hypercall: registers in, the handler's own signature out. */
#define HYPERCALL(nr, name, nargs, who) \
	static long hc_##name(const uint64_t *a) { (void)a; return do_##name(HC_ARGS_##nargs); }
#include "hypercall-defs.h"
#undef HYPERCALL

struct hypercall {
	long (*fn)(const uint64_t *args);
	uint8_t nr_args;
	bool privileged;
};

#define ALL false
#define PRIV true
#define HYPERCALL(nr, name, nargs, who) [nr] = { hc_##name, nargs, who },
static const struct hypercall hypercall_table[] = {
#include "hypercall-defs.h"
};
#undef HYPERCALL

#define POISON 0xDEADBEEFUL

void do_hypercall(struct cpu_user_regs *regs)
{
	uint64_t nr = regs->x[16];
	const struct hypercall *hc = nr < ARRAY_SIZE(hypercall_table) ? &hypercall_table[nr] : NULL;
	long ret;

	if (!hc || !hc->fn)
		ret = -ENOSYS;
	else if (hc->privileged && !current->domain->is_privileged)
		ret = -EPERM;
	else
		ret = hc->fn(regs->x);
	if (ret == -ERESTART) {
		regs->pc -= 4;	/* re-issue HVC #0xEA1 with the updated arguments */
		return;
	}
#ifdef CONFIG_HYPERCALL_POISON
	/* Arguments are not preserved across a hypercall: make that visible (as Xen debug). */
	if (hc && hc->fn)
		for (unsigned int i = 1; i < hc->nr_args; i++)
			regs->x[i] = POISON;
	regs->x[16] = POISON;
#endif
	regs->x[0] = (uint64_t)ret;
}

long hypercall_continue(unsigned int n, uint64_t val, unsigned int n2, uint64_t val2)
{
	current->regs.x[n] = val;
	current->regs.x[n2] = val2;
	return -ERESTART;
}

long do_nop(void)
{
	return 0;
}

long do_vm_assist(unsigned int cmd, unsigned int type)
{
	return -EINVAL;	/* no assists on Arm (Xen: VMASST_TYPE_runstate_update_flag is optional) */
}


