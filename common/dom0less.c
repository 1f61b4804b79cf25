// SPDX-License-Identifier: Apache-2.0
/*
 * dom0less: each /chosen node with compatible "xen,domain" describes a domU (Xen 4.17
 * docs/misc/arm/device-tree/booting.txt, "Creating Multiple Domains directly from
 * Xen"). Its properties go to bootinfo.domus[], its module nodes to bootinfo.modules[]
 * (owner = the domU's index + 1), so that the checks every boot module gets (inside RAM,
 * clear of Kestrel, the DTB and every other module) cover them and dom0's RAM avoids
 * them. A bad node stops boot with a message naming the node and the property.
 */
#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/lib.h>

/* Each message names the node, e.g. "/chosen/domU1: memory is 0 KiB". */
#define bad_node(c, fmt, ...)	panic("/chosen/%s: " fmt, (c)->name, ##__VA_ARGS__)

static __init uint64_t read_memory_kib(const void *fdt, int node, const struct domu_config *c)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "memory", &len);

	if (!p)
		bad_node(c, "no \"memory\" property (the domU's RAM in KiB)");
	if (len != 4 && len != 8)
		bad_node(c, "\"memory\" is %d bytes long: one or two cells of KiB expected", len);
	return fdt_read_cells(p, len / 4);
}

static __init enum xen_enhanced read_enhanced(const void *fdt, int node, const struct domu_config *c)
{
	int len;
	const char *v = fdt_getprop(fdt, node, "xen,enhanced", &len);

	if (!v)
		return XEN_ENHANCED_NONE;
	if (len == 0 || (len == 8 && !memcmp(v, "enabled", 8)))
		return XEN_ENHANCED_ENABLED;
	if (len == 12 && !memcmp(v, "no-xenstore", 12))
		return XEN_ENHANCED_NO_XENSTORE;
	bad_node(c, "xen,enhanced must be \"enabled\", \"no-xenstore\" or empty");
}

static __init void add_module(struct bootinfo *bi, const void *fdt, int node, int parent,
			      struct domu_config *c, unsigned int owner, char *name_buf, size_t len)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	struct bootmodule *m;
	struct membank bank;
	int *slot;

	snprintk(name_buf, len, "%s/%s", c->name, name);
	if (!fdt_node_check_compatible(fdt, node, "multiboot,kernel"))
		slot = &c->kernel;
	else if (!fdt_node_check_compatible(fdt, node, "multiboot,ramdisk"))
		slot = &c->ramdisk;
	else if (!fdt_node_check_compatible(fdt, node, "multiboot,device-tree"))
		slot = &c->dtb;
	else
		return;	/* not a boot module */
	if (*slot >= 0)
		panic("/chosen/%s: a second module of the same kind", name_buf);
	if (bi->nr_modules == MAX_MODULES)
		panic("/chosen/%s: too many boot modules (at most %d)", name_buf, MAX_MODULES);
	if (dt_read_reg_in(fdt, node, parent, 0, &bank))
		panic("/chosen/%s: no valid \"reg\" (one address and one size, in %s's #address-cells "
		      "and #size-cells)", name_buf, c->name);
	*slot = (int)bi->nr_modules;
	m = &bi->modules[bi->nr_modules++];
	*m = (struct bootmodule){ .kind = slot == &c->kernel ? MOD_KERNEL : slot == &c->ramdisk ? MOD_RAMDISK
											: MOD_OTHER,
				  .start = bank.start, .size = bank.size, .name = name_buf,
				  .bootargs = dt_string(fdt, node, "bootargs"), .owner = owner };
}

static __init void parse_domu(struct bootinfo *bi, const void *fdt, int node, unsigned int idx)
{
	static char names[CONFIG_MAX_DOMUS][3][64];
	struct domu_config *c = &bi->domus[idx];
	const fdt32_t *p;
	unsigned int nmod = 0;
	uint64_t kib;
	int child, len;

	*c = (struct domu_config){ .name = fdt_get_name(fdt, node, NULL), .node = node,
				   .kernel = -1, .ramdisk = -1, .dtb = -1 };
	kib = read_memory_kib(fdt, node, c);
	if (!kib)
		bad_node(c, "memory is 0 KiB");
	if (kib > (1UL << 40) >> 10)
		bad_node(c, "memory = %lu KiB is more than the guest map holds", (unsigned long)kib);
	c->mem_size = kib << 10;
	p = fdt_getprop(fdt, node, "cpus", &len);
	if (!p || len != 4)
		bad_node(c, "no \"cpus\" property of one cell");
	c->cpus = fdt32_to_cpu(*p);
	if (!c->cpus || c->cpus > CONFIG_MAX_VCPUS)
		bad_node(c, "cpus = %u: from 1 to CONFIG_MAX_VCPUS (%d)", c->cpus, CONFIG_MAX_VCPUS);
	c->vpl011 = fdt_getprop(fdt, node, "vpl011", NULL) != NULL;
	p = fdt_getprop(fdt, node, "nr_spis", &len);
	if (p && len != 4)
		bad_node(c, "\"nr_spis\" is not one cell");
	c->nr_spis = p ? fdt32_to_cpu(*p) : 0;
	if (p && (c->nr_spis > 988 || (c->vpl011 && c->nr_spis < 1)))
		bad_node(c, "nr_spis = %u: up to 988, and at least 1 with a vpl011 (SPI 32)", c->nr_spis);
	c->enhanced = read_enhanced(fdt, node, c);
	fdt_for_each_subnode(child, fdt, node) {
		if (nmod == 3)
			bad_node(c, "more than 3 modules (kernel, ramdisk, device tree)");
		add_module(bi, fdt, child, node, c, idx + 1, names[idx][nmod], sizeof(names[idx][nmod]));
		nmod++;
	}
	if (c->kernel < 0)
		bad_node(c, "no module with compatible \"multiboot,kernel\"");
	c->bootargs = bi->modules[c->kernel].bootargs;
	if (!c->bootargs)
		c->bootargs = dt_string(fdt, node, "bootargs");
}

void __init dom0less_parse(struct bootinfo *bi, const void *fdt, int chosen)
{
	int node;

	fdt_for_each_subnode(node, fdt, chosen) {
		if (fdt_node_check_compatible(fdt, node, "xen,domain"))
			continue;
		if (bi->nr_domus == CONFIG_MAX_DOMUS)
			panic("/chosen/%s: more than CONFIG_MAX_DOMUS (%d) nodes with compatible \"xen,domain\"",
			      fdt_get_name(fdt, node, NULL), CONFIG_MAX_DOMUS);
		parse_domu(bi, fdt, node, bi->nr_domus++);
	}
}
