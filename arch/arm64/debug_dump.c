// SPDX-License-Identifier: Apache-2.0
/*
 * The arch half of debug key 'd' (include/kestrel/debug_keys.h): a vCPU's saved
 * registers, and each pCPU's EL2 state. Every hypervisor handler runs to completion on
 * its pCPU's stack (kestrel/sched.h), so a pCPU that is not printing has no hypervisor
 * frames worth walking: it is in a guest, in a short handler, or idle. Only the printing
 * pCPU's backtrace is shown (symbolised, asm/backtrace.h).
 */
#include <asm/backtrace.h>
#include <asm/id_regs.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/vgic-hw.h>
#include <kestrel/debug_keys.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>

/* Slots of arch_vcpu.sysregs (the SYSREGS() order in context.c). */
#define SR_SCTLR	0
#define SR_TTBR0	3
#define SR_TTBR1	4
#define SR_ESR		6
#define SR_FAR		9
#define SR_VBAR		12
#define SR_SP_EL0	17
#define SR_SP_EL1	18
#define SR_ELR		19

/* The EL1 registers printed, live from this pCPU (for the vCPU loaded here). */
static void live_sysregs(uint64_t *s)
{
	s[SR_SCTLR] = read_sysreg(sctlr_el1);
	s[SR_TTBR0] = read_sysreg(ttbr0_el1);
	s[SR_TTBR1] = read_sysreg(ttbr1_el1);
	s[SR_ESR] = read_sysreg(esr_el1);
	s[SR_FAR] = read_sysreg(far_el1);
	s[SR_VBAR] = read_sysreg(vbar_el1);
	s[SR_SP_EL0] = read_sysreg(sp_el0);
	s[SR_SP_EL1] = read_sysreg(sp_el1);
	s[SR_ELR] = read_sysreg(elr_el1);
}

void arch_dump_vcpu_regs(const struct vcpu *v)
{
	const struct cpu_user_regs *r = &v->regs;
	uint64_t live[ARRAY_SIZE(v->arch.sysregs)];
	const uint64_t *s = v->arch.sysregs;
	bool here = this_pcpu()->curr == v;

	if (here) {
		live_sysregs(live);
		s = live;
		printk("  (loaded here: x19-x29 as of its last full exit)\n");
	} else if (v->sched.is_running) {
		printk("  (loaded on pCPU %u: x0-x30 as of its last exit, EL1 registers live there)\n",
		       v->processor);
	}
	printk("  pc 0x%016lx cpsr 0x%08lx lr 0x%016lx\n", (unsigned long)r->pc, (unsigned long)r->cpsr,
	       (unsigned long)r->x[30]);
	for (unsigned int i = 0; i < 30; i += 3)
		printk("  x%-2u 0x%016lx x%-2u 0x%016lx x%-2u 0x%016lx\n", i, (unsigned long)r->x[i], i + 1,
		       (unsigned long)r->x[i + 1], i + 2, (unsigned long)r->x[i + 2]);
	if (v->sched.is_running && !here)
		return;
	printk("  sp_el1 0x%016lx sp_el0 0x%016lx elr_el1 0x%016lx\n", (unsigned long)s[SR_SP_EL1],
	       (unsigned long)s[SR_SP_EL0], (unsigned long)s[SR_ELR]);
	printk("  sctlr_el1 0x%08lx vbar_el1 0x%016lx esr_el1 0x%08lx far_el1 0x%016lx\n",
	       (unsigned long)s[SR_SCTLR], (unsigned long)s[SR_VBAR], (unsigned long)s[SR_ESR],
	       (unsigned long)s[SR_FAR]);
	printk("  ttbr0_el1 0x%016lx ttbr1_el1 0x%016lx (guest frames: walk them with gdb)\n",
	       (unsigned long)s[SR_TTBR0], (unsigned long)s[SR_TTBR1]);
}

void arch_dump_pcpus(void)
{
	unsigned int me = smp_processor_id();

	for (unsigned int cpu = 0; cpu < nr_pcpus(); cpu++) {
		const struct vcpu *v = *(struct vcpu *const volatile *)&pcpu_get(cpu)->curr;
		char name[16];

		if (!v || is_idle_vcpu(v))
			snprintk(name, sizeof(name), "idle");
		else
			snprintk(name, sizeof(name), "d%uv%u", v->domain->domain_id, v->vcpu_id);
		if (cpu != me) {
			printk("pCPU %u: current %s (in its guest, a short handler, or idle: no frames kept)\n",
			       cpu, name);
			continue;
		}
		printk("pCPU %u (this one, in the debug key handler): current %s\n", cpu, name);
		printk("  VTTBR_EL2 0x%016lx HCR_EL2 0x%016lx ELR_EL2 0x%016lx\n",
		       (unsigned long)read_sysreg(vttbr_el2), (unsigned long)read_sysreg(hcr_el2),
		       (unsigned long)read_sysreg(elr_el2));
		if (context_has_contextidr_el2())
			printk("  CONTEXTIDR_EL2 0x%08lx\n", (unsigned long)read_sysreg(S3_4_C13_C0_1));
		backtrace_here();
	}
}

uint64_t arch_dump_lr(const struct vcpu *v, unsigned int n, bool *live)
{
	*live = this_pcpu()->curr == v;
	return *live ? vgic_read_lr(n) : v->vgic.lr_saved[n];
}
