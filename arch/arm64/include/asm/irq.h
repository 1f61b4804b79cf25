/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_IRQ_H
#define KESTREL_ASM_IRQ_H
struct domain;

/**
 * irq_route_to_domain() - forward physical SPI @intid to @d: it is injected with the
 * list register HW bit, so @d's EOI deactivates it. Enabled when @d enables it.
 * Return: 0, or -EBUSY if the hypervisor or another domain owns @intid, or @d's vGIC
 * has no such interrupt.
 */
int irq_route_to_domain(unsigned int intid, struct domain *d);

/**
 * irq_release_domain() - disable and forget every SPI routed to @d, and clear its pending
 * and active state (one the guest took but never EOIed would stay active). Called when @d
 * is killed, a reaper grace period before it is freed, and again at its destruction.
 */
void irq_release_domain(struct domain *d);

/** irq_reserve() - claim physical @intid for the hypervisor (never forwarded). */
void irq_reserve(unsigned int intid);

/** irq_init_cpu() - enable the hypervisor's PPIs and the kick SGI on this pCPU. */
void irq_init_cpu(void);

/** irq_init() - enable the hypervisor's own PPIs/SPIs (maintenance, vtimer, EL2 physical timer, UART). */
void irq_init(unsigned int maint_irq, unsigned int vtimer_irq, unsigned int hyp_timer_irq,
	      unsigned int uart_irq);
#endif
