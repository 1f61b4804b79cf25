// SPDX-License-Identifier: Apache-2.0
/*
 * A dom0less domU's device tree, written from nothing with libfdt's sequential-write API
 * (the host's describes another machine). Node shapes follow what Xen 4.17 generates for
 * such guests (xen/arch/arm/domain_build.c: make_memory_node, make_cpus_node,
 * make_psci_node, make_gicv3_domU_node, make_timer_node, make_vpl011_uart_node,
 * make_hypervisor_node) at the addresses of Xen public/arch-arm.h; the bindings are
 * Linux's Documentation/devicetree/bindings (arm/cpus, arm/psci, interrupt-controller/
 * arm,gic-v3, timer/arm,arch_timer, serial/arm,sbsa-uart: "current-speed" is required by
 * Linux's sbsa_uart_probe, arm/xen.txt).
 */
#include <libfdt.h>
#include <kestrel/dom0less.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <public/arch-arm.h>

#define TRY(x)	do { int err_ = (x); if (err_) return err_; } while (0)

#define GIC_PHANDLE	1
#define GIC_SPI		0
#define GIC_PPI		1
#define IRQ_LEVEL_HIGH	4
#define IRQ_LEVEL_LOW	8

unsigned int domu_ram_layout(uint64_t mem_size, struct membank *out)
{
	uint64_t size = ALIGN_UP(mem_size, PAGE_SIZE);

	if (!size)
		return 0;
	out[0] = (struct membank){ GUEST_RAM0_BASE, MIN(size, (uint64_t)GUEST_RAM0_SIZE) };
	if (size <= GUEST_RAM0_SIZE)
		return 1;
	out[1] = (struct membank){ GUEST_RAM1_BASE, MIN(size - GUEST_RAM0_SIZE, (uint64_t)GUEST_RAM1_SIZE) };
	return 2;
}

static int prop_cells(void *fdt, const char *name, const uint64_t *v, unsigned int n)
{
	fdt32_t cells[16];

	for (unsigned int i = 0; i < n && 2 * i + 1 < ARRAY_SIZE(cells); i++) {
		cells[2 * i] = cpu_to_fdt32((uint32_t)(v[i] >> 32));
		cells[2 * i + 1] = cpu_to_fdt32((uint32_t)v[i]);
	}
	return fdt_property(fdt, name, cells, (int)(n * 8));
}

static int prop_u32s(void *fdt, const char *name, const uint32_t *v, unsigned int n)
{
	fdt32_t cells[12];

	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(cells); i++)
		cells[i] = cpu_to_fdt32(v[i]);
	return fdt_property(fdt, name, cells, (int)(n * 4));
}

static int node_named(void *fdt, const char *base, uint64_t addr)
{
	char name[48];

	snprintk(name, sizeof(name), "%s@%lx", base, (unsigned long)addr);
	return fdt_begin_node(fdt, name);
}

static int add_memory(void *fdt, const struct domu_fdt_params *p)
{
	uint64_t reg[2 * GUEST_RAM_BANKS];

	for (unsigned int i = 0; i < p->nr_mem; i++) {
		reg[2 * i] = p->mem[i].start;
		reg[2 * i + 1] = p->mem[i].size;
	}
	TRY(node_named(fdt, "memory", p->mem[0].start));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_cells(fdt, "reg", reg, 2 * p->nr_mem));
	return fdt_end_node(fdt);
}

static int add_cpus(void *fdt, const struct domu_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		uint64_t mpidr = vcpu_id_to_mpidr(i) & MPIDR_AFF_MASK;

		TRY(node_named(fdt, "cpu", mpidr));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_u32(fdt, "reg", (uint32_t)mpidr));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct domu_fdt_params *p)
{
	uint64_t reg[4] = { GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE, GUEST_GICV3_GICR0_BASE,
			    (uint64_t)p->nr_vcpus * 0x20000 };

	TRY(node_named(fdt, "interrupt-controller", GUEST_GICV3_GICD_BASE));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "redistributor-stride", 0x20000));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	TRY(prop_cells(fdt, "reg", reg, 4));
	TRY(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int add_timer(void *fdt)
{
	const uint32_t irqs[12] = {
		GIC_PPI, GUEST_TIMER_PHYS_S_PPI - 16, IRQ_LEVEL_LOW, GIC_PPI, GUEST_TIMER_PHYS_NS_PPI - 16,
		IRQ_LEVEL_LOW, GIC_PPI, GUEST_TIMER_VIRT_PPI - 16, IRQ_LEVEL_LOW, GIC_PPI, 26 - 16, IRQ_LEVEL_LOW,
	};
	static const char compat[] = "arm,armv8-timer";

	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_u32s(fdt, "interrupts", irqs, 12));
	TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int add_vpl011(void *fdt)
{
	const uint64_t reg[2] = { GUEST_PL011_BASE, GUEST_PL011_SIZE };
	const uint32_t irq[3] = { GIC_SPI, GUEST_VPL011_SPI - 32, IRQ_LEVEL_HIGH };

	TRY(node_named(fdt, "sbsa-uart", GUEST_PL011_BASE));
	TRY(fdt_property_string(fdt, "compatible", "arm,sbsa-uart"));
	TRY(prop_cells(fdt, "reg", reg, 2));
	TRY(prop_u32s(fdt, "interrupts", irq, 3));
	TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	TRY(fdt_property_u32(fdt, "current-speed", 115200));
	return fdt_end_node(fdt);
}

static int add_hypervisor(void *fdt)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	const uint64_t reg[2] = { GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE };
	const uint32_t irq[3] = { GIC_PPI, GUEST_EVTCHN_PPI - 16, IRQ_LEVEL_LOW };

	TRY(fdt_begin_node(fdt, "hypervisor"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_cells(fdt, "reg", reg, 2));
	TRY(prop_u32s(fdt, "interrupts", irq, 3));
	TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct domu_fdt_params *p)
{
	char path[48];

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", p->bootargs ? p->bootargs : ""));
	if (p->initrd_size) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_start + p->initrd_size));
	}
	if (p->vpl011) {
		snprintk(path, sizeof(path), "/sbsa-uart@%lx", (unsigned long)GUEST_PL011_BASE);
		TRY(fdt_property_string(fdt, "stdout-path", path));
	}
	return fdt_end_node(fdt);
}

int domu_build_fdt(const struct domu_fdt_params *p, void *buf, uint32_t size)
{
	static const char compat[] = "xen,xenvm-4.17\0xen,xenvm";

	if (!p->nr_mem || p->nr_mem > GUEST_RAM_BANKS || !p->nr_vcpus || p->gic_version != 3)
		return -FDT_ERR_BADVALUE;
	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property(buf, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(buf, "model", "XENVM-4.17"));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property_u32(buf, "interrupt-parent", GIC_PHANDLE));
	TRY(add_chosen(buf, p));
	TRY(add_memory(buf, p));
	TRY(add_cpus(buf, p));
	TRY(add_psci(buf));
	TRY(add_gic(buf, p));
	TRY(add_timer(buf));
	if (p->vpl011)
		TRY(add_vpl011(buf));
	if (p->enhanced)
		TRY(add_hypervisor(buf));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
