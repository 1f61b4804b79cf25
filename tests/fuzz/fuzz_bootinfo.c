// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the host DTB as Kestrel reads it at boot, and the dom0 placement that
 * follows from it. Input: a DTB, then optionally the first bytes of dom0's kernel Image
 * (the "trailer", see fuzz_fdt_input()). Runs what start_kestrel() and construct_dom0()
 * run on that data, minus the hardware: bootinfo_parse() and bootinfo_check_gic()
 * (common/bootinfo.c, cmdline_get() from common/cmdline.c), every node's "reg" through
 * dt_translate() as map_devices() maps dom0's devices, then dom0's RAM size from
 * dom0_mem= (parse_size()), dom0_choose_bank() and dom0_place() (common/dom0_mem.c) on the
 * parsed RAM, reserved ranges and modules, with kimage_parse() (common/kimage.c) on the
 * trailer as the kernel module's header.
 *
 * Beyond sanitizer reports, the invariants checked are what the consumers of struct
 * bootinfo rely on (each FUZZ_CHECK() names its consumer):
 * - INTIDs: the maintenance and timer interrupts are PPIs (16-31) and the UART's is 0 or
 *   below 1020, the first special INTID (Arm IHI 0069 2.2, INTIDs); irq_init() and
 *   gic_set_enabled() index GIC registers with them unchecked.
 * - Ranges (RAM, modules, GIC, UART) do not wrap past 2^64; the GICD region covers its
 *   64 KiB register map (Arm IHI 0069) that gic_init() accesses; a console UART has a
 *   non-empty region (mmu_init() maps only what "reg" says).
 * - Strings (command lines, module bootargs) end inside their property: a DT string is
 *   NUL-terminated (Devicetree Specification v0.4, 2.2.4).
 * - Counts stay within their arrays; dom0's bank is inside one RAM bank, aligned, clear of
 *   Kestrel, the DTB, every boot module and every /memreserve/ entry; kernel, initrd and
 *   DTB lie inside that bank and do not overlap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>
#include "fuzz.h"

#define IMAGE_START	0x40200000UL	/* where QEMU's -kernel loads Kestrel */
#define IMAGE_END	0x40400000UL
#define DOM0_FDT_MAX	SZ_2M		/* common/dom0_build.c */

typedef unsigned __int128 u128;

static bool wraps(uint64_t start, uint64_t size)
{
	return (u128)start + size > (u128)1 << 64;
}

static bool inside(uint64_t a, uint64_t s, const struct membank *b)
{
	return a >= b->start && (u128)a + s <= (u128)b->start + b->size;
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && (u128)a < (u128)b + bs && (u128)b < (u128)a + as;
}

/* @s points into @fdt: it must be the value of some property, NUL-terminated inside it. */
static void check_dt_string(const void *fdt, const char *s)
{
	const char *base = fdt;
	int node, prop, depth = 0, len;

	if (s < base || s >= base + fdt_totalsize(fdt))
		return;		/* a string literal of the parser's, such as "" */
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth))
		fdt_for_each_property_offset(prop, fdt, node)
			if (fdt_getprop_by_offset(fdt, prop, NULL, &len) == s) {
				FUZZ_CHECK(memchr(s, '\0', (size_t)len) != NULL);
				return;
			}
	FUZZ_CHECK(!"string from the DTB that is no property's value");
}

static void check_bootinfo(const struct bootinfo *bi, const void *fdt)
{
	/* Array bounds: bootinfo.h. */
	FUZZ_CHECK(bi->nr_mem >= 1 && bi->nr_mem <= MAX_MEM_BANKS);
	FUZZ_CHECK(bi->nr_reserved <= ARRAY_SIZE(bi->reserved));
	FUZZ_CHECK(bi->nr_modules <= MAX_MODULES);
	FUZZ_CHECK(bi->nr_cpus <= CONFIG_NR_CPUS);
	/* mmu_init(), dom0_choose_bank(): banks are real, non-wrapping ranges. */
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		FUZZ_CHECK(bi->mem[i].size && !wraps(bi->mem[i].start, bi->mem[i].size));
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		const struct bootmodule *m = &bi->modules[i];

		FUZZ_CHECK(m->kind == MOD_KERNEL || m->kind == MOD_RAMDISK || m->kind == MOD_OTHER);
		FUZZ_CHECK(!wraps(m->start, m->size));	/* load_dom0() copies it */
		if (m->bootargs)
			check_dt_string(fdt, m->bootargs);
	}
	FUZZ_CHECK(bi->cmdline != NULL);
	check_dt_string(fdt, bi->cmdline);
	if (bi->dom0_cmdline)
		check_dt_string(fdt, bi->dom0_cmdline);
	/* gic_init(), irq_init(): bootinfo_check_gic() passed, so there is a GIC. */
	FUZZ_CHECK(bi->gic.node >= 0);
	/* The GICD frame: 64 KiB on GICv3 (IHI 0069), 4 KiB on GICv2 (IHI 0048B), whose other frames too. */
	FUZZ_CHECK(bi->gic.dist_size >= (bi->gic.version == 3 ? 0x10000 : 0x1000) &&
		   !wraps(bi->gic.dist_base, bi->gic.dist_size));
	if (bi->gic.version == 2)
		FUZZ_CHECK(bi->gic.cpu_size >= 0x2000 && bi->gic.hyp_size >= 0x1000 && bi->gic.vcpu_size >= 0x2000);
	FUZZ_CHECK(!wraps(bi->gic.redist_base, bi->gic.redist_size));
	/* mmu_init(), find_redist(): every redistributor region of a GICv3. */
	if (bi->gic.version == 3) {
		FUZZ_CHECK(bi->gic.nr_redist >= 1 && bi->gic.nr_redist <= GIC_MAX_REDIST_REGIONS);
		FUZZ_CHECK(bi->gic.redist[0].start == bi->gic.redist_base);
		for (unsigned int i = 0; i < bi->gic.nr_redist; i++)
			FUZZ_CHECK(bi->gic.redist[i].size &&
				   !wraps(bi->gic.redist[i].start, bi->gic.redist[i].size));
	}
	FUZZ_CHECK(bi->gic.maint_irq >= 16 && bi->gic.maint_irq < 32);
	FUZZ_CHECK(bi->timer_ppi_virt >= 16 && bi->timer_ppi_virt < 32);
	FUZZ_CHECK(bi->timer_ppi_hyp >= 16 && bi->timer_ppi_hyp < 32);
	/* serial_probe_dt(), irq_init(): the console UART. */
	if (bi->uart_node >= 0) {
		FUZZ_CHECK(bi->uart_size && !wraps(bi->uart_base, bi->uart_size));
		FUZZ_CHECK(bi->uart_irq < 1020);
	}
}

/* map_devices() of common/dom0_build.c: every "reg" entry of every node, translated. */
static void translate_all(const void *fdt)
{
	int node, depth = 0;

	for (node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		struct membank reg;

		for (int i = 0; dt_read_reg(fdt, node, i, &reg) == 0; i++)
			dt_translate(fdt, fdt_parent_offset(fdt, node), &reg.start);
	}
}

/* dom0_mem_size() of common/dom0_build.c (static there): 0 where it would panic. */
static uint64_t dom0_mem_size(const char *cmdline)
{
	char buf[32];
	const char *end;
	uint64_t size;

	if (!cmdline_get(cmdline, "dom0_mem", buf, sizeof(buf)))
		return 512UL << 20;	/* CONFIG_DOM0_MEM_MB */
	size = parse_size(buf, &end);
	FUZZ_CHECK(end >= buf && end <= buf + strlen(buf));
	if (end == buf || *end)
		return 0;
	return size > ~0UL - SZ_2M ? ALIGN_DOWN(~0UL, SZ_2M) : ALIGN_UP(size, SZ_2M);
}

static const struct bootmodule *find_module(const struct bootinfo *bi, enum module_kind kind)
{
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind)
			return &bi->modules[i];
	return NULL;
}

/* construct_dom0()'s choice of RAM and load_dom0()'s placement, checked. */
static void place_dom0(const struct bootinfo *bi, const uint8_t *trailer, size_t trailer_len)
{
	const struct bootmodule *kernel = find_module(bi, MOD_KERNEL), *initrd = find_module(bi, MOD_RAMDISK);
	uint64_t size = dom0_mem_size(bi->cmdline), isize = initrd ? initrd->size : 0;
	static uint8_t img[4096];
	struct dom0_layout at;
	struct membank bank;
	struct kimage ki;
	const char *why = NULL;
	bool in_ram = false;

	if (!kernel || !size)
		return;		/* construct_dom0() panics */
	if (dom0_choose_bank(bi->mem, bi->nr_mem, bi->reserved, bi->nr_reserved, size, SZ_2M, &bank))
		return;		/* alloc_dom0_ram() panics */
	FUZZ_CHECK(bank.size == size && !(bank.start & (SZ_2M - 1)));
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		in_ram |= inside(bank.start, bank.size, &bi->mem[i]);
	FUZZ_CHECK(in_ram);
	/* Clear of what must survive, from the DTB itself rather than from bi->reserved. */
	FUZZ_CHECK(!overlap(bank.start, bank.size, IMAGE_START, IMAGE_END - IMAGE_START));
	FUZZ_CHECK(!overlap(bank.start, bank.size, bi->dtb, bi->dtb_size));
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		FUZZ_CHECK(!overlap(bank.start, bank.size, bi->modules[i].start, bi->modules[i].size));
	for (int i = 0; i < fdt_num_mem_rsv(bi->fdt); i++) {
		uint64_t a, s;

		if (!fdt_get_mem_rsv(bi->fdt, i, &a, &s))
			FUZZ_CHECK(!overlap(bank.start, bank.size, a, s));
	}

	/*
	 * The module's first bytes (zero-padded to the 64-byte header). kimage_parse() reads
	 * the header, and for an EFI-stub Image ("MZ") its PE/COFF headers too, anywhere in
	 * the module's length: model only modules whose bytes it may read are in the input.
	 */
	memset(img, 0, sizeof(img));
	memcpy(img, trailer, MIN(trailer_len, sizeof(img)));
	if (img[0] == 'M' && img[1] == 'Z' &&
	    kernel->size > MAX(MIN(trailer_len, sizeof(img)), sizeof(struct arm64_image_header)))
		return;
	if (kimage_parse(img, kernel->size, &ki, &why)) {
		FUZZ_CHECK(why != NULL);
		return;		/* load_dom0() panics */
	}
	FUZZ_CHECK(ki.text_offset < SZ_2M && !(ki.text_offset & 7) && ki.mem_size >= kernel->size);
	if (dom0_place(&bank, &ki, isize, DOM0_FDT_MAX, &at))
		return;		/* load_dom0() panics */
	FUZZ_CHECK(at.kernel == bank.start + ki.text_offset);
	FUZZ_CHECK(inside(at.kernel, ki.mem_size, &bank));
	FUZZ_CHECK(inside(at.initrd, isize, &bank));
	FUZZ_CHECK(inside(at.fdt, DOM0_FDT_MAX, &bank));
	FUZZ_CHECK(!overlap(at.kernel, ki.mem_size, at.initrd, isize));
	FUZZ_CHECK(!overlap(at.kernel, ki.mem_size, at.fdt, DOM0_FDT_MAX));
	FUZZ_CHECK(!overlap(at.initrd, isize, at.fdt, DOM0_FDT_MAX));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	const unsigned char *trailer;
	size_t trailer_len;
	void *fdt = fuzz_fdt_input(data, size, &trailer, &trailer_len);

	if (!fdt)
		return 0;
	memset(&bi, 0, sizeof(bi));
	FUZZ_ON_PANIC({ free(fdt); return 0; });
	bootinfo_parse(&bi, fdt, IMAGE_START, IMAGE_END);
	bootinfo_check_gic(&bi);
	fuzz_disarm();
	check_bootinfo(&bi, fdt);
	translate_all(fdt);
	place_dom0(&bi, trailer, trailer_len);
	free(fdt);
	return 0;
}
