// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped MSR/MRS (EC 0x18). With HCR_EL2.IMO set, EL1 writes to ICC_SGI0R_EL1,
 * ICC_SGI1R_EL1 and ICC_ASGI1R_EL1 trap to EL2 (IHI 0069, 12.2.21-12.2.23): they
 * become virtual SGIs. With HCR_EL2.TSW set, data cache maintenance by set/way
 * (DC ISW, DC CSW, DC CISW) traps too. ISS layout: Arm ARM D17.2.37, "ISS encoding for
 * an exception from MSR, MRS, or System instruction execution in AArch64 state".
 *
 * The other traps guests run under (vcpu.c, context.c; policy: docs/id-registers.md):
 * - HCR_EL2.TID3: ID registers, the sanitised view of id_regs.c;
 * - HCR_EL2.TACR: ACTLR_EL1 reads its value, writes are ignored (IMPLEMENTATION DEFINED
 *   bits a guest must not set on the shared core);
 * - HCR_EL2.TIDCP: IMPLEMENTATION DEFINED registers (CRn 11 and 15): an undef;
 * - MDCR_EL2.TDA/TDOSA/TDRA: the debug registers read as zero and ignore writes, but
 *   OSLSR_EL1 reads OSLM = 0b10, the OS lock implemented and unlocked (they are not
 *   switched between vCPUs; Xen does the same);
 * - MDCR_EL2.TPM/TPMCR: the PMU, hidden, reads as zero and ignores writes, as Xen;
 * - CPTR_EL2.TTA: trace registers, hidden: an undef.
 */
#include <asm/id_regs.h>
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
#define ACTLR_EL1		SYSREG_KEY(3, 0, 1, 0, 1)
#define OSLSR_EL1		SYSREG_KEY(2, 0, 1, 1, 4)
#define OSLSR_OSLM_IMPLEMENTED	0x8	/* OSLM = 0b10 (bits 3 and 0), OSLK = 0: Arm ARM D19.3 */
#define ISS_OP0(iss)		(((iss) >> 20) & 3)
#define ISS_OP1(iss)		(((iss) >> 14) & 7)
#define ISS_CRN(iss)		(((iss) >> 10) & 0xf)
#define ISS_CRM(iss)		(((iss) >> 1) & 0xf)
#define ISS_OP2(iss)		(((iss) >> 17) & 7)
#define SETWAY_MASK		0xfffffffeUL	/* SetWay [31:4], Level [3:1]; the rest RES0 */

/* Not a register Kestrel emulates: the guest gets an Undefined Instruction exception. */
static __attribute__((noinline, cold)) void unhandled_sysreg(struct cpu_user_regs *regs, uint32_t iss)
{
	gprintk_ratelimited("unhandled %s of sysreg (op0 %u op1 %u CRn %u CRm %u op2 %u) at PC 0x%lx\n",
			    (iss & ISS_READ) ? "read" : "write", (iss >> 20) & 3, (iss >> 14) & 7,
			    (iss >> 10) & 0xf, (iss >> 1) & 0xf, (iss >> 17) & 7, (unsigned long)regs->pc);
	inject_undef(current);
}

/*
 * Data cache maintenance by set/way, trapped by HCR_EL2.TSW (Arm ARM D17.2.48): done
 * here as clean and invalidate of the same line, which never discards data, the
 * hypervisor's or another domain's (what HCR_EL2.SWIO does for an untrapped DC ISW).
 * Set/way operations act on this pCPU's caches only, as on bare metal; each vCPU stays
 * on its own pCPU. A level, set or way beyond the caches is CONSTRAINED UNPREDICTABLE
 * (Arm ARM, "DC CISW"): a NOP or another line cleaned and invalidated, harmless either way.
 */
static void dc_setway(uint64_t val)
{
	__asm__ volatile("dc cisw, %0" : : "r"(val & SETWAY_MASK) : "memory");
	dsb(sy);
}

/* A PMU register (Arm ARM D19.5): op0 3, CRn 9 CRm 12-14 (op1 3, or op1 0 for PMINTEN and PMMIR), or CRn 14 CRm 8-15. */
static bool is_pmu_reg(uint32_t iss)
{
	unsigned int op1 = ISS_OP1(iss), crn = ISS_CRN(iss), crm = ISS_CRM(iss);

	if (ISS_OP0(iss) != 3)
		return false;
	if (crn == 9 && crm >= 12 && crm <= 14)
		return op1 == 3 || (op1 == 0 && crm == 14);
	return crn == 14 && op1 == 3 && crm >= 8;
}

/*
 * The traps of the policy above, past the hot SGI and set/way cases: true when the access
 * was emulated (@regs's Rt written for a read), false for an undef.
 */
static __attribute__((noinline)) bool emulate_policy_sysreg(struct cpu_user_regs *regs, uint32_t iss, uint32_t key)
{
	bool read = iss & ISS_READ;
	unsigned int rt = ISS_RT(iss);
	uint64_t val = 0;

	if (ISS_OP0(iss) == 3 && ISS_OP1(iss) == 0 && ISS_CRN(iss) == 0 && ISS_CRM(iss) >= 1) {
		if (!read)
			return false;		/* read-only: no such write exists */
		val = id_regs_read(ISS_CRM(iss), ISS_OP2(iss));
	} else if ((key & ~ISS_READ) == ACTLR_EL1) {
		val = read_sysreg(actlr_el1);
	} else if (ISS_OP0(iss) == 2 && ISS_OP1(iss) != 1) {	/* debug, not trace (op1 1) */
		if ((key & ~ISS_READ) == OSLSR_EL1)
			val = OSLSR_OSLM_IMPLEMENTED;
	} else if (!is_pmu_reg(iss)) {
		return false;
	}
	if (read && rt != 31)
		regs->x[rt] = val;
	return true;
}

/* do_trap_sysreg(), inline in the short path's guest_sysreg_trap(). */
static inline __attribute__((always_inline)) void handle_sysreg(struct cpu_user_regs *regs, uint64_t esr)
{
	uint32_t iss = esr & ESR_ISS_MASK, key = iss & (ISS_SYSREG_MASK | ISS_READ);
	unsigned int rt = ISS_RT(iss);
	uint64_t val = rt == 31 ? 0 : regs->x[rt];

	if (likely(key == ICC_SGI1R_EL1)) {		/* a write: the IPI path */
		vgic_send_sgi(current, val);
	} else if (key == DC_ISW || key == DC_CSW || key == DC_CISW) {
		dc_setway(val);
	} else if (key != ICC_SGI0R_EL1 && key != ICC_ASGI1R_EL1 && !emulate_policy_sysreg(regs, iss, key)) {
		unhandled_sysreg(regs, iss);
		return;
	}
	/* ICC_SGI0R/ASGI1R: Group 0 / the other security state; guests have neither: WI. */
	advance_pc(regs, esr);
}

void do_trap_sysreg(struct cpu_user_regs *regs, uint64_t esr)
{
	handle_sysreg(regs, esr);
}

struct cpu_user_regs *guest_sysreg_trap(struct cpu_user_regs *regs, uint64_t esr)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	trap_count_sync(esr);
	handle_sysreg(regs, esr);
	return guest_leave(v);
}
