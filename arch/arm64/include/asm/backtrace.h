/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_BACKTRACE_H
#define KESTREL_ASM_BACKTRACE_H
/* Frame-pointer backtraces of Kestrel's own code (arch/arm64/hyp_trap.c). */
#include <stdbool.h>
#include <stdint.h>

/**
 * backtrace_stack_of() - the pCPU stack (asm/regs.h) whose slot holds @sp: [*@lo, *@hi).
 * Return: false if @sp is in no pCPU's slot.
 */
bool backtrace_stack_of(uint64_t sp, uint64_t *lo, uint64_t *hi);

/**
 * backtrace_print() - print the return address of each frame record from @fp up,
 * symbolised, reading only records inside the stack that holds @sp (at most 32).
 */
void backtrace_print(uint64_t fp, uint64_t sp);

/** backtrace_here() - backtrace_print() from the caller's own frame. */
#define backtrace_here() do {							\
		uint64_t __sp;							\
		__asm__ volatile("mov %0, sp" : "=r"(__sp));			\
		backtrace_print((uintptr_t)__builtin_frame_address(0), __sp);	\
	} while (0)
#endif
