// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the arm64 Image header of dom0's kernel, kimage_parse()
 * (common/kimage.c), and where load_dom0() then puts the kernel, dom0_place()
 * (common/dom0_mem.c). Input: the first bytes of a kernel module; the module is taken to
 * be exactly that long. Checked against Linux Documentation/arch/arm64/booting.rst
 * section 4 (fields little-endian: text_offset at 8, image_size at 16, flags at 24, magic
 * "ARM\x64" at 56): success only for the magic and a little-endian kernel, text_offset
 * below 2 MiB and 8-byte aligned, mem_size = max(image_size, length) or, for
 * image_size 0, the length with text_offset 0x80000; failure always -EINVAL with a
 * message. Then, in a 512 MiB bank, the kernel's mem_size bytes, a 16 MiB initrd and the
 * 2 MiB DTB must lie inside the bank without overlapping, or dom0_place() must refuse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kestrel/dom0.h>
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>
#include "fuzz.h"

typedef unsigned __int128 u128;

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool inside(uint64_t a, uint64_t s, const struct membank *b)
{
	return a >= b->start && (u128)a + s <= (u128)b->start + b->size;
}

static bool disjoint(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return !as || !bs || (u128)a + as <= b || (u128)b + bs <= a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct membank bank = { 0x60000000UL, 0x20000000UL };
	const uint64_t isize = 0x1000000, fsize = SZ_2M;
	uint8_t *buf = malloc(size ? size : 1);	/* exact length: ASan sees any over-read */
	const char *why = NULL;
	struct dom0_layout at;
	struct kimage ki;
	int err;

	FUZZ_CHECK(buf);
	memcpy(buf, data, size);
	err = kimage_parse(buf, size, &ki, &why);
	if (err) {
		FUZZ_CHECK(err == -EINVAL && why && *why);
		free(buf);
		return 0;
	}
	FUZZ_CHECK(size >= 64 && !memcmp(data + 56, "ARM\x64", 4) && !(data[24] & 1));
	FUZZ_CHECK(!(data[0] == 0x1f && data[1] == 0x8b));
	FUZZ_CHECK(ki.text_offset < SZ_2M && !(ki.text_offset & 7));
	if (le64(data + 16) == 0)
		FUZZ_CHECK(ki.text_offset == 0x80000 && ki.mem_size == size);
	else
		FUZZ_CHECK(ki.text_offset == le64(data + 8) && ki.mem_size == MAX(le64(data + 16), (uint64_t)size));
	free(buf);

	if (dom0_place(&bank, &ki, isize, fsize, &at))
		return 0;	/* load_dom0() panics: dom0_mem too small */
	FUZZ_CHECK(at.kernel == bank.start + ki.text_offset);
	FUZZ_CHECK(inside(at.kernel, ki.mem_size, &bank) && inside(at.initrd, isize, &bank) &&
		   inside(at.fdt, fsize, &bank));
	FUZZ_CHECK(disjoint(at.kernel, ki.mem_size, at.initrd, isize));
	FUZZ_CHECK(disjoint(at.kernel, ki.mem_size, at.fdt, fsize));
	FUZZ_CHECK(disjoint(at.initrd, isize, at.fdt, fsize));
	FUZZ_CHECK(!(at.initrd & (SZ_2M - 1)) && !(at.fdt & (SZ_2M - 1)));
	return 0;
}
