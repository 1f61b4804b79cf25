// SPDX-License-Identifier: Apache-2.0
/*
 * The host firmware interface (PSCI on EL3, or QEMU's built-in PSCI): power off,
 * reset, and the SMCCC speculation workarounds, which guests may only be offered if
 * the firmware underneath implements them (Arm DEN0028, 7.1-7.5).
 */
#include <asm/smccc.h>
#include <kestrel/lib.h>

uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

static int conduit_smc = 1;
static int firmware_workaround[3];	/* WORKAROUND_1..3 supported by the host firmware */

uint64_t smccc_firmware_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return conduit_smc ? smccc_smc(fid, a1, a2, a3) : smccc_hvc(fid, a1, a2, a3);
}

void firmware_init(int use_smc)
{
	static const uint32_t wa[3] = { SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2,
					SMCCC_ARCH_WORKAROUND_3 };
	int64_t version;

	conduit_smc = use_smc;
	version = (int64_t)smccc_firmware_call(SMCCC_VERSION, 0, 0, 0);
	if (version < SMCCC_VERSION_1_1)
		return;
	for (unsigned int i = 0; i < 3; i++)
		firmware_workaround[i] = (int64_t)smccc_firmware_call(SMCCC_ARCH_FEATURES, wa[i], 0, 0) >= 0;
}

int firmware_has_workaround(unsigned int n)
{
	return n >= 1 && n <= 3 && firmware_workaround[n - 1];
}

void firmware_system_off(void)
{
	smccc_firmware_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void firmware_system_reset(void)
{
	smccc_firmware_call(PSCI_SYSTEM_RESET, 0, 0, 0);
}
