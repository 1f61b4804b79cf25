/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SETUP_H
#define KESTREL_SETUP_H
#include <stdint.h>
#define KESTREL_VERSION		"0.1"
/**
 * start_kestrel() - C entry of the boot CPU (from head.S; arch/arm64/setup.c): MMU on, BSS zeroed.
 * @entry_ticks: CNTPCT_EL0 at Kestrel's first instruction, for the boot-time report.
 */
void start_kestrel(const void *fdt, uintptr_t image_base, uint64_t entry_ticks) __attribute__((noreturn));

/**
 * stack_guard_init() - set the stack protector's guard from the boot entropy in the
 * host DT at @fdt (common/stack_protector.c). Called first thing on the boot CPU, by a
 * function that is not itself protected and never returns.
 */
void stack_guard_init(const void *fdt);

/**
 * crash_test() - with CONFIG_DEBUG_CRASH_TEST only: crash the hypervisor as the boot
 * argument crash_test=fault|stack|canary|panic asks (common/crash_test.c).
 */
void crash_test(const char *cmdline);
#endif
