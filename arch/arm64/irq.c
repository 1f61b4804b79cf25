// SPDX-License-Identifier: Apache-2.0
/*
 * Physical interrupts while a guest runs (HCR_EL2.IMO routes them to EL2):
 * - the EL2 physical timer PPI: a software timer fell due (common/timer.c: time
 *   slices, wake-ups of descheduled vCPUs whose virtual timer is due);
 * - the virtual timer PPI: the guest's timer fired. It is masked (CNTV_CTL_EL0.IMASK)
 *   and the virtual PPI injected; the guest's handler reprograms and unmasks it.
 *   Source: Arm ARM D11.2.4 (timer conditions, IMASK).
 * - the GIC maintenance PPI: list registers drained (ICH_HCR_EL2.UIE); they are
 *   refilled at once (see handle_one()).
 * - the console UART: input for dom0.
 * - SPIs of passthrough devices: injected into their domain with the HW bit.
 * EOImode = 1: gic_eoi() only drops priority; whoever consumes the interrupt deactivates.
 */
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/console.h>
#include <kestrel/debug_keys.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/timer.h>
#include <kestrel/vgic.h>

#define CNTV_CTL_IMASK	(1UL << 1)
#define SPURIOUS_MIN	1020

static struct domain *spi_owner[VGIC_MAX_INTID];
static bool reserved[VGIC_MAX_INTID];
static unsigned int maint_intid, vtimer_intid, hyp_timer_intid, uart_intid;

int irq_route_to_domain(unsigned int intid, struct domain *d)
{
	struct vcpu *v = d->vcpu[0];
	struct vgic_irq *irq = vgic_get_irq(v, intid);

	if (intid < VGIC_NR_PRIVATE || intid >= VGIC_MAX_INTID || reserved[intid] || !irq ||
	    (spi_owner[intid] && spi_owner[intid] != d))
		return -EBUSY;
	spi_owner[intid] = d;
	vgic_irq_set_hw(d, irq);
	return 0;
}

void irq_release_domain(struct domain *d)
{
	for (unsigned int intid = VGIC_NR_PRIVATE; intid < VGIC_MAX_INTID; intid++)
		if (spi_owner[intid] == d) {
			gic_set_enabled(intid, false);
			__atomic_store_n(&spi_owner[intid], NULL, __ATOMIC_RELEASE);
			/* Taken but never EOIed by the guest (HW bit): left active, it would never come again. */
			gic_clear_spi(intid);
		}
}

void irq_reserve(unsigned int intid)
{
	if (intid < VGIC_MAX_INTID)
		reserved[intid] = true;
}

void irq_init(unsigned int maint_irq, unsigned int vtimer_irq, unsigned int hyp_timer_irq,
	      unsigned int uart_irq)
{
	maint_intid = maint_irq;
	vtimer_intid = vtimer_irq;
	hyp_timer_intid = hyp_timer_irq;
	uart_intid = uart_irq;
	irq_reserve(maint_irq);
	irq_reserve(vtimer_irq);
	irq_reserve(hyp_timer_irq);
	irq_init_cpu();
	if (uart_irq) {
		irq_reserve(uart_irq);
		gic_set_enabled(uart_irq, true);
	}
}

void irq_init_cpu(void)
{
	gic_set_enabled(0, true);	/* SGI 0: a kick from another pCPU (smp.c) */
	gic_set_enabled(maint_intid, true);
	gic_set_enabled(vtimer_intid, true);
	gic_set_enabled(hyp_timer_intid, true);
}

static void handle_one(unsigned int intid)
{
	struct vcpu *v = current;
	struct domain *owner;

	/* The virtual timer first: the interrupt latency path. */
	if (intid == vtimer_intid) {
		/* Idle: raised for a vCPU just switched out (its CNTV_CTL is off now). */
		if (!is_idle_vcpu(v)) {
			write_sysreg(read_sysreg(cntv_ctl_el0) | CNTV_CTL_IMASK, cntv_ctl_el0);
			vgic_inject(v, intid);
		}
	} else if (intid == hyp_timer_intid) {
		timer_run_expired();
	} else if (intid == maint_intid && is_idle_vcpu(v)) {
		/* Raised for a vCPU just switched out (its ICH_HCR is off now). */
	} else if (intid == maint_intid) {
		/*
		 * Level-sensitive: asserted while its cause holds (ICH_MISR_EL2.U: at most one
		 * valid list register with ICH_HCR_EL2.UIE set; IHI 0069, ICH_MISR_EL2). Refill
		 * the list registers now, which ends it (they are full again, or nothing waits
		 * and UIE is dropped); left to the return path, do_irq() would acknowledge it
		 * forever.
		 */
		vgic_flush_to_lrs(v);
	} else if (intid == uart_intid) {
		console_rx_irq();
	} else if (intid >= VGIC_NR_PRIVATE && intid < VGIC_MAX_INTID &&
		   (owner = __atomic_load_n(&spi_owner[intid], __ATOMIC_ACQUIRE))) {
		/*
		 * @owner stays valid: a dying domain's SPIs are released when it is killed
		 * (domain_kill()), a grace period of the reaper before it is freed, and this
		 * runs with interrupts masked.
		 */
		vgic_inject(owner->vcpu[0], intid);
		return;	/* the guest's EOI deactivates it (HW bit) */
	} else if (intid < 16) {	/* an SGI is a kick from another pCPU */
		sched_kicked();
	} else {
		printk("unexpected physical interrupt %u: disabled\n", intid);
		gic_set_enabled(intid, false);
	}
	gic_deactivate(intid);
}

/*
 * One interrupt per exception: acknowledging until the GIC answers spurious would cost
 * every interrupt one more ICC_IAR1_EL1 read, for the rare second one, which is signalled
 * again at once anyway: a guest's next instruction traps (HCR_EL2.IMO), and an idle pCPU's
 * WFI ends on a pending interrupt even with PSTATE.I set (Arm ARM, "Wait For Interrupt":
 * its wake-up events).
 */
void do_irq(void)
{
	unsigned int intid = gic_ack();

	if (intid < SPURIOUS_MIN) {
		gic_eoi(intid);
		handle_one(intid);
	}
}

/* One line per run of consecutive SPIs routed to the same domain. */
void irq_dump_routing(void)
{
	unsigned int routed = 0, first = 0;
	struct domain *run = NULL;

	printk("physical interrupts: hypervisor timer PPI %u, virtual timer PPI %u (to the running vCPU), "
	       "GIC maintenance PPI %u, UART SPI %u, SGI 0 (kick)\n", hyp_timer_intid, vtimer_intid, maint_intid,
	       uart_intid);
	for (unsigned int intid = VGIC_NR_PRIVATE; intid <= VGIC_MAX_INTID; intid++) {
		struct domain *d = intid < VGIC_MAX_INTID ? *(struct domain *const volatile *)&spi_owner[intid] : NULL;

		if (d == run)
			continue;
		if (run)
			printk("  SPI %u-%u -> d%u as vIRQ %u-%u (HW bit: the guest's EOI deactivates)\n", first,
			       intid - 1, run->domain_id, first, intid - 1);
		run = d;
		first = intid;
		routed += !!d;
	}
	printk("  %u run(s) of SPIs routed to domains\n", routed);
}
