/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_FAKE_ARCH_H
#define KESTREL_FAKE_ARCH_H
/*
 * A fake arm64 for host unit tests of the portable scheduler code (common/sched*.c,
 * common/timer.c), in the spirit of Hafnium's src/arch/fake: tests/unit/fake/fake_arch.c
 * implements the arch hooks those files call, with state a test sets and inspects:
 *
 *  - which pCPU the code runs on (fake_cpu: this_pcpu() is &pcpu_table[fake_cpu]) and
 *    how many there are (nr_pcpus());
 *  - the system counter (fake_now: timer_now(); FAKE_COUNTER_FREQ Hz, 16 ns a tick);
 *  - per pCPU: arch_kick_pcpu() calls, the deadline arch_timer_program() last set,
 *    context_switch() calls and their last (prev, next), idle waits and guest entries;
 *  - each vCPU's virtual timer (fake_vtimer_set(): what arch_vtimer_deadline() reports);
 *  - domain_shutdown() calls, which longjmp to fake_catch_shutdown().
 *
 * Driving the scheduler: schedule() never returns when the pCPU goes idle (it enters
 * idle_loop()), and idle_loop() leaves only through arch_enter_guest(). fake_schedule()
 * therefore calls schedule() under setjmp(); the fake arch_idle_wait() and
 * arch_enter_guest() longjmp back, so it returns whatever the pCPU ended up with: a
 * guest vCPU it enters, its idle vCPU, or a blocked vCPU it keeps loaded while it idles
 * (sched_pcpu_idle()). Nothing here runs concurrently: each call plays one pCPU's step,
 * in the order the test chooses; fake_kick_hook lets a kicked pCPU react at once, in the
 * middle of the kicker's step. Interrupts a pCPU takes are played by fake_timer_irq()
 * (its hypervisor timer), fake_kick_irq() (another pCPU's kick) and fake_vtimer_irq()
 * (the virtual timer of the vCPU it holds).
 *
 * Also provided, as the rest of the hypervisor would: pcpu_table[], bootinfo (cmdline
 * empty: credit2's default 1 ms slice), idle_domain and current_vcpu() (the fake current
 * pCPU's curr). Link with common/sched.c, sched_credit2.c, sched_null.c, timer.c and
 * cmdline.c, and put tests/unit/fake/include before arch/arm64/include.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/pcpu.h>
#include <kestrel/domain.h>

/** FAKE_COUNTER_FREQ - the fake CNTFRQ_EL0 (62.5 MHz, QEMU virt's: 16 ns a tick). */
#define FAKE_COUNTER_FREQ	62500000ULL

/** fake_cpu - index of the pCPU the code under test runs on. */
extern unsigned int fake_cpu;
/** fake_nr_pcpus - what nr_pcpus() returns (set by fake_arch_reset()). */
extern unsigned int fake_nr_pcpus;
/** fake_now - the system counter, in ticks (timer_now()); tests advance it. */
extern uint64_t fake_now;

/**
 * struct fake_pcpu - what the arch hooks recorded for one pCPU.
 * @kicks:       arch_kick_pcpu() calls aimed at it.
 * @kicked:      set by arch_kick_pcpu(); the test clears it.
 * @programmed:  last deadline arch_timer_program() set on it (TIMER_NEVER: off or never).
 * @nr_programs: arch_timer_program() calls on it.
 * @switches:    context_switch() calls on it; @prev, @next: the last one's arguments.
 * @resets:      switches that applied a pending reset (next->reset_pending, cleared).
 * @idle_waits:  arch_idle_wait() calls (the pCPU went idle).
 * @entries:     arch_enter_guest() calls; @entered: the last one's vCPU.
 */
struct fake_pcpu {
	unsigned int kicks;
	bool kicked;
	uint64_t programmed;
	unsigned int nr_programs;
	unsigned int switches;
	struct vcpu *prev, *next;
	unsigned int resets;
	unsigned int idle_waits;
	unsigned int entries;
	struct vcpu *entered;
};
extern struct fake_pcpu fake_pcpu[CONFIG_NR_CPUS];

/**
 * fake_kick_hook - if set, arch_kick_pcpu() calls it with the kicked pCPU after recording
 * the kick: e.g. fake_schedule(cpu), to play a pCPU that takes the kick at once. It runs
 * where the kick is sent, so with run-queue locks possibly held (resched_cpu() from a
 * wake-up): a hook that schedules may only be armed around kicks sent without them
 * (do_schedule()'s kick of an idle pCPU).
 */
extern void (*fake_kick_hook)(unsigned int cpu);

/** fake_idle_vcpu - the idle vCPUs fake_arch_reset() gives the pCPUs (idle_domain's). */
extern struct vcpu fake_idle_vcpu[CONFIG_NR_CPUS];

/**
 * struct fake_shutdown_record - domain_shutdown() calls.
 * @count: how many; @domain, @reason: the last one's arguments.
 */
struct fake_shutdown_record {
	unsigned int count;
	struct domain *domain;
	unsigned int reason;
};
extern struct fake_shutdown_record fake_shutdown;

/**
 * fake_arch_reset() - a fresh machine of @nr_cpus pCPUs (<= CONFIG_NR_CPUS), all online,
 * each running its idle vCPU (sched_init_pcpu()), empty run and timer queues, fake_now 0,
 * fake_cpu 0, nothing recorded. The policy (sched_init()) and the policies' own
 * bookkeeping (credit2's per-pCPU vCPU counts, null's pCPU owners) are not reset.
 */
void fake_arch_reset(unsigned int nr_cpus);

/**
 * fake_schedule() - play pCPU @cpu taking the path back to a guest with a reschedule
 * requested: fake_cpu = @cpu, need_resched set, schedule() (and, if it goes idle,
 * idle_loop()'s first pass). Return: the vCPU the pCPU now holds (pcpu->curr): the guest
 * vCPU it entered (RUNSTATE_running), its idle vCPU, or a blocked vCPU it keeps loaded
 * while it idles. fake_cpu is restored on return, so a kick hook may call it for another
 * pCPU from within one pCPU's step.
 */
struct vcpu *fake_schedule(unsigned int cpu);

/**
 * fake_timer_irq() - play pCPU @cpu's hypervisor timer interrupt: fake_cpu = @cpu, then
 * timer_run_expired() (due callbacks run at fake_now).
 */
void fake_timer_irq(unsigned int cpu);

/**
 * fake_kick_irq() - play pCPU @cpu taking a kick (the SGI arch_kick_pcpu() sends): as
 * arch/arm64/irq.c, sched_kicked() on @cpu. fake_cpu is restored on return.
 */
void fake_kick_irq(unsigned int cpu);

/**
 * fake_vtimer_irq() - play the virtual timer interrupt (PPI) of the vCPU pCPU @cpu holds,
 * if that is a guest vCPU whose virtual timer is enabled, unmasked and due at fake_now:
 * as arch/arm64/irq.c and vgic.c, mask it (CNTV_CTL.IMASK) and vcpu_kick() the vCPU,
 * which wakes it if it is blocked (kept loaded). fake_cpu is restored on return.
 * Return: true if the interrupt fired.
 */
bool fake_vtimer_irq(unsigned int cpu);

/**
 * fake_vtimer_set() - arm @v's virtual timer to fire at counter tick @deadline
 * (CNTV_CTL enabled and unmasked, CNTVOFF 0), or disable it with TIMER_NEVER.
 */
void fake_vtimer_set(struct vcpu *v, uint64_t deadline);

/**
 * fake_sysreg_get() - the fake register @name of pCPU @cpu, as last written through
 * write_sysreg() (0 if never).
 */
uint64_t fake_sysreg_get(unsigned int cpu, const char *name);

/**
 * fake_catch_shutdown() - call @fn(@arg), catching a domain_shutdown() it makes (which
 * does not return: the fake longjmps back here). Return: true if it shut a domain down.
 * A domain_shutdown() outside fake_catch_shutdown() fails the test.
 */
bool fake_catch_shutdown(void (*fn)(void *arg), void *arg);
#endif
