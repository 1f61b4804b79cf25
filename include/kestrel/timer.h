/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_TIMER_H
#define KESTREL_TIMER_H
/*
 * Software timers, one deadline-ordered queue per pCPU, multiplexed onto that pCPU's
 * EL2 physical timer (CNTHP_*_EL2; arch_timer_program()). Deadlines are in ticks of the
 * system counter (CNTPCT_EL0), the clock every pCPU and guest shares (Arm ARM D11.1).
 * Callbacks run on the timer's pCPU from the hypervisor timer interrupt (or the idle
 * loop), with no timer lock held, so they may set timers again.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/spinlock.h>

#define TIMER_NEVER	UINT64_MAX

struct timer;
typedef void (*timer_fn_t)(struct timer *t);

/**
 * struct timer - one software timer.
 * @deadline: counter ticks at which @fn runs (TIMER_NEVER when not queued).
 * @cpu:      pCPU whose queue holds it, or -1.
 */
struct timer {
	uint64_t deadline;
	timer_fn_t fn;
	struct timer *next;
	int cpu;
};

/** struct timer_queue - the timers of one pCPU, soonest first. */
struct timer_queue {
	struct timer *head;
	spinlock_t lock;
};

/** timer_init() - make @t an idle timer that will call @fn. */
void timer_init(struct timer *t, timer_fn_t fn);

/**
 * timer_set() - (re)arm @t to fire at counter tick @deadline on this pCPU; a deadline
 * already past fires at once (at the next timer interrupt). Timers are only ever set on
 * the pCPU that will run them, so no other pCPU's hardware timer needs reprogramming.
 */
void timer_set(struct timer *t, uint64_t deadline);

/**
 * timer_stop() - disarm @t, from any pCPU (no-op if it is not armed). Its callback may be
 * running on the timer's pCPU at that moment: callbacks must tolerate a late call.
 */
void timer_stop(struct timer *t);

/** timer_is_set() - is @t armed (on some pCPU's queue)? A hint when read from another pCPU. */
static inline bool timer_is_set(const struct timer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) >= 0;
}

/** timer_run_expired() - on this pCPU: run due callbacks, then reprogram the hardware. */
void timer_run_expired(void);

/** timer_now() - the system counter, in ticks. */
uint64_t timer_now(void);

/** timer_ns_to_ticks(), timer_ticks_to_ns() - convert with the counter's CNTFRQ_EL0. */
uint64_t timer_ns_to_ticks(uint64_t ns);
uint64_t timer_ticks_to_ns(uint64_t ticks);

/* Arch hooks (arch/arm64/time.c). */
/** arch_timer_program() - fire this pCPU's hypervisor timer at @deadline (TIMER_NEVER: off). */
void arch_timer_program(uint64_t deadline);
/** arch_counter_freq() - CNTFRQ_EL0, in Hz. */
uint64_t arch_counter_freq(void);
#endif
