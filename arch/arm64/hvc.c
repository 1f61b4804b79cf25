// SPDX-License-Identifier: Apache-2.0
/*
 * HVC and SMC traps. HVC #0xEA1 is a Xen hypercall (Xen public/arch-arm.h,
 * XEN_HYPERCALL_TAG); HVC #0 and SMC #0 are SMCCC calls (Arm DEN0028 2.5). Any other
 * immediate is not an interface Kestrel offers: the guest gets an Undefined
 * Instruction exception at the HVC, as if HVC were disabled (Arm ARM D1.19, HCR_EL2.HCD).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

#define ESR_HVC_IMM(esr)	((esr) & 0xffff)

/* Any other immediate: not an interface (out of line, to keep the dispatch frameless). */
static __attribute__((noinline, cold)) void bad_hvc_immediate(struct cpu_user_regs *regs, uint64_t esr)
{
	gprintk_ratelimited("HVC #0x%lx at PC 0x%lx is not an interface: injecting undef\n",
			    (unsigned long)ESR_HVC_IMM(esr), (unsigned long)regs->pc - 4);
	regs->pc -= 4;		/* ELR_EL2 is past the HVC; the undef is reported at it */
	inject_undef(current);
}

struct cpu_user_regs *guest_hvc_trap(struct cpu_user_regs *regs, uint64_t esr)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	trap_count_hvc(esr, regs->x[16]);
	if (likely(ESR_HVC_IMM(esr) == XEN_HYPERCALL_TAG))
		do_hypercall(regs);
	else if (ESR_HVC_IMM(esr) == 0)
		do_smccc(v, regs);
	else
		bad_hvc_immediate(regs, esr);
	return guest_leave(v);
}

void do_trap_smc64(struct cpu_user_regs *regs, uint64_t esr)
{
	/* A trapped SMC leaves ELR_EL2 at the SMC itself (Arm ARM D1.19.3). */
	if (ESR_HVC_IMM(esr) != 0) {
		inject_undef(current);
		return;
	}
	advance_pc(regs, esr);
	do_smccc(current, regs);
}
