// SPDX-License-Identifier: Apache-2.0
/*
 * null: each vCPU gets a pCPU of its own for good, and that pCPU runs only it (or idles
 * while it is blocked): no time slices, no migration, the lowest latency. After Xen's
 * null scheduler (xen/common/sched/null.c), without its waiting list: a vCPU with no
 * pCPU left is refused when it is created, so boot stops with the limit named.
 */
#include <asm/pcpu.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>

static const struct vcpu *owner[CONFIG_NR_CPUS];

static int null_insert(struct vcpu *v)
{
	unsigned int cpus = nr_pcpus();

	for (unsigned int cpu = 0; cpu < cpus; cpu++)
		if (!owner[cpu]) {
			owner[cpu] = v;
			v->processor = cpu;
			return 0;
		}
	printk("sched=null: d%u v%u has no pCPU left: %u pCPU(s), one vCPU each "
	       "(use fewer vCPUs or sched=credit2)\n", v->domain->domain_id, v->vcpu_id, cpus);
	return -ENOSPC;
}

static unsigned int null_wake(struct vcpu *v)
{
	return v->processor;
}

static void null_nop(struct vcpu *v)
{
}

static struct vcpu *null_pick(struct sched_rq *rq, struct vcpu *prev, uint64_t *slice)
{
	*slice = TIMER_NEVER;
	return rq->head;	/* the pCPU's own vCPU, if runnable */
}

static bool null_tick(struct vcpu *v, uint64_t ran)
{
	return false;
}

static bool null_preempts(const struct vcpu *v, const struct vcpu *curr)
{
	return true;	/* only the idle vCPU can be running there */
}

static bool null_migrate(const struct vcpu *v)
{
	return false;
}

const struct sched_policy sched_null = {
	.name = "null",
	.insert = null_insert,
	.wake = null_wake,
	.sleep = null_nop,
	.yield = null_nop,
	.pick = null_pick,
	.tick = null_tick,
	.preempts = null_preempts,
	.migrate = null_migrate,
};
