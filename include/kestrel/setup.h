/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SETUP_H
#define KESTREL_SETUP_H
#include <stdint.h>
#define KESTREL_VERSION		"0.1"
/**
 * start_kestrel() - C entry of the boot CPU (from head.S): MMU on, BSS zeroed.
 * @entry_ticks: CNTPCT_EL0 at Kestrel's first instruction, for the boot-time report.
 */
void start_kestrel(const void *fdt, uintptr_t image_base, uint64_t entry_ticks) __attribute__((noreturn));
#endif
