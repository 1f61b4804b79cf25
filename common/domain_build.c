// SPDX-License-Identifier: Apache-2.0
/*
 * The domain builder shared by dom0 and dom0less domUs (include/kestrel/domain_build.h):
 * create the domain, give it a vGIC, RAM and devices (its kind's steps), place the kernel
 * per its Image header with the initrd and device tree after it (as Linux
 * Documentation/arch/arm64/booting.rst asks), copy them into its RAM by IPA, and start
 * vCPU 0 at the kernel with x0 = the device tree's IPA.
 */
#include <libfdt.h>
#include <asm/cache.h>
#include <asm/mmu.h>
#include <kestrel/dom0.h>
#include <kestrel/domain_build.h>
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/spinlock.h>

#define GUEST_FDT_MAX	SZ_2M

/* One device-tree buffer for every build: builds are serialised by build_lock. */
static uint8_t fdt_buf[GUEST_FDT_MAX] __attribute__((aligned(8)));
static spinlock_t build_lock;

/*
 * Copy @size bytes from hypervisor address @src to @d's RAM at IPA @ipa, a page at a
 * time through its p2m (a domU's RAM is not contiguous in PA), cleaning each to the
 * Point of Coherency: the guest starts with its MMU and caches off.
 */
static int copy_to_guest_ram(struct domain *d, uint64_t ipa, const void *src, uint64_t size)
{
	const uint8_t *s = src;

	while (size) {
		uint64_t pa, n = MIN(size, PAGE_SIZE - ipa % PAGE_SIZE);

		if (!domain_ipa_is_ram(d, ipa, n) || !p2m_lookup(&d->p2m, ipa, &pa))
			return -EFAULT;
		copy_bytes((void *)(uintptr_t)pa, s, n);
		dcache_clean_range(pa, n);
		ipa += n;
		s += n;
		size -= n;
	}
	return 0;
}

static int load_images(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len)
{
	const struct bootmodule *k = s->kernel, *rd = s->ramdisk;
	uint64_t isize = rd ? rd->size : 0;
	struct dom0_layout at;
	struct kimage ki;
	const char *why;
	int err;

	const char *who = s->domu ? s->domu->name : "dom0";

	if (kimage_parse((const void *)(uintptr_t)k->start, k->size, &ki, &why)) {
		if (ki.file_size > k->size)
			snprintk(msg, len, "/chosen/%s: %s kernel truncated: reg size 0x%lx, Image file 0x%lx "
				 "bytes (by its PE/COFF header)", k->name, who, (unsigned long)k->size,
				 (unsigned long)ki.file_size);
		else
			snprintk(msg, len, "/chosen/%s: %s kernel at 0x%lx (0x%lx bytes) is %s", k->name, who,
				 (unsigned long)k->start, (unsigned long)k->size, why);
		return -EINVAL;
	}
	if (dom0_place(&d->mem[0], &ki, isize, GUEST_FDT_MAX, &at)) {
		snprintk(msg, len, "%s%s%s=%luM is too small for the kernel (%luM) and initrd (%luM)",
			 s->domu ? s->name : "", s->domu ? ": memory" : "", s->domu ? "" : "dom0_mem",
			 (unsigned long)(d->mem[0].size >> 20), (unsigned long)(ki.mem_size >> 20),
			 (unsigned long)(isize >> 20));
		return -ENOSPC;
	}
	if (copy_to_guest_ram(d, at.kernel, (const void *)(uintptr_t)k->start, k->size) ||
	    (rd && copy_to_guest_ram(d, at.initrd, (const void *)(uintptr_t)rd->start, isize))) {
		snprintk(msg, len, "%s: kernel or initrd does not fit its RAM", s->name);
		return -EFAULT;
	}
	if (s->fdt_cache && s->fdt_cache->size) {
		/* A rebuild: same layout, same tree; libfdt itself is sealed away by now. */
		copy_bytes(fdt_buf, s->fdt_cache->buf, s->fdt_cache->size);
	} else {
		err = s->kind->build_fdt(d, s, fdt_buf, sizeof(fdt_buf), rd ? at.initrd : 0, isize);
		if (err) {
			snprintk(msg, len, "%s: cannot build its device tree: %s", s->name, fdt_strerror(err));
			return -EINVAL;
		}
		if (s->fdt_cache && s->fdt_cache->buf && fdt_totalsize(fdt_buf) <= s->fdt_cache->cap) {
			copy_bytes(s->fdt_cache->buf, fdt_buf, fdt_totalsize(fdt_buf));
			s->fdt_cache->size = fdt_totalsize(fdt_buf);
		}
	}
	copy_to_guest_ram(d, at.fdt, fdt_buf, fdt_totalsize(fdt_buf));
	printk("%s: kernel at 0x%lx, initrd at 0x%lx (%lu bytes), DTB at 0x%lx\n", s->name,
	       (unsigned long)at.kernel, (unsigned long)(rd ? at.initrd : 0), (unsigned long)isize,
	       (unsigned long)at.fdt);
	printk("%s: command line \"%s\"\n", s->name, s->bootargs);
	icache_invalidate_all();
	vcpu_power_on(d->vcpu[0], true, at.kernel, at.fdt);	/* the others wait for PSCI CPU_ON */
	return 0;
}

static int build_locked(const struct domain_spec *s, struct domain **out, char *msg, unsigned int len)
{
	struct domain *d;
	int err;

	d = domain_create(&s->cfg, &err);
	if (!d) {
		if (err == -ENOSPC)
			snprintk(msg, len, "cannot create %s: sched=%s has no pCPU for each of its vCPUs (see above)",
				 s->name, sched_policy_name());
		else
			snprintk(msg, len, "cannot create %s with %u vCPUs: %s", s->name, s->cfg.max_vcpus,
				 err == -ENOMEM ? "out of memory" : "invalid vCPU count or domain id");
		return err;
	}
	d->pv = s->pv;
	d->config = s->domu;
	d->gnttab_ipa = s->gnttab_ipa;
	err = -ENOMEM;
	if (vgic_domain_init_frames(d, s->nr_spis, &s->gic)) {
		snprintk(msg, len, "%s: cannot set up its vGIC (%s): out of memory or frames it cannot map",
			 s->name, vgic_hw->name);
		goto fail;
	}
	if ((err = s->kind->alloc_ram(d, s, msg, len)) || (err = s->kind->add_devices(d, s, msg, len)) ||
	    (err = load_images(d, s, msg, len)))
		goto fail;
	*out = d;
	return 0;
fail:
	domain_destroy(d);	/* none of its vCPUs ever ran */
	return err;
}

int domain_build(const struct domain_spec *s, struct domain **out, char *msg, unsigned int len)
{
	int err;

	spin_lock(&build_lock);
	err = build_locked(s, out, msg, len);
	spin_unlock(&build_lock);
	return err;
}

/* Add [a, b) minus every range in @skip (sorted or not) to the heap. */
static __init void add_minus(uint64_t a, uint64_t b, const struct membank *skip, unsigned int n)
{
	for (unsigned int i = 0; i < n && a < b; i++) {
		uint64_t s = skip[i].start, e = skip[i].start + skip[i].size;

		if (e <= a || s >= b || !skip[i].size)
			continue;
		if (s > a)
			add_minus(a, s, skip, n);	/* the part below this hole, against all holes */
		a = e;
	}
	if (a < b && mm_add_region(a, b - a) == 0)
		printk("heap: RAM 0x%lx-0x%lx\n", (unsigned long)ALIGN_UP(a, PAGE_SIZE),
		       (unsigned long)ALIGN_DOWN(b, PAGE_SIZE));
}

void __init heap_add_free_ram(const struct bootinfo *bi, const struct membank *dom0_ram)
{
	struct membank skip[ARRAY_SIZE(bi->reserved) + 1];
	unsigned int n = bi->nr_reserved;
	uint64_t free_pages, total;

	for (unsigned int i = 0; i < n; i++)
		skip[i] = bi->reserved[i];
	skip[n++] = *dom0_ram;
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct membank *m = &bi->mem[i];

		if (m->start + m->size > EL2_MAP_LIMIT)
			continue;	/* not mapped at EL2 (mmu_init() said so) */
		add_minus(m->start, m->start + m->size, skip, n);
	}
	mm_stats(&free_pages, &total);
	printk("heap: %lu of %lu pages free (%lu MiB)\n", (unsigned long)free_pages, (unsigned long)total,
	       (unsigned long)(free_pages >> (20 - PAGE_SHIFT)));
}
