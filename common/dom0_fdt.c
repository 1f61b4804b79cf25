// SPDX-License-Identifier: Apache-2.0
/*
 * dom0's device tree, derived from the host DTB with libfdt (boot-only). What Xen 4.17
 * hands an arm64 dom0 (measured, ../shared/xen-dom0-abi-facts.md section 6) is the
 * model: memory trimmed to dom0's bank, /chosen rewritten, PSCI by HVC, Xen's UART
 * and the ITS removed, and a /hypervisor node (Linux Documentation/devicetree/
 * bindings/arm/xen.txt).
 */
#include <libfdt.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>
#include <kestrel/event.h>
#include <kestrel/lib.h>

#define TRY(x) do { int __e = (x); if (__e < 0) return __e; } while (0)
#define GIC_PPI			1
#define IRQ_TYPE_LEVEL_LOW	8
#define ALL_CPUS_MASK		(0xf << 8)

/*
 * Delete every node but the root matching @compatible (re-searching from the root: offsets
 * move after a delete).
 */
static __init int del_compatible(void *fdt, const char *compatible)
{
	int node;

	while ((node = fdt_node_offset_by_compatible(fdt, 0, compatible)) > 0)
		TRY(fdt_del_node(fdt, node));
	return 0;
}

static __init int del_path(void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	return node > 0 ? fdt_del_node(fdt, node) : 0;	/* never the root */
}

/* Append "reg" = (@addr, @size) in the root's cell sizes. */
static __init int set_reg(void *fdt, int node, uint64_t addr, uint64_t size)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	fdt32_t cells[4];
	int n = 0;

	if (ac == 2)
		cells[n++] = cpu_to_fdt32(addr >> 32);
	cells[n++] = cpu_to_fdt32((uint32_t)addr);
	if (sc == 2)
		cells[n++] = cpu_to_fdt32(size >> 32);
	cells[n++] = cpu_to_fdt32((uint32_t)size);
	return fdt_setprop(fdt, node, "reg", cells, n * 4);
}

/*
 * dom0's /chosen: its bootargs and initrd, nothing else of the boot loader's. The boot
 * loader's entropy (/chosen/kaslr-seed, rng-seed: Linux Documentation/devicetree/
 * bindings/chosen.txt) is the host's, meant to be used once: dom0 gets none of it (it has
 * no source of fresh entropy here, and a seed it shares with Kestrel is no secret).
 */
static __init int fix_chosen(void *fdt, const char *bootargs, uint64_t initrd, uint64_t isize)
{
	static const char *const drop[] = { "xen,xen-bootargs", "xen,dom0-bootargs", "stdout-path",
					    "linux,stdout-path", "linux,initrd-start", "linux,initrd-end",
					    "kaslr-seed", "rng-seed" };
	int chosen = fdt_path_offset(fdt, "/chosen"), node;

	if (chosen < 0)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	TRY(chosen);
	while ((node = fdt_first_subnode(fdt, chosen)) >= 0)	/* boot modules */
		TRY(fdt_del_node(fdt, node));
	for (unsigned int i = 0; i < ARRAY_SIZE(drop); i++)
		fdt_delprop(fdt, chosen, drop[i]);
	TRY(fdt_setprop_string(fdt, chosen, "bootargs", bootargs));
	if (isize) {
		TRY(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", initrd));
		TRY(fdt_setprop_u64(fdt, chosen, "linux,initrd-end", initrd + isize));
	}
	return 0;
}

static __init int fix_memory(void *fdt, const struct domain *d)
{
	char name[32];
	int node;

	for (node = fdt_first_subnode(fdt, 0); node >= 0;) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && !strcmp(type, "memory")) {
			TRY(fdt_del_node(fdt, node));
			node = fdt_first_subnode(fdt, 0);
		} else {
			node = fdt_next_subnode(fdt, node);
		}
	}
	snprintk(name, sizeof(name), "memory@%lx", (unsigned long)d->mem[0].start);
	node = fdt_add_subnode(fdt, 0, name);
	TRY(node);
	TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	return set_reg(fdt, node, d->mem[0].start, d->mem[0].size);
}

/* PSCI 1.0 by HVC (Kestrel's vPSCI), in a node of its own: the host's are deleted first. */
static __init int add_psci_node(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int node = fdt_add_subnode(fdt, 0, "psci");

	TRY(node);
	TRY(fdt_setprop(fdt, node, "compatible", compat, sizeof(compat)));
	return fdt_setprop_string(fdt, node, "method", "hvc");
}

static __init bool is_cpu(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return type && !strcmp(type, "cpu");
}

/* The (@n + 1)-th cpu node under @cpus, or -1. */
static __init int nth_cpu(const void *fdt, int cpus, unsigned int n)
{
	int node;

	fdt_for_each_subnode(node, fdt, cpus)
		if (is_cpu(fdt, node) && n-- == 0)
			return node;
	return -1;
}

#define OLD_CPU_PREFIX	"kestrel-old-cpu@"

/* Write "<@prefix><@n in hex>" into @buf (16 bytes or more). */
static __init void node_name(char *buf, const char *prefix, unsigned int n)
{
	static const char hex[] = "0123456789abcdef";
	char digits[8];
	int k = 0;

	do
		digits[k++] = hex[n % 16];
	while ((n /= 16) && k < 8);
	while (*prefix)
		*buf++ = *prefix++;
	while (k)
		*buf++ = digits[--k];
	*buf = 0;
}

/* /cpus/<@prefix><@n>, or a negative libfdt error. */
static __init int cpus_child(void *fdt, const char *prefix, unsigned int n)
{
	char name[32];
	int cpus = fdt_path_offset(fdt, "/cpus");

	node_name(name, prefix, n);
	return cpus < 0 ? cpus : fdt_subnode_offset(fdt, cpus, name);
}

/*
 * Copy the properties of host cpu node @tmpl (renamed OLD_CPU_PREFIX<tmpl>) to cpu@<@id>,
 * but reg, and its phandle only if @own (the new node replaces that host cpu). One at a
 * time, through local buffers: every write moves the offsets.
 */
static __init int copy_cpu_props(void *fdt, unsigned int tmpl, unsigned int id, bool own)
{
	for (int i = 0;; i++) {
		char pname[64], val[256];
		int t = cpus_child(fdt, OLD_CPU_PREFIX, tmpl), prop, len, k = 0, node;
		const char *name;
		const void *data;

		TRY(t);
		fdt_for_each_property_offset(prop, fdt, t)
			if (k++ == i)
				break;
		if (prop < 0)
			return 0;
		data = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!data || len > (int)sizeof(val) || strlen(name) >= sizeof(pname) ||
		    !strcmp(name, "reg") ||
		    (!own && (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))))
			continue;
		memcpy(val, data, (size_t)len);
		memcpy(pname, name, strlen(name) + 1);
		TRY(node = cpus_child(fdt, "cpu@", id));
		TRY(fdt_setprop(fdt, node, pname, val, len));
	}
}

/*
 * One cpu node per vCPU, cpu@0 .. cpu@<@n - 1> in that order, reg = vCPU id (in /cpus'
 * #address-cells), and no topology map. vCPU i < the host's cpu count takes host cpu i's
 * properties and phandle; further vCPUs (more vCPUs than pCPUs) copy cpu 0's, without
 * its phandle; every one gets enable-method = "psci" (Kestrel's, by HVC). Xen also
 * writes dom0 one node per vCPU (xen/arch/arm/domain_build.c, make_cpus_node). libfdt
 * adds a node as its parent's first child, so the nodes are added last first, after
 * renaming the host's out of their way, which then go.
 */
static __init int fix_cpus(void *fdt, unsigned int n)
{
	unsigned int host = 0;
	int cpus, node, ac;

	TRY(del_path(fdt, "/cpus/cpu-map"));
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return 0;
	ac = fdt_address_cells(fdt, cpus);
	while ((node = nth_cpu(fdt, cpus, host)) >= 0) {
		char name[32];

		node_name(name, OLD_CPU_PREFIX, host++);
		TRY(fdt_set_name(fdt, node, name));
		cpus = fdt_path_offset(fdt, "/cpus");
	}
	if (!host)
		return 0;
	for (unsigned int id = n; id-- > 0;) {
		fdt32_t reg[2] = { 0, cpu_to_fdt32(id) };
		char name[16];

		node_name(name, "cpu@", id);
		TRY(node = fdt_add_subnode(fdt, fdt_path_offset(fdt, "/cpus"), name));
		TRY(copy_cpu_props(fdt, id < host ? id : 0, id, id < host));
		TRY(node = cpus_child(fdt, "cpu@", id));
		TRY(fdt_setprop(fdt, node, "reg", ac == 2 ? reg : &reg[1], ac == 2 ? 8 : 4));
		/* dom0 starts its vCPUs through Kestrel's PSCI (QEMU omits this with -smp 1). */
		TRY(node = cpus_child(fdt, "cpu@", id));
		TRY(fdt_setprop_string(fdt, node, "enable-method", "psci"));
	}
	while (host-- > 0)
		TRY(fdt_del_node(fdt, cpus_child(fdt, OLD_CPU_PREFIX, host)));
	return 0;
}

/*
 * dom0 sees the redistributors as Kestrel emulates them (vgic-v3-redist.c): one region at
 * the host's first, a frame per vCPU. "reg" becomes GICD, that region (grown to
 * @nr_vcpus * 128 KiB if smaller), then the entries the host had after its regions (GICC,
 * GICH, GICV); "#redistributor-regions" becomes 1 and "redistributor-stride" goes (the
 * emulated frames are contiguous). Source: Linux Documentation/devicetree/bindings/
 * interrupt-controller/arm,gic-v3.yaml (reg, #redistributor-regions, redistributor-stride).
 */
static __init int fix_gic_redist(void *fdt, int gic, unsigned int nr_vcpus)
{
	int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, gic));
	int sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, gic)), len, rlen;
	const fdt32_t *reg = fdt_getprop(fdt, gic, "reg", &len);
	const fdt32_t *nr = fdt_getprop(fdt, gic, "#redistributor-regions", &rlen);
	unsigned int regions = nr && rlen == 4 ? fdt32_to_cpu(*nr) : 1, entry = (unsigned int)(ac + sc);
	fdt32_t cells[(2 + 2) * (2 + GIC_MAX_REDIST_REGIONS + 3)];
	uint64_t size = 0, want = (uint64_t)nr_vcpus * GICR_FRAME_SIZE;
	int at = ac + sc + ac;	/* entry 1's size */
	unsigned int keep;

	if (fdt_node_check_compatible(fdt, gic, "arm,gic-v3") || ac < 1 || sc < 1 || ac > 2 || sc > 2 ||
	    !reg || len < (at + sc) * 4 || len > (int)sizeof(cells) || regions < 1 ||
	    (unsigned int)len < (1 + regions) * entry * 4)
		return 0;	/* bootinfo_parse() stopped boot on a GICv3 node it could not read */
	memcpy(cells, reg, (size_t)len);
	for (int i = 0; i < sc; i++)
		size = size << 32 | fdt32_to_cpu(cells[at + i]);
	if (size < want) {
		if (sc == 2)
			cells[at++] = cpu_to_fdt32(want >> 32);
		cells[at] = cpu_to_fdt32((uint32_t)want);
	}
	/* Entries past the regions move up behind region 0. */
	keep = (unsigned int)len / 4 - (1 + regions) * entry;
	memmove(&cells[2 * entry], &cells[(1 + regions) * entry], keep * 4);
	TRY(fdt_setprop(fdt, gic, "reg", cells, (int)((2 * entry + keep) * 4)));
	if (nr)
		TRY(fdt_setprop_u32(fdt, gic, "#redistributor-regions", 1));
	fdt_delprop(fdt, gic, "redistributor-stride");
	return 0;
}

/* Properties that would point dom0 at what it no longer has. */
static __init int drop_dangling(void *fdt, const char *uart_path)
{
	int node, aliases = fdt_path_offset(fdt, "/aliases");

	/* MSIs went through the ITS, which is Kestrel's: no MSI controller for dom0. */
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		fdt_delprop(fdt, node, "msi-map");
		fdt_delprop(fdt, node, "msi-parent");
	}
	if (aliases >= 0 && uart_path[0]) {
		int prop;

		fdt_for_each_property_offset(prop, fdt, aliases) {
			const char *name;
			const char *val = fdt_getprop_by_offset(fdt, prop, &name, NULL);

			if (val && !strcmp(val, uart_path)) {
				TRY(fdt_delprop(fdt, aliases, name));
				return drop_dangling(fdt, uart_path);	/* offsets moved: rescan */
			}
		}
	}
	return 0;
}

static __init int add_hypervisor_node(void *fdt, const struct bootinfo *bi, const struct domain *d)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	fdt32_t irq[3] = { cpu_to_fdt32(GIC_PPI), cpu_to_fdt32(EVTCHN_UPCALL_PPI - 16),
			   cpu_to_fdt32(ALL_CPUS_MASK | IRQ_TYPE_LEVEL_LOW) };
	int node = fdt_add_subnode(fdt, 0, "hypervisor");

	TRY(node);
	TRY(fdt_setprop(fdt, node, "compatible", compat, sizeof(compat)));
	TRY(set_reg(fdt, node, d->gnttab_ipa, (uint64_t)CONFIG_GNTTAB_MAX_FRAMES * 4096));
	TRY(fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)));
	if (bi->gic.phandle)
		TRY(fdt_setprop_u32(fdt, node, "interrupt-parent", bi->gic.phandle));
	return 0;
}

int __init dom0_build_fdt(const struct bootinfo *bi, const struct domain *d, void *buf, uint32_t size,
			  const char *bootargs, uint64_t initrd_start, uint64_t initrd_size)
{
	char uart_path[128] = "", gic_path[128] = "";
	int gic;

	TRY(fdt_open_into(bi->fdt, buf, (int)size));
	if (bi->uart_node >= 0)
		TRY(fdt_get_path(bi->fdt, bi->uart_node, uart_path, sizeof(uart_path)));
	TRY(fdt_get_path(bi->fdt, bi->gic.node, gic_path, sizeof(gic_path)));
	while (fdt_num_mem_rsv(buf) > 0)
		TRY(fdt_del_mem_rsv(buf, 0));
	/*
	 * Deletions first, so that none can take a node written after it (say, the PMU's
	 * compatible on /chosen, or a cpu-map that claims PSCI); each fix_*() deletes before
	 * it writes, and the nodes it writes are beyond the reach of the ones after it.
	 */
	TRY(drop_dangling(buf, uart_path));
	if (uart_path[0])
		TRY(del_path(buf, uart_path));
	for (unsigned int k = 0; k < bi->nr_domus; k++)		/* devices passed through to domUs */
		for (unsigned int i = 0; i < bi->domus[k].nr_pt; i++)
			TRY(del_path(buf, bi->domus[k].pt[i].path));
	TRY(del_compatible(buf, "arm,gic-v3-its"));
	TRY(del_compatible(buf, "arm,gic-v2m-frame"));	/* GICv2's MSI frames, as the ITS */
	TRY(del_compatible(buf, "arm,armv8-pmuv3"));	/* PMU interrupts are not virtualized */
	TRY(del_compatible(buf, "arm,psci"));		/* replaced by add_psci_node() */
	TRY(del_compatible(buf, "arm,psci-0.2"));
	TRY(del_compatible(buf, "arm,psci-1.0"));
	TRY(fix_memory(buf, d));
	TRY(fix_cpus(buf, d->max_vcpus));
	TRY(fix_chosen(buf, bootargs, initrd_start, initrd_size));
	TRY(add_psci_node(buf));
	gic = fdt_path_offset(buf, gic_path);
	if (gic >= 0) {
		fdt_delprop(buf, gic, "interrupts");	/* the maintenance PPI is Kestrel's */
		TRY(fix_gic_redist(buf, fdt_path_offset(buf, gic_path), d->max_vcpus));
	}
	TRY(add_hypervisor_node(buf, bi, d));
	return fdt_pack(buf);
}
