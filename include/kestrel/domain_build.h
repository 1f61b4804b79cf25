/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DOMAIN_BUILD_H
#define KESTREL_DOMAIN_BUILD_H
/*
 * The one domain builder, for dom0 and dom0less domUs alike (common/domain_build.c).
 * What differs between them is data: a struct domain_spec, whose @kind holds the three
 * steps that differ (RAM, devices, device tree); creating the domain, its vGIC, loading
 * kernel, initrd and device tree into its RAM and starting vCPU 0 are shared.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/vgic.h>

struct domain_spec;

/**
 * struct domain_kind - the steps that differ between kinds of domain. Each returns 0 or
 * a negative errno with @msg (@len bytes) saying what is wrong, naming the DT node.
 * @alloc_ram:   give @d its RAM (d->mem[], IPAs) and map it in its p2m.
 * @add_devices: map and route what @d may touch besides RAM (devices, emulated UART).
 * @build_fdt:   write @d's device tree into @buf (@size bytes); the initrd is at IPA
 *               @initrd (@initrd_size bytes, 0 for none).
 */
struct domain_kind {
	int (*alloc_ram)(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len);
	int (*add_devices)(struct domain *d, const struct domain_spec *s, char *msg, unsigned int len);
	int (*build_fdt)(struct domain *d, const struct domain_spec *s, void *buf, uint32_t size,
			 uint64_t initrd, uint64_t initrd_size);
};

extern const struct domain_kind dom0_kind, domu_kind;

/**
 * struct domain_spec - one domain to build.
 * @name:       for messages: "dom0", "/chosen/domU1".
 * @cfg:        passed to domain_create().
 * @kind:       dom0_kind or domu_kind.
 * @mem_size:   RAM, bytes.
 * @ram:        dom0: its 1:1 bank, chosen before the heap got the rest (dom0_choose_ram()).
 * @nr_spis:    SPIs of its vGIC.
 * @gic:        IPAs of its vGIC frames (vgic_domain_init_frames()).
 * @gnttab_ipa: IPA of its grant-table region (the /hypervisor node's reg).
 * @pv:         Xen PV interfaces offered (/hypervisor node): dom0, "xen,enhanced".
 * @kernel, @ramdisk: boot modules (@ramdisk may be NULL).
 * @bootargs:   its kernel command line ("" if none).
 * @domu:       dom0less: its parsed /chosen node; NULL for dom0.
 * @fdt_cache:  where its generated device tree is kept after the first build, for its
 *              rebuilds (libfdt is boot-only code, sealed once boot ends); NULL: none kept.
 */
struct domain_spec {
	const char *name;
	struct domain_config cfg;
	const struct domain_kind *kind;
	uint64_t mem_size;
	struct membank ram;
	unsigned int nr_spis;
	struct vgic_frames gic;
	uint64_t gnttab_ipa;
	bool pv;
	const struct bootmodule *kernel, *ramdisk;
	const char *bootargs;
	const struct domu_config *domu;
	struct domain_fdt_cache *fdt_cache;
};

/**
 * struct domain_fdt_cache - room for a copy of a domain's device tree: @cap bytes at @buf
 * (heap pages taken before the domain is first built), @size of them used (0: none yet).
 */
struct domain_fdt_cache {
	void *buf;
	uint32_t cap, size;
};

/**
 * domain_build() - create the domain @s describes, load it and start its vCPU 0.
 * Return: 0 and *@out, or a negative errno with @msg saying why (nothing of the domain
 * is kept: its memory is back in the heap).
 */
int domain_build(const struct domain_spec *s, struct domain **out, char *msg, unsigned int len);

/**
 * prepare_domus() - read the domUs' partial DTs (domu_passthrough_init()) before dom0 is
 * built, so that dom0's map, interrupts and DT leave out what domUs are given; panics
 * naming a bad module, device or property.
 */
void prepare_domus(struct bootinfo *bi);

/** construct_domus() - build every domU of bootinfo.domus; panics naming a bad node. */
void construct_domus(const struct bootinfo *bi);

/**
 * heap_add_free_ram() - give the heap every RAM range that is not dom0's bank @dom0_ram,
 * not reserved (image, DTB, boot modules, /memreserve/) and mapped at EL2.
 */
void heap_add_free_ram(const struct bootinfo *bi, const struct membank *dom0_ram);
#endif
