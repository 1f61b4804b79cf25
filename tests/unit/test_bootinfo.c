// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the boot-module parts of common/bootinfo.c (include/kestrel/bootinfo.h):
 * bootinfo_parse() on host-virt.dts (its /chosen/module@* nodes as a Xen-style boot loader
 * writes them: Xen docs/misc/arm/device-tree/booting.txt), and bootmodule_check() on
 * modules a wrong boot script would describe: size 0, a size running past the end of RAM
 * (the low bank and the high bank of a ZCU102-like two-bank map), outside RAM, wrapping
 * the address space, and overlapping Kestrel, the DTB or another module. Every refusal's
 * message must start with the module's node path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>

#ifndef HOST_DTB
#error "build with -DHOST_DTB=\"path/to/host-virt.dtb\" (tests/unit/unit.mk does)"
#endif

__asm__(".section .rodata\n"
	".balign 8\n"
	"host_dtb:\n"
	".incbin \"" HOST_DTB "\"\n"
	".previous\n");
extern const char host_dtb[];

#define KESTREL_START	0x40200000UL	/* where QEMU's -kernel puts Kestrel */
#define KESTREL_END	0x40e01000UL

static struct bootinfo bi;
static char msg[200];

/* host-virt.dts parsed, Kestrel at KESTREL_START..KESTREL_END. */
static int parse_host_virt(void **state)
{
	(void)state;
	memset(&bi, 0, sizeof(bi));
	bootinfo_parse(&bi, host_dtb, KESTREL_START, KESTREL_END);
	return 0;
}

static void test_parse_names_modules(void **state)
{
	(void)state;
	assert_int_equal(bi.nr_modules, 2);
	assert_string_equal(bi.modules[0].name, "module@47000000");
	assert_int_equal(bi.modules[0].kind, MOD_KERNEL);
	assert_int_equal(bi.modules[0].start, 0x47000000);
	assert_int_equal(bi.modules[0].size, 0x2000000);
	assert_string_equal(bi.modules[1].name, "module@49000000");
	assert_int_equal(bi.modules[1].kind, MOD_RAMDISK);
	assert_int_equal(bi.modules[1].size, 0x800000);
	assert_string_equal(bi.dom0_cmdline, "console=hvc0 earlycon=xenboot");
	for (unsigned int i = 0; i < bi.nr_modules; i++)
		assert_int_equal(bootmodule_check(&bi, i, msg, sizeof(msg)), 0);
}

/* Module @i refused with a message that starts with "/chosen/<name>: " and contains @what. */
static void assert_refused(unsigned int i, const char *what)
{
	char prefix[64];

	memset(msg, 0, sizeof(msg));
	assert_int_equal(bootmodule_check(&bi, i, msg, sizeof(msg)), -EINVAL);
	snprintf(prefix, sizeof(prefix), "/chosen/%s: ", bi.modules[i].name);
	assert_memory_equal(msg, prefix, strlen(prefix));
	if (!strstr(msg, what))
		fail_msg("\"%s\" lacks \"%s\"", msg, what);
}

static void test_size_zero(void **state)
{
	(void)state;
	bi.modules[0].size = 0;
	assert_refused(0, "reg size is 0");
	assert_int_equal(bootmodule_check(&bi, 1, msg, sizeof(msg)), 0);
}

static void test_past_the_end_of_ram(void **state)
{
	(void)state;
	/* RAM is 0x40000000-0xc0000000: the initrd's size runs 1 byte too far, then 2 GiB. */
	bi.modules[1].size = 0xc0000000 - 0x49000000 + 1;
	assert_refused(1, "0x49000000+0x77000001 runs past the end of its RAM bank (0x40000000-0xc0000000)");
	bi.modules[1].size = 0x80000000;
	assert_refused(1, "runs past the end");
	bi.modules[1].size = 0xc0000000 - 0x49000000;	/* exactly to the end: fine */
	assert_int_equal(bootmodule_check(&bi, 1, msg, sizeof(msg)), 0);
}

static void test_outside_ram(void **state)
{
	(void)state;
	bi.modules[1].start = 0x3ffff000;	/* just below RAM */
	bi.modules[1].size = 0x1000;
	assert_refused(1, "0x3ffff000+0x1000 is not in RAM");
	bi.modules[1].start = 0xc0000000;	/* just above */
	assert_refused(1, "is not in RAM");
	bi.modules[1].start = 0xfffffffffffff000UL;
	bi.modules[1].size = 0x2000;
	assert_refused(1, "wraps around");
}

/* A ZCU102-like map: 2 GiB at 0 and 2 GiB at 0x800000000. */
static void test_two_banks(void **state)
{
	(void)state;
	bi.nr_mem = 2;
	bi.mem[0] = (struct membank){ 0, 0x80000000 };
	bi.mem[1] = (struct membank){ 0x800000000UL, 0x80000000 };
	bi.modules[1].start = 0x800000000UL;
	bi.modules[1].size = 0x80000000;
	assert_int_equal(bootmodule_check(&bi, 1, msg, sizeof(msg)), 0);
	bi.modules[1].size = 0x80001000;
	assert_refused(1, "runs past the end of its RAM bank (0x800000000-0x880000000)");
	/* The gap between the banks is not RAM. */
	bi.modules[1].start = 0x80000000;
	bi.modules[1].size = 0x1000;
	assert_refused(1, "is not in RAM");
	/* Running from the low bank into the gap. */
	bi.modules[1].start = 0x7ff00000;
	bi.modules[1].size = 0x200000;
	assert_refused(1, "runs past the end of its RAM bank (0x0-0x80000000)");
}

/* host-virt.dts lists cpu@0 and cpu@1; the boot CPU becomes entry 0 wherever it is listed. */
static void test_boot_cpu_first(void **state)
{
	(void)state;
	assert_int_equal(bi.nr_cpus, 2);
	bootinfo_boot_cpu_first(&bi, 1);
	assert_int_equal(bi.nr_cpus, 2);
	assert_int_equal(bi.cpu_mpidr[0], 1);
	assert_int_equal(bi.cpu_mpidr[1], 0);
	bootinfo_boot_cpu_first(&bi, 1);	/* already first: unchanged */
	assert_int_equal(bi.cpu_mpidr[0], 1);
	assert_int_equal(bi.cpu_mpidr[1], 0);
	/* Not listed: inserted in front. */
	bootinfo_boot_cpu_first(&bi, 0x100);
	assert_int_equal(bi.nr_cpus, 3);
	assert_int_equal(bi.cpu_mpidr[0], 0x100);
	assert_int_equal(bi.cpu_mpidr[1], 1);
	assert_int_equal(bi.cpu_mpidr[2], 0);
	/* A full table: the last entry makes room. */
	bi.nr_cpus = CONFIG_NR_CPUS;
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
		bi.cpu_mpidr[i] = i;
	bootinfo_boot_cpu_first(&bi, 0x10000);
	assert_int_equal(bi.nr_cpus, CONFIG_NR_CPUS);
	assert_int_equal(bi.cpu_mpidr[0], 0x10000);
	assert_int_equal(bi.cpu_mpidr[1], 0);
	assert_int_equal(bi.cpu_mpidr[CONFIG_NR_CPUS - 1], CONFIG_NR_CPUS - 2);
	/* The last of a full table. */
	bootinfo_boot_cpu_first(&bi, CONFIG_NR_CPUS - 2);
	assert_int_equal(bi.cpu_mpidr[0], CONFIG_NR_CPUS - 2);
	assert_int_equal(bi.cpu_mpidr[1], 0x10000);
	/* No cpu nodes at all. */
	bi.nr_cpus = 0;
	bootinfo_boot_cpu_first(&bi, 3);
	assert_int_equal(bi.nr_cpus, 1);
	assert_int_equal(bi.cpu_mpidr[0], 3);
}

/* host-virt.dts's GICv3 has one redistributor region; a copy with two gives both. */
static void test_gic_redist_regions(void **state)
{
	/* GICD, then two redistributor regions. */
	static const uint32_t reg[] = {
		0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x20000, 0, 0x80c0000, 0, 0x40000,
	};
	static char buf[0x10000] __attribute__((aligned(8)));
	fdt32_t cells[12];
	int gic;

	(void)state;
	assert_int_equal(bi.gic.nr_redist, 1);
	assert_int_equal(bi.gic.redist[0].start, 0x80a0000);
	assert_int_equal(bi.gic.redist[0].size, 0xf60000);
	assert_int_equal(fdt_open_into(host_dtb, buf, sizeof(buf)), 0);
	gic = fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3");
	for (unsigned int i = 0; i < 12; i++)
		cells[i] = cpu_to_fdt32(reg[i]);
	assert_int_equal(fdt_setprop(buf, gic, "reg", cells, sizeof(cells)), 0);
	assert_int_equal(fdt_setprop_u32(buf, gic, "#redistributor-regions", 2), 0);
	memset(&bi, 0, sizeof(bi));
	bootinfo_parse(&bi, buf, KESTREL_START, KESTREL_END);
	assert_int_equal(bi.gic.nr_redist, 2);
	assert_int_equal(bi.gic.redist_base, 0x80a0000);
	assert_int_equal(bi.gic.redist[0].size, 0x20000);
	assert_int_equal(bi.gic.redist[1].start, 0x80c0000);
	assert_int_equal(bi.gic.redist[1].size, 0x40000);
}

/* RAM above BOOTINFO_RAM_LIMIT (the EL2 map) is left out; a bank across it is clipped. */
static void test_ram_above_the_el2_map(void **state)
{
	static char buf[0x10000] __attribute__((aligned(8)));
	static const uint32_t high[] = { 0x80, 0, 0, 0x40000000 };		/* 2^39, 1 GiB */
	static const uint32_t across[] = { 0x7f, 0xc0000000, 0, 0x80000000 };	/* 2^39 - 1 GiB, 2 GiB */
	fdt32_t cells[4];
	int node;

	(void)state;
	assert_int_equal(fdt_open_into(host_dtb, buf, sizeof(buf)), 0);
	for (unsigned int n = 0; n < 2; n++) {
		const uint32_t *reg = n ? across : high;

		node = fdt_add_subnode(buf, 0, n ? "memory@7fc0000000" : "memory@8000000000");
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(buf, node, "device_type", "memory"), 0);
		for (unsigned int i = 0; i < 4; i++)
			cells[i] = cpu_to_fdt32(reg[i]);
		assert_int_equal(fdt_setprop(buf, node, "reg", cells, sizeof(cells)), 0);
	}
	memset(&bi, 0, sizeof(bi));
	bootinfo_parse(&bi, buf, KESTREL_START, KESTREL_END);
	/* fdt_add_subnode() puts a node first: the clipped bank, then host-virt.dts's. */
	assert_int_equal(bi.nr_mem, 2);
	assert_int_equal(bi.mem[0].start, 0x7fc0000000UL);
	assert_int_equal(bi.mem[0].size, 0x40000000);
	assert_int_equal(bi.mem[0].start + bi.mem[0].size, BOOTINFO_RAM_LIMIT);
	assert_int_equal(bi.mem[1].start, 0x40000000);
	assert_int_equal(bi.mem[1].size, 0x80000000);
}

static void test_overlaps(void **state)
{
	(void)state;
	/* The kernel's size grown into the initrd: both nodes named. */
	bi.modules[0].size = 0x2000001;
	assert_refused(0, "overlaps /chosen/module@49000000 (0x49000000+0x800000)");
	assert_refused(1, "overlaps /chosen/module@47000000");
	bi.modules[0].size = 0x2000000;
	/* Over Kestrel's image (the end is exclusive). */
	bi.modules[1].start = KESTREL_END - 0x1000;
	bi.modules[1].size = 0x1000;
	assert_refused(1, "overlaps Kestrel (0x40200000-0x40e01000)");
	bi.modules[1].start = KESTREL_END;
	assert_int_equal(bootmodule_check(&bi, 1, msg, sizeof(msg)), 0);
	/* Over the DTB. */
	bi.dtb = 0x48000000;
	bi.dtb_size = 0x100000;
	bi.modules[1].start = 0x480ff000;
	assert_refused(1, "overlaps the DTB (0x48000000-0x48100000)");
}

/* A message longer than the buffer is cut, NUL-terminated. */
static void test_message_truncated(void **state)
{
	char small[16];

	(void)state;
	bi.modules[0].size = 0;
	memset(small, 'x', sizeof(small));
	assert_int_equal(bootmodule_check(&bi, 0, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "/chosen/module@");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_names_modules, parse_host_virt),
		cmocka_unit_test_setup(test_size_zero, parse_host_virt),
		cmocka_unit_test_setup(test_past_the_end_of_ram, parse_host_virt),
		cmocka_unit_test_setup(test_outside_ram, parse_host_virt),
		cmocka_unit_test_setup(test_two_banks, parse_host_virt),
		cmocka_unit_test_setup(test_overlaps, parse_host_virt),
		cmocka_unit_test_setup(test_boot_cpu_first, parse_host_virt),
		cmocka_unit_test_setup(test_gic_redist_regions, parse_host_virt),
		cmocka_unit_test_setup(test_ram_above_the_el2_map, parse_host_virt),
		cmocka_unit_test_setup(test_message_truncated, parse_host_virt),
	};

	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
