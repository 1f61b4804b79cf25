// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 aborts. Faulting IPA from HPFAR_EL2 (Arm ARM D17.2.59); ISS fields: Arm ARM
 * D17.2.37 ("ISS encoding for an exception from a Data Abort"). What a guest gets:
 *
 * - an access to a vGIC frame with a valid instruction syndrome (ISV = 1: a single
 *   load or store of a general-purpose register, no writeback) is emulated, if its
 *   size and alignment are ones the GIC allows (vgic-v3-redist.c);
 * - an access there with ISV = 0 (load/store pair, writeback addressing, SIMD&FP,
 *   DC ZVA, ...) is not decoded or guessed at: the guest gets a data abort, and the log
 *   says why (rate-limited, like every line a guest can trigger);
 * - a cache maintenance instruction by VA (ISS.CM = 1) on an IPA without memory (a vGIC
 *   frame, or nothing at all) completes without effect: there is no cache line of the
 *   guest's to clean or invalidate there (KVM does the same);
 * - anything else outside the guest's p2m: a synchronous external abort.
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
#define DABT_CM			(1UL << 8)
#define DABT_S1PTW		(1UL << 7)
#define DABT_WNR		(1UL << 6)
#define DABT_FSC_TYPE(iss)	((iss) & 0x3c)
#define FSC_TRANSLATION		0x04	/* translation fault, any level: HPFAR_EL2 is valid */

static uint64_t fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

/* A decodable access (ISV = 1) to a vGIC frame: emulate it. False if the vGIC refused it. */
static bool emulate_mmio(struct cpu_user_regs *regs, uint32_t iss, uint64_t ipa)
{
	unsigned int size = 1U << DABT_SAS(iss), rt = DABT_SRT(iss);
	bool write = iss & DABT_WNR;
	uint64_t val = 0;

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
	uint64_t ipa = fault_ipa(), far = read_sysreg(far_el2);
	bool write = iss & DABT_WNR;

	/* HPFAR_EL2 holds the IPA for a translation fault not taken on a stage-1 walk. */
	if (DABT_FSC_TYPE(iss) == FSC_TRANSLATION && !(iss & DABT_S1PTW)) {
		/* The hot path first: a decodable access the vGIC emulates. */
		if ((iss & DABT_ISV) && emulate_mmio(regs, iss, ipa))
			return;
		if (iss & DABT_CM) {
			advance_pc(regs);
			return;
		}
		if (vgic_mmio_covers(current->domain, ipa)) {
			if (!(iss & DABT_ISV))
				gprintk_ratelimited("MMIO %s at IPA 0x%lx (PC 0x%lx) has no instruction syndrome "
						    "(ISV = 0: pair, writeback, ...): injecting abort\n",
						    write ? "write" : "read", (unsigned long)ipa,
						    (unsigned long)regs->pc);
			else
				gprintk_ratelimited("vGIC refused a %u-byte %s at IPA 0x%lx (PC 0x%lx): "
						    "injecting abort\n", 1U << DABT_SAS(iss),
						    write ? "write" : "read", (unsigned long)ipa,
						    (unsigned long)regs->pc);
			inject_dabt(current, far, write);
			return;
		}
	}
	gprintk_ratelimited("data abort at IPA 0x%lx (VA 0x%lx, ESR 0x%lx, PC 0x%lx): injecting abort\n",
			    (unsigned long)ipa, (unsigned long)far, (unsigned long)esr, (unsigned long)regs->pc);
	inject_dabt(current, far, write);
}

void do_trap_iabt(struct cpu_user_regs *regs, uint64_t esr)
{
	gprintk_ratelimited("instruction abort at IPA 0x%lx (PC 0x%lx): injecting abort\n",
			    (unsigned long)fault_ipa(), (unsigned long)regs->pc);
	inject_iabt(current, read_sysreg(far_el2));
}
