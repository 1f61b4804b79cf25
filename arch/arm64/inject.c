// SPDX-License-Identifier: Apache-2.0
/*
 * Exceptions injected into a guest's EL1, as if taken there: ELR_EL1/SPSR_EL1 get
 * the interrupted state, ESR_EL1/FAR_EL1 the syndrome, and the vCPU resumes at its
 * VBAR_EL1 vector in EL1h with DAIF masked. Vector offsets: Arm ARM D1.10.2;
 * syndromes: D17.2.37 (EC 0x00 unknown, 0x20/0x21 instruction, 0x24/0x25 data abort).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>

#define VECTOR_CUR_SP0		0x000
#define VECTOR_CUR_SPX		0x200
#define VECTOR_LOWER_A64	0x400
#define VECTOR_LOWER_A32	0x600
#define FSC_SYNC_EXTERNAL	0x10
#define ISS_WNR			(1UL << 6)
#define SCTLR_EL1_SPAN		(1UL << 23)
#define PSR_PAN			(1UL << 22)

static bool from_el0(const struct cpu_user_regs *regs)
{
	return (regs->cpsr & PSR_MODE_MASK) == PSR_MODE_EL0t || (regs->cpsr & PSR_MODE_32BIT);
}

static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far)
{
	struct cpu_user_regs *regs = &v->regs;
	uint64_t offset;

	if (regs->cpsr & PSR_MODE_32BIT)
		offset = VECTOR_LOWER_A32;
	else if ((regs->cpsr & PSR_MODE_MASK) == PSR_MODE_EL0t)
		offset = VECTOR_LOWER_A64;
	else if ((regs->cpsr & PSR_MODE_MASK) == PSR_MODE_EL1h)
		offset = VECTOR_CUR_SPX;
	else
		offset = VECTOR_CUR_SP0;
	write_sysreg(regs->pc, elr_el1);
	write_sysreg(regs->cpsr, spsr_el1);
	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	regs->cpsr = PSR_DAIF_MASK | PSR_MODE_EL1h;
	/* PSTATE.PAN is set on exception entry when SCTLR_EL1.SPAN is 0 (Arm ARM D1.10.4). */
	if ((read_sysreg(id_aa64mmfr1_el1) >> 20 & 0xf) && !(read_sysreg(sctlr_el1) & SCTLR_EL1_SPAN))
		regs->cpsr |= PSR_PAN;
	regs->pc = read_sysreg(vbar_el1) + offset;
}

void inject_undef(struct vcpu *v)
{
	inject_sync(v, ((uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0);
}

void inject_dabt(struct vcpu *v, uint64_t far, int write)
{
	uint64_t ec = from_el0(&v->regs) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;

	inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXTERNAL | (write ? ISS_WNR : 0), far);
}

void inject_iabt(struct vcpu *v, uint64_t far)
{
	uint64_t ec = from_el0(&v->regs) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;

	inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXTERNAL, far);
}

void inject_serror(void)
{
	write_sysreg(read_sysreg(hcr_el2) | HCR_VSE, hcr_el2);
	isb();
}
