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
	int pt, node, err = fdt_check_header(partial);

	*nr = 0;
	if (!err)
		err = fdt_check_full(partial, fdt_totalsize(partial));
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

/* The checks that need the whole boot: the host's own devices, RAM and other domUs. */
static __init int check_assignment(const struct bootinfo *bi, unsigned int k, const struct domu_pt_dev *dev,
				   const char *who, char *msg, unsigned int len)
{
	const struct domu_config *c = &bi->domus[k];
	struct pt_ctx ctx = { who, dev->name, msg, len };

	if (dev->host_node == bi->uart_node)
		return pt_err(&ctx, "xen,path \"%.100s\" is the hypervisor's console UART", dev->path);
	if (dev->host_node == bi->gic.node)
		return pt_err(&ctx, "xen,path \"%.100s\" is the interrupt controller", dev->path);
	for (unsigned int i = 0; i < dev->nr_regs; i++)
		for (unsigned int b = 0; b < bi->nr_mem; b++)
			if (overlaps(dev->regs[i].pa, dev->regs[i].size, bi->mem[b].start, bi->mem[b].size))
				return pt_err(&ctx, "xen,reg entry %u (0x%lx+0x%lx) is RAM, not a device", i,
					      (unsigned long)dev->regs[i].pa,
					      (unsigned long)dev->regs[i].size);
	for (unsigned int i = 0; i < dev->nr_irqs; i++)
		if (c->nr_spis && dev->irqs[i] >= 32 + c->nr_spis)
			return pt_err(&ctx,
				      "interrupts entry %u (SPI %u) is beyond the domain's nr_spis = %u", i,
				      dev->irqs[i] - 32, c->nr_spis);
	for (unsigned int j = 0; j < k; j++)
		for (unsigned int o = 0; o < bi->domus[j].nr_pt; o++)
			if (bi->domus[j].pt[o].host_node == dev->host_node)
				return pt_err(&ctx, "xen,path \"%.100s\" is given to /chosen/%s too",
					      dev->path, bi->domus[j].name);
	return 0;
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
		if (domu_parse_passthrough((const void *)(uintptr_t)m->start, bi->fdt, ram,
					   nr_ram > 0 ? nr_ram : 0, who, c->pt, DOMU_MAX_PT_DEVS, &c->nr_pt,
					   msg, len))
			return -EINVAL;
		for (unsigned int i = 0; i < c->nr_pt; i++)
			if (check_assignment(bi, k, &c->pt[i], who, msg, len))
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
