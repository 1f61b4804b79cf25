// SPDX-License-Identifier: Apache-2.0
/*
 * WFI/WFE traps (HCR_EL2.TWI/TWE). ISS bit 0 (TI): 0 = WFI, 1 = WFE (Arm ARM D17.2.37).
 * WFI idles the pCPU with a real WFI until something for the vCPU arrives: a wake-up
 * event ends WFI even while EL2 masks interrupts (Arm ARM D1.16.2).
 * WFE is a hint; it returns at once (a yield, once there is a scheduler).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/event.h>
#include <kestrel/vgic.h>

#define ISS_WFE		1

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	if (vgic_vcpu_pending(v))
		return;
	dsb(sy);
	wfi();
}

void do_trap_wfx(struct cpu_user_regs *regs, uint64_t esr)
{
	if (!(esr & ISS_WFE))
		vcpu_wait_for_interrupt(current);
	advance_pc(regs, esr);
}
