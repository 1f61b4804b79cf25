/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DEBUG_KEYS_H
#define KESTREL_DEBUG_KEYS_H
/*
 * Debug keys (common/debug_keys.c): single letters typed on the serial console while it
 * holds input (Ctrl-a three times until "serial input: hypervisor"), as Xen's keyhandlers
 * (xen/common/keyhandler.c; the letters follow Xen's where Xen has one). Each prints a
 * snapshot and how long it took; 'h' lists them.
 */
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/** debug_key() - run the handler of key @c; an unknown key prints a one-line hint. */
void debug_key(char c);

/* Arch hooks (arch/arm64/debug_dump.c, arch/arm64/irq.c). */
/** arch_dump_vcpu_regs() - @v's saved general-purpose and EL1 registers (a snapshot). */
void arch_dump_vcpu_regs(const struct vcpu *v);
/** arch_dump_pcpus() - each pCPU: what it runs, its EL2 state; this one's backtrace, symbolised. */
void arch_dump_pcpus(void);
/**
 * arch_dump_lr() - list register @n (Kestrel's LR format, kestrel/vgic.h) of @v: read from
 * the hardware if @v is loaded on this pCPU (*@live = true), else the value saved when it
 * was switched out (stale if it is loaded on another pCPU).
 */
uint64_t arch_dump_lr(const struct vcpu *v, unsigned int n, bool *live);
/** irq_dump_routing() - physical interrupts Kestrel owns and the SPIs routed to domains. */
void irq_dump_routing(void);
#endif
