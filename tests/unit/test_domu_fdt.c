// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/domu_fdt.c: domu_build_fdt() for the params of dts/domu-reference.dts
 * compared with that file as dtc compiles it (every node, every property and value, by a
 * libfdt walk of both trees); the nodes that depend on the params (GICv2, two RAM banks,
 * no vpl011, no xen,enhanced, vCPU MPIDRs); the partial DT's /passthrough copied with its
 * interrupt-parent on the generated GIC and the xen,* properties dropped; errors; and
 * domu_parse_passthrough() on that partial DT and broken copies of it (common/domu_passthrough.c).
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
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>

#if !defined(REF_DTB) || !defined(PARTIAL_DTB)
#error "build with -DREF_DTB=... -DPARTIAL_DTB=... (tests/unit/unit.mk does)"
#endif

__asm__(".section .rodata\n"
	".balign 8\n"
	"ref_dtb:\n"
	".incbin \"" REF_DTB "\"\n"
	".balign 8\n"
	"partial_dtb:\n"
	".incbin \"" PARTIAL_DTB "\"\n"
	".previous\n");
extern const char ref_dtb[], partial_dtb[];

static char buf[16384] __attribute__((aligned(8)));

/* The params dts/domu-reference.dts describes. */
static struct domu_fdt_params ref_params(void)
{
	struct domu_fdt_params p = {
		.nr_vcpus = 2, .gic_version = 3, .vpl011 = true, .enhanced = XEN_ENHANCED_NO_XENSTORE,
		.bootargs = "console=ttyAMA0", .initrd_start = 0x48000000, .initrd_size = 0x800000,
	};

	p.nr_ram = domu_ram_layout(256UL << 20, p.ram);
	return p;
}

/* Are node @a of @fa and @b of @fb the same: name, properties (any order), children (in order)? */
static void assert_same_node(const void *fa, int a, const void *fb, int b, const char *path)
{
	int prop, na = 0, nb = 0, ca, cb;

	assert_string_equal(fdt_get_name(fa, a, NULL), fdt_get_name(fb, b, NULL));
	fdt_for_each_property_offset(prop, fa, a) {
		const char *name;
		int la, lb;
		const void *va = fdt_getprop_by_offset(fa, prop, &name, &la), *vb = fdt_getprop(fb, b, name, &lb);

		if (!vb)
			fail_msg("%s: property %s only in the generated DT", path, name);
		if (la != lb || memcmp(va, vb, la))
			fail_msg("%s: property %s differs (%d vs %d bytes)", path, name, la, lb);
		na++;
	}
	fdt_for_each_property_offset(prop, fb, b)
		nb++;
	if (na != nb)
		fail_msg("%s: %d properties generated, %d in the reference", path, na, nb);
	ca = fdt_first_subnode(fa, a);
	cb = fdt_first_subnode(fb, b);
	for (; ca >= 0 && cb >= 0; ca = fdt_next_subnode(fa, ca), cb = fdt_next_subnode(fb, cb)) {
		char sub[256];

		snprintf(sub, sizeof(sub), "%s/%s", path, fdt_get_name(fa, ca, NULL));
		assert_same_node(fa, ca, fb, cb, sub);
	}
	if (ca >= 0 || cb >= 0)
		fail_msg("%s: child %s only in the %s DT", path,
			 ca >= 0 ? fdt_get_name(fa, ca, NULL) : fdt_get_name(fb, cb, NULL),
			 ca >= 0 ? "generated" : "reference");
}

static void test_matches_reference(void **state)
{
	struct domu_fdt_params p = ref_params();

	(void)state;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), 0);
	assert_int_equal(fdt_check_full(buf, fdt_totalsize(buf)), 0);
	assert_same_node(buf, 0, ref_dtb, 0, "");
}

static const fdt32_t *prop(const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(buf, path);
	const fdt32_t *v;

	if (node < 0)
		fail_msg("no %s", path);
	v = fdt_getprop(buf, node, name, len);
	if (!v)
		fail_msg("%s has no %s", path, name);
	return v;
}

static uint64_t cell64(const fdt32_t *v, int i)
{
	return (uint64_t)fdt32_to_cpu(v[2 * i]) << 32 | fdt32_to_cpu(v[2 * i + 1]);
}

static void test_two_banks_gicv2_plain(void **state)
{
	struct domu_fdt_params p = ref_params();
	const fdt32_t *v;
	int len;

	(void)state;
	p.nr_ram = domu_ram_layout(5UL << 30, p.ram);
	assert_int_equal(p.nr_ram, 2);
	p.gic_version = 2;
	p.vpl011 = false;
	p.enhanced = XEN_ENHANCED_NONE;
	p.initrd_size = 0;
	p.bootargs = NULL;
	p.nr_vcpus = 4;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), 0);

	v = prop("/memory@40000000", "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cell64(v, 0), GUEST_RAM0_BASE);
	assert_int_equal(cell64(v, 1), 3UL << 30);
	assert_int_equal(cell64(v, 2), GUEST_RAM1_BASE);
	assert_int_equal(cell64(v, 3), 2UL << 30);

	v = prop("/interrupt-controller@3001000", "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cell64(v, 0), GUEST_GICD_BASE);
	assert_int_equal(cell64(v, 1), GUEST_GICD_SIZE);
	assert_int_equal(cell64(v, 2), GUEST_GICC_BASE);
	assert_int_equal(cell64(v, 3), GUEST_GICC_SIZE);
	assert_string_equal((const char *)prop("/interrupt-controller@3001000", "compatible", &len),
			    "arm,gic-400");

	v = prop("/cpus/cpu@3", "reg", &len);
	assert_int_equal(fdt32_to_cpu(*v), 3);
	assert_int_equal(fdt_path_offset(buf, "/cpus/cpu@4"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(buf, "/hypervisor"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(buf, "/sbsa-uart@22000000"), -FDT_ERR_NOTFOUND);
	assert_null(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "stdout-path", NULL));
	assert_null(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "linux,initrd-start", NULL));
	assert_null(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "bootargs", NULL));
}

/* vCPU 16 has Aff1 = 1 (vcpu_id_to_mpidr(): 16 per cluster). */
static void test_cpu_affinity(void **state)
{
	struct domu_fdt_params p = ref_params();
	int len;

	(void)state;
	p.nr_vcpus = 17;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), 0);
	assert_int_equal(fdt32_to_cpu(*prop("/cpus/cpu@100", "reg", &len)), 0x100);
	assert_int_equal(fdt32_to_cpu(*prop("/cpus/cpu@f", "reg", &len)), 0xf);
}

static void test_passthrough(void **state)
{
	struct domu_fdt_params p = ref_params();
	const fdt32_t *v;
	int len, eth;

	(void)state;
	p.partial_fdt = partial_dtb;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), 0);
	eth = fdt_path_offset(buf, "/passthrough/ethernet@ff0e0000");
	assert_true(eth >= 0);
	assert_int_equal(fdt32_to_cpu(*prop("/passthrough/ethernet@ff0e0000", "interrupt-parent", &len)),
			 DOMU_PHANDLE_GIC);
	v = prop("/passthrough/ethernet@ff0e0000", "interrupts", &len);
	assert_int_equal(len, 24);
	assert_int_equal(fdt32_to_cpu(v[1]), 63);
	assert_null(fdt_getprop(buf, eth, "xen,reg", NULL));
	assert_null(fdt_getprop(buf, eth, "xen,path", NULL));
	assert_null(fdt_getprop(buf, eth, "xen,force-assign-without-iommu", NULL));
	assert_string_equal((const char *)prop("/passthrough", "compatible", &len), "simple-bus");
	/* The /gic placeholder is not copied. */
	assert_int_equal(fdt_path_offset(buf, "/gic"), -FDT_ERR_NOTFOUND);
}

static void test_errors(void **state)
{
	struct domu_fdt_params p = ref_params();
	char bad[64] = { 0 };

	(void)state;
	assert_int_equal(domu_build_fdt(&p, buf, 256), -ENOSPC);
	p.nr_vcpus = 0;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), -EINVAL);
	p = ref_params();
	p.nr_vcpus = GUEST_MAX_VCPUS + 1;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), -EINVAL);
	p = ref_params();
	p.gic_version = 4;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), -EINVAL);
	p = ref_params();
	p.nr_ram = 0;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), -EINVAL);
	p = ref_params();
	p.partial_fdt = bad;
	assert_int_equal(domu_build_fdt(&p, buf, sizeof(buf)), -EINVAL);
}

static char pt[4096] __attribute__((aligned(8))), host[4096] __attribute__((aligned(8)));
static struct domu_pt_dev devs[DOMU_MAX_PT_DEVS];
static unsigned int nr_devs;
static char msg[256];

static void add_reg(int node, uint32_t pa, uint32_t size)
{
	fdt32_t r[4] = { 0, cpu_to_fdt32(pa), 0, cpu_to_fdt32(size) };

	assert_int_equal(fdt_setprop(host, node, "reg", r, sizeof(r)), 0);
}

static void set_cells(int node)
{
	assert_int_equal(fdt_setprop_u32(host, node, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(host, node, "#size-cells", 2), 0);
}

/*
 * A host DT (2/2 cells): /amba (a bus with empty ranges) holding the GEM at
 * ethernet@ff0e0000, a second node on the same registers, the console UART and a node
 * without reg; the GIC, an RTC and /cpus at the root. @pt a writable copy of the partial DT.
 */
static int pt_setup(void **state)
{
	int amba, n;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(host, sizeof(host)), 0);
	set_cells(0);
	amba = fdt_add_subnode(host, 0, "amba");
	set_cells(amba);
	assert_int_equal(fdt_setprop(host, amba, "ranges", NULL, 0), 0);
	add_reg(fdt_add_subnode(host, amba, "ethernet@ff0e0000"), 0xff0e0000, 0x1000);
	add_reg(fdt_add_subnode(host, fdt_path_offset(host, "/amba"), "alias@ff0e0000"), 0xff0e0000, 0x1000);
	add_reg(fdt_add_subnode(host, fdt_path_offset(host, "/amba"), "serial@ff000000"), 0xff000000, 0x1000);
	assert_true(fdt_add_subnode(host, fdt_path_offset(host, "/amba"), "noreg") >= 0);
	add_reg(fdt_add_subnode(host, 0, "gic@f9000000"), 0xf9000000, 0x10000);
	add_reg(fdt_add_subnode(host, 0, "rtc@9010000"), 0x09010000, 0x1000);
	n = fdt_add_subnode(host, 0, "cpus");
	assert_true(n >= 0);
	assert_int_equal(fdt_open_into(partial_dtb, pt, sizeof(pt)), 0);
	return 0;
}

static int pt_parse(void)
{
	struct membank ram[2];
	unsigned int nr_ram = domu_ram_layout(256UL << 20, ram);

	msg[0] = '\0';
	return domu_parse_passthrough(pt, host, ram, nr_ram, "/chosen/domU1/module@d", devs,
				      DOMU_MAX_PT_DEVS, &nr_devs, msg, sizeof(msg));
}

static int eth(void)
{
	return fdt_path_offset(pt, "/passthrough/ethernet@ff0e0000");
}

static void set_xen_reg(uint32_t pa, uint32_t size, uint32_t ipa)
{
	fdt32_t r[6] = { 0, cpu_to_fdt32(pa), 0, cpu_to_fdt32(size), 0, cpu_to_fdt32(ipa) };

	assert_int_equal(fdt_setprop(pt, eth(), "xen,reg", r, sizeof(r)), 0);
}

static void assert_pt_refused(const char *detail)
{
	char expect[256];

	snprintf(expect, sizeof(expect), "/chosen/domU1/module@d: /passthrough/ethernet@ff0e0000: %s", detail);
	assert_int_equal(pt_parse(), -EINVAL);
	assert_string_equal(msg, expect);
}

static void test_pt_good(void **state)
{
	(void)state;
	assert_int_equal(pt_parse(), 0);
	assert_int_equal(nr_devs, 1);
	assert_string_equal(devs[0].name, "ethernet@ff0e0000");
	assert_string_equal(devs[0].path, "/amba/ethernet@ff0e0000");
	assert_int_equal(devs[0].host_node, fdt_path_offset(host, "/amba/ethernet@ff0e0000"));
	assert_true(devs[0].force_assign);
	assert_int_equal(devs[0].nr_regs, 1);
	assert_int_equal(devs[0].regs[0].pa, 0xff0e0000);
	assert_int_equal(devs[0].regs[0].size, 0x1000);
	assert_int_equal(devs[0].regs[0].ipa, 0xff0e0000);
	assert_int_equal(devs[0].nr_irqs, 2);
	assert_int_equal(devs[0].irqs[0], 32 + 63);
}

static void test_pt_no_passthrough_node(void **state)
{
	(void)state;
	assert_int_equal(fdt_del_node(pt, fdt_path_offset(pt, "/passthrough")), 0);
	assert_int_equal(pt_parse(), 0);
	assert_int_equal(nr_devs, 0);
}

static void test_pt_bad(void **state)
{
	(void)state;
	set_xen_reg(0xff0e0800, 0x1000, 0xff0e0000);
	assert_pt_refused("xen,reg entry 0 (0xff0e0800 size 0x1000 guest 0xff0e0000) is not 4 KiB aligned");
	set_xen_reg(0xff0e0000, 0, 0xff0e0000);
	assert_pt_refused("xen,reg entry 0 has size 0");
	set_xen_reg(0xff0e0000, 0x1000, 0x40001000);
	assert_pt_refused("xen,reg entry 0 (guest 0x40001000+0x1000) overlaps the guest's RAM");
	set_xen_reg(0xff0e0000, 0x2000, 0x21fff000);
	assert_pt_refused("xen,reg entry 0 (guest 0x21fff000+0x2000) overlaps the vpl011 UART");
	set_xen_reg(0xff0e0000, 0x1000, 0x03001000);
	assert_pt_refused("xen,reg entry 0 (guest 0x3001000+0x1000) overlaps the GIC distributor");
	set_xen_reg(0xff0e0000, 0x1000, 0x38000000);
	assert_pt_refused("xen,reg entry 0 (guest 0x38000000+0x1000) overlaps the grant table");
	assert_int_equal(fdt_setprop(pt, eth(), "xen,reg", "abcd", 4), 0);
	assert_pt_refused("xen,reg is 4 bytes, not triplets of address, size, guest address");
	set_xen_reg(0xff0e0000, 0x1000, 0x10000000);

	assert_int_equal(fdt_setprop_u32(pt, eth(), "interrupts", 1), 0);
	assert_pt_refused("interrupts is 4 bytes, not GIC specifiers of 3 cells");
	{
		fdt32_t ppi[3] = { cpu_to_fdt32(1), cpu_to_fdt32(3), cpu_to_fdt32(4) };

		assert_int_equal(fdt_setprop(pt, eth(), "interrupts", ppi, sizeof(ppi)), 0);
	}
	assert_pt_refused("interrupts entry 0 is not an SPI (type 0, number 0-987)");
	assert_int_equal(fdt_delprop(pt, eth(), "interrupts"), 0);
	assert_int_equal(pt_parse(), 0);

	assert_int_equal(fdt_delprop(pt, eth(), "xen,force-assign-without-iommu"), 0);
	assert_pt_refused("no xen,force-assign-without-iommu (Kestrel has no IOMMU to isolate the device's DMA)");
	assert_int_equal(fdt_setprop_string(pt, eth(), "xen,path", "/amba/serial@0"), 0);
	assert_pt_refused("xen,path \"/amba/serial@0\" is not a node of the host DT");
	assert_int_equal(fdt_delprop(pt, eth(), "xen,path"), 0);
	assert_pt_refused("no xen,path");
}

static void test_pt_not_fdt(void **state)
{
	(void)state;
	memset(pt, 0, 64);
	assert_int_equal(pt_parse(), -EINVAL);
	assert_non_null(strstr(msg, "/chosen/domU1/module@d: not a valid flattened device tree"));
}

/*
 * domu_passthrough_init(): domUs whose partial DT is @pt (domU1) and @pt2 (domU2, a copy
 * of @pt unless a test changes it), modules at their addresses in this process; the host's
 * RAM at 0x40000000 (1 GiB), its UART /amba/serial@ff000000, its GIC /gic@f9000000.
 */
static struct bootinfo pt_bi;
static char pt2[4096] __attribute__((aligned(8)));

static int init_domus(unsigned int nr_domus)
{
	memset(&pt_bi, 0, sizeof(pt_bi));
	pt_bi.fdt = host;
	pt_bi.mem[0] = (struct membank){ 0x40000000, 1UL << 30 };
	pt_bi.nr_mem = 1;
	pt_bi.uart_node = fdt_path_offset(host, "/amba/serial@ff000000");
	pt_bi.gic.node = fdt_path_offset(host, "/gic@f9000000");
	pt_bi.modules[0] = (struct bootmodule){ .kind = MOD_OTHER,
						.start = (uintptr_t)pt,
						.size = sizeof(pt) };
	pt_bi.modules[1] = (struct bootmodule){ .kind = MOD_OTHER,
						.start = (uintptr_t)pt2,
						.size = sizeof(pt2) };
	pt_bi.nr_modules = 2;
	pt_bi.nr_domus = nr_domus;
	for (unsigned int k = 0; k < nr_domus; k++)
		pt_bi.domus[k] = (struct domu_config){ .name = k ? "domU2" : "domU1",
						       .mem_size = 256UL << 20,
						       .cpus = 1,
						       .kernel = -1,
						       .ramdisk = -1,
						       .dtb = (int)k };
	msg[0] = '\0';
	return domu_passthrough_init(&pt_bi, msg, sizeof(msg));
}

/* Re-run domu_passthrough_init() on pt_bi as a test changed it. */
static int init_again(void)
{
	msg[0] = '\0';
	return domu_passthrough_init(&pt_bi, msg, sizeof(msg));
}

static void assert_msg(unsigned int domu, const char *detail)
{
	char expect[256];

	snprintf(expect, sizeof(expect), "/chosen/domU%u/module@%lx: /passthrough/ethernet@ff0e0000: %s",
		 domu, (unsigned long)(uintptr_t)(domu == 1 ? pt : pt2), detail);
	assert_string_equal(msg, expect);
}

static void refused(unsigned int nr_domus, const char *detail)
{
	assert_int_equal(init_domus(nr_domus), -EINVAL);
	assert_msg(nr_domus, detail);
}

static void set_path(char *fdt, const char *path)
{
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/passthrough/ethernet@ff0e0000"),
					    "xen,path", path),
			 0);
}

static void test_pt_init_and_owners(void **state)
{
	int path[3] = { 0, fdt_path_offset(host, "/amba"), fdt_path_offset(host, "/amba/ethernet@ff0e0000") };

	(void)state;
	assert_int_equal(init_domus(1), 0);
	assert_int_equal(pt_bi.domus[0].nr_pt, 1);
	assert_true(domu_pt_owns_node(&pt_bi, path, 2)); /* the device */
	assert_false(domu_pt_owns_node(&pt_bi, path, 1)); /* its parent bus stays dom0's */
	assert_true(domu_pt_owns_spi(&pt_bi, 32 + 63));
	assert_false(domu_pt_owns_spi(&pt_bi, 32 + 62));
	memcpy(pt2, pt, sizeof(pt2));
	refused(2, "xen,path \"/amba/ethernet@ff0e0000\" is given to /chosen/domU1 too");
}

static void test_pt_init_refusals(void **state)
{
	(void)state;
	set_xen_reg(0x40000000, 0x1000, 0x10000000);
	refused(1, "xen,reg entry 0 (0x40000000+0x1000) is RAM or a frame the hypervisor keeps");
	set_xen_reg(0xff0f0000, 0x1000, 0x10000000);
	refused(1,
		"xen,reg entry 0 (0xff0f0000+0x1000) is outside the reg of xen,path \"/amba/ethernet@ff0e0000\"");
	set_xen_reg(0xff0e0000, 0x1000, 0x10000000);
	assert_int_equal(init_domus(1), 0);
	pt_bi.gic.dist_base = 0xff0e0000; /* a frame Kestrel keeps */
	pt_bi.gic.dist_size = 0x1000;
	assert_int_equal(init_again(), -EINVAL);
	assert_msg(1, "xen,reg entry 0 (0xff0e0000+0x1000) is RAM or a frame the hypervisor keeps");
	assert_int_equal(init_domus(1), 0);
	pt_bi.domus[0].nr_spis = 63; /* SPI 63 needs nr_spis >= 64 */
	assert_int_equal(init_again(), -EINVAL);
	assert_msg(1, "interrupts entry 0 (SPI 63) is beyond the domain's nr_spis = 63");
	assert_int_equal(init_domus(1), 0);
	pt_bi.modules[0].size = 64; /* the tree's header says more */
	assert_int_equal(init_again(), -EINVAL);
	assert_non_null(strstr(msg, "its device tree is larger than the module (64 bytes)"));
}

static void test_pt_init_host_nodes_refused(void **state)
{
	(void)state;
	set_path(pt, "/amba");
	refused(1, "xen,path \"/amba\" is or holds the hypervisor's console UART");
	set_path(pt, "/amba/serial@ff000000");
	refused(1, "xen,path \"/amba/serial@ff000000\" is or holds the hypervisor's console UART");
	set_path(pt, "/gic@f9000000");
	refused(1, "xen,path \"/gic@f9000000\" is or holds the interrupt controller");
	set_path(pt, "/cpus");
	refused(1, "xen,path \"/cpus\" is not a device");
	set_path(pt, "/amba/noreg");
	refused(1, "xen,path \"/amba/noreg\" has no reg: not a memory-mapped device");
}

static void test_pt_init_shared_between_domus(void **state)
{
	(void)state;
	/* Another node with the same registers. */
	memcpy(pt2, pt, sizeof(pt2));
	set_path(pt2, "/amba/alias@ff0e0000");
	refused(2,
		"xen,reg entry 0 (0xff0e0000) is given to /chosen/domU1's /passthrough/ethernet@ff0e0000 too");
	/* Another device with the same SPI. */
	memcpy(pt2, pt, sizeof(pt2));
	set_path(pt2, "/rtc@9010000");
	{
		fdt32_t r[6] = { 0, cpu_to_fdt32(0x09010000), 0, cpu_to_fdt32(0x1000),
				 0, cpu_to_fdt32(0x10000000) };

		assert_int_equal(fdt_setprop(pt2, fdt_path_offset(pt2, "/passthrough/ethernet@ff0e0000"),
					     "xen,reg", r, sizeof(r)),
				 0);
	}
	refused(2, "interrupts entry 0 (SPI 63) is given to /chosen/domU1 too");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_reference),
		cmocka_unit_test(test_two_banks_gicv2_plain),
		cmocka_unit_test(test_cpu_affinity),
		cmocka_unit_test(test_passthrough),
		cmocka_unit_test(test_errors),
		cmocka_unit_test_setup(test_pt_good, pt_setup),
		cmocka_unit_test_setup(test_pt_no_passthrough_node, pt_setup),
		cmocka_unit_test_setup(test_pt_bad, pt_setup),
		cmocka_unit_test_setup(test_pt_not_fdt, pt_setup),
		cmocka_unit_test_setup(test_pt_init_and_owners, pt_setup),
		cmocka_unit_test_setup(test_pt_init_refusals, pt_setup),
		cmocka_unit_test_setup(test_pt_init_host_nodes_refused, pt_setup),
		cmocka_unit_test_setup(test_pt_init_shared_between_domus, pt_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
