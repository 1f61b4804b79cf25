/* SPDX-License-Identifier: Apache-2.0 */
#include <asm/sysregs.h>
/*
 * mmu_switch_ttbr(x0 = new TTBR0_EL2, x1 = SCTLR_EL2 to set afterwards).
 * The MMU is off for a few instructions (no data accesses), so the old tables'
 * TLB entries cannot conflict with the new ones (Arm ARM D8.16, TLB conflicts).
 * The code runs from the identity map, so it keeps executing across the switch.
 */
	.text
	.global mmu_switch_ttbr
mmu_switch_ttbr:
	mrs	x2, sctlr_el2
	bic	x2, x2, #SCTLR_EL2_M
	msr	sctlr_el2, x2
	isb
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x1
	isb
	ret
