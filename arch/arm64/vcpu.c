// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU boot state and the EL2 controls guests run under.
 * Boot state for an arm64 Linux guest: x0 = DTB IPA, x1..x3 = 0, EL1h with DAIF
 * masked, MMU and D-cache off (Linux Documentation/arch/arm64/booting.rst).
 * EL2 controls: HCR_EL2 (Arm ARM D17.2.48), CNTHCTL_EL2 (D17.2.27), MDCR_EL2 (D17.2.107);
 * the trap policy: docs/id-registers.md.
 */
#include <asm/id_regs.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <asm/vgic-hw.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/p2m.h>
#include <kestrel/vgic.h>

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = x0;
	v->regs.pc = entry;
	v->regs.cpsr = PSR_GUEST64_INIT;
}

void vcpu_init_pcpu(void)
{
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(p2m_vtcr(), vtcr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);	/* physical timer traps, counter readable */
	write_sysreg(CPTR_EL2_RES1, cptr_el2);
	write_sysreg(pmcr_n | MDCR_GUEST, mdcr_el2);	/* PMU and debug trapped: sysreg.c */
	vgic_cpuif_reset_pcpu();			/* list and active-priority registers */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(HCR_GUEST, hcr_el2);
	isb();
	id_regs_init_pcpu(context_switches_pauth());
}
