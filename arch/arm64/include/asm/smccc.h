/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_SMCCC_H
#define KESTREL_ASM_SMCCC_H
/*
 * SMC Calling Convention 1.1 and PSCI 1.1 function IDs and return codes.
 * Sources: Arm DEN0028 (SMCCC) sections 2.5, 7; Arm DEN0022 (PSCI) 5.1, Table 5-3.
 */
#include <stdbool.h>
#include <stdint.h>

#define SMCCC_VERSION			0x80000000
#define SMCCC_ARCH_FEATURES		0x80000001
#define SMCCC_ARCH_WORKAROUND_1		0x80008000
#define SMCCC_ARCH_WORKAROUND_2		0x80007fff
#define SMCCC_ARCH_WORKAROUND_3		0x80003fff
#define SMCCC_VERSION_1_1		0x10001
#define SMCCC_NOT_SUPPORTED		(-1L)
#define SMCCC_FAST_OWNER_MASK		0xbf000000U	/* fast-call bit 31, owning entity [29:24] */
#define SMCCC_FAST_SIP			0x82000000U	/* a fast call of owner 2, SiP (DEN0028 2.5) */

#define PSCI_VERSION			0x84000000
#define PSCI_CPU_SUSPEND_32		0x84000001
#define PSCI_CPU_SUSPEND_64		0xc4000001
#define PSCI_CPU_OFF			0x84000002
#define PSCI_CPU_ON_32			0x84000003
#define PSCI_CPU_ON_64			0xc4000003
#define PSCI_AFFINITY_INFO_32		0x84000004
#define PSCI_AFFINITY_INFO_64		0xc4000004
#define PSCI_MIGRATE_INFO_TYPE		0x84000006
#define PSCI_SYSTEM_OFF			0x84000008
#define PSCI_SYSTEM_RESET		0x84000009
#define PSCI_FEATURES			0x8400000a
#define PSCI_VERSION_1_1		0x10001

#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		(-1L)
#define PSCI_INVALID_PARAMETERS		(-2L)
#define PSCI_DENIED			(-3L)
#define PSCI_ALREADY_ON			(-4L)
/* PSCI_FEATURES(CPU_SUSPEND) flags, CPU_SUSPEND's power_state (DEN0022 PSCI_FEATURES, 5.4) */
#define PSCI_FEATURES_EXT_STATEID	(1L << 1)	/* power_state in the extended StateID format */
#define PSCI_POWER_STATE_EXT_RESERVED	0xb0000000U	/* bits 31, 29:28 of an extended power_state */
#define PSCI_POWER_STATE_EXT_POWERDOWN	(1U << 30)	/* StateType: power down */
#define PSCI_MIGRATE_NOT_REQUIRED	2	/* MIGRATE_INFO_TYPE: no Trusted OS to migrate */

/**
 * smccc_firmware_call() - call the host firmware (EL3) with SMC, or HVC when the host
 * DT says method = "hvc". x0..x3 in, x0 out.
 */
uint64_t smccc_firmware_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/** struct smccc_regs - x0..x7 of an SMCCC call (function ID in x[0]); x0..x3 after it. */
struct smccc_regs {
	uint64_t x[8];
};

/** smccc_smc_regs() - SMC #0 to EL3 with @r's x0..x7; the results in @r->x[0..3] (smccc-call.S). */
void smccc_smc_regs(struct smccc_regs *r);

struct vcpu;
struct cpu_user_regs;
/**
 * sip_init() - SiP policy at boot (arch/arm64/sip.c): with "dom0_sip=forward" on @cmdline,
 * dom0's allowed Xilinx EEMI calls are forwarded if the host DT @fdt has the ZynqMP firmware
 * node (method "smc"), @psci_smc says PSCI goes by SMC, and that firmware answers. Panics
 * on another dom0_sip= value.
 */
void sip_init(const void *fdt, const char *cmdline, int psci_smc);

/**
 * sip_eemi_allowed() - true if dom0's SiP call @fid, with its first argument register
 * @x1 (PM_IOCTL's sub-call ID in bits 63:32), is an EEMI call forwarding allows (sip.c).
 */
bool sip_eemi_allowed(uint32_t fid, uint64_t x1);

/**
 * do_sip() - a guest's SiP call (x0 = function ID in owner SiP's range): forwarded for dom0
 * as sip_init() decided, else x0 = SMCCC_NOT_SUPPORTED.
 */
void do_sip(struct vcpu *v, struct cpu_user_regs *regs);

/** firmware_init() - learn which SMCCC workarounds the host firmware implements. */
void firmware_init(int use_smc);

/**
 * firmware_has_workaround() - true if the host firmware implements SMCCC
 * ARCH_WORKAROUND_@n (n = 1, 2 or 3), so guests may be offered it (DEN0028 7.1-7.5).
 */
int firmware_has_workaround(unsigned int n);

/** firmware_system_off() - PSCI SYSTEM_OFF on the host; returns only if it failed. */
void firmware_system_off(void);

/** firmware_system_reset() - PSCI SYSTEM_RESET on the host; returns only if it failed. */
void firmware_system_reset(void);
#endif
