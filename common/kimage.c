// SPDX-License-Identifier: Apache-2.0
/* arm64 Image header parsing (see include/kestrel/kimage.h). Portable; unit-tested. */
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>

#define FLAG_BE			(1UL << 0)
#define LEGACY_TEXT_OFFSET	0x80000	/* text_offset of kernels before Linux 3.17 */
/* PE/COFF (Microsoft "PE Format"): signature, COFF file header and section header sizes. */
#define MZ_MAGIC		0x5a4d		/* "MZ", low half of code0 in an EFI-stub Image */
#define PE_SIGNATURE		0x00004550	/* "PE\0\0" at the offset in res5 */
#define COFF_HEADER_SIZE	20		/* NumberOfSections at +2, SizeOfOptionalHeader at +16 */
#define SECTION_HEADER_SIZE	40		/* SizeOfRawData at +16, PointerToRawData at +20 */
#define PE_TRUNCATED		UINT64_MAX

static uint32_t le16(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/*
 * End of the file data the PE/COFF section table of @b (@len bytes) accounts for: the
 * largest PointerToRawData + SizeOfRawData. Return: that, 0 without a PE header, or
 * PE_TRUNCATED if @len stops inside the headers. Every read is bounded by @len.
 */
static uint64_t pe_file_end(const uint8_t *b, size_t len, const struct arm64_image_header *h)
{
	uint64_t pe = h->res5, sections, end = 0;
	unsigned int nr;

	if ((h->code0 & 0xffff) != MZ_MAGIC || !pe)
		return 0;
	if (pe > len || len - pe < 4 + COFF_HEADER_SIZE)
		return PE_TRUNCATED;
	if (le32(b + pe) != PE_SIGNATURE)
		return 0;
	nr = le16(b + pe + 4 + 2);
	sections = pe + 4 + COFF_HEADER_SIZE + le16(b + pe + 4 + 16);
	if (sections + (uint64_t)nr * SECTION_HEADER_SIZE > len)
		return PE_TRUNCATED;
	for (unsigned int i = 0; i < nr; i++) {
		const uint8_t *sh = b + sections + i * SECTION_HEADER_SIZE;

		end = MAX(end, (uint64_t)le32(sh + 20) + le32(sh + 16));
	}
	return end;
}

int kimage_parse(const void *buf, size_t len, struct kimage *out, const char **why)
{
	struct arm64_image_header h;
	const uint8_t *b = buf;
	uint64_t file_end;

	out->file_size = 0;
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
	file_end = pe_file_end(b, len, &h);
	if (file_end == PE_TRUNCATED) {
		*why = "truncated: it ends inside the Image's PE/COFF header";
		return -EINVAL;
	}
	out->file_size = file_end;
	if (file_end > len) {
		*why = "truncated: shorter than the Image file its PE/COFF header describes";
		return -EINVAL;
	}
	return 0;
}
