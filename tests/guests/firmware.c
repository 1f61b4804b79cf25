// SPDX-License-Identifier: Apache-2.0
/*
 * Firmware calls a guest may make and what Kestrel answers (arch/arm64/vpsci.c): PSCI
 * CPU_SUSPEND in the extended power_state format, and SiP calls, refused for every domain
 * with SMCCC NOT_SUPPORTED. Run by ktest's ordinary checks (dom0, tests/boot/test_guests.py)
 * and by the isolation domU (tests/boot/test_dom0less.py). Function IDs: Arm DEN0028 (SMCCC)
 * 2.5 (owning entity 2: SiP), DEN0022 (PSCI) 5.1; the Xilinx EEMI IDs Linux uses on the
 * ZCU102: PM_SIP_SVC 0xc2000000 + API ID, PM_GET_API_VERSION = 1 (Linux
 * include/linux/firmware/xlnx-zynqmp.h).
 */
#include "ktest.h"
#include "ktrap.h"

#define SMCCC_NOT_SUPPORTED		0xffffffffffffffffUL	/* -1 */
#define PSCI_INVALID_PARAMETERS		0xfffffffffffffffeUL	/* -2 */
#define PSCI_1_0_FEATURES		0x8400000aU
#define PSCI_0_2_CPU_SUSPEND_64		0xc4000001U
#define PSCI_FEATURES_EXT_STATEID	2			/* bit 1: extended StateID format */
#define EEMI_GET_API_VERSION_64		0xc2000001U		/* PM_SIP_SVC | PM_GET_API_VERSION */
#define EEMI_GET_API_VERSION_32		0x82000001U
#define SIP_LAST_FAST_64		0xc200ffffU
#define POWER_STATE_POWERDOWN		0x40000000UL		/* the ZCU102 DT's cpu-sleep-0 */

/*
 * The SGI/PPI bank's registers, at the same offsets in GICv3's SGI_base frame (IHI 0069
 * 12.10) and GICv2's GICD (IHI 0048B 4.3); the virtual timer's PPI.
 */
#define ISENABLER0			0x0100
#define ICENABLER0			0x0180
#define ICPENDR0			0x0280
#define VTIMER_PPI			27

/* SMCCC call through SMC #0 (trapped by HCR_EL2.TSC: Kestrel answers as for HVC #0). */
static uint64_t smc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static void check_sip_refused(void)
{
	static const uint32_t fids[] = { EEMI_GET_API_VERSION_64, EEMI_GET_API_VERSION_32, SIP_LAST_FAST_64 };
	uint64_t hvc = 0, smc = 0;
	unsigned int bad = 0;

	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		hvc = psci_call(fids[i], 0, 0, 0);
		smc = smc_call(fids[i], 0, 0, 0);
		bad += (hvc != SMCCC_NOT_SUPPORTED) + (smc != SMCCC_NOT_SUPPORTED);
	}
	ktest_result("smccc_sip_not_supported", bad == 0,
		     "%u of 6 SiP calls (EEMI PM_GET_API_VERSION SMC64/SMC32, 0xc200ffff; HVC and SMC) did "
		     "not return NOT_SUPPORTED; last: HVC 0x%lx SMC 0x%lx", bad, hvc, smc);
}

static void check_cpu_suspend_format(void)
{
	uint64_t feat = psci_call(PSCI_1_0_FEATURES, PSCI_0_2_CPU_SUSPEND_64, 0, 0);
	uint64_t reserved = psci_call(PSCI_0_2_CPU_SUSPEND_64, 0x80000000UL, 0, 0);
	uint64_t reserved2 = psci_call(PSCI_0_2_CPU_SUSPEND_64, 0x50000000UL, 0, 0);

	ktest_result("psci_cpu_suspend_ext_format",
		     feat == PSCI_FEATURES_EXT_STATEID && reserved == PSCI_INVALID_PARAMETERS &&
		     reserved2 == PSCI_INVALID_PARAMETERS,
		     "PSCI_FEATURES(CPU_SUSPEND) 0x%lx (want 0x2); power_state 0x80000000 -> 0x%lx, "
		     "0x50000000 -> 0x%lx (want INVALID_PARAMETERS)", feat, reserved, reserved2);
}

/*
 * CPU_SUSPEND to the ZCU102's power-down state with the virtual timer armed 10 ms ahead
 * and IRQs masked at EL1 (a wake-up event need not be taken): the call returns SUCCESS,
 * not before the timer's deadline (it blocked until the wake-up event), and the
 * registers the caller keeps are intact (standby semantics).
 */
static void check_cpu_suspend_wakes(uint64_t ppi_bank)
{
	uint64_t cval = read_cntvct() + read_cntfrq() / 100, ret, now;
	register uint64_t keep __asm__("x19") = 0x1234567890abcdefUL;

	__asm__ volatile("msr daifset, #2");
	mmio_write32(ppi_bank + ISENABLER0, 1U << VTIMER_PPI);
	__asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" : : "r"(cval), "r"(1UL));
	ret = psci_call(PSCI_0_2_CPU_SUSPEND_64, POWER_STATE_POWERDOWN, 0, 0);
	__asm__ volatile("" : "+r"(keep));
	now = read_cntvct();
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
	mmio_write32(ppi_bank + ICENABLER0, 1U << VTIMER_PPI);
	mmio_write32(ppi_bank + ICPENDR0, 1U << VTIMER_PPI);
	ktest_result("psci_cpu_suspend_powerdown_wakes", ret == 0 && now >= cval && keep == 0x1234567890abcdefUL,
		     "CPU_SUSPEND(0x40000000) -> 0x%lx (want 0) at CNTVCT 0x%lx, timer deadline 0x%lx, x19 0x%lx",
		     ret, now, cval, keep);
}

void check_firmware_calls(uint64_t ppi_bank)
{
	check_sip_refused();
	check_cpu_suspend_format();
	check_cpu_suspend_wakes(ppi_bank);
}
