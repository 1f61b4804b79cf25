/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measured loops of the benchmark guest. Each is
 *	uint64_t bench_loop_<op>(uint64_t n, uint64_t a, uint64_t b)
 * and runs <op> n times (n >= 1) in the same frame: counter and arguments in callee-saved
 * x19..x21, "subs; b.ne" closing the loop. bench_loop_empty is that frame with no
 * operation, so (op loop - empty loop) is exactly n times the operation's own
 * instructions (argument set-up and the exception round trip included). Registers an
 * operation clobbers (x0..x3, x16) are never live across it. Returns 0, or 1 when an
 * IPI loop gave up waiting for its interrupt.
 *
 * Calling conventions used: Xen hypercall = HVC #0xEA1, number in x16, arguments from
 * x0, result in x0 (Xen public/arch-arm.h); SMCCC 1.1 call = HVC #0, function ID in w0
 * (Arm DEN0028, SMCCC 1.1); GICv3 SGI generation = ICC_SGI1R_EL1 (IHI 0069).
 */
#include "ktest.h"

#define HC_SCHED_OP		29
#define SCHEDOP_YIELD		0
#define PL011_FR		0x18
#define PL011_FR_TXFF_BIT	5
#define IPI_SPIN_LIMIT		0x1000000	/* iterations before an IPI loop gives up */

	.macro	loop_begin name
	.text
	.global	bench_loop_\name
	.type	bench_loop_\name, %function
bench_loop_\name:
	stp	x19, x20, [sp, #-32]!
	stp	x21, x22, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
1:
	.endm

	.macro	loop_end name
	subs	x19, x19, #1
	b.ne	1b
	mov	x0, #0
9:	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #32
	ret
	.size	bench_loop_\name, . - bench_loop_\name
	.endm

/* The baseline: the loop alone. */
	loop_begin empty
	loop_end empty

/* xen_version(XENVER_version, NULL): the null hypercall. */
	loop_begin xen_version
	mov	x16, #HC_XEN_VERSION
	mov	x0, #XENVER_VERSION
	mov	x1, #0
	hvc	#XEN_HYPERCALL_TAG
	loop_end xen_version

/* sched_op(SCHEDOP_yield, NULL). */
	loop_begin sched_yield
	mov	x16, #HC_SCHED_OP
	mov	x0, #SCHEDOP_YIELD
	mov	x1, #0
	hvc	#XEN_HYPERCALL_TAG
	loop_end sched_yield

/* PSCI_VERSION over SMCCC (HVC #0). */
	loop_begin psci_version
	mov	w0, #PSCI_0_2_VERSION
	hvc	#0
	loop_end psci_version

/* SVC #0 to an EL1 handler that only returns (bench_svc_vectors): the native floor. */
	loop_begin svc
	svc	#0
	loop_end svc

/* 32-bit MMIO read of a = address. */
	loop_begin mmio_read32
	ldr	w0, [x20]
	loop_end mmio_read32

/* 32-bit MMIO write of b to a = address. */
	loop_begin mmio_write32
	str	w21, [x20]
	loop_end mmio_write32

/* 64-bit MMIO read of a = address. */
	loop_begin mmio_read64
	ldr	x0, [x20]
	loop_end mmio_read64

/* 64-bit MMIO write of b to a = address. */
	loop_begin mmio_write64
	str	x21, [x20]
	loop_end mmio_write64

/* An ID-register read: trapped by HCR_EL2.TID3 on Kestrel (the sanitised view), not natively. */
	loop_begin id_reg_read
	mrs	x0, id_aa64pfr0_el1
	loop_end id_reg_read

/* ICC_SGI1R_EL1 = a (an empty target list: the register write alone). */
	loop_begin sgi_write
	msr	icc_sgi1r_el1, x20
	loop_end sgi_write

/*
 * ICC_SGI1R_EL1 = a, then wait until the IRQ handler of the target CPU has counted the
 * interrupt in the word at b (bench_irq_count[INTID]), with YIELD in the wait as
 * cpu_relax() (bench.c). A self-IPI is taken before the first check, so it never yields;
 * for another vCPU, QEMU's round-robin TCG runs that vCPU at the YIELD (without it the
 * wait would last the rest of QEMU's time slice, ~50 million instructions).
 */
	loop_begin ipi
	ldr	w22, [x21]
	msr	icc_sgi1r_el1, x20
	mov	x3, #IPI_SPIN_LIMIT
2:	ldr	w0, [x21]
	cmp	w0, w22
	b.ne	3f
	yield
	subs	x3, x3, #1
	b.ne	2b
	mov	x0, #1			/* the interrupt never came */
	b	9f
3:
	loop_end ipi

/* console_io(CONSOLEIO_write, 64, a = buffer). */
	loop_begin console_io_64
	mov	x16, #HC_CONSOLE_IO
	mov	x0, #CONSOLEIO_WRITE
	mov	x1, #64
	mov	x2, x20
	hvc	#XEN_HYPERCALL_TAG
	loop_end console_io_64

/* 64 bytes from b to the PL011 at a, each after UARTFR.TXFF reads 0 (PL011 TRM DDI 0183, UARTFR). */
	loop_begin pl011_write_64
	mov	x2, x21
	mov	x3, #64
2:	ldr	w0, [x20, #PL011_FR]
	tbnz	w0, #PL011_FR_TXFF_BIT, 2b
	ldrb	w0, [x2], #1
	str	w0, [x20]
	subs	x3, x3, #1
	b.ne	2b
	loop_end pl011_write_64

/*
 * One round of the yield ping-pong from vCPU 0's side: set the word at a to 1, then
 * SCHEDOP_yield until the other vCPU has set it back to 0 (bench.c, vm_switch). The YIELD
 * hint only matters while the two vCPUs sit on two pCPUs (see the ipi loop).
 */
	loop_begin yield_pingpong
	mov	w0, #1
	str	w0, [x20]
2:	mov	x16, #HC_SCHED_OP
	mov	x0, #SCHEDOP_YIELD
	mov	x1, #0
	hvc	#XEN_HYPERCALL_TAG
	ldr	w0, [x20]
	cbz	w0, 3f
	yield				/* cpu_relax(), see the ipi loop */
	b	2b
3:
	loop_end yield_pingpong
