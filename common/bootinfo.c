// SPDX-License-Identifier: Apache-2.0
/*
 * Reads the host DTB at boot: RAM, the hypervisor and dom0 command lines, boot
 * modules, the GIC, the console UART and the PSCI conduit. Boot-only (__init).
 * Bindings: Xen docs/misc/arm/device-tree/booting.txt (modules, xen,*-bootargs),
 * Linux Documentation/devicetree/bindings/interrupt-controller/arm,gic-v3.yaml.
 */
#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/serial.h>

struct bootinfo bootinfo;

uint64_t fdt_read_cells(const void *p, int n)
{
	const fdt32_t *c = p;
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(c[i]);
	return v;
}

__init const char *dt_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	for (int i = 0; s && i < len; i++)
		if (!s[i])
			return s;
	return NULL;
}

/*
 * #address-cells / #size-cells in force for the children of @node: a node without the
 * property inherits its parent's (as Xen's device_tree_for_each_node does; QEMU's
 * guest-loader relies on it for /chosen/module@*), the root defaulting to 2 and 1.
 */
int dt_cells(const void *fdt, int node, const char *name)
{
	for (; node >= 0; node = node ? fdt_parent_offset(fdt, node) : -1) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

		if (p)	/* one cell, else -1: callers reject it as an unsupported count */
			return len == 4 ? (int)fdt32_to_cpu(*p) : -1;
	}
	return name[1] == 'a' ? 2 : 1;
}

int __init dt_read_reg(const void *fdt, int node, int index, struct membank *bank)
{
	return dt_read_reg_in(fdt, node, fdt_parent_offset(fdt, node), index, bank);
}

int __init dt_read_reg_in(const void *fdt, int node, int parent, int index, struct membank *bank)
{
	int ac = dt_cells(fdt, parent, "#address-cells"), sc = dt_cells(fdt, parent, "#size-cells"), len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	if ((index + 1) * (ac + sc) * 4 > len)
		return -1;
	reg += index * (ac + sc);
	bank->start = fdt_read_cells(reg, ac);
	bank->size = fdt_read_cells(reg + ac, sc);
	return bank->start + bank->size < bank->start ? -1 : 0;	/* ends beyond 2^64 - 1 */
}

int __init dt_translate_path(const void *fdt, const int *path, int depth, uint64_t *addr)
{
	for (; depth > 0; depth--) {
		int bus = path[depth], parent = path[depth - 1], len;
		int ac = fdt_address_cells(fdt, bus), pac = fdt_address_cells(fdt, parent);
		int sc = fdt_size_cells(fdt, bus), step = (ac + pac + sc) * 4;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		bool hit = false;

		/* libfdt's cell counts are negative errors when invalid: the step must be > 0. */
		if (!r || ac <= 0 || pac <= 0 || sc < 0)
			return -1;
		for (int i = 0; i + step <= len; i += step) {
			const fdt32_t *e = (const fdt32_t *)((const char *)r + i);
			uint64_t child = fdt_read_cells(e, ac), par = fdt_read_cells(e + ac, pac);
			uint64_t size = fdt_read_cells(e + ac + pac, sc);

			if (*addr - child < size) {
				*addr = *addr - child + par;
				hit = true;
				break;
			}
		}
		if (len && !hit)
			return -1;
	}
	return 0;
}

int __init dt_translate(const void *fdt, int bus, uint64_t *addr)
{
	int path[DT_MAX_DEPTH], depth = 0;

	/* The path from the root down to @bus, found by climbing (libfdt has no depth query). */
	for (int n = bus; n > 0; n = fdt_parent_offset(fdt, n))
		if (++depth >= DT_MAX_DEPTH)
			return -1;
	path[0] = 0;
	for (int n = bus, d = depth; d > 0; n = fdt_parent_offset(fdt, n), d--)
		path[d] = n;
	return bus < 0 ? -1 : dt_translate_path(fdt, path, depth, addr);
}

/* Dropping one would let dom0's RAM overlap it (a boot module, firmware memory): stop. */
static __init void add_reserved(struct bootinfo *bi, uint64_t start, uint64_t size)
{
	if (bi->nr_reserved == ARRAY_SIZE(bi->reserved))
		panic("more than %u reserved ranges (hypervisor, DTB, /memreserve/ entries, boot modules)",
		      (unsigned int)ARRAY_SIZE(bi->reserved));
	bi->reserved[bi->nr_reserved++] = (struct membank){ start, size };
}

/*
 * Clip RAM bank @bank to BOOTINFO_RAM_LIMIT, saying what is left out: neither Kestrel's heap
 * nor dom0 gets RAM the EL2 map cannot reach. Return: false if none of it is below.
 */
static __init bool ram_below_limit(struct membank *bank)
{
	if (bank->start + bank->size <= BOOTINFO_RAM_LIMIT)
		return true;
	printk("RAM 0x%lx-0x%lx is above what the EL2 map covers (0x%lx): %s\n", (unsigned long)bank->start,
	       (unsigned long)(bank->start + bank->size), BOOTINFO_RAM_LIMIT,
	       bank->start >= BOOTINFO_RAM_LIMIT ? "not used, neither by Kestrel nor by dom0"
						 : "the part above not used");
	if (bank->start >= BOOTINFO_RAM_LIMIT)
		return false;
	bank->size = BOOTINFO_RAM_LIMIT - bank->start;
	return true;
}

static __init void parse_memory(struct bootinfo *bi, const void *fdt)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = dt_string(fdt, node, "device_type");
		struct membank bank;

		if (!type || strcmp(type, "memory"))
			continue;
		for (int i = 0; dt_read_reg(fdt, node, i, &bank) == 0; i++) {
			if (!bank.size || bi->nr_mem == MAX_MEM_BANKS || !ram_below_limit(&bank))
				continue;
			bi->mem[bi->nr_mem++] = bank;
		}
	}
	if (!bi->nr_mem)
		panic("DTB has no memory node with a usable \"reg\"");
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;

		/* One that wraps past 2^64 keeps everything above its start: never less. */
		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && s)
			add_reserved(bi, a, a + s < a ? ~0UL - a : s);
	}
}

static __init bool overlaps(uint64_t a, uint64_t size, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + size;
}

/* "/chosen/module@..." for dom0's, "/chosen/domU1/module@..." for a domU's. */
static __init void module_path(const struct bootinfo *bi, const struct bootmodule *m, char *buf,
			       unsigned int len)
{
	if (m->owner && m->owner <= bi->nr_domus)
		snprintk(buf, len, "/chosen/%s/%s", bi->domus[m->owner - 1].name, m->name);
	else
		snprintk(buf, len, "/chosen/%s", m->name);
}

int __init bootmodule_check(const struct bootinfo *bi, unsigned int i, char *msg, unsigned int len)
{
	const struct bootmodule *m = &bi->modules[i];
	const struct membank *bank = NULL;
	unsigned long a = m->start, s = m->size;
	char path[96], other[96];

	module_path(bi, m, path, sizeof(path));
	if (!s) {
		snprintk(msg, len, "%s: reg size is 0", path);
		return -EINVAL;
	}
	if (a + s < a) {
		snprintk(msg, len, "%s: 0x%lx+0x%lx wraps around the address space",
			 path, a, s);
		return -EINVAL;
	}
	for (unsigned int b = 0; b < bi->nr_mem && !bank; b++)
		if (a >= bi->mem[b].start && a - bi->mem[b].start < bi->mem[b].size)
			bank = &bi->mem[b];
	if (!bank) {
		snprintk(msg, len, "%s: 0x%lx+0x%lx is not in RAM", path, a, s);
		return -EINVAL;
	}
	if (a + s > bank->start + bank->size) {
		snprintk(msg, len, "%s: 0x%lx+0x%lx runs past the end of its RAM bank "
			 "(0x%lx-0x%lx)", path, a, s,
			 (unsigned long)bank->start, (unsigned long)(bank->start + bank->size));
		return -EINVAL;
	}
	if (overlaps(a, s, bi->image_start, bi->image_end - bi->image_start)) {
		snprintk(msg, len, "%s: 0x%lx+0x%lx overlaps Kestrel (0x%lx-0x%lx)", path,
			 a, s, (unsigned long)bi->image_start, (unsigned long)bi->image_end);
		return -EINVAL;
	}
	if (overlaps(a, s, bi->dtb, bi->dtb_size)) {
		snprintk(msg, len, "%s: 0x%lx+0x%lx overlaps the DTB (0x%lx-0x%lx)", path,
			 a, s, (unsigned long)bi->dtb, (unsigned long)(bi->dtb + bi->dtb_size));
		return -EINVAL;
	}
	for (unsigned int j = 0; j < bi->nr_modules; j++) {
		const struct bootmodule *o = &bi->modules[j];

		if (j != i && overlaps(a, s, o->start, o->size)) {
			module_path(bi, o, other, sizeof(other));
			snprintk(msg, len, "%s: 0x%lx+0x%lx overlaps %s (0x%lx+0x%lx)",
				 path, a, s, other, (unsigned long)o->start,
				 (unsigned long)o->size);
			return -EINVAL;
		}
	}
	return 0;
}

static __init bool is_module_node(const char *name)
{
	return !strcmp(name, "module") || !strncmp(name, "module@", 7);
}

static __init void parse_modules(struct bootinfo *bi, const void *fdt, int chosen)
{
	char msg[200];
	int node;

	fdt_for_each_subnode(node, fdt, chosen) {
		const char *name = fdt_get_name(fdt, node, NULL);
		struct bootmodule *m;
		struct membank bank;

		if (fdt_node_check_compatible(fdt, node, "multiboot,module") &&
		    fdt_node_check_compatible(fdt, node, "multiboot,kernel") &&
		    fdt_node_check_compatible(fdt, node, "multiboot,ramdisk")) {
			if (is_module_node(name))
				panic("/chosen/%s: no \"multiboot,kernel\", \"multiboot,ramdisk\" or "
				      "\"multiboot,module\" in its compatible", name);
			continue;
		}
		if (bi->nr_modules == MAX_MODULES)
			panic("/chosen/%s: too many boot modules (at most %d)", name, MAX_MODULES);
		if (dt_read_reg(fdt, node, 0, &bank))
			panic("/chosen/%s: no valid \"reg\" (one address and one size, of %d and %d "
			      "cells: /chosen's #address-cells and #size-cells)", name,
			      dt_cells(fdt, chosen, "#address-cells"), dt_cells(fdt, chosen, "#size-cells"));
		m = &bi->modules[bi->nr_modules++];
		m->start = bank.start;
		m->size = bank.size;
		m->name = name;
		m->owner = 0;
		m->bootargs = dt_string(fdt, node, "bootargs");
		if (!fdt_node_check_compatible(fdt, node, "multiboot,kernel"))
			m->kind = MOD_KERNEL;
		else if (!fdt_node_check_compatible(fdt, node, "multiboot,ramdisk"))
			m->kind = MOD_RAMDISK;
		else
			m->kind = MOD_OTHER;
	}
	if (dom0less_parse(bi, fdt, chosen, msg, sizeof(msg)))
		panic("%s", msg);
	/* Checked once all are known, so that an overlap names both nodes. */
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		if (bootmodule_check(bi, i, msg, sizeof(msg)))
			panic("%s", msg);
		add_reserved(bi, bi->modules[i].start, bi->modules[i].size);
	}
}

static __init bool has_module(const struct bootinfo *bi, enum module_kind kind)
{
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind && !bi->modules[i].owner)
			return true;
	return false;
}

static __init void parse_chosen(struct bootinfo *bi, const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	bi->cmdline = "";
	if (chosen < 0)
		return;
	bi->cmdline = dt_string(fdt, chosen, "xen,xen-bootargs");
	if (!bi->cmdline)
		bi->cmdline = dt_string(fdt, chosen, "bootargs");
	if (!bi->cmdline)
		bi->cmdline = "";
	parse_modules(bi, fdt, chosen);
	/* Modules that are only "multiboot,module": the first is the kernel, the next the ramdisk. */
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		struct bootmodule *m = &bi->modules[i];

		if (m->kind != MOD_OTHER || m->owner)
			continue;
		if (!has_module(bi, MOD_KERNEL))
			m->kind = MOD_KERNEL;
		else if (!has_module(bi, MOD_RAMDISK))
			m->kind = MOD_RAMDISK;
	}
	bi->dom0_cmdline = dt_string(fdt, chosen, "xen,dom0-bootargs");
	for (unsigned int i = 0; !bi->dom0_cmdline && i < bi->nr_modules; i++)
		if (bi->modules[i].kind == MOD_KERNEL && !bi->modules[i].owner)
			bi->dom0_cmdline = bi->modules[i].bootargs;
}

/*
 * Interrupt specifier (3 cells: type, number, flags) at @index of @node -> INTID, or 0 if
 * there is none or it is out of range: the INTID indexes GIC registers unchecked later.
 * GIC binding (arm,gic-v3.yaml): type 0 = SPI 0-987 (INTID 32 + n), type 1 = PPI 0-15
 * (INTID 16 + n); the extended SPI/PPI types 2 and 3 are not supported.
 */
static __init unsigned int dt_irq(const void *fdt, int node, int index)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);
	uint32_t type, n;

	if (!p || len < (index + 1) * 12)
		return 0;
	p += index * 3;
	type = fdt32_to_cpu(p[0]);
	n = fdt32_to_cpu(p[1]);
	if (type == 0 && n <= 987)
		return 32 + n;
	if (type == 1 && n <= 15)
		return 16 + n;
	return 0;
}

/* A PPI from dt_irq(), else @dflt (the SBSA-recommended INTID): a timer or GIC PPI. */
static __init unsigned int dt_ppi(const void *fdt, int node, int index, unsigned int dflt)
{
	unsigned int intid = node >= 0 ? dt_irq(fdt, node, index) : 0;

	return intid >= 16 && intid < 32 ? intid : dflt;
}

/* GICv2 compatibles Kestrel drives (arm,gic.yaml): the GIC-400 and its register-compatible kin. */
static const char *const gic_v2_compatibles[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic" };

/*
 * The least each GICv2 frame must span (Arm IHI 0048B 4.1.2, 5.3.1, 5.5.1): GICD 4 KiB;
 * GICC and GICV 8 KiB (GICC_DIR at 0x1000); GICH 4 KiB. The drivers access these offsets.
 */
static const uint64_t gic_v2_min_size[4] = { SZ_4K, 2 * SZ_4K, SZ_4K, 2 * SZ_4K };

static __init void parse_gic_v2(struct bootinfo *bi, const void *fdt, int node)
{
	static const char *const frame[4] = { "GICD", "GICC", "GICH", "GICV" };
	struct membank r[4];

	for (int i = 0; i < 4; i++) {
		if (dt_read_reg(fdt, node, i, &r[i]))
			panic("GICv2 node %s lacks \"reg\" entry %d (GICD, GICC, GICH, GICV)",
			      fdt_get_name(fdt, node, NULL), i);
		if (r[i].size < gic_v2_min_size[i])
			panic("GICv2 node %s: %s \"reg\" is 0x%lx bytes, less than its 0x%lx-byte frame",
			      fdt_get_name(fdt, node, NULL), frame[i], (unsigned long)r[i].size,
			      (unsigned long)gic_v2_min_size[i]);
	}
	bi->gic = (struct gic_info){ .dist_base = r[0].start, .dist_size = r[0].size,
				     .maint_irq = dt_ppi(fdt, node, 0, 25), .node = node,
				     .phandle = fdt_get_phandle(fdt, node), .version = 2,
				     .cpu_base = r[1].start, .cpu_size = r[1].size,
				     .hyp_base = r[2].start, .hyp_size = r[2].size,
				     .vcpu_base = r[3].start, .vcpu_size = r[3].size };
}

/*
 * The GICv3's redistributor regions: "reg" entries 1 to "#redistributor-regions" (Linux
 * Documentation/devicetree/bindings/interrupt-controller/arm,gic-v3.yaml). A count that is
 * not a number from 1 to GIC_MAX_REDIST_REGIONS, or a region missing, stops boot naming
 * the node.
 */
static __init void parse_gic_redist(struct bootinfo *bi, const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "#redistributor-regions", &len);
	uint32_t n = p ? (len == 4 ? fdt32_to_cpu(*p) : 0) : 1;

	if (n < 1 || n > GIC_MAX_REDIST_REGIONS)
		panic("GICv3 node %s: \"#redistributor-regions\" must be a number from 1 to %u", name,
		      GIC_MAX_REDIST_REGIONS);
	for (unsigned int i = 0; i < n; i++)
		if (dt_read_reg(fdt, node, 1 + (int)i, &bi->gic.redist[i]) || !bi->gic.redist[i].size)
			panic("GICv3 node %s lacks redistributor region %u of its %u (\"reg\" entry %u)",
			      name, i, n, i + 1);
	bi->gic.nr_redist = n;
}

static __init void parse_gic(struct bootinfo *bi, const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	struct membank d, r;

	bi->gic.node = -1;
	if (node < 0) {
		for (unsigned int i = 0; i < ARRAY_SIZE(gic_v2_compatibles) && node < 0; i++)
			node = fdt_node_offset_by_compatible(fdt, -1, gic_v2_compatibles[i]);
		if (node >= 0)
			parse_gic_v2(bi, fdt, node);
		return;	/* none: reported by bootinfo_check_gic() once the console UART is up */
	}
	if (dt_read_reg(fdt, node, 0, &d) || dt_read_reg(fdt, node, 1, &r))
		panic("GICv3 node %s lacks GICD/GICR \"reg\" entries", fdt_get_name(fdt, node, NULL));
	/* gic_init() programs GICD registers across its 64 KiB frame (Arm IHI 0069, GICD map). */
	if (d.size < SZ_64K)
		panic("GICv3 node %s: GICD \"reg\" is 0x%lx bytes, not the 64 KiB frame",
		      fdt_get_name(fdt, node, NULL), (unsigned long)d.size);
	bi->gic = (struct gic_info){ d.start, d.size, r.start, r.size, dt_ppi(fdt, node, 0, 25), node,
				     fdt_get_phandle(fdt, node), .version = 3 };
	parse_gic_redist(bi, fdt, node);
}

static __init void parse_cpus_timer_psci(struct bootinfo *bi, const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, timer;
	const char *method;

	bi->nr_cpus = 0;
	if (cpus >= 0)
		fdt_for_each_subnode(node, fdt, cpus) {
			const char *type = dt_string(fdt, node, "device_type");

			struct membank reg;

			if (!type || strcmp(type, "cpu") || bi->nr_cpus == CONFIG_NR_CPUS)
				continue;
			bi->cpu_mpidr[bi->nr_cpus++] = dt_read_reg(fdt, node, 0, &reg) ? 0 : reg.start;
		}
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	method = node >= 0 ? dt_string(fdt, node, "method") : NULL;
	bi->psci_smc = !method || strcmp(method, "hvc");
	timer = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	bi->timer_ppi_virt = dt_ppi(fdt, timer, 2, 27);
	bi->timer_ppi_hyp = dt_ppi(fdt, timer, 3, 26);
}

void __init bootinfo_boot_cpu_first(struct bootinfo *bi, uint64_t mpidr)
{
	unsigned int at = 0;

	while (at < bi->nr_cpus && bi->cpu_mpidr[at] != mpidr)
		at++;
	if (at == bi->nr_cpus && bi->nr_cpus < CONFIG_NR_CPUS)
		bi->nr_cpus++;		/* not listed: inserted */
	else if (at == bi->nr_cpus)
		at--;			/* table full: the last entry makes room */
	memmove(&bi->cpu_mpidr[1], &bi->cpu_mpidr[0], at * sizeof(bi->cpu_mpidr[0]));
	bi->cpu_mpidr[0] = mpidr;
}

/*
 * fdt_path_offset() of @path, a leading alias ("serial0", "serial0/x") resolved here: an
 * alias must name a full path (Devicetree Specification v0.4 3.3), while libfdt 1.6.1
 * follows an alias of an alias without end, a stack overflow for a circular one (fixed
 * in dtc commit 79b9e32, libfdt 1.7.1; Debian bookworm ships 1.6.1).
 */
static __init int dt_path_offset(const void *fdt, const char *path)
{
	char name[64], full[128];
	const char *alias;
	int aliases, n = 0;

	if (path[0] == '/')
		return fdt_path_offset(fdt, path);
	for (; path[n] && path[n] != '/'; n++)
		if (n + 1 == sizeof(name))
			return -FDT_ERR_BADPATH;
		else
			name[n] = path[n];
	name[n] = '\0';
	aliases = fdt_path_offset(fdt, "/aliases");
	alias = aliases >= 0 ? dt_string(fdt, aliases, name) : NULL;
	if (!alias || alias[0] != '/' ||
	    snprintk(full, sizeof(full), "%s%s", alias, path + n) >= (int)sizeof(full))
		return -FDT_ERR_BADPATH;
	return fdt_path_offset(fdt, full);
}

/* The console UART: dtuart=<path or alias>, else /chosen/stdout-path (options after ':'). */
static __init void parse_uart(struct bootinfo *bi, const void *fdt)
{
	char path[128];
	const char *p = cmdline_get(bi->cmdline, "dtuart", path, sizeof(path));
	struct membank bank;
	int node;

	if (!p) {
		int chosen = fdt_path_offset(fdt, "/chosen");

		p = chosen >= 0 ? dt_string(fdt, chosen, "stdout-path") : NULL;
		if (!p)
			p = chosen >= 0 ? dt_string(fdt, chosen, "linux,stdout-path") : NULL;
		if (!p)
			return;
		snprintk(path, sizeof(path), "%s", p);
	}
	for (char *c = path; *c; c++)
		if (*c == ':')
			*c = '\0';
	node = dt_path_offset(fdt, path);
	if (node < 0) {
		printk("console UART \"%s\" not found in the DTB\n", path);
		return;
	}
	if (dt_read_reg(fdt, node, 0, &bank) || !bank.size) {	/* mmu_init() maps only "reg" */
		printk("console UART %s has no usable \"reg\"\n", path);
		return;
	}
	bi->uart_node = node;
	bi->uart_base = bank.start;
	bi->uart_size = bank.size;
	bi->uart_irq = dt_irq(fdt, node, 0);
}

/*
 * What libfdt 1.6.1's fdt_check_full() lets through: a property length that wraps the
 * offset arithmetic (0xffffffff, which fdt_getprop() returns as -1; fdt_next_tag() checks
 * it since dtc commit 7359034, libfdt 1.7.0), and two properties of a node with the same
 * name (dtc's duplicate_property_names check), which let a deleted or rewritten property
 * survive under its twin. Return: 0 or -FDT_ERR_BADSTRUCTURE.
 */
static __init int dt_check_props(const void *fdt)
{
	const char *end = (const char *)fdt + fdt_totalsize(fdt);
	int node, depth = 0;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		int prop, other;

		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name, *other_name;
			int len;
			const char *val = fdt_getprop_by_offset(fdt, prop, &name, &len);

			if (!val || !name || len < 0 || len > end - val)
				return -FDT_ERR_BADSTRUCTURE;
			for (other = fdt_next_property_offset(fdt, prop); other >= 0;
			     other = fdt_next_property_offset(fdt, other))
				if (!fdt_getprop_by_offset(fdt, other, &other_name, NULL) || !other_name ||
				    !strcmp(name, other_name))
					return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return 0;
}

static __init uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * A walk of the structure block's tokens (Devicetree Specification v0.4 5.4) in 64-bit
 * arithmetic, before libfdt's: libfdt 1.6.1's fdt_next_tag() adds a property's length to
 * an int offset, so a length of 0xfffffff4 lands back on the same token and
 * fdt_check_full() loops for ever (fuzz_dom0less found it). Every token, name and value
 * must lie inside the block, which must end with FDT_END. Return: 0 or -FDT_ERR_BADSTRUCTURE.
 */
static __init int dt_check_tokens(const void *fdt)
{
	const uint8_t *base = fdt;
	uint64_t off = fdt_off_dt_struct(fdt), end = off + (uint64_t)fdt_size_dt_struct(fdt);

	if (fdt_version(fdt) < 17)	/* size_dt_struct came with version 17 */
		end = fdt_totalsize(fdt);
	if (end > fdt_totalsize(fdt))
		return -FDT_ERR_BADSTRUCTURE;
	while (off + 4 <= end) {
		uint32_t tag = be32_at(base + off);
		uint64_t len;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			while (off < end && base[off])
				off++;
			if (off == end)
				return -FDT_ERR_BADSTRUCTURE;
			off = (off + 1 + 3) & ~3ULL;
			break;
		case FDT_PROP:
			if (off + 8 > end)
				return -FDT_ERR_BADSTRUCTURE;
			len = be32_at(base + off);
			if (len > end - off - 8)
				return -FDT_ERR_BADSTRUCTURE;
			off = (off + 8 + len + 3) & ~3ULL;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return -FDT_ERR_BADSTRUCTURE;
}

int __init dt_check_tree(const void *fdt, uint64_t size)
{
	int err = fdt_check_header(fdt);

	/*
	 * Before version 16 node names are full paths, and libfdt 1.6.1's fdt_check_full()
	 * dereferences NULL on one without a '/' (fixed in dtc commit fda71da, libfdt
	 * 1.7.0; Debian bookworm ships 1.6.1). Every boot loader and dtc write version 17.
	 */
	if (!err && fdt_version(fdt) < 16)
		err = -FDT_ERR_BADVERSION;
	if (!err && fdt_totalsize(fdt) > size)
		err = -FDT_ERR_TRUNCATED;
	if (!err)
		err = dt_check_tokens(fdt);
	if (!err)
		err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (!err)
		err = dt_check_props(fdt);
	return err;
}

void __init bootinfo_parse(struct bootinfo *bi, const void *fdt, uint64_t image_start,
			   uint64_t image_end)
{
	int err = dt_check_tree(fdt, ~0ULL);

	if (err)
		panic("DTB at 0x%lx is not a valid flattened device tree (libfdt: %s)",
		      (unsigned long)(uintptr_t)fdt, fdt_strerror(err));
	bi->fdt = fdt;
	bi->dtb = (uintptr_t)fdt;
	bi->dtb_size = fdt_totalsize(fdt);
	bi->image_start = image_start;
	bi->image_end = image_end;
	bi->uart_node = -1;
	add_reserved(bi, image_start, image_end - image_start);
	add_reserved(bi, bi->dtb, bi->dtb_size);
	parse_memory(bi, fdt);
	parse_chosen(bi, fdt);
	parse_gic(bi, fdt);
	parse_cpus_timer_psci(bi, fdt);
	parse_uart(bi, fdt);
}

int __init bootinfo_early_uart(const void *fdt, uint64_t *base, uint64_t *size, int *node)
{
	char path[128];
	const char *p;
	struct membank bank;
	int chosen;

	if (fdt_check_header(fdt) || (chosen = fdt_path_offset(fdt, "/chosen")) < 0)
		return -EINVAL;
	p = dt_string(fdt, chosen, "stdout-path");
	if (!p)
		p = dt_string(fdt, chosen, "linux,stdout-path");
	if (!p)
		return -ENOENT;
	snprintk(path, sizeof(path), "%s", p);
	for (char *c = path; *c; c++)
		if (*c == ':')
			*c = '\0';
	*node = dt_path_offset(fdt, path);
	if (*node < 0 || dt_read_reg(fdt, *node, 0, &bank) || !bank.size)
		return -ENOENT;
	*base = bank.start;
	*size = bank.size;
	return 0;
}

void __init bootinfo_check_gic(const struct bootinfo *bi)
{
	if (bi->gic.node < 0)
		panic("DTB has no \"arm,gic-v3\" or GICv2 (\"arm,gic-400\", \"arm,cortex-a15-gic\") "
		      "interrupt controller");
}

bool __init bootinfo_range_kept(const struct bootinfo *bi, uint64_t a, uint64_t s)
{
	const struct membank keep[] = {
		{ bi->gic.dist_base, bi->gic.dist_size }, { bi->gic.redist_base, bi->gic.redist_size },
		{ bi->gic.cpu_base, bi->gic.cpu_size }, { bi->gic.hyp_base, bi->gic.hyp_size },
		{ bi->gic.vcpu_base, bi->gic.vcpu_size },
		{ ALIGN_DOWN(bi->uart_base, 4096UL), bi->uart_size ? 4096UL : 0 },
	};

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (a < bi->mem[i].start + bi->mem[i].size && bi->mem[i].start < a + s)
			return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(keep); i++)
		if (keep[i].size && a < keep[i].start + keep[i].size && keep[i].start < a + s)
			return true;
	for (unsigned int i = 0; i < bi->gic.nr_redist; i++)	/* GICR regions after the first */
		if (a < bi->gic.redist[i].start + bi->gic.redist[i].size && bi->gic.redist[i].start < a + s)
			return true;
	return false;
}
