// SPDX-License-Identifier: Apache-2.0
/* Fatal errors: name the problem, then reset the machine (or halt with "noreboot"). */
#include <asm/smccc.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintk(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("PANIC: %s\n", msg);
	if (bootinfo.cmdline && cmdline_has(bootinfo.cmdline, "noreboot")) {
		printk("System halted (noreboot).\n");
	} else {
		printk("Resetting the system.\n");
		firmware_system_reset();
	}
	for (;;)
		wfi();
}
