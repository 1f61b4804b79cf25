/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kestrel entry point: the arm64 Image header and the boot CPU's path to C.
 *
 * Image header layout and loader contract (x0 = DTB PA, MMU off, at EL2):
 * Linux Documentation/arch/arm64/booting.rst, "Call the kernel image".
 */
#include <asm/regs.h>
#include <asm/sysregs.h>

	.section .head.start, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at a 2 MiB aligned base */
	/* image_size (bytes, BSS included) is written here by kestrel.lds */

	.section .head.rest, "ax"
	.quad	0xa			/* flags: LE, 4 KiB pages, place anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 (no PE header) */

primary_entry:
	isb
	mrs	x21, cntpct_el0		/* boot time: counter ticks at entry (printed later) */
	mov	x19, x0			/* DTB physical address */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_at_el2
	msr	daifset, #0xf
	/* Known EL2 state: MMU and caches off, little-endian. */
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb

	/* Apply R_AARCH64_RELATIVE relocations: *(base + off) = base + addend. */
	adr	x20, _head
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #24	/* r_offset, r_info */
	ldr	x5, [x1, #-8]		/* r_addend */
	cmp	w4, #1027		/* R_AARCH64_RELATIVE */
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:
	/* Zero BSS. */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	adr_l	x1, boot_stack_top
	mov	sp, x1
	mov	x29, xzr		/* ends the frame-record chain for backtraces */
	mov	x0, x20
	mov	x1, x19
	bl	mmu_early_enable	/* identity map of the image and DTB, caches on */
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	start_kestrel
5:	wfe
	b	5b

not_at_el2:
	wfe
	b	not_at_el2

/*
 * secondary_entry: a secondary pCPU started by the host's PSCI CPU_ON, at EL2 with the
 * MMU off, x0 = its pCPU index (the context_id Kestrel passed). It loads the boot CPU's
 * final EL2 translation (mmu_secondary), takes its own stack and enters C.
 */
	.text
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	mov	x19, x0
	adr_l	x1, mmu_secondary
	ldp	x2, x3, [x1]		/* mair, tcr */
	ldp	x4, x5, [x1, #16]	/* ttbr, sctlr */
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	tlbi	alle2
	dsb	nsh
	msr	sctlr_el2, x5
	isb
	adr_l	x1, pcpu_stacks
	add	x2, x19, #1
	lsl	x2, x2, #PCPU_SLOT_SHIFT	/* the stack top of pCPU x19 */
	add	x1, x1, x2
	mov	sp, x1
	mov	x0, x19
	mov	x29, xzr		/* ends the frame-record chain for backtraces */
	bl	secondary_start
6:	wfe
	b	6b

/* One stack slot per pCPU (layout: asm/regs.h); the boot CPU is pCPU 0. */
	.bss
	.balign	PCPU_SLOT_SIZE
	.global	pcpu_stacks
pcpu_stacks:
	.space	PCPU_SLOT_SIZE
	.global boot_stack_top
boot_stack_top:
	.space	PCPU_SLOT_SIZE * (CONFIG_NR_CPUS - 1)
