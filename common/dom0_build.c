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
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>
#include <public/xen.h>

#define DOM0_FDT_MAX	SZ_2M

static __init const struct bootmodule *find_module(const struct bootinfo *bi, enum module_kind kind)
{
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind)
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

static __init void alloc_dom0_ram(struct bootinfo *bi, struct domain *d)
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
	d->mem[0] = bank;
	d->nr_mem = 1;
	if (p2m_map(&d->p2m, bank.start, bank.start, bank.size, P2M_RAM))
		panic("cannot map dom0 RAM 0x%lx+0x%lx in its p2m", (unsigned long)bank.start,
		      (unsigned long)bank.size);
	printk("dom0: %luM of RAM at 0x%lx-0x%lx (1:1)\n", (unsigned long)(bank.size >> 20),
	       (unsigned long)bank.start, (unsigned long)(bank.start + bank.size));
}

static __init bool overlaps_hyp(const struct bootinfo *bi, uint64_t a, uint64_t s)
{
	const struct membank keep[] = {
		{ bi->gic.dist_base, bi->gic.dist_size }, { bi->gic.redist_base, bi->gic.redist_size },
		{ bi->gic.cpu_base, bi->gic.cpu_size }, { bi->gic.hyp_base, bi->gic.hyp_size },
		{ bi->gic.vcpu_base, bi->gic.vcpu_size },
		{ ALIGN_DOWN(bi->uart_base, PAGE_SIZE), bi->uart_size ? PAGE_SIZE : 0 },
	};

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (a < bi->mem[i].start + bi->mem[i].size && bi->mem[i].start < a + s)
			return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(keep); i++)
		if (keep[i].size && a < keep[i].start + keep[i].size && keep[i].start < a + s)
			return true;
	return false;
}

static __init void map_mmio(const struct bootinfo *bi, struct domain *d, uint64_t a, uint64_t s,
			    const char *name)
{
	uint64_t start = ALIGN_DOWN(a, PAGE_SIZE), end = ALIGN_UP(a + s, PAGE_SIZE);

	if (!s)
		return;
	if (overlaps_hyp(bi, start, end - start)) {
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
		irq_route_to_domain(intid, d);	/* the hypervisor's own SPIs are refused */
}

/* Copy a boot module (the kernel is tens of MiB) into dom0's RAM, visible with caches off. */
static __init void copy_to_dom0(uint64_t dst, uint64_t src, uint64_t size)
{
	copy_bytes((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, size);
	dcache_clean_range(dst, size);	/* dom0 starts with its MMU and caches off */
}

static __init void load_dom0(struct bootinfo *bi, struct domain *d)
{
	const struct bootmodule *kernel = find_module(bi, MOD_KERNEL), *initrd = find_module(bi, MOD_RAMDISK);
	const struct membank *bank = &d->mem[0];
	const char *why, *bootargs = bi->dom0_cmdline ? bi->dom0_cmdline : "";
	uint64_t kaddr, iaddr, isize = initrd ? initrd->size : 0, faddr;
	static uint8_t fdt_buf[DOM0_FDT_MAX] __attribute__((aligned(8)));
	struct dom0_layout at;
	struct kimage ki;
	int err;

	if (kimage_parse((const void *)(uintptr_t)kernel->start, kernel->size, &ki, &why)) {
		if (ki.file_size > kernel->size)
			panic("/chosen/%s: dom0 kernel truncated: reg size 0x%lx, Image file 0x%lx "
			      "bytes (by its PE/COFF header)", kernel->name,
			      (unsigned long)kernel->size, (unsigned long)ki.file_size);
		panic("/chosen/%s: dom0 kernel at 0x%lx (0x%lx bytes) is %s", kernel->name,
		      (unsigned long)kernel->start, (unsigned long)kernel->size, why);
	}
	if (dom0_place(bank, &ki, isize, DOM0_FDT_MAX, &at))
		panic("dom0_mem=%luM is too small for the kernel (%luM) and initrd (%luM)",
		      (unsigned long)(bank->size >> 20), (unsigned long)(ki.mem_size >> 20),
		      (unsigned long)(isize >> 20));
	kaddr = at.kernel;
	iaddr = initrd ? at.initrd : 0;
	faddr = at.fdt;
	copy_to_dom0(kaddr, kernel->start, kernel->size);
	if (initrd)
		copy_to_dom0(iaddr, initrd->start, isize);
	err = dom0_build_fdt(bi, d, fdt_buf, sizeof(fdt_buf), bootargs, iaddr, isize);
	if (err)
		panic("cannot build dom0's device tree: %s", fdt_strerror(err));
	copy_to_dom0(faddr, (uintptr_t)fdt_buf, fdt_totalsize(fdt_buf));
	printk("dom0: kernel at 0x%lx, initrd at 0x%lx (%lu bytes), DTB at 0x%lx\n",
	       (unsigned long)kaddr, (unsigned long)iaddr, (unsigned long)isize, (unsigned long)faddr);
	printk("dom0: command line \"%s\"\n", bootargs);
	icache_invalidate_all();
	vcpu_power_on(d->vcpu[0], true, kaddr, faddr);	/* the others wait for PSCI CPU_ON */
}

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

struct domain *__init construct_dom0(struct bootinfo *bi)
{
	struct vgic_frames frames;
	struct domain *d;
	int err;

	if (!find_module(bi, MOD_KERNEL))
		panic("/chosen: no dom0 kernel: no module@<address> node with compatible "
		      "\"multiboot,kernel\" (or a first \"multiboot,module\") (QEMU: -device "
		      "guest-loader,addr=...,kernel=Image; U-Boot: fdt mknode /chosen module@...)");
	d = domain_create(0, dom0_vcpus(bi), true, &err);
	if (err == -ENOSPC)
		panic("cannot create dom0: sched=%s has no pCPU for each of its vCPUs (see above)",
		      sched_policy_name());
	if (!d)
		panic("cannot create dom0 with %u vCPUs: %s", dom0_vcpus(bi),
		      err == -ENOMEM ? "out of memory" : "invalid vCPU count");
	d->direct_map = true;
	d->gnttab_ipa = bi->image_start;	/* Kestrel's own PA range: never dom0 RAM or MMIO */
	/* dom0 sees the host's GIC frames: GICv2's GICC is the host GICV, at the host GICC's place. */
	frames = (struct vgic_frames){ bi->gic.dist_base, bi->gic.redist_base, bi->gic.cpu_base,
				       bi->gic.cpu_size };
	err = vgic_domain_init_frames(d, gic_nr_spis(), &frames);
	if (err)
		panic("cannot set up dom0's vGIC (%s): %s", vgic_hw->name,
		      err == -ENOMEM ? "out of memory" : "GIC frames the backend cannot map");
	alloc_dom0_ram(bi, d);
	map_devices(bi, d);
	route_spis(d);
	load_dom0(bi, d);
	return d;
}
