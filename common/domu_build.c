// SPDX-License-Identifier: Apache-2.0
/*
 * dom0less domUs: the domU kind of the domain builder. A domU gets the artificial guest
 * map of Xen public/arch-arm.h, the same on every board: RAM from the heap (never 1:1)
 * at GUEST_RAM0_BASE and, beyond its 3 GiB, at GUEST_RAM1_BASE, mapped Normal
 * Write-Back in 1 GiB / 2 MiB blocks where the heap has such runs; the vGICv3 trapped at
 * GUEST_GICV3_*; the vpl011 at GUEST_PL011_BASE; grant frames at GUEST_GNTTAB_BASE.
 * (Xen on Arm memory map, seeds 000 and 001; Xen docs/misc/arm/device-tree/booting.txt.)
 */
#include <libfdt.h>
#include <asm/cache.h>
#include <asm/gic.h>
#include <asm/irq.h>
#include <kestrel/dom0less.h>
#include <kestrel/domain_build.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/vpl011.h>
#include <public/arch-arm.h>

/* Boot descriptions of the domUs, by domain id - 1, kept for their reboots. */
static struct domain_spec domu_specs[CONFIG_MAX_DOMUS + 1];
static char domu_names[CONFIG_MAX_DOMUS][48];
static struct domain_fdt_cache domu_fdts[CONFIG_MAX_DOMUS + 1];
#define DOMU_FDT_KEEP	(2 * PAGE_SIZE)	/* a domU's tree is ~2 KiB; passthrough nodes add to it */

/*
 * ram_run_size() - the run in which a domU's RAM at IPA @ipa, with @left bytes of its
 * bank to go, is allocated and mapped: 1 GiB or 2 MiB (one stage-2 block) where @ipa is
 * so aligned and enough is left, else one 4 KiB page.
 */
static uint64_t ram_run_size(uint64_t ipa, uint64_t left)
{
	if (!(ipa % SZ_1G) && left >= SZ_1G)
		return SZ_1G;
	if (!(ipa % SZ_2M) && left >= SZ_2M)
		return SZ_2M;
	return PAGE_SIZE;
}

/*
 * Give @d RAM at IPAs [@ipa, @ipa + @size): one heap run of @size bytes (1 GiB, 2 MiB or
 * 4 KiB, aligned as much) mapped as one block, or, when the heap has no such run, the
 * next smaller runs. Zeroed by the heap and cleaned to the Point of Coherency: the guest
 * starts with its caches off, and no earlier owner's data may reach it.
 */
static int map_ram_run(struct domain *d, uint64_t ipa, uint64_t size)
{
	void *p = mm_alloc_pages((unsigned int)(size / PAGE_SIZE), size);
	uint64_t smaller = size == SZ_1G ? SZ_2M : PAGE_SIZE;

	if (!p) {
		if (size == PAGE_SIZE)
			return -ENOMEM;
		for (uint64_t off = 0; off < size; off += smaller)
			if (map_ram_run(d, ipa + off, smaller))
				return -ENOMEM;
		return 0;
	}
	dcache_clean_range((uintptr_t)p, size);
	if (p2m_map(&d->p2m, ipa, (uintptr_t)p, size, P2M_RAM)) {
		mm_free_pages(p, (unsigned int)(size / PAGE_SIZE));
		return -ENOMEM;
	}
	return 0;
}

static int domu_alloc_ram(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	uint64_t free_pages, need = ALIGN_UP(s->mem_size, PAGE_SIZE) / PAGE_SIZE;
	struct membank banks[GUEST_RAM_BANKS];
	int n = domu_ram_layout(ALIGN_UP(s->mem_size, PAGE_SIZE), banks);

	mm_stats(&free_pages, NULL);
	if (need > free_pages) {
		snprintk(msg, len, "%s: memory = %lu KiB is more than the free heap (%lu KiB)", s->name,
			 (unsigned long)(s->mem_size >> 10), (unsigned long)(free_pages * (PAGE_SIZE >> 10)));
		return -ENOMEM;
	}
	if (n < 1) {
		snprintk(msg, len, "%s: memory = %lu KiB does not fit the guest map", s->name,
			 (unsigned long)(s->mem_size >> 10));
		return -EINVAL;
	}
	for (int b = 0; b < n; b++) {
		d->mem[d->nr_mem++] = banks[b];
		for (uint64_t off = 0; off < banks[b].size;) {
			uint64_t run = ram_run_size(banks[b].start + off, banks[b].size - off);

			if (map_ram_run(d, banks[b].start + off, run)) {
				snprintk(msg, len, "%s: out of memory for its RAM at IPA 0x%lx", s->name,
					 (unsigned long)(banks[b].start + off));
				return -ENOMEM;
			}
			off += run;
		}
	}
	printk("%s: d%u, %lu MiB of RAM at IPA 0x%lx%s, %u vCPU(s)%s%s\n", s->name, d->domain_id,
	       (unsigned long)(s->mem_size >> 20), (unsigned long)GUEST_RAM0_BASE,
	       n > 1 ? " and 0x200000000" : "", d->max_vcpus, s->domu->vpl011 ? ", vpl011" : "",
	       s->pv ? ", PV interfaces" : "");
	return 0;
}

/*
 * The devices of @s's partial DT (domu_passthrough_init() checked them): each "xen,reg"
 * range mapped Device-nGnRE at its guest address, each SPI routed to @d (virtual INTID =
 * physical, injected with the HW bit). Xen 4.17 docs/misc/arm/passthrough.txt.
 */
static int domu_add_passthrough(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	for (unsigned int i = 0; i < s->domu->nr_pt; i++) {
		const struct domu_pt_dev *dev = &s->domu->pt[i];

		for (unsigned int r = 0; r < dev->nr_regs; r++)
			if (p2m_map(&d->p2m, dev->regs[r].ipa, dev->regs[r].pa, dev->regs[r].size,
				    P2M_MMIO)) {
				snprintk(msg, len, "%s: cannot map /passthrough/%s 0x%lx at IPA 0x%lx",
					 s->name, dev->name, (unsigned long)dev->regs[r].pa,
					 (unsigned long)dev->regs[r].ipa);
				return -ENOMEM;
			}
		for (unsigned int q = 0; q < dev->nr_irqs; q++)
			if (irq_route_to_domain(dev->irqs[q], d)) {
				snprintk(msg, len,
					 "%s: /passthrough/%s: SPI %u is the hypervisor's or not in "
					 "the domain's vGIC",
					 s->name, dev->name, dev->irqs[q] - 32);
				return -EBUSY;
			}
		printk("%s: passthrough %s: %u range(s) from 0x%lx at IPA 0x%lx, %u SPI(s)\n", s->name,
		       dev->name, dev->nr_regs, dev->nr_regs ? (unsigned long)dev->regs[0].pa : 0UL,
		       dev->nr_regs ? (unsigned long)dev->regs[0].ipa : 0UL, dev->nr_irqs);
	}
	return 0;
}

static int domu_add_devices(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	if (s->domu->vpl011 && vpl011_init(d)) {
		snprintk(msg, len, "%s: cannot set up its vpl011", s->name);
		return -ENOMEM;
	}
	return domu_add_passthrough(d, s, msg, len);
}

static int domu_fdt(struct domain *d, const struct domain_spec *s, void *buf, uint32_t size,
		    uint64_t initrd, uint64_t initrd_size)
{
	struct domu_fdt_params p = {
		.nr_ram = d->nr_mem,
		.nr_vcpus = d->max_vcpus,
		.gic_version = vgic_version(),
		.vpl011 = s->domu->vpl011,
		.enhanced = s->domu->enhanced,
		.bootargs = s->bootargs,
		.initrd_start = initrd,
		.initrd_size = initrd_size,
		.partial_fdt = s->domu->dtb >= 0
				       ? (const void *)(uintptr_t)bootinfo.modules[s->domu->dtb].start
				       : NULL,
	};
	int err;

	for (unsigned int i = 0; i < d->nr_mem && i < ARRAY_SIZE(p.ram); i++)
		p.ram[i] = d->mem[i];
	err = domu_build_fdt(&p, buf, size);
	return err == -ENOSPC ? -FDT_ERR_NOSPACE : err ? -FDT_ERR_BADVALUE : 0;
}

const struct domain_kind domu_kind = {
	.alloc_ram = domu_alloc_ram,
	.add_devices = domu_add_devices,
	.build_fdt = domu_fdt,
};

static __init void domu_spec_init(const struct bootinfo *bi, unsigned int i)
{
	const struct domu_config *c = &bi->domus[i];
	struct domain_spec *s = &domu_specs[i + 1];
	unsigned int ranges = 8; /* vGIC, vpl011, grant table, shared info, slack */

	for (unsigned int p = 0; p < c->nr_pt; p++)
		ranges += c->pt[p].nr_regs;
	snprintk(domu_names[i], sizeof(domu_names[i]), "/chosen/%s", c->name);
	/* Room for its device tree, kept for rebuilds; taken before the heap is reported. */
	domu_fdts[i + 1].buf = mm_alloc_pages(DOMU_FDT_KEEP / PAGE_SIZE, PAGE_SIZE);
	domu_fdts[i + 1].cap = domu_fdts[i + 1].buf ? DOMU_FDT_KEEP : 0;
	*s = (struct domain_spec){
		.name = domu_names[i],
		.cfg = { .domid = (uint16_t)(i + 1),
			 .max_vcpus = c->cpus,
			 .p2m_pages = p2m_pool_pages(c->mem_size, ranges) },
		.kind = &domu_kind,
		.mem_size = c->mem_size,
		.nr_spis = c->nr_spis ? c->nr_spis : gic_nr_spis(),
		.gnttab_ipa = GUEST_GNTTAB_BASE,
		.pv = c->enhanced != XEN_ENHANCED_NONE,
		.kernel = &bi->modules[c->kernel],
		.ramdisk = c->ramdisk >= 0 ? &bi->modules[c->ramdisk] : NULL,
		.bootargs = c->bootargs ? c->bootargs : "",
		.domu = c,
		.fdt_cache = &domu_fdts[i + 1],
	};
	vgic_guest_frames(&s->gic);
}

/* The heap before a domU is built: domain_destroy() prints it again after. */
static void heap_report(const struct domain_spec *s)
{
	uint64_t free_pages;

	mm_stats(&free_pages, NULL);
	printk("%s: building d%u; heap %lu free pages\n", s->name, s->cfg.domid, (unsigned long)free_pages);
}

void __init prepare_domus(struct bootinfo *bi)
{
	char msg[200];

	if (domu_passthrough_init(bi, msg, sizeof(msg)))
		panic("%s", msg);
}

void __init construct_domus(const struct bootinfo *bi)
{
	struct domain *d;
	char msg[200];

	for (unsigned int i = 0; i < bi->nr_domus; i++) {
		domu_spec_init(bi, i);
		heap_report(&domu_specs[i + 1]);
		if (domain_build(&domu_specs[i + 1], &d, msg, sizeof(msg)))
			panic("%s", msg);
	}
}

void domain_rebuild(uint16_t domid)
{
	struct domain *d;
	char msg[200];

	if (!domid || domid > CONFIG_MAX_DOMUS || !domu_specs[domid].name)
		return;
	if (!domu_fdts[domid].size) {	/* libfdt is boot-only code: the tree must have been kept */
		printk("d%u: cannot rebuild %s: its device tree was larger than the %u bytes kept\n", domid,
		       domu_specs[domid].name, domu_fdts[domid].cap);
		return;
	}
	heap_report(&domu_specs[domid]);
	if (domain_build(&domu_specs[domid], &d, msg, sizeof(msg)))
		printk("d%u: cannot rebuild %s\n", domid, msg);
	else
		printk("d%u: rebuilt (reboot)\n", domid);
}
