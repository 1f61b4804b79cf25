/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception vectors and secondary-CPU entry of the benchmark guest (tests/bench).
 *
 * ktest_vectors: the table tests/guests/head.S installs in VBAR_EL1. The guest runs at
 * EL1h, so what it expects arrives at "current EL with SPx": IRQ (offset 0x280) is the
 * GICv3 interrupt handler the IPI rows measure; everything else is fatal and reported by
 * bench_fatal() (bench.c). Vector offsets: Arm ARM, "Exception vectors".
 *
 * bench_svc_vectors: installed only around the native "svc floor" loops; its synchronous
 * entry is a bare ERET (SVC's preferred return address is the next instruction, Arm ARM,
 * "Preferred exception return address"), the cheapest exception round trip EL1 can take.
 *
 * bench_secondary_entry: PSCI CPU_ON entry of vCPU 1 (Arm DEN0022, CPU_ON: EL1, MMU off,
 * x0 = context ID), with its own stack.
 */

	.macro	fatal_vector offset
	.balign	0x80
	mov	x0, #\offset
	b	fatal_vector_common
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	ktest_vectors
ktest_vectors:
	fatal_vector 0x000		/* current EL, SP0 */
	fatal_vector 0x080
	fatal_vector 0x100
	fatal_vector 0x180
	fatal_vector 0x200		/* current EL, SPx: synchronous */
	.balign	0x80			/* current EL, SPx: IRQ */
	b	irq_spx
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

	.balign	2048
	.global	bench_svc_vectors
bench_svc_vectors:
	fatal_vector 0x000
	fatal_vector 0x080
	fatal_vector 0x100
	fatal_vector 0x180
	.balign	0x80			/* current EL, SPx: synchronous (the SVC) */
	eret
	fatal_vector 0x280
	fatal_vector 0x300
	fatal_vector 0x380
	fatal_vector 0x400
	fatal_vector 0x480
	fatal_vector 0x500
	fatal_vector 0x580
	fatal_vector 0x600
	fatal_vector 0x680
	fatal_vector 0x700
	fatal_vector 0x780

/*
 * bench_timer_vectors: installed only around the virtual-interrupt latency rows. Its IRQ
 * entry stamps CNTVCT_EL0 into bench_timer_stamp at its second instruction, then
 * acknowledges, stops the timer (its interrupt is level: CNTV_CTL_EL0 = 0) and completes.
 */
	.balign	2048
	.global	bench_timer_vectors
bench_timer_vectors:
	fatal_vector 0x000
	fatal_vector 0x080
	fatal_vector 0x100
	fatal_vector 0x180
	fatal_vector 0x200
	.balign	0x80			/* current EL, SPx: IRQ */
	stp	x0, x1, [sp, #-16]!
	mrs	x0, cntvct_el0
	adrp	x1, bench_timer_stamp
	str	x0, [x1, :lo12:bench_timer_stamp]
	mrs	x0, icc_iar1_el1
	msr	cntv_ctl_el0, xzr
	msr	icc_eoir1_el1, x0
	ldp	x0, x1, [sp], #16
	eret
	fatal_vector 0x300
	fatal_vector 0x380
	fatal_vector 0x400
	fatal_vector 0x480
	fatal_vector 0x500
	fatal_vector 0x580
	fatal_vector 0x600
	fatal_vector 0x680
	fatal_vector 0x700
	fatal_vector 0x780

	.text
/*
 * Acknowledge (ICC_IAR1_EL1), complete (ICC_EOIR1_EL1, EOImode 0: priority drop and
 * deactivation) and count one Group 1 interrupt: bench_irq_count[INTID] for INTIDs 0..31,
 * bench_irq_count[32] for any other; a spurious INTID (1020..1023) is neither completed nor
 * counted. GICv3 CPU interface: IHI 0069, ICC_IAR1_EL1 and ICC_EOIR1_EL1.
 */
irq_spx:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	mrs	x0, icc_iar1_el1
	cmp	x0, #1020
	b.hs	1f
	msr	icc_eoir1_el1, x0
	mov	x1, #32
	cmp	x0, #32
	csel	x0, x0, x1, lo
	adrp	x2, bench_irq_count
	add	x2, x2, :lo12:bench_irq_count
	ldr	w3, [x2, x0, lsl #2]
	add	w3, w3, #1
	str	w3, [x2, x0, lsl #2]
1:	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret

fatal_vector_common:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	bench_fatal		/* prints, powers off */
2:	b	2b

	.global	bench_secondary_entry
bench_secondary_entry:
	adrp	x1, bench_secondary_stack_top
	add	x1, x1, :lo12:bench_secondary_stack_top
	mov	sp, x1
	adrp	x1, ktest_vectors
	add	x1, x1, :lo12:ktest_vectors
	msr	vbar_el1, x1
	mrs	x1, cpacr_el1		/* FPEN = 0b11, as head.S does for vCPU 0 */
	orr	x1, x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	bl	bench_secondary_main	/* does not return */
3:	wfi
	b	3b

	.bss
	.balign	16
bench_secondary_stack:
	.space	8192
bench_secondary_stack_top:
