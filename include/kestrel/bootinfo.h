/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_BOOTINFO_H
#define KESTREL_BOOTINFO_H
#include <stdint.h>

#define MAX_MEM_BANKS	8
/*
 * RAM Kestrel can use ends below this PA: its EL2 map holds RAM 1:1 in a 39-bit VA space
 * (arch/arm64/mmu.c, VA_BITS). bootinfo_parse() leaves out RAM above it, saying so.
 */
#define BOOTINFO_RAM_LIMIT	(1UL << 39)
/* dom0's kernel, ramdisk and a few more; each domU's kernel, ramdisk and partial DT. */
#define MAX_MODULES	(8 + 3 * MAX_DOMUS)
#define CMDLINE_MAX	1024

/** struct membank - a physical address range, bytes. */
struct membank {
	uint64_t start;
	uint64_t size;
};

/* GICv3 redistributor regions Kestrel takes from a host DT ("#redistributor-regions"). */
#define GIC_MAX_REDIST_REGIONS	8

enum module_kind { MOD_KERNEL, MOD_RAMDISK, MOD_OTHER };

/**
 * struct bootmodule - a /chosen/module@* node (Xen docs/misc/arm/device-tree/booting.txt):
 * "multiboot,kernel" or "multiboot,ramdisk" beside "multiboot,module"; reg = PA and size.
 * Nodes that are only "multiboot,module" become the kernel, then the ramdisk, in DT order.
 * @name:     the node's name in /chosen (e.g. "module@42000000"), for messages.
 * @bootargs: the module's own "bootargs" property, or NULL.
 * @owner:    0 for dom0's (a child of /chosen), k for one of the k-th domU (a child of
 *            /chosen/<bootinfo.domus[k - 1].name>), whose kind is MOD_OTHER.
 */
struct bootmodule {
	enum module_kind kind;
	uint64_t start;
	uint64_t size;
	const char *name;
	const char *bootargs;
	unsigned int owner;
};

/* struct domu_config, MAX_DOMUS: after struct membank and struct bootmodule, which it uses. */
#include <kestrel/dom0less.h>

/** struct gic_info - the host GICv3 as described by its DT node (arm,gic-v3 binding). */
/**
 * struct gic_info - the host GIC as described by its DT node: "arm,gic-v3" (version 3: GICD,
 * GICR regions) or a GICv2 ("arm,gic-400", "arm,cortex-a15-gic": version 2, "reg" GICD, GICC,
 * GICH, GICV in that order; Linux Documentation/devicetree/bindings/interrupt-controller/
 * arm,gic.yaml). Addresses and sizes are PAs and bytes, as the DT gives them (a GIC-400's
 * 64 KiB alias layout is found by the driver, not here).
 */
struct gic_info {
	uint64_t dist_base, dist_size;		/* GICD */
	uint64_t redist_base, redist_size;	/* first GICR region (GICv3) */
	unsigned int maint_irq;			/* INTID of the maintenance interrupt */
	int node;				/* DT offset, -1 if none */
	uint32_t phandle;
	unsigned int version;			/* 3 or 2 */
	uint64_t cpu_base, cpu_size;		/* GICC (GICv2) */
	uint64_t hyp_base, hyp_size;		/* GICH (GICv2) */
	uint64_t vcpu_base, vcpu_size;		/* GICV (GICv2) */
	unsigned int nr_redist;			/* GICR regions: "#redistributor-regions" (1 if absent) */
	struct membank redist[GIC_MAX_REDIST_REGIONS];	/* each of them; [0] is redist_base/size */
};

/**
 * struct bootinfo - what Kestrel learns from the host DTB at boot. Addresses are PAs.
 * @cmdline:       hypervisor arguments: /chosen/xen,xen-bootargs, else /chosen/bootargs.
 * @dom0_cmdline:  /chosen/xen,dom0-bootargs, else the kernel module's bootargs (may be NULL).
 * @reserved:      ranges dom0's RAM must avoid (image, DTB, modules incl. domUs', /memreserve/).
 * @domus:         dom0less domUs (/chosen nodes with compatible "xen,domain"), dom0less_parse().
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
	struct domu_config domus[MAX_DOMUS];
	unsigned int nr_domus;
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

/**
 * bootinfo_early_uart() - the console UART named by /chosen/stdout-path (or
 * linux,stdout-path) of @fdt, before bootinfo_parse() (for the early console; dtuart= is
 * honoured later by serial_probe_dt()). Out: its DT @node, its first "reg" as @base (PA)
 * and @size (bytes). Return: 0, -EINVAL (not a DTB, no /chosen), -ENOENT (no usable node).
 */
int bootinfo_early_uart(const void *fdt, uint64_t *base, uint64_t *size, int *node);

extern struct bootinfo bootinfo;

/**
 * bootinfo_range_kept() - does the host PA range [@a, @a + @s) (bytes) touch RAM or a
 * device frame Kestrel keeps for itself: the GIC's GICD, GICR (every region), GICC, GICH
 * and GICV, and the console UART's page? No guest may have such a range mapped as a device.
 */
bool bootinfo_range_kept(const struct bootinfo *bi, uint64_t a, uint64_t s);

/**
 * bootinfo_parse() - fill @bi from the host DTB at @fdt. Panics, naming the problem,
 * on a DTB that is not a valid FDT or has no memory, and, naming the node, on a
 * /chosen/module@* node without a "multiboot,*" compatible or a valid "reg", or that
 * fails bootmodule_check(); a missing GICv3 is left for bootinfo_check_gic(), after
 * the console UART is up.
 */
void bootinfo_parse(struct bootinfo *bi, const void *fdt, uint64_t image_start, uint64_t image_end);

/**
 * bootmodule_check() - is boot module @i of @bi usable: a non-zero size, all of it inside
 * one RAM bank of @bi->mem, clear of Kestrel's image, the DTB and every other module?
 * @msg: on failure, @len bytes at most of a message that starts with the module's node,
 *       e.g. "/chosen/module@47000000: 0x47000000+0x80000000 runs past the end of RAM ...".
 * Return: 0, or -EINVAL.
 */
int bootmodule_check(const struct bootinfo *bi, unsigned int i, char *msg, unsigned int len);

/**
 * bootinfo_boot_cpu_first() - make the boot CPU, affinity @mpidr (MPIDR_EL1 Aff3..Aff0, as a
 * cpu node's "reg"), entry 0 of @bi->cpu_mpidr[] (pCPU 0 is the CPU Kestrel started on): the
 * DT may list it anywhere under /cpus (Devicetree Specification v0.4 3.7 gives no order).
 * The entries before it move up one; one not listed (past CONFIG_NR_CPUS nodes, or absent)
 * is inserted, the last entry dropping out if the table is full.
 */
void bootinfo_boot_cpu_first(struct bootinfo *bi, uint64_t mpidr);

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
 * dt_read_reg_in() - dt_read_reg() for a caller that knows @node's @parent: libfdt
 * finds a parent by scanning the tree from the start, so a walk over every node that
 * asks for each one's parent costs the square of the tree's size.
 */
int dt_read_reg_in(const void *fdt, int node, int parent, int index, struct membank *bank);

/**
 * dt_string() - property @name of @node as a string, or NULL if absent or not
 * NUL-terminated inside the property (a DT string is, Devicetree Specification v0.4
 * 2.2.4): the string functions would otherwise read on into the structure block.
 */
const char *dt_string(const void *fdt, int node, const char *name);

/**
 * dt_translate() - translate @addr, an address on bus @bus (the node whose children it
 * addresses), to a CPU physical address through each ancestor's "ranges" (empty =
 * identity). Devicetree Specification v0.4 2.3.8.
 * Return: 0, or -1 if some bus on the way has no "ranges" (not memory-mapped, e.g. /cpus).
 */
int dt_translate(const void *fdt, int bus, uint64_t *addr);

/* Deepest DT node path Kestrel walks (QEMU virt and the ZCU102 go 4 or 5 deep). */
#define DT_MAX_DEPTH		16

/**
 * dt_translate_path() - dt_translate() for a caller that walks the tree and knows the
 * bus's path: @path[0..@depth] are the node offsets from the root to the bus.
 */
int dt_translate_path(const void *fdt, const int *path, int depth, uint64_t *addr);

/**
 * dt_check_tree() - may libfdt read the flattened device tree at @fdt, at most @size bytes?
 * Its header, version >= 16, totalsize within @size, every structure-block token inside
 * the block (checked before libfdt 1.6.1's fdt_check_full(), which loops for ever on some
 * property lengths), fdt_check_full(), and no property length that wraps or name twice in
 * a node. Return: 0 or a negative libfdt error (fdt_strerror() names it).
 */
int dt_check_tree(const void *fdt, uint64_t size);

/** fdt_read_cells() - big-endian cells [0, n) at @p as one number (n = 1 or 2). */
uint64_t fdt_read_cells(const void *p, int n);
#endif
