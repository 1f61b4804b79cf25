/* SPDX-License-Identifier: Apache-2.0 */
/* smccc_firmware_call(fid, a1, a2, a3) -> x0. SMCCC 1.1: x4-x17 preserved by the callee. */
	.text
	.global smccc_smc, smccc_hvc
smccc_smc:
	smc	#0
	ret
smccc_hvc:
	hvc	#0
	ret

/*
 * smccc_smc_regs(struct smccc_regs *r): SMC #0 with x0..x7 from r->x[0..7]; x0..x3 of the
 * result back to r->x[0..3] (SMCCC 1.1 results, Arm DEN0028 2.6). The pointer is kept on
 * the stack: the callee preserves x18..x30 and sp only.
 */
	.global smccc_smc_regs
smccc_smc_regs:
	stp	x0, x30, [sp, #-16]!
	mov	x8, x0
	ldp	x0, x1, [x8]
	ldp	x2, x3, [x8, #16]
	ldp	x4, x5, [x8, #32]
	ldp	x6, x7, [x8, #48]
	smc	#0
	ldp	x8, x30, [sp], #16
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	ret
