// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped MSR/MRS (EC 0x18). With HCR_EL2.IMO set, EL1 writes to ICC_SGI0R_EL1,
 * ICC_SGI1R_EL1 and ICC_ASGI1R_EL1 trap to EL2 (IHI 0069, 12.2.21-12.2.23): they
 * become virtual SGIs. With HCR_EL2.TSW set, data cache maintenance by set/way
 * (DC ISW, DC CSW, DC CISW) traps too. ISS layout: Arm ARM D17.2.37, "ISS encoding for
 * an exception from MSR, MRS, or System instruction execution in AArch64 state".
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

/* ISS with Rt and direction cleared: Op0, Op2, Op1, CRn, CRm. */
#define SYSREG_KEY(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define ISS_SYSREG_MASK		0x3ffc1e
#define ISS_RT(iss)		(((iss) >> 5) & 0x1f)
#define ISS_READ		1

#define ICC_SGI1R_EL1		SYSREG_KEY(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1		SYSREG_KEY(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1		SYSREG_KEY(3, 0, 12, 11, 7)
#define DC_ISW			SYSREG_KEY(1, 0, 7, 6, 2)
#define DC_CSW			SYSREG_KEY(1, 0, 7, 10, 2)
#define DC_CISW			SYSREG_KEY(1, 0, 7, 14, 2)

void do_trap_sysreg(struct cpu_user_regs *regs, uint64_t esr)
{
	uint32_t iss = esr & ESR_ISS_MASK;
	unsigned int rt = ISS_RT(iss);
	uint64_t val = rt == 31 ? 0 : regs->x[rt];

	switch (iss & ISS_SYSREG_MASK) {
	case ICC_SGI1R_EL1:
		if (iss & ISS_READ)
			break;
		vgic_send_sgi(current, val);
		advance_pc(regs);
		return;
	case ICC_SGI0R_EL1:
	case ICC_ASGI1R_EL1:
		/* Group 0 / the other security state: guests have neither; write ignored. */
		if (iss & ISS_READ)
			break;
		advance_pc(regs);
		return;
	case DC_ISW:
	case DC_CSW:
	case DC_CISW:
		/*
		 * Valid at EL1, so never an undef. A vCPU runs on its own pCPU, so the set/way
		 * operand names this PE's cache: do the operation here, always as clean and
		 * invalidate, which is what the hardware does for DC ISW at EL1 with
		 * HCR_EL2.SWIO set (Arm ARM D17.2.48): no dirty line of anyone else is lost.
		 * A level, set or way beyond the caches is CONSTRAINED UNPREDICTABLE (Arm ARM,
		 * "DC CISW"): a NOP or another line cleaned and invalidated, harmless either way.
		 */
		__asm__ volatile("dc cisw, %0\n\tdsb sy" : : "r"(val) : "memory");
		advance_pc(regs);
		return;
	}
	printk("d%u v%u: unhandled %s of sysreg (op0 %u op1 %u CRn %u CRm %u op2 %u) at PC 0x%lx\n",
	       current->domain->domain_id, current->vcpu_id, (iss & ISS_READ) ? "read" : "write",
	       (iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 0xf, (iss >> 1) & 0xf,
	       (iss >> 17) & 7, (unsigned long)regs->pc);
	inject_undef(current);
}
