// SPDX-License-Identifier: Apache-2.0
/*
 * Trap counters and the per-pCPU trace ring (include/kestrel/trace.h): boot option,
 * records, the counters' sum, and the dumps the debug keys print. The exits themselves
 * are seen by the arch (arch/arm64/trace_entry.c).
 */
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/sched.h>
#include <kestrel/trace.h>
#include <public/xen.h>

#define TRACE_RING_BYTES	(CONFIG_TRACE_RECORDS * sizeof(struct trace_record))
#define TRACE_RING_PAGES	((unsigned int)((TRACE_RING_BYTES + 4095) / 4096))

_Static_assert((CONFIG_TRACE_RECORDS & (CONFIG_TRACE_RECORDS - 1)) == 0, "TRACE_RECORDS: a power of 2");

struct trace_pcpu trace_pcpus[CONFIG_NR_CPUS];
bool trace_recording_flag;
static enum trace_mode mode;

/* Names of the hypercalls Kestrel implements (common/hypercall-defs.h), by number. */
static const char *const hypercall_names[TRACE_NR_HYPERCALLS] = {
#define HYPERCALL(nr, name, nargs, who) [nr] = #name,
#include "hypercall-defs.h"
#undef HYPERCALL
};

void trace_init(const char *cmdline)
{
	char buf[24];

	if (!cmdline_get(cmdline, "trace", buf, sizeof(buf)) || !strcmp(buf, "off"))
		return;
	if (!strcmp(buf, "counts"))
		mode = TRACE_COUNTS;
	else if (!strcmp(buf, "on"))
		mode = TRACE_ON;
	else
		panic("trace=%s: expected off, counts or on", buf);
	if (mode == TRACE_ON) {
		for (unsigned int cpu = 0; cpu < nr_pcpus(); cpu++) {
			trace_pcpus[cpu].ring = mm_alloc_pages(TRACE_RING_PAGES, 4096);
			if (!trace_pcpus[cpu].ring)
				panic("trace=on: no memory for pCPU %u's ring (%u pages)", cpu,
				      TRACE_RING_PAGES);
		}
		trace_recording_flag = true;
	}
	if (mode == TRACE_ON)
		printk("trace=on: trap counters and a ring of %u records per pCPU (debug keys 't', 'T')\n",
		       CONFIG_TRACE_RECORDS);
	else
		printk("trace=counts: trap counters (debug key 't')\n");
	arch_trace_install();
}

enum trace_mode trace_mode(void)
{
	return mode;
}

void trace_record_event(unsigned int event, unsigned int ec, uint64_t arg, uint64_t pc)
{
	struct vcpu *v = current;
	unsigned int cpu = smp_processor_id();
	struct trace_pcpu *t = &trace_pcpus[cpu];
	struct trace_record *r;

	if (!t->ring)
		return;
	r = &t->ring[t->next & (CONFIG_TRACE_RECORDS - 1)];
	r->time = arch_trace_time();
	r->pc = pc;
	r->arg = arg;
	r->domid = v ? v->domain->domain_id : DOMID_IDLE;
	r->vcpu = v ? (uint16_t)v->vcpu_id : 0;
	r->pcpu = (uint16_t)cpu;
	r->event = (uint8_t)event;
	r->ec = (uint8_t)ec;
	__atomic_store_n(&t->next, t->next + 1, __ATOMIC_RELEASE);	/* the dump reads it */
}

bool trap_counts_snapshot(struct trap_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (mode == TRACE_OFF)
		return false;
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		const volatile struct trap_counts *c = &trace_pcpus[cpu].counts;

		for (unsigned int i = 0; i < TRACE_NR_EC; i++)
			out->ec[i] += c->ec[i];
		for (unsigned int i = 0; i < TRACE_NR_HYPERCALLS; i++)
			out->hypercall[i] += c->hypercall[i];
		out->hypercall_other += c->hypercall_other;
		out->smccc += c->smccc;
		out->irq += c->irq;
		out->fiq += c->fiq;
		out->serror += c->serror;
	}
	return true;
}

void trap_counts_print(void)
{
	struct trap_counts c;
	uint64_t total = 0;

	if (!trap_counts_snapshot(&c)) {
		printk("trap counts: off (boot with trace=counts or trace=on)\n");
		return;
	}
	for (unsigned int i = 0; i < TRACE_NR_EC; i++)
		total += c.ec[i];
	printk("trap counts since boot, all pCPUs: %lu synchronous, %lu IRQ, %lu FIQ, %lu SError\n",
	       (unsigned long)total, (unsigned long)c.irq, (unsigned long)c.fiq, (unsigned long)c.serror);
	for (unsigned int i = 0; i < TRACE_NR_EC; i++) {
		const char *name = arch_trace_ec_name(i);

		if (c.ec[i])
			printk("  EC 0x%02x %-10s %12lu\n", i, name ? name : "?", (unsigned long)c.ec[i]);
	}
	printk("  SMCCC calls          %12lu\n", (unsigned long)c.smccc);
	for (unsigned int i = 0; i < TRACE_NR_HYPERCALLS; i++)
		if (c.hypercall[i])
			printk("  hypercall %2u %-16s %12lu\n", i,
			       hypercall_names[i] ? hypercall_names[i] : "(unknown)", (unsigned long)c.hypercall[i]);
	if (c.hypercall_other)
		printk("  hypercall >= %u          %12lu\n", TRACE_NR_HYPERCALLS, (unsigned long)c.hypercall_other);
}

static void print_who(char *buf, size_t size, unsigned int domid, unsigned int vcpu)
{
	if (domid == DOMID_IDLE)
		snprintk(buf, size, "idle");
	else
		snprintk(buf, size, "d%uv%u", domid, vcpu);
}

static void print_record(const struct trace_record *r)
{
	char who[16], prev[16];
	const char *ec = arch_trace_ec_name(r->ec);

	print_who(who, sizeof(who), r->domid, r->vcpu);
	switch (r->event) {
	case TRACE_EV_TRAP:
		printk("  %14lu p%u %-7s trap %s (EC 0x%02x) ESR 0x%lx pc 0x%lx\n", (unsigned long)r->time,
		       r->pcpu, who, ec ? ec : "?", r->ec, (unsigned long)r->arg, (unsigned long)r->pc);
		break;
	case TRACE_EV_HYPERCALL:
		printk("  %14lu p%u %-7s hypercall %lu %s pc 0x%lx\n", (unsigned long)r->time, r->pcpu, who,
		       (unsigned long)r->arg, r->arg < TRACE_NR_HYPERCALLS && hypercall_names[r->arg] ?
		       hypercall_names[r->arg] : "(unknown)", (unsigned long)r->pc);
		break;
	case TRACE_EV_SMCCC:
		printk("  %14lu p%u %-7s smccc 0x%08lx pc 0x%lx\n", (unsigned long)r->time, r->pcpu, who,
		       (unsigned long)r->arg, (unsigned long)r->pc);
		break;
	case TRACE_EV_IRQ:
		printk("  %14lu p%u %-7s irq %lu pc 0x%lx\n", (unsigned long)r->time, r->pcpu, who,
		       (unsigned long)r->arg, (unsigned long)r->pc);
		break;
	case TRACE_EV_FIQ:
		printk("  %14lu p%u %-7s fiq pc 0x%lx\n", (unsigned long)r->time, r->pcpu, who,
		       (unsigned long)r->pc);
		break;
	case TRACE_EV_SERROR:
		printk("  %14lu p%u %-7s serror ESR 0x%lx pc 0x%lx\n", (unsigned long)r->time, r->pcpu, who,
		       (unsigned long)r->arg, (unsigned long)r->pc);
		break;
	case TRACE_EV_SWITCH:
		if (r->arg == ~0UL)
			snprintk(prev, sizeof(prev), "-");
		else
			print_who(prev, sizeof(prev), (unsigned int)(r->arg >> 16), (unsigned int)(r->arg & 0xffff));
		printk("  %14lu p%u %-7s switch (from %s)\n", (unsigned long)r->time, r->pcpu, who, prev);
		break;
	default:
		printk("  %14lu p%u %-7s event %u arg 0x%lx\n", (unsigned long)r->time, r->pcpu, who, r->event,
		       (unsigned long)r->arg);
	}
}

void trace_dump(void)
{
	if (mode != TRACE_ON) {
		printk("trace buffer: off (boot with trace=on)\n");
		return;
	}
	__atomic_store_n(&trace_recording_flag, false, __ATOMIC_RELEASE);
	for (unsigned int cpu = 0; cpu < nr_pcpus(); cpu++) {
		const struct trace_pcpu *t = &trace_pcpus[cpu];
		uint64_t next = __atomic_load_n(&t->next, __ATOMIC_ACQUIRE);
		uint64_t first = next > CONFIG_TRACE_RECORDS ? next - CONFIG_TRACE_RECORDS : 0;

		printk("trace pCPU %u: records %lu-%lu of %lu (time: counter ticks at %lu Hz)\n", cpu,
		       (unsigned long)first, (unsigned long)(next ? next - 1 : 0), (unsigned long)next,
		       (unsigned long)read_sysreg(cntfrq_el0));
		for (uint64_t i = first; i < next; i++)
			print_record(&t->ring[i & (CONFIG_TRACE_RECORDS - 1)]);
	}
	__atomic_store_n(&trace_recording_flag, true, __ATOMIC_RELEASE);
}
