// SPDX-License-Identifier: Apache-2.0
/*
 * Fatal errors: name the problem, show where it happened (a backtrace), then reset the
 * machine (or halt with "noreboot"). The first pCPU to panic owns the console from then
 * on; another pCPU that panics meanwhile stops quietly, and a fault while reporting
 * (a nested panic) gets one line and stops the machine.
 */
#include <asm/backtrace.h>
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/console.h>
#include <kestrel/lib.h>

static int panic_cpu = -1;		/* the pCPU reporting a panic, or -1 */
static unsigned int panic_depth;	/* its nesting: 1 = first report */

unsigned int panic_enter(void)
{
	int me = (int)this_pcpu()->id, owner = -1;

	if (!__atomic_compare_exchange_n(&panic_cpu, &owner, me, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE) && owner != me)
		for (;;)
			wfi();	/* another pCPU is reporting: leave the console to it */
	if (++panic_depth == 1)
		console_break_lock();
	return panic_depth;
}

void panic_stop(void)
{
	if (bootinfo.cmdline && cmdline_has(bootinfo.cmdline, "noreboot")) {
		printk("System halted (noreboot).\n");
	} else {
		printk("Resetting the system.\n");
		firmware_system_reset();
	}
	for (;;)
		wfi();
}

void panic_report(const char *msg)
{
	printk("PANIC: %s\n", msg);
	panic_stop();
}

void panic(const char *fmt, ...)
{
	unsigned int depth = panic_enter();
	char msg[256];
	va_list ap;

	if (depth > 2)
		panic_stop();
	va_start(ap, fmt);
	vsnprintk(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (depth == 2) {
		printk("nested PANIC: %s\n", msg);
		panic_stop();
	}
	printk("Fatal error on pCPU %u: %s\n", this_pcpu()->id, msg);
	backtrace_here();
	panic_report(msg);
}
