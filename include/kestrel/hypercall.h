/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_HYPERCALL_H
#define KESTREL_HYPERCALL_H
/*
 * Hypercall entry: HVC #0xEA1, number in x16, arguments in x0..x4, result in x0
 * (Xen public/arch-arm.h). The table is generated from common/hypercall-defs.h.
 */
#include <stdint.h>
#include <asm/regs.h>
#include <public/arch-arm.h>

/** Benchmark no-op hypercall number (an arch-specific slot Xen leaves unused on Arm). */
#define KESTREL_HYPERCALL_NOP	63

/**
 * do_hypercall() - run hypercall x16 with x0..x4 and put the result in x0.
 * Unknown numbers and callers without the privilege get -ENOSYS / -EPERM.
 */
void do_hypercall(struct cpu_user_regs *regs);

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
#endif
