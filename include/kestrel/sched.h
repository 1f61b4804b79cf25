/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SCHED_H
#define KESTREL_SCHED_H
/*
 * The vCPU scheduler: per-pCPU run queues, an idle vCPU per pCPU, and a policy behind a
 * small interface (struct sched_policy: insert, wake, sleep, yield, pick, tick), chosen
 * at boot with sched= (credit2, the default, or null).
 *
 * Hypervisor stacks are per pCPU, not per vCPU: every trap handler runs to completion,
 * and the only place a pCPU changes vCPU is the way back to a guest (leave_hypervisor()
 * -> schedule()), where the outgoing vCPU's state is entirely in its struct vcpu
 * (registers saved by the vectors, the rest by ctxt_switch_from()). So nothing about a
 * descheduled vCPU lives on a stack or in the hardware, a switch saves no hypervisor
 * frames, and each vCPU costs no 16 KiB stack and guard page. A handler that must wait
 * (WFI, SCHEDOP_block/poll, PSCI CPU_OFF) changes the vCPU's state and returns; the vCPU
 * resumes after the trapping instruction when it runs again. Hafnium and Bao do the
 * same; Xen's per-vCPU stacks exist to let C code block mid-way, which Kestrel never does.
 *
 * States are Xen's RUNSTATE_* (public/xen.h): running (loaded on its pCPU), runnable
 * (on a run queue), blocked (waiting for an interrupt or event), offline (PSCI CPU_OFF,
 * VCPUOP_down, never started).
 *
 * Locking: a vCPU's scheduling fields are guarded by the run-queue lock of its pCPU
 * (v->processor), which changes only with that lock held. Lock order: the vGIC lock of
 * a domain, then run-queue locks (two at once only in ascending pCPU order), then timer
 * queues. The scheduler never takes a vGIC lock while holding a run-queue lock.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>

struct vcpu;
struct domain;

/** Xen credit2's default domain weight (xen/common/sched/credit2.c, CSCHED2_DEFAULT_WEIGHT). */
#define SCHED_DEFAULT_WEIGHT	256

/**
 * struct sched_vcpu - a vCPU's scheduling state (struct vcpu.sched).
 * @state:       RUNSTATE_* it is in.
 * @is_running:  its context is on a pCPU: set when picked, cleared once ctxt_switch_from()
 *               has saved it; a vCPU is never picked by two pCPUs or moved while set.
 * @on_rq:       queued on run queue @processor's list.
 * @wake_pending: a wake-up arrived while it was running: the next vcpu_block() returns
 *               at once (closes the window between checking for work and blocking).
 * @credit:      credit2: credit left, in ns of run time scaled by weight.
 * @weight:      relative share of CPU time (SCHED_DEFAULT_WEIGHT).
 * @started:     counter tick it was last switched in (run-time accounting).
 * @runtime_ns:  total time it has run.
 * @wake_timer:  wakes it when its virtual timer or a SCHEDOP_poll timeout falls due.
 * @poll_deadline: SCHEDOP_poll timeout, counter ticks (TIMER_NEVER: none).
 * @polling:     blocked in SCHEDOP_poll on port @poll_evtchn (-1: any of several ports).
 * @held:        blocked, and kept loaded while its pCPU idles (sched.c, keep_loaded());
 *               set and cleared under its run-queue lock, so a waker knows it may simply
 *               let it run again there.
 * @yielded:     asked to run after the others (SCHEDOP_yield), at its pCPU's next pick.
 * @epoch:       credit2: the run queue's reset count when its credit was last topped up.
 */
struct sched_vcpu {
	unsigned int state;
	bool is_running, on_rq, wake_pending;
	struct vcpu *rq_next;
	int64_t credit;
	unsigned int weight;
	uint64_t started;
	uint64_t runtime_ns;
	struct timer wake_timer;
	uint64_t poll_deadline;
	bool polling, yielded, held;
	int poll_evtchn;
	uint64_t epoch;
};

/**
 * struct sched_rq - one pCPU's run queue: runnable vCPUs that are not running, in
 * policy order. @nr_running counts the pCPU's non-idle vCPUs that are runnable or
 * running; @slice_timer ends the current vCPU's time slice.
 */
struct sched_rq {
	spinlock_t lock;
	struct vcpu *head;
	unsigned int nr_queued;
	struct timer slice_timer;
	unsigned int cpu;
	uint64_t epoch;
};

/**
 * struct sched_policy - a scheduling policy. All hooks but insert run with the relevant
 * run-queue lock held; times are counter ticks.
 * @insert: a new vCPU (offline): choose its first pCPU (v->processor). Return 0 or a
 *          negative errno, with a message naming the limit (the null policy's pCPU count).
 * @wake:   @v became runnable: the pCPU whose queue it should join (placement), called
 *          with v->processor's lock held.
 * @sleep:  @v stopped being runnable (blocked or offline).
 * @yield:  @v (running) gives up the rest of its turn.
 * @pick:   the next vCPU for pCPU @cpu from its queue (@prev, if still runnable, is on
 *          it), or NULL for idle; *@slice = ticks it may run (TIMER_NEVER: no limit).
 * @tick:   @v ran @ran ticks; return true if it should be preempted now.
 * @preempts: true if @v, just woken onto a queue whose pCPU runs @curr, should run first.
 * @migrate: may a pCPU with nothing to run steal @v from another's queue?
 */
struct sched_policy {
	const char *name;
	int (*insert)(struct vcpu *v);
	unsigned int (*wake)(struct vcpu *v);
	void (*sleep)(struct vcpu *v);
	void (*yield)(struct vcpu *v);
	struct vcpu *(*pick)(struct sched_rq *rq, struct vcpu *prev, uint64_t *slice);
	bool (*tick)(struct vcpu *v, uint64_t ran);
	bool (*preempts)(const struct vcpu *v, const struct vcpu *curr);
	bool (*migrate)(const struct vcpu *v);
};

extern const struct sched_policy sched_credit2, sched_null;

/** sched_init() - choose the policy from @cmdline's sched= (default credit2); panics on an unknown name. */
void sched_init(const char *cmdline);

/** sched_policy_name() - the policy in use. */
const char *sched_policy_name(void);

/**
 * sched_pcpu_idle() - is pCPU @cpu idling: running its idle vCPU, or keeping a blocked
 * vCPU loaded while it waits (a hint, read without locks)?
 */
bool sched_pcpu_idle(unsigned int cpu);

/** sched_init_pcpu() - set up pCPU @cpu's run queue and idle vCPU @idle. */
void sched_init_pcpu(unsigned int cpu, struct vcpu *idle);

/**
 * sched_insert_vcpu() - give a new (offline) vCPU to the policy.
 * Return: 0, or -ENOSPC when the policy cannot place it (null: more vCPUs than pCPUs).
 */
int sched_insert_vcpu(struct vcpu *v);

/**
 * vcpu_power_on() - offline -> runnable. With @reset (PSCI CPU_ON, boot) it starts afresh
 * at @entry with x0 = @x0 (the reset is applied when it is next switched in, once any
 * pCPU still saving it has finished); without (VCPUOP_up) it resumes where it stopped,
 * which needs an earlier reset.
 * Return: false if @v was not offline, or was never started and @reset is false.
 */
bool vcpu_power_on(struct vcpu *v, bool reset, uint64_t entry, uint64_t x0);

/**
 * vcpu_power_off() - take @v offline, running or not (PSCI CPU_OFF, VCPUOP_down); its
 * pCPU switches away at once. When no vCPU of the domain is left up, the domain is shut
 * down (poweroff): nothing could ever turn one on again.
 * Return: false if it was already offline.
 */
bool vcpu_power_off(struct vcpu *v);

/** vcpu_unblock() - blocked -> runnable (an interrupt, an event, a timer); otherwise a no-op. */
void vcpu_unblock(struct vcpu *v);

/**
 * vcpu_block_prepare() / vcpu_block() - block the running vCPU @v until vcpu_unblock():
 * call vcpu_block_prepare(), check that there is nothing to wait for, then vcpu_block();
 * a wake-up in between makes vcpu_block() return without blocking.
 */
void vcpu_block_prepare(struct vcpu *v);
void vcpu_block(struct vcpu *v);

/** vcpu_yield() - the running vCPU @v lets others on its pCPU run first. */
void vcpu_yield(struct vcpu *v);

/**
 * vcpu_kick() - @v has new interrupts: wake it if blocked, or make its pCPU leave the
 * guest (a physical SGI) so its return path delivers them.
 */
void vcpu_kick(struct vcpu *v);

/** sched_kicked() - the kick interrupt arrived (arch): honour another pCPU's resched request. */
void sched_kicked(void);

/** vcpu_is_up() - PSCI AFFINITY_INFO's view: false only once @v is offline and saved. */
bool vcpu_is_up(const struct vcpu *v);

/**
 * schedule() - on this pCPU, with a reschedule requested: account the current vCPU,
 * pick the next one and switch to it. Return: the vCPU to enter; does not return when
 * the pCPU goes idle (idle_loop()).
 */
struct vcpu *schedule(void);

/** idle_loop() - run this pCPU's idle vCPU: wait for interrupts until a vCPU is runnable. */
void idle_loop(void) __attribute__((noreturn));

/** sched_start() - boot: enter the scheduler on this pCPU (from its idle vCPU). */
void sched_start(void) __attribute__((noreturn));

/* Arch hooks. */
/** nr_pcpus() - pCPUs the scheduler runs on, 0 .. nr_pcpus() - 1 (arch/arm64/smp.c). */
unsigned int nr_pcpus(void);
/** context_switch() - save @prev's guest state, load @next's (arch/arm64/context.c). */
void context_switch(struct vcpu *prev, struct vcpu *next);
/** arch_kick_pcpu() - make pCPU @cpu take an interrupt (leave a guest or WFI). */
void arch_kick_pcpu(unsigned int cpu);
/** arch_idle_wait() - wait for an interrupt on this pCPU and handle it (idle vCPU only). */
void arch_idle_wait(void);
/** arch_enter_guest() - return to @v on this pCPU (after a switch in the idle loop). */
void arch_enter_guest(struct vcpu *v) __attribute__((noreturn));
/** arch_vtimer_deadline() - counter tick @v's virtual timer fires at, TIMER_NEVER if off. */
uint64_t arch_vtimer_deadline(const struct vcpu *v);
#endif
