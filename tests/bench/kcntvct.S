/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kcntvct: a static arm64 Linux program for the whole-boot benchmark's /init. It prints
 * "KBENCH-CNTVCT <CNTVCT_EL0> <CNTFRQ_EL0>" and exits: the virtual count is readable at EL0
 * (Linux sets CNTKCTL_EL1.EL0VCTEN for its vDSO; Arm ARM D11.2.2), and neither QEMU's
 * virt nor Kestrel offsets dom0's virtual counter (CNTVOFF_EL2 = 0), so it counts from
 * QEMU's reset on both sides. Syscalls: write = 64, exit = 93 (Linux
 * include/uapi/asm-generic/unistd.h), number in x8, arguments in x0-x2.
 */
	.text
	.global	_start
_start:
	mrs	x19, cntvct_el0
	mrs	x20, cntfrq_el0
	adr	x21, buf_end		/* digits are written backwards from here */
	mov	x0, x20
	bl	put_dec
	mov	w1, #' '
	strb	w1, [x21, #-1]!
	mov	x0, x19
	bl	put_dec
	adr	x1, prefix
	mov	x2, #(prefix_end - prefix)
	mov	x0, #1
	mov	x8, #64
	svc	#0
	adr	x2, buf_end
	add	x2, x2, #1		/* and the newline after buf_end */
	mov	x1, x21
	sub	x2, x2, x1
	mov	x0, #1
	mov	x8, #64
	svc	#0
	mov	x0, #0
	mov	x8, #93
	svc	#0

/* put_dec(x0): its decimal digits before x21, x21 moved to the first one. */
put_dec:
	mov	x3, #10
1:	udiv	x4, x0, x3
	msub	x5, x4, x3, x0
	add	w5, w5, #'0'
	strb	w5, [x21, #-1]!
	mov	x0, x4
	cbnz	x0, 1b
	ret

	.data
prefix:	.ascii	"KBENCH-CNTVCT "
prefix_end:
buf:	.space	48
buf_end: .ascii	"\n"
