/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_SMP_H
#define KESTREL_ASM_SMP_H
/*
 * Physical CPUs. Until the vCPU scheduler arrives, vCPU n of dom0 runs on pCPU n,
 * started when dom0 asks for it with PSCI CPU_ON.
 */
#include <stdint.h>

struct vcpu;

/** pcpu_init() - set this pCPU's TPIDR_EL2 (struct pcpu @id), stack top and VBAR_EL2. */
void pcpu_init(unsigned int id, uint64_t stack_top);

/**
 * pcpu_start_vcpu() - power on pCPU @v->vcpu_id through the host's PSCI CPU_ON and run
 * @v there (already reset to its entry point).
 * Return: 0, or the host's PSCI error (e.g. -4 ALREADY_ON, -2 INVALID_PARAMETERS).
 */
int64_t pcpu_start_vcpu(struct vcpu *v);

/** secondary_start() - C entry of a secondary pCPU (head.S), MMU on, own stack. */
void secondary_start(unsigned int id) __attribute__((noreturn));
#endif
