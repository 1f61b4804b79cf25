// SPDX-License-Identifier: Apache-2.0
/*
 * A dom0less domU's device tree, written from scratch with libfdt's sequential-write API
 * (boot-only). The model is what Xen 4.17 gives such a guest (Xen arch/arm/domain_build.c,
 * prepare_dtb_domU and its make_*_node helpers): the guest memory map of Xen
 * public/arch-arm.h, PSCI by HVC, a virtual GIC and timer, an optional SBSA UART (vpl011)
 * and /hypervisor node, and the partial device tree's /passthrough node
 * (Xen docs/misc/arm/passthrough.txt).
 */
#include <libfdt.h>
#include <public/arch-arm.h>
#include <kestrel/dom0less.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>

#define TRY(x) do { int __e = (x); if (__e < 0) return __e; } while (0)

/* GIC interrupt specifier (Linux bindings/interrupt-controller/arm,gic-v3.yaml): type, number, flags. */
#define GIC_SPI			0
#define GIC_PPI			1
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8
#define PPI_ALL_CPUS		(0xf << 8)	/* GICv2 PPI CPU mask, as Xen writes it */
/* Linux drivers/tty/serial/amba-pl011.c sbsa_uart_probe() refuses a node without it. */
#define VPL011_SPEED		115200

/* A "reg" of (@addr, @size) pairs in the root's 2 + 2 cells. */
static __init int prop_reg(void *fdt, const uint64_t *pairs, unsigned int n)
{
	fdt64_t cells[8];

	for (unsigned int i = 0; i < 2 * n && i < ARRAY_SIZE(cells); i++)
		cells[i] = cpu_to_fdt64(pairs[i]);
	return fdt_property(fdt, "reg", cells, 16 * n);
}

static __init int begin_node_at(void *fdt, const char *name, uint64_t addr)
{
	char buf[48];

	snprintk(buf, sizeof(buf), "%s@%lx", name, (unsigned long)addr);
	return fdt_begin_node(fdt, buf);
}

static __init int make_memory(void *fdt, const struct domu_fdt_params *p)
{
	uint64_t reg[4];

	for (unsigned int i = 0; i < p->nr_ram; i++) {
		reg[2 * i] = p->ram[i].start;
		reg[2 * i + 1] = p->ram[i].size;
	}
	TRY(begin_node_at(fdt, "memory", p->ram[0].start));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg(fdt, reg, p->nr_ram));
	return fdt_end_node(fdt);
}

/* cpu@N: reg is MPIDR_EL1's affinity fields (Linux bindings/arm/cpus.yaml), the RES1 bit 31 not. */
static __init int make_cpus(void *fdt, const struct domu_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		uint32_t mpidr = (uint32_t)(vcpu_id_to_mpidr(i) & MPIDR_AFF_MASK);

		TRY(begin_node_at(fdt, "cpu", mpidr));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_property_u32(fdt, "reg", mpidr));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static __init int make_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

/* Xen's domU GICv3: the distributor and the whole GICR0 region (vgic-v3.c sizes it so for a domU). */
static __init int make_gic(void *fdt, const struct domu_fdt_params *p)
{
	uint64_t v3[4] = { GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE,
			   GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE };
	uint64_t v2[4] = { GUEST_GICD_BASE, GUEST_GICD_SIZE, GUEST_GICC_BASE, GUEST_GICC_SIZE };

	TRY(begin_node_at(fdt, "interrupt-controller", p->gic_version == 3 ? v3[0] : v2[0]));
	TRY(fdt_property_string(fdt, "compatible", p->gic_version == 3 ? "arm,gic-v3" : "arm,gic-400"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(prop_reg(fdt, p->gic_version == 3 ? v3 : v2, 2));
	TRY(fdt_property_u32(fdt, "phandle", DOMU_PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static __init void set_irq(fdt32_t *cells, unsigned int intid, uint32_t flags)
{
	bool ppi = intid < 32;

	cells[0] = cpu_to_fdt32(ppi ? GIC_PPI : GIC_SPI);
	cells[1] = cpu_to_fdt32(intid - (ppi ? 16 : 32));
	cells[2] = cpu_to_fdt32(flags | (ppi ? PPI_ALL_CPUS : 0));
}

/* Secure, non-secure physical and virtual timer PPIs, level-low as Xen's make_timer_node. */
static __init int make_timer(void *fdt)
{
	static const unsigned int ppis[3] = { GUEST_TIMER_PHYS_S_PPI, GUEST_TIMER_PHYS_NS_PPI,
					      GUEST_TIMER_VIRT_PPI };
	fdt32_t irq[9];

	for (int i = 0; i < 3; i++)
		set_irq(irq + 3 * i, ppis[i], IRQ_TYPE_LEVEL_LOW);
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property_u32(fdt, "interrupt-parent", DOMU_PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static __init int make_vpl011(void *fdt)
{
	uint64_t reg[2] = { GUEST_PL011_BASE, GUEST_PL011_SIZE };
	fdt32_t irq[3];

	set_irq(irq, GUEST_VPL011_SPI, IRQ_TYPE_LEVEL_HIGH);
	TRY(begin_node_at(fdt, "sbsa-uart", GUEST_PL011_BASE));
	TRY(fdt_property_string(fdt, "compatible", "arm,sbsa-uart"));
	TRY(prop_reg(fdt, reg, 1));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property_u32(fdt, "interrupt-parent", DOMU_PHANDLE_GIC));
	TRY(fdt_property_u32(fdt, "current-speed", VPL011_SPEED));
	return fdt_end_node(fdt);
}

/* Linux Documentation/devicetree/bindings/arm/xen.txt; common/dom0_fdt.c writes dom0's. */
static __init int make_hypervisor(void *fdt)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	uint64_t reg[2] = { GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE };
	fdt32_t irq[3];

	set_irq(irq, GUEST_EVTCHN_PPI, IRQ_TYPE_LEVEL_LOW);
	TRY(fdt_begin_node(fdt, "hypervisor"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_reg(fdt, reg, 1));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property_u32(fdt, "interrupt-parent", DOMU_PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static __init int make_chosen(void *fdt, const struct domu_fdt_params *p)
{
	char path[32];

	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
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

/* Is @name one of the passthrough binding's own properties, not the device's? */
static __init bool xen_only_prop(const char *name)
{
	return !strcmp(name, "xen,reg") || !strcmp(name, "xen,path") ||
	       !strcmp(name, "xen,force-assign-without-iommu");
}

/* Copy @node of @src and its subtree, interrupt-parent rewritten to the generated GIC. */
static __init int copy_node(void *fdt, const void *src, int node, int depth)
{
	int prop, child;

	if (depth > DT_MAX_DEPTH)
		return -EINVAL;
	TRY(fdt_begin_node(fdt, fdt_get_name(src, node, NULL)));
	fdt_for_each_property_offset(prop, src, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(src, prop, &name, &len);

		if (!val || !name)
			return -EINVAL;
		if (xen_only_prop(name))
			continue;
		if (!strcmp(name, "interrupt-parent"))
			TRY(fdt_property_u32(fdt, name, DOMU_PHANDLE_GIC));
		else
			TRY(fdt_property(fdt, name, val, len));
	}
	fdt_for_each_subnode(child, src, node)
		TRY(copy_node(fdt, src, child, depth + 1));
	return fdt_end_node(fdt);
}

static __init int make_passthrough(void *fdt, const void *partial)
{
	int node;

	if (dt_check_tree(partial, ~0ULL))
		return -EINVAL;
	node = fdt_path_offset(partial, "/passthrough");
	return node < 0 ? 0 : copy_node(fdt, partial, node, 1);
}

static __init int write_fdt(const struct domu_fdt_params *p, void *fdt, uint32_t size)
{
	static const char compat[] = "xen,xenvm-4.17\0xen,xenvm";

	TRY(fdt_create(fdt, size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "model", "XENVM-4.17"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_u32(fdt, "interrupt-parent", DOMU_PHANDLE_GIC));
	TRY(make_memory(fdt, p));
	TRY(make_cpus(fdt, p));
	TRY(make_psci(fdt));
	TRY(make_gic(fdt, p));
	TRY(make_timer(fdt));
	if (p->vpl011)
		TRY(make_vpl011(fdt));
	if (p->enhanced != XEN_ENHANCED_NONE)
		TRY(make_hypervisor(fdt));
	TRY(make_chosen(fdt, p));
	if (p->partial_fdt)
		TRY(make_passthrough(fdt, p->partial_fdt));
	TRY(fdt_end_node(fdt));
	return fdt_finish(fdt);
}

int __init domu_build_fdt(const struct domu_fdt_params *p, void *buf, uint32_t size)
{
	int err;

	if (p->nr_ram < 1 || p->nr_ram > 2 || !p->nr_vcpus || p->nr_vcpus > GUEST_MAX_VCPUS ||
	    (p->gic_version != 2 && p->gic_version != 3))
		return -EINVAL;
	err = write_fdt(p, buf, size);
	if (err == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return err < 0 ? -EINVAL : 0;
}
