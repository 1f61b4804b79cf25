/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_FRAME_H
#define KESTREL_ASM_FRAME_H
/*
 * Assembly macros that store and load a guest's caller-saved registers x2-x18 (AAPCS64
 * 6.1.1: what C may clobber, besides x0/x1 and x30) in their slots of the vCPU frame at
 * sp (struct cpu_user_regs, asm/regs.h): the guest entry paths (entry.S) and the trace
 * vectors (trace_vectors.S) share them.
 */
#ifdef __ASSEMBLER__
.macro save_x2_x18
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
.endm

.macro restore_x2_x18
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
.endm
#endif
#endif
