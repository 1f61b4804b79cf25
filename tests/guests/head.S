/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktest guest entry: the arm64 Image header the hypervisor's loader checks, then
 * self-relocation (the load address is unknown at link time), BSS clearing, a stack,
 * FP/SIMD access and our own exception vectors before C runs.
 * Boot state: EL1h, MMU off, DAIF masked, x0 = IPA of the device tree.
 */

	.section .head.start, "ax"
	.global ktest_image
ktest_image:
	b	ktest_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: run at the 2 MiB aligned bank start */
	/* image_size (file + BSS) is placed here by ktest.lds */

	.section .head.rest, "ax"
	.quad	0xa			/* flags: little-endian, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic at offset 56 */
	.long	0			/* no PE/COFF header */

	.text
ktest_entry:
	mov	x19, x0			/* keep the DTB address for C */
	adrp	x20, __image_start	/* where we run (linked at 0) */
	add	x20, x20, :lo12:__image_start

	/* Self-relocate: for each Elf64_Rela {offset, info, addend} of type RELATIVE. */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
0:	cmp	x1, x2
	b.hs	1f
	ldr	x3, [x1]		/* r_offset */
	ldr	x4, [x1, #8]		/* r_info */
	ldr	x5, [x1, #16]		/* r_addend */
	add	x1, x1, #24
	cmp	w4, #1027		/* R_AARCH64_RELATIVE */
	b.ne	0b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	0b
1:
	/* Clear BSS (16-byte aligned both ends, see ktest.lds). */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
2:	cmp	x1, x2
	b.hs	3f
	stp	xzr, xzr, [x1], #16
	b	2b
3:
	adrp	x1, ktest_stack_top
	add	x1, x1, :lo12:ktest_stack_top
	mov	sp, x1

	adrp	x1, ktest_vectors
	add	x1, x1, :lo12:ktest_vectors
	msr	vbar_el1, x1

	mrs	x1, cpacr_el1		/* FPEN = 0b11: no FP/SIMD traps at EL1/EL0 */
	orr	x1, x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb

	mov	x0, x19
	mov	x1, x20
	bl	ktest_main		/* does not return: powers off */
4:	b	4b

	.bss
	.balign	16
ktest_stack:
	.space	16384
ktest_stack_top:
