/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_REGS_H
#define KESTREL_ASM_REGS_H

/* Layout of struct cpu_user_regs, shared with entry.S. */
#define REGS_PC		248
#define REGS_CPSR	256
#define REGS_SIZE	272

/* Exception kinds passed from the vectors to C. */
#define EXIT_SYNC	0
#define EXIT_IRQ	1
#define EXIT_FIQ	2
#define EXIT_SERROR	3

/* Each pCPU's hypervisor stack: 1 << PCPU_STACK_SHIFT bytes (head.S, smp.c). */
#define PCPU_STACK_SHIFT	14
#define PCPU_STACK_SIZE		(1 << PCPU_STACK_SHIFT)

/*
 * The stacks lie in pcpu_stacks[] (head.S), one slot per pCPU, each aligned to its own
 * size, twice the stack's: from the bottom, an emergency stack (for reporting a stack
 * overflow), a guard page that mmu.c leaves unmapped, then the stack. An address in a
 * slot is in the stack proper exactly when its bit PCPU_STACK_SHIFT is set, which the
 * EL2 exception vectors test before they push anything (entry.S).
 */
#define PCPU_SLOT_SHIFT		(PCPU_STACK_SHIFT + 1)
#define PCPU_SLOT_SIZE		(1 << PCPU_SLOT_SHIFT)
#define PCPU_GUARD_SIZE		4096
#define PCPU_EMERG_SIZE		(PCPU_SLOT_SIZE - PCPU_STACK_SIZE - PCPU_GUARD_SIZE)

/* struct pcpu field offsets used by entry.S. */
#define PCPU_STACK_TOP	0
#define PCPU_EMERG_TOP	16

#ifndef __ASSEMBLY__
#include <stdint.h>
/**
 * struct cpu_user_regs - a vCPU's general-purpose state at the trap: x0..x30,
 * the return address (ELR_EL2) and PSTATE (SPSR_EL2). SP_EL0/SP_EL1 stay in
 * their system registers while the vCPU is loaded.
 */
struct cpu_user_regs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t cpsr;
	uint64_t pad;
};
_Static_assert(__builtin_offsetof(struct cpu_user_regs, pc) == REGS_PC, "regs layout");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, cpsr) == REGS_CPSR, "regs layout");
_Static_assert(sizeof(struct cpu_user_regs) == REGS_SIZE, "regs layout");
#endif
#endif
