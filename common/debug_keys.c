// SPDX-License-Identifier: Apache-2.0
/*
 * Debug keys (include/kestrel/debug_keys.h): what the hypervisor knows about domains,
 * vCPUs, run queues, interrupts, memory, event channels, grant frames and traps, printed
 * on request from the serial console.
 *
 * They run on the pCPU that took the UART interrupt, in that interrupt's handler: its
 * current vCPU waits while a key formats its output, the other pCPUs keep running. Each
 * domain is pinned (domain_get()) while it is printed and no lock is held while printing
 * (run queues are copied under their lock first), so no other pCPU waits on a debug key.
 * What is read without a lock (vGIC and event-channel state, grant entries) is a
 * snapshot that may be a few exits old. Each key ends with a line giving the time its
 * guest-visible part took (formatting into a buffer; the buffer is written to the UART
 * later, a few lines at a time, see drain()), in counter ticks and µs.
 */
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <asm/sysregs.h>
#include <kestrel/console.h>
#include <kestrel/debug_keys.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <kestrel/trace.h>
#include <public/grant_table.h>
#include <public/xen.h>

#define MAX_LISTED	16	/* domains, or queued vCPUs of one run queue, per key */
#define GRANTS_LISTED	8	/* grant entries printed per domain */

static const char *const runstate_names[] = {
	[RUNSTATE_running] = "running", [RUNSTATE_runnable] = "runnable",
	[RUNSTATE_blocked] = "blocked", [RUNSTATE_offline] = "offline",
};

static const char *runstate_name(unsigned int state)
{
	return state < ARRAY_SIZE(runstate_names) ? runstate_names[state] : "?";
}

/* The ids of the domains on domain_list, in list order; at most MAX_LISTED. */
static unsigned int domain_ids(uint16_t *ids)
{
	unsigned int n = 0;

	spin_lock(&domlist_lock);
	for (struct domain *d = domain_list; d && n < MAX_LISTED; d = d->next_in_list)
		ids[n++] = d->domain_id;
	spin_unlock(&domlist_lock);
	return n;
}

/* Call @fn on each domain, pinned. */
static void for_each_domain_pinned(void (*fn)(struct domain *d))
{
	uint16_t ids[MAX_LISTED];
	unsigned int n = domain_ids(ids);

	if (!n)
		printk("  (no domains)\n");
	for (unsigned int i = 0; i < n; i++) {
		struct domain *d = domain_get(ids[i]);

		if (d) {
			fn(d);
			domain_put(d);
		}
	}
}

static uint64_t domain_ram_bytes(const struct domain *d)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < d->nr_mem; i++)
		sum += d->mem[i].size;
	return sum;
}

/* 'q': domains and their vCPUs. */
static void dump_domain(struct domain *d)
{
	printk("d%u: VMID %u, %lu MiB RAM%s, %u vCPU(s)%s%s%s\n", d->domain_id, d->p2m.vmid,
	       (unsigned long)(domain_ram_bytes(d) >> 20), d->direct_map ? " (1:1)" : "", d->max_vcpus,
	       d->is_privileged ? ", privileged" : "", d->vpl011 ? ", vpl011" : "",
	       d->is_dying ? ", dying" : "");
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		printk("  d%uv%u: %-8s pCPU %u, runtime %lu us, MPIDR 0x%lx\n", d->domain_id, v->vcpu_id,
		       runstate_name(v->sched.state), v->processor, (unsigned long)(v->sched.runtime_ns / 1000),
		       (unsigned long)v->vmpidr);
	}
}

static void key_domains(void)
{
	printk("domains (VMID = domain id + 1; vCPU: state, pCPU, run time):\n");
	for_each_domain_pinned(dump_domain);
}

/* 'd': registers of every vCPU, then the pCPUs. */
static void dump_domain_regs(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		printk("d%uv%u (%s on pCPU %u) registers:\n", d->domain_id, v->vcpu_id,
		       runstate_name(v->sched.state), v->processor);
		arch_dump_vcpu_regs(v);
	}
}

static void key_registers(void)
{
	for_each_domain_pinned(dump_domain_regs);
	arch_dump_pcpus();
}

static void who(char *buf, size_t size, const struct vcpu *v)
{
	if (!v)
		snprintk(buf, size, "-");
	else if (is_idle_vcpu(v))
		snprintk(buf, size, "idle");
	else
		snprintk(buf, size, "d%uv%u", v->domain->domain_id, v->vcpu_id);
}

/* 'r': each pCPU's current vCPU and queue, copied under the queue's lock. */
static void key_runqueues(void)
{
	printk("run queues (scheduler %s):\n", sched_policy_name());
	for (unsigned int cpu = 0; cpu < nr_pcpus(); cpu++) {
		struct pcpu *p = pcpu_get(cpu);
		struct sched_rq *rq = &p->rq;
		const struct vcpu *queued[MAX_LISTED], *curr;
		unsigned int n = 0, total;
		char line[160], name[16];
		int len;

		spin_lock(&rq->lock);
		curr = p->curr;
		total = rq->nr_queued;
		for (const struct vcpu *v = rq->head; v && n < MAX_LISTED; v = v->sched.rq_next)
			queued[n++] = v;
		spin_unlock(&rq->lock);
		who(name, sizeof(name), curr);
		len = snprintk(line, sizeof(line), "pCPU %u%s: current %s, %u queued:", cpu,
			       p->online ? "" : " (offline)", name, total);
		for (unsigned int i = 0; i < n && len < (int)sizeof(line); i++) {
			who(name, sizeof(name), queued[i]);
			len += snprintk(line + len, sizeof(line) - (size_t)len, " %s", name);
		}
		printk("%s%s\n", line, n ? "" : " (empty)");
	}
}

/* 'i': one vIRQ's state, if it is anything but idle and disabled. */
static void dump_virq(const struct vgic_irq *irq)
{
	char lr[16] = "";

	if (!irq->pending && !irq->active && irq->lr < 0)
		return;
	if (irq->lr >= 0)
		snprintk(lr, sizeof(lr), ", in LR%d", irq->lr);
	printk("    vIRQ %u%s%s%s%s%s, priority 0x%02x%s\n", irq->intid, irq->enabled ? " enabled" : " disabled",
	       irq->pending ? " pending" : "", irq->active ? " active" : "", irq->hw ? " hw" : "",
	       irq->edge ? " edge" : " level", irq->priority, lr);
}

static void dump_domain_irqs(struct domain *d)
{
	unsigned int enabled = 0;

	printk("d%u: %u SPIs\n", d->domain_id, d->vgic.nr_spis);
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		printk("  d%uv%u: list registers in use 0x%x, ICH_HCR 0x%lx\n", d->domain_id, v->vcpu_id,
		       v->vgic.lr_used, (unsigned long)v->vgic.ich_hcr);
		for (unsigned int lr = 0; lr < VGIC_MAX_LRS; lr++) {
			bool live;
			uint64_t val;

			if (!(v->vgic.lr_used & (1U << lr)))
				continue;
			val = arch_dump_lr(v, lr, &live);
			printk("    LR%u: vIRQ %u, 0x%016lx%s%s%s\n", lr, v->vgic.lr_intid[lr], (unsigned long)val,
			       val & VGIC_LR_PENDING ? " pending" : "", val & VGIC_LR_ACTIVE ? " active" : "",
			       live ? " (live)" : v->sched.is_running ? " (saved; loaded elsewhere, stale)" : " (saved)");
		}
		for (unsigned int intid = 0; intid < VGIC_NR_PRIVATE; intid++) {
			enabled += v->vgic.private_irqs[intid].enabled;
			dump_virq(&v->vgic.private_irqs[intid]);
		}
	}
	for (unsigned int i = 0; d->vgic.spis && i < d->vgic.nr_spis; i++) {
		enabled += d->vgic.spis[i].enabled;
		dump_virq(&d->vgic.spis[i]);
	}
	printk("  %u vIRQ(s) enabled in all\n", enabled);
}

static void key_interrupts(void)
{
	irq_dump_routing();
	printk("virtual interrupts (those pending, active or in a list register):\n");
	for_each_domain_pinned(dump_domain_irqs);
}

/* 'm': the heap and each domain's RAM and p2m pool. */
static void dump_domain_mem(struct domain *d)
{
	printk("  d%u: RAM %lu MiB in %u bank(s), p2m pool %u of %u pages used, %u grant frame(s)\n",
	       d->domain_id, (unsigned long)(domain_ram_bytes(d) >> 20), d->nr_mem, d->p2m.pool_used,
	       d->p2m.pool_pages, d->gnttab.nr_frames);
	for (unsigned int i = 0; i < d->nr_mem; i++)
		printk("    bank %u: IPA 0x%lx, %lu MiB\n", i, (unsigned long)d->mem[i].start,
		       (unsigned long)(d->mem[i].size >> 20));
}

static void key_memory(void)
{
	uint64_t free_pages, total_pages;

	mm_stats(&free_pages, &total_pages);
	printk("heap: %lu of %lu pages free (%lu KiB of %lu KiB)\n", (unsigned long)free_pages,
	       (unsigned long)total_pages, (unsigned long)(free_pages * 4), (unsigned long)(total_pages * 4));
	printk("domains:\n");
	for_each_domain_pinned(dump_domain_mem);
}

/* 'e': the ports in use. */
static const char *const ecs_names[] = {
	[ECS_FREE] = "free", [ECS_RESERVED] = "reserved", [ECS_UNBOUND] = "unbound",
	[ECS_INTERDOMAIN] = "interdomain", [ECS_VIRQ] = "virq", [ECS_IPI] = "ipi",
};

static bool port_bit(const xen_ulong_t *map, unsigned int port)
{
	return (map[port / 64] >> (port % 64)) & 1;
}

static void dump_domain_evtchn(struct domain *d)
{
	const struct evtchn *ports = d->evtchn.ports;
	const struct shared_info *si = d->shared_info;
	unsigned int used = 0;

	if (!ports)
		return;
	for (unsigned int p = 1; p < EVTCHN_MAX_PORTS; p++) {
		const struct evtchn *c = &ports[p];
		char peer[40] = "";

		if (c->state == ECS_FREE)
			continue;
		used++;
		if (c->state == ECS_INTERDOMAIN)
			snprintk(peer, sizeof(peer), " -> d%u port %u", c->remote_domid, c->remote_port);
		else if (c->state == ECS_UNBOUND)
			snprintk(peer, sizeof(peer), " (for d%u)", c->remote_domid);
		else if (c->state == ECS_VIRQ)
			snprintk(peer, sizeof(peer), " %u", c->virq);
		printk("  d%u port %u: %s%s, vCPU %u%s%s\n", d->domain_id, p,
		       c->state < ARRAY_SIZE(ecs_names) ? ecs_names[c->state] : "?", peer, c->notify_vcpu,
		       si && port_bit(si->evtchn_pending, p) ? ", pending" : "",
		       si && port_bit(si->evtchn_mask, p) ? ", masked" : "");
	}
	printk("d%u: %u port(s) in use\n", d->domain_id, used);
}

static void key_evtchn(void)
{
	printk("event channels:\n");
	for_each_domain_pinned(dump_domain_evtchn);
}

/* 'g': grant frames and the entries in use (flags set). */
static void dump_domain_gnttab(struct domain *d)
{
	unsigned int used = 0, per_frame = 4096 / sizeof(struct grant_entry_v1);

	if (d->gnttab.version)
		printk("d%u: %u grant frame(s) of %u, version %u\n", d->domain_id, d->gnttab.nr_frames,
		       CONFIG_GNTTAB_MAX_FRAMES, d->gnttab.version);
	else
		printk("d%u: %u grant frame(s) of %u, version not set (no GNTTABOP_set_version yet)\n",
		       d->domain_id, d->gnttab.nr_frames, CONFIG_GNTTAB_MAX_FRAMES);
	for (unsigned int f = 0; f < CONFIG_GNTTAB_MAX_FRAMES; f++) {
		const struct grant_entry_v1 *e = d->gnttab.frames[f];

		for (unsigned int i = 0; e && i < per_frame; i++) {
			uint16_t flags = *(const volatile uint16_t *)&e[i].flags;

			if (!(flags & GTF_type_mask))
				continue;
			if (used++ < GRANTS_LISTED)
				printk("  ref %u: to d%u, frame 0x%x, flags 0x%x\n", f * per_frame + i, e[i].domid,
				       e[i].frame, flags);
		}
	}
	printk("  %u entr%s in use\n", used, used == 1 ? "y" : "ies");
}

static void key_gnttab(void)
{
	printk("grant tables:\n");
	for_each_domain_pinned(dump_domain_gnttab);
}

static void key_reboot(void)
{
	printk("rebooting the machine (debug key 'R')\n");
	firmware_system_reset();
	printk("PSCI SYSTEM_RESET failed\n");
}

static void key_help(void);
static void key_all(void);

/**
 * struct debug_key_handler - a key, what it does (one line of 'h'), and whether '*' runs it.
 */
static const struct debug_key_handler {
	char key;
	bool in_all;
	void (*fn)(void);
	const char *desc;
} handlers[] = {
	{ 'h', false, key_help, "this list" },
	{ 'd', true, key_registers, "registers of every vCPU, then every pCPU (this one's backtrace)" },
	{ 'q', true, key_domains, "domains: id, VMID, memory, vCPUs with state, pCPU and run time" },
	{ 'r', true, key_runqueues, "run queues: each pCPU's current vCPU and queue" },
	{ 'i', true, key_interrupts, "interrupts: physical -> virtual routing, vIRQ state, list registers" },
	{ 'm', true, key_memory, "memory: heap, each domain's RAM banks and p2m pool" },
	{ 'e', true, key_evtchn, "event channels of every domain" },
	{ 'g', true, key_gnttab, "grant frames and grant entries in use" },
	{ 't', true, trap_counts_print, "trap counts by exception class and hypercall (trace=counts|on)" },
	{ 'T', false, trace_dump, "trace buffer of every pCPU (trace=on)" },
	{ 'R', false, key_reboot, "reboot the machine" },
	{ '*', false, key_all, "all of the above but h, T and R" },
};

static void key_help(void)
{
	printk("debug keys (Ctrl-a three times gives input back to the guests):\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(handlers); i++)
		printk("  %c  %s\n", handlers[i].key, handlers[i].desc);
}

static void key_all(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(handlers); i++)
		if (handlers[i].in_all) {
			printk("--- '%c': %s\n", handlers[i].key, handlers[i].desc);
			handlers[i].fn();
		}
}

/*
 * Output: a key's handler prints into out_buf (console_capture_begin()), which takes
 * formatting time only, and drain() writes it to the UART a few whole lines at a time from
 * a timer, DRAIN_BYTES every DRAIN_PERIOD_US (12 KB/s, about what a 115200-baud line
 * carries), so no guest waits for the UART for more than a line or two at a time. Guest
 * output is written in between, at line boundaries.
 */
#define OUT_BUF_SIZE		(128 * 1024)
#define DRAIN_BYTES		48
#define DRAIN_PERIOD_US		4000

static char out_buf[OUT_BUF_SIZE];
static size_t out_head, out_len;	/* bytes [out_head, out_len) are still to be written */
static bool draining;
static spinlock_t out_lock;		/* the above; taken before a timer queue's lock */
static struct timer drain_timer;

static void drain(struct timer *t)
{
	size_t n = 0;

	spin_lock(&out_lock);
	while (out_head + n < out_len && (n < DRAIN_BYTES || out_buf[out_head + n - 1] != '\n'))
		n++;
	console_write_raw(out_buf + out_head, n);
	out_head += n;
	if (out_head < out_len)
		timer_set(t, timer_now() + timer_ns_to_ticks(DRAIN_PERIOD_US * 1000UL));
	else
		draining = false;
	spin_unlock(&out_lock);
}

/* Run handler @h with its output captured, then queue that output for drain(). */
static void run_captured(const struct debug_key_handler *h)
{
	struct console_capture cap;
	uint64_t start, ticks;

	spin_lock(&out_lock);
	if (!draining)
		out_head = out_len = 0;
	cap = (struct console_capture){ .buf = out_buf, .size = sizeof(out_buf), .len = out_len };
	console_capture_begin(&cap);
	start = read_sysreg(cntpct_el0);
	h->fn();
	ticks = read_sysreg(cntpct_el0) - start;
	printk("debug key '%c' done: %lu counter ticks (%lu us) on pCPU %u, %lu bytes of output%s\n", h->key,
	       (unsigned long)ticks, (unsigned long)(ticks * 1000000 / read_sysreg(cntfrq_el0)),
	       smp_processor_id(), (unsigned long)(cap.len - out_len), cap.dropped ? " (some dropped: buffer full)" : "");
	console_capture_end();
	out_len = cap.len;
	if (!draining && out_len) {
		draining = true;
		if (!drain_timer.fn)
			timer_init(&drain_timer, drain);
		timer_set(&drain_timer, timer_now());
	}
	spin_unlock(&out_lock);
}

void debug_key(char c)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(handlers); i++) {
		if (handlers[i].key != c)
			continue;
		if (c == 'R')
			handlers[i].fn();	/* straight to the UART: the machine resets after it */
		else
			run_captured(&handlers[i]);
		return;
	}
	if (c != '\r' && c != '\n')
		printk("no debug key '%c' ('h' lists them)\n", c);
}

void console_hyp_input(char c)
{
	debug_key(c);
}
