// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU state and the EL2 controls for running it.
 * Boot state for an arm64 Linux guest: x0 = DTB IPA, x1..x3 = 0, EL1h with DAIF
 * masked, MMU and D-cache off (Linux Documentation/arch/arm64/booting.rst).
 * EL2 controls: HCR_EL2 (Arm ARM D17.2.48), CNTHCTL_EL2 (D17.2.27), MDCR_EL2 (D17.2.107).
 */
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>

#define HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | \
			 HCR_TWI | HCR_TWE | HCR_TSC | HCR_TSW | HCR_RW)

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = x0;
	v->regs.pc = entry;
	v->regs.cpsr = PSR_GUEST64_INIT;
	v->online = true;
}

/* EL1 system registers a freshly reset vCPU starts with (the rest are UNKNOWN at reset). */
static void load_el1_reset_state(void)
{
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, sp_el0);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntkctl_el1);
}

void vcpu_enter_first(struct vcpu *v)
{
	struct pcpu *pcpu = this_pcpu();
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	load_el1_reset_state();
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(v->vmpidr, vmpidr_el2);
	write_sysreg(p2m_vtcr(), vtcr_el2);
	write_sysreg(p2m_vttbr(&v->domain->p2m), vttbr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);	/* physical timer traps, counter readable */
	write_sysreg(0, cntvoff_el2);
	write_sysreg(CPTR_EL2_RES1, cptr_el2);		/* FP/SIMD stays the guest's */
	write_sysreg(pmcr_n, mdcr_el2);			/* all PMU counters to the guest */
	write_sysreg(0, S3_4_C12_C11_7);		/* ICH_VMCR_EL2 */
	isb();
	__asm__ volatile("tlbi vmalls12e1" ::: "memory");
	dsb(nsh);
	write_sysreg(HCR_GUEST, hcr_el2);
	isb();
	pcpu->curr = v;
	vgic_flush_to_lrs(v);
	guest_resume(&v->regs);
}
