/* SPDX-License-Identifier: Apache-2.0 */
/* Outside the guard: bootinfo.h includes this file after struct membank, before struct bootinfo. */
#include <kestrel/bootinfo.h>
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

/** Most domUs one boot can describe (Kconfig MAX_DOMUS). */
#define MAX_DOMUS	CONFIG_MAX_DOMUS

/** enum xen_enhanced - the "xen,enhanced" property of a domU node. */
enum xen_enhanced {
	XEN_ENHANCED_NONE,		/* absent: a plain Arm guest, no /hypervisor node */
	XEN_ENHANCED_ENABLED,		/* "enabled" or empty: PV interfaces incl. xenstore */
	XEN_ENHANCED_NO_XENSTORE,	/* "no-xenstore": grant table and event channels only */
};

#define DOMU_MAX_PT_DEVS	8	/* passthrough devices per domU */
#define DOMU_MAX_PT_REGS	4	/* xen,reg triplets per device */
#define DOMU_MAX_PT_IRQS	8	/* SPIs per device */

/**
 * struct domu_pt_dev - one device of a partial DT's /passthrough node (Xen 4.17
 * docs/misc/arm/passthrough.txt), as domu_parse_passthrough() found it.
 * @name:      the node's name in the partial DT (e.g. "ethernet@ff0e0000").
 * @path:      "xen,path": the device's node in the host DT; @host_node its offset there.
 * @force_assign: "xen,force-assign-without-iommu" present (required: Kestrel has no IOMMU).
 * @regs:      "xen,reg" triplets: host PA, size (bytes), guest IPA; all 4 KiB aligned.
 * @irqs:      the SPIs of "interrupts" as INTIDs (32 + n), mapped virtual = physical.
 */
struct domu_pt_dev {
	const char *name;
	const char *path;
	int host_node;
	bool force_assign;
	struct domu_pt_reg {
		uint64_t pa, size, ipa;
	} regs[DOMU_MAX_PT_REGS];
	unsigned int nr_regs;
	unsigned int irqs[DOMU_MAX_PT_IRQS];
	unsigned int nr_irqs;
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
 * @pt, @nr_pt: the devices its partial DT passes through (domu_passthrough_init()).
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
	struct domu_pt_dev pt[DOMU_MAX_PT_DEVS];
	unsigned int nr_pt;
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
int domu_ram_layout(uint64_t mem_size, struct membank out[2]);

/**
 * domu_parse_passthrough() - read and check the devices under /passthrough of @partial, a
 * domU's "multiboot,device-tree" module: "xen,reg" (in the partial DT root's #address-cells
 * and #size-cells), "xen,path", "xen,force-assign-without-iommu" and the GIC 3-cell
 * "interrupts" (type 0 = SPI n = INTID 32 + n; Linux arm,gic-v3.yaml). Each range must be
 * 4 KiB aligned and non-empty, its IPA clear of the guest's RAM (@ram, @nr_ram banks), GIC
 * (GICv3 GICD/GICR0 and GICv2 GICD/GICC), vpl011 and grant-table windows (Xen
 * public/arch-arm.h); the device must exist at xen,path in @host_fdt and be force-assigned.
 * @who:  prefix for messages, the module's node (e.g. "/chosen/domU1/module@d").
 * @devs: room for @max devices; *@nr gets the count (0 without /passthrough).
 * @msg:  on failure, at most @len bytes naming the device and property, e.g.
 *        "/chosen/domU1/module@d: /passthrough/ethernet@ff0e0000: no xen,path".
 * Return: 0, or -EINVAL.
 */
int domu_parse_passthrough(const void *partial, const void *host_fdt, const struct membank *ram,
			   unsigned int nr_ram, const char *who, struct domu_pt_dev *devs, unsigned int max,
			   unsigned int *nr, char *msg, unsigned int len);

/**
 * domu_passthrough_init() - read every domU's partial DT (its "multiboot,device-tree"
 * module) into its domu_config.pt with domu_parse_passthrough(), after the EL2 map covers
 * RAM and before dom0 is built (dom0 must not get what a domU is given). Also refused: a
 * device that is the hypervisor's console UART or the GIC, or is given to two domUs; a
 * "xen,reg" host range over RAM (a device range must not reach any domain's memory); an
 * SPI at or above 32 + the domU's "nr_spis".
 * @msg: on failure, at most @len bytes naming the module, device and property.
 * Return: 0, or -EINVAL.
 */
int domu_passthrough_init(struct bootinfo *bi, char *msg, unsigned int len);

/** domu_pt_owns_node() - is host DT node @node (or an ancestor in @path[0..@depth]) given to a domU? */
bool domu_pt_owns_node(const struct bootinfo *bi, const int *path, int depth);

/** domu_pt_owns_spi() - is INTID @intid routed to a domU by its partial DT? */
bool domu_pt_owns_spi(const struct bootinfo *bi, unsigned int intid);

/** Phandle of a domU's generated GIC node: Xen's GUEST_PHANDLE_GIC, clear of a partial DT's. */
#define DOMU_PHANDLE_GIC	65000

/**
 * struct domu_fdt_params - what domu_build_fdt() describes. Addresses are IPAs, sizes bytes.
 * @ram, @nr_ram:   guest RAM banks (1 or 2), as domu_ram_layout() gives them.
 * @nr_vcpus:       cpu nodes 0..@nr_vcpus-1, reg = vcpu_id_to_mpidr() affinity, PSCI enable-method.
 * @gic_version:    3 (GICD at GUEST_GICV3_GICD_BASE, one GICR region at GUEST_GICV3_GICR0_BASE)
 *                  or 2 (GUEST_GICD_BASE, GUEST_GICC_BASE).
 * @vpl011:         an "arm,sbsa-uart" at GUEST_PL011_BASE, SPI GUEST_VPL011_SPI, and stdout-path.
 * @enhanced:       not XEN_ENHANCED_NONE: a /hypervisor node (grant table, event-channel PPI).
 * @bootargs:       /chosen/bootargs, or NULL.
 * @initrd_start, @initrd_size: the initrd's IPA and size, size 0 if none.
 * @partial_fdt:    the domU's partial device tree (a "multiboot,device-tree" module) whose
 *                  /passthrough node is copied, or NULL.
 */
struct domu_fdt_params {
	struct membank ram[2];
	unsigned int nr_ram;
	unsigned int nr_vcpus;
	unsigned int gic_version;
	bool vpl011;
	enum xen_enhanced enhanced;
	const char *bootargs;
	uint64_t initrd_start, initrd_size;
	const void *partial_fdt;
};

/**
 * domu_build_fdt() - write a domU's device tree into @buf (@size bytes) with libfdt's
 * sequential-write API: the nodes Xen 4.17 generates for a dom0less domU (Xen
 * arch/arm/domain_build.c prepare_dtb_domU: root "xen,xenvm-4.17", memory, cpus, psci,
 * GIC, timer, optional vpl011 and /hypervisor, /chosen), plus @p->partial_fdt's
 * /passthrough node with its devices' interrupt-parent pointing at the generated GIC.
 * Return: 0, -ENOSPC if @size is too small, -EINVAL for bad @p (no RAM bank, 0 or more
 * than GUEST_MAX_VCPUS vCPUs, a GIC version other than 2 or 3, an invalid partial DT).
 */
int domu_build_fdt(const struct domu_fdt_params *p, void *buf, uint32_t size);
#endif
