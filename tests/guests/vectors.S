/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktest exception vectors (VBAR_EL1). The guest runs at EL1h, so exceptions the
 * hypervisor injects arrive at "current EL with SPx, synchronous" (offset 0x200).
 * While a check has armed trap_log, that handler records ESR/ELR/FAR, counts the
 * exception, steps over the faulting instruction and returns; it changes no register
 * (FP/SIMD included). Anything else is fatal and reported by ktest_unexpected().
 */
#include "ktest.h"

	.macro	bad_vector offset
	.balign	0x80
	mov	x0, #\offset
	b	unexpected_vector
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	ktest_vectors
ktest_vectors:
	bad_vector 0x000		/* current EL, SP0: sync, IRQ, FIQ, SError */
	bad_vector 0x080
	bad_vector 0x100
	bad_vector 0x180
	.balign	0x80			/* current EL, SPx, synchronous */
	b	sync_spx
	bad_vector 0x280
	bad_vector 0x300
	bad_vector 0x380
	bad_vector 0x400		/* lower EL, AArch64 */
	bad_vector 0x480
	bad_vector 0x500
	bad_vector 0x580
	bad_vector 0x600		/* lower EL, AArch32 */
	bad_vector 0x680
	bad_vector 0x700
	bad_vector 0x780

	.text
sync_spx:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	adrp	x0, trap_log
	add	x0, x0, :lo12:trap_log
	ldr	x1, [x0, #TRAP_LOG_ARMED]
	cbz	x1, 1f
	mrs	x2, esr_el1
	mrs	x3, elr_el1
	str	x2, [x0, #TRAP_LOG_ESR]
	str	x3, [x0, #TRAP_LOG_ELR]
	mrs	x2, far_el1
	str	x2, [x0, #TRAP_LOG_FAR]
	ldr	x2, [x0, #TRAP_LOG_COUNT]
	add	x2, x2, #1
	str	x2, [x0, #TRAP_LOG_COUNT]
	add	x3, x3, #4		/* resume after the faulting instruction */
	msr	elr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret
1:	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	mov	x0, #0x200

unexpected_vector:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	ktest_unexpected	/* prints, powers off */
2:	b	2b
