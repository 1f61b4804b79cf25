// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 aborts. A data abort with a valid instruction syndrome (ISV) on a vGIC
 * frame is emulated; anything else the guest touched outside its p2m gets an
 * external abort injected. ISS fields: Arm ARM D17.2.37 ("ISS encoding for an
 * exception from a Data Abort"); faulting IPA from HPFAR_EL2 (D17.2.59).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

#define DABT_ISV		(1UL << 24)
#define DABT_SAS(iss)		(((iss) >> 22) & 3)
#define DABT_SSE		(1UL << 21)
#define DABT_SRT(iss)		(((iss) >> 16) & 0x1f)
#define DABT_SF			(1UL << 15)
#define DABT_S1PTW		(1UL << 7)
#define DABT_WNR		(1UL << 6)
#define DABT_FSC_TYPE(iss)	((iss) & 0x3c)
#define FSC_TRANSLATION		0x04	/* translation fault, any level: HPFAR_EL2 is valid */

static uint64_t fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

static bool emulate_mmio(struct cpu_user_regs *regs, uint32_t iss, uint64_t ipa)
{
	unsigned int size = 1U << DABT_SAS(iss), rt = DABT_SRT(iss);
	bool write = iss & DABT_WNR;
	uint64_t val = 0;

	if (!(iss & DABT_ISV) || (iss & DABT_S1PTW) || DABT_FSC_TYPE(iss) != FSC_TRANSLATION)
		return false;
	if (write && rt != 31)
		val = size == 8 ? regs->x[rt] : regs->x[rt] & ((1UL << (size * 8)) - 1);
	if (!vgic_mmio_access(current, ipa, size, write, &val))
		return false;
	if (!write && rt != 31) {
		if ((iss & DABT_SSE) && size < 8 && (val & (1UL << (size * 8 - 1))))
			val |= ~0UL << (size * 8);
		if (!(iss & DABT_SF))
			val &= 0xffffffff;
		regs->x[rt] = val;
	}
	advance_pc(regs);
	return true;
}

void do_trap_dabt(struct cpu_user_regs *regs, uint64_t esr)
{
	uint32_t iss = esr & ESR_ISS_MASK;
	uint64_t ipa = fault_ipa();

	if (emulate_mmio(regs, iss, ipa))
		return;
	printk("d%u v%u: data abort at IPA 0x%lx (VA 0x%lx, ESR 0x%lx, PC 0x%lx): injecting abort\n",
	       current->domain->domain_id, current->vcpu_id, (unsigned long)ipa,
	       (unsigned long)read_sysreg(far_el2), (unsigned long)esr, (unsigned long)regs->pc);
	inject_dabt(current, read_sysreg(far_el2), !!(iss & DABT_WNR));
}

void do_trap_iabt(struct cpu_user_regs *regs, uint64_t esr)
{
	printk("d%u v%u: instruction abort at IPA 0x%lx (PC 0x%lx): injecting abort\n",
	       current->domain->domain_id, current->vcpu_id, (unsigned long)fault_ipa(),
	       (unsigned long)regs->pc);
	inject_iabt(current, read_sysreg(far_el2));
}
