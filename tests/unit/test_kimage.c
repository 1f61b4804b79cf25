// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/kimage.c (include/kestrel/kimage.h): kimage_parse() on
 * hand-built arm64 Image headers (Linux Documentation/arch/arm64/booting.rst).
 * Covered: a valid header (text_offset kept, mem_size = max(image_size, file length)),
 * a pre-3.17 header with image_size 0 (text_offset 0x80000, mem_size = length), a
 * gzip-compressed file (rejected with a message that says gzip), a wrong magic, a
 * buffer shorter than the 64-byte header, the big-endian flag, text_offset values
 * at and beyond the 2 MiB limit or not 8-byte aligned, and the file length an EFI-stub
 * Image's PE/COFF section table gives (Microsoft PE format): a whole file, a file cut
 * short inside its sections or its headers, a signature appended, no "PE" signature.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/errno.h>
#include <kestrel/kimage.h>

#define FILE_LEN	0x4000

static uint8_t *image;

static int setup(void **state)
{
	(void)state;
	image = calloc(1, FILE_LEN);
	return image ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(image);
	return 0;
}

/* Write the header fields at their booting.rst offsets, little-endian. */
static void put64(size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		image[off + i] = (uint8_t)(v >> (8 * i));
}

static void make_header(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	image[0] = 0x4d;	/* code0: "MZ" + branch, as real kernels have */
	image[1] = 0x5a;
	put64(8, text_offset);
	put64(16, image_size);
	put64(24, flags);
	memcpy(image + 56, "ARM\x64", 4);
}

/* Parse the first @len bytes from an exactly @len-byte heap copy, so ASan sees over-reads. */
static int parse(size_t len, struct kimage *k, const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, image, len);
	*why = NULL;
	memset(k, 0xee, sizeof(*k));
	ret = kimage_parse(copy, len, k, why);
	free(copy);
	return ret;
}

static void test_header_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct arm64_image_header), 64);
	assert_int_equal(offsetof(struct arm64_image_header, text_offset), 8);
	assert_int_equal(offsetof(struct arm64_image_header, image_size), 16);
	assert_int_equal(offsetof(struct arm64_image_header, flags), 24);
	assert_int_equal(offsetof(struct arm64_image_header, magic), 56);
}

static void test_valid(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0x2000000, 0xa);		/* 4K pages, placement anywhere: LE */
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.text_offset, 0);
	assert_int_equal(k.mem_size, 0x2000000);

	make_header(0x80000, 0x1234000, 0);
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.text_offset, 0x80000);
	assert_int_equal(k.mem_size, 0x1234000);
}

/* image_size smaller than the file (it should not be, but the file must still fit). */
static void test_mem_size_at_least_file_length(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0x1000, 0);
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.mem_size, FILE_LEN);
}

/* Exactly a header's worth of bytes is enough. */
static void test_exactly_64_bytes(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0x10000, 0x800000, 0);
	assert_int_equal(parse(64, &k, &why), 0);
	assert_int_equal(k.text_offset, 0x10000);
	assert_int_equal(k.mem_size, 0x800000);
}

static void test_legacy_image_size_zero(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0, 0);	/* text_offset field ignored: pre-3.17 kernels use 0x80000 */
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.text_offset, 0x80000);
	assert_int_equal(k.mem_size, FILE_LEN);
}

static void test_gzip_rejected(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	image[0] = 0x1f;
	image[1] = 0x8b;
	image[2] = 0x08;
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(why);
	assert_non_null(strstr(why, "gzip"));
}

static void test_wrong_magic(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0x100000, 0);
	image[59] = 0x65;	/* "ARM\x65" */
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(why);
	assert_non_null(strstr(why, "magic"));
	memset(image, 0, FILE_LEN);	/* all zeroes, e.g. an empty file padded by the loader */
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(why);
}

static void test_too_short(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0x100000, 0);
	assert_int_equal(parse(63, &k, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(parse(0, &k, &why), -EINVAL);
	assert_non_null(why);
	/* Too short is reported before the gzip check looks at the bytes. */
	image[0] = 0x1f;
	image[1] = 0x8b;
	assert_int_equal(parse(10, &k, &why), -EINVAL);
	assert_null(strstr(why, "gzip"));
}

static void test_big_endian_rejected(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0, 0x100000, 1);
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(why);
	assert_non_null(strstr(why, "big-endian"));
	make_header(0, 0x100000, 0xb);	/* BE with other flag bits set */
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
}

static void test_text_offset_limits(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_header(0x1ffff8, 0x100000, 0);
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.text_offset, 0x1ffff8);

	make_header(0x200000, 0x100000, 0);
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(why);
	make_header(0x80000000, 0x100000, 0);
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	make_header(0x80004, 0x100000, 0);	/* not 8-byte aligned */
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
}

/*
 * A PE/COFF header at 0x40 (res5) as an EFI-stub kernel has: "PE\0\0", a COFF header
 * with two sections and a 0xa0-byte optional header, then the section table with raw data
 * at [0x1000, 0x2000) and [0x2000, 0x3800): the file is 0x3800 bytes.
 */
#define PE_FILE_END	0x3800

static void put32(size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		image[off + i] = (uint8_t)(v >> (8 * i));
}

static void make_pe_image(void)
{
	size_t sections = 0x40 + 4 + 20 + 0xa0;

	make_header(0, 0x10000, 0xa);
	put32(60, 0x40);			/* res5: offset of the PE header */
	memcpy(image + 0x40, "PE\0\0", 4);
	image[0x44 + 2] = 2;			/* NumberOfSections */
	image[0x44 + 16] = 0xa0;		/* SizeOfOptionalHeader */
	put32(sections + 16, 0x1000);		/* .text: SizeOfRawData */
	put32(sections + 20, 0x1000);		/*        PointerToRawData */
	put32(sections + 40 + 16, 0x1800);	/* .data */
	put32(sections + 40 + 20, 0x2000);
}

static void test_pe_whole_file(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_pe_image();
	assert_int_equal(parse(PE_FILE_END, &k, &why), 0);
	assert_int_equal(k.file_size, PE_FILE_END);
	assert_int_equal(k.mem_size, 0x10000);
	/* An Authenticode signature appended after the sections (Debian's kernels). */
	assert_int_equal(parse(FILE_LEN, &k, &why), 0);
	assert_int_equal(k.file_size, PE_FILE_END);
}

static void test_pe_truncated(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_pe_image();
	/* One byte short of the last section's data: a module whose reg size is too small. */
	assert_int_equal(parse(PE_FILE_END - 1, &k, &why), -EINVAL);
	assert_non_null(strstr(why, "truncated"));
	assert_int_equal(k.file_size, PE_FILE_END);
	assert_int_equal(parse(0x1000, &k, &why), -EINVAL);
	assert_int_equal(k.file_size, PE_FILE_END);
	/* Inside the section table, inside the COFF header, at the PE signature. */
	for (size_t len = 0x40 + 4 + 20 + 0xa0 + 79; len >= 64; len -= len > 0x60 ? 37 : 1) {
		assert_int_equal(parse(len, &k, &why), -EINVAL);
		assert_non_null(strstr(why, "PE/COFF header"));
		assert_int_equal(k.file_size, 0);
	}
}

static void test_pe_header_absent(void **state)
{
	struct kimage k;
	const char *why;

	(void)state;
	make_pe_image();
	image[0x41] = 'X';		/* not "PE\0\0": not a PE image, no length known */
	assert_int_equal(parse(0x1000, &k, &why), 0);
	assert_int_equal(k.file_size, 0);
	make_pe_image();
	image[0] = 0x14;		/* code0 a plain branch (no EFI stub): res5 is not an offset */
	assert_int_equal(parse(0x1000, &k, &why), 0);
	assert_int_equal(k.file_size, 0);
	make_pe_image();
	put32(60, 0xfffffff0);		/* PE header offset far beyond the buffer */
	assert_int_equal(parse(FILE_LEN, &k, &why), -EINVAL);
	assert_non_null(strstr(why, "PE/COFF header"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_size_at_least_file_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exactly_64_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_image_size_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_endian_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_offset_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_whole_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_header_absent, setup, teardown),
	};

	return cmocka_run_group_tests_name("kimage", tests, NULL, NULL);
}
