// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the dom0less domU nodes of a host DTB and a domU's partial DT. Input: a
 * DTB (fuzz_fdt_input()), checked as bootinfo_parse() checks one before anything reads it.
 * Runs dom0less_parse() (common/dom0less.c) on its /chosen with a fixed RAM bank, image and
 * dom0 kernel, then domu_parse_passthrough() (common/domu_passthrough.c) and domu_build_fdt()
 * (common/domu_fdt.c) with the same DTB as the partial DT.
 *
 * Invariants beyond sanitizer reports (what the domain builder relies on):
 * - dom0less_parse() returns 0 or -EINVAL, and on -EINVAL a message starting "/chosen/".
 * - On success: at most MAX_DOMUS domUs, each with memory a non-zero multiple of 4 KiB that
 *   domu_ram_layout() accepts, 1..CONFIG_MAX_VCPUS vCPUs, nr_spis at most 988, a kernel
 *   module; every module's index valid and owned by its domU, inside the RAM bank, clear of
 *   the image, the DTB and every other module.
 * - domu_parse_passthrough() on success: counts within bounds, every range 4 KiB aligned and
 *   clear of guest RAM, every INTID an SPI; then domu_build_fdt() writes a valid FDT.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0less.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include "fuzz.h"

#define RAM_START	0x40000000UL
#define RAM_SIZE	0x80000000UL
#define IMAGE_START	0x40200000UL
#define IMAGE_END	0x40400000UL

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static void check_domus(const struct bootinfo *bi)
{
	FUZZ_CHECK(bi->nr_domus <= MAX_DOMUS && bi->nr_modules <= MAX_MODULES);
	for (unsigned int k = 0; k < bi->nr_domus; k++) {
		const struct domu_config *d = &bi->domus[k];
		const int idx[3] = { d->kernel, d->ramdisk, d->dtb };
		struct membank banks[2];

		FUZZ_CHECK(d->mem_size && d->mem_size % 4096 == 0 && domu_ram_layout(d->mem_size, banks) > 0);
		FUZZ_CHECK(d->cpus >= 1 && d->cpus <= CONFIG_MAX_VCPUS && d->nr_spis <= 988);
		FUZZ_CHECK(d->kernel >= 0);
		for (int r = 0; r < 3; r++)
			FUZZ_CHECK(idx[r] < 0 || ((unsigned int)idx[r] < bi->nr_modules &&
						  bi->modules[idx[r]].owner == k + 1));
	}
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		const struct bootmodule *m = &bi->modules[i];

		FUZZ_CHECK(m->owner <= bi->nr_domus && m->size);
		FUZZ_CHECK(m->start >= RAM_START && m->start + m->size <= RAM_START + RAM_SIZE);
		FUZZ_CHECK(!overlap(m->start, m->size, IMAGE_START, IMAGE_END - IMAGE_START));
		FUZZ_CHECK(!overlap(m->start, m->size, bi->dtb, bi->dtb_size));
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(!overlap(m->start, m->size, bi->modules[j].start, bi->modules[j].size));
	}
}

static void check_passthrough(const void *fdt, const struct domu_pt_dev *devs, unsigned int nr,
			      const struct membank *ram, unsigned int nr_ram)
{
	static char out[65536];
	struct domu_fdt_params p = { .nr_ram = nr_ram, .nr_vcpus = 2, .gic_version = 3, .vpl011 = true,
				     .enhanced = XEN_ENHANCED_ENABLED, .partial_fdt = fdt };

	FUZZ_CHECK(nr <= DOMU_MAX_PT_DEVS);
	for (unsigned int i = 0; i < nr; i++) {
		FUZZ_CHECK(devs[i].nr_regs <= DOMU_MAX_PT_REGS && devs[i].nr_irqs <= DOMU_MAX_PT_IRQS);
		FUZZ_CHECK(devs[i].force_assign && devs[i].host_node >= 0);
		for (unsigned int r = 0; r < devs[i].nr_regs; r++) {
			const struct domu_pt_reg *g = &devs[i].regs[r];

			FUZZ_CHECK(g->size && !((g->pa | g->size | g->ipa) % 4096));
			for (unsigned int b = 0; b < nr_ram; b++)
				FUZZ_CHECK(!overlap(g->ipa, g->size, ram[b].start, ram[b].size));
		}
		for (unsigned int q = 0; q < devs[i].nr_irqs; q++)
			FUZZ_CHECK(devs[i].irqs[q] >= 32 && devs[i].irqs[q] < 1020);
	}
	memcpy(p.ram, ram, sizeof(p.ram));
	if (domu_build_fdt(&p, out, sizeof(out)) == 0)
		FUZZ_CHECK(fdt_check_full(out, fdt_totalsize(out)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	static struct domu_pt_dev devs[DOMU_MAX_PT_DEVS];
	const unsigned char *trailer;
	size_t trailer_len;
	void *fdt = fuzz_fdt_input(data, size, &trailer, &trailer_len);
	struct membank ram[2];
	unsigned int nr = 0;
	char msg[200];
	int chosen, nr_ram, err;

	if (!fdt)
		return 0;
	/* What bootinfo_parse() requires before reading a DTB. */
	if (dt_check_tree(fdt, fdt_totalsize(fdt)))	/* the buffer fuzz_fdt_input() made */
		goto out;
	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct membank){ RAM_START, RAM_SIZE };
	bi.nr_mem = 1;
	bi.image_start = IMAGE_START;
	bi.image_end = IMAGE_END;
	bi.dtb = (uintptr_t)fdt;
	bi.dtb_size = fdt_totalsize(fdt);
	bi.modules[0] = (struct bootmodule){ MOD_KERNEL, 0x42000000, 0x2000000, "module@42000000", NULL, 0 };
	bi.nr_modules = 1;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		msg[0] = '\0';
		err = dom0less_parse(&bi, fdt, chosen, msg, sizeof(msg));
		FUZZ_CHECK(err == 0 || err == -EINVAL);
		if (err)
			FUZZ_CHECK(!strncmp(msg, "/chosen/", 8));
		else
			check_domus(&bi);
	}
	nr_ram = domu_ram_layout(256UL << 20, ram);
	if (domu_parse_passthrough(fdt, fdt, ram, nr_ram, "/chosen/domU1/module@d", devs,
				   DOMU_MAX_PT_DEVS, &nr, msg, sizeof(msg)) == 0)
		check_passthrough(fdt, devs, nr, ram, nr_ram);
out:
	free(fdt);
	return 0;
}
