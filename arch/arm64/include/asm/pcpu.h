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
 * @id:        pCPU index (0 = the boot CPU).
 * @emerg_top: SP for reporting an EL2 exception taken with no stack left (offset
 *             PCPU_EMERG_TOP).
 */
struct pcpu {
	uint64_t stack_top;
	struct vcpu *curr;
	unsigned int id;
	uint64_t emerg_top;	/* top of the emergency stack below the guard page */
};
_Static_assert(__builtin_offsetof(struct pcpu, stack_top) == PCPU_STACK_TOP, "pcpu layout");
_Static_assert(__builtin_offsetof(struct pcpu, emerg_top) == PCPU_EMERG_TOP, "pcpu layout");

/** pcpu_stacks - the stack slots of all pCPUs (head.S; layout in asm/regs.h). */
extern char pcpu_stacks[];

/** pcpu_stack_top() - initial SP of pCPU @id: the top of its slot. */
static inline uint64_t pcpu_stack_top(unsigned int id)
{
	return (uintptr_t)pcpu_stacks + ((uint64_t)id + 1) * PCPU_SLOT_SIZE;
}

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}
#endif
