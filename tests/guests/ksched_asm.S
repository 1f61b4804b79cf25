// SPDX-License-Identifier: Apache-2.0
/*
 * ksched guest, assembly side: the register round, the secondary vCPU entry and the
 * exception vectors.
 *
 * ksched_round(struct ks_round *r) (layout in ksched.h): writes the EL1 system
 * registers from r->sys_in and reads them back into r->sys_base, loads FPCR, FPSR,
 * q0..q31, NZCV and then every one of x0..x30 from r, runs the action r->mode says
 * and stores x0..x30, NZCV, q0..q31, FPCR, FPSR and the system registers into r's
 * *_out fields. Between the loads and the stores no instruction but the action's own
 * runs, and the only memory it addresses is through SP, so a register the hypervisor
 * loses while this vCPU is descheduled shows up in the stores. IRQs stay masked (the
 * guest takes no exception of its own: ELR/SPSR/ESR/FAR_EL1 keep their values).
 *
 * ksched_vectors: IRQ from the current EL (0x280) goes to ksched_irq() with the
 * caller-saved registers kept; every other vector is fatal (ksched_fatal()).
 * Layout: Arm ARM D1.10.2. System register encodings: Arm ARM D17/D19.
 */
#include "ksched.h"

/* The checked system registers, in struct ks_round sys_* order (see ksched.h). */
	.macro	sysregs_rw op
	\op	tpidr_el0, 0
	\op	tpidr_el1, 1
	\op	tpidrro_el0, 2
	\op	contextidr_el1, 3
	\op	sp_el0, 4
	\op	par_el1, 5
	\op	afsr0_el1, 6
	\op	afsr1_el1, 7
	\op	far_el1, 8
	\op	amair_el1, 9
	\op	mair_el1, 10
	\op	ttbr0_el1, 11
	\op	ttbr1_el1, 12
	\op	esr_el1, 13
	\op	elr_el1, 14
	\op	spsr_el1, 15
	\op	cntkctl_el1, 16
	\op	cntv_cval_el0, 17
	\op	vbar_el1, 18
	.endm
	.macro	sysregs_ro op
	\op	mpidr_el1, 19
	\op	cpacr_el1, 20
	\op	sctlr_el1, 21
	.endm

	.macro	sys_write reg, i
	ldr	x9, [x0, #(KS_SYS_IN + 8 * \i)]
	msr	\reg, x9
	.endm
	.macro	sys_base reg, i
	mrs	x9, \reg
	str	x9, [x0, #(KS_SYS_BASE + 8 * \i)]
	.endm
	.macro	sys_out reg, i
	mrs	x9, \reg
	str	x9, [x0, #(KS_SYS_OUT + 8 * \i)]
	.endm

	.macro	qpairs op, base
	\op	q0, q1, [\base, #0]
	\op	q2, q3, [\base, #32]
	\op	q4, q5, [\base, #64]
	\op	q6, q7, [\base, #96]
	\op	q8, q9, [\base, #128]
	\op	q10, q11, [\base, #160]
	\op	q12, q13, [\base, #192]
	\op	q14, q15, [\base, #224]
	\op	q16, q17, [\base, #256]
	\op	q18, q19, [\base, #288]
	\op	q20, q21, [\base, #320]
	\op	q22, q23, [\base, #352]
	\op	q24, q25, [\base, #384]
	\op	q26, q27, [\base, #416]
	\op	q28, q29, [\base, #448]
	\op	q30, q31, [\base, #480]
	.endm

/* Stack frame of ksched_round. */
#define F_R		0	/* struct ks_round * */
#define F_X0		8	/* x0 after the action, while x0 is the base */
#define F_THRESH	16	/* KS_SPIN_TIMED: its threshold, count and last reading */
#define F_COUNT		24
#define F_LAST		32
#define F_SAVE		48	/* x19..x30, then d8..d15 */
#define F_SIZE		208

	/* Load x0..x30 from r (in x0): x30 is the base until its own load. */
	.macro	load_gprs
	mov	x30, x0
	ldp	x0, x1, [x30, #(KS_X_IN + 0)]
	ldp	x2, x3, [x30, #(KS_X_IN + 16)]
	ldp	x4, x5, [x30, #(KS_X_IN + 32)]
	ldp	x6, x7, [x30, #(KS_X_IN + 48)]
	ldp	x8, x9, [x30, #(KS_X_IN + 64)]
	ldp	x10, x11, [x30, #(KS_X_IN + 80)]
	ldp	x12, x13, [x30, #(KS_X_IN + 96)]
	ldp	x14, x15, [x30, #(KS_X_IN + 112)]
	ldp	x16, x17, [x30, #(KS_X_IN + 128)]
	ldp	x18, x19, [x30, #(KS_X_IN + 144)]
	ldp	x20, x21, [x30, #(KS_X_IN + 160)]
	ldp	x22, x23, [x30, #(KS_X_IN + 176)]
	ldp	x24, x25, [x30, #(KS_X_IN + 192)]
	ldp	x26, x27, [x30, #(KS_X_IN + 208)]
	ldp	x28, x29, [x30, #(KS_X_IN + 224)]
	ldr	x30, [x30, #(KS_X_IN + 240)]
	.endm

	.text
	.global	ksched_round
ksched_round:
	sub	sp, sp, #F_SIZE
	stp	x19, x20, [sp, #(F_SAVE + 0)]
	stp	x21, x22, [sp, #(F_SAVE + 16)]
	stp	x23, x24, [sp, #(F_SAVE + 32)]
	stp	x25, x26, [sp, #(F_SAVE + 48)]
	stp	x27, x28, [sp, #(F_SAVE + 64)]
	stp	x29, x30, [sp, #(F_SAVE + 80)]
	stp	d8, d9, [sp, #(F_SAVE + 96)]
	stp	d10, d11, [sp, #(F_SAVE + 112)]
	stp	d12, d13, [sp, #(F_SAVE + 128)]
	stp	d14, d15, [sp, #(F_SAVE + 144)]
	str	x0, [sp, #F_R]
	ldr	x9, [x0, #KS_THRESH]
	str	x9, [sp, #F_THRESH]
	str	xzr, [sp, #F_COUNT]

	sysregs_rw sys_write
	isb
	sysregs_rw sys_base
	sysregs_ro sys_base

	ldr	x9, [x0, #KS_FPCR_IN]
	msr	fpcr, x9
	ldr	x9, [x0, #KS_FPSR_IN]
	msr	fpsr, x9
	mrs	x9, fpcr
	str	x9, [x0, #KS_FPCR_BASE]
	mrs	x9, fpsr
	str	x9, [x0, #KS_FPSR_BASE]
	add	x9, x0, #KS_Q_IN
	qpairs	ldp, x9

	ldr	x10, [x0, #KS_MODE]
	ldr	x9, [x0, #KS_NZCV_IN]
	cmp	x10, #KS_SPIN_TIMED
	b.eq	.Lspin_timed
	cmp	x10, #KS_HC_YIELD
	b.eq	.Lhypercall
	cmp	x10, #KS_HC_VERSION
	b.eq	.Lhypercall
	cmp	x10, #KS_WFI
	b.eq	.Lwfi

	/* KS_SPIN_COUNT: x0 iterations of a two-instruction loop. */
	msr	nzcv, x9
	load_gprs
1:	subs	x0, x0, #1
	b.ne	1b
	b	.Lstore

	/*
	 * KS_SPIN_TIMED: until CNTVCT >= x0, counting steps between two readings larger
	 * than the threshold (the vCPU did not run in between). x1: the last reading, x2
	 * the step then the threshold; the count and the last reading sit on the stack.
	 */
.Lspin_timed:
	msr	nzcv, x9
	load_gprs
2:	isb
	mrs	x2, cntvct_el0
	sub	x1, x2, x1
	str	x2, [sp, #F_LAST]
	ldr	x2, [sp, #F_THRESH]
	cmp	x1, x2
	b.ls	3f
	ldr	x1, [sp, #F_COUNT]
	add	x1, x1, #1
	str	x1, [sp, #F_COUNT]
3:	ldr	x1, [sp, #F_LAST]
	cmp	x1, x0
	b.lo	2b
	b	.Lstore

	/* A Xen hypercall: number in x16, arguments x0.., result in x0 (r sets them). */
.Lhypercall:
	msr	nzcv, x9
	load_gprs
	hvc	#0xEA1
	b	.Lstore

	/* WFI with the virtual timer armed (by C) and PSTATE.I set: wakes, takes nothing. */
.Lwfi:
	msr	nzcv, x9
	load_gprs
	wfi

.Lstore:
	str	x0, [sp, #F_X0]
	ldr	x0, [sp, #F_R]
	stp	x1, x2, [x0, #(KS_X_OUT + 8)]
	stp	x3, x4, [x0, #(KS_X_OUT + 24)]
	stp	x5, x6, [x0, #(KS_X_OUT + 40)]
	stp	x7, x8, [x0, #(KS_X_OUT + 56)]
	stp	x9, x10, [x0, #(KS_X_OUT + 72)]
	stp	x11, x12, [x0, #(KS_X_OUT + 88)]
	stp	x13, x14, [x0, #(KS_X_OUT + 104)]
	stp	x15, x16, [x0, #(KS_X_OUT + 120)]
	stp	x17, x18, [x0, #(KS_X_OUT + 136)]
	stp	x19, x20, [x0, #(KS_X_OUT + 152)]
	stp	x21, x22, [x0, #(KS_X_OUT + 168)]
	stp	x23, x24, [x0, #(KS_X_OUT + 184)]
	stp	x25, x26, [x0, #(KS_X_OUT + 200)]
	stp	x27, x28, [x0, #(KS_X_OUT + 216)]
	stp	x29, x30, [x0, #(KS_X_OUT + 232)]
	mrs	x9, nzcv
	str	x9, [x0, #KS_NZCV_OUT]
	ldr	x9, [sp, #F_X0]
	str	x9, [x0, #KS_X_OUT]
	ldr	x9, [sp, #F_COUNT]
	str	x9, [x0, #KS_DESCHED]

	add	x9, x0, #KS_Q_OUT
	qpairs	stp, x9
	mrs	x9, fpcr
	str	x9, [x0, #KS_FPCR_OUT]
	mrs	x9, fpsr
	str	x9, [x0, #KS_FPSR_OUT]
	sysregs_rw sys_out
	sysregs_ro sys_out

	ldp	x19, x20, [sp, #(F_SAVE + 0)]
	ldp	x21, x22, [sp, #(F_SAVE + 16)]
	ldp	x23, x24, [sp, #(F_SAVE + 32)]
	ldp	x25, x26, [sp, #(F_SAVE + 48)]
	ldp	x27, x28, [sp, #(F_SAVE + 64)]
	ldp	x29, x30, [sp, #(F_SAVE + 80)]
	ldp	d8, d9, [sp, #(F_SAVE + 96)]
	ldp	d10, d11, [sp, #(F_SAVE + 112)]
	ldp	d12, d13, [sp, #(F_SAVE + 128)]
	ldp	d14, d15, [sp, #(F_SAVE + 144)]
	add	sp, sp, #F_SIZE
	ret

/*
 * Entry of a vCPU started with PSCI CPU_ON (x0 = context ID = our vCPU index), at
 * EL1h with the MMU off and DAIF masked: our own stack, our vectors, FP/SIMD on.
 */
	.global	ksched_secondary_entry
ksched_secondary_entry:
	mov	x19, x0
	adrp	x1, ksched_stacks
	add	x1, x1, :lo12:ksched_stacks
	add	x2, x0, #1
	mov	x3, #KS_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	adrp	x1, ksched_vectors
	add	x1, x1, :lo12:ksched_vectors
	msr	vbar_el1, x1
	mrs	x1, cpacr_el1		/* FPEN = 0b11: no FP/SIMD traps */
	orr	x1, x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	mov	x0, x19
	bl	ksched_secondary_main	/* does not return */
4:	wfi
	b	4b

	.macro	fatal_vector offset
	.balign	0x80
	mov	x0, #\offset
	b	ksched_bad_vector
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	ksched_vectors
ksched_vectors:
	fatal_vector 0x000		/* current EL, SP0 */
	fatal_vector 0x080
	fatal_vector 0x100
	fatal_vector 0x180
	fatal_vector 0x200		/* current EL, SPx: synchronous */
	.balign	0x80			/* current EL, SPx: IRQ */
	b	ksched_irq_spx
	fatal_vector 0x300
	fatal_vector 0x380
	fatal_vector 0x400		/* lower EL, AArch64 */
	fatal_vector 0x480
	fatal_vector 0x500
	fatal_vector 0x580
	fatal_vector 0x600		/* lower EL, AArch32 */
	fatal_vector 0x680
	fatal_vector 0x700
	fatal_vector 0x780

ksched_irq_spx:
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	ksched_irq
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	eret

ksched_bad_vector:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	ksched_fatal		/* prints, powers off */
5:	b	5b

	.bss
	.balign	KS_STACK_SIZE
	.global	ksched_stacks
ksched_stacks:
	.space	KS_MAX_VCPUS * KS_STACK_SIZE
