// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the vCPU scheduler (kestrel/sched.h): the core in common/sched.c, the
 * credit2 and null policies (common/sched_credit2.c, sched_null.c) and the per-pCPU
 * timers (common/timer.c), on the fake arch of tests/unit/fake (fake_arch.h): a fake
 * clock the tests advance, pCPUs the tests step one at a time, and recorded kicks,
 * context switches and timer programming.
 *
 * A "slice" below is what a pCPU does when its hypervisor timer fires: the clock moves
 * to the deadline last programmed on it, timer_run_expired() runs there, and, if that
 * asked for a reschedule, the pCPU reschedules on its way back to the guest. A vCPU
 * running alone has no slice timer: with nothing programmed, a slice is SLICE_TICKS of
 * uninterrupted running (it is charged at its pCPU's next reschedule).
 *
 * credit2 (1 ms slices): equal weights share one pCPU evenly; weight 512 gets twice the
 * time of 256; a blocked vCPU is never picked; a wake-up arriving between
 * vcpu_block_prepare() and vcpu_block() cancels the block; a pCPU idles exactly when
 * nothing is runnable there. A vCPU that blocks with nothing else to run stays loaded
 * while its pCPU idles (no switch, still is_running, sched_pcpu_idle(), charged up to
 * the block and not for the idle time, no wake timer but for a SCHEDOP_poll timeout: its
 * virtual timer is live) and its wake-up (its virtual timer interrupt, or another pCPU)
 * resumes it with no switch; a vCPU becoming runnable there switches it out, saved, its
 * wake timer armed from its virtual timer; a pCPU holding one counts as idle, is kicked
 * to steal waiting work, and does not hold a blocking vCPU while it could steal. The
 * slice timer runs only while others wait: none for a lone vCPU, a vCPU joining its
 * queue makes that pCPU reschedule (kicked from another) and arm one, a switch does not
 * re-arm it, running alone again stops it. Return-path requests: a local reschedule sets
 * need_resched and the loaded vCPU's exit_work.resched, a remote one need_resched and a
 * kick, exit_work only once the kick is taken (sched_kicked()); a yield with nothing
 * waiting asks for nothing. A wake-up whose pCPU is busy goes to an idle pCPU and kicks
 * it; an idle pCPU steals queued work, and a pCPU leaving work queued kicks an idle one;
 * yield lets the other vCPU run next, even with less credit, without starving the
 * yielder afterwards; power off/on (charged up to the power-off), vcpu_is_up() and the
 * domain shutdown when the last vCPU goes off; wake timers from the virtual timer (armed
 * at switch-out, firing at the deadline and not before); runstate times; two regressions
 * (an idle pCPU kicked by one that preempted its vCPU can take that vCPU at once; a
 * wake-up after missed credit resets preempts on its caught-up credit, with a slice
 * timer armed so that only the preemption test can reschedule); and random mixes of all
 * of it on 3 pCPUs, virtual timer interrupts of loaded vCPUs included, checking the
 * run-queue invariants (a blocked vCPU held only as its pCPU's curr), that a blocked
 * vCPU's virtual timer is never lost (live while held, else a wake timer), the slice
 * timer rule, and that no pCPU idles while a vCPU waits. null: the (pCPUs + 1)-th vCPU
 * is refused with -ENOSPC, vCPUs never leave their pCPU, no slice timer, a blocked vCPU
 * kept loaded even with work queued elsewhere, power-off of the last vCPU, and a random
 * mix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake/fake_arch.h"

#include <asm/pcpu.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <public/sched.h>
#include <public/xen.h>

#define SLICE_TICKS	62500ULL	/* credit2's default 1 ms at FAKE_COUNTER_FREQ */
#define SLICE_NS	1000000ULL
#define NS_PER_TICK	16ULL
#define ENTRY		0x40080000ULL

/* ---- Fixtures ---------------------------------------------------------------------- */

static struct domain *domains[4];
static unsigned int nr_domains;

/* A domain of @nr vCPUs (calloc), each given to the scheduler; @cpus, if set, places them. */
static struct domain *make_domain(uint16_t domid, unsigned int nr, const unsigned int *cpus)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_true(nr_domains < ARRAY_SIZE(domains));
	domains[nr_domains++] = d;
	d->domain_id = domid;
	d->max_vcpus = nr;
	for (unsigned int i = 0; i < nr; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));

		assert_non_null(v);
		v->domain = d;
		v->vcpu_id = i;
		d->vcpu[i] = v;
		assert_int_equal(sched_insert_vcpu(v), 0);
		assert_int_equal(v->sched.state, RUNSTATE_offline);
		if (cpus)
			v->processor = cpus[i];	/* credit2's counts persist across tests */
	}
	return d;
}

static void free_domains(void)
{
	for (unsigned int i = 0; i < nr_domains; i++) {
		for (unsigned int j = 0; j < CONFIG_MAX_VCPUS; j++)
			free(domains[i]->vcpu[j]);
		free(domains[i]);
	}
	nr_domains = 0;
}

static void start(struct vcpu *v)
{
	assert_true(vcpu_power_on(v, true, ENTRY, v->vcpu_id));
	assert_int_equal(v->sched.state, RUNSTATE_runnable);
}

/*
 * One slice of pCPU @cpu (see the header comment). Return: the vCPU it runs after. With
 * nothing programmed (a vCPU running alone has no slice timer), the pCPU just runs on
 * for SLICE_TICKS, uninterrupted, which is only right when nothing waits on its queue.
 */
static struct vcpu *run_slice(unsigned int cpu)
{
	uint64_t due = fake_pcpu[cpu].programmed;

	if (due == TIMER_NEVER) {
		assert_null(pcpu_get(cpu)->rq.head);	/* it would wait for ever */
		assert_false(timer_is_set(&pcpu_get(cpu)->rq.slice_timer));
		fake_now += SLICE_TICKS;
		return pcpu_get(cpu)->curr;
	}
	assert_true(due >= fake_now);
	fake_now = due;
	fake_timer_irq(cpu);
	if (pcpu_get(cpu)->need_resched)
		return fake_schedule(cpu);
	return pcpu_get(cpu)->curr;
}

/* vcpu_power_off() for fake_catch_shutdown(). */
static void power_off_cb(void *arg)
{
	assert_true(vcpu_power_off(arg));
}

static void power_off_cb_quiet(void *arg)
{
	vcpu_power_off(arg);
}

/* A fake_kick_hook: the kicked pCPU takes the kick at once, in the middle of the kicker's step. */
static void schedule_on_kick(unsigned int cpu)
{
	fake_kick_hook = NULL;
	fake_schedule(cpu);
}

/* Is @v on pCPU @cpu's run queue? */
static bool queued_on(const struct vcpu *v, unsigned int cpu)
{
	for (const struct vcpu *q = pcpu_get(cpu)->rq.head; q; q = q->sched.rq_next)
		if (q == v)
			return true;
	return false;
}

static void assert_within(uint64_t val, uint64_t expect, unsigned int pct)
{
	uint64_t tol = expect * pct / 100;

	if (val + tol < expect || val > expect + tol)
		fail_msg("%llu is not within %u%% of %llu", (unsigned long long)val, pct,
			 (unsigned long long)expect);
}

static int setup_credit2(void **state)
{
	sched_init("sched=credit2");
	assert_string_equal(sched_policy_name(), "credit2");
	return 0;
}

static int teardown(void **state)
{
	free_domains();
	return 0;
}

/* ---- credit2: shares ----------------------------------------------------------------- */

/* 3 vCPUs of equal weight on 1 pCPU, 300 slices: 100 ms each, within 10%. */
static void test_credit2_equal_share(void **state)
{
	struct domain *d;
	uint64_t total = 0;

	fake_arch_reset(1);
	d = make_domain(1, 3, NULL);
	for (unsigned int i = 0; i < 3; i++)
		start(d->vcpu[i]);
	assert_false(is_idle_vcpu(fake_schedule(0)));
	for (unsigned int n = 0; n < 300; n++) {
		/* Each slice is armed for exactly one slice from its start. */
		assert_int_equal(fake_pcpu[0].programmed, fake_now + SLICE_TICKS);
		assert_false(is_idle_vcpu(run_slice(0)));
	}
	for (unsigned int i = 0; i < 3; i++)
		total += d->vcpu[i]->sched.runtime_ns;
	assert_int_equal(total, 300 * SLICE_NS);
	for (unsigned int i = 0; i < 3; i++)
		assert_within(d->vcpu[i]->sched.runtime_ns, total / 3, 10);
	print_message("equal weights: %llu / %llu / %llu us\n",
		      (unsigned long long)d->vcpu[0]->sched.runtime_ns / 1000,
		      (unsigned long long)d->vcpu[1]->sched.runtime_ns / 1000,
		      (unsigned long long)d->vcpu[2]->sched.runtime_ns / 1000);
}

/* Weight 512 against 256 on 1 pCPU, 300 slices: 200 ms and 100 ms, within 10%. */
static void test_credit2_weight(void **state)
{
	struct domain *d;
	struct vcpu *heavy, *light;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	heavy = d->vcpu[0];
	light = d->vcpu[1];
	heavy->sched.weight = 512;
	start(light);
	start(heavy);
	fake_schedule(0);
	for (unsigned int n = 0; n < 300; n++)
		run_slice(0);
	assert_int_equal(heavy->sched.runtime_ns + light->sched.runtime_ns, 300 * SLICE_NS);
	assert_within(heavy->sched.runtime_ns, 200 * SLICE_NS, 10);
	assert_within(light->sched.runtime_ns, 100 * SLICE_NS, 10);
	print_message("weight 512 vs 256: %llu / %llu us\n",
		      (unsigned long long)heavy->sched.runtime_ns / 1000,
		      (unsigned long long)light->sched.runtime_ns / 1000);
}

/* Three weights, 512 / 256 / 256: half, a quarter, a quarter. */
static void test_credit2_three_weights(void **state)
{
	struct domain *d;

	fake_arch_reset(1);
	d = make_domain(1, 3, NULL);
	d->vcpu[0]->sched.weight = 512;
	for (unsigned int i = 0; i < 3; i++)
		start(d->vcpu[i]);
	fake_schedule(0);
	for (unsigned int n = 0; n < 400; n++)
		run_slice(0);
	assert_within(d->vcpu[0]->sched.runtime_ns, 200 * SLICE_NS, 10);
	assert_within(d->vcpu[1]->sched.runtime_ns, 100 * SLICE_NS, 10);
	assert_within(d->vcpu[2]->sched.runtime_ns, 100 * SLICE_NS, 10);
}

/* ---- credit2: blocking, idle --------------------------------------------------------- */

/* A vCPU blocked while it runs is never picked again until woken; then it runs soon. */
static void test_credit2_blocked_never_picked(void **state)
{
	struct domain *d;
	struct vcpu *b;
	uint64_t ran;
	unsigned int n;

	fake_arch_reset(1);
	d = make_domain(1, 3, NULL);
	b = d->vcpu[1];
	for (unsigned int i = 0; i < 3; i++)
		start(d->vcpu[i]);
	fake_schedule(0);
	for (n = 0; pcpu_get(0)->curr != b; n++) {
		assert_true(n < 10);
		run_slice(0);
	}
	fake_now += SLICE_TICKS / 2;	/* it blocks half-way through a slice */
	vcpu_block_prepare(b);
	vcpu_block(b);
	assert_int_equal(b->sched.state, RUNSTATE_blocked);
	assert_true(pcpu_get(0)->need_resched);
	assert_ptr_not_equal(fake_schedule(0), b);
	assert_false(b->sched.is_running);
	assert_false(b->sched.on_rq);
	ran = b->sched.runtime_ns;
	for (n = 0; n < 100; n++) {
		struct vcpu *v = run_slice(0);

		assert_ptr_not_equal(v, b);
		assert_false(is_idle_vcpu(v));
		assert_ptr_not_equal(fake_pcpu[0].next, b);
	}
	assert_int_equal(b->sched.runtime_ns, ran);
	assert_int_equal(b->sched.state, RUNSTATE_blocked);

	vcpu_unblock(b);
	assert_int_equal(b->sched.state, RUNSTATE_runnable);
	assert_true(queued_on(b, 0));
	/* It holds the most credit: it preempts at once or runs at the next slice. */
	if (pcpu_get(0)->need_resched)
		assert_ptr_equal(fake_schedule(0), b);
	else
		assert_ptr_equal(run_slice(0), b);
}

/* A wake-up between vcpu_block_prepare() and vcpu_block() makes the block a no-op. */
static void test_credit2_wake_before_block(void **state)
{
	struct domain *d;
	struct vcpu *a;

	fake_arch_reset(1);
	d = make_domain(1, 1, NULL);
	a = d->vcpu[0];
	start(a);
	assert_ptr_equal(fake_schedule(0), a);
	vcpu_block_prepare(a);
	vcpu_unblock(a);	/* the event arrives while it checks for work */
	assert_int_equal(a->sched.state, RUNSTATE_running);
	vcpu_block(a);
	assert_int_equal(a->sched.state, RUNSTATE_running);
	assert_false(pcpu_get(0)->need_resched);
	/* Without a wake-up, the next block does block. */
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
}

/*
 * A pCPU idles (sched_pcpu_idle(), arch_idle_wait()) exactly when no vCPU is runnable
 * there: on its idle vCPU when it never ran one, else holding the blocked one.
 */
static void test_credit2_idle_only_when_nothing_runnable(void **state)
{
	struct domain *d;
	struct vcpu *a;

	fake_arch_reset(2);
	assert_true(is_idle_vcpu(fake_schedule(0)));	/* nothing at all */
	assert_true(sched_pcpu_idle(0));
	assert_int_equal(fake_pcpu[0].idle_waits, 1);
	d = make_domain(1, 1, (const unsigned int[]){ 0 });
	a = d->vcpu[0];
	start(a);
	assert_true(pcpu_get(0)->need_resched);	/* its pCPU idles: woken on the spot */
	assert_ptr_equal(fake_schedule(0), a);
	assert_false(sched_pcpu_idle(0));
	assert_int_equal(fake_pcpu[0].resets, 1);	/* started afresh at its entry point */
	assert_int_equal(a->regs.pc, ENTRY);
	for (unsigned int n = 0; n < 50; n++)
		assert_ptr_equal(run_slice(0), a);
	assert_ptr_equal(fake_schedule(0), a);	/* a reschedule keeps it, and charges it */
	assert_int_equal(a->sched.runtime_ns, 50 * SLICE_NS);
	assert_int_equal(fake_pcpu[0].idle_waits, 1);
	assert_int_equal(fake_pcpu[0].switches, 1);
	/* The other pCPU has nothing it may take: a running vCPU is not stolen. */
	assert_true(is_idle_vcpu(fake_schedule(1)));
	assert_int_equal(a->processor, 0);

	/* Blocked: the pCPU idles, still holding it (no switch to the idle vCPU). */
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
	assert_true(sched_pcpu_idle(0));
	assert_int_equal(fake_pcpu[0].idle_waits, 2);
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_false(timer_is_set(&pcpu_get(0)->rq.slice_timer));	/* nothing runs: no slice */

	fake_cpu = 1;
	vcpu_unblock(a);	/* nobody waits on pCPU 0: a runs again there, no queue, no pick */
	assert_int_equal(a->sched.state, RUNSTATE_running);
	assert_false(queued_on(a, 0));
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(fake_pcpu[0].kicks, 1);
	assert_ptr_equal(fake_schedule(0), a);
	assert_false(sched_pcpu_idle(0));
	assert_int_equal(fake_pcpu[0].idle_waits, 2);

	/* Offline, it is no longer held: the idle vCPU runs. */
	fake_cpu = 0;
	assert_true(fake_catch_shutdown(power_off_cb, a));	/* the domain's last vCPU */
	assert_true(is_idle_vcpu(fake_schedule(0)));
	assert_true(sched_pcpu_idle(0));
	assert_ptr_equal(fake_pcpu[0].prev, a);
	assert_int_equal(fake_pcpu[0].switches, 2);
	assert_false(a->sched.is_running);
}

/* ---- credit2: a blocked vCPU kept loaded ------------------------------------------------ */

/*
 * A vCPU that blocks with nothing else runnable stays loaded while its pCPU idles: no
 * switch, still is_running, no wake timer for its virtual timer (live in the hardware),
 * not charged for the idle time; its wake-up, from its own virtual timer interrupt or
 * from another pCPU, resumes it there with no switch either. A SCHEDOP_poll timeout is
 * the one thing that needs a wake timer meanwhile.
 */
static void test_credit2_block_keeps_loaded(void **state)
{
	struct domain *d;
	struct vcpu *a;
	uint64_t deadline, poll;

	fake_arch_reset(2);
	d = make_domain(1, 1, (const unsigned int[]){ 0 });
	a = d->vcpu[0];
	start(a);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(fake_pcpu[0].switches, 1);	/* from the idle vCPU, with the reset */
	fake_now = 3 * SLICE_TICKS;
	deadline = fake_now + 2 * SLICE_TICKS;
	fake_vtimer_set(a, deadline);
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_true(pcpu_get(0)->need_resched);
	assert_int_equal(a->exit_work.resched, 1);
	a->exit_work.resched = 0;	/* as its return path, guest_leave_slow() */

	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
	assert_true(a->sched.is_running);
	assert_false(a->sched.on_rq);
	assert_true(sched_pcpu_idle(0));
	assert_true(vcpu_is_up(a));
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_int_equal(fake_pcpu[0].idle_waits, 1);
	assert_int_equal(fake_pcpu[0].entries, 0);
	assert_false(timer_is_set(&a->sched.wake_timer));
	assert_false(timer_is_set(&pcpu_get(0)->rq.slice_timer));
	assert_int_equal(fake_pcpu[0].programmed, TIMER_NEVER);
	assert_int_equal(a->sched.runtime_ns, 3 * SLICE_NS);	/* charged up to the block */
	assert_int_equal(a->runstate.time[RUNSTATE_running], 3 * SLICE_NS);

	/* Another look while it is blocked (a stray kick) keeps it so, uncharged. */
	fake_now += SLICE_TICKS;
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_int_equal(fake_pcpu[0].idle_waits, 2);
	assert_int_equal(a->sched.runtime_ns, 3 * SLICE_NS);
	assert_true(is_idle_vcpu(fake_schedule(1)));	/* nothing for the other pCPU to take */

	/* Its virtual timer interrupt wakes it; it resumes with no switch. */
	assert_false(fake_vtimer_irq(0));	/* not due yet */
	fake_now = deadline;
	assert_true(fake_vtimer_irq(0));
	assert_int_equal(a->sched.state, RUNSTATE_running);	/* at once: nobody waits */
	assert_false(queued_on(a, 0));
	assert_false(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->sched.state, RUNSTATE_running);
	assert_false(a->sched.on_rq);
	assert_false(sched_pcpu_idle(0));
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_int_equal(fake_pcpu[0].resets, 1);
	assert_int_equal(a->runstate.time[RUNSTATE_blocked], 2 * SLICE_NS);
	assert_int_equal(a->runstate.time[RUNSTATE_runnable], 0);
	fake_now += SLICE_TICKS;
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->sched.runtime_ns, 4 * SLICE_NS);	/* the idle time was not charged */

	/*
	 * Woken from another pCPU, idle as it is: it stays on the pCPU that holds its state,
	 * which is kicked; it resumes there with no switch.
	 */
	fake_vtimer_set(a, TIMER_NEVER);
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), a);
	fake_cpu = 1;
	vcpu_kick(a);
	assert_int_equal(a->processor, 0);
	assert_int_equal(a->sched.state, RUNSTATE_running);
	assert_false(queued_on(a, 0));
	assert_int_equal(fake_pcpu[0].kicks, 1);
	assert_false(pcpu_get(1)->need_resched);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_true(is_idle_vcpu(pcpu_get(1)->curr));

	/* SCHEDOP_poll with a timeout: kept loaded, with a wake timer for the timeout only. */
	fake_cpu = 0;
	poll = fake_now + SLICE_TICKS;
	fake_vtimer_set(a, poll + 5 * SLICE_TICKS);
	a->sched.poll_deadline = poll;
	a->sched.polling = true;
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->sched.wake_timer.cpu, 0);
	assert_int_equal(a->sched.wake_timer.deadline, poll);
	assert_int_equal(fake_pcpu[0].programmed, poll);
	fake_now = poll;
	fake_timer_irq(0);
	assert_int_equal(a->sched.state, RUNSTATE_running);	/* nobody waits: at once */
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(fake_pcpu[0].switches, 1);
	assert_false(a->sched.polling);
	assert_int_equal(a->sched.poll_deadline, TIMER_NEVER);
	assert_false(timer_is_set(&a->sched.wake_timer));
}

/*
 * A blocked vCPU kept loaded is switched out once another vCPU becomes runnable on its
 * pCPU: saved then (the switch's prev, is_running cleared), its wake timer armed at that
 * switch from its virtual timer's deadline; that timer then wakes it as usual.
 */
static void test_credit2_held_vcpu_switched_out(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;
	uint64_t deadline;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	assert_ptr_equal(fake_schedule(0), a);
	fake_now = SLICE_TICKS;
	deadline = fake_now + 4 * SLICE_TICKS;
	fake_vtimer_set(a, deadline);
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), a);
	assert_false(timer_is_set(&a->sched.wake_timer));
	assert_int_equal(fake_pcpu[0].switches, 1);

	fake_now += SLICE_TICKS / 2;
	start(b);
	assert_true(pcpu_get(0)->need_resched);	/* the pCPU idles: b is picked up at once */
	assert_ptr_equal(fake_schedule(0), b);
	assert_int_equal(fake_pcpu[0].switches, 2);
	assert_ptr_equal(fake_pcpu[0].prev, a);
	assert_ptr_equal(fake_pcpu[0].next, b);
	assert_false(a->sched.is_running);
	assert_false(a->sched.on_rq);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
	assert_true(vcpu_is_up(a));
	assert_false(sched_pcpu_idle(0));
	assert_int_equal(a->sched.wake_timer.cpu, 0);
	assert_int_equal(a->sched.wake_timer.deadline, deadline);
	assert_int_equal(fake_pcpu[0].programmed, deadline);	/* b alone: no slice timer */
	assert_int_equal(a->sched.runtime_ns, SLICE_NS);

	/* The wake timer wakes it: b ran 3.5 ms, so a (9 ms of credit left) runs. */
	fake_now = deadline;
	fake_timer_irq(0);
	assert_int_equal(a->sched.state, RUNSTATE_runnable);
	assert_true(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(0), a);
	assert_ptr_equal(fake_pcpu[0].prev, b);
	assert_false(timer_is_set(&a->sched.wake_timer));
	assert_int_equal(b->sched.runtime_ns, 3 * SLICE_NS + SLICE_NS / 2);
	assert_int_equal(fake_pcpu[0].programmed, fake_now + SLICE_TICKS);	/* b waits */
}

/*
 * A pCPU holding a blocked vCPU counts as idle for the others: one that leaves a vCPU
 * waiting kicks it, and it steals that vCPU, switching the held one out (wake timer
 * armed). While it may steal, a blocking vCPU is not kept loaded at all.
 */
static void test_credit2_held_pcpu_steals(void **state)
{
	struct domain *d;
	struct vcpu *a, *b, *h;
	uint64_t deadline;

	fake_arch_reset(2);
	d = make_domain(1, 3, (const unsigned int[]){ 0, 0, 1 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	h = d->vcpu[2];
	fake_cpu = 1;
	start(h);
	assert_ptr_equal(fake_schedule(1), h);
	deadline = fake_now + 20 * SLICE_TICKS;
	fake_vtimer_set(h, deadline);
	vcpu_block_prepare(h);
	vcpu_block(h);
	assert_ptr_equal(fake_schedule(1), h);	/* kept loaded: pCPU1 idles */

	/* a and b both on pCPU0 (pCPU1 kept out of placement for the setup). */
	pcpu_get(1)->online = false;
	fake_cpu = 0;
	start(a);
	start(b);
	assert_ptr_equal(fake_schedule(0), a);
	assert_true(queued_on(b, 0));
	pcpu_get(1)->online = true;
	assert_int_equal(fake_pcpu[1].kicks, 0);

	/* a's slice ends: b runs, a waits; pCPU1, kicked, takes a at once. */
	fake_kick_hook = schedule_on_kick;
	assert_ptr_equal(run_slice(0), b);
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_ptr_equal(pcpu_get(1)->curr, a);
	assert_int_equal(a->processor, 1);
	assert_ptr_equal(fake_pcpu[1].prev, h);
	assert_false(h->sched.is_running);
	assert_int_equal(h->sched.wake_timer.cpu, 1);
	assert_int_equal(h->sched.wake_timer.deadline, deadline);

	/* A vCPU waits on pCPU1's queue: b, blocking, is not kept loaded; pCPU0 steals. */
	fake_cpu = 1;
	vcpu_unblock(h);
	assert_int_equal(h->processor, 1);	/* no pCPU idles */
	assert_true(pcpu_get(1)->need_resched);	/* a ran alone there: no slice timer */
	assert_ptr_equal(fake_schedule(1), h);	/* 10 ms of credit against a's 9 */
	assert_true(queued_on(a, 1));
	assert_false(a->sched.is_running);
	fake_cpu = 0;
	vcpu_block_prepare(b);
	vcpu_block(b);
	assert_ptr_equal(fake_schedule(0), a);
	assert_ptr_equal(fake_pcpu[0].prev, b);
	assert_false(b->sched.is_running);
	assert_int_equal(a->processor, 0);
	assert_false(queued_on(a, 1));
}

/* ---- credit2: the slice timer ------------------------------------------------------------ */

/*
 * The slice timer runs only while others wait: a vCPU running alone has nothing
 * programmed and is never interrupted; a vCPU joining its queue makes that pCPU
 * reschedule (a kick, from another pCPU), which arms one. A switch while it is armed does
 * not re-arm it (the next vCPU's turn starts short); its expiry does; running alone
 * again stops it.
 */
static void test_credit2_slice_timer_only_while_others_wait(void **state)
{
	struct domain *d;
	struct vcpu *a, *b, *c, *x;
	uint64_t slice_end;
	unsigned int programs;

	fake_arch_reset(2);
	d = make_domain(1, 4, (const unsigned int[]){ 0, 0, 0, 1 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	c = d->vcpu[2];
	x = d->vcpu[3];
	start(a);
	assert_ptr_equal(fake_schedule(0), a);
	start(x);
	assert_int_equal(x->processor, 1);
	assert_ptr_equal(fake_schedule(1), x);
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		assert_false(timer_is_set(&pcpu_get(cpu)->rq.slice_timer));
		assert_int_equal(fake_pcpu[cpu].programmed, TIMER_NEVER);
	}
	fake_now += 10 * SLICE_TICKS;
	fake_timer_irq(0);
	assert_false(pcpu_get(0)->need_resched);
	assert_ptr_equal(pcpu_get(0)->curr, a);

	/* b joins pCPU0's queue from pCPU1: no preemption, but pCPU0 must arm a slice. */
	fake_cpu = 1;
	start(b);
	assert_int_equal(b->processor, 0);	/* no pCPU idles */
	assert_true(pcpu_get(0)->need_resched);
	assert_int_equal(fake_pcpu[0].kicks, 1);
	assert_int_equal(a->exit_work.resched, 0);	/* written by pCPU0 only, */
	fake_kick_irq(0);
	assert_int_equal(a->exit_work.resched, 1);	/* when it takes the kick */
	assert_ptr_equal(fake_schedule(0), b);	/* a used its 10 ms */
	slice_end = fake_now + SLICE_TICKS;
	assert_true(timer_is_set(&pcpu_get(0)->rq.slice_timer));
	assert_int_equal(pcpu_get(0)->rq.slice_timer.deadline, slice_end);
	assert_int_equal(fake_pcpu[0].programmed, slice_end);
	assert_int_equal(fake_pcpu[1].programmed, TIMER_NEVER);	/* x still alone */

	/* c joins while the slice timer runs: nothing to do. */
	fake_now += SLICE_TICKS / 4;
	fake_cpu = 0;
	start(c);
	assert_true(queued_on(c, 0));
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(fake_pcpu[0].kicks, 1);

	/* b blocks: c runs, a still waits; the slice timer is left as it was. */
	fake_now += SLICE_TICKS / 4;
	programs = fake_pcpu[0].nr_programs;
	vcpu_block_prepare(b);
	vcpu_block(b);
	assert_ptr_equal(fake_schedule(0), c);
	assert_true(queued_on(a, 0));
	assert_int_equal(pcpu_get(0)->rq.slice_timer.deadline, slice_end);
	assert_int_equal(fake_pcpu[0].nr_programs, programs);
	assert_int_equal(fake_pcpu[0].programmed, slice_end);

	/* Its expiry ends c's short turn, and re-arms it: a still waits. */
	assert_ptr_equal(run_slice(0), c);	/* c: 9.5 ms of credit, a none */
	assert_int_equal(c->sched.runtime_ns, SLICE_NS / 2);
	assert_int_equal(fake_pcpu[0].programmed, fake_now + SLICE_TICKS);

	/* c blocks: a runs alone (after a reset), and the slice timer is stopped. */
	vcpu_block_prepare(c);
	vcpu_block(c);
	assert_ptr_equal(fake_schedule(0), a);
	assert_false(timer_is_set(&pcpu_get(0)->rq.slice_timer));
	fake_now = fake_pcpu[0].programmed;	/* left armed early: finds nothing */
	fake_timer_irq(0);
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(fake_pcpu[0].programmed, TIMER_NEVER);
	assert_ptr_equal(run_slice(0), a);
}

/*
 * Return-path requests: a reschedule this pCPU asks for itself raises need_resched and
 * the loaded vCPU's exit_work.resched (not the idle vCPU's); one for another pCPU raises
 * that pCPU's need_resched and kicks it, and its exit_work only once it takes the kick.
 * A kick without a request (an interrupt for a running vCPU) reschedules nothing, and a
 * yield with nothing waiting asks for nothing.
 */
static void test_credit2_resched_requests(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;

	fake_arch_reset(2);
	d = make_domain(1, 2, (const unsigned int[]){ 0, 1 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	assert_true(pcpu_get(0)->need_resched);	/* local, on an idle pCPU: */
	assert_int_equal(fake_idle_vcpu[0].exit_work.resched, 0);	/* no exit work for idle */
	assert_int_equal(fake_pcpu[0].kicks, 0);
	assert_ptr_equal(fake_schedule(0), a);

	vcpu_yield(a);	/* nothing waits */
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(a->exit_work.resched, 0);

	fake_cpu = 1;
	vcpu_kick(a);	/* running elsewhere: a kick, for its interrupts only */
	assert_int_equal(fake_pcpu[0].kicks, 1);
	assert_true(a->sched.wake_pending);
	fake_kick_irq(0);
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(a->exit_work.resched, 0);

	start(b);	/* from pCPU1 onto idle pCPU1: local */
	assert_int_equal(b->processor, 1);
	assert_true(pcpu_get(1)->need_resched);
	assert_int_equal(fake_pcpu[1].kicks, 0);
	assert_ptr_equal(fake_schedule(1), b);

	/* Local, with a vCPU loaded: both. */
	fake_cpu = 0;
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_true(pcpu_get(0)->need_resched);
	assert_int_equal(a->exit_work.resched, 1);
	a->exit_work.resched = 0;
	assert_ptr_equal(fake_schedule(0), a);	/* kept loaded */

	/* Remote: from pCPU0, power b off. */
	assert_false(fake_catch_shutdown(power_off_cb, b));
	assert_true(pcpu_get(1)->need_resched);
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_int_equal(b->exit_work.resched, 0);
	fake_kick_irq(1);
	assert_int_equal(b->exit_work.resched, 1);
	assert_true(is_idle_vcpu(fake_schedule(1)));
}

/* ---- credit2: placement, stealing ------------------------------------------------------ */

/*
 * pCPU0 runs A, pCPU1 idles, pCPU2 runs C. B last ran on pCPU0 and is blocked. C's pCPU
 * wakes B: B goes to pCPU1's queue, pCPU1 (only) is kicked, and picks B.
 */
static void test_credit2_wake_goes_to_idle_pcpu(void **state)
{
	struct domain *d;
	struct vcpu *a, *b, *c;

	fake_arch_reset(3);
	d = make_domain(1, 3, (const unsigned int[]){ 0, 0, 2 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	c = d->vcpu[2];
	start(b);
	assert_ptr_equal(fake_schedule(0), b);
	vcpu_block_prepare(b);
	vcpu_block(b);
	assert_ptr_equal(fake_schedule(0), b);	/* kept loaded: pCPU0 idles holding it */
	assert_true(sched_pcpu_idle(0));
	start(a);	/* pCPU0 counts as idle: a stays there, and b is switched out */
	assert_int_equal(a->processor, 0);
	assert_ptr_equal(fake_schedule(0), a);
	assert_ptr_equal(fake_pcpu[0].prev, b);
	assert_false(b->sched.is_running);
	fake_cpu = 2;
	start(c);
	assert_ptr_equal(fake_schedule(2), c);
	for (unsigned int cpu = 0; cpu < 3; cpu++) {
		fake_pcpu[cpu].kicks = 0;
		pcpu_get(cpu)->need_resched = false;
	}

	fake_cpu = 2;
	vcpu_unblock(b);
	assert_int_equal(b->sched.state, RUNSTATE_runnable);
	assert_int_equal(b->processor, 1);
	assert_true(queued_on(b, 1));
	assert_false(queued_on(b, 0));
	assert_true(pcpu_get(1)->need_resched);
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_int_equal(fake_pcpu[0].kicks, 0);
	assert_false(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(1), b);
	assert_ptr_equal(pcpu_get(0)->curr, a);
}

/* Two runnable vCPUs queued on pCPU0 while pCPU1 was offline: pCPU1 steals one. */
static void test_credit2_idle_pcpu_steals(void **state)
{
	struct domain *d;
	struct vcpu *x, *y;

	fake_arch_reset(2);
	pcpu_get(1)->online = false;
	d = make_domain(1, 2, (const unsigned int[]){ 0, 0 });
	x = d->vcpu[0];
	y = d->vcpu[1];
	start(x);
	start(y);
	assert_true(queued_on(x, 0) && queued_on(y, 0));
	pcpu_get(1)->online = true;	/* as sched_start() */

	assert_ptr_equal(fake_schedule(1), x);
	assert_int_equal(x->processor, 1);
	assert_false(queued_on(x, 0));
	assert_true(queued_on(y, 0));
	assert_ptr_equal(fake_schedule(0), y);
	assert_int_equal(y->processor, 0);
	/* Each keeps its own pCPU from then on, alone there: no slice timer, no switch. */
	for (unsigned int n = 0; n < 20; n++) {
		assert_ptr_equal(run_slice(0), y);
		assert_ptr_equal(run_slice(1), x);
	}
	/* A reschedule keeps each, and charges it up to now: both ran all the time. */
	assert_ptr_equal(fake_schedule(0), y);
	assert_ptr_equal(fake_schedule(1), x);
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		assert_int_equal(fake_pcpu[cpu].programmed, TIMER_NEVER);
		assert_int_equal(fake_pcpu[cpu].switches, 1);
	}
	assert_int_equal(x->sched.runtime_ns + y->sched.runtime_ns, 2 * fake_now * NS_PER_TICK);
}

/* A pCPU that leaves a vCPU waiting on its queue kicks an idle pCPU, which takes it. */
static void test_credit2_waiting_work_kicks_idle_pcpu(void **state)
{
	struct domain *d;
	struct vcpu *x, *y, *first;

	fake_arch_reset(2);
	pcpu_get(1)->online = false;
	d = make_domain(1, 2, (const unsigned int[]){ 0, 0 });
	x = d->vcpu[0];
	y = d->vcpu[1];
	start(x);
	start(y);
	pcpu_get(1)->online = true;
	first = fake_schedule(0);
	assert_false(is_idle_vcpu(first));
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_ptr_equal(fake_schedule(1), first == x ? y : x);
	assert_int_equal((first == x ? y : x)->processor, 1);
}

/*
 * Regression: a pCPU that preempts its vCPU and leaves it queued kicks an idle pCPU to
 * take it. The kick must come once the preempted vCPU's state is saved (is_running
 * clear): a pCPU answering at once would otherwise find nothing it may steal, go back to
 * waiting, and leave the vCPU queued behind the other for a whole slice.
 */
static void test_credit2_preempted_vcpu_stolen_on_kick(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;

	fake_arch_reset(2);
	pcpu_get(1)->online = false;
	d = make_domain(1, 2, (const unsigned int[]){ 0, 0 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	start(b);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(fake_pcpu[1].kicks, 0);
	pcpu_get(1)->online = true;	/* idle, and has not looked at the queues yet */

	fake_kick_hook = schedule_on_kick;
	assert_ptr_equal(run_slice(0), b);	/* a's slice ends: b has more credit */
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_ptr_equal(pcpu_get(1)->curr, a);
	assert_int_equal(a->processor, 1);
	assert_false(queued_on(a, 0));
}

/*
 * Regression: a vCPU woken after sleeping through its queue's credit resets preempts on
 * the credit it holds once caught up (full), not on the stale value from before it slept.
 * A third vCPU keeps the slice timer armed, so that only the preemption test can ask for
 * the reschedule (a pCPU running alone, without one, reschedules at any wake-up).
 */
static void test_credit2_wake_preempts_after_missed_resets(void **state)
{
	struct domain *d;
	struct vcpu *a, *b, *c, *curr;
	unsigned int n;

	fake_arch_reset(1);
	d = make_domain(1, 3, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	c = d->vcpu[2];
	start(a);
	start(b);
	start(c);
	assert_ptr_equal(fake_schedule(0), a);
	while (b->sched.runtime_ns < 9 * SLICE_NS || pcpu_get(0)->curr != b)
		run_slice(0);
	assert_int_equal(b->sched.credit, 1 * SLICE_NS);	/* 10 ms less 9 ms run */
	vcpu_block_prepare(b);
	vcpu_block(b);
	curr = fake_schedule(0);
	assert_true(curr == a || curr == c);
	/* a and c run out of credit (a reset) and run on until the running one holds 5 ms. */
	for (n = 0; pcpu_get(0)->rq.epoch == b->sched.epoch ||
		    curr->sched.credit > (int64_t)(5 * SLICE_NS); n++) {
		assert_true(n < 30);
		curr = run_slice(0);
	}
	assert_true(curr == a || curr == c);
	assert_int_equal(curr->sched.credit, 5 * SLICE_NS);
	assert_true(timer_is_set(&pcpu_get(0)->rq.slice_timer));
	assert_false(pcpu_get(0)->need_resched);
	fake_now += SLICE_TICKS / 2;

	vcpu_unblock(b);	/* caught up, b holds 10 ms against at most 5 */
	assert_true(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(0), b);
	assert_int_equal(b->sched.credit, 10 * SLICE_NS);
	assert_int_equal(curr->sched.credit, 4 * SLICE_NS + SLICE_NS / 2);
}

/* ---- credit2: yield -------------------------------------------------------------------- */

/*
 * After vcpu_yield() the other runnable vCPU runs next, even with less credit; alone,
 * yield returns at once and changes nothing (no reschedule asked).
 */
static void test_credit2_yield(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;
	uint64_t a0, b0;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(b);
	assert_ptr_equal(fake_schedule(0), b);
	fake_now += SLICE_TICKS / 2;
	vcpu_yield(b);	/* alone: nothing to yield to */
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(b->exit_work.resched, 0);
	assert_false(b->sched.yielded);

	/* a joins: b ran alone without a slice timer, so the pCPU reschedules (arming one). */
	start(a);
	assert_true(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(0), a);	/* 10 ms against b's 9.5 */
	assert_int_equal(b->sched.credit, 9 * SLICE_NS + SLICE_NS / 2);
	assert_true(timer_is_set(&pcpu_get(0)->rq.slice_timer));

	/* a yields at once, holding more credit than b: b runs next all the same. */
	assert_true(a->sched.credit > b->sched.credit);
	vcpu_yield(a);
	assert_true(pcpu_get(0)->need_resched);
	assert_int_equal(a->exit_work.resched, 1);
	assert_ptr_equal(fake_schedule(0), b);
	assert_ptr_equal(fake_pcpu[0].prev, a);
	assert_int_equal(a->sched.state, RUNSTATE_runnable);
	assert_true(a->sched.credit > b->sched.credit);
	assert_false(a->sched.yielded);	/* the yield was for that one pick */

	/* The yield was for that one decision: from then on they share the pCPU. */
	a0 = a->sched.runtime_ns;
	b0 = b->sched.runtime_ns;
	for (unsigned int n = 0; n < 100; n++)
		run_slice(0);
	print_message("after a yield: %llu / %llu us\n",
		      (unsigned long long)(a->sched.runtime_ns - a0) / 1000,
		      (unsigned long long)(b->sched.runtime_ns - b0) / 1000);
	assert_within(a->sched.runtime_ns - a0, 50 * SLICE_NS, 10);
	assert_within(b->sched.runtime_ns - b0, 50 * SLICE_NS, 10);
}

/* Three vCPUs: the yielder runs after the others, not never. */
static void test_credit2_yield_three(void **state)
{
	struct domain *d;
	struct vcpu *y, *next;
	unsigned int n;

	fake_arch_reset(1);
	d = make_domain(1, 3, NULL);
	for (unsigned int i = 0; i < 3; i++)
		start(d->vcpu[i]);
	y = fake_schedule(0);
	vcpu_yield(y);
	next = fake_schedule(0);
	assert_ptr_not_equal(next, y);
	assert_false(is_idle_vcpu(next));
	for (n = 1; pcpu_get(0)->curr != y; n++) {
		if (n > 3)
			fail_msg("the yielding vCPU has not run again after %u slices", n);
		run_slice(0);
	}
}

/* ---- credit2: power, shutdown ----------------------------------------------------------- */

static void test_credit2_power_off_on(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;

	fake_arch_reset(2);
	d = make_domain(3, 2, (const unsigned int[]){ 0, 0 });
	a = d->vcpu[0];
	b = d->vcpu[1];
	assert_false(vcpu_is_up(a));
	assert_false(vcpu_power_on(a, false, 0, 0));	/* never started: nothing to resume */
	assert_int_equal(a->sched.state, RUNSTATE_offline);
	assert_true(vcpu_power_on(a, true, ENTRY, 0x1234));
	assert_true(a->reset_pending && a->initialised);
	assert_true(vcpu_is_up(a));
	assert_false(vcpu_power_on(a, true, ENTRY, 0));	/* already on */
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->regs.x[0], 0x1234);
	assert_false(a->reset_pending);
	start(b);
	assert_ptr_equal(fake_schedule(1), b);

	/*
	 * Off while running on this pCPU: it switches away at once; up until saved; charged
	 * for the time it ran up to the power-off (do_schedule() charges only running ones).
	 */
	fake_now += SLICE_TICKS / 3;
	fake_cpu = 0;
	assert_false(fake_catch_shutdown(power_off_cb, a));	/* b is still up */
	assert_int_equal(a->sched.state, RUNSTATE_offline);
	assert_true(pcpu_get(0)->need_resched);
	assert_true(vcpu_is_up(a));	/* its pCPU still holds its state */
	fake_now += 100;
	assert_true(is_idle_vcpu(fake_schedule(0)));
	assert_int_equal(a->sched.runtime_ns, SLICE_TICKS / 3 * NS_PER_TICK);
	assert_int_equal(a->runstate.time[RUNSTATE_running], a->sched.runtime_ns);
	assert_false(a->sched.is_running);
	assert_false(vcpu_is_up(a));
	assert_false(vcpu_power_off(a));	/* already off */
	for (unsigned int n = 0; n < 5; n++)
		assert_ptr_equal(run_slice(1), b);

	/* Resume without a reset (VCPUOP_up): where it stopped. */
	a->regs.pc = 0x5000;
	assert_true(vcpu_power_on(a, false, 0, 0));
	assert_false(a->reset_pending);
	assert_ptr_equal(fake_schedule(0), a);
	assert_int_equal(a->regs.pc, 0x5000);

	/* Off from another pCPU: that pCPU is kicked. */
	fake_pcpu[1].kicks = 0;
	fake_cpu = 0;
	assert_false(fake_catch_shutdown(power_off_cb, b));
	assert_int_equal(fake_pcpu[1].kicks, 1);
	assert_true(pcpu_get(1)->need_resched);
	assert_true(is_idle_vcpu(fake_schedule(1)));
	assert_int_equal(fake_shutdown.count, 0);

	/* The last one: the domain is shut down (poweroff). */
	fake_cpu = 0;
	assert_true(fake_catch_shutdown(power_off_cb, a));
	assert_int_equal(fake_shutdown.count, 1);
	assert_ptr_equal(fake_shutdown.domain, d);
	assert_int_equal(fake_shutdown.reason, SHUTDOWN_poweroff);
	assert_int_equal(a->sched.state, RUNSTATE_offline);
}

/* Powering off a vCPU that waits on a queue takes it off the queue. */
static void test_credit2_power_off_queued(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	start(b);
	assert_ptr_equal(fake_schedule(0), a);
	assert_true(queued_on(b, 0));
	assert_false(fake_catch_shutdown(power_off_cb, b));
	assert_false(queued_on(b, 0));
	assert_false(vcpu_is_up(b));
	for (unsigned int n = 0; n < 10; n++)
		assert_ptr_equal(run_slice(0), a);
}

/* ---- credit2: wake timers ---------------------------------------------------------------- */

/*
 * A vCPU blocking with its virtual timer armed gets no wake timer while its pCPU keeps it
 * loaded (the timer is live in the hardware); once switched out it gets one for that
 * deadline, on its pCPU, and is woken when the clock reaches it, not a tick before.
 */
static void test_credit2_wake_timer(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;
	uint64_t deadline, slice_end;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	assert_ptr_equal(fake_schedule(0), a);
	fake_now = 1000;
	deadline = fake_now + 5 * SLICE_TICKS + 7;
	fake_vtimer_set(a, deadline);
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_false(timer_is_set(&a->sched.wake_timer));
	assert_ptr_equal(fake_schedule(0), a);	/* kept loaded */
	assert_false(timer_is_set(&a->sched.wake_timer));
	assert_int_equal(fake_pcpu[0].programmed, TIMER_NEVER);

	/* b arrives: a is switched out, and only now gets its wake timer. */
	fake_now += 10;
	start(b);
	assert_ptr_equal(fake_schedule(0), b);
	assert_ptr_equal(fake_pcpu[0].prev, a);
	assert_int_equal(a->sched.wake_timer.cpu, 0);
	assert_int_equal(a->sched.wake_timer.deadline, deadline);
	assert_int_equal(fake_pcpu[0].programmed, deadline);	/* b alone: nothing else on pCPU0 */

	/* Spurious and early interrupts leave it blocked. */
	fake_now = deadline - 1;
	fake_timer_irq(0);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
	assert_false(pcpu_get(0)->need_resched);
	assert_int_equal(fake_pcpu[0].programmed, deadline);

	fake_now = deadline;
	fake_timer_irq(0);
	assert_int_equal(a->sched.state, RUNSTATE_runnable);
	assert_true(pcpu_get(0)->need_resched);
	assert_ptr_equal(fake_schedule(0), a);	/* b ran 5 slices: a holds more credit */
	assert_false(timer_is_set(&a->sched.wake_timer));
	slice_end = fake_now + SLICE_TICKS;	/* b waits now: a slice */
	assert_int_equal(fake_pcpu[0].programmed, slice_end);

	/* With the virtual timer off (or masked), being switched out arms no wake timer. */
	fake_now += SLICE_TICKS / 2;
	fake_vtimer_set(a, TIMER_NEVER);
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), b);
	assert_ptr_equal(fake_pcpu[0].prev, a);
	assert_false(timer_is_set(&a->sched.wake_timer));
	/* b alone: the slice timer is stopped, the hardware left armed early: that IRQ finds nothing. */
	assert_false(timer_is_set(&pcpu_get(0)->rq.slice_timer));
	assert_int_equal(fake_pcpu[0].programmed, slice_end);
	fake_now = slice_end;
	fake_timer_irq(0);
	assert_int_equal(fake_pcpu[0].programmed, TIMER_NEVER);
	assert_int_equal(a->sched.state, RUNSTATE_blocked);
	assert_false(pcpu_get(0)->need_resched);
	fake_vtimer_set(a, fake_now + 10);
	a->arch.cntv_ctl |= 2;	/* IMASK */
	assert_int_equal(arch_vtimer_deadline(a), TIMER_NEVER);
}

/* The same while another vCPU keeps the pCPU busy; SCHEDOP_poll's timeout counts too. */
static void test_credit2_wake_timer_busy_pcpu(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;
	uint64_t deadline;
	unsigned int n;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	start(a);
	start(b);
	assert_ptr_equal(fake_schedule(0), a);
	deadline = fake_now + 3 * SLICE_TICKS + SLICE_TICKS / 2;
	fake_vtimer_set(a, deadline + 100 * SLICE_TICKS);
	a->sched.poll_deadline = deadline;	/* as SCHEDOP_poll with a timeout */
	a->sched.polling = true;
	vcpu_block_prepare(a);
	vcpu_block(a);
	assert_ptr_equal(fake_schedule(0), b);
	assert_int_equal(a->sched.wake_timer.deadline, deadline);	/* the sooner of the two */
	for (n = 0; a->sched.state == RUNSTATE_blocked; n++) {
		assert_true(n < 10);
		assert_true(fake_now < deadline);
		/* b's slice timer, then a's wake timer, due mid-slice: the sooner is programmed. */
		assert_true(fake_pcpu[0].programmed <= deadline);
		fake_now = fake_pcpu[0].programmed;
		fake_timer_irq(0);
		if (pcpu_get(0)->need_resched)
			fake_schedule(0);
	}
	assert_int_equal(fake_now, deadline);
	assert_true(queued_on(a, 0) || pcpu_get(0)->curr == a);
	for (n = 0; pcpu_get(0)->curr != a; n++) {
		assert_true(n < 3);
		run_slice(0);
	}
	assert_false(a->sched.polling);
	assert_int_equal(a->sched.poll_deadline, TIMER_NEVER);
}

/* ---- credit2: runstate ------------------------------------------------------------------ */

static uint64_t runstate_sum(const struct vcpu *v)
{
	uint64_t sum = 0;

	for (unsigned int s = 0; s < 4; s++)
		sum += v->runstate.time[s];
	return sum;
}

/*
 * Two vCPUs on one pCPU from t = 0: 20 shared slices, then B blocks for 10 slices and is
 * woken. Each runstate.time[] entry is the time spent in that state, and they add up to
 * the elapsed time (less the state still open).
 */
static void test_credit2_runstate(void **state)
{
	struct domain *d;
	struct vcpu *a, *b;
	uint64_t blocked_at, now_ns;

	fake_arch_reset(1);
	d = make_domain(1, 2, NULL);
	a = d->vcpu[0];
	b = d->vcpu[1];
	fake_now = 10 * SLICE_TICKS;	/* both stay offline for 10 ms */
	start(a);
	start(b);
	fake_schedule(0);
	for (unsigned int n = 0; n < 20; n++)
		run_slice(0);
	while (pcpu_get(0)->curr != b)
		run_slice(0);
	fake_now += SLICE_TICKS / 4;
	vcpu_block_prepare(b);
	vcpu_block(b);
	blocked_at = fake_now;
	assert_ptr_equal(fake_schedule(0), a);
	for (unsigned int n = 0; n < 10; n++)
		assert_ptr_equal(run_slice(0), a);
	fake_now += 12345;
	vcpu_unblock(b);
	assert_int_equal(b->runstate.time[RUNSTATE_blocked], (fake_now - blocked_at) * NS_PER_TICK);
	fake_schedule(0);	/* charge both up to now */

	now_ns = fake_now * NS_PER_TICK;
	for (unsigned int i = 0; i < 2; i++) {
		const struct vcpu *v = d->vcpu[i];

		assert_int_equal(v->runstate.state, v->sched.state);
		assert_int_equal(v->runstate.state_entry_time, now_ns);	/* both just switched */
		assert_int_equal(runstate_sum(v), now_ns);
		assert_int_equal(v->runstate.time[RUNSTATE_offline], 10 * SLICE_NS);
		/* Running time is what the scheduler charged. */
		assert_int_equal(v->runstate.time[RUNSTATE_running], v->sched.runtime_ns);
	}
	assert_int_equal(a->runstate.time[RUNSTATE_blocked], 0);
	/* The pCPU never idled after the start: the run times add up to the elapsed time. */
	assert_int_equal(a->sched.runtime_ns + b->sched.runtime_ns, now_ns - 10 * SLICE_NS);
	print_message("runstate us: a running %llu runnable %llu; b running %llu runnable %llu "
		      "blocked %llu\n",
		      (unsigned long long)a->runstate.time[RUNSTATE_running] / 1000,
		      (unsigned long long)a->runstate.time[RUNSTATE_runnable] / 1000,
		      (unsigned long long)b->runstate.time[RUNSTATE_running] / 1000,
		      (unsigned long long)b->runstate.time[RUNSTATE_runnable] / 1000,
		      (unsigned long long)b->runstate.time[RUNSTATE_blocked] / 1000);
}

/* ---- Random mixes ------------------------------------------------------------------ */

static unsigned int rnd_state;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245U + 12345U;
	return (rnd_state >> 8) % n;
}

/* Every pCPU that was kicked or asked to reschedule does so, until none is. */
static void settle(unsigned int nr_cpus)
{
	for (unsigned int round = 0; round < 8; round++) {
		bool any = false;

		for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
			if (pcpu_get(cpu)->need_resched || fake_pcpu[cpu].kicked) {
				fake_pcpu[cpu].kicked = false;
				fake_schedule(cpu);
				any = true;
			}
		if (!any)
			return;
	}
	fail_msg("the pCPUs keep rescheduling");
}

/*
 * The scheduler's invariants after every pCPU has acted on its kicks: a running vCPU is
 * its pCPU's curr and on no queue; a runnable one is on exactly its pCPU's queue and not
 * held by any pCPU; a blocked one is on no queue, and held (is_running) only by its own
 * pCPU, as that pCPU's curr, kept loaded while it idles; an offline one is nowhere. A
 * blocked vCPU's pending wake-up is never lost: kept loaded, its virtual timer is live
 * (only a poll timeout needs a wake timer); switched out, its wake timer is armed for
 * its virtual timer's deadline. Queue counts are right; a pCPU running a vCPU while
 * others wait there has its slice timer armed (credit2), one that idles has none; and
 * (with @conserving, i.e. when vCPUs may migrate) no pCPU idles while a vCPU waits.
 */
static void check_invariants(const struct domain *d, unsigned int nr_cpus, bool conserving,
			     unsigned int step)
{
	bool slices = !strcmp(sched_policy_name(), "credit2");

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];
		unsigned int queued = 0, held = 0;

		for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
			if (queued_on(v, cpu)) {
				queued++;
				if (cpu != v->processor)
					fail_msg("step %u: v%u queued on pCPU%u, processor %u", step, i, cpu, v->processor);
			}
			if (pcpu_get(cpu)->curr == v) {
				held++;
				if (cpu != v->processor)
					fail_msg("step %u: v%u runs on pCPU%u, processor %u", step, i, cpu, v->processor);
			}
		}
		if (v->runstate.state != (int32_t)v->sched.state)
			fail_msg("step %u: v%u runstate %d, state %u", step, i, v->runstate.state, v->sched.state);
		if (v->sched.state == RUNSTATE_running) {
			if (held != 1 || queued || !v->sched.is_running)
				fail_msg("step %u: running v%u held %u queued %u", step, i, held, queued);
		} else if (v->sched.state == RUNSTATE_runnable) {
			if (held || queued != 1 || !v->sched.on_rq || v->sched.is_running)
				fail_msg("step %u: runnable v%u held %u queued %u", step, i, held, queued);
		} else if (v->sched.state == RUNSTATE_blocked) {
			uint64_t due = held ? v->sched.poll_deadline
					    : MIN(arch_vtimer_deadline(v), v->sched.poll_deadline);

			if (queued || v->sched.on_rq || v->sched.is_running != (held == 1))
				fail_msg("step %u: blocked v%u held %u queued %u is_running %d", step, i,
					 held, queued, v->sched.is_running);
			if (due != v->sched.wake_timer.deadline ||
			    (due != TIMER_NEVER && v->sched.wake_timer.cpu != (int)v->processor))
				fail_msg("step %u: blocked v%u (held %u) wake timer at %llu on pCPU%d, "
					 "due %llu", step, i, held,
					 (unsigned long long)v->sched.wake_timer.deadline,
					 v->sched.wake_timer.cpu, (unsigned long long)due);
		} else if (held || queued || v->sched.on_rq || v->sched.is_running) {
			fail_msg("step %u: v%u in state %u held %u queued %u", step, i, v->sched.state, held, queued);
		}
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		const struct pcpu *p = pcpu_get(cpu);
		bool runs = !sched_pcpu_idle(cpu);
		unsigned int n = 0;

		for (const struct vcpu *q = p->rq.head; q; q = q->sched.rq_next)
			n++;
		assert_int_equal(n, p->rq.nr_queued);
		if (runs != (!is_idle_vcpu(p->curr) && p->curr->sched.state == RUNSTATE_running))
			fail_msg("step %u: pCPU%u: sched_pcpu_idle() %d", step, cpu, !runs);
		if (!runs && timer_is_set(&p->rq.slice_timer))
			fail_msg("step %u: pCPU%u idles with its slice timer armed", step, cpu);
		if (slices && runs && p->rq.head && !timer_is_set(&p->rq.slice_timer))
			fail_msg("step %u: pCPU%u runs v%u with v%u waiting, and no slice timer", step,
				 cpu, p->curr->vcpu_id, p->rq.head->vcpu_id);
		if (!conserving || runs)
			continue;
		for (unsigned int other = 0; other < nr_cpus; other++)
			if (pcpu_get(other)->rq.head)
				fail_msg("step %u: pCPU%u idles while v%u waits on pCPU%u", step, cpu,
					 pcpu_get(other)->rq.head->vcpu_id, other);
	}
}

/*
 * @steps random events on @d over @nr_cpus pCPUs: interrupts (the soonest of the pCPUs'
 * hypervisor timers, for slices and wake timers, and of the virtual timers of the vCPUs
 * they hold, running or kept loaded), blocks (with or without a virtual timer, sometimes
 * with a wake-up racing the block), wake-ups, yields, power-offs (never of the last vCPU
 * up) and power-ons, each from a random pCPU, with the invariants checked after each.
 * Blocks and yields are by a running vCPU only: a vCPU kept loaded while blocked does
 * not run, so it cannot trap.
 */
static void random_mix(struct domain *d, unsigned int nr_cpus, bool conserving, unsigned int seed,
		       unsigned int steps)
{
	uint64_t t0 = fake_now, ran = 0, ran0 = 0;
	unsigned int vtimer_irqs = 0, woke_held = 0;

	rnd_state = seed;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		ran0 += d->vcpu[i]->sched.runtime_ns;
	for (unsigned int step = 1; step <= steps; step++) {
		unsigned int cpu = rnd(nr_cpus), up = 0;
		struct vcpu *v = d->vcpu[rnd(d->max_vcpus)], *curr = pcpu_get(cpu)->curr;
		bool runs = !is_idle_vcpu(curr) && curr->sched.state == RUNSTATE_running;
		uint64_t due = TIMER_NEVER;
		bool vtimer = false;

		fake_cpu = cpu;
		switch (rnd(10)) {
		case 0: case 1: case 2:	/* the soonest timer interrupt */
			for (unsigned int c = 0; c < nr_cpus; c++) {
				const struct vcpu *held_v = pcpu_get(c)->curr;

				if (fake_pcpu[c].programmed < due) {
					due = fake_pcpu[c].programmed;
					cpu = c;
					vtimer = false;
				}
				if (!is_idle_vcpu(held_v) && arch_vtimer_deadline(held_v) < due) {
					due = arch_vtimer_deadline(held_v);
					cpu = c;
					vtimer = true;
				}
			}
			if (due == TIMER_NEVER)
				break;
			fake_now = MAX(fake_now, due);
			if (vtimer) {
				woke_held += pcpu_get(cpu)->curr->sched.state == RUNSTATE_blocked;
				assert_true(fake_vtimer_irq(cpu));
				vtimer_irqs++;
			} else {
				fake_timer_irq(cpu);
			}
			break;
		case 3: case 4:
			if (!runs)
				break;
			fake_vtimer_set(curr, rnd(2) ? fake_now + rnd(4 * SLICE_TICKS) : TIMER_NEVER);
			vcpu_block_prepare(curr);
			if (!rnd(4))
				vcpu_unblock(curr);
			vcpu_block(curr);
			break;
		case 5: case 6:
			vcpu_unblock(v);
			break;
		case 7:
			if (runs)
				vcpu_yield(curr);
			break;
		case 8:
			for (unsigned int i = 0; i < d->max_vcpus; i++)
				up += d->vcpu[i]->sched.state != RUNSTATE_offline;
			if (up > 1)
				assert_false(fake_catch_shutdown(power_off_cb_quiet, v));
			break;
		default:
			vcpu_power_on(v, rnd(2), ENTRY, 0);
			break;
		}
		fake_now += rnd(SLICE_TICKS / 20);
		settle(nr_cpus);
		check_invariants(d, nr_cpus, conserving, step);
	}
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		ran += d->vcpu[i]->sched.runtime_ns;
	assert_true(ran - ran0 <= nr_cpus * (fake_now - t0) * NS_PER_TICK);
	/* The mix did reach the kept-loaded state, and woke vCPUs from it. */
	assert_true(vtimer_irqs > 0 && woke_held > 0);
	print_message("seed %u: %u virtual timer interrupts, %u of them waking a kept-loaded vCPU\n",
		      seed, vtimer_irqs, woke_held);
}

/* credit2, 4 vCPUs (one of weight 512) on 3 pCPUs, a few seeds. */
static void test_credit2_random_mix(void **state)
{
	for (unsigned int seed = 1; seed <= 4; seed++) {
		struct domain *d;

		fake_arch_reset(3);
		d = make_domain(1, 4, NULL);
		d->vcpu[1]->sched.weight = 512;
		for (unsigned int i = 0; i < 4; i++)
			start(d->vcpu[i]);
		settle(3);
		check_invariants(d, 3, true, 0);
		random_mix(d, 3, true, seed, 5000);
		free_domains();
	}
}

/* ---- null --------------------------------------------------------------------------------- */

/*
 * The null policy's pCPU assignments last for the binary's life (vCPUs are never
 * destroyed), so the null tests share one domain, placed once by the group setup on 2
 * pCPUs; each test then starts it from "just inserted, offline" (null_refresh()).
 */
#define NULL_PCPUS	2
static struct domain *null_dom;
static struct vcpu *null_extra;
static int null_rc[NULL_PCPUS + 1];

static int setup_null_group(void **state)
{
	sched_init("sched=null");
	if (strcmp(sched_policy_name(), "null"))
		return -1;
	fake_arch_reset(NULL_PCPUS);
	null_dom = calloc(1, sizeof(*null_dom));
	null_extra = calloc(1, sizeof(*null_extra));
	if (!null_dom || !null_extra)
		return -1;
	null_dom->domain_id = 2;
	null_dom->max_vcpus = NULL_PCPUS;
	for (unsigned int i = 0; i <= NULL_PCPUS; i++) {
		struct vcpu *v = i < NULL_PCPUS ? calloc(1, sizeof(*v)) : null_extra;

		if (!v)
			return -1;
		v->domain = null_dom;
		v->vcpu_id = i;
		if (i < NULL_PCPUS)
			null_dom->vcpu[i] = v;
		null_rc[i] = sched_insert_vcpu(v);
	}
	return 0;
}

static int teardown_null_group(void **state)
{
	for (unsigned int i = 0; i < NULL_PCPUS; i++)
		free(null_dom->vcpu[i]);
	free(null_dom);
	free(null_extra);
	return 0;
}

/* Back to what sched_insert_vcpu() leaves (the policy's placement kept). */
static void null_refresh(struct vcpu *v)
{
	unsigned int cpu = v->processor;
	timer_fn_t wake_fn = v->sched.wake_timer.fn;

	memset(&v->sched, 0, sizeof(v->sched));
	memset(&v->runstate, 0, sizeof(v->runstate));
	memset(&v->regs, 0, sizeof(v->regs));
	v->initialised = v->reset_pending = false;
	v->sched.state = RUNSTATE_offline;
	v->runstate.state = RUNSTATE_offline;
	v->sched.weight = SCHED_DEFAULT_WEIGHT;
	v->sched.poll_deadline = TIMER_NEVER;
	timer_init(&v->sched.wake_timer, wake_fn);
	v->processor = cpu;
}

static int setup_null(void **state)
{
	fake_arch_reset(NULL_PCPUS);
	for (unsigned int i = 0; i < NULL_PCPUS; i++)
		null_refresh(null_dom->vcpu[i]);
	return 0;
}

/* One vCPU per pCPU: the third of two pCPUs is refused, naming the limit. */
static void test_null_insert_enospc(void **state)
{
	assert_int_equal(null_rc[0], 0);
	assert_int_equal(null_rc[1], 0);
	assert_int_equal(null_rc[2], -ENOSPC);
	assert_int_not_equal(null_dom->vcpu[0]->processor, null_dom->vcpu[1]->processor);
	assert_true(null_dom->vcpu[0]->processor < NULL_PCPUS);
	assert_true(null_dom->vcpu[1]->processor < NULL_PCPUS);
}

/* Each vCPU runs on its own pCPU only, with no slice timer; an idle pCPU never steals. */
static void test_null_stays_on_its_pcpu(void **state)
{
	struct vcpu *v0 = null_dom->vcpu[0], *v1 = null_dom->vcpu[1];
	unsigned int c0 = v0->processor, c1 = v1->processor;

	start(v0);
	assert_true(queued_on(v0, c0));
	/* Another pCPU with nothing of its own stays idle rather than take v0. */
	assert_true(is_idle_vcpu(fake_schedule(c1)));
	assert_int_equal(v0->processor, c0);
	assert_ptr_equal(fake_schedule(c0), v0);

	fake_cpu = c0;
	start(v1);	/* from v0's pCPU: v1's own is kicked */
	assert_int_equal(v1->processor, c1);
	assert_int_equal(fake_pcpu[c1].kicks, 1);
	assert_true(pcpu_get(c1)->need_resched);
	/*
	 * v0 blocks while v1 waits on the other pCPU's queue, which v0's may not take: v0 is
	 * kept loaded all the same, and resumes with no switch.
	 */
	vcpu_block_prepare(v0);
	vcpu_block(v0);
	assert_ptr_equal(fake_schedule(c0), v0);
	assert_true(sched_pcpu_idle(c0));
	assert_true(v0->sched.is_running);
	assert_int_equal(fake_pcpu[c0].switches, 1);
	vcpu_unblock(v0);
	assert_ptr_equal(fake_schedule(c0), v0);
	assert_int_equal(fake_pcpu[c0].switches, 1);
	assert_ptr_equal(fake_schedule(c1), v1);

	/* No time slices: nothing is programmed, however long they run. */
	assert_true(pcpu_get(c0)->rq.slice_timer.cpu < 0);
	assert_true(pcpu_get(c1)->rq.slice_timer.cpu < 0);
	assert_int_equal(fake_pcpu[c0].programmed, TIMER_NEVER);
	assert_int_equal(fake_pcpu[c1].programmed, TIMER_NEVER);
	fake_now += 1000 * SLICE_TICKS;
	fake_timer_irq(c0);
	fake_timer_irq(c1);
	assert_false(pcpu_get(c0)->need_resched);
	assert_false(pcpu_get(c1)->need_resched);

	/*
	 * Blocking idles its pCPU, which keeps it loaded (no switch); a wake-up, from
	 * anywhere, brings it back there, still without a switch.
	 */
	vcpu_block_prepare(v1);
	fake_cpu = c1;
	vcpu_block(v1);
	assert_ptr_equal(fake_schedule(c1), v1);
	assert_int_equal(v1->sched.state, RUNSTATE_blocked);
	assert_true(sched_pcpu_idle(c1));
	assert_int_equal(fake_pcpu[c1].switches, 1);
	assert_int_equal(v1->runstate.time[RUNSTATE_running], 1000 * SLICE_NS);
	assert_int_equal(v1->sched.runtime_ns, 1000 * SLICE_NS);
	/*
	 * Woken from v0's pCPU with nobody waiting on its own: it runs again there at once
	 * (no queue, no pick) and that pCPU is kicked out of its WFI.
	 */
	fake_cpu = c0;
	vcpu_unblock(v1);
	assert_int_equal(v1->processor, c1);
	assert_false(queued_on(v1, c1));
	assert_int_equal(v1->sched.state, RUNSTATE_running);
	assert_int_equal(fake_pcpu[c1].kicks, 2);
	assert_ptr_equal(fake_schedule(c1), v1);
	assert_int_equal(fake_pcpu[c1].switches, 1);
	assert_int_equal(v1->sched.state, RUNSTATE_running);
	assert_ptr_equal(pcpu_get(c0)->curr, v0);
	assert_ptr_equal(fake_schedule(c0), v0);	/* a reschedule keeps it too */
	assert_int_equal(fake_pcpu[c0].switches, 1);
}

/* Power-off under null: the pCPU idles; the last one shuts the domain down. */
static void test_null_power_off(void **state)
{
	struct vcpu *v0 = null_dom->vcpu[0], *v1 = null_dom->vcpu[1];
	unsigned int c0 = v0->processor, c1 = v1->processor;

	fake_cpu = c0;
	start(v0);
	start(v1);
	assert_ptr_equal(fake_schedule(c0), v0);
	assert_ptr_equal(fake_schedule(c1), v1);
	fake_cpu = c0;
	assert_false(fake_catch_shutdown(power_off_cb, v0));
	assert_true(is_idle_vcpu(fake_schedule(c0)));
	assert_false(vcpu_is_up(v0));
	assert_true(vcpu_power_on(v0, true, ENTRY, 0));
	assert_ptr_equal(fake_schedule(c0), v0);
	assert_int_equal(v0->processor, c0);
	fake_cpu = c1;
	assert_false(fake_catch_shutdown(power_off_cb, v1));
	assert_true(fake_catch_shutdown(power_off_cb, v0));
	assert_int_equal(fake_shutdown.count, 1);
	assert_ptr_equal(fake_shutdown.domain, null_dom);
}

/* The random mix under null: the invariants hold and each vCPU keeps its pCPU. */
static void test_null_random_mix(void **state)
{
	unsigned int cpu0 = null_dom->vcpu[0]->processor, cpu1 = null_dom->vcpu[1]->processor;

	start(null_dom->vcpu[0]);
	start(null_dom->vcpu[1]);
	settle(NULL_PCPUS);
	random_mix(null_dom, NULL_PCPUS, false, 7, 5000);
	assert_int_equal(null_dom->vcpu[0]->processor, cpu0);
	assert_int_equal(null_dom->vcpu[1]->processor, cpu1);
}

int main(void)
{
#define C2(f) cmocka_unit_test_teardown(f, teardown)
#define NUL(f) cmocka_unit_test_setup(f, setup_null)
	const struct CMUnitTest credit2[] = {
		C2(test_credit2_equal_share),
		C2(test_credit2_weight),
		C2(test_credit2_three_weights),
		C2(test_credit2_blocked_never_picked),
		C2(test_credit2_wake_before_block),
		C2(test_credit2_idle_only_when_nothing_runnable),
		C2(test_credit2_block_keeps_loaded),
		C2(test_credit2_held_vcpu_switched_out),
		C2(test_credit2_held_pcpu_steals),
		C2(test_credit2_slice_timer_only_while_others_wait),
		C2(test_credit2_resched_requests),
		C2(test_credit2_wake_goes_to_idle_pcpu),
		C2(test_credit2_idle_pcpu_steals),
		C2(test_credit2_waiting_work_kicks_idle_pcpu),
		C2(test_credit2_preempted_vcpu_stolen_on_kick),
		C2(test_credit2_wake_preempts_after_missed_resets),
		C2(test_credit2_yield),
		C2(test_credit2_yield_three),
		C2(test_credit2_power_off_on),
		C2(test_credit2_power_off_queued),
		C2(test_credit2_wake_timer),
		C2(test_credit2_wake_timer_busy_pcpu),
		C2(test_credit2_runstate),
		C2(test_credit2_random_mix),
	};
	const struct CMUnitTest null[] = {
		NUL(test_null_insert_enospc),
		NUL(test_null_stays_on_its_pcpu),
		NUL(test_null_power_off),
		NUL(test_null_random_mix),
	};
	int failed = cmocka_run_group_tests_name("credit2", credit2, setup_credit2, NULL);

	failed += cmocka_run_group_tests_name("null", null, setup_null_group, teardown_null_group);
	return failed;
}
