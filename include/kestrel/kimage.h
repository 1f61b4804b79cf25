/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_KIMAGE_H
#define KESTREL_KIMAGE_H
/*
 * The arm64 Linux Image header (64 bytes at offset 0).
 * Source: Linux Documentation/arch/arm64/booting.rst, section 4 "Call the kernel image".
 */
#include <stdint.h>
#include <stddef.h>

#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64", little-endian */

struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;	/* bytes from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes to reserve, BSS included (0: pre-3.17 kernel) */
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

/**
 * struct kimage - where and how much of an Image to place.
 * @text_offset: load offset from a 2 MiB aligned base, bytes.
 * @mem_size:    bytes the kernel needs from its load address (image_size, or the file size).
 * @file_size:   bytes of the Image file, by its PE/COFF section table (the end of the
 *               last section's raw data; an appended signature is not counted), or 0 if
 *               the Image has no PE/COFF header (a kernel without the EFI stub).
 */
struct kimage {
	uint64_t text_offset;
	uint64_t mem_size;
	uint64_t file_size;
};

/**
 * kimage_parse() - check that @buf (@len bytes) is a whole arm64 Image and read its
 * placement. An EFI-stub kernel (code0 "MZ", booting.rst) is a PE/COFF image whose
 * header offset is res5; its section table (Microsoft PE format: COFF file header,
 * section table) tells the file's length, so a @len cut short is detected.
 * @why: on failure, set to a message naming the problem.
 * Return: 0, or -EINVAL (too short, gzip-compressed, wrong magic, big-endian, bad
 * text_offset, or shorter than its PE/COFF header says: then @out->file_size is set).
 */
int kimage_parse(const void *buf, size_t len, struct kimage *out, const char **why);
#endif
