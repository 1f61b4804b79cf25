// SPDX-License-Identifier: Apache-2.0
/*
 * Building dom0 at boot, as Xen on Arm does (seeds: Xen on Arm memory map, Xilinx
 * "Xen internals"): RAM mapped 1:1 (IPA == PA) with relaxed attributes so dom0's own
 * stage 1 decides; every device in the host DT mapped 1:1 except what the hypervisor
 * keeps (its UART, the GIC); the kernel placed per its Image header at the bank start,
 * then the initrd, then dom0's device tree.
 */
#include <libfdt.h>
#include <asm/cache.h>
#include <asm/gic.h>
#include <asm/irq.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>
#include <kestrel/domain_build.h>
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>
#include <public/xen.h>

static __init const struct bootmodule *find_module(const struct bootinfo *bi, enum module_kind kind)
{
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind && !bi->modules[i].owner)	/* dom0's, not a domU's */
			return &bi->modules[i];
	return NULL;
}

static __init uint64_t dom0_mem_size(const struct bootinfo *bi)
{
	char buf[32];
	const char *end;
	uint64_t size;

	if (!cmdline_get(bi->cmdline, "dom0_mem", buf, sizeof(buf)))
		return (uint64_t)CONFIG_DOM0_MEM_MB << 20;
	size = parse_size(buf, &end);
	if (end == buf || *end)
		panic("dom0_mem=%s: expected a size such as 512M or 1G", buf);
	return size > ~0UL - SZ_2M ? ALIGN_DOWN(~0UL, SZ_2M) : ALIGN_UP(size, SZ_2M);
}

struct membank __init dom0_choose_ram(const struct bootinfo *bi)
{
	uint64_t size = dom0_mem_size(bi), total = 0;
	struct membank bank;
	int err;

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		total += bi->mem[i].size;
	err = dom0_choose_bank(bi->mem, bi->nr_mem, bi->reserved, bi->nr_reserved, size, SZ_2M, &bank);
	if (err == -EINVAL)
		panic("dom0_mem=%luM is larger than the machine's RAM (%luM)",
		      (unsigned long)(size >> 20), (unsigned long)(total >> 20));
	if (err)
		panic("dom0_mem=%luM: no contiguous free RAM of that size beside the hypervisor and boot modules",
		      (unsigned long)(size >> 20));
	return bank;
}

static __init int dom0_alloc_ram(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	const struct membank *bank = &s->ram;

	d->mem[0] = *bank;
	d->nr_mem = 1;
	if (p2m_map(&d->p2m, bank->start, bank->start, bank->size, P2M_RAM)) {
		snprintk(msg, len, "dom0: cannot map its RAM 0x%lx+0x%lx in its p2m", (unsigned long)bank->start,
			 (unsigned long)bank->size);
		return -ENOMEM;
	}
	printk("dom0: %luM of RAM at 0x%lx-0x%lx (1:1)\n", (unsigned long)(bank->size >> 20),
	       (unsigned long)bank->start, (unsigned long)(bank->start + bank->size));
	return 0;
}

static __init void map_mmio(const struct bootinfo *bi, struct domain *d, uint64_t a, uint64_t s,
			    const char *name)
{
	uint64_t start = ALIGN_DOWN(a, PAGE_SIZE), end = ALIGN_UP(a + s, PAGE_SIZE);

	if (!s)
		return;
	if (bootinfo_range_kept(bi, start, end - start)) {
		printk("dom0: not mapping %s 0x%lx+0x%lx: overlaps memory Kestrel keeps\n", name,
		       (unsigned long)a, (unsigned long)s);
		return;
	}
	if (p2m_map(&d->p2m, start, start, end - start, P2M_MMIO))
		printk("dom0: cannot map %s at 0x%lx\n", name, (unsigned long)a);
}

/* PCI host bridges: the windows in "ranges" (3-cell PCI child address). */
static __init void map_pci_windows(const struct bootinfo *bi, struct domain *d, const void *fdt, int node,
				   int parent)
{
	int len, pac = fdt_address_cells(fdt, parent);
	int ac = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);

	if (ac <= 0 || pac <= 0 || sc < 0)	/* invalid counts are negative libfdt errors */
		return;
	for (int i = 0; r && i + (ac + pac + sc) * 4 <= len; i += (ac + pac + sc) * 4) {
		const fdt32_t *e = (const fdt32_t *)((const char *)r + i);

		map_mmio(bi, d, fdt_read_cells(e + ac, pac), fdt_read_cells(e + ac + pac, sc),
			 fdt_get_name(fdt, node, NULL));
	}
}

/* @path[0..@depth]: the node's path from the root. */
static __init bool skip_node(const struct bootinfo *bi, const void *fdt, const int *path, int depth)
{
	int node = path[depth];
	const char *type = dt_string(fdt, node, "device_type");
	const char *status = dt_string(fdt, node, "status");
	const char *name = fdt_get_name(fdt, node, NULL);

	if (node == bi->uart_node || node == bi->gic.node || (type && !strcmp(type, "memory")))
		return true;
	if (status && strcmp(status, "okay") && strcmp(status, "ok"))
		return true;
	for (int i = depth - 1; i > 0; i--)
		if (path[i] == bi->gic.node || !strcmp(fdt_get_name(fdt, path[i], NULL), "reserved-memory"))
			return true;	/* the ITS; RAM carve-outs */
	if (domu_pt_owns_node(bi, path, depth))
		return true;	/* passed through to a domU (its partial DT) */
	return name && !strcmp(name, "reserved-memory");
}

/*
 * Map every device in the host DT into dom0, 1:1. One pass over the tree that keeps the
 * path to the current node, so that no lookup scans the tree again for a parent.
 */
static __init void map_devices(const struct bootinfo *bi, struct domain *d)
{
	const void *fdt = bi->fdt;
	int node, depth = 0, path[DT_MAX_DEPTH] = { 0 };

	for (node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = dt_string(fdt, node, "device_type");
		struct membank reg;

		if (depth >= DT_MAX_DEPTH)
			panic("host DT: node %s is nested deeper than %d levels", fdt_get_name(fdt, node, NULL),
			      DT_MAX_DEPTH - 1);
		path[depth] = node;
		if (skip_node(bi, fdt, path, depth))
			continue;
		if (type && !strcmp(type, "pci"))
			map_pci_windows(bi, d, fdt, node, path[depth - 1]);
		for (int i = 0; dt_read_reg_in(fdt, node, path[depth - 1], i, &reg) == 0; i++)
			if (dt_translate_path(fdt, path, depth - 1, &reg.start) == 0)
				map_mmio(bi, d, reg.start, reg.size, fdt_get_name(fdt, node, NULL));
	}
}

static __init void route_spis(struct domain *d)
{
	unsigned int n = gic_nr_spis();

	for (unsigned int intid = 32; intid < 32 + n; intid++)
		if (!domu_pt_owns_spi(&bootinfo, intid))
			irq_route_to_domain(intid, d);	/* the hypervisor's own SPIs are refused */
}

static __init int dom0_add_devices(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	map_devices(&bootinfo, d);
	route_spis(d);
	return 0;
}

static __init int dom0_fdt(struct domain *d, const struct domain_spec *s, void *buf, uint32_t size,
			   uint64_t initrd, uint64_t initrd_size)
{
	return dom0_build_fdt(&bootinfo, d, buf, size, s->bootargs, initrd, initrd_size);
}

const struct domain_kind dom0_kind = {
	.alloc_ram = dom0_alloc_ram,
	.add_devices = dom0_add_devices,
	.build_fdt = dom0_fdt,
};

/*
 * dom0_max_vcpus=, else CONFIG_DOM0_VCPUS, else one per pCPU; at most CONFIG_MAX_VCPUS
 * (more than that is cut down, with a message), whatever the pCPU count: the scheduler
 * shares pCPUs (sched=null refuses more vCPUs than pCPUs, in domain_create()).
 */
static __init unsigned int dom0_vcpus(const struct bootinfo *bi)
{
	unsigned int n = CONFIG_DOM0_VCPUS, cpus = MAX(bi->nr_cpus, 1U);
	const char *end;
	char buf[16];

	if (cmdline_get(bi->cmdline, "dom0_max_vcpus", buf, sizeof(buf))) {
		n = (unsigned int)parse_ulong(buf, &end);
		if (end == buf || *end || !n)
			panic("dom0_max_vcpus=%s: expected a number of vCPUs from 1", buf);
	}
	if (!n)
		n = MIN(cpus, (unsigned int)CONFIG_NR_CPUS);
	if (n > CONFIG_MAX_VCPUS) {
		printk("dom0_max_vcpus=%u: above CONFIG_MAX_VCPUS, dom0 gets %u vCPUs\n", n,
		       CONFIG_MAX_VCPUS);
		n = CONFIG_MAX_VCPUS;
	}
	return n;
}

struct domain *__init construct_dom0(struct bootinfo *bi, const struct membank *ram)
{
	struct domain_spec spec = {
		.name = "dom0",
		.cfg = { .domid = 0, .max_vcpus = dom0_vcpus(bi), .privileged = true, .direct_map = true,
			 /* every device of the host DT may need its own tables: 256 ranges */
			 .p2m_pages = p2m_pool_pages(ram->size, 256) },
		.kind = &dom0_kind,
		.mem_size = ram->size,
		.ram = *ram,
		.nr_spis = gic_nr_spis(),
		/* dom0 sees the host's GIC frames: GICv2's GICC is the host GICV, at the host GICC's place. */
		.gic = { bi->gic.dist_base, bi->gic.redist_base, bi->gic.cpu_base, bi->gic.cpu_size },
		.gnttab_ipa = bi->image_start,	/* Kestrel's own PA range: never dom0 RAM or MMIO */
		.pv = true,
		.kernel = find_module(bi, MOD_KERNEL),
		.ramdisk = find_module(bi, MOD_RAMDISK),
		.bootargs = bi->dom0_cmdline ? bi->dom0_cmdline : "",
	};
	struct domain *d;
	char msg[160];

	if (!spec.kernel)
		panic("/chosen: no dom0 kernel: no module@<address> node with compatible "
		      "\"multiboot,kernel\" (or a first \"multiboot,module\") (QEMU: -device "
		      "guest-loader,addr=...,kernel=Image; U-Boot: fdt mknode /chosen module@...)");
	if (domain_build(&spec, &d, msg, sizeof(msg)))
		panic("%s", msg);
	return d;
}
