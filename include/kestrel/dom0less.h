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
/** struct membank, for domu_fdt_params (kestrel/bootinfo.h). */
struct membank;

/**
 * struct domu_fdt_params - what a domU's generated device tree describes.
 * @mem, @nr_mem: its RAM banks (IPAs, bytes), 1 or 2 (domu_ram_layout()).
 * @nr_vcpus:     cpu nodes, reg = vcpu_id_to_mpidr().
 * @gic_version:  3 (GICv3 at GUEST_GICV3_*).
 * @vpl011:       an arm,sbsa-uart at GUEST_PL011_BASE, the stdout-path.
 * @enhanced:     the /hypervisor node (grant table at GUEST_GNTTAB_BASE, event PPI 31).
 * @bootargs, @initrd_start, @initrd_size: /chosen (initrd IPA; size 0 = none).
 */
struct domu_fdt_params {
	const struct membank *mem;
	unsigned int nr_mem, nr_vcpus, gic_version;
	bool vpl011, enhanced;
	const char *bootargs;
	uint64_t initrd_start, initrd_size;
};

/**
 * domu_build_fdt() - write a domU's device tree into @buf (@size bytes), from nothing.
 * Return: 0, or a negative libfdt error (-FDT_ERR_NOSPACE, -FDT_ERR_BADVALUE for params
 * it cannot describe).
 */
int domu_build_fdt(const struct domu_fdt_params *p, void *buf, uint32_t size);

/**
 * domu_ram_layout() - split @mem_size bytes (rounded up to pages) of domU RAM into the
 * guest map's banks: up to GUEST_RAM0_SIZE (3 GiB) at GUEST_RAM0_BASE, the rest at
 * GUEST_RAM1_BASE (Xen public/arch-arm.h). @out holds 2. Return: banks written (0 for size 0).
 */
unsigned int domu_ram_layout(uint64_t mem_size, struct membank *out);
#endif
