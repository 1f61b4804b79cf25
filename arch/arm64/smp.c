// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPUs: the per-pCPU table, secondary bring-up, kicks and idling. Every pCPU
 * the DT lists (up to CONFIG_NR_CPUS) is powered on at boot with the host firmware's
 * PSCI CPU_ON (Arm DEN0022 5.6: target MPIDR, entry PA, context ID) and enters the
 * scheduler, which gives it vCPUs; none is tied to a vCPU. A kick is physical SGI 0: it
 * only has to make the target leave a guest or WFI, since its way back to a guest then
 * schedules and fills list registers.
 */
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/pcpu.h>
#include <asm/smccc.h>
#include <asm/smp.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/trace.h>

#define KICK_SGI	0

extern char secondary_entry[];

struct pcpu pcpu_table[CONFIG_NR_CPUS];

void pcpu_init(unsigned int id, uint64_t stack_top)
{
	struct pcpu *p = &pcpu_table[id];

	p->id = id;
	p->stack_top = stack_top;
	p->emerg_top = stack_top - PCPU_SLOT_SIZE + PCPU_EMERG_SIZE;
	write_sysreg((uintptr_t)p, tpidr_el2);
	write_sysreg(trace_vbar(), vbar_el2);	/* el2_vectors, or trace_vectors (trace=) */
	isb();
}

unsigned int nr_pcpus(void)
{
	return MAX(1U, MIN(bootinfo.nr_cpus, (unsigned int)CONFIG_NR_CPUS));
}

void smp_boot_secondaries(void)
{
	for (unsigned int id = 1; id < nr_pcpus(); id++) {
		int64_t ret = (int64_t)smccc_firmware_call(PSCI_CPU_ON_64, bootinfo.cpu_mpidr[id],
							   (uintptr_t)secondary_entry, id);

		if (ret)
			panic("pCPU %u (MPIDR 0x%lx): the firmware's PSCI CPU_ON failed (%ld)", id,
			      (unsigned long)bootinfo.cpu_mpidr[id], (long)ret);
		/*
		 * Wait until it schedules: before that its struct pcpu has no idle vCPU, and a
		 * vCPU placed there (PSCI CPU_ON from dom0) would find no pCPU to run on.
		 */
		for (uint64_t i = 0; !__atomic_load_n(&pcpu_get(id)->online, __ATOMIC_ACQUIRE); i++)
			if (i > (1UL << 32))
				panic("pCPU %u (MPIDR 0x%lx) did not come up", id,
				      (unsigned long)bootinfo.cpu_mpidr[id]);
	}
}

void secondary_start(unsigned int id)
{
	struct vcpu *idle;

	pcpu_init(id, pcpu_stack_top(id));
	if (gic_init_secondary())
		panic("pCPU %u: GIC CPU interface not brought up (GICv3: no redistributor matches its MPIDR)", id);
	irq_init_cpu();
	vcpu_init_pcpu();
	idle = vcpu_create_idle(id);
	if (!idle)
		panic("pCPU %u: out of memory for its idle vCPU", id);
	sched_init_pcpu(id, idle);
	printk("pCPU %u up\n", id);
	sched_start();
}

void arch_kick_pcpu(unsigned int cpu)
{
	gic_send_sgi(KICK_SGI, bootinfo.cpu_mpidr[cpu]);
}

/*
 * The idle vCPU's wait: WFI with interrupts masked at EL2 (a pending one still ends it,
 * Arm ARM D1.16.2), then take whatever arrived.
 */
void arch_idle_wait(void)
{
	dsb(sy);
	wfi();
	do_irq();
}

void arch_enter_guest(struct vcpu *v)
{
	vgic_flush_to_lrs(v);
	guest_resume(&v->regs);
}
