// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for dom0_build_fdt() in common/dom0_fdt.c (include/kestrel/dom0.h), linked
 * with the host's libfdt. The input is tests/unit/host-virt.dts, a QEMU-virt-like host
 * DTB (GICv3 with ITS, PL011, PMU, PCIe, two CPUs with a cpu-map, PSCI by SMC, a
 * /memreserve/ entry, and /chosen with Xen-style arguments and multiboot module
 * nodes), compiled by dtc and embedded with .incbin; a few tests derive variants of it
 * with libfdt. Checked on the output: one /memory@<bank> node with dom0's reg; /chosen
 * with the given bootargs and initrd range and nothing else from the boot loader; PSCI
 * by HVC advertising 1.0; the hypervisor's UART, the ITS and the PMU gone; no
 * maintenance interrupt on the GIC; /cpus trimmed to the domain's vCPUs without a
 * cpu-map; the /hypervisor node (compatible, grant-table reg, event-channel PPI,
 * interrupt-parent); no memory reservations; other devices kept; the host DTB left
 * untouched; and -FDT_ERR_NOSPACE for every buffer too small to hold the result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libfdt.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>

#ifndef HOST_DTB
#error "build with -DHOST_DTB=\"path/to/host-virt.dtb\" (tests/unit/unit.mk does)"
#endif

__asm__(".section .rodata\n"
	".balign 8\n"
	".globl host_dtb_blob\n"
	"host_dtb_blob:\n"
	".incbin \"" HOST_DTB "\"\n"
	".globl host_dtb_blob_end\n"
	"host_dtb_blob_end:\n"
	".previous\n");
extern const char host_dtb_blob[], host_dtb_blob_end[];

#define OUT_SIZE	0x10000
#define GIC_PHANDLE	0x8002		/* host-virt.dts */
#define DOM0_BASE	0x60000000UL
#define DOM0_SIZE	0x20000000UL
#define GNTTAB_IPA	0x38000000UL
#define BOOTARGS	"console=hvc0 earlycon=xenboot root=/dev/ram rdinit=/init"
#define INITRD_START	0x48000000UL
#define INITRD_SIZE	0x123400UL

static void *host;		/* heap copy of the embedded DTB (8-byte aligned) */
static void *pristine;		/* second copy: the host DTB must not change */
static void *out;
static struct bootinfo bi;
static struct domain *dom;
static void *variant;		/* a modified host DTB, freed by teardown() */

/* Point bi at @fdt the way bootinfo_parse() would: UART and GIC node offsets, phandle. */
static void use_host(void *fdt)
{
	memset(&bi, 0, sizeof(bi));
	bi.fdt = fdt;
	bi.uart_node = fdt_path_offset(fdt, "/pl011@9000000");
	assert_true(bi.uart_node >= 0);
	bi.gic.node = fdt_path_offset(fdt, "/intc@8000000");
	assert_true(bi.gic.node >= 0);
	bi.gic.phandle = fdt_get_phandle(fdt, bi.gic.node);
}

static int setup(void **state)
{
	size_t len = (size_t)(host_dtb_blob_end - host_dtb_blob);

	(void)state;
	if (fdt_check_header(host_dtb_blob) || fdt_totalsize(host_dtb_blob) != len)
		return -1;
	host = malloc(len);
	pristine = malloc(len);
	out = malloc(OUT_SIZE);
	dom = calloc(1, sizeof(*dom));
	if (!host || !pristine || !out || !dom)
		return -1;
	memcpy(host, host_dtb_blob, len);
	memcpy(pristine, host_dtb_blob, len);
	memset(out, 0xcc, OUT_SIZE);
	use_host(host);
	dom->max_vcpus = 1;
	dom->mem[0] = (struct membank){ DOM0_BASE, DOM0_SIZE };
	dom->nr_mem = 1;
	dom->gnttab_ipa = GNTTAB_IPA;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(host);
	free(pristine);
	free(out);
	free(dom);
	free(variant);
	variant = NULL;
	return 0;
}

static int build(uint32_t size)
{
	return dom0_build_fdt(&bi, dom, out, size, BOOTARGS, INITRD_START, INITRD_SIZE);
}

static void build_ok(void)
{
	assert_int_equal(build(OUT_SIZE), 0);
	assert_int_equal(fdt_check_header(out), 0);
	assert_true(fdt_totalsize(out) <= OUT_SIZE);
}

static int node(const char *path)
{
	int n = fdt_path_offset(out, path);

	if (n < 0)
		fail_msg("%s: %s", path, fdt_strerror(n));
	return n;
}

static void assert_no_node(const char *path)
{
	assert_int_equal(fdt_path_offset(out, path), -FDT_ERR_NOTFOUND);
}

static void assert_no_prop(int n, const char *name)
{
	int len = 0;

	assert_null(fdt_getprop(out, n, name, &len));
	assert_int_equal(len, -FDT_ERR_NOTFOUND);
}

/* Property @name of @n as big-endian cells; asserts the length is @ncells cells. */
static void assert_cells(int n, const char *name, const uint32_t *want, int ncells)
{
	int len = -1;
	const fdt32_t *p = fdt_getprop(out, n, name, &len);

	if (!p)
		fail_msg("%s: no property %s: %s", fdt_get_name(out, n, NULL), name, fdt_strerror(len));
	if (len != ncells * 4)
		fail_msg("%s: %s is %d bytes, want %d", fdt_get_name(out, n, NULL), name, len, ncells * 4);
	for (int i = 0; i < ncells; i++)
		if (fdt32_ld(&p[i]) != want[i])
			fail_msg("%s: %s cell %d is 0x%x, want 0x%x", fdt_get_name(out, n, NULL), name, i,
				 fdt32_ld(&p[i]), want[i]);
}

static uint64_t prop_u64(int n, const char *name)
{
	int len = -1;
	const fdt64_t *p = fdt_getprop(out, n, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 8);
	return fdt64_ld(p);	/* properties are only 4-byte aligned */
}

static int count_nodes_with_prop(const void *fdt, const char *prop, const char *value)
{
	int count = 0, depth = 0;

	for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
		const char *v = fdt_getprop(fdt, n, prop, NULL);

		if (v && !strcmp(v, value))
			count++;
	}
	return count;
}

static int count_cpus(int cpus)
{
	int count = 0, n;

	fdt_for_each_subnode(n, out, cpus) {
		const char *type = fdt_getprop(out, n, "device_type", NULL);

		if (type && !strcmp(type, "cpu"))
			count++;
	}
	return count;
}

static void test_memory_node(void **state)
{
	const uint32_t reg[] = { 0, DOM0_BASE, 0, DOM0_SIZE };

	(void)state;
	build_ok();
	assert_int_equal(count_nodes_with_prop(out, "device_type", "memory"), 1);
	assert_no_node("/memory@40000000");
	assert_cells(node("/memory@60000000"), "reg", reg, 4);
}

static void test_memory_node_high_bank(void **state)
{
	const uint32_t reg[] = { 0x8, 0x80000000, 0x1, 0x0 };

	(void)state;
	dom->mem[0] = (struct membank){ 0x880000000UL, 0x100000000UL };
	build_ok();
	assert_int_equal(count_nodes_with_prop(out, "device_type", "memory"), 1);
	assert_cells(node("/memory@880000000"), "reg", reg, 4);
}

static void test_chosen(void **state)
{
	const char *s;
	int chosen, n, prop, len;

	(void)state;
	build_ok();
	chosen = node("/chosen");
	s = fdt_getprop(out, chosen, "bootargs", &len);
	assert_non_null(s);
	assert_string_equal(s, BOOTARGS);
	assert_int_equal(len, sizeof(BOOTARGS));
	assert_int_equal(prop_u64(chosen, "linux,initrd-start"), INITRD_START);
	assert_int_equal(prop_u64(chosen, "linux,initrd-end"), INITRD_START + INITRD_SIZE);
	assert_no_prop(chosen, "stdout-path");
	assert_no_prop(chosen, "linux,stdout-path");
	assert_no_prop(chosen, "kaslr-seed");	/* the boot loader's entropy is not handed on */
	assert_no_prop(chosen, "rng-seed");
	fdt_for_each_property_offset(prop, out, chosen) {
		const char *name = NULL;

		assert_non_null(fdt_getprop_by_offset(out, prop, &name, &len));
		if (!strncmp(name, "xen,", 4))
			fail_msg("/chosen still has %s", name);
	}
	n = fdt_first_subnode(out, chosen);
	assert_int_equal(n, -FDT_ERR_NOTFOUND);
	assert_int_equal(count_nodes_with_prop(out, "compatible", "multiboot,kernel"), 0);
	assert_int_equal(count_nodes_with_prop(out, "compatible", "multiboot,ramdisk"), 0);
}

/* No initrd: the host's stale linux,initrd-* must not survive. */
static void test_chosen_without_initrd(void **state)
{
	int chosen;

	(void)state;
	assert_int_equal(dom0_build_fdt(&bi, dom, out, OUT_SIZE, "quiet", 0, 0), 0);
	chosen = node("/chosen");
	assert_string_equal(fdt_getprop(out, chosen, "bootargs", NULL), "quiet");
	assert_no_prop(chosen, "linux,initrd-start");
	assert_no_prop(chosen, "linux,initrd-end");
}

static void test_psci_hvc(void **state)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	const char *p;
	int psci, len;

	(void)state;
	build_ok();
	psci = node("/psci");
	assert_string_equal(fdt_getprop(out, psci, "method", NULL), "hvc");
	assert_string_equal(fdt_stringlist_get(out, psci, "compatible", 0, NULL), "arm,psci-1.0");
	p = fdt_getprop(out, psci, "compatible", &len);
	assert_int_equal(len, sizeof(compat));
	assert_memory_equal(p, compat, sizeof(compat));
	assert_int_equal(fdt_node_offset_by_compatible(out, psci, "arm,psci"), -FDT_ERR_NOTFOUND);
}

static void test_uart_removed(void **state)
{
	(void)state;
	build_ok();
	assert_no_node("/pl011@9000000");
	assert_int_equal(fdt_node_offset_by_compatible(out, -1, "arm,pl011"), -FDT_ERR_NOTFOUND);
	/* Only the hypervisor's UART: other primecells stay. */
	(void)node("/pl061@9030000");
	(void)node("/pl031@9010000");
}

/* Without a hypervisor UART in the DT nothing else is removed. */
static void test_no_uart_node(void **state)
{
	(void)state;
	bi.uart_node = -1;
	build_ok();
	(void)node("/pl011@9000000");
}

static void test_its_and_pmu_removed(void **state)
{
	(void)state;
	build_ok();
	assert_no_node("/intc@8000000/its@8080000");
	assert_int_equal(fdt_node_offset_by_compatible(out, -1, "arm,gic-v3-its"), -FDT_ERR_NOTFOUND);
	assert_no_node("/pmu");
	assert_int_equal(fdt_node_offset_by_compatible(out, -1, "arm,armv8-pmuv3"), -FDT_ERR_NOTFOUND);
}

static void test_gic_without_maintenance_irq(void **state)
{
	int gic;

	(void)state;
	build_ok();
	gic = node("/intc@8000000");
	assert_no_prop(gic, "interrupts");
	assert_int_equal(fdt_get_phandle(out, gic), GIC_PHANDLE);
	assert_non_null(fdt_getprop(out, gic, "interrupt-controller", NULL));
	assert_int_equal(fdt_node_check_compatible(out, gic, "arm,gic-v3"), 0);
	/* Devices keep their own interrupts. */
	assert_non_null(fdt_getprop(out, node("/timer"), "interrupts", NULL));
}

static void check_cpus(unsigned int max_vcpus, int expect)
{
	int cpus, n, i = 0;

	dom->max_vcpus = max_vcpus;
	build_ok();
	cpus = node("/cpus");
	assert_no_node("/cpus/cpu-map");
	assert_int_equal(count_cpus(cpus), expect);
	fdt_for_each_subnode(n, out, cpus) {
		const uint32_t reg[] = { (uint32_t)i++ };

		assert_cells(n, "reg", reg, 1);
	}
}

static void test_cpus_trimmed_to_one(void **state)
{
	(void)state;
	check_cpus(1, 1);
	(void)node("/cpus/cpu@0");
}

static void test_cpus_two(void **state)
{
	(void)state;
	check_cpus(2, 2);
}

/*
 * More vCPUs than host CPU nodes (the scheduler shares pCPUs): one node per vCPU, in
 * order; the extra ones copy cpu@0's properties but not its phandle (no duplicate), the
 * host's ones keep theirs (cpu-map and PMU affinity pointed there).
 */
static void test_cpus_more_vcpus_than_host(void **state)
{
	uint32_t ph0, ph1;

	(void)state;
	check_cpus(4, 4);
	ph0 = fdt_get_phandle(out, node("/cpus/cpu@0"));
	ph1 = fdt_get_phandle(out, node("/cpus/cpu@1"));
	assert_int_equal(ph0, fdt_get_phandle(host, fdt_path_offset(host, "/cpus/cpu@0")));
	assert_int_equal(ph1, fdt_get_phandle(host, fdt_path_offset(host, "/cpus/cpu@1")));
	assert_int_not_equal(ph0, 0);
	assert_int_equal(fdt_get_phandle(out, node("/cpus/cpu@2")), 0);
	assert_int_equal(fdt_get_phandle(out, node("/cpus/cpu@3")), 0);
	assert_string_equal(fdt_getprop(out, node("/cpus/cpu@3"), "compatible", NULL), "arm,cortex-a57");
	assert_string_equal(fdt_getprop(out, node("/cpus/cpu@3"), "enable-method", NULL), "psci");
	assert_string_equal(fdt_getprop(out, node("/cpus/cpu@3"), "device_type", NULL), "cpu");
}

/*
 * The GICv3 redistributor region grows to one 128 KiB frame per vCPU when the host's is
 * smaller (here: a one-CPU host, 0x20000), and is left alone when it is large enough.
 */
static void test_gic_redist_region_fits_vcpus(void **state)
{
	size_t size = fdt_totalsize(host) + 256;
	void *v = variant = malloc(size);
	int len, gic;
	fdt32_t *hreg;
	const fdt32_t *reg;

	(void)state;
	assert_non_null(v);
	assert_int_equal(fdt_open_into(host, v, size), 0);
	gic = fdt_node_offset_by_compatible(v, 0, "arm,gic-v3");
	hreg = fdt_getprop_w(v, gic, "reg", &len);
	assert_non_null(hreg);
	assert_int_equal(len, 32);
	hreg[7] = cpu_to_fdt32(0x20000);
	use_host(v);
	dom->max_vcpus = 4;
	build_ok();
	gic = fdt_node_offset_by_compatible(out, 0, "arm,gic-v3");
	reg = fdt_getprop(out, gic, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 32);
	assert_int_equal(fdt32_to_cpu(reg[5]), 0x80a0000);	/* base unchanged */
	assert_int_equal(fdt32_to_cpu(reg[6]), 0);
	assert_int_equal(fdt32_to_cpu(reg[7]), 4 * 0x20000);
	dom->max_vcpus = 1;
	build_ok();
	gic = fdt_node_offset_by_compatible(out, 0, "arm,gic-v3");
	reg = fdt_getprop(out, gic, "reg", &len);
	assert_int_equal(fdt32_to_cpu(reg[7]), 0x20000);
}

/*
 * A host GICv3 with two redistributor regions (one frame each), a stride, and GICC/GICH/GICV
 * after them: dom0 gets one region at the first, sized for its vCPUs, and the GICC/GICH/GICV
 * entries behind it, "#redistributor-regions" 1 and no stride (arm,gic-v3.yaml).
 */
static void test_gic_two_redist_regions_become_one(void **state)
{
	static const uint32_t host_reg[] = { 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x20000,
					     0, 0x80c0000, 0, 0x20000, 0, 0x8010000, 0, 0x10000,
					     0, 0x8030000, 0, 0x10000, 0, 0x8040000, 0, 0x10000 };
	static const uint32_t want[] = { 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 2 * 0x20000,
					 0, 0x8010000, 0, 0x10000, 0, 0x8030000, 0, 0x10000,
					 0, 0x8040000, 0, 0x10000 };
	size_t size = fdt_totalsize(host) + 512;
	void *v = variant = malloc(size);
	const fdt32_t *regions;
	fdt32_t cells[24];
	int gic;

	(void)state;
	assert_non_null(v);
	assert_int_equal(fdt_open_into(host, v, size), 0);
	gic = fdt_node_offset_by_compatible(v, 0, "arm,gic-v3");
	for (unsigned int i = 0; i < 24; i++)
		cells[i] = cpu_to_fdt32(host_reg[i]);
	assert_int_equal(fdt_setprop(v, gic, "reg", cells, sizeof(cells)), 0);
	assert_int_equal(fdt_setprop_u32(v, gic, "#redistributor-regions", 2), 0);
	assert_int_equal(fdt_setprop_u64(v, gic, "redistributor-stride", 0x20000), 0);
	use_host(v);
	dom->max_vcpus = 2;
	build_ok();
	gic = fdt_node_offset_by_compatible(out, 0, "arm,gic-v3");
	assert_cells(gic, "reg", want, 20);
	regions = fdt_getprop(out, gic, "#redistributor-regions", NULL);
	assert_non_null(regions);
	assert_int_equal(fdt32_to_cpu(*regions), 1);
	assert_no_prop(gic, "redistributor-stride");
}

static void test_hypervisor_node(void **state)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	const uint32_t reg[] = { 0, GNTTAB_IPA, 0, CONFIG_GNTTAB_MAX_FRAMES * 4096 };
	const uint32_t irq[] = { 1, 15, 0xf08 };
	const uint32_t parent[] = { GIC_PHANDLE };
	const char *p;
	int hyp, len;

	(void)state;
	build_ok();
	hyp = node("/hypervisor");
	p = fdt_getprop(out, hyp, "compatible", &len);
	assert_non_null(p);
	assert_int_equal(len, sizeof(compat));
	assert_memory_equal(p, compat, sizeof(compat));
	assert_cells(hyp, "reg", reg, 4);
	assert_cells(hyp, "interrupts", irq, 3);
	assert_cells(hyp, "interrupt-parent", parent, 1);
}

static void test_hypervisor_node_without_gic_phandle(void **state)
{
	(void)state;
	bi.gic.phandle = 0;
	build_ok();
	assert_no_prop(node("/hypervisor"), "interrupt-parent");
}

static void test_no_memreserve(void **state)
{
	(void)state;
	assert_int_equal(fdt_num_mem_rsv(host), 1);
	build_ok();
	assert_int_equal(fdt_num_mem_rsv(out), 0);
}

static void test_other_nodes_kept_host_untouched(void **state)
{
	(void)state;
	build_ok();
	(void)node("/timer");
	(void)node("/pcie@10000000");
	(void)node("/fw-cfg@9020000");
	(void)node("/apb-pclk");
	(void)node("/flash@0");
	assert_string_equal(fdt_getprop(out, 0, "compatible", NULL), "linux,dummy-virt");
	assert_memory_equal(host, pristine, fdt_totalsize(pristine));
}

/* Root with one address and one size cell: the new reg properties follow it. */
static void test_root_one_cell(void **state)
{
	const uint32_t mem_reg[] = { DOM0_BASE, DOM0_SIZE };
	const uint32_t hyp_reg[] = { GNTTAB_IPA, CONFIG_GNTTAB_MAX_FRAMES * 4096 };
	size_t size = fdt_totalsize(host) + 256;
	void *v = variant = malloc(size);

	(void)state;
	assert_non_null(v);
	assert_int_equal(fdt_open_into(host, v, size), 0);
	assert_int_equal(fdt_setprop_u32(v, 0, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(v, 0, "#size-cells", 1), 0);
	use_host(v);
	build_ok();
	assert_cells(node("/memory@60000000"), "reg", mem_reg, 2);
	assert_cells(node("/hypervisor"), "reg", hyp_reg, 2);
}

static void test_buffer_too_small(void **state)
{
	uint32_t need = 0;

	(void)state;
	assert_int_equal(build(64), -FDT_ERR_NOSPACE);
	assert_int_equal(build(fdt_totalsize(host) - 8), -FDT_ERR_NOSPACE);
	/* Every size below the first that works fails cleanly (ASan checks the writes). */
	for (uint32_t size = 0; size <= OUT_SIZE; size += 4) {
		int ret = build(size);

		if (!ret) {
			need = size;
			break;
		}
		if (ret != -FDT_ERR_NOSPACE)
			fail_msg("size %u: %s", size, fdt_strerror(ret));
	}
	assert_true(need > 0);
	assert_true(fdt_totalsize(out) <= need);
	assert_int_equal(build(need), 0);
}

/*
 * Variant of the host DTB with an "idle-states" node as the first child of /cpus (as
 * in Arm Juno's device tree, where cpu-map and idle-states precede the cpu nodes).
 */
static void *with_idle_states(void)
{
	size_t size = fdt_totalsize(host) + 512;
	void *v = variant = malloc(size);
	int cpus, idle;

	assert_non_null(v);
	assert_int_equal(fdt_open_into(host, v, size), 0);
	cpus = fdt_path_offset(v, "/cpus");
	idle = fdt_add_subnode(v, cpus, "idle-states");	/* libfdt adds it before cpu@0 */
	assert_true(idle >= 0);
	assert_int_equal(fdt_setprop_string(v, idle, "entry-method", "psci"), 0);
	cpus = fdt_path_offset(v, "/cpus");
	assert_int_equal(fdt_first_subnode(v, cpus), fdt_path_offset(v, "/cpus/idle-states"));
	return v;
}

/*
 * Regression (common/dom0_fdt.c, fix_cpus): after deleting a surplus cpu node the walk
 * used to restart at /cpus' first child and skip `kept` nodes of ANY kind, so a non-cpu
 * child placed before the cpu nodes (idle-states, l2-cache) made it delete a kept cpu. Input: host-virt.dts + /cpus/idle-states
 * as first child, max_vcpus = 1. Expected: 1 cpu node (cpu@0, reg 0); it used to be 0.
 * With four host cpus and max_vcpus = 2 dom0 would get 1 cpu node instead of 2.
 */
static void test_cpus_with_leading_non_cpu_node(void **state)
{
	void *v = with_idle_states();

	(void)state;
	use_host(v);
	dom->max_vcpus = 1;
	build_ok();
	(void)node("/cpus/idle-states");
	assert_int_equal(count_cpus(node("/cpus")), 1);
}

/*
 * Regression (common/dom0_fdt.c, fix_cpus): the renumbered "reg" of each kept cpu node
 * was always one cell (fdt_setprop_u32), but a cpu's reg has /cpus' #address-cells
 * cells, which is 2 on many boards (e.g. Juno, and QEMU virt when an MPIDR does not fit
 * 24 bits). Input: host-virt.dts with /cpus #address-cells = <2> and cpu regs <0 0>,
 * <0 1>; max_vcpus = 2. Expected: reg = <0 0>, <0 1> (8 bytes). It was a 4-byte reg
 * <0>, <1>, which Linux's of_get_cpu_hwid() rejects ("missing reg property").
 */
static void test_cpus_two_address_cells(void **state)
{
	size_t size = fdt_totalsize(host) + 256;
	void *v = variant = malloc(size);
	int cpus, n, i = 0;

	(void)state;
	assert_non_null(v);
	assert_int_equal(fdt_open_into(host, v, size), 0);
	cpus = fdt_path_offset(v, "/cpus");
	assert_int_equal(fdt_setprop_u32(v, cpus, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u64(v, fdt_path_offset(v, "/cpus/cpu@0"), "reg", 0), 0);
	assert_int_equal(fdt_setprop_u64(v, fdt_path_offset(v, "/cpus/cpu@1"), "reg", 1), 0);
	use_host(v);
	dom->max_vcpus = 2;
	build_ok();
	cpus = node("/cpus");
	assert_int_equal(count_cpus(cpus), 2);
	fdt_for_each_subnode(n, out, cpus) {
		const uint32_t reg[] = { 0, (uint32_t)i++ };

		assert_cells(n, "reg", reg, 2);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_memory_node),
		T(test_memory_node_high_bank),
		T(test_chosen),
		T(test_chosen_without_initrd),
		T(test_psci_hvc),
		T(test_uart_removed),
		T(test_no_uart_node),
		T(test_its_and_pmu_removed),
		T(test_gic_without_maintenance_irq),
		T(test_gic_redist_region_fits_vcpus),
		T(test_cpus_trimmed_to_one),
		T(test_cpus_two),
		T(test_cpus_more_vcpus_than_host),
		T(test_gic_two_redist_regions_become_one),
		T(test_hypervisor_node),
		T(test_hypervisor_node_without_gic_phandle),
		T(test_no_memreserve),
		T(test_other_nodes_kept_host_untouched),
		T(test_root_one_cell),
		T(test_buffer_too_small),
		T(test_cpus_with_leading_non_cpu_node),
		T(test_cpus_two_address_cells),
	};
#undef T

	return cmocka_run_group_tests_name("dom0_fdt", tests, NULL, NULL);
}
