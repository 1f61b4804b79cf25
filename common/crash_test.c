// SPDX-License-Identifier: Apache-2.0
/*
 * Deliberate hypervisor crashes for the crash-report tests, only in images built with
 * CONFIG_DEBUG_CRASH_TEST (never in production; see Kconfig). The boot argument
 * crash_test=<kind> picks one: fault, stack, canary, panic, or one that breaks W^X
 * (write_text, exec_data, exec_init), which must fault. Each function is kept out of
 * line so the report's backtrace names it.
 */
#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>
#include <kestrel/setup.h>

#ifdef CONFIG_DEBUG_CRASH_TEST
/* In the 39-bit EL2 VA range, far from RAM and devices: never mapped at EL2. */
#define CRASH_TEST_UNMAPPED	0x7e00dead00UL

static volatile unsigned long crash_test_depth_limit = ~0UL;	/* defeats recursion checks */

static __attribute__((noinline)) void crash_test_fault(void)
{
	printk("crash_test: reading unmapped address 0x%lx\n", CRASH_TEST_UNMAPPED);
	(void)*(volatile uint64_t *)CRASH_TEST_UNMAPPED;
}

static __attribute__((noinline)) unsigned long crash_test_recurse(unsigned long depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth < crash_test_depth_limit)
		return crash_test_recurse(depth + 1) + frame[0];
	return 0;
}

static __attribute__((noinline)) void crash_test_canary(void)
{
	char buf[16];
	volatile char *p = buf;

	printk("crash_test: overrunning a 16-byte stack buffer by 16 bytes\n");
	for (unsigned int i = 0; i < 32; i++)
		p[i] = 'A';
}

/* W^X: Kestrel's text is read-only, its data not executable, boot-only code sealed. */
static __attribute__((noinline)) void crash_test_write_text(void)
{
	printk("crash_test: writing to Kestrel's own code at %p\n", (void *)crash_test_fault);
	*(volatile uint32_t *)(uintptr_t)crash_test_fault = 0xd503201f;	/* NOP */
}

static uint32_t crash_test_data_code[] = { 0xd65f03c0 };	/* RET, in .data */

static __attribute__((noinline)) void crash_test_exec(void (*fn)(void), const char *what)
{
	printk("crash_test: calling %s at %p\n", what, (void *)fn);
	fn();
}

void crash_test(const char *cmdline)
{
	char what[16];

	if (!cmdline_get(cmdline, "crash_test", what, sizeof(what)))
		return;
	if (!strcmp(what, "fault")) {
		crash_test_fault();
	} else if (!strcmp(what, "stack")) {
		printk("crash_test: recursing until the stack overflows\n");
		crash_test_recurse(0);
	} else if (!strcmp(what, "canary")) {
		crash_test_canary();
	} else if (!strcmp(what, "write_text")) {
		crash_test_write_text();
	} else if (!strcmp(what, "exec_data")) {
		crash_test_exec((void (*)(void))(uintptr_t)crash_test_data_code, "code in .data");
	} else if (!strcmp(what, "exec_init")) {
		/* .init.text is read-only and never executable once dom0 is about to start. */
		crash_test_exec((void (*)(void))(uintptr_t)stack_guard_init, "boot-only code");
	} else if (!strcmp(what, "panic")) {
		panic("crash_test=panic");
	}
	printk("crash_test: \"%s\" did not crash\n", what);
}
#endif
