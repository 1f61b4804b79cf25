// SPDX-License-Identifier: Apache-2.0
/*
 * The scheduler core: vCPU states, run queues, wake-ups, blocking, placement and
 * stealing, the idle loop, and the switch itself. Policies (sched_credit2.c,
 * sched_null.c) only order and place; the design and the locking rules are in
 * kestrel/sched.h. Run states and the runstate area: Xen public/xen.h, public/vcpu.h.
 */
#include <asm/pcpu.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <public/sched.h>

static const struct sched_policy *policy = &sched_credit2;
static const struct sched_policy *const policies[] = { &sched_credit2, &sched_null };

void sched_init(const char *cmdline)
{
	char name[16];

	if (!cmdline_get(cmdline, "sched", name, sizeof(name)))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(policies); i++)
		if (!strcmp(name, policies[i]->name)) {
			policy = policies[i];
			return;
		}
	panic("sched=%s: unknown scheduler (known: credit2, null)", name);
}

const char *sched_policy_name(void)
{
	return policy->name;
}

static void slice_expired(struct timer *t);

void sched_init_pcpu(unsigned int cpu, struct vcpu *idle)
{
	struct pcpu *p = pcpu_get(cpu);

	p->rq.cpu = cpu;
	timer_init(&p->rq.slice_timer, slice_expired);
	p->idle = idle;
	p->curr = idle;
	idle->processor = cpu;
	idle->sched.state = RUNSTATE_running;
	idle->sched.is_running = true;
}

/* Lock the run queue of @v's pCPU, following a concurrent move. */
static struct sched_rq *vcpu_rq_lock(struct vcpu *v)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
		struct sched_rq *rq = &pcpu_get(cpu)->rq;

		spin_lock(&rq->lock);
		if (v->processor == cpu)
			return rq;
		spin_unlock(&rq->lock);
	}
}

static void enqueue(struct sched_rq *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head;

	while (*pp)
		pp = &(*pp)->sched.rq_next;
	*pp = v;
	v->sched.rq_next = NULL;
	v->sched.on_rq = true;
	rq->nr_queued++;
}

static void dequeue(struct sched_rq *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head;

	while (*pp && *pp != v)
		pp = &(*pp)->sched.rq_next;
	if (*pp) {
		*pp = v->sched.rq_next;
		rq->nr_queued--;
	}
	v->sched.rq_next = NULL;
	v->sched.on_rq = false;
}

/*
 * Enter @state at counter tick @now: close the time spent in the old state (ns of the
 * system counter, Xen's RUNSTATE accounting; public/vcpu.h).
 */
static void runstate_set(struct vcpu *v, unsigned int state, uint64_t now)
{
	uint64_t ns = timer_ticks_to_ns(now);

	v->runstate.time[v->runstate.state] += ns - v->runstate.state_entry_time;
	v->runstate.state = (int32_t)state;
	v->runstate.state_entry_time = ns;
	v->sched.state = state;
}

bool sched_pcpu_idle(unsigned int cpu)
{
	const struct vcpu *curr = __atomic_load_n(&pcpu_get(cpu)->curr, __ATOMIC_RELAXED);

	/* No vCPU yet: a pCPU still coming up, which picks from its queue when it starts. */
	return !curr || is_idle_vcpu(curr) ||
	       __atomic_load_n(&curr->sched.state, __ATOMIC_RELAXED) != RUNSTATE_running;
}

/*
 * This pCPU must reschedule: raise need_resched, and tell the loaded vCPU's return path
 * (exit_work.resched), which is all the fast path of a trap looks at.
 */
static void resched_local(void)
{
	struct pcpu *p = this_pcpu();

	p->need_resched = true;
	if (!is_idle_vcpu(p->curr))
		p->curr->exit_work.resched = 1;
}

/* @v runs again: no wake timer, no SCHEDOP_poll in progress. */
static void wait_over(struct vcpu *v)
{
	timer_stop(&v->sched.wake_timer);
	v->sched.polling = false;
	v->sched.poll_deadline = TIMER_NEVER;
}

/* Ask pCPU @cpu to run schedule(): at once if it is this one, else by a kick. */
static void resched_cpu(unsigned int cpu)
{
	if (cpu == smp_processor_id()) {
		resched_local();
		return;
	}
	pcpu_get(cpu)->need_resched = true;
	arch_kick_pcpu(cpu);
}

void sched_kicked(void)
{
	if (this_pcpu()->need_resched)
		resched_local();
}

/* Charge @v (running) for the time since it was last charged. Return: policy->tick(). */
static bool account(struct vcpu *v, uint64_t now)
{
	uint64_t ran = now - v->sched.started;

	v->sched.started = now;
	v->sched.runtime_ns += timer_ticks_to_ns(ran);
	return policy->tick(v, ran);
}

/*
 * Make @v (blocked or offline, its run queue @rq locked) runnable: on a queue the policy
 * chooses, preempting that pCPU if the policy says so. While @v is still being switched
 * out (is_running) it may only join its own pCPU's queue, which picks it once saved.
 * Return: the run queue now locked (it may differ from @rq).
 */
static struct sched_rq *make_runnable(struct sched_rq *rq, struct vcpu *v)
{
	unsigned int target = v->processor;
	struct pcpu *p = pcpu_get(target);
	uint64_t now = timer_now();

	/*
	 * Blocked but still loaded on its idling pCPU (keep_loaded()), with nobody waiting
	 * there: it simply runs again, with no queue and no pick; idle_loop() enters it.
	 */
	if (v->sched.held && !rq->head) {
		v->sched.held = false;
		runstate_set(v, RUNSTATE_running, now);
		v->sched.started = now;
		wait_over(v);	/* a poll timeout, if any */
		if (target != smp_processor_id())
			arch_kick_pcpu(target);
		return rq;
	}
	runstate_set(v, RUNSTATE_runnable, now);
	if (!v->sched.is_running)
		target = policy->wake(v);
	if (target != rq->cpu) {
		__atomic_store_n(&v->processor, target, __ATOMIC_RELEASE);
		spin_unlock(&rq->lock);
		rq = &pcpu_get(target)->rq;
		spin_lock(&rq->lock);
	}
	enqueue(rq, v);
	p = pcpu_get(target);
	/* Idle, or running alone without a slice timer: reschedule, which arms one. */
	if (sched_pcpu_idle(target) || policy->preempts(v, p->curr) ||
	    (!timer_is_set(&rq->slice_timer) && policy != &sched_null))
		resched_cpu(target);
	return rq;
}

/*
 * Wake @v: blocked -> runnable; running -> its next vcpu_block() returns at once, and with
 * @kick_running its pCPU, if another, is made to leave the guest.
 */
static void wake(struct vcpu *v, bool kick_running)
{
	struct sched_rq *rq = vcpu_rq_lock(v);

	if (v->sched.state == RUNSTATE_blocked) {
		rq = make_runnable(rq, v);
	} else if (v->sched.state == RUNSTATE_running) {
		v->sched.wake_pending = true;
		if (kick_running && v->processor != smp_processor_id())
			arch_kick_pcpu(v->processor);
	}
	spin_unlock(&rq->lock);
}

void vcpu_unblock(struct vcpu *v)
{
	wake(v, false);
}

void vcpu_kick(struct vcpu *v)
{
	wake(v, true);
}

bool vcpu_power_on(struct vcpu *v, bool reset, uint64_t entry, uint64_t x0)
{
	struct sched_rq *rq = vcpu_rq_lock(v);
	bool ok = v->sched.state == RUNSTATE_offline && (reset || v->initialised);

	if (ok) {
		if (reset) {
			v->boot_pc = entry;
			v->boot_x0 = x0;
			v->reset_pending = true;
			v->initialised = true;
		}
		rq = make_runnable(rq, v);
	}
	spin_unlock(&rq->lock);
	return ok;
}

/* Is any vCPU of @d other than @v up? */
static bool others_up(const struct domain *d, const struct vcpu *v)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] != v && d->vcpu[i]->sched.state != RUNSTATE_offline)
			return true;
	return false;
}

bool vcpu_power_off(struct vcpu *v)
{
	struct sched_rq *rq = vcpu_rq_lock(v);
	bool was_up = v->sched.state != RUNSTATE_offline;

	if (was_up) {
		uint64_t now = timer_now();

		if (v->sched.on_rq)
			dequeue(rq, v);
		if (v->sched.state == RUNSTATE_running)
			account(v, now);	/* its last stretch, as vcpu_block() */
		runstate_set(v, RUNSTATE_offline, now);
		v->sched.wake_pending = false;
		v->sched.held = false;
		policy->sleep(v);
		if (v->sched.is_running)
			resched_cpu(v->processor);
	}
	spin_unlock(&rq->lock);
	if (was_up && !others_up(v->domain, v) && !v->domain->is_dying) {
		printk("d%u: every vCPU is off\n", v->domain->domain_id);
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
	}
	return was_up;
}

bool vcpu_is_up(const struct vcpu *v)
{
	return __atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE) != RUNSTATE_offline ||
	       __atomic_load_n(&v->sched.is_running, __ATOMIC_ACQUIRE);
}

void vcpu_block_prepare(struct vcpu *v)
{
	__atomic_store_n(&v->sched.wake_pending, false, __ATOMIC_SEQ_CST);
}

void vcpu_block(struct vcpu *v)
{
	struct sched_rq *rq = vcpu_rq_lock(v);

	if (!v->sched.wake_pending && v->sched.state == RUNSTATE_running) {
		uint64_t now = timer_now();

		/*
		 * Charge its last stretch now: do_schedule() charges only a running prev, as a
		 * blocked one it keeps loaded must not be charged for the time the pCPU idles.
		 */
		account(v, now);
		runstate_set(v, RUNSTATE_blocked, now);
		policy->sleep(v);
		resched_local();
	} else {
		wait_over(v);	/* woken already: the poll is over */
	}
	v->sched.wake_pending = false;
	spin_unlock(&rq->lock);
}

void vcpu_yield(struct vcpu *v)
{
	struct sched_rq *rq;

	/* Nothing else waits here (the common case): nothing to do, and no lock taken. */
	if (!__atomic_load_n(&this_pcpu()->rq.head, __ATOMIC_RELAXED))
		return;
	rq = vcpu_rq_lock(v);

	if (rq->head) {
		policy->yield(v);
		resched_local();
	}
	spin_unlock(&rq->lock);
}

/* The slice timer: the running vCPU's turn is over, unless the policy extends it. */
static void slice_expired(struct timer *t)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v = p->curr;
	bool preempt;

	if (v == p->idle)
		return;
	spin_lock(&p->rq.lock);
	preempt = account(v, timer_now());
	spin_unlock(&p->rq.lock);
	if (preempt)
		resched_local();
}

/* A descheduled vCPU's virtual timer or poll timeout fell due. */
static void wake_timer_fired(struct timer *t)
{
	vcpu_unblock(container_of(t, struct vcpu, sched.wake_timer));
}

/*
 * Nothing to run on @p: take a runnable vCPU that no pCPU is running from the first other
 * queue (in pCPU order) that has one, if the policy allows migration. One run-queue lock
 * at a time.
 */
static void steal_work(struct pcpu *p)
{
	for (unsigned int cpu = 0, n = nr_pcpus(); cpu < n; cpu++) {
		struct sched_rq *rq = &pcpu_get(cpu)->rq;
		struct vcpu *v;

		if (cpu == p->id || !pcpu_get(cpu)->online || !__atomic_load_n(&rq->head, __ATOMIC_RELAXED))
			continue;
		spin_lock(&rq->lock);
		for (v = rq->head; v; v = v->sched.rq_next)
			if (!v->sched.is_running && policy->migrate(v))
				break;
		if (v) {
			dequeue(rq, v);
			__atomic_store_n(&v->processor, p->id, __ATOMIC_RELEASE);
		}
		spin_unlock(&rq->lock);
		if (v) {
			spin_lock(&p->rq.lock);
			enqueue(&p->rq, v);
			spin_unlock(&p->rq.lock);
			return;
		}
	}
}

/* Others wait on @p's queue: wake one idle pCPU (if any) so it steals. */
static void kick_idle_pcpu(const struct pcpu *p)
{
	for (unsigned int cpu = 0, n = nr_pcpus(); cpu < n; cpu++) {
		const struct pcpu *q = pcpu_get(cpu);

		if (cpu != p->id && q->online && sched_pcpu_idle(cpu) && !q->rq.head) {
			arch_kick_pcpu(cpu);
			return;
		}
	}
}

/* Timers around a switch: the incoming vCPU needs no wake timer; a blocked outgoing one may. */
static void switch_timers(struct vcpu *prev, struct vcpu *next)
{
	if (!is_idle_vcpu(next))
		wait_over(next);
	if (!is_idle_vcpu(prev) && prev->sched.state == RUNSTATE_blocked) {
		uint64_t due = MIN(arch_vtimer_deadline(prev), prev->sched.poll_deadline);

		if (due != TIMER_NEVER)
			timer_set(&prev->sched.wake_timer, due);
	}
}

/*
 * Nothing to run on @p and its vCPU @v only blocked: keep @v's state loaded while the pCPU
 * idles, so that waking it costs no switch at all (the common WFI -> interrupt -> WFI
 * cycle). Its virtual timer stays live in the hardware and wakes it through the physical
 * PPI; only a SCHEDOP_poll timeout needs a software timer. It stays "running" on this
 * pCPU (is_running), so no other pCPU picks it until a switch saves it.
 */
static void keep_loaded(struct vcpu *v)
{
	if (v->sched.poll_deadline != TIMER_NEVER)
		timer_set(&v->sched.wake_timer, v->sched.poll_deadline);
}

/* Is a vCPU waiting on another pCPU's queue (which this idle pCPU might steal)? */
static bool work_elsewhere(const struct pcpu *p)
{
	for (unsigned int cpu = 0, n = nr_pcpus(); cpu < n; cpu++)
		if (cpu != p->id && __atomic_load_n(&pcpu_get(cpu)->rq.head, __ATOMIC_RELAXED))
			return true;
	return false;
}

/*
 * The two cases of the WFI -> interrupt -> WFI cycle on a pCPU with nothing else to do,
 * decided without the policy (whatever the policy, nothing else can be picked):
 * - @prev blocked, no vCPU queued here or on another pCPU (nothing to steal): keep it
 *   loaded and idle (keep_loaded());
 * - @prev, kept loaded, woken: it is the only vCPU on the queue: run it again, no switch.
 * Return: @prev, or NULL when do_schedule() must decide.
 */
static struct vcpu *fast_path(struct pcpu *p, struct vcpu *prev)
{
	struct sched_rq *rq = &p->rq;
	struct vcpu *next = NULL;

	if (prev->reset_pending || timer_is_set(&rq->slice_timer))
		return NULL;
	if (prev->sched.state == RUNSTATE_blocked) {
		bool keep;

		if (__atomic_load_n(&rq->head, __ATOMIC_RELAXED) || work_elsewhere(p))
			return NULL;
		spin_lock(&rq->lock);
		keep = !rq->head && prev->sched.state == RUNSTATE_blocked;
		prev->sched.held = keep;
		spin_unlock(&rq->lock);
		if (!keep)
			return NULL;
		keep_loaded(prev);
		return prev;	/* a wake-up from now on finds it held: idle_loop() sees it run */
	}
	if (__atomic_load_n(&prev->sched.state, __ATOMIC_RELAXED) != RUNSTATE_runnable)
		return NULL;	/* running (a slice, a yield): the policy decides */
	spin_lock(&rq->lock);
	if (rq->head == prev && !prev->sched.rq_next && prev->sched.state == RUNSTATE_runnable) {
		uint64_t now = timer_now();

		dequeue(rq, prev);
		runstate_set(prev, RUNSTATE_running, now);
		prev->sched.started = now;
		next = prev;
	}
	spin_unlock(&rq->lock);
	if (next)
		switch_timers(prev, next);
	return next;
}

/*
 * Pick and switch. Return: the vCPU now loaded: one to enter (RUNSTATE_running), the
 * idle vCPU, or a blocked vCPU kept loaded while the pCPU idles (keep_loaded()).
 */
static struct vcpu *do_schedule(struct pcpu *p)
{
	struct sched_rq *rq = &p->rq;
	struct vcpu *prev = p->curr, *next;
	uint64_t now, slice = TIMER_NEVER;
	bool waiting;

	p->need_resched = false;
	if (!is_idle_vcpu(prev) && (next = fast_path(p, prev)))
		return next;
	if (!rq->head && (is_idle_vcpu(prev) || prev->sched.state != RUNSTATE_running))
		steal_work(p);
	spin_lock(&rq->lock);
	now = timer_now();
	if (!is_idle_vcpu(prev) && prev->sched.state == RUNSTATE_running) {
		account(prev, now);
		runstate_set(prev, RUNSTATE_runnable, now);
		enqueue(rq, prev);
	}
	next = policy->pick(rq, prev, &slice);
	if (!is_idle_vcpu(prev))
		prev->sched.held = !next && prev->sched.state == RUNSTATE_blocked && !prev->reset_pending;
	if (next) {
		dequeue(rq, next);
		runstate_set(next, RUNSTATE_running, now);
		next->sched.is_running = true;
		next->sched.started = now;
	} else if (!is_idle_vcpu(prev) && prev->sched.state == RUNSTATE_blocked && !prev->reset_pending) {
		next = prev;
	} else {
		next = p->idle;
	}
	waiting = rq->head != NULL;
	spin_unlock(&rq->lock);
	/*
	 * The slice timer: armed while a vCPU runs here and others wait for it, under a policy
	 * with slices (make_runnable() reschedules a pCPU that has none when a vCPU joins its
	 * queue), and left running across switches (one vCPU's turn may end early, the next's
	 * then starts short): credit accounting is exact whatever the timer, which only
	 * decides when the queue is looked at again, and re-arming it at every switch would
	 * double a switch's cost.
	 */
	if (!waiting || next->sched.state != RUNSTATE_running || is_idle_vcpu(next) ||
	    slice == TIMER_NEVER)
		timer_stop(&rq->slice_timer);
	else if (!timer_is_set(&rq->slice_timer))
		timer_set(&rq->slice_timer, now + slice);
	if (next == prev && next->sched.state == RUNSTATE_blocked) {
		keep_loaded(next);
		if (waiting)
			kick_idle_pcpu(p);
		return next;
	}
	if (next != prev || next->reset_pending) {
		context_switch(prev, next);
		if (next != prev && !is_idle_vcpu(prev))
			__atomic_store_n(&prev->sched.is_running, false, __ATOMIC_RELEASE);
	}
	switch_timers(prev, next);
	/* Only now may another pCPU steal prev, if it is what waits: kick after the save. */
	if (waiting)
		kick_idle_pcpu(p);
	return next;
}

/* Can this pCPU enter @v (not idle, not a blocked vCPU it only keeps loaded)? */
static bool enterable(const struct vcpu *v)
{
	return !is_idle_vcpu(v) && __atomic_load_n(&v->sched.state, __ATOMIC_ACQUIRE) == RUNSTATE_running;
}

struct vcpu *schedule(void)
{
	struct vcpu *next = do_schedule(this_pcpu());

	if (!enterable(next))
		idle_loop();
	return next;
}

void idle_loop(void)
{
	struct pcpu *p = this_pcpu();

	for (;;) {
		struct vcpu *held = p->curr;

		/* The vCPU kept loaded here was woken with nobody else waiting (make_runnable()). */
		if (!p->need_resched && enterable(held))
			arch_enter_guest(held);
		if (p->need_resched || __atomic_load_n(&p->rq.head, __ATOMIC_ACQUIRE) || work_elsewhere(p)) {
			struct vcpu *next = do_schedule(p);

			if (enterable(next))
				arch_enter_guest(next);
		}
		arch_idle_wait();
	}
}

void sched_start(void)
{
	__atomic_store_n(&this_pcpu()->online, true, __ATOMIC_RELEASE);
	idle_loop();
}

int sched_insert_vcpu(struct vcpu *v)
{
	v->sched.state = RUNSTATE_offline;
	v->runstate.state = RUNSTATE_offline;
	v->sched.weight = SCHED_DEFAULT_WEIGHT;
	v->sched.poll_deadline = TIMER_NEVER;
	timer_init(&v->sched.wake_timer, wake_timer_fired);
	return policy->insert(v);
}
