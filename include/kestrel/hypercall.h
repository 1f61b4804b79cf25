/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_HYPERCALL_H
#define KESTREL_HYPERCALL_H
/*
 * Hypercall entry: HVC #0xEA1, number in x16, arguments in x0..x4, result in x0
 * (Xen public/arch-arm.h). The table is generated from common/hypercall-defs.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/regs.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <public/arch-arm.h>

/** Benchmark no-op hypercall number (an arch-specific slot Xen leaves unused on Arm). */
#define KESTREL_HYPERCALL_NOP	63

/** Size of the hypercall table: numbers 0..63, as Xen's NR_hypercalls. */
#define NR_HYPERCALLS		64

/**
 * struct hypercall - one entry of hypercall_table[]: the adapter that unpacks the
 * argument registers (and refuses callers without the privilege a hypercall needs,
 * -EPERM), and how many of x0..x4 are arguments. A NULL @fn is an unimplemented number.
 */
struct hypercall {
	long (*fn)(const uint64_t *args);
	unsigned long nr_args;
};
extern const struct hypercall hypercall_table[NR_HYPERCALLS];

#define HYPERCALL_POISON_VALUE	0xDEADBEEFUL

/*
 * Arguments are not preserved across a hypercall (only x0, the result, is defined):
 * with CONFIG_HYPERCALL_POISON make that visible, as a Xen debug build does.
 */
static inline void hypercall_poison_arguments(struct cpu_user_regs *regs, unsigned long nr_args)
{
#ifdef CONFIG_HYPERCALL_POISON
	for (unsigned long i = nr_args; i-- > 1;)	/* x0 holds the result */
		regs->x[i] = HYPERCALL_POISON_VALUE;
	regs->x[16] = HYPERCALL_POISON_VALUE;
#endif
}

/**
 * do_hypercall() - run hypercall x16 of the current vCPU with x0..x4 and put the
 * result in x0. Unknown numbers get -ENOSYS (unprivileged callers of a privileged
 * hypercall get -EPERM from its adapter); -ERESTART from a handler re-issues the HVC (hypercall_continue()).
 * Inline: it is the body of the hypercall trap path (arch/arm64/hvc.c).
 */
static inline void do_hypercall(struct cpu_user_regs *regs)
{
	uint64_t nr = regs->x[16];
	const struct hypercall *hc;
	long ret;

	if (unlikely(nr >= NR_HYPERCALLS || !hypercall_table[nr].fn)) {
		hypercall_poison_arguments(regs, 0);
		regs->x[0] = (uint64_t)-ENOSYS;
		return;
	}
	hc = &hypercall_table[nr];
	ret = hc->fn(regs->x);
	if (unlikely(ret == -ERESTART)) {
		regs->pc -= 4;	/* re-issue HVC #0xEA1 with the updated arguments */
		return;
	}
	hypercall_poison_arguments(regs, hc->nr_args);
	regs->x[0] = (uint64_t)ret;
}

/**
 * hypercall_continue() - for a long hypercall that has done part of its work: set
 * argument register x@n to @val (the remaining work) and return -ERESTART; the vCPU
 * then re-executes the HVC, so interrupts are taken between the pieces (Xen calls this
 * a hypercall continuation).
 */
long hypercall_continue(unsigned int n, uint64_t val, unsigned int n2, uint64_t val2);

long do_xen_version(unsigned int cmd, uint64_t arg);
long do_console_io(unsigned int cmd, unsigned int count, uint64_t buffer);
long do_memory_op(unsigned int cmd, uint64_t arg);
long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg);
long do_sched_op(unsigned int cmd, uint64_t arg);
long do_hvm_op(unsigned int cmd, uint64_t arg);
long do_platform_op(uint64_t arg);
long do_physdev_op(unsigned int cmd, uint64_t arg);
long do_vm_assist(unsigned int cmd, unsigned int type);
long do_nop(void);
long do_sysctl(uint64_t arg);
long do_domctl(uint64_t arg);
#endif
