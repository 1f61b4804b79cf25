/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_BOOTINFO_H
#define KESTREL_BOOTINFO_H
#include <stdint.h>

#define MAX_MEM_BANKS	8
#define MAX_MODULES	8
#define CMDLINE_MAX	1024

/** struct membank - a physical address range, bytes. */
struct membank {
	uint64_t start;
	uint64_t size;
};

enum module_kind { MOD_KERNEL, MOD_RAMDISK, MOD_OTHER };

/**
 * struct bootmodule - a /chosen/module@* node (Xen docs/misc/arm/device-tree/booting.txt):
 * "multiboot,kernel" or "multiboot,ramdisk" beside "multiboot,module"; reg = PA and size.
 * Nodes that are only "multiboot,module" become the kernel, then the ramdisk, in DT order.
 * @bootargs: the module's own "bootargs" property, or NULL.
 */
struct bootmodule {
	enum module_kind kind;
	uint64_t start;
	uint64_t size;
	const char *bootargs;
};

/** struct gic_info - the host GICv3 as described by its DT node (arm,gic-v3 binding). */
struct gic_info {
	uint64_t dist_base, dist_size;		/* GICD */
	uint64_t redist_base, redist_size;	/* first GICR region */
	unsigned int maint_irq;			/* INTID of the maintenance interrupt */
	int node;				/* DT offset, -1 if none */
	uint32_t phandle;
};

/**
 * struct bootinfo - what Kestrel learns from the host DTB at boot. Addresses are PAs.
 * @cmdline:       hypervisor arguments: /chosen/xen,xen-bootargs, else /chosen/bootargs.
 * @dom0_cmdline:  /chosen/xen,dom0-bootargs, else the kernel module's bootargs (may be NULL).
 * @reserved:      ranges dom0's RAM must avoid (image, DTB, modules, /memreserve/).
 */
struct bootinfo {
	const void *fdt;
	uint64_t dtb, dtb_size;
	uint64_t image_start, image_end;
	struct membank mem[MAX_MEM_BANKS];
	unsigned int nr_mem;
	struct membank reserved[MAX_MEM_BANKS + MAX_MODULES + 2];
	unsigned int nr_reserved;
	struct bootmodule modules[MAX_MODULES];
	unsigned int nr_modules;
	const char *cmdline;
	const char *dom0_cmdline;
	struct gic_info gic;
	int uart_node;
	uint64_t uart_base, uart_size;
	unsigned int uart_irq;
	int psci_smc;		/* host PSCI conduit: 1 = SMC, 0 = HVC */
	unsigned int nr_cpus;
	uint64_t cpu_mpidr[CONFIG_NR_CPUS];	/* "reg" of the first CONFIG_NR_CPUS cpu nodes */
	unsigned int timer_ppi_virt, timer_ppi_hyp;
};

extern struct bootinfo bootinfo;

/**
 * bootinfo_parse() - fill @bi from the host DTB at @fdt. Panics, naming the problem,
 * on a DTB that is not a valid FDT or has no memory; a missing GICv3 is left for
 * bootinfo_check_gic(), after the console UART is up.
 */
void bootinfo_parse(struct bootinfo *bi, const void *fdt, uint64_t image_start, uint64_t image_end);

/** bootinfo_check_gic() - panic, naming it, if the DTB described no GICv3. */
void bootinfo_check_gic(const struct bootinfo *bi);

/** cmdline_get() - value of "name=value" in @cmdline (copied to @buf), or NULL if absent. */
const char *cmdline_get(const char *cmdline, const char *name, char *buf, unsigned int len);

/** cmdline_has() - true if the bare word @name (e.g. "noreboot") is in @cmdline. */
int cmdline_has(const char *cmdline, const char *name);

/**
 * dt_cells() - "#address-cells" or "#size-cells" (@name) in force for @node's children,
 * or -1 if the property found is not one cell long.
 */
int dt_cells(const void *fdt, int node, const char *name);

/**
 * dt_read_reg() - the @index-th (address, size) pair of @node's "reg", in its parent's
 * cells (1 or 2 address, 0 to 2 size cells), untranslated.
 * Return: 0, or -1 if there is no such entry, the cell counts are unsupported or the
 * range wraps past the top of the 64-bit address space.
 */
int dt_read_reg(const void *fdt, int node, int index, struct membank *bank);

/**
 * dt_translate() - translate @addr, an address on bus @bus (the node whose children it
 * addresses), to a CPU physical address through each ancestor's "ranges" (empty =
 * identity). Devicetree Specification v0.4 2.3.8.
 * Return: 0, or -1 if some bus on the way has no "ranges" (not memory-mapped, e.g. /cpus).
 */
int dt_translate(const void *fdt, int bus, uint64_t *addr);

/** fdt_read_cells() - big-endian cells [0, n) at @p as one number (n = 1 or 2). */
uint64_t fdt_read_cells(const void *p, int n);
#endif
