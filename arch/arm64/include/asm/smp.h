/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_SMP_H
#define KESTREL_ASM_SMP_H
/* Physical CPUs (arch/arm64/smp.c); per-pCPU state is in asm/pcpu.h. */
#include <stdint.h>

/** pcpu_init() - set this pCPU's TPIDR_EL2 (struct pcpu @id), stack top and VBAR_EL2. */
void pcpu_init(unsigned int id, uint64_t stack_top);

/**
 * smp_boot_secondaries() - power on every other pCPU through the host's PSCI CPU_ON and
 * wait until each has entered the scheduler (secondary_start()). Panics, naming the pCPU
 * (and the firmware's error), if one cannot be started or never comes up.
 */
void smp_boot_secondaries(void);

/** secondary_start() - C entry of a secondary pCPU (head.S), MMU on, own stack. */
void secondary_start(unsigned int id) __attribute__((noreturn));
#endif
