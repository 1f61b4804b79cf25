// SPDX-License-Identifier: Apache-2.0
/*
 * dom0less: reads the /chosen nodes with compatible "xen,domain" (domUs built at boot beside
 * dom0) into bootinfo.domus[], their boot modules into bootinfo.modules. Boot-only (__init).
 * Binding: Xen 4.17 docs/misc/arm/device-tree/booting.txt ("Creating Multiple Domains
 * directly from Xen"); guest memory map: Xen public/arch-arm.h (include/public/arch-arm.h).
 */
#include <libfdt.h>
#include <public/arch-arm.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>

/* GICv3 SPIs are INTIDs 32..1019 (Arm IHI 0069, 2.2.1): at most 988 of them. */
#define GIC_MAX_SPIS	988

/* A one-cell property: 0, 1 if absent, -1 if not one cell long. */
static __init int dt_u32(const void *fdt, int node, const char *name, uint32_t *val)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return 1;
	if (len != 4)
		return -1;
	*val = fdt32_to_cpu(*p);
	return 0;
}

static __init int parse_memory(const void *fdt, int node, struct domu_config *d, char *msg,
			       unsigned int len)
{
	int plen;
	const fdt32_t *p = fdt_getprop(fdt, node, "memory", &plen);
	uint64_t kib;

	if (!p) {
		snprintk(msg, len, "/chosen/%s: no memory property", d->name);
		return -EINVAL;
	}
	if (plen != 4 && plen != 8) {
		snprintk(msg, len, "/chosen/%s: memory is %d bytes long, not one or two cells",
			 d->name, plen);
		return -EINVAL;
	}
	kib = fdt_read_cells(p, plen / 4);
	if (!kib) {
		snprintk(msg, len, "/chosen/%s: memory is 0", d->name);
		return -EINVAL;
	}
	if (kib > (GUEST_RAM0_SIZE + GUEST_RAM1_SIZE) / 1024) {
		snprintk(msg, len, "/chosen/%s: memory = %lu KiB is more than the guest RAM banks hold "
			 "(%lu KiB)", d->name, (unsigned long)kib,
			 (unsigned long)((GUEST_RAM0_SIZE + GUEST_RAM1_SIZE) / 1024));
		return -EINVAL;
	}
	if (kib % 4) {
		snprintk(msg, len, "/chosen/%s: memory = %lu KiB is not a multiple of 4 KiB pages",
			 d->name, (unsigned long)kib);
		return -EINVAL;
	}
	d->mem_size = kib * 1024;
	return 0;
}

static __init int parse_cpus_spis(const void *fdt, int node, struct domu_config *d, char *msg,
				  unsigned int len)
{
	uint32_t v = 0;
	int r = dt_u32(fdt, node, "cpus", &v);

	if (r) {
		snprintk(msg, len, "/chosen/%s: cpus is %s", d->name, r > 0 ? "missing" : "not one cell");
		return -EINVAL;
	}
	if (!v || v > CONFIG_MAX_VCPUS) {
		snprintk(msg, len, "/chosen/%s: cpus = %u is %s CONFIG_MAX_VCPUS (%d)", d->name, v,
			 v ? "above" : "0, not 1 to", CONFIG_MAX_VCPUS);
		return -EINVAL;
	}
	d->cpus = v;
	v = 0;
	r = dt_u32(fdt, node, "nr_spis", &v);
	if (r < 0 || v > GIC_MAX_SPIS) {
		snprintk(msg, len, "/chosen/%s: nr_spis %s%u is not one cell of at most %d", d->name,
			 r < 0 ? "" : "= ", r < 0 ? 0 : v, GIC_MAX_SPIS);
		return -EINVAL;
	}
	d->nr_spis = v;
	d->vpl011 = fdt_getprop(fdt, node, "vpl011", NULL) != NULL;
	return 0;
}

static __init int parse_enhanced(const void *fdt, int node, struct domu_config *d, char *msg,
				 unsigned int len)
{
	int plen;
	const char *v = fdt_getprop(fdt, node, "xen,enhanced", &plen);
	const char *s = dt_string(fdt, node, "xen,enhanced");

	if (!v)
		d->enhanced = XEN_ENHANCED_NONE;
	else if (!plen || (s && !strcmp(s, "enabled")))
		d->enhanced = XEN_ENHANCED_ENABLED;
	else if (s && !strcmp(s, "no-xenstore"))
		d->enhanced = XEN_ENHANCED_NO_XENSTORE;
	else {
		snprintk(msg, len, "/chosen/%s: xen,enhanced = \"%.32s\" is not \"enabled\" or "
			 "\"no-xenstore\"", d->name, s ? s : "(not a string)");
		return -EINVAL;
	}
	return 0;
}

/* The cells of the domU node's children: required by the binding, 1-2 address, 1-2 size. */
static __init int check_cells(const void *fdt, int node, const struct domu_config *d, char *msg,
			      unsigned int len)
{
	static const char *const names[] = { "#address-cells", "#size-cells" };

	for (int i = 0; i < 2; i++) {
		uint32_t v = 0;
		int r = dt_u32(fdt, node, names[i], &v);

		if (r || v < 1 || v > 2) {
			snprintk(msg, len, "/chosen/%s: %s is %s", d->name, names[i],
				 r > 0 ? "missing" : "not one cell of 1 or 2");
			return -EINVAL;
		}
	}
	return 0;
}

/* Which role a child has: 0 kernel, 1 ramdisk, 2 device tree, -1 none (not a module). */
static __init int module_role(const void *fdt, int child)
{
	static const char *const compat[] = { "multiboot,kernel", "multiboot,ramdisk",
					      "multiboot,device-tree" };

	for (int r = 0; r < 3; r++)
		if (!fdt_node_check_compatible(fdt, child, compat[r]))
			return r;
	return -1;
}

static __init int parse_module(struct bootinfo *bi, const void *fdt, int node, int child,
			       struct domu_config *d, char *msg, unsigned int len)
{
	static const char *const compat[] = { "multiboot,kernel", "multiboot,ramdisk",
					      "multiboot,device-tree" };
	const char *cname = fdt_get_name(fdt, child, NULL);
	int role = module_role(fdt, child), *slot;
	struct bootmodule *m;
	struct membank bank;

	if (role < 0) {
		if (fdt_node_check_compatible(fdt, child, "multiboot,module"))
			return 0;	/* not a boot module: another binding's child */
		snprintk(msg, len, "/chosen/%s/%s: no multiboot,kernel, multiboot,ramdisk or "
			 "multiboot,device-tree in its compatible", d->name, cname);
		return -EINVAL;
	}
	slot = role == 0 ? &d->kernel : role == 1 ? &d->ramdisk : &d->dtb;
	if (*slot >= 0) {
		snprintk(msg, len, "/chosen/%s/%s: a second %s module", d->name, cname, compat[role]);
		return -EINVAL;
	}
	if (bi->nr_modules == MAX_MODULES) {
		snprintk(msg, len, "/chosen/%s/%s: too many boot modules (at most %d)", d->name, cname,
			 MAX_MODULES);
		return -EINVAL;
	}
	if (dt_read_reg_in(fdt, child, node, 0, &bank)) {
		snprintk(msg, len, "/chosen/%s/%s: no valid reg (one address and one size in the "
			 "domU node's #address-cells and #size-cells)", d->name, cname);
		return -EINVAL;
	}
	*slot = bi->nr_modules;
	m = &bi->modules[bi->nr_modules++];
	*m = (struct bootmodule){ .kind = MOD_OTHER, .start = bank.start, .size = bank.size,
				  .name = cname, .bootargs = dt_string(fdt, child, "bootargs"),
				  .owner = bi->nr_domus };
	return 0;
}

static __init int parse_domu(struct bootinfo *bi, const void *fdt, int node, char *msg,
			     unsigned int len)
{
	struct domu_config *d = &bi->domus[bi->nr_domus];
	unsigned int first = bi->nr_modules;
	int child, err;

	*d = (struct domu_config){ .name = fdt_get_name(fdt, node, NULL), .node = node,
				   .kernel = -1, .ramdisk = -1, .dtb = -1 };
	bi->nr_domus++;		/* its modules' owner, and module_path() names it */
	err = parse_memory(fdt, node, d, msg, len);
	if (!err)
		err = parse_cpus_spis(fdt, node, d, msg, len);
	if (!err)
		err = parse_enhanced(fdt, node, d, msg, len);
	if (!err)
		err = check_cells(fdt, node, d, msg, len);
	if (err)
		return err;
	fdt_for_each_subnode(child, fdt, node)
		if ((err = parse_module(bi, fdt, node, child, d, msg, len)))
			return err;
	if (d->kernel < 0) {
		snprintk(msg, len, "/chosen/%s: no multiboot,kernel module", d->name);
		return -EINVAL;
	}
	d->bootargs = bi->modules[d->kernel].bootargs;
	if (!d->bootargs)
		d->bootargs = dt_string(fdt, node, "bootargs");
	for (unsigned int i = first; i < bi->nr_modules; i++)
		if (bootmodule_check(bi, i, msg, len))
			return -EINVAL;
	return 0;
}

int __init dom0less_parse(struct bootinfo *bi, const void *fdt, int chosen, char *msg, unsigned int len)
{
	int node, err;

	bi->nr_domus = 0;
	fdt_for_each_subnode(node, fdt, chosen) {
		if (fdt_node_check_compatible(fdt, node, "xen,domain"))
			continue;
		if (bi->nr_domus == MAX_DOMUS) {
			snprintk(msg, len, "/chosen/%s: more than %d xen,domain nodes (CONFIG_MAX_DOMUS)",
				 fdt_get_name(fdt, node, NULL), MAX_DOMUS);
			return -EINVAL;
		}
		if ((err = parse_domu(bi, fdt, node, msg, len)))
			return err;
	}
	return 0;
}

int domu_ram_layout(uint64_t mem_size, struct membank out[2])
{
	uint64_t low = mem_size < GUEST_RAM0_SIZE ? mem_size : GUEST_RAM0_SIZE;

	if (!mem_size || mem_size % 4096 || mem_size - low > GUEST_RAM1_SIZE)
		return -EINVAL;
	out[0] = (struct membank){ GUEST_RAM0_BASE, low };
	out[1] = (struct membank){ mem_size > low ? GUEST_RAM1_BASE : 0, mem_size - low };
	return mem_size > low ? 2 : 1;
}
