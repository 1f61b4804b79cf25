// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: dom0's device tree, rewritten from the host DTB by dom0_build_fdt()
 * (common/dom0_fdt.c), with struct bootinfo from bootinfo_parse() on the same DTB as at
 * boot. Input: a DTB, then an optional trailer of parameters (fuzz_fdt_input()): byte 0
 * picks dom0's vCPU count (1-4; else one per host CPU, as dom0_vcpus()), byte 1 the output
 * buffer's size (tight, to reach the -FDT_ERR_NOSPACE paths; else the 2 MiB of
 * load_dom0()), bytes 2-17 dom0's RAM bank (start, size; little-endian).
 *
 * Checked besides sanitizer reports: the host DTB is never written; on failure the result
 * is a libfdt error code; on success the output is a valid FDT (fdt_check_full()) within
 * the buffer, with /chosen holding exactly the given bootargs and initrd range and no
 * boot module nodes, exactly one top-level memory node (dom0's bank), no memory
 * reservations, a PSCI 1.0 node by HVC, no more CPUs than vCPUs, no ITS or PMU node, and the
 * /hypervisor node (Linux Documentation/devicetree/bindings/arm/xen.txt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/dom0.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include "fuzz.h"

#define IMAGE_START	0x40200000UL
#define IMAGE_END	0x40400000UL
#define DOM0_FDT_MAX	SZ_2M		/* common/dom0_build.c */

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Nodes other than the root (which dom0_build_fdt() never deletes) matching @compatible. */
static int count_compatible(const void *fdt, const char *compatible)
{
	int n = 0;

	for (int node = fdt_node_offset_by_compatible(fdt, 0, compatible); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, compatible))
		n++;
	return n;
}

static bool prop_is(const void *fdt, int node, const char *name, const void *want, int want_len)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	return p && len == want_len && !memcmp(p, want, (size_t)len);
}

static void check_output(const void *out, uint32_t size, const struct domain *d, const char *bootargs,
			 uint64_t initrd, uint64_t isize)
{
	static const char xen_compat[] = "xen,xen-4.17\0xen,xen";
	int chosen, node, n, cpus;
	fdt64_t be[2] = { cpu_to_fdt64(initrd), cpu_to_fdt64(initrd + isize) };

	FUZZ_CHECK(fdt_totalsize(out) <= size);
	FUZZ_CHECK(fdt_check_full(out, fdt_totalsize(out)) == 0);
	FUZZ_CHECK(fdt_num_mem_rsv(out) == 0);
	chosen = fdt_path_offset(out, "/chosen");
	FUZZ_CHECK(chosen >= 0);
	FUZZ_CHECK(prop_is(out, chosen, "bootargs", bootargs, (int)strlen(bootargs) + 1));
	FUZZ_CHECK(fdt_first_subnode(out, chosen) < 0);
	FUZZ_CHECK(!fdt_getprop(out, chosen, "xen,xen-bootargs", NULL));
	if (isize) {
		FUZZ_CHECK(prop_is(out, chosen, "linux,initrd-start", &be[0], 8));
		FUZZ_CHECK(prop_is(out, chosen, "linux,initrd-end", &be[1], 8));
	} else {
		FUZZ_CHECK(!fdt_getprop(out, chosen, "linux,initrd-start", NULL));
	}
	n = 0;
	fdt_for_each_subnode(node, out, 0) {
		const char *type = fdt_getprop(out, node, "device_type", NULL);

		n += type && !strcmp(type, "memory");
	}
	FUZZ_CHECK(n == 1);
	/* Other nodes may claim PSCI too: harmless, as dom0's SMC #0 reaches Kestrel as well. */
	n = 0;
	for (node = fdt_node_offset_by_compatible(out, -1, "arm,psci-1.0"); node >= 0;
	     node = fdt_node_offset_by_compatible(out, node, "arm,psci-1.0"))
		n += prop_is(out, node, "method", "hvc", 4);
	FUZZ_CHECK(n >= 1);
	FUZZ_CHECK(count_compatible(out, "arm,gic-v3-its") == 0);
	FUZZ_CHECK(count_compatible(out, "arm,armv8-pmuv3") == 0);
	node = fdt_path_offset(out, "/hypervisor");
	FUZZ_CHECK(node >= 0 && prop_is(out, node, "compatible", xen_compat, sizeof(xen_compat)));
	cpus = fdt_path_offset(out, "/cpus");
	n = 0;
	if (cpus >= 0)
		fdt_for_each_subnode(node, out, cpus) {
			const char *type = fdt_getprop(out, node, "device_type", NULL);

			n += type && !strcmp(type, "cpu");
		}
	FUZZ_CHECK((unsigned int)n <= d->max_vcpus);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	static struct domain dom;
	const struct bootmodule *initrd = NULL;
	const unsigned char *trailer;
	size_t trailer_len;
	void *fdt = fuzz_fdt_input(data, size, &trailer, &trailer_len), *pristine, *out;
	uint8_t params[18] = { 0 };
	const char *bootargs;
	uint64_t iaddr = 0, isize = 0;
	uint32_t out_size;
	int err;

	if (!fdt)
		return 0;
	memset(&bi, 0, sizeof(bi));
	FUZZ_ON_PANIC({ free(fdt); return 0; });
	bootinfo_parse(&bi, fdt, IMAGE_START, IMAGE_END);
	bootinfo_check_gic(&bi);
	fuzz_disarm();

	memcpy(params, trailer, MIN(trailer_len, sizeof(params)));
	memset(&dom, 0, sizeof(dom));
	dom.max_vcpus = params[0] % 5 ? params[0] % 5 : MIN(MAX(bi.nr_cpus, 1U), 4U);
	dom.mem[0] = (struct membank){ 0x60000000UL, 0x20000000UL };
	if (trailer_len >= sizeof(params))
		dom.mem[0] = (struct membank){ le64(params + 2), le64(params + 10) };
	dom.nr_mem = 1;
	dom.gnttab_ipa = IMAGE_START;
	for (unsigned int i = 0; i < bi.nr_modules; i++)
		if (!initrd && bi.modules[i].kind == MOD_RAMDISK)
			initrd = &bi.modules[i];
	if (initrd) {
		iaddr = 0x48000000UL;
		isize = initrd->size;
	}
	bootargs = bi.dom0_cmdline ? bi.dom0_cmdline : "";
	out_size = params[1] ? fdt_totalsize(fdt) + 64U * params[1] : DOM0_FDT_MAX;

	pristine = malloc(fdt_totalsize(fdt));
	out = malloc(out_size);
	FUZZ_CHECK(pristine && out);
	memcpy(pristine, fdt, fdt_totalsize(fdt));
	err = dom0_build_fdt(&bi, &dom, out, out_size, bootargs, iaddr, isize);
	FUZZ_CHECK(!memcmp(pristine, fdt, fdt_totalsize(fdt)));
	if (err)
		FUZZ_CHECK(err < 0 && err >= -FDT_ERR_MAX);
	else
		check_output(out, out_size, &dom, bootargs, iaddr, isize);
	free(out);
	free(pristine);
	free(fdt);
	return 0;
}
