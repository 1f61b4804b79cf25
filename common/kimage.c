// SPDX-License-Identifier: Apache-2.0
/* arm64 Image header parsing (see include/kestrel/kimage.h). Portable; unit-tested. */
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>

#define FLAG_BE			(1UL << 0)
#define LEGACY_TEXT_OFFSET	0x80000	/* text_offset of kernels before Linux 3.17 */

int kimage_parse(const void *buf, size_t len, struct kimage *out, const char **why)
{
	struct arm64_image_header h;
	const uint8_t *b = buf;

	if (len < sizeof(h)) {
		*why = "too small to hold an arm64 Image header";
		return -EINVAL;
	}
	if (b[0] == 0x1f && b[1] == 0x8b) {
		*why = "gzip-compressed; decompress it first (zcat vmlinuz > Image)";
		return -EINVAL;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != ARM64_IMAGE_MAGIC) {
		*why = "not an arm64 Image (no \"ARM\\x64\" magic at offset 56)";
		return -EINVAL;
	}
	if (h.flags & FLAG_BE) {
		*why = "a big-endian kernel";
		return -EINVAL;
	}
	if (!h.image_size) {
		out->text_offset = LEGACY_TEXT_OFFSET;
		out->mem_size = len;
	} else {
		out->text_offset = h.text_offset;
		out->mem_size = MAX(h.image_size, (uint64_t)len);
	}
	if (out->text_offset >= SZ_2M || out->text_offset & 7) {
		*why = "text_offset is not below 2 MiB and 8-byte aligned";
		return -EINVAL;
	}
	return 0;
}
