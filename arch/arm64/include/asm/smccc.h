/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_SMCCC_H
#define KESTREL_ASM_SMCCC_H
/*
 * SMC Calling Convention 1.1 and PSCI 1.1 function IDs and return codes.
 * Sources: Arm DEN0028 (SMCCC) sections 2.5, 7; Arm DEN0022 (PSCI) 5.1, Table 5-3.
 */
#include <stdint.h>

#define SMCCC_VERSION			0x80000000
#define SMCCC_ARCH_FEATURES		0x80000001
#define SMCCC_ARCH_WORKAROUND_1		0x80008000
#define SMCCC_ARCH_WORKAROUND_2		0x80007fff
#define SMCCC_ARCH_WORKAROUND_3		0x80003fff
#define SMCCC_VERSION_1_1		0x10001
#define SMCCC_NOT_SUPPORTED		(-1L)

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
