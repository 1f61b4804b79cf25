// SPDX-License-Identifier: Apache-2.0
/*
 * Software timers: a sorted singly linked queue per pCPU (a handful of timers each: the
 * slice timer and the wake timers of the vCPUs that pCPU descheduled), its head
 * programmed into the pCPU's hypervisor timer.
 */
#include <stddef.h>
#include <asm/pcpu.h>
#include <kestrel/timer.h>

static uint64_t ns_to_ticks_mul, ticks_to_ns_mul;	/* 32.32 fixed point */

static void timer_scale_init(void)
{
	uint64_t f = arch_counter_freq();

	ticks_to_ns_mul = (uint64_t)(((unsigned __int128)1000000000 << 32) / f);
	ns_to_ticks_mul = (uint64_t)(((unsigned __int128)f << 32) / 1000000000);
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	if (__builtin_expect(!ticks_to_ns_mul, 0))
		timer_scale_init();
	return (uint64_t)(((unsigned __int128)ticks * ticks_to_ns_mul) >> 32);
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	unsigned __int128 t;

	if (__builtin_expect(!ns_to_ticks_mul, 0))
		timer_scale_init();
	t = ((unsigned __int128)ns * ns_to_ticks_mul) >> 32;
	return t > TIMER_NEVER ? TIMER_NEVER : (uint64_t)t;
}

void timer_init(struct timer *t, timer_fn_t fn)
{
	t->deadline = TIMER_NEVER;
	t->fn = fn;
	t->next = NULL;
	t->cpu = -1;
}

/* Unlink @t from @q (its lock held). Return: true if @t was the head. */
static bool unlink(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (!*pp)
		return false;
	*pp = t->next;
	t->next = NULL;
	t->cpu = -1;
	t->deadline = TIMER_NEVER;
	return pp == &q->head;
}

void timer_set(struct timer *t, uint64_t deadline)
{
	struct pcpu *p = this_pcpu();
	struct timer_queue *q = &p->timers;
	struct timer **pp;

	timer_stop(t);
	spin_lock(&q->lock);
	for (pp = &q->head; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
		;
	t->next = *pp;
	t->deadline = deadline;
	t->cpu = (int)p->id;
	*pp = t;
	if (q->head == t)
		arch_timer_program(deadline);
	spin_unlock(&q->lock);
}

void timer_stop(struct timer *t)
{
	int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
	struct timer_queue *q;

	if (cpu < 0)
		return;
	q = &pcpu_get((unsigned int)cpu)->timers;
	spin_lock(&q->lock);
	/*
	 * Removing the head leaves the hardware programmed early: that pCPU's next timer
	 * interrupt finds nothing due and reprograms it (cheaper than a cross-pCPU kick).
	 */
	if (t->cpu == cpu)
		unlink(q, t);
	spin_unlock(&q->lock);
}

void timer_run_expired(void)
{
	struct timer_queue *q = &this_pcpu()->timers;
	uint64_t now = timer_now();

	spin_lock(&q->lock);
	while (q->head && q->head->deadline <= now) {
		struct timer *t = q->head;

		unlink(q, t);
		spin_unlock(&q->lock);
		t->fn(t);
		spin_lock(&q->lock);
		now = timer_now();
	}
	arch_timer_program(q->head ? q->head->deadline : TIMER_NEVER);
	spin_unlock(&q->lock);
}
