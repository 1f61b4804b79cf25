// SPDX-License-Identifier: Apache-2.0
/*
 * The fake arm64 of host unit tests: the arch hooks of kestrel/sched.h and kestrel/timer.h,
 * the system-register accessors of the fake asm/sysregs.h, and the few hypervisor objects
 * the scheduler refers to. Interface and usage: fake_arch.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake_arch.h"

#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <public/xen.h>

#define CNTV_CTL_ENABLE		(1UL << 0)	/* CNTV_CTL_EL0, as arch/arm64/context.c */
#define CNTV_CTL_IMASK		(1UL << 1)
#define FAKE_NR_SYSREGS		32

unsigned int fake_cpu;
unsigned int fake_nr_pcpus = 1;
uint64_t fake_now;
struct fake_pcpu fake_pcpu[CONFIG_NR_CPUS];
struct vcpu fake_idle_vcpu[CONFIG_NR_CPUS];
struct fake_shutdown_record fake_shutdown;

struct pcpu pcpu_table[CONFIG_NR_CPUS];
struct bootinfo bootinfo = { .cmdline = "" };
struct domain idle_domain = { .domain_id = DOMID_IDLE };

/* Registers written through write_sysreg(), per pCPU (those without a fixed meaning). */
static struct {
	const char *name;
	uint64_t val;
} sysreg_file[CONFIG_NR_CPUS][FAKE_NR_SYSREGS];

void (*fake_kick_hook)(unsigned int cpu);

static jmp_buf sched_jmp[CONFIG_NR_CPUS], shutdown_jmp;
static bool in_schedule[CONFIG_NR_CPUS], in_catch_shutdown;

static struct pcpu *fake_this_pcpu(void)
{
	assert_in_range(fake_cpu, 0, fake_nr_pcpus - 1);
	return &pcpu_table[fake_cpu];
}

uint64_t fake_read_sysreg(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (uintptr_t)fake_this_pcpu();
	if (!strcmp(name, "cntpct_el0"))
		return fake_now;
	if (!strcmp(name, "cntfrq_el0"))
		return FAKE_COUNTER_FREQ;
	return fake_sysreg_get(fake_cpu, name);
}

void fake_write_sysreg(const char *name, uint64_t val)
{
	if (!strcmp(name, "tpidr_el2")) {	/* smp.c's per-pCPU setup: that pCPU is now "this" */
		fake_cpu = (unsigned int)((struct pcpu *)(uintptr_t)val - pcpu_table);
		return;
	}
	assert_true(fake_cpu < CONFIG_NR_CPUS);
	for (unsigned int i = 0; i < FAKE_NR_SYSREGS; i++)
		if (!sysreg_file[fake_cpu][i].name || !strcmp(sysreg_file[fake_cpu][i].name, name)) {
			sysreg_file[fake_cpu][i].name = name;
			sysreg_file[fake_cpu][i].val = val;
			return;
		}
	fail_msg("fake register file full writing %s", name);
}

uint64_t fake_sysreg_get(unsigned int cpu, const char *name)
{
	assert_true(cpu < CONFIG_NR_CPUS);
	for (unsigned int i = 0; i < FAKE_NR_SYSREGS && sysreg_file[cpu][i].name; i++)
		if (!strcmp(sysreg_file[cpu][i].name, name))
			return sysreg_file[cpu][i].val;
	return 0;
}

void fake_arch_reset(unsigned int nr_cpus)
{
	assert_in_range(nr_cpus, 1, CONFIG_NR_CPUS);
	memset(pcpu_table, 0, sizeof(pcpu_table));
	memset(fake_pcpu, 0, sizeof(fake_pcpu));
	memset(fake_idle_vcpu, 0, sizeof(fake_idle_vcpu));
	memset(sysreg_file, 0, sizeof(sysreg_file));
	memset(&fake_shutdown, 0, sizeof(fake_shutdown));
	fake_nr_pcpus = nr_cpus;
	fake_now = 0;
	memset(in_schedule, 0, sizeof(in_schedule));	/* a failed test may have left them set */
	in_catch_shutdown = false;
	fake_kick_hook = NULL;
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		fake_pcpu[cpu].programmed = TIMER_NEVER;
		pcpu_table[cpu].id = cpu;
		fake_idle_vcpu[cpu].domain = &idle_domain;
		fake_idle_vcpu[cpu].vcpu_id = cpu;
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		fake_cpu = cpu;
		sched_init_pcpu(cpu, &fake_idle_vcpu[cpu]);
		pcpu_table[cpu].online = true;
	}
	fake_cpu = 0;
}

struct vcpu *fake_schedule(unsigned int cpu)
{
	unsigned int caller = fake_cpu;	/* a kick hook may play @cpu in another's step */
	struct pcpu *p;

	assert_in_range(cpu, 0, fake_nr_pcpus - 1);
	assert_false(in_schedule[cpu]);
	fake_cpu = cpu;
	p = fake_this_pcpu();
	p->need_resched = true;
	if (!setjmp(sched_jmp[cpu])) {
		struct vcpu *v;

		in_schedule[cpu] = true;
		v = schedule();	/* returns only with a guest vCPU to enter */
		assert_false(is_idle_vcpu(v));
		assert_int_equal(v->sched.state, RUNSTATE_running);
		assert_ptr_equal(v, p->curr);
	}
	/* Here too from arch_idle_wait() or arch_enter_guest() (idle_loop()). */
	in_schedule[cpu] = false;
	fake_cpu = caller;
	return p->curr;
}

void fake_timer_irq(unsigned int cpu)
{
	assert_in_range(cpu, 0, fake_nr_pcpus - 1);
	fake_cpu = cpu;
	timer_run_expired();
}

void fake_kick_irq(unsigned int cpu)
{
	unsigned int caller = fake_cpu;

	assert_in_range(cpu, 0, fake_nr_pcpus - 1);
	fake_cpu = cpu;
	sched_kicked();
	fake_cpu = caller;
}

bool fake_vtimer_irq(unsigned int cpu)
{
	unsigned int caller = fake_cpu;
	struct vcpu *v;

	assert_in_range(cpu, 0, fake_nr_pcpus - 1);
	v = pcpu_table[cpu].curr;
	if (is_idle_vcpu(v) || arch_vtimer_deadline(v) > fake_now)
		return false;	/* TIMER_NEVER when off or masked */
	fake_cpu = cpu;
	v->arch.cntv_ctl |= CNTV_CTL_IMASK;
	vcpu_kick(v);
	fake_cpu = caller;
	return true;
}

void fake_vtimer_set(struct vcpu *v, uint64_t deadline)
{
	v->arch.cntvoff = 0;
	v->arch.cntv_cval = deadline == TIMER_NEVER ? 0 : deadline;
	v->arch.cntv_ctl = deadline == TIMER_NEVER ? 0 : CNTV_CTL_ENABLE;
}

bool fake_catch_shutdown(void (*fn)(void *arg), void *arg)
{
	unsigned int before = fake_shutdown.count;

	assert_false(in_catch_shutdown);
	if (!setjmp(shutdown_jmp)) {
		in_catch_shutdown = true;
		fn(arg);
	}
	in_catch_shutdown = false;
	return fake_shutdown.count != before;
}

/* ---- Arch hooks (kestrel/sched.h, kestrel/timer.h) ---------------------------------- */

unsigned int nr_pcpus(void)
{
	return fake_nr_pcpus;
}

/* As arch/arm64/context.c: the switch itself makes @next the pCPU's current vCPU. */
void context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct pcpu *p = fake_this_pcpu();
	struct fake_pcpu *f = &fake_pcpu[p->id];

	assert_ptr_equal(prev, p->curr);
	f->switches++;
	f->prev = prev;
	f->next = next;
	if (!is_idle_vcpu(next) && next->reset_pending) {	/* ctxt_switch_to() applies it */
		next->reset_pending = false;
		next->regs.pc = next->boot_pc;
		next->regs.x[0] = next->boot_x0;
		f->resets++;
	}
	p->curr = next;
}

void arch_kick_pcpu(unsigned int cpu)
{
	assert_in_range(cpu, 0, fake_nr_pcpus - 1);
	fake_pcpu[cpu].kicks++;
	fake_pcpu[cpu].kicked = true;
	if (fake_kick_hook)
		fake_kick_hook(cpu);
}

/* The idle vCPU would wait for an interrupt: give control back to fake_schedule(). */
void arch_idle_wait(void)
{
	if (!in_schedule[fake_cpu])
		fail_msg("arch_idle_wait() outside fake_schedule()");
	fake_pcpu[fake_cpu].idle_waits++;
	longjmp(sched_jmp[fake_cpu], 1);
}

void arch_enter_guest(struct vcpu *v)
{
	if (!in_schedule[fake_cpu])
		fail_msg("arch_enter_guest() outside fake_schedule()");
	fake_pcpu[fake_cpu].entries++;
	fake_pcpu[fake_cpu].entered = v;
	longjmp(sched_jmp[fake_cpu], 2);
}

uint64_t arch_vtimer_deadline(const struct vcpu *v)
{
	if ((v->arch.cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
		return TIMER_NEVER;
	return v->arch.cntv_cval + v->arch.cntvoff;
}

uint64_t timer_now(void)
{
	return fake_now;
}

uint64_t arch_counter_freq(void)
{
	return FAKE_COUNTER_FREQ;
}

void arch_timer_program(uint64_t deadline)
{
	struct fake_pcpu *f = &fake_pcpu[fake_this_pcpu()->id];

	f->programmed = deadline;
	f->nr_programs++;
}

/* ---- The rest of the hypervisor --------------------------------------------------- */

void domain_shutdown(struct domain *d, unsigned int reason)
{
	fake_shutdown.count++;
	fake_shutdown.domain = d;
	fake_shutdown.reason = reason;
	if (!in_catch_shutdown)
		fail_msg("domain_shutdown(d%u, %u) outside fake_catch_shutdown()", d->domain_id, reason);
	longjmp(shutdown_jmp, 1);
}

struct vcpu *current_vcpu(void)
{
	return fake_this_pcpu()->curr;
}
