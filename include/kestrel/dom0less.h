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
#endif
