// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's clock and timer: the system counter (CNTPCT_EL0) and the EL2 physical
 * timer (CNTHP_CTL_EL2, CNTHP_CVAL_EL2; its PPI is the DT timer's fourth interrupt,
 * usually 26). Source: Arm ARM D11.2 ("The AArch64 view of the Generic Timer"), D17.11.
 */
#include <asm/sysregs.h>
#include <kestrel/timer.h>

#define CNTHP_CTL_ENABLE	(1UL << 0)

uint64_t timer_now(void)
{
	isb();	/* no earlier read of the counter than program order says */
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_timer_program(uint64_t deadline)
{
	if (deadline == TIMER_NEVER) {
		write_sysreg(0, cnthp_ctl_el2);
	} else {
		write_sysreg(deadline, cnthp_cval_el2);
		write_sysreg(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
	}
	isb();
}
