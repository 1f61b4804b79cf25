/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL2 vector table of trace=counts|on (include/kestrel/trace.h). VBAR_EL2 points here
 * instead of at el2_vectors (entry.S) only when tracing was asked for at boot, so the
 * ordinary paths carry no test of their own.
 *
 * A current-EL entry branches to its ordinary vector at once, touching nothing (that
 * vector checks SP before it pushes: a stack overflow must stay reportable). A lower-EL
 * entry stores the guest's x0-x18, x29 and x30 in their slots of the vCPU frame below
 * SP_EL2 (where the ordinary vector saves them too), calls trace_guest_exit(slot, frame)
 * on the pCPU's stack, restores every register it used and SP, and branches to the
 * ordinary vector, which then sees the exception exactly as the hardware presented it
 * (ESR_EL2, ELR_EL2, SPSR_EL2, FAR_EL2 and HPFAR_EL2 are untouched: C at EL2 runs with
 * interrupts masked and takes no exception). Layout: Arm ARM D1.10.2.
 */
#include <asm/frame.h>
#include <asm/regs.h>

/* Current EL: the ordinary vector at the same offset. */
.macro trace_hyp_vector off
	.balign	128
	b	el2_vectors + \off
.endm

/* Lower EL, slot 0-7 (AArch64 sync, IRQ, FIQ, SError, then AArch32's). */
.macro trace_guest_vector slot
	.balign	128
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp]
	stp	x29, x30, [sp, #232]
	mov	x0, #\slot
	bl	trace_exit_common
	ldp	x29, x30, [sp, #232]
	ldp	x0, x1, [sp]
	add	sp, sp, #REGS_SIZE
	b	el2_vectors + 0x400 + \slot * 0x80
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	trace_vectors
trace_vectors:
	trace_hyp_vector 0x000
	trace_hyp_vector 0x080
	trace_hyp_vector 0x100
	trace_hyp_vector 0x180
	trace_hyp_vector 0x200
	trace_hyp_vector 0x280
	trace_hyp_vector 0x300
	trace_hyp_vector 0x380
	trace_guest_vector 0
	trace_guest_vector 1
	trace_guest_vector 2
	trace_guest_vector 3
	trace_guest_vector 4
	trace_guest_vector 5
	trace_guest_vector 6
	trace_guest_vector 7

/*
 * x0 = slot, sp = the vCPU frame with x0, x1, x29 and x30 saved: save x2-x18, run
 * trace_guest_exit(slot, frame) on the pCPU's stack, restore x2-x18 and sp.
 */
trace_exit_common:
	save_x2_x18
	mov	x1, sp
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #PCPU_STACK_TOP]
	mov	sp, x2
	stp	x1, x30, [sp, #-16]!
	mov	x29, xzr		/* end the frame chain for backtraces */
	bl	trace_guest_exit
	ldp	x1, x30, [sp], #16
	mov	sp, x1
	restore_x2_x18
	ret
