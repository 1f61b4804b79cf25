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
	[ESR_EC_FP_ASIMD] = do_trap_fp,
	/* ESR_EC_HVC64 never gets here: entry.S sends it to guest_hvc_trap(). */
	[ESR_EC_SMC64] = do_trap_smc64,
	[ESR_EC_SYS64] = do_trap_sysreg,
	[ESR_EC_IABT_LOW] = do_trap_iabt,
	[ESR_EC_DABT_LOW] = do_trap_dabt,
};

/* A class Kestrel does not handle: the guest gets an Undefined Instruction exception. */
static __attribute__((noinline, cold)) void unhandled_trap(struct cpu_user_regs *regs, uint64_t esr)
{
	gprintk_ratelimited("unhandled trap EC 0x%x ESR 0x%lx at PC 0x%lx: injecting undef\n",
			    (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK, (unsigned long)esr,
			    (unsigned long)regs->pc);
	inject_undef(current);
}

static void do_trap_sync(struct cpu_user_regs *regs, uint64_t esr)
{
	trap_handler_t handler = trap_table[(esr >> ESR_EC_SHIFT) & ESR_EC_MASK];

	if (likely(handler))
		handler(regs, esr);
	else
		unhandled_trap(regs, esr);
}

struct cpu_user_regs *guest_leave_slow(struct vcpu *v)
{
	vgic_flush_to_lrs(v);
	if (v->exit_work.resched) {
		v->exit_work.resched = 0;
		if (this_pcpu()->need_resched)
			return (struct cpu_user_regs *)((uintptr_t)&v->regs | 1);
	}
	return &v->regs;
}


/*
 * guest_resched() - entry.S, on the way out of a trap whose return path asked for a
 * reschedule, the trapped vCPU's frame complete: switch to the vCPU the scheduler picks
 * (perhaps the same one, perhaps none: then this pCPU idles and never returns here).
 * Return: the frame of the vCPU to enter.
 */
struct cpu_user_regs *guest_resched(void)
{
	struct vcpu *next = schedule();

	vgic_flush_to_lrs(next);
	return &next->regs;
}

struct cpu_user_regs *guest_sync_trap(struct cpu_user_regs *regs, uint64_t esr)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	trap_count_sync(esr);
	do_trap_sync(regs, esr);
	return guest_leave(v);
}

struct cpu_user_regs *guest_irq_trap(struct cpu_user_regs *regs)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	trap_count_irq();
	do_irq();
	return guest_leave(v);
}

struct cpu_user_regs *guest_trap(struct cpu_user_regs *regs, unsigned int kind)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	switch (kind) {
	case EXIT_SYNC:		/* from AArch32 EL0 */
		do_trap_sync(regs, read_sysreg(esr_el2));
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
	return guest_leave(v);
}
