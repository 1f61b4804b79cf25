/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DOM0LESS_H
#define KESTREL_DOM0LESS_H
/*
 * dom0less: domUs described in the host DT, built at boot beside dom0.
 * Binding: Xen 4.17 docs/misc/arm/device-tree/booting.txt ("Creating Multiple Domains
 * directly from Xen"), docs/misc/arm/passthrough.txt (partial device trees).
 */
#include <stdbool.h>
#include <stdint.h>

struct bootinfo;
struct membank;

/** Most domUs one boot can describe (Kconfig MAX_DOMUS). */
#define MAX_DOMUS	CONFIG_MAX_DOMUS

/** enum xen_enhanced - the "xen,enhanced" property of a domU node. */
enum xen_enhanced {
	XEN_ENHANCED_NONE,		/* absent: a plain Arm guest, no /hypervisor node */
	XEN_ENHANCED_ENABLED,		/* "enabled" or empty: PV interfaces incl. xenstore */
	XEN_ENHANCED_NO_XENSTORE,	/* "no-xenstore": grant table and event channels only */
};

/**
 * struct domu_config - one /chosen node with compatible "xen,domain", as parsed.
 * @name:     the node's name under /chosen (e.g. "domU1"), for messages.
 * @node:     its offset in the host DT.
 * @mem_size: "memory" (KiB in the DT), here in bytes.
 * @cpus:     "cpus": number of vCPUs, 1..CONFIG_MAX_VCPUS.
 * @vpl011:   "vpl011" present: an emulated SBSA UART at GUEST_PL011_BASE.
 * @nr_spis:  "nr_spis", or 0 when absent (the builder picks the default).
 * @enhanced: "xen,enhanced".
 * @kernel, @ramdisk, @dtb: indexes into bootinfo.modules of its "multiboot,kernel",
 *            "multiboot,ramdisk" and "multiboot,device-tree" children, -1 if none
 *            (a kernel is required).
 * @bootargs: the kernel module's "bootargs", else the domU node's "bootargs", else NULL.
 * Its modules are in bootinfo.modules with owner = its index in bootinfo.domus + 1 and kind
 * MOD_OTHER (their role is @kernel/@ramdisk/@dtb), so that dom0's lookups by kind skip them.
 */
struct domu_config {
	const char *name;
	int node;
	uint64_t mem_size;
	unsigned int cpus;
	bool vpl011;
	unsigned int nr_spis;
	enum xen_enhanced enhanced;
	int kernel, ramdisk, dtb;
	const char *bootargs;
};

/**
 * dom0less_parse() - parse every child of /chosen (offset @chosen in @fdt) with compatible
 * "xen,domain" into @bi->domus[] (@bi->nr_domus), appending its "multiboot,kernel",
 * "multiboot,ramdisk" and "multiboot,device-tree" children to @bi->modules with owner k
 * (1-based) and checking each with bootmodule_check() against RAM, Kestrel's image, the DTB
 * and every other module (dom0's must already be in @bi). Does not add reserved ranges.
 * Binding: Xen 4.17 docs/misc/arm/device-tree/booting.txt.
 * @msg:  on failure, at most @len bytes naming the node and the property, e.g.
 *        "/chosen/domU1: memory is 0" (docs/dom0less.md lists them all).
 * Return: 0, or -EINVAL (@bi then holds the nodes parsed so far).
 */
int dom0less_parse(struct bootinfo *bi, const void *fdt, int chosen, char *msg, unsigned int len);

/**
 * domu_ram_layout() - split a domU's RAM of @mem_size bytes into guest banks (IPAs): the
 * first GUEST_RAM0_SIZE (3 GiB) at GUEST_RAM0_BASE, the rest at GUEST_RAM1_BASE, as Xen's
 * guests see them (Xen public/arch-arm.h, GUEST_RAM_BANK_BASES).
 * @out: two banks; out[1] is zeroed when one suffices.
 * Return: the number of banks (1 or 2), or -EINVAL if @mem_size is 0, not a multiple of
 * 4 KiB, or larger than both banks together.
 */
int domu_ram_layout(uint64_t mem_size, struct membank *out);
#endif
