/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors (VBAR_EL2) and the guest entry/exit paths.
 *
 * While a vCPU runs, SP_EL2 points just past its struct cpu_user_regs, so a trap
 * saves the guest's registers straight into the vCPU. The C side then runs on the
 * pCPU's own stack (struct pcpu at TPIDR_EL2) and returns the registers of the vCPU
 * to resume, which after a context switch may be another one.
 *
 * The hot synchronous traps from AArch64 take a shorter path that saves and restores
 * only what C may clobber (x0-x18, x30; AAPCS64 6.1.1) and ELR/SPSR, leaving x19-x29
 * live in the CPU, since every C function preserves them:
 *  - HVC (hypercalls, SMCCC calls; their handlers use x0-x17 only);
 *  - a data abort with a valid syndrome whose transfer register is x0-x18 or XZR (MMIO);
 *  - a trapped MSR/MRS whose Rt is x0-x18 or XZR (ICC_SGI1R_EL1 writes: IPIs);
 *  - a physical IRQ (its handlers touch no guest register).
 * Their handlers may read and write those registers of the frame, nothing else.
 * Every other trap, and those naming x19-x30, saves and restores the whole frame.
 * Either path, given a frame tagged with bit 0 by its handler (guest_leave(): this pCPU
 * must reschedule), completes the frame and calls guest_resched(), which may return
 * another vCPU's frame.
 * Vector table layout: Arm ARM D1.10.2, "Exception vectors".
 */
#include <asm/frame.h>
#include <asm/regs.h>
#include <asm/sysregs.h>

/* Save the guest's caller-saved registers x2-x18 and x30, ELR_EL2 and SPSR_EL2 (x0/x1 are saved). */
.macro save_guest_caller_saved
	save_x2_x18
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #REGS_CPSR]
.endm

/* Save x19-x29: the rest of a full frame. */
.macro save_guest_callee_saved
	stp	x19, x20, [sp, #152]
	stp	x21, x22, [sp, #168]
	stp	x23, x24, [sp, #184]
	stp	x25, x26, [sp, #200]
	stp	x27, x28, [sp, #216]
	str	x29, [sp, #232]
.endm

.macro save_guest_x2_x30
	save_guest_caller_saved
	save_guest_callee_saved
.endm

/* Restore ELR_EL2, SPSR_EL2, x2-x18 and x30 from the frame at sp. */
.macro restore_guest_caller_saved
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #REGS_CPSR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	restore_x2_x18
.endm

/* Switch from the vCPU frame to this pCPU's hypervisor stack; x0 = the frame. Clobbers x2. */
.macro enter_hyp_stack
	mov	x0, sp
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #PCPU_STACK_TOP]
	mov	sp, x2
.endm

/* Lower-EL exception: save x0/x1 and branch to the common exit path with the kind in x1. */
.macro guest_vector kind
	.balign	128
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	guest_exit
.endm

/* Lower-EL IRQ (AArch64 or AArch32): always the short path (guest_irq_trap()). */
.macro guest_irq_vector
	.balign	128
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp]
	b	guest_irq
.endm

/* Lower-EL synchronous exception from AArch64: HVC, MMIO and MSR traps may take the short path. */
.macro guest_sync_vector
	.balign	128
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp]
	mrs	x1, esr_el2
	ubfx	x0, x1, #ESR_EC_SHIFT, #6
	cmp	x0, #ESR_EC_HVC64
	b.eq	guest_hvc
	cmp	x0, #ESR_EC_DABT_LOW
	b.eq	guest_dabt
	cmp	x0, #ESR_EC_SYS64
	b.eq	guest_sysreg
	b	guest_sync
.endm

/*
 * Exception taken at EL2 itself: a hypervisor bug. Before pushing anything, check that
 * the frame fits the stack: a stack overflow faults on the guard page below it, and a
 * push would fault there again, for ever. In a pCPU's stack slot (asm/regs.h) an
 * address is in the stack proper exactly when its bit PCPU_STACK_SHIFT is set. No
 * register is free yet, so SP holds SP + x0 while x0 holds the SP to test; the two
 * subtractions after the test undo that.
 */
.macro hyp_vector kind
	.balign	128
	sub	sp, sp, #REGS_SIZE
	add	sp, sp, x0		/* sp = s + x0 */
	sub	x0, sp, x0		/* x0 = s */
	tbz	x0, #PCPU_STACK_SHIFT, hyp_bad_stack_\kind
	sub	x0, sp, x0		/* x0 = x0 */
	sub	sp, sp, x0		/* sp = s */
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	hyp_exit
.endm

/*
 * The same exception with no room on the stack (sp = s + x0, x0 = s): report it from the
 * pCPU's emergency stack. Two registers must be parked before x0 is free; the guest's
 * TPIDRRO_EL0 and TPIDR_EL1 serve, as the machine is going down anyway.
 */
.macro hyp_bad_stack kind
hyp_bad_stack_\kind:
	msr	tpidrro_el0, x0		/* s */
	sub	x0, sp, x0
	msr	tpidr_el1, x0		/* the interrupted x0 */
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_EMERG_TOP]
	mov	sp, x0
	sub	sp, sp, #REGS_SIZE
	mrs	x0, tpidr_el1
	stp	x0, x1, [sp]
	save_guest_x2_x30
	mrs	x2, tpidrro_el0
	add	x2, x2, #REGS_SIZE	/* sp at the fault */
	mov	x0, sp
	mov	x1, #\kind
	bl	hyp_trap_bad_stack	/* (regs, kind, sp): prints and panics */
	b	.
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	el2_vectors
el2_vectors:
	hyp_vector EXIT_SYNC		/* current EL, SP_EL0 */
	hyp_vector EXIT_IRQ
	hyp_vector EXIT_FIQ
	hyp_vector EXIT_SERROR
	hyp_vector EXIT_SYNC		/* current EL, SP_ELx */
	hyp_vector EXIT_IRQ
	hyp_vector EXIT_FIQ
	hyp_vector EXIT_SERROR
	guest_sync_vector		/* lower EL, AArch64 */
	guest_irq_vector
	guest_vector EXIT_FIQ
	guest_vector EXIT_SERROR
	guest_vector EXIT_SYNC		/* lower EL, AArch32 (a 32-bit EL0 task of a guest) */
	guest_irq_vector
	guest_vector EXIT_FIQ
	guest_vector EXIT_SERROR

/* The short path: x1 = ESR_EL2; \handler(regs, esr) returns the frame to resume. */
.macro lean_trap handler
	save_guest_caller_saved
	enter_hyp_stack
	bl	\handler
	tbnz	x0, #0, lean_resched	/* tagged: reschedule (guest_leave_slow()) */
	mov	sp, x0
	restore_guest_caller_saved
	ldp	x0, x1, [sp]
	add	sp, sp, #REGS_SIZE
	eret
.endm

/* HVC from AArch64: hypercalls and SMCCC calls. */
guest_hvc:
	lean_trap guest_hvc_trap

/* A physical interrupt while a guest ran: nothing of the guest's but x0-x18/x30 is touched. */
guest_irq:
	lean_trap guest_irq_trap

/*
 * Data abort, x1 = ESR_EL2: the short path (guest_dabt_trap()) if ISV and SRT (ISS[20:16])
 * is x0-x18 or 31 (XZR) (Arm ARM D17.2.37).
 */
guest_dabt:
	tbz	x1, #24, guest_sync
	ubfx	x0, x1, #16, #5
	cmp	x0, #19
	b.lo	guest_dabt_lean
	cmp	x0, #31
	b.ne	guest_sync
guest_dabt_lean:
	lean_trap guest_dabt_trap

/* MSR/MRS, x1 = ESR_EL2: the short path (guest_sysreg_trap()) if Rt (ISS[9:5]) is x0-x18 or XZR. */
guest_sysreg:
	ubfx	x0, x1, #5, #5
	cmp	x0, #19
	b.lo	guest_sysreg_lean
	cmp	x0, #31
	b.ne	guest_sync
guest_sysreg_lean:
	lean_trap guest_sysreg_trap

/* Any other synchronous exception from AArch64, x1 = ESR_EL2: guest_sync_trap(regs, esr). */
guest_sync:
	save_guest_x2_x30
	enter_hyp_stack
	mov	x29, xzr		/* saved above: end the frame chain for backtraces */
	bl	guest_sync_trap
	b	guest_leave_full

/*
 * A short path's handler asked for a reschedule (x0 = the frame): x19-x29 are still the
 * guest's, live in the CPU (C preserved them); save them to complete the frame, then
 * switch like a full path.
 */
lean_resched:
	bic	x0, x0, #1
	stp	x19, x20, [x0, #152]
	stp	x21, x22, [x0, #168]
	stp	x23, x24, [x0, #184]
	stp	x25, x26, [x0, #200]
	stp	x27, x28, [x0, #216]
	str	x29, [x0, #232]
	mov	x29, xzr
	b	1f

guest_exit:
	save_guest_x2_x30
	enter_hyp_stack
	mov	x29, xzr		/* saved above: end the frame chain for backtraces */
	bl	guest_trap		/* returns the cpu_user_regs to resume */
	/* fall through */

/*
 * A full frame is saved (x0 = it, tagged if this pCPU must reschedule): guest_resched()
 * then picks and switches, and returns the frame of the vCPU to enter (kestrel/sched.h).
 */
guest_leave_full:
	tbz	x0, #0, guest_resume
1:	bl	guest_resched
	/* fall through */

/* guest_resume(regs): restore a vCPU's registers from x0 and return to it. */
	.global	guest_resume
guest_resume:
	mov	sp, x0
	restore_guest_caller_saved
	ldp	x19, x20, [sp, #152]
	ldp	x21, x22, [sp, #168]
	ldp	x23, x24, [sp, #184]
	ldp	x25, x26, [sp, #200]
	ldp	x27, x28, [sp, #216]
	ldr	x29, [sp, #232]
	ldp	x0, x1, [sp]
	add	sp, sp, #REGS_SIZE
	eret

hyp_exit:
	save_guest_x2_x30
	add	x2, sp, #REGS_SIZE	/* sp at the fault */
	mov	x0, sp
	bl	hyp_trap		/* hyp_trap(regs, kind, sp): prints and panics */
1:	wfe
	b	1b

	hyp_bad_stack EXIT_SYNC
	hyp_bad_stack EXIT_IRQ
	hyp_bad_stack EXIT_FIQ
	hyp_bad_stack EXIT_SERROR
