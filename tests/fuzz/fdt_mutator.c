// SPDX-License-Identifier: Apache-2.0
/*
 * Structure-aware libFuzzer mutator for the targets whose input is a device tree blob
 * (fuzz_bootinfo, fuzz_dom0_fdt), plus fuzz_fdt_input() (tests/fuzz/fuzz.h).
 *
 * Byte-level mutation of a DTB almost always breaks the structure block, and
 * bootinfo_parse() then stops at fdt_check_full(): the parsers behind it would hardly be
 * reached. And libfdt here is the host's uninstrumented libfdt1, so libFuzzer gets no
 * coverage signal from inside it to climb back. So most mutations here edit the tree
 * through libfdt (the DTB stays valid): change a property's value with libFuzzer's own
 * byte mutator, set a property the parsers read to a value of interest, add or delete a
 * node or property. The rest are plain LLVMFuzzerMutate() calls on the whole input (which
 * keeps fdt_check_header()/fdt_check_full() fuzzed too) or on the trailer after the tree.
 * The property and node names, strings and cells below are the ones common/bootinfo.c,
 * common/dom0_fdt.c and common/dom0_build.c look for.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include "fuzz.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#define SLACK		1024	/* room for what one mutation adds to the tree */
#define MAX_VALUE	256	/* largest property value a mutation writes */

static const char *const prop_names[] = {
	"reg", "#address-cells", "#size-cells", "interrupts", "compatible", "device_type",
	"bootargs", "xen,xen-bootargs", "xen,dom0-bootargs", "stdout-path", "linux,stdout-path",
	"method", "status", "ranges", "phandle", "interrupt-parent", "msi-parent", "msi-map",
	"serial0",
};

/* Values as they appear in properties, NUL included; "\0" inside separates a string list. */
static const struct { const char *s; size_t len; } strings[] = {
#define S(x) { x, sizeof(x) }
	S("memory"), S("cpu"), S("pci"), S("okay"), S("disabled"), S("hvc"), S("smc"),
	S("multiboot,module"), S("multiboot,kernel\0multiboot,module"),
	S("multiboot,ramdisk\0multiboot,module"), S("multiboot,kernel"), S("multiboot,ramdisk"),
	S("arm,gic-v3"), S("arm,gic-v3-its"), S("arm,psci-0.2"), S("arm,psci"),
	S("arm,armv8-timer"), S("arm,armv8-pmuv3"), S("arm,pl011\0arm,primecell"),
	S("/pl011@9000000"), S("/pl011@9000000:115200n8"), S("serial0"), S("/chosen"), S("/"),
	S("dom0_mem=512M"), S("dom0_mem=1G dtuart=serial0"), S("dom0_mem=0x7fffffffffffffffG"),
	S("dom0_mem=2M"), S("dom0_max_vcpus=2"), S("dom0_max_vcpus=0"), S("dtuart=/pl011@9000000"),
	S("dtuart=serial0"), S("noreboot"), S("console=hvc0 earlycon=xenboot"), S(""),
#undef S
};

static const char *const node_names[] = {
	"module@0", "module@47000000", "memory@0", "cpu@2", "chosen", "cpus", "cpu-map",
	"intc@8000000", "its@8080000", "timer", "psci", "aliases", "pl011@9000000",
	"reserved-memory", "pcie@0", "hypervisor",
};

static const uint32_t cells[] = {
	0, 1, 2, 3, 4, 8, 15, 16, 25, 31, 32, 987, 988, 1019, 1020, 0x1000, 0x10000, 0x20000,
	0x200000, 0x40000000, 0x47000000, 0x7fffffff, 0x80000000, 0xfffff000, 0xffffffff,
};

/* xorshift64*, seeded from libFuzzer's seed: reproducible with -seed. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return n ? (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n : 0;
}

#define PICK(a)	((a)[rnd(ARRAY_LEN(a))])
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

void *fuzz_fdt_input(const unsigned char *data, size_t size, const unsigned char **trailer,
		     size_t *trailer_len)
{
	size_t total;
	void *fdt;

	if (size < sizeof(struct fdt_header))
		return NULL;
	total = fdt_totalsize(data);
	if (total < sizeof(struct fdt_header) || total > size)
		return NULL;
	fdt = malloc(total);
	if (!fdt)
		return NULL;
	memcpy(fdt, data, total);
	*trailer = data + total;
	*trailer_len = size - total;
	return fdt;
}

static int pick_node(const void *fdt)
{
	int n = 0, node, depth = 0, want;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth))
		n++;
	want = (int)rnd((uint32_t)n);
	depth = 0;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0 && want--; node = fdt_next_node(fdt, node, &depth))
		;
	return node >= 0 ? node : 0;
}

/* The name of a random property of @node copied into @name (@len bytes), or 0 if it has none. */
static int pick_prop(const void *fdt, int node, char *name, size_t len)
{
	int n = 0, prop, want;
	const char *s;

	fdt_for_each_property_offset(prop, fdt, node)
		n++;
	if (!n)
		return 0;
	want = (int)rnd((uint32_t)n);
	fdt_for_each_property_offset(prop, fdt, node)
		if (!want--)
			break;
	if (!fdt_getprop_by_offset(fdt, prop, &s, NULL) || !s || strlen(s) >= len)
		return 0;
	strcpy(name, s);
	return 1;
}

/* One libfdt edit of @fdt (an open tree with SLACK spare bytes). Return: a libfdt status. */
static int edit_tree(void *fdt)
{
	uint8_t value[MAX_VALUE];
	char name[128];
	int node = pick_node(fdt), len;
	const void *old;

	switch (rnd(8)) {
	case 0:	case 1:	/* byte-mutate an existing property's value */
		if (!pick_prop(fdt, node, name, sizeof(name)))
			return -FDT_ERR_NOTFOUND;
		old = fdt_getprop(fdt, node, name, &len);
		if (!old || len < 0 || len > MAX_VALUE / 2)	/* libfdt 1.6.1 can give -1 */
			return -FDT_ERR_NOTFOUND;
		memcpy(value, old, (size_t)len);
		len = (int)LLVMFuzzerMutate(value, (size_t)len, MAX_VALUE);
		return fdt_setprop(fdt, node, name, value, len);
	case 2: {	/* a known property set to a known string */
		size_t i = rnd(ARRAY_LEN(strings));

		return fdt_setprop(fdt, node, PICK(prop_names), strings[i].s, (int)strings[i].len);
	}
	case 3: {	/* a known property set to 0-8 cells of interest */
		uint32_t n = rnd(9);

		for (uint32_t i = 0; i < n; i++) {
			fdt32_t c = cpu_to_fdt32(rnd(4) ? PICK(cells) : (uint32_t)rnd(~0U));

			memcpy(value + 4 * i, &c, 4);
		}
		return fdt_setprop(fdt, node, PICK(prop_names), value, (int)(4 * n));
	}
	case 4:	/* a property of 0-3 random bytes: shorter than any cell */
		len = (int)rnd(4);
		for (int i = 0; i < len; i++)
			value[i] = (uint8_t)rnd(256);
		return fdt_setprop(fdt, node, PICK(prop_names), value, len);
	case 5:
		return fdt_add_subnode(fdt, node, PICK(node_names));
	case 6:
		if (!pick_prop(fdt, node, name, sizeof(name)))
			return -FDT_ERR_NOTFOUND;
		return fdt_delprop(fdt, node, name);
	default:
		return node > 0 ? fdt_del_node(fdt, node) : -FDT_ERR_NOTFOUND;
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	const unsigned char *trailer;
	size_t trailer_len, total, out;
	void *tree = NULL, *work = NULL, *tail = NULL;
	int done = 0;

	rng_state = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + 1;
	tree = fuzz_fdt_input(data, size, &trailer, &trailer_len);
	/* dt_check_tree(): libfdt 1.6.1's fdt_check_full() can crash or loop on some trees. */
	if (!tree || rnd(8) == 0 || dt_check_tree(tree, fdt_totalsize(tree)))
		goto bytes;
	total = fdt_totalsize(tree);
	if (rnd(8) == 0) {	/* the trailer only */
		free(tree);
		return total + LLVMFuzzerMutate(data + total, trailer_len, max_size - total);
	}
	work = malloc(total + SLACK);
	tail = malloc(trailer_len + 1);
	if (!work || !tail || fdt_open_into(tree, work, (int)(total + SLACK)))
		goto bytes;
	memcpy(tail, trailer, trailer_len);
	/* One to three edits; a failed edit (no such property, no room) leaves the tree valid. */
	for (int n = 1 + (int)rnd(3); n > 0; n--)
		done += edit_tree(work) >= 0;
	if (!done || fdt_pack(work) || fdt_totalsize(work) + trailer_len > max_size)
		goto bytes;
	out = fdt_totalsize(work);
	memcpy(data, work, out);
	memcpy(data + out, tail, trailer_len);
	free(tree);
	free(work);
	free(tail);
	return out + trailer_len;
bytes:
	free(tree);
	free(work);
	free(tail);
	return LLVMFuzzerMutate(data, size, max_size);
}
