// SPDX-License-Identifier: Apache-2.0
/*
 * credit2: the default policy, after Xen's credit2 (xen/common/sched/credit2.c). Every
 * vCPU holds credit, in ns; running burns it at SCHED_DEFAULT_WEIGHT / weight ns per ns,
 * so over time each runnable vCPU of a pCPU's queue gets CPU in proportion to its weight
 * (across pCPUs only as far as placement and stealing spread them: there is no periodic
 * balancing between busy pCPUs, unlike Xen's per-socket shared queues). A pCPU runs the
 * vCPU with the most credit on its queue, for one slice at a time; when that vCPU is out
 * of credit the queue is topped up (a "reset": every vCPU gets CREDIT_INIT more, capped
 * at CREDIT_INIT, so none banks credit by sleeping). vCPUs that missed resets while
 * away catch up when next considered (@epoch). A vCPU that wakes on a busy pCPU goes to
 * an idle pCPU if there is one, and preempts the running vCPU if it holds clearly more
 * credit; idle pCPUs steal queued vCPUs (sched.c).
 */
#include <asm/pcpu.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>

#define NS_PER_US		1000ULL
#define CREDIT_INIT		(10000 * NS_PER_US)	/* Xen: CSCHED2_CREDIT_INIT, 10 ms */
#define WAKE_PREEMPT_MARGIN	(1000 * NS_PER_US)	/* Xen: CSCHED2_MIGRATE_RESIST-like */
#define DEFAULT_SLICE_US	1000

static uint64_t slice_ticks;
static unsigned int nr_assigned[CONFIG_NR_CPUS];

/*
 * The time slice, in ticks (sched_slice_us=, default 1000 µs): how long a vCPU runs
 * before its pCPU looks at the queue again. Read from the command line on first use.
 */
static uint64_t slice(void)
{
	if (!slice_ticks) {
		char buf[16];
		const char *end;
		uint64_t us = DEFAULT_SLICE_US;

		if (cmdline_get(bootinfo.cmdline, "sched_slice_us", buf, sizeof(buf))) {
			us = parse_ulong(buf, &end);
			if (end == buf || *end || us < 100 || us > 1000000)
				panic("sched_slice_us=%s: expected 100 to 1000000 (microseconds)", buf);
		}
		slice_ticks = timer_ns_to_ticks(us * NS_PER_US);
	}
	return slice_ticks;
}

/* New vCPUs are spread over the pCPUs, fewest first. */
static int credit2_insert(struct vcpu *v)
{
	unsigned int best = 0;

	for (unsigned int cpu = 1, n = nr_pcpus(); cpu < n; cpu++)
		if (nr_assigned[cpu] < nr_assigned[best])
			best = cpu;
	nr_assigned[best]++;
	v->processor = best;
	v->sched.credit = CREDIT_INIT;
	return 0;
}

static bool pcpu_is_idle(unsigned int cpu)
{
	const struct pcpu *p = pcpu_get(cpu);

	return p->online && sched_pcpu_idle(cpu) && !p->rq.head;
}

/* Stay on the last pCPU (its caches) unless it is busy and another is idle. */
static unsigned int credit2_wake(struct vcpu *v)
{
	if (pcpu_is_idle(v->processor))
		return v->processor;
	for (unsigned int cpu = 0, n = nr_pcpus(); cpu < n; cpu++)
		if (pcpu_is_idle(cpu))
			return cpu;
	return v->processor;
}

static void credit2_sleep(struct vcpu *v)
{
}

static void credit2_yield(struct vcpu *v)
{
	v->sched.yielded = true;
}

/* @v's credit on @rq once caught up with the resets it missed (only one matters: the cap). */
static int64_t credit_on(const struct sched_rq *rq, const struct vcpu *v)
{
	if (v->sched.epoch != rq->epoch)
		return MIN(v->sched.credit + (int64_t)CREDIT_INIT, (int64_t)CREDIT_INIT);
	return v->sched.credit;
}

/* Credit of @v on @rq, catching it up. */
static int64_t credit_of(struct sched_rq *rq, struct vcpu *v)
{
	v->sched.credit = credit_on(rq, v);
	v->sched.epoch = rq->epoch;
	return v->sched.credit;
}

/* The queued vCPU with the most credit that no other pCPU holds; yielders last. */
static struct vcpu *best_of(struct sched_rq *rq, struct vcpu *prev)
{
	struct vcpu *best = NULL;

	for (struct vcpu *v = rq->head; v; v = v->sched.rq_next) {
		if (v->sched.is_running && v != prev)
			continue;
		if (!best || (best->sched.yielded && !v->sched.yielded) ||
		    (best->sched.yielded == v->sched.yielded && credit_of(rq, v) > credit_of(rq, best)))
			best = v;
	}
	return best;
}

static struct vcpu *credit2_pick(struct sched_rq *rq, struct vcpu *prev, uint64_t *slice_out)
{
	struct vcpu *best = best_of(rq, prev);

	if (best && credit_of(rq, best) <= 0) {
		rq->epoch++;	/* reset: everyone's credit is topped up as it is looked at */
		best = best_of(rq, prev);
	}
	/*
	 * A yield defers its vCPU for this one pick only (as Xen credit2's yield bias): kept
	 * until the yielder is picked, it would lose to every non-yielded vCPU, for as long
	 * as any stays runnable here.
	 */
	prev->sched.yielded = false;
	if (best)
		best->sched.yielded = false;
	*slice_out = slice();
	return best;
}

static bool credit2_tick(struct vcpu *v, uint64_t ran)
{
	uint64_t ns = timer_ticks_to_ns(ran);

	v->sched.credit -= (int64_t)(ns * SCHED_DEFAULT_WEIGHT / v->sched.weight);
	return true;	/* at the end of a slice the queue is looked at again */
}

/* Compared as caught up: @v may have slept through resets of the queue it joined. */
static bool credit2_preempts(const struct vcpu *v, const struct vcpu *curr)
{
	const struct sched_rq *rq = &pcpu_get(v->processor)->rq;

	return credit_on(rq, v) > credit_on(rq, curr) + (int64_t)WAKE_PREEMPT_MARGIN;
}

static bool credit2_migrate(const struct vcpu *v)
{
	return true;
}

const struct sched_policy sched_credit2 = {
	.name = "credit2",
	.insert = credit2_insert,
	.wake = credit2_wake,
	.sleep = credit2_sleep,
	.yield = credit2_yield,
	.pick = credit2_pick,
	.tick = credit2_tick,
	.preempts = credit2_preempts,
	.migrate = credit2_migrate,
};
