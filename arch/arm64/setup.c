// SPDX-License-Identifier: Apache-2.0
/*
 * Boot CPU bring-up on arm64: from head.S to dom0's first instruction. Arm-specific (EL2
 * system registers, the GIC, PSCI firmware, the stage-1 MMU); the portable pieces it calls
 * (bootinfo, the scheduler, domain building) live in common/.
 */
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/mmu.h>
#include <asm/pcpu.h>
#include <asm/smp.h>
#include <asm/smccc.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>
#include <kestrel/domain_build.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/setup.h>
#include <kestrel/trace.h>

/*
 * Boot-time breakdown: the physical counter at the end of each stage, printed just
 * before dom0's first instruction. Under QEMU -icount shift=0 one tick of the 62.5 MHz
 * counter is 16 instructions, so the figures are path lengths, not noise.
 */
static struct {
	const char *name;
	uint64_t ticks;
} boot_stage[8];
static unsigned int nr_boot_stages;

static void boot_stamp(const char *name)
{
	if (nr_boot_stages < ARRAY_SIZE(boot_stage))
		boot_stage[nr_boot_stages++] = (typeof(boot_stage[0])){ name, read_sysreg(cntpct_el0) };
}

static void boot_times_print(uint64_t entry_ticks)
{
	uint64_t now = read_sysreg(cntpct_el0), prev = entry_ticks;

	printk("boot: %lu ticks from entry to dom0 (counter %lu Hz; entry at tick %lu):\n",
	       (unsigned long)(now - entry_ticks), (unsigned long)read_sysreg(cntfrq_el0),
	       (unsigned long)entry_ticks);
	for (unsigned int i = 0; i < nr_boot_stages; i++) {
		printk("boot:   %-10s %8lu\n", boot_stage[i].name, (unsigned long)(boot_stage[i].ticks - prev));
		prev = boot_stage[i].ticks;
	}
}

/* Not protected: its frame would hold the canary from before stack_guard_init(). */
/*
 * The console before the DT is parsed in full: the UART /chosen/stdout-path names, if a
 * driver knows it; else the PL011 at CONFIG_EARLY_UART_PL011 (QEMU virt's, a fallback
 * for a DTB that names no console; 0 = none).
 */
static __init void early_console(const void *fdt)
{
	const struct uart_driver *drv;
	uint64_t base, size;
	int node;

	if (!bootinfo_early_uart(fdt, &base, &size, &node) && (drv = uart_driver_for(fdt, node))) {
		mmu_early_map_device(base, size);
		if (!drv->probe(base, size, 0))
			return;
	}
	if (CONFIG_EARLY_UART_PL011)
		pl011_driver.probe(CONFIG_EARLY_UART_PL011, SZ_4K, 0);
}

__attribute__((no_stack_protector)) void start_kestrel(const void *fdt, uintptr_t image_base,
						       uint64_t entry_ticks)
{
	struct bootinfo *bi = &bootinfo;
	struct domain *dom0;
	struct membank dom0_ram;
	struct vcpu *idle;

	stack_guard_init(fdt);
	boot_stamp("relocate");	/* relocation, BSS, early MMU */
	pcpu_init(0, pcpu_stack_top(0));
	early_console(fdt);
	printk("Kestrel %s hypervisor, EL2, loaded at 0x%lx, DTB at 0x%lx\n", KESTREL_VERSION,
	       (unsigned long)image_base, (unsigned long)(uintptr_t)fdt);
	bootinfo_parse(bi, fdt, image_base, (uintptr_t)_end);
	bootinfo_boot_cpu_first(bi, read_sysreg(mpidr_el1) & MPIDR_AFF_MASK);
	printk("command line: \"%s\"\n", bi->cmdline);
	boot_stamp("parse-dt");	/* includes the first console lines */
	mmu_init(bi);
	boot_stamp("mmu");
	if (serial_probe_dt(fdt))
		printk("no driver for the DT console UART; keeping the early console\n");
	firmware_init(bi->psci_smc);
	sip_init(fdt, bi->cmdline, bi->psci_smc);
	bootinfo_check_gic(bi);
	switch (gic_probe(&bi->gic)) {
	case 0:
		break;
	case -ENODEV:
		panic("no driver for the host's GICv%u", bi->gic.version);
	default:
		panic("GICv%u: cannot bring up the interrupt controller (GICv3: no redistributor "
		      "matches this CPU's MPIDR)", bi->gic.version);
	}
	irq_init(bi->gic.maint_irq, bi->timer_ppi_virt, bi->timer_ppi_hyp, bi->uart_irq);
	boot_stamp("devices");
	sched_init(bi->cmdline);
	context_init(bi->cmdline);
	vcpu_init_pcpu();
	for (unsigned int cpu = 0; cpu < MAX(bi->nr_cpus, 1U) && cpu < CONFIG_NR_CPUS; cpu++)
		if (!vcpu_create_idle(cpu))
			panic("out of memory for pCPU %u's idle vCPU", cpu);
	idle = vcpu_create_idle(0);
	sched_init_pcpu(0, idle);
	prepare_domus(bi);	/* before dom0: what domUs are given, dom0 is not */
	dom0_ram = dom0_choose_ram(bi);
	heap_add_free_ram(bi, &dom0_ram);
	dom0 = construct_dom0(bi, &dom0_ram);
	boot_stamp("dom0");	/* p2m, kernel/initrd copies, DT */
	construct_domus(bi);
	boot_stamp("domUs");
	trace_init(bi->cmdline);
	mmu_seal_init();
	boot_stamp("seal");
#ifdef CONFIG_DEBUG_CRASH_TEST
	crash_test(bi->cmdline);
#endif
	boot_times_print(entry_ticks);
	printk("starting dom0 (%u vCPU(s) on %u pCPU(s), sched=%s); serial input goes to dom0\n",
	       dom0->max_vcpus, nr_pcpus(), sched_policy_name());
	smp_boot_secondaries();
	sched_start();
}
