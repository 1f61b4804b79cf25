// SPDX-License-Identifier: Apache-2.0
/*
 * WFI/WFE traps (HCR_EL2.TWI/TWE). ISS bit 0 (TI): 0 = WFI, 1 = WFE (Arm ARM D17.2.37).
 * WFI blocks the vCPU until it has a virtual interrupt to take, so its pCPU runs another
 * vCPU or idles; WFE, a hint that another CPU will soon release something, yields.
 * With vwfi=native (Xen's option of that name, docs/misc/xen-command-line.pandoc) guests
 * run with TWI and TWE clear and wait in the hardware instead (context.c).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/sched.h>
#include <kestrel/vgic.h>

#define ISS_WFE		1

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	vcpu_block_prepare(v);
	if (!vgic_vcpu_pending(v))
		vcpu_block(v);
}

void do_trap_wfx(struct cpu_user_regs *regs, uint64_t esr)
{
	if (esr & ISS_WFE)
		vcpu_yield(current);
	else
		vcpu_wait_for_interrupt(current);
	advance_pc(regs, esr);
}
