/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_ID_REGS_H
#define KESTREL_ASM_ID_REGS_H
/*
 * The ID registers guests see (HCR_EL2.TID3 traps every EL1 read of op0 3, op1 0, CRn 0,
 * CRm 1-7: Arm ARM D13.1.3, "HCR_EL2.TID3"). One sanitised view, the same for every vCPU:
 * the boot pCPU's values, lowered field by field by each later pCPU, with what Kestrel
 * neither switches nor emulates hidden. The policy, one row per register, is ID_REGS()
 * below and docs/id-registers.md.
 */
#include <stdbool.h>
#include <stdint.h>

/*
 * X(index, name, CRm, op2, keep, pauth, force, sign): an AArch64 ID register Kestrel
 * reads from the hardware. keep: the 4-bit fields passed through; pauth: fields passed
 * through only while pointer-authentication keys are switched with the vCPU; force: bits
 * set whatever the hardware says; sign: the signed fields (0xf = not implemented, Arm ARM
 * D19.1.3 "Principles of the ID scheme"), lowered as signed values. Everything else in
 * the register reads as zero ("not implemented"). Field positions: Arm ARM D19.2.
 */
#define ID_REGS(X) \
	/* EL0 and EL1 AArch64 only (forced 1); RAS, SVE, SEL2, MPAM, AMU, RME hidden */ \
	X(0, ID_AA64PFR0_EL1, 4, 0, 0xff0f00000fffff00UL, 0, 0x11UL, 0x0000000000ff0000UL) \
	/* BT, SSBS, CSV2_frac kept; MTE, SME, RNDR_trap, NMI, GCS, THE, ... hidden */ \
	X(1, ID_AA64PFR1_EL1, 4, 1, 0x0000000f000000ffUL, 0, 0, 0) \
	/* DebugVer, BRPs, WRPs, CTX_CMPs, DoubleLock kept; trace, PMU, SPE, TRBE, BRBE hidden */ \
	X(2, ID_AA64DFR0_EL1, 5, 0, 0x000000f0f0f0f00fUL, 0, 0, 0x000000f000000000UL) \
	/* All instructions but TME */ \
	X(3, ID_AA64ISAR0_EL1, 6, 0, 0xfffffffff0fffff0UL, 0, 0, 0) \
	/* APA, API, GPA, GPI with pauth; LS64 hidden */ \
	X(4, ID_AA64ISAR1_EL1, 6, 1, 0x0fffffff00fff00fUL, 0x00000000ff000ff0UL, 0, 0) \
	/* GPA3, APA3, PAC_frac with pauth; WFxT, MOPS, SYSREG_128, SYSINSTR_128, ATS1A hidden */ \
	X(5, ID_AA64ISAR2_EL1, 6, 2, 0x0fff0f00f0f000f0UL, 0x000000000f00ff00UL, 0, 0) \
	/* All kept; TGran4, TGran64 are signed */ \
	X(6, ID_AA64MMFR0_EL1, 7, 0, 0xffffffffffffffffUL, 0, 0, 0x00000000ff000000UL) \
	/* VH, LO, TWED, HCX, TIDCP1 hidden */ \
	X(7, ID_AA64MMFR1_EL1, 7, 1, 0xff0ff0f0fff0f0ffUL, 0, 0, 0) \
	/* NV, FWB, EVT hidden */ \
	X(8, ID_AA64MMFR2_EL1, 7, 2, 0xf0fff0fff0ffffffUL, 0, 0, 0)

#define NR_ID_REGS	9

/** struct id_reg_policy - one row of ID_REGS(): see there. */
struct id_reg_policy {
	const char *name;
	uint8_t crm, op2;
	uint64_t keep, pauth, force, sign;
};

extern const struct id_reg_policy id_reg_policy[NR_ID_REGS];

/**
 * id_reg_sanitise() - what guests see of ID register @idx (an ID_REGS() index) whose
 * hardware value is @hw; @pauth: pointer-authentication keys are switched with vCPUs.
 */
uint64_t id_reg_sanitise(unsigned int idx, uint64_t hw, bool pauth);

/**
 * id_reg_lower() - @a and @b field by field, each 4-bit field the lower of the two
 * (signed fields of ID_REGS() row @idx compared as signed): the features both pCPUs have.
 */
uint64_t id_reg_lower(unsigned int idx, uint64_t a, uint64_t b);

/**
 * id_reg_guest_value() - the value a guest reads from the ID register at @crm, @op2
 * (op0 3, op1 0, CRn 0, 1 <= @crm <= 7) given the sanitised values @view of the
 * ID_REGS() rows: the row's value, or 0 for every other encoding (the AArch32 ID
 * registers, AArch32 being hidden, and the reserved encodings, RAZ: Arm ARM D19.2 table
 * "Instruction encodings for non-Debug System register accesses").
 */
uint64_t id_reg_guest_value(const uint64_t *view, unsigned int crm, unsigned int op2);

/** id_regs_init_pcpu() - read this pCPU's ID registers into the view (vcpu.c, every pCPU). */
void id_regs_init_pcpu(bool pauth);

/** id_regs_read() - the guest's value of ID register @crm, @op2 (sysreg.c). */
uint64_t id_regs_read(unsigned int crm, unsigned int op2);

/** context_switches_pauth() - pointer-authentication keys are switched with vCPUs (context.c). */
bool context_switches_pauth(void);

/**
 * context_has_contextidr_el2() - the CPU has CONTEXTIDR_EL2 (FEAT_VHE: ID_AA64MMFR1_EL1.VH,
 * bits 11:8, non-zero; Arm ARM D17.2.65), which context.c sets for each vCPU it loads to
 * vcpu_contextidr_el2() so that an ETM or ICE tells domains and vCPUs apart (context.c).
 */
bool context_has_contextidr_el2(void);

/**
 * vcpu_contextidr_el2() - the CONTEXTIDR_EL2 value of @v: its domain's VMID (domain id + 1)
 * in bits 31:16, its vCPU id in bits 15:0 (docs/debugging.md).
 */
#define vcpu_contextidr_el2(v)	((uint64_t)(v)->domain->p2m.vmid << 16 | (v)->vcpu_id)

#endif
