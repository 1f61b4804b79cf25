// SPDX-License-Identifier: Apache-2.0
/*
 * memset() and memmove() for Kestrel and the libfdt it links: picolibc's, in the build
 * Kestrel uses, move a byte per loop iteration (about 4 instructions a byte; its fast
 * variants use FP/SIMD registers, which belong to the guests at EL2). These move 64 or 8
 * bytes per step in general registers, as copy_bytes() (kestrel/lib.h) does. Semantics:
 * ISO C 7.24.2.2 and 7.24.6.1. RAM only: the 8-byte accesses may be unaligned (Normal
 * memory, SCTLR_EL2.A clear).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An 8-byte word at any address (RAM: unaligned accesses are fine at EL2). */
typedef uint64_t __attribute__((may_alias, aligned(1))) word_t;

void *memset(void *dst, int c, size_t len)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101UL * (unsigned char)c;

	for (; len >= 64; len -= 64, d += 64) {
		word_t *w = (word_t *)d;

		w[0] = v; w[1] = v; w[2] = v; w[3] = v;
		w[4] = v; w[5] = v; w[6] = v; w[7] = v;
	}
	for (; len >= 8; len -= 8, d += 8)
		*(word_t *)d = v;
	while (len--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memmove(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + len) {		/* forwards is safe */
		for (; len >= 8; len -= 8, d += 8, s += 8)
			*(word_t *)d = *(const word_t *)s;
		while (len--)
			*d++ = *s++;
		return dst;
	}
	d += len;				/* overlapping, destination above: backwards */
	s += len;
	for (; len >= 8; len -= 8) {
		d -= 8;
		s -= 8;
		*(word_t *)d = *(const word_t *)s;
	}
	while (len--)
		*--d = *--s;
	return dst;
}
