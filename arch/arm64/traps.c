// SPDX-License-Identifier: Apache-2.0
/*
 * Trap dispatch: synchronous exceptions from a guest are routed by ESR_EL2.EC
 * (Arm ARM D17.2.37, Table D17-7) through one table; a class Kestrel does not
 * handle gets an Undefined Instruction exception injected, never a silent spin.
 */
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

typedef void (*trap_handler_t)(struct cpu_user_regs *regs, uint64_t esr);

static const trap_handler_t trap_table[ESR_EC_MAX + 1] = {
	[ESR_EC_WFx] = do_trap_wfx,
	[ESR_EC_HVC64] = do_trap_hvc64,
	[ESR_EC_SMC64] = do_trap_smc64,
	[ESR_EC_SYS64] = do_trap_sysreg,
	[ESR_EC_IABT_LOW] = do_trap_iabt,
	[ESR_EC_DABT_LOW] = do_trap_dabt,
};

static void do_trap_sync(struct cpu_user_regs *regs)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	trap_handler_t handler = trap_table[ec];

	if (handler) {
		handler(regs, esr);
		return;
	}
	gprintk_ratelimited("unhandled trap EC 0x%x ESR 0x%lx at PC 0x%lx: injecting undef\n", ec,
			    (unsigned long)esr, (unsigned long)regs->pc);
	inject_undef(current);
}

/* The return path: retire finished list registers, fill free ones, pick what runs. */
static struct cpu_user_regs *leave_hypervisor(struct vcpu *v)
{
	vgic_flush_to_lrs(v);
	return &v->regs;
}

struct cpu_user_regs *guest_trap(struct cpu_user_regs *regs, unsigned int kind)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	switch (kind) {
	case EXIT_SYNC:
		do_trap_sync(regs);
		break;
	case EXIT_IRQ:
		do_irq();
		break;
	case EXIT_SERROR:
		gprintk_ratelimited("SError (ESR 0x%lx) at PC 0x%lx: forwarding it as a virtual SError\n",
				    (unsigned long)read_sysreg(esr_el2), (unsigned long)regs->pc);
		inject_serror();
		break;
	default:
		/* Every host interrupt is Group 1 (IRQ) and Group 0 is off: not the guest's doing. */
		printk("unexpected physical FIQ while d%u v%u ran: ignored\n", v->domain->domain_id,
		       v->vcpu_id);
	}
	return leave_hypervisor(v);
}
