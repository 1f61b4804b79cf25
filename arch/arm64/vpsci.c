// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC 1.1 and PSCI 1.1 as seen by guests (HVC #0 or a trapped SMC; function ID
 * in w0, arguments x1..x3, result x0). Function IDs and return values: Arm DEN0022
 * (PSCI 1.1) 5.1; Arm DEN0028 (SMCCC 1.1) 7.
 */
#include <asm/smccc.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <public/sched.h>

static int64_t arch_features(uint64_t fid)
{
	switch (fid) {
	case SMCCC_ARCH_WORKAROUND_1: return firmware_has_workaround(1) ? 0 : SMCCC_NOT_SUPPORTED;
	case SMCCC_ARCH_WORKAROUND_2: return firmware_has_workaround(2) ? 0 : SMCCC_NOT_SUPPORTED;
	case SMCCC_ARCH_WORKAROUND_3: return firmware_has_workaround(3) ? 0 : SMCCC_NOT_SUPPORTED;
	}
	return SMCCC_NOT_SUPPORTED;
}

/*
 * PSCI functions by number (function ID bits [4:0]; Arm DEN0022 5.1): the SMC32 ID is
 * 0x84000000 + n, the SMC64 one (where it exists) 0xc4000000 + n. SMC32 functions
 * take w1..w3 and ignore the upper halves (DEN0028 2.6): psci_arg() reads them.
 */
typedef int64_t (*psci_fn_t)(struct vcpu *v, const struct cpu_user_regs *regs);

#define PSCI_FN_BASE_32		0x84000000U
#define PSCI_FN_64		0x40000000U	/* SMC64 bit of the function ID (DEN0028 2.5) */
#define PSCI_FN_NR		32

static inline uint64_t psci_arg(const struct cpu_user_regs *regs, unsigned int n)
{
	return regs->x[0] & PSCI_FN_64 ? regs->x[n] : (uint32_t)regs->x[n];
}

static int64_t psci_features(struct vcpu *v, const struct cpu_user_regs *regs)
{
	switch (psci_arg(regs, 1)) {
	case PSCI_VERSION: case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64: case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
		return PSCI_SUCCESS;
	case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
		return PSCI_FEATURES_EXT_STATEID;	/* platform-coordinated mode only */
	}
	return PSCI_NOT_SUPPORTED;
}

/* vCPU whose MPIDR affinity is @mpidr, or NULL. */
static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	int id = mpidr_to_vcpu_id(mpidr & MPIDR_AFF_MASK);

	return id >= 0 && (unsigned int)id < d->max_vcpus ? d->vcpu[id] : NULL;
}

/*
 * CPU_ON: the target (offline) starts afresh at the entry point with x0 = the context
 * ID, on whatever pCPU the scheduler gives it. Of two vCPUs turning it on at once, one
 * succeeds and the other gets ALREADY_ON (vcpu_power_on() decides under the run-queue
 * lock). Return values: DEN0022 5.6.
 */
static int64_t psci_cpu_on(struct vcpu *v, const struct cpu_user_regs *regs)
{
	struct vcpu *t = vcpu_by_mpidr(v->domain, psci_arg(regs, 1));

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	return vcpu_power_on(t, true, psci_arg(regs, 2), psci_arg(regs, 3)) ? PSCI_SUCCESS
									    : PSCI_ALREADY_ON;
}

/* AFFINITY_INFO: ON until an offline target is off its pCPU too (DEN0022 5.7). */
static int64_t psci_affinity_info(struct vcpu *v, const struct cpu_user_regs *regs)
{
	struct vcpu *t = vcpu_by_mpidr(v->domain, psci_arg(regs, 1));

	if (!t || psci_arg(regs, 2))	/* lowest affinity level only */
		return PSCI_INVALID_PARAMETERS;
	return vcpu_is_up(t) ? 0 : 1;	/* ON / OFF */
}

static int64_t psci_version(struct vcpu *v, const struct cpu_user_regs *regs)
{
	return PSCI_VERSION_1_1;
}

/*
 * CPU_SUSPEND, power_state in the extended StateID format PSCI_FEATURES announces (DEN0022
 * 5.4, "power_state" and PSCI_FEATURES): bit 30 StateType (0 standby or retention, 1 power
 * down), bits [27:0] StateID, bits 31 and [29:28] reserved (set: INVALID_PARAMETERS). Every
 * state is entered as standby, the vCPU blocked until a wake-up event, as WFI: standby's
 * semantics and, for a power-down request, those of a core that does not reach the state
 * (a wake-up event came first), whose call returns SUCCESS with its context kept (DEN0022
 * 5.4; Linux's arm64 cpu_suspend() takes that return, arch/arm64/kernel/suspend.c).
 * What the board's DT asks for: the ZCU102's cpu-sleep-0 idle state is power_state
 * 0x40000000 (Linux arch/arm64/boot/dts/xilinx/zynqmp.dtsi), which Linux's cpuidle-psci
 * accepts only in the extended format (drivers/cpuidle/cpuidle-psci.c,
 * psci_power_state_is_valid()).
 */
static int64_t psci_cpu_suspend(struct vcpu *v, const struct cpu_user_regs *regs)
{
	if (psci_arg(regs, 1) & PSCI_POWER_STATE_EXT_RESERVED)
		return PSCI_INVALID_PARAMETERS;
	vcpu_wait_for_interrupt(v);
	return PSCI_SUCCESS;
}

/*
 * CPU_OFF: the calling vCPU goes offline until a CPU_ON; on success the call does not
 * return (DEN0022 5.5). The last vCPU of a domain going off ends the domain (sched.c).
 */
static int64_t psci_cpu_off(struct vcpu *v, const struct cpu_user_regs *regs)
{
	vcpu_power_off(v);
	return PSCI_DENIED;	/* never seen: the vCPU resumes only through a reset */
}

static int64_t psci_migrate_info_type(struct vcpu *v, const struct cpu_user_regs *regs)
{
	return PSCI_MIGRATE_NOT_REQUIRED;
}

static int64_t psci_system_off(struct vcpu *v, const struct cpu_user_regs *regs)
{
	domain_shutdown(v->domain, SHUTDOWN_poweroff);
	return PSCI_SUCCESS;	/* never seen: the domU's vCPUs are off (dom0's stop does not return) */
}

static int64_t psci_system_reset(struct vcpu *v, const struct cpu_user_regs *regs)
{
	domain_shutdown(v->domain, SHUTDOWN_reboot);
	return PSCI_SUCCESS;	/* never seen, as for SYSTEM_OFF */
}

/* Indexed by function number, plus PSCI_FN_NR for the SMC64 form. */
#define PSCI_SLOT(fid)		(((fid) & (PSCI_FN_NR - 1)) | ((fid) & PSCI_FN_64) >> 25)
_Static_assert(PSCI_FN_64 >> 25 == PSCI_FN_NR, "PSCI_SLOT");

static const psci_fn_t psci_fns[2 * PSCI_FN_NR] = {
	[PSCI_SLOT(PSCI_VERSION)] = psci_version,
	[PSCI_SLOT(PSCI_CPU_SUSPEND_32)] = psci_cpu_suspend,
	[PSCI_SLOT(PSCI_CPU_SUSPEND_64)] = psci_cpu_suspend,
	[PSCI_SLOT(PSCI_CPU_OFF)] = psci_cpu_off,
	[PSCI_SLOT(PSCI_CPU_ON_32)] = psci_cpu_on,
	[PSCI_SLOT(PSCI_CPU_ON_64)] = psci_cpu_on,
	[PSCI_SLOT(PSCI_AFFINITY_INFO_32)] = psci_affinity_info,
	[PSCI_SLOT(PSCI_AFFINITY_INFO_64)] = psci_affinity_info,
	[PSCI_SLOT(PSCI_MIGRATE_INFO_TYPE)] = psci_migrate_info_type,
	[PSCI_SLOT(PSCI_SYSTEM_OFF)] = psci_system_off,
	[PSCI_SLOT(PSCI_SYSTEM_RESET)] = psci_system_reset,
	[PSCI_SLOT(PSCI_FEATURES)] = psci_features,
};

/* The SMCCC Arm architecture calls (0x8000xxxx, DEN0028 7). */
static __attribute__((noinline)) void do_smccc_arch(struct cpu_user_regs *regs, uint32_t fid)
{
	int64_t ret;

	switch (fid) {
	case SMCCC_VERSION: ret = SMCCC_VERSION_1_1; break;
	case SMCCC_ARCH_FEATURES: ret = arch_features((uint32_t)regs->x[1]); break;
	case SMCCC_ARCH_WORKAROUND_1: case SMCCC_ARCH_WORKAROUND_2: case SMCCC_ARCH_WORKAROUND_3:
		if (arch_features(fid) != 0) {
			ret = SMCCC_NOT_SUPPORTED;
			break;
		}
		/* WORKAROUND_2: the guest may not turn the SSBD mitigation off for the pCPU. */
		smccc_firmware_call(fid, fid == SMCCC_ARCH_WORKAROUND_2 ? 1 : 0, 0, 0);
		return;	/* no return value; x0 untouched (DEN0028 7.3) */
	default: ret = SMCCC_NOT_SUPPORTED; break;
	}
	regs->x[0] = (uint64_t)ret;
}

void do_smccc(struct vcpu *v, struct cpu_user_regs *regs)
{
	uint32_t fid = (uint32_t)regs->x[0];

	if (likely((fid & ~(PSCI_FN_64 | (PSCI_FN_NR - 1))) == PSCI_FN_BASE_32)) {
		psci_fn_t fn = psci_fns[PSCI_SLOT(fid)];

		regs->x[0] = (uint64_t)(fn ? fn(v, regs) : PSCI_NOT_SUPPORTED);
	} else if ((fid & 0xffff0000U) == SMCCC_VERSION) {
		do_smccc_arch(regs, fid);
	} else if ((fid & SMCCC_FAST_OWNER_MASK) == SMCCC_FAST_SIP) {
		do_sip(v, regs);	/* Xilinx EEMI on the ZCU102: policy in sip.c */
	} else {
		regs->x[0] = (uint64_t)SMCCC_NOT_SUPPORTED;
	}
}
