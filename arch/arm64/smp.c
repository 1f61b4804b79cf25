// SPDX-License-Identifier: Apache-2.0
/*
 * Secondary pCPU bring-up and cross-pCPU kicks. pCPUs are powered on with the host
 * firmware's PSCI CPU_ON (Arm DEN0022 5.6: target MPIDR, entry PA, context ID); a kick
 * is physical SGI 0, which only needs to make the target exit to EL2 (or leave WFI):
 * its return path then moves new interrupts into its list registers.
 */
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <asm/smp.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>

#define KICK_SGI	0

extern char el2_vectors[], secondary_entry[];

static struct pcpu pcpus[CONFIG_NR_CPUS];

void pcpu_init(unsigned int id, uint64_t stack_top)
{
	pcpus[id].id = id;
	pcpus[id].stack_top = stack_top;
	pcpus[id].emerg_top = stack_top - PCPU_SLOT_SIZE + PCPU_EMERG_SIZE;
	write_sysreg((uintptr_t)&pcpus[id], tpidr_el2);
	write_sysreg((uintptr_t)el2_vectors, vbar_el2);
	isb();
}

int64_t pcpu_start_vcpu(struct vcpu *v)
{
	unsigned int id = v->vcpu_id;

	if (id == 0 || id >= bootinfo.nr_cpus || id >= CONFIG_NR_CPUS)
		return PSCI_INVALID_PARAMETERS;
	pcpus[id].curr = v;
	dsb(ish);
	return (int64_t)smccc_firmware_call(PSCI_CPU_ON_64, bootinfo.cpu_mpidr[id],
					    (uintptr_t)secondary_entry, id);
}

void vcpu_kick(struct vcpu *v)
{
	unsigned int id = v->vcpu_id;

	if (v->online && v != current && id < bootinfo.nr_cpus)
		gic_send_sgi(KICK_SGI, bootinfo.cpu_mpidr[id]);
}

void secondary_start(unsigned int id)
{
	struct vcpu *v = pcpus[id].curr;

	pcpu_init(id, pcpu_stack_top(id));
	if (gic_init_secondary())
		panic("pCPU %u: no GICv3 redistributor matches its MPIDR", id);
	irq_init_cpu();
	printk("pCPU %u up: running d%u v%u\n", id, v->domain->domain_id, v->vcpu_id);
	vcpu_enter_first(v);
}
