// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the hypervisor command-line helpers of common/cmdline.c. Input: a
 * command line (up to its first NUL). Each helper is compared with a reference model
 * written here from its contract in include/kestrel/bootinfo.h and include/kestrel/lib.h:
 * - words are maximal runs of characters other than ' ';
 * - cmdline_get(name) copies the rest of the first word that starts with "name=", cut to
 *   the buffer (NUL-terminated), or returns NULL; cmdline_has(name) is true iff a word is
 *   exactly name. Checked for the option names Kestrel uses and two prefixes of them,
 *   with buffers of 0 to 64 bytes;
 * - parse_ulong() = strtoull() in base 16 after "0x"/"0X" + a hex digit, else base 10,
 *   with no sign or leading space accepted and the end pointer after the last digit;
 *   UINT64_MAX for values beyond it. parse_size() = that shifted by a K/M/G suffix
 *   (either case), UINT64_MAX when it overflows. Both on the whole line and on each
 *   value found.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>
#include "fuzz.h"

static const char *const names[] = { "dom0_mem", "dom0_max_vcpus", "dtuart", "noreboot", "dom0", "d" };
static const unsigned int buf_lens[] = { 0, 1, 2, 5, 32, 64 };

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void check_numbers(const char *s)
{
	const char *end, *ref_end = s;
	unsigned long long ref = 0;
	uint64_t v, sz;
	int base = 10;

	v = parse_ulong(s, &end);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_hex(s[2]))
		base = 16;
	if (base == 16 || (s[0] >= '0' && s[0] <= '9')) {
		char *e;

		errno = 0;
		ref = strtoull(s, &e, base);	/* also ULLONG_MAX on overflow */
		ref_end = e;
	}
	FUZZ_CHECK(end == ref_end && v == ref);

	sz = parse_size(s, &end);
	if (ref_end == s) {
		FUZZ_CHECK(end == s && sz == 0);
		return;
	}
	switch (*ref_end) {
	case 'K': case 'k': ref = ref > UINT64_MAX >> 10 ? UINT64_MAX : ref << 10; ref_end++; break;
	case 'M': case 'm': ref = ref > UINT64_MAX >> 20 ? UINT64_MAX : ref << 20; ref_end++; break;
	case 'G': case 'g': ref = ref > UINT64_MAX >> 30 ? UINT64_MAX : ref << 30; ref_end++; break;
	}
	FUZZ_CHECK(end == ref_end && sz == ref);
}

/* The model: the first word of @cmdline starting with "@name=" (*@vlen: its value's length). */
static const char *ref_get(const char *cmdline, const char *name, size_t *vlen)
{
	size_t n = strlen(name);

	for (const char *w = cmdline; *w; ) {
		size_t len = strcspn(w, " ");

		if (len > n && !strncmp(w, name, n) && w[n] == '=') {
			*vlen = len - n - 1;
			return w + n + 1;
		}
		w += len;
		w += strspn(w, " ");
	}
	return NULL;
}

static bool ref_has(const char *cmdline, const char *name)
{
	size_t n = strlen(name);

	for (const char *w = cmdline + strspn(cmdline, " "); *w; ) {
		size_t len = strcspn(w, " ");

		if (len == n && !strncmp(w, name, n))
			return true;
		w += len;
		w += strspn(w, " ");
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), val[64];

	FUZZ_CHECK(line);
	memcpy(line, data, size);
	line[size] = '\0';
	check_numbers(line);
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		size_t vlen = 0;
		const char *ref = ref_get(line, names[i], &vlen);

		FUZZ_CHECK(cmdline_has(line, names[i]) == ref_has(line, names[i]));
		for (unsigned int j = 0; j < ARRAY_SIZE(buf_lens); j++) {
			unsigned int len = buf_lens[j];
			char *buf = malloc(len ? len : 1);	/* exact size: ASan sees overflows */
			const char *got;

			FUZZ_CHECK(buf);
			got = cmdline_get(line, names[i], buf, len);
			if (!ref || !len) {
				FUZZ_CHECK(got == NULL);
			} else {
				size_t want = vlen < len - 1 ? vlen : len - 1;

				FUZZ_CHECK(got == buf && strlen(buf) == want && !memcmp(buf, ref, want));
			}
			free(buf);
		}
		if (ref && cmdline_get(line, names[i], val, sizeof(val)))
			check_numbers(val);
	}
	free(line);
	return 0;
}
