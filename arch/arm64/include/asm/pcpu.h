/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_PCPU_H
#define KESTREL_ASM_PCPU_H
#include <stdbool.h>
#include <stdint.h>
#include <asm/regs.h>
#include <asm/sysregs.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>

struct vcpu;

/**
 * struct pcpu - per physical CPU state, found through TPIDR_EL2 (this_pcpu()) or by
 * index (pcpu_get()).
 * @stack_top:    initial SP for C code entered from a trap (offset PCPU_STACK_TOP).
 * @need_resched: schedule() before returning to a guest (read on every trap return).
 * @emerg_top:    SP for reporting an EL2 exception taken with no stack left (offset
 *                PCPU_EMERG_TOP).
 * @curr:         the vCPU whose state is loaded on this pCPU (@idle when none is).
 * @idle:         this pCPU's idle vCPU.
 * @id:           pCPU index (0 = the boot CPU), also its index in bootinfo.cpu_mpidr[].
 * @online:       up and scheduling.
 * @rq:           its run queue.
 * @timers:       its software timers.
 */
struct pcpu {
	uint64_t stack_top;
	bool need_resched;
	uint64_t emerg_top;
	struct vcpu *curr;
	struct vcpu *idle;
	unsigned int id;
	bool online;
	struct sched_rq rq;
	struct timer_queue timers;
};
_Static_assert(__builtin_offsetof(struct pcpu, stack_top) == PCPU_STACK_TOP, "pcpu layout");
_Static_assert(__builtin_offsetof(struct pcpu, emerg_top) == PCPU_EMERG_TOP, "pcpu layout");

/** pcpu_stacks - the stack slots of all pCPUs (head.S; layout in asm/regs.h). */
extern char pcpu_stacks[];

/** pcpu_table - every pCPU's struct pcpu, by index (arch/arm64/smp.c). */
extern struct pcpu pcpu_table[CONFIG_NR_CPUS];

/** pcpu_stack_top() - initial SP of pCPU @id: the top of its slot. */
static inline uint64_t pcpu_stack_top(unsigned int id)
{
	return (uintptr_t)pcpu_stacks + ((uint64_t)id + 1) * PCPU_SLOT_SIZE;
}

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}

/** pcpu_get() - pCPU @id's state (@id < CONFIG_NR_CPUS). */
static inline struct pcpu *pcpu_get(unsigned int id)
{
	return &pcpu_table[id];
}

/** smp_processor_id() - this pCPU's index. */
static inline unsigned int smp_processor_id(void)
{
	return this_pcpu()->id;
}
#endif
