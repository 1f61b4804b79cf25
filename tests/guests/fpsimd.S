/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FP/SIMD state across traps: load all of q0..q31, FPCR and FPSR from a pattern,
 * take a round of traps to the hypervisor (hypercalls, an unknown HVC, a stage-2
 * abort, PSCI, emulated GICD reads), then store the registers for the C side to
 * compare. Written in assembly so no compiler-generated code runs in between.
 *
 * void fpsimd_trap_check(const struct fpsimd_state *in, struct fpsimd_state *out)
 * struct fpsimd_state { u64 q[32][2]; u64 fpcr, fpsr; }  (fpcr at 512, fpsr at 520)
 * The caller arms trap_log: two exceptions per round are expected (undef + abort).
 */
#include "ktest.h"

#define ROUNDS	3

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

	.text
	.global	fpsimd_trap_check
fpsimd_trap_check:
	stp	x29, x30, [sp, #-128]!
	mov	x29, sp
	stp	d8, d9, [sp, #16]	/* callee-saved (AAPCS64): low halves of v8..v15 */
	stp	d10, d11, [sp, #32]
	stp	d12, d13, [sp, #48]
	stp	d14, d15, [sp, #64]
	stp	x19, x20, [sp, #80]
	stp	x21, x22, [sp, #96]
	mov	x19, x0
	mov	x20, x1

	mrs	x9, cpacr_el1		/* FPEN = 0b11 */
	orr	x9, x9, #(3 << 20)
	msr	cpacr_el1, x9
	isb
	mrs	x9, fpcr
	mrs	x10, fpsr
	stp	x9, x10, [sp, #112]

	ldr	x9, [x19, #512]
	msr	fpcr, x9
	ldr	x9, [x19, #520]
	msr	fpsr, x9
	qpairs	ldp, x19

	mov	x21, #ROUNDS
1:	mov	x16, #HC_KESTREL_NOP	/* no-op hypercall */
	hvc	#XEN_HYPERCALL_TAG
	mov	x16, #HC_XEN_VERSION	/* xen_version(XENVER_version) */
	mov	x0, #XENVER_VERSION
	mov	x1, #0
	hvc	#XEN_HYPERCALL_TAG
	hvc	#0x1			/* not an interface: undef injected */
	movz	x10, #(UNMAPPED_IPA >> 32), lsl #32
	ldr	x9, [x10]		/* stage-2 fault: data abort injected */
	movz	w0, #(PSCI_0_2_VERSION >> 16), lsl #16
	hvc	#0			/* PSCI_VERSION */
	movz	x10, #(GICD_BASE >> 16), lsl #16
	ldr	w9, [x10, #GICD_TYPER]	/* emulated MMIO read */
	ldr	w9, [x10, #0x8]		/* GICD_IIDR: in the GICv3 and the GICv2 frame alike */
	subs	x21, x21, #1
	b.ne	1b

	qpairs	stp, x20
	mrs	x9, fpcr
	str	x9, [x20, #512]
	mrs	x9, fpsr
	str	x9, [x20, #520]

	ldp	x9, x10, [sp, #112]
	msr	fpcr, x9
	msr	fpsr, x10
	ldp	d8, d9, [sp, #16]
	ldp	d10, d11, [sp, #32]
	ldp	d12, d13, [sp, #48]
	ldp	d14, d15, [sp, #64]
	ldp	x19, x20, [sp, #80]
	ldp	x21, x22, [sp, #96]
	ldp	x29, x30, [sp], #128
	ret
