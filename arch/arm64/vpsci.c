// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC 1.1 and PSCI 1.1 as seen by guests (HVC #0 or a trapped SMC; function ID
 * in w0, arguments x1..x3, result x0). Function IDs and return values: Arm DEN0022
 * (PSCI 1.1) 5.1; Arm DEN0028 (SMCCC 1.1) 7.
 */
#include <asm/smccc.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
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

static int64_t psci_features(uint64_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64: case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64: case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
		return PSCI_SUCCESS;	/* CPU_SUSPEND: original power-state format */
	}
	return PSCI_NOT_SUPPORTED;
}

/* vCPU whose MPIDR affinity is @mpidr, or NULL. */
static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && (d->vcpu[i]->vmpidr & 0xff00ffffffUL) == (mpidr & 0xff00ffffffUL))
			return d->vcpu[i];
	return NULL;
}

static int64_t psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct vcpu *t = vcpu_by_mpidr(v->domain, target);
	int64_t ret;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (t->online)
		return PSCI_ALREADY_ON;
	if (t->vcpu_id >= bootinfo.nr_cpus)
		return PSCI_DENIED;	/* one pCPU per vCPU until there is a scheduler */
	vcpu_reset(t, entry, ctx);
	ret = pcpu_start_vcpu(t);
	if (ret)
		t->online = false;
	return ret ? PSCI_DENIED : PSCI_SUCCESS;
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(v->domain, target);

	if (!t || level)
		return PSCI_INVALID_PARAMETERS;
	return t->online ? 0 : 1;	/* ON / OFF */
}

void do_smccc(struct cpu_user_regs *regs)
{
	struct vcpu *v = current;
	uint32_t fid = (uint32_t)regs->x[0];
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
	case PSCI_VERSION: ret = PSCI_VERSION_1_1; break;
	case PSCI_FEATURES: ret = psci_features((uint32_t)regs->x[1]); break;
	case PSCI_MIGRATE_INFO_TYPE: ret = PSCI_MIGRATE_NOT_REQUIRED; break;
	case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
		vcpu_wait_for_interrupt(v);	/* standby: a wake-up event ends it, as WFI */
		ret = PSCI_SUCCESS;
		break;
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
		ret = psci_cpu_on(v, regs->x[1], regs->x[2], regs->x[3]);
		break;
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
		ret = psci_affinity_info(v, regs->x[1], regs->x[2]);
		break;
	case PSCI_CPU_OFF:
		if (v->vcpu_id == 0)
			domain_shutdown(v->domain, SHUTDOWN_poweroff);
		ret = PSCI_DENIED;
		break;
	case PSCI_SYSTEM_OFF: domain_shutdown(v->domain, SHUTDOWN_poweroff);
	case PSCI_SYSTEM_RESET: domain_shutdown(v->domain, SHUTDOWN_reboot);
	default: ret = SMCCC_NOT_SUPPORTED; break;
	}
	regs->x[0] = (uint64_t)ret;
}
