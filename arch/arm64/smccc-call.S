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
