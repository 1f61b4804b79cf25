// SPDX-License-Identifier: Apache-2.0
/*
 * A dom0less domU's partial device tree: the devices under its /passthrough node that are
 * assigned to the domU, read and checked at boot (boot-only). Binding: Xen 4.17
 * docs/misc/arm/passthrough.txt; guest windows: Xen public/arch-arm.h.
 */
#include <stdarg.h>
#include <libfdt.h>
#include <public/arch-arm.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>

#define PT_ALIGN	4096UL	/* stage-2 mappings are made of 4 KiB pages */

/* The guest windows a passthrough IPA range may not touch besides RAM. */
static const struct {
	uint64_t base, size;
	const char *what;
} guest_windows[] = {
	{ GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE, "the GIC distributor" },
	{ GUEST_GICC_BASE, GUEST_GICC_SIZE, "the GICv2 CPU interface" },
	{ GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE, "the GIC redistributors" },
	{ GUEST_PL011_BASE, GUEST_PL011_SIZE, "the vpl011 UART" },
	{ GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE, "the grant table" },
};

static __init bool overlaps(uint64_t a, uint64_t size, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + size;
}

struct pt_ctx {
	const char *who, *dev;
	char *msg;
	unsigned int len;
};

static __init __printf(2, 3) int pt_err(const struct pt_ctx *c, const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintk(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	snprintk(c->msg, c->len, "%s: /passthrough/%s: %s", c->who, c->dev, detail);
	return -EINVAL;
}

static __init int check_reg(const struct pt_ctx *c, const struct domu_pt_reg *r, unsigned int i,
			    const struct membank *ram, unsigned int nr_ram)
{
	if (!r->size)
		return pt_err(c, "xen,reg entry %u has size 0", i);
	if ((r->pa | r->size | r->ipa) % PT_ALIGN)
		return pt_err(c, "xen,reg entry %u (0x%lx size 0x%lx guest 0x%lx) is not 4 KiB aligned", i,
			      (unsigned long)r->pa, (unsigned long)r->size, (unsigned long)r->ipa);
	if (r->pa + r->size < r->pa || r->ipa + r->size < r->ipa)
		return pt_err(c, "xen,reg entry %u (size 0x%lx) wraps around the address space", i,
			      (unsigned long)r->size);
	for (unsigned int b = 0; b < nr_ram; b++)
		if (overlaps(r->ipa, r->size, ram[b].start, ram[b].size))
			return pt_err(c, "xen,reg entry %u (guest 0x%lx+0x%lx) overlaps the guest's RAM", i,
				      (unsigned long)r->ipa, (unsigned long)r->size);
	for (unsigned int w = 0; w < ARRAY_SIZE(guest_windows); w++)
		if (overlaps(r->ipa, r->size, guest_windows[w].base, guest_windows[w].size))
			return pt_err(c, "xen,reg entry %u (guest 0x%lx+0x%lx) overlaps %s", i,
				      (unsigned long)r->ipa, (unsigned long)r->size, guest_windows[w].what);
	return 0;
}

static __init int parse_regs(const void *pfdt, int node, const struct pt_ctx *c, struct domu_pt_dev *d,
			     const struct membank *ram, unsigned int nr_ram)
{
	int ac = dt_cells(pfdt, 0, "#address-cells"), sc = dt_cells(pfdt, 0, "#size-cells"), plen;
	const fdt32_t *p = fdt_getprop(pfdt, node, "xen,reg", &plen);
	int step;

	if (!p)
		return 0;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return pt_err(c, "xen,reg: the partial DT's root #address-cells/#size-cells are not 1 or 2");
	step = (2 * ac + sc) * 4;
	if (!plen || plen % step)
		return pt_err(c, "xen,reg is %d bytes, not triplets of address, size, guest address", plen);
	if (plen / step > DOMU_MAX_PT_REGS)
		return pt_err(c, "xen,reg has more than %d entries", DOMU_MAX_PT_REGS);
	for (int i = 0; i < plen / step; i++, p += 2 * ac + sc) {
		struct domu_pt_reg *r = &d->regs[d->nr_regs];

		r->pa = fdt_read_cells(p, ac);
		r->size = fdt_read_cells(p + ac, sc);
		r->ipa = fdt_read_cells(p + ac + sc, ac);
		if (check_reg(c, r, i, ram, nr_ram))
			return -EINVAL;
		for (unsigned int j = 0; j < d->nr_regs; j++)
			if (overlaps(r->ipa, r->size, d->regs[j].ipa, d->regs[j].size))
				return pt_err(c, "xen,reg entry %d (guest 0x%lx+0x%lx) overlaps entry %u", i,
					      (unsigned long)r->ipa, (unsigned long)r->size, j);
		d->nr_regs++;
	}
	return 0;
}

static __init int parse_irqs(const void *pfdt, int node, const struct pt_ctx *c, struct domu_pt_dev *d)
{
	int plen;
	const fdt32_t *p = fdt_getprop(pfdt, node, "interrupts", &plen);

	if (!p)
		return 0;
	if (plen % 12)
		return pt_err(c, "interrupts is %d bytes, not GIC specifiers of 3 cells", plen);
	if (plen / 12 > DOMU_MAX_PT_IRQS)
		return pt_err(c, "interrupts has more than %d entries", DOMU_MAX_PT_IRQS);
	for (int i = 0; i < plen / 12; i++, p += 3) {
		uint32_t type = fdt32_to_cpu(p[0]), n = fdt32_to_cpu(p[1]);

		if (type != 0 || n > 987)
			return pt_err(c, "interrupts entry %d is not an SPI (type 0, number 0-987)", i);
		d->irqs[d->nr_irqs++] = 32 + n;
	}
	return 0;
}

static __init int parse_dev(const void *pfdt, int node, const void *host, const struct pt_ctx *c,
			    struct domu_pt_dev *d, const struct membank *ram, unsigned int nr_ram)
{
	*d = (struct domu_pt_dev){ .name = c->dev, .path = dt_string(pfdt, node, "xen,path"),
				   .host_node = -1 };
	d->force_assign = fdt_getprop(pfdt, node, "xen,force-assign-without-iommu", NULL) != NULL;
	if (!d->path)
		return pt_err(c, "no xen,path");
	d->host_node = d->path[0] == '/' ? fdt_path_offset(host, d->path) : -1;
	if (d->host_node < 0)
		return pt_err(c, "xen,path \"%.100s\" is not a node of the host DT", d->path);
	if (!d->force_assign)
		return pt_err(c, "no xen,force-assign-without-iommu (Kestrel has no IOMMU to isolate "
			      "the device's DMA)");
	if (parse_regs(pfdt, node, c, d, ram, nr_ram))
		return -EINVAL;
	return parse_irqs(pfdt, node, c, d);
}

int __init domu_parse_passthrough(const void *partial, const void *host_fdt, const struct membank *ram,
				  unsigned int nr_ram, const char *who, struct domu_pt_dev *devs,
				  unsigned int max, unsigned int *nr, char *msg, unsigned int len)
{
	struct pt_ctx c = { who, "", msg, len };
	int pt, node, err = dt_check_tree(partial, ~0ULL);	/* its module's size: domu_passthrough_init() */

	*nr = 0;
	if (err) {
		snprintk(msg, len, "%s: not a valid flattened device tree (libfdt: %s)", who,
			 fdt_strerror(err));
		return -EINVAL;
	}
	pt = fdt_path_offset(partial, "/passthrough");
	if (pt < 0)
		return 0;
	fdt_for_each_subnode(node, partial, pt) {
		c.dev = fdt_get_name(partial, node, NULL);
		if (*nr == max)
			return pt_err(&c, "more than %u passthrough devices", max);
		if (parse_dev(partial, node, host_fdt, &c, &devs[*nr], ram, nr_ram))
			return -EINVAL;
		/* Ranges of two devices may not share guest addresses either. */
		for (unsigned int i = 0; i < *nr; i++)
			for (unsigned int a = 0; a < devs[i].nr_regs; a++)
				for (unsigned int b = 0; b < devs[*nr].nr_regs; b++)
					if (overlaps(devs[i].regs[a].ipa, devs[i].regs[a].size,
						     devs[*nr].regs[b].ipa, devs[*nr].regs[b].size))
						return pt_err(&c, "xen,reg entry %u overlaps /passthrough/%s",
							      b, devs[i].name);
		(*nr)++;
	}
	return 0;
}

/* Is @anc @node or one of its ancestors (libfdt: each parent is found from the root)? */
static __init bool is_self_or_ancestor(const void *fdt, int anc, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node))
		if (node == anc)
			return true;
	return false;
}

/*
 * The host node a domU is given must be a device, and none Kestrel or dom0 cannot do
 * without: not the console UART or the GIC nor a bus holding them, not a cpu, memory,
 * /chosen, /cpus, timer or PSCI node, and with a "reg".
 */
static __init int check_host_node(const struct bootinfo *bi, const struct domu_pt_dev *dev,
				  const struct pt_ctx *ctx)
{
	const void *fdt = bi->fdt;
	const char *type = dt_string(fdt, dev->host_node, "device_type");
	const char *name = fdt_get_name(fdt, dev->host_node, NULL);
	static const char *const refused[] = { "arm,armv8-timer", "arm,armv7-timer", "arm,psci",
					       "arm,psci-0.2", "arm,psci-1.0" };

	if (bi->uart_node >= 0 && is_self_or_ancestor(fdt, dev->host_node, bi->uart_node))
		return pt_err(ctx, "xen,path \"%.100s\" is or holds the hypervisor's console UART",
			      dev->path);
	if (is_self_or_ancestor(fdt, dev->host_node, bi->gic.node))
		return pt_err(ctx, "xen,path \"%.100s\" is or holds the interrupt controller", dev->path);
	if ((type && (!strcmp(type, "cpu") || !strcmp(type, "memory"))) ||
	    (name && (!strcmp(name, "chosen") || !strcmp(name, "cpus"))))
		return pt_err(ctx, "xen,path \"%.100s\" is not a device", dev->path);
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++)
		if (!fdt_node_check_compatible(fdt, dev->host_node, refused[i]))
			return pt_err(ctx, "xen,path \"%.100s\" is the %s, which stays the hypervisor's",
				      dev->path, refused[i]);
	if (!fdt_getprop(fdt, dev->host_node, "reg", NULL))
		return pt_err(ctx, "xen,path \"%.100s\" has no reg: not a memory-mapped device", dev->path);
	return 0;
}

/*
 * Does host range [@pa, @pa + @size) lie inside the pages of one of the translated "reg"
 * entries of @node? A domU gets only its device's own registers (and dom0, which loses
 * that node, none of them).
 */
static __init bool in_node_reg(const void *fdt, int node, uint64_t pa, uint64_t size)
{
	int parent = fdt_parent_offset(fdt, node);
	struct membank r;

	for (int i = 0; dt_read_reg(fdt, node, i, &r) == 0; i++) {
		uint64_t lo, hi;

		if (dt_translate(fdt, parent, &r.start))
			continue;
		lo = ALIGN_DOWN(r.start, PT_ALIGN);
		hi = ALIGN_UP(r.start + r.size, PT_ALIGN);
		if (pa >= lo && pa + size <= hi)
			return true;
	}
	return false;
}

/* @dev's ranges and SPIs against every device of the domUs before it (domus[0..@k]). */
static __init int check_unshared(const struct bootinfo *bi, unsigned int k, unsigned int n,
				 const struct domu_pt_dev *dev, const struct pt_ctx *ctx)
{
	for (unsigned int j = 0; j <= k; j++)
		for (unsigned int o = 0; o < (j == k ? n : bi->domus[j].nr_pt); o++) {
			const struct domu_pt_dev *other = &bi->domus[j].pt[o];

			if (other->host_node == dev->host_node)
				return pt_err(ctx, "xen,path \"%.100s\" is given to /chosen/%s too",
					      dev->path, bi->domus[j].name);
			for (unsigned int a = 0; a < dev->nr_regs; a++)
				for (unsigned int b = 0; b < other->nr_regs; b++)
					if (overlaps(dev->regs[a].pa, dev->regs[a].size, other->regs[b].pa,
						     other->regs[b].size))
						return pt_err(ctx,
							      "xen,reg entry %u (0x%lx) is given to /chosen/%s's "
							      "/passthrough/%s too",
							      a, (unsigned long)dev->regs[a].pa,
							      bi->domus[j].name, other->name);
			for (unsigned int a = 0; a < dev->nr_irqs && j != k; a++)
				for (unsigned int b = 0; b < other->nr_irqs; b++)
					if (dev->irqs[a] == other->irqs[b])
						return pt_err(ctx,
							      "interrupts entry %u (SPI %u) is given to /chosen/%s "
							      "too",
							      a, dev->irqs[a] - 32, bi->domus[j].name);
		}
	return 0;
}

/* The checks that need the whole boot: the host's own devices, RAM and other domUs' devices. */
static __init int check_assignment(const struct bootinfo *bi, unsigned int k, unsigned int n, const char *who,
				   char *msg, unsigned int len)
{
	const struct domu_config *c = &bi->domus[k];
	const struct domu_pt_dev *dev = &c->pt[n];
	struct pt_ctx ctx = { who, dev->name, msg, len };

	if (check_host_node(bi, dev, &ctx))
		return -EINVAL;
	for (unsigned int i = 0; i < dev->nr_regs; i++) {
		const struct domu_pt_reg *r = &dev->regs[i];

		if (bootinfo_range_kept(bi, r->pa, r->size))
			return pt_err(&ctx,
				      "xen,reg entry %u (0x%lx+0x%lx) is RAM or a frame the hypervisor keeps",
				      i, (unsigned long)r->pa, (unsigned long)r->size);
		if (!in_node_reg(bi->fdt, dev->host_node, r->pa, r->size))
			return pt_err(&ctx,
				      "xen,reg entry %u (0x%lx+0x%lx) is outside the reg of xen,path \"%.100s\"",
				      i, (unsigned long)r->pa, (unsigned long)r->size, dev->path);
	}
	for (unsigned int i = 0; i < dev->nr_irqs; i++)
		if (c->nr_spis && dev->irqs[i] >= 32 + c->nr_spis)
			return pt_err(&ctx,
				      "interrupts entry %u (SPI %u) is beyond the domain's nr_spis = %u", i,
				      dev->irqs[i] - 32, c->nr_spis);
	return check_unshared(bi, k, n, dev, &ctx);
}

int __init domu_passthrough_init(struct bootinfo *bi, char *msg, unsigned int len)
{
	for (unsigned int k = 0; k < bi->nr_domus; k++) {
		struct domu_config *c = &bi->domus[k];
		const struct bootmodule *m;
		struct membank ram[GUEST_RAM_BANKS];
		char who[96];
		int nr_ram;

		c->nr_pt = 0;
		if (c->dtb < 0)
			continue;
		m = &bi->modules[c->dtb];
		nr_ram = domu_ram_layout(ALIGN_UP(c->mem_size, 4096UL), ram);
		snprintk(who, sizeof(who), "/chosen/%s/module@%lx", c->name, (unsigned long)m->start);
		if (m->size < sizeof(struct fdt_header) ||
		    (!fdt_check_header((const void *)(uintptr_t)m->start) &&
		     fdt_totalsize((const void *)(uintptr_t)m->start) > m->size)) {
			snprintk(msg, len, "%s: its device tree is larger than the module (%lu bytes)", who,
				 (unsigned long)m->size);
			return -EINVAL;
		}
		if (domu_parse_passthrough((const void *)(uintptr_t)m->start, bi->fdt, ram,
					   nr_ram > 0 ? nr_ram : 0, who, c->pt, DOMU_MAX_PT_DEVS, &c->nr_pt,
					   msg, len))
			return -EINVAL;
		for (unsigned int i = 0; i < c->nr_pt; i++)
			if (check_assignment(bi, k, i, who, msg, len))
				return -EINVAL;
	}
	return 0;
}

bool domu_pt_owns_node(const struct bootinfo *bi, const int *path, int depth)
{
	for (unsigned int k = 0; k < bi->nr_domus; k++)
		for (unsigned int i = 0; i < bi->domus[k].nr_pt; i++)
			for (int p = depth; p > 0; p--)
				if (path[p] == bi->domus[k].pt[i].host_node)
					return true;
	return false;
}

bool domu_pt_owns_spi(const struct bootinfo *bi, unsigned int intid)
{
	for (unsigned int k = 0; k < bi->nr_domus; k++)
		for (unsigned int i = 0; i < bi->domus[k].nr_pt; i++)
			for (unsigned int q = 0; q < bi->domus[k].pt[i].nr_irqs; q++)
				if (bi->domus[k].pt[i].irqs[q] == intid)
					return true;
	return false;
}
