/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_VCPU_H
#define KESTREL_ASM_VCPU_H
/*
 * The part of a vCPU that lives in Arm system registers while it runs and in struct
 * arch_vcpu while it does not (arch/arm64/context.c). Register list: the EL1 and EL0
 * registers a guest owns (Arm ARM D17.2, "AArch64 System Register Descriptions"), after
 * Xen's ctxt_switch_from()/ctxt_switch_to() (xen/arch/arm/domain.c).
 */
#include <stdbool.h>
#include <stdint.h>

/** struct fpsimd_state - q0-q31, then FPSR and FPCR (offsets used by fpsimd.S). */
struct fpsimd_state {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

/**
 * struct arch_vcpu - guest state saved while descheduled.
 * @sysregs:   EL1/EL0 system registers, in the order of SYSREGS() in context.c.
 * @cntv_ctl, @cntv_cval: the virtual timer (CNTV_CTL_EL0, CNTV_CVAL_EL0).
 * @cntvoff:   CNTVOFF_EL2: virtual time = physical count - @cntvoff.
 * @pauth_keys: APIA, APIB, APDA, APDB, APGA KeyLo/KeyHi_EL1, on CPUs with pointer
 *             authentication (FEAT_PAuth; Arm ARM D8.8).
 * @hcr_vse:   a virtual SError was pending (HCR_EL2.VSE) when it was switched out.
 * @fp_live:   its FP/SIMD registers are in the pCPU's (loaded, or touched since the
 *             switch under the lazy policy), not only in @fp.
 * @fp:        FP/SIMD registers while not live.
 * The virtual CPU interface (list registers, ICH_VMCR_EL2, ICH_AP<n>R<m>_EL2) is kept by
 * the vGIC core in struct vgic_cpu.
 */
struct arch_vcpu {
	uint64_t sysregs[25];
	uint64_t cntv_ctl, cntv_cval, cntvoff;
	uint64_t pauth_keys[10];
	bool hcr_vse;
	bool fp_live;
	struct fpsimd_state fp __attribute__((aligned(16)));
};

/** fpsimd_save(), fpsimd_restore() - all of FP/SIMD to or from @s (fpsimd.S). */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);
#endif
