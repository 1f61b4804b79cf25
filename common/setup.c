// SPDX-License-Identifier: Apache-2.0
/* Boot CPU bring-up: from head.S to dom0's first instruction. */
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/mmu.h>
#include <asm/pcpu.h>
#include <asm/smp.h>
#include <asm/smccc.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/serial.h>
#include <kestrel/setup.h>

/* Not protected: its frame would hold the canary from before stack_guard_init(). */
__attribute__((no_stack_protector)) void start_kestrel(const void *fdt, uintptr_t image_base)
{
	struct bootinfo *bi = &bootinfo;
	struct domain *dom0;

	stack_guard_init(fdt);
	pcpu_init(0, pcpu_stack_top(0));
	if (CONFIG_EARLY_UART_PL011)
		pl011_driver.probe(CONFIG_EARLY_UART_PL011, SZ_4K, 0);
	printk("Kestrel %s hypervisor, EL2, loaded at 0x%lx, DTB at 0x%lx\n", KESTREL_VERSION,
	       (unsigned long)image_base, (unsigned long)(uintptr_t)fdt);
	bootinfo_parse(bi, fdt, image_base, (uintptr_t)_end);
	printk("command line: \"%s\"\n", bi->cmdline);
	mmu_init(bi);
	if (serial_probe_dt(fdt))
		printk("no driver for the DT console UART; keeping the early console\n");
	firmware_init(bi->psci_smc);
	bootinfo_check_gic(bi);
	if (gic_init(&bi->gic))
		panic("no GICv3 redistributor matches this CPU's MPIDR");
	irq_init(bi->gic.maint_irq, bi->timer_ppi_virt, bi->uart_irq);
	dom0 = construct_dom0(bi);
	mmu_seal_init();
#ifdef CONFIG_DEBUG_CRASH_TEST
	crash_test(bi->cmdline);
#endif
	printk("starting dom0 (%u vCPU); serial input goes to dom0\n", dom0->max_vcpus);
	vcpu_enter_first(dom0->vcpu[0]);
}
