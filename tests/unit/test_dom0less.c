// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/dom0less.c (include/kestrel/dom0less.h): dom0less_parse() on host
 * DTs built here with libfdt's read-write API, with the /chosen/domU* nodes of Xen's binding
 * (Xen docs/misc/arm/device-tree/booting.txt): good nodes of two domUs, each refusal's
 * message (naming the node and the property), domU modules overlapping each other, dom0's
 * modules and Kestrel; bootinfo_parse() keeping domU modules out of dom0's lookups and in
 * the reserved ranges; domu_ram_layout()'s RAM0/RAM1 split (Xen public/arch-arm.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>
#include <libfdt.h>

#include <public/arch-arm.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>

#define KESTREL_START	0x40200000UL
#define KESTREL_END	0x40e01000UL

static char fdt[16384] __attribute__((aligned(8)));
static struct bootinfo bi;
static char msg[256];

static void setu32(int node, const char *name, uint32_t v)
{
	assert_int_equal(fdt_setprop_u32(fdt, node, name, v), 0);
}

static void setreg(int node, uint64_t a, uint64_t s)
{
	fdt32_t r[4] = { cpu_to_fdt32(a >> 32), cpu_to_fdt32(a), cpu_to_fdt32(s >> 32), cpu_to_fdt32(s) };

	assert_int_equal(fdt_setprop(fdt, node, "reg", r, sizeof(r)), 0);
}

static int add_module(int parent, const char *name, const char *role, uint64_t a, uint64_t s)
{
	char compat[64];
	int n = fdt_add_subnode(fdt, parent, name), l = (int)strlen(role) + 1;

	assert_true(n >= 0);
	memcpy(compat, role, l);
	memcpy(compat + l, "multiboot,module", 17);
	assert_int_equal(fdt_setprop(fdt, n, "compatible", compat, l + 17), 0);
	setreg(n, a, s);
	return n;
}

/* A domU node: 2 cells each, 256 MiB, 2 cpus, vpl011, a kernel at @kernel (16 MiB). */
static int add_domu(const char *name, uint64_t kernel)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), n = fdt_add_subnode(fdt, chosen, name);
	fdt32_t mem[2] = { 0, cpu_to_fdt32(256 * 1024) };

	assert_true(n >= 0);
	assert_int_equal(fdt_setprop_string(fdt, n, "compatible", "xen,domain"), 0);
	setu32(n, "#address-cells", 2);
	setu32(n, "#size-cells", 2);
	assert_int_equal(fdt_setprop(fdt, n, "memory", mem, sizeof(mem)), 0);
	setu32(n, "cpus", 2);
	assert_int_equal(fdt_setprop_empty(fdt, n, "vpl011"), 0);
	if (kernel)
		add_module(n, "module@k", "multiboot,kernel", kernel, 0x1000000);
	return n;
}

static int node(const char *path)
{
	int n = fdt_path_offset(fdt, path);

	assert_true(n >= 0);
	return n;
}

/* Host tree: 1 GiB at 0x40000000 (2/2 cells), /chosen (2/2) with dom0's kernel at 0x47000000. */
static int setup(void **state)
{
	int root, mem, chosen;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	root = 0;
	setu32(root, "#address-cells", 2);
	setu32(root, "#size-cells", 2);
	mem = fdt_add_subnode(fdt, root, "memory@40000000");
	assert_int_equal(fdt_setprop_string(fdt, mem, "device_type", "memory"), 0);
	setreg(mem, 0x40000000, 0x40000000);
	chosen = fdt_add_subnode(fdt, root, "chosen");
	setu32(chosen, "#address-cells", 2);
	setu32(chosen, "#size-cells", 2);
	add_module(chosen, "module@47000000", "multiboot,kernel", 0x47000000, 0x2000000);
	return 0;
}

/* bi as bootinfo_parse() leaves it before dom0less_parse(): RAM, image, DTB, dom0's kernel. */
static int parse(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct membank){ 0x40000000, 0x40000000 };
	bi.nr_mem = 1;
	bi.image_start = KESTREL_START;
	bi.image_end = KESTREL_END;
	bi.dtb = (uintptr_t)fdt;
	bi.dtb_size = fdt_totalsize(fdt);
	bi.modules[0] = (struct bootmodule){ MOD_KERNEL, 0x47000000, 0x2000000, "module@47000000", NULL, 0 };
	bi.nr_modules = 1;
	msg[0] = '\0';
	return dom0less_parse(&bi, fdt, node("/chosen"), msg, sizeof(msg));
}

static void assert_refused(const char *expect)
{
	assert_int_equal(parse(), -EINVAL);
	assert_string_equal(msg, expect);
}

static void test_two_domus(void **state)
{
	/* fdt_add_subnode() puts a node before its siblings: add them last to first. */
	int d2 = add_domu("domU2", 0x52000000), d1 = add_domu("domU1", 0), k2;

	(void)state;
	add_module(d1, "module@d", "multiboot,device-tree", 0x51800000, 0x1000);
	d1 = node("/chosen/domU1");
	add_module(d1, "module@r", "multiboot,ramdisk", 0x51000000, 0x800000);
	d1 = node("/chosen/domU1");
	add_module(d1, "module@k", "multiboot,kernel", 0x50000000, 0x1000000);
	d1 = node("/chosen/domU1");
	assert_int_equal(fdt_setprop_string(fdt, d1, "xen,enhanced", "no-xenstore"), 0);
	assert_int_equal(fdt_setprop_string(fdt, d1, "bootargs", "console=ttyAMA0"), 0);
	d2 = node("/chosen/domU2");
	k2 = node("/chosen/domU2/module@k");
	assert_int_equal(fdt_setprop_string(fdt, k2, "bootargs", "root=/dev/ram"), 0);
	assert_int_equal(fdt_setprop_empty(fdt, d2, "xen,enhanced"), 0);
	setu32(d2, "nr_spis", 64);
	assert_int_equal(fdt_delprop(fdt, d2, "vpl011"), 0);
	setu32(d2, "cpus", 4);

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_domus, 2);
	assert_int_equal(bi.nr_modules, 5);

	assert_string_equal(bi.domus[0].name, "domU1");
	assert_int_equal(bi.domus[0].mem_size, 256UL << 20);
	assert_int_equal(bi.domus[0].cpus, 2);
	assert_true(bi.domus[0].vpl011);
	assert_int_equal(bi.domus[0].nr_spis, 0);
	assert_int_equal(bi.domus[0].enhanced, XEN_ENHANCED_NO_XENSTORE);
	assert_int_equal(bi.domus[0].kernel, 1);
	assert_int_equal(bi.domus[0].ramdisk, 2);
	assert_int_equal(bi.domus[0].dtb, 3);
	assert_string_equal(bi.domus[0].bootargs, "console=ttyAMA0");
	assert_int_equal(bi.modules[2].start, 0x51000000);
	assert_int_equal(bi.modules[2].size, 0x800000);
	assert_int_equal(bi.modules[3].size, 0x1000);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(bi.modules[i].owner, 1);
		assert_int_equal(bi.modules[i].kind, MOD_OTHER);
	}

	assert_string_equal(bi.domus[1].name, "domU2");
	assert_int_equal(bi.domus[1].cpus, 4);
	assert_false(bi.domus[1].vpl011);
	assert_int_equal(bi.domus[1].nr_spis, 64);
	assert_int_equal(bi.domus[1].enhanced, XEN_ENHANCED_ENABLED);
	assert_int_equal(bi.domus[1].kernel, 4);
	assert_int_equal(bi.domus[1].ramdisk, -1);
	assert_int_equal(bi.domus[1].dtb, -1);
	assert_string_equal(bi.domus[1].bootargs, "root=/dev/ram");
	assert_int_equal(bi.modules[4].owner, 2);
	assert_int_equal(bi.modules[4].start, 0x52000000);
	assert_int_equal(bi.modules[0].owner, 0);
}

static void test_memory_one_cell_and_enhanced(void **state)
{
	int d = add_domu("domU1", 0x50000000);

	(void)state;
	setu32(d, "memory", 128 * 1024);
	assert_int_equal(fdt_setprop_string(fdt, d, "xen,enhanced", "enabled"), 0);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.domus[0].mem_size, 128UL << 20);
	assert_int_equal(bi.domus[0].enhanced, XEN_ENHANCED_ENABLED);
	assert_null(bi.domus[0].bootargs);
	/* No xen,enhanced: a plain Arm guest. */
	assert_int_equal(fdt_delprop(fdt, node("/chosen/domU1"), "xen,enhanced"), 0);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.domus[0].enhanced, XEN_ENHANCED_NONE);
}

static void test_no_domus(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_domus, 0);
	assert_int_equal(bi.nr_modules, 1);
}

static void test_bad_memory(void **state)
{
	int d = add_domu("domU1", 0x50000000);
	fdt32_t big[2] = { cpu_to_fdt32(0xffffffff), cpu_to_fdt32(0) }, three[3] = { 0 };

	(void)state;
	setu32(d, "memory", 0);
	assert_refused("/chosen/domU1: memory is 0");
	assert_int_equal(fdt_setprop(fdt, node("/chosen/domU1"), "memory", three, sizeof(three)), 0);
	assert_refused("/chosen/domU1: memory is 12 bytes long, not one or two cells");
	assert_int_equal(fdt_setprop(fdt, node("/chosen/domU1"), "memory", big, sizeof(big)), 0);
	assert_int_equal(parse(), -EINVAL);
	assert_non_null(strstr(msg, "/chosen/domU1: memory = 18446744069414584320 KiB is more than"));
	setu32(node("/chosen/domU1"), "memory", 1026);
	assert_refused("/chosen/domU1: memory = 1026 KiB is not a multiple of 4 KiB pages");
	assert_int_equal(fdt_delprop(fdt, node("/chosen/domU1"), "memory"), 0);
	assert_refused("/chosen/domU1: no memory property");
}

static void test_bad_cpus(void **state)
{
	int d = add_domu("domU1", 0x50000000);

	(void)state;
	setu32(d, "cpus", 9);
	assert_refused("/chosen/domU1: cpus = 9 is above CONFIG_MAX_VCPUS (4)");
	setu32(node("/chosen/domU1"), "cpus", 0);
	assert_refused("/chosen/domU1: cpus = 0 is 0, not 1 to CONFIG_MAX_VCPUS (4)");
	assert_int_equal(fdt_setprop_empty(fdt, node("/chosen/domU1"), "cpus"), 0);
	assert_refused("/chosen/domU1: cpus is not one cell");
	assert_int_equal(fdt_delprop(fdt, node("/chosen/domU1"), "cpus"), 0);
	assert_refused("/chosen/domU1: cpus is missing");
}

static void test_bad_nr_spis(void **state)
{
	int d = add_domu("domU1", 0x50000000);

	(void)state;
	setu32(d, "nr_spis", 989);
	assert_refused("/chosen/domU1: nr_spis = 989 is not one cell of at most 988");
	setu32(node("/chosen/domU1"), "nr_spis", 988);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.domus[0].nr_spis, 988);
}

static void test_bad_enhanced(void **state)
{
	int d = add_domu("domU1", 0x50000000);

	(void)state;
	assert_int_equal(fdt_setprop_string(fdt, d, "xen,enhanced", "yes"), 0);
	assert_refused("/chosen/domU1: xen,enhanced = \"yes\" is not \"enabled\" or \"no-xenstore\"");
	assert_int_equal(fdt_setprop(fdt, node("/chosen/domU1"), "xen,enhanced", "ab", 2), 0);
	assert_refused("/chosen/domU1: xen,enhanced = \"(not a string)\" is not \"enabled\" or "
		       "\"no-xenstore\"");
}

static void test_bad_cells(void **state)
{
	int d = add_domu("domU1", 0x50000000);

	(void)state;
	assert_int_equal(fdt_delprop(fdt, d, "#size-cells"), 0);
	assert_refused("/chosen/domU1: #size-cells is missing");
	setu32(node("/chosen/domU1"), "#size-cells", 3);
	assert_refused("/chosen/domU1: #size-cells is not one cell of 1 or 2");
}

static void test_no_kernel(void **state)
{
	int d = add_domu("domU1", 0);

	(void)state;
	add_module(d, "module@r", "multiboot,ramdisk", 0x51000000, 0x800000);
	assert_refused("/chosen/domU1: no multiboot,kernel module");
}

static void test_bad_modules(void **state)
{
	int d = add_domu("domU1", 0x50000000), m;

	(void)state;
	add_module(d, "module@k2", "multiboot,kernel", 0x52000000, 0x1000);
	/* DT order: module@k2, then module@k (fdt_add_subnode() puts a node first). */
	assert_refused("/chosen/domU1/module@k: a second multiboot,kernel module");
	assert_int_equal(fdt_del_node(fdt, node("/chosen/domU1/module@k2")), 0);

	m = fdt_add_subnode(fdt, node("/chosen/domU1"), "module@x");
	assert_int_equal(fdt_setprop_string(fdt, m, "compatible", "multiboot,module"), 0);
	assert_refused("/chosen/domU1/module@x: no multiboot,kernel, multiboot,ramdisk or "
		       "multiboot,device-tree in its compatible");
	assert_int_equal(fdt_del_node(fdt, node("/chosen/domU1/module@x")), 0);

	m = add_module(node("/chosen/domU1"), "module@r", "multiboot,ramdisk", 0x51000000, 0);
	assert_int_equal(fdt_setprop_u32(fdt, m, "reg", 1), 0);
	assert_refused("/chosen/domU1/module@r: no valid reg (one address and one size in the domU "
		       "node's #address-cells and #size-cells)");
	setreg(node("/chosen/domU1/module@r"), 0x51000000, 0);
	assert_refused("/chosen/domU1/module@r: reg size is 0");
	setreg(node("/chosen/domU1/module@r"), 0x7ffff000, 0x2000);
	assert_refused("/chosen/domU1/module@r: 0x7ffff000+0x2000 runs past the end of its RAM bank "
		       "(0x40000000-0x80000000)");

	/* A non-module child is another binding's business. */
	assert_int_equal(fdt_del_node(fdt, node("/chosen/domU1/module@r")), 0);
	assert_true(fdt_add_subnode(fdt, node("/chosen/domU1"), "vcpu-affinity") >= 0);
	assert_int_equal(parse(), 0);
}

static void test_overlaps(void **state)
{
	int d1 = add_domu("domU1", 0x50000000);

	(void)state;
	add_domu("domU2", 0x50800000);	/* before domU1 in the DT */
	assert_refused("/chosen/domU1/module@k: 0x50000000+0x1000000 overlaps /chosen/domU2/module@k "
		       "(0x50800000+0x1000000)");
	setreg(node("/chosen/domU2/module@k"), 0x48000000, 0x1000);
	assert_refused("/chosen/domU2/module@k: 0x48000000+0x1000 overlaps /chosen/module@47000000 "
		       "(0x47000000+0x2000000)");
	setreg(node("/chosen/domU2/module@k"), 0x40e00000, 0x1000);
	assert_refused("/chosen/domU2/module@k: 0x40e00000+0x1000 overlaps Kestrel "
		       "(0x40200000-0x40e01000)");
	setreg(node("/chosen/domU2/module@k"), 0x60000000, 0x1000);
	/* Within one domU too. */
	(void)d1;
	add_module(node("/chosen/domU1"), "module@r", "multiboot,ramdisk", 0x50fff000, 0x2000);
	assert_refused("/chosen/domU1/module@r: 0x50fff000+0x2000 overlaps /chosen/domU1/module@k "
		       "(0x50000000+0x1000000)");
}

static void test_too_many_domus(void **state)
{
	char name[48];

	(void)state;
	for (int i = 0; i <= MAX_DOMUS; i++) {
		snprintf(name, sizeof(name), "domU%d", i + 1);
		add_domu(name, 0x50000000 + i * 0x1000000UL);
	}
	/* The last added is first in the DT: domU1 is the one too many. */
	snprintf(name, sizeof(name), "/chosen/domU1: more than %d", MAX_DOMUS);
	assert_int_equal(parse(), -EINVAL);
	assert_memory_equal(msg, name, strlen(name));
}

/* Through bootinfo_parse(): dom0 keeps its own kernel and bootargs, domU modules are reserved. */
static void test_bootinfo_integration(void **state)
{
	int chosen = node("/chosen"), k;
	bool reserved = false;

	(void)state;
	/* dom0's only module is "multiboot,module": it must not be confused with domU1's kernel. */
	k = node("/chosen/module@47000000");
	assert_int_equal(fdt_setprop_string(fdt, k, "compatible", "multiboot,module"), 0);
	add_domu("domU1", 0x50000000);
	k = node("/chosen/domU1/module@k");
	assert_int_equal(fdt_setprop_string(fdt, k, "bootargs", "domU args"), 0);
	(void)chosen;

	memset(&bi, 0, sizeof(bi));
	bootinfo_parse(&bi, fdt, KESTREL_START, KESTREL_END);
	assert_int_equal(bi.nr_domus, 1);
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].kind, MOD_KERNEL);
	assert_int_equal(bi.modules[0].owner, 0);
	assert_int_equal(bi.modules[1].kind, MOD_OTHER);
	assert_int_equal(bi.modules[1].owner, 1);
	assert_null(bi.dom0_cmdline);
	assert_string_equal(bi.domus[0].bootargs, "domU args");
	for (unsigned int i = 0; i < bi.nr_reserved; i++)
		if (bi.reserved[i].start == 0x50000000 && bi.reserved[i].size == 0x1000000)
			reserved = true;
	assert_true(reserved);
}

static void test_ram_layout(void **state)
{
	struct membank b[2];

	(void)state;
	assert_int_equal(domu_ram_layout(256UL << 20, b), 1);
	assert_int_equal(b[0].start, GUEST_RAM0_BASE);
	assert_int_equal(b[0].size, 256UL << 20);
	assert_int_equal(b[1].size, 0);
	assert_int_equal(domu_ram_layout(GUEST_RAM0_SIZE, b), 1);
	assert_int_equal(b[0].size, 3UL << 30);
	assert_int_equal(domu_ram_layout(4UL << 30, b), 2);
	assert_int_equal(b[0].start, 0x40000000);
	assert_int_equal(b[0].size, 3UL << 30);
	assert_int_equal(b[1].start, 0x200000000UL);
	assert_int_equal(b[1].size, 1UL << 30);
	assert_int_equal(domu_ram_layout(GUEST_RAM0_SIZE + GUEST_RAM1_SIZE, b), 2);
	assert_int_equal(b[1].size, GUEST_RAM1_SIZE);
	assert_int_equal(domu_ram_layout(GUEST_RAM0_SIZE + GUEST_RAM1_SIZE + 4096, b), -EINVAL);
	assert_int_equal(domu_ram_layout(0, b), -EINVAL);
	assert_int_equal(domu_ram_layout(4097, b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_two_domus, setup),
		cmocka_unit_test_setup(test_memory_one_cell_and_enhanced, setup),
		cmocka_unit_test_setup(test_no_domus, setup),
		cmocka_unit_test_setup(test_bad_memory, setup),
		cmocka_unit_test_setup(test_bad_cpus, setup),
		cmocka_unit_test_setup(test_bad_nr_spis, setup),
		cmocka_unit_test_setup(test_bad_enhanced, setup),
		cmocka_unit_test_setup(test_bad_cells, setup),
		cmocka_unit_test_setup(test_no_kernel, setup),
		cmocka_unit_test_setup(test_bad_modules, setup),
		cmocka_unit_test_setup(test_overlaps, setup),
		cmocka_unit_test_setup(test_too_many_domus, setup),
		cmocka_unit_test_setup(test_bootinfo_integration, setup),
		cmocka_unit_test(test_ram_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
