/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_PCPU_H
#define KESTREL_ASM_PCPU_H
#include <stdint.h>
#include <asm/regs.h>
#include <asm/sysregs.h>

struct vcpu;

/**
 * struct pcpu - per physical CPU state, found through TPIDR_EL2.
 * @stack_top: initial SP for C code entered from a trap (offset PCPU_STACK_TOP).
 * @curr:      the vCPU whose state is loaded on this pCPU.
 */
struct pcpu {
	uint64_t stack_top;
	struct vcpu *curr;
	unsigned int id;
};
_Static_assert(__builtin_offsetof(struct pcpu, stack_top) == PCPU_STACK_TOP, "pcpu layout");

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}
#endif
