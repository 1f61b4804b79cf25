/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_LIB_H
#define KESTREL_LIB_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
/* The structure of type @type whose member @member is at @p. */
#define container_of(p, type, member)	((type *)((char *)(p) - offsetof(type, member)))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define SZ_4K			0x1000UL
#define SZ_64K			0x10000UL
#define SZ_2M			0x200000UL
#define SZ_1G			0x40000000UL

/* Code and data used only before the first guest instruction (see kestrel.lds). */
#define __init			__attribute__((section(".init.text")))
#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/**
 * copy_bytes() - memcpy() for hot and bulk copies between non-overlapping RAM buffers.
 * picolibc's memcpy in the build Kestrel links copies a byte per loop iteration (5
 * instructions a byte), and its fast variant uses FP/SIMD registers, which belong to
 * the guests at EL2. Fixed-size chunks, which GCC expands inline into general-register
 * loads and stores, copy 64 bytes in about 10 instructions. RAM only: the 8-byte
 * accesses may be unaligned (Normal memory, SCTLR_EL2.A clear).
 */
static inline void copy_bytes(void *dst, const void *src, size_t len)
{
	char *d = dst;
	const char *s = src;

	for (; len >= 64; len -= 64, d += 64, s += 64)
		__builtin_memcpy(d, s, 64);
	for (; len >= 8; len -= 8, d += 8, s += 8)
		__builtin_memcpy(d, s, 8);
	while (len--)
		*d++ = *s++;
}

/**
 * printk() - print a hypervisor message on the console, each line prefixed "(K) ".
 * Integer-only formatting (picolibc __i_vfprintf): no FP/SIMD, no TLS.
 */
void printk(const char *fmt, ...) __printf(1, 2);

/**
 * snprintk() - format into @buf (at most @size bytes including the NUL).
 * Return: the length the full output would have had, as snprintf().
 */
int snprintk(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/** vsnprintk() - snprintk() with a va_list. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);

/**
 * panic() - print the message and a backtrace, then "PANIC: <message>", and stop the
 * machine (reset, or halt with noreboot). Source: common/panic.c.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/**
 * panic_enter() - start reporting a fatal error on this pCPU: waits for ever if another
 * pCPU is already reporting one, takes the console over on the first call.
 * Return: the nesting depth on this pCPU (1 for the first report, 2 for a fault while
 * reporting it, ...).
 */
unsigned int panic_enter(void);

/** panic_report() - print "PANIC: @msg" and panic_stop(). After panic_enter(). */
void panic_report(const char *msg) __noreturn;

/** panic_stop() - reset the machine through the host's PSCI, or halt with "noreboot". */
void panic_stop(void) __noreturn;

/**
 * parse_size() - parse "<number>[K|M|G]" (decimal or 0x hex) as in dom0_mem=512M.
 * @end: receives the first character after the number and suffix.
 * Return: the size in bytes (saturating at UINT64_MAX); *end == s if no digits were found.
 */
uint64_t parse_size(const char *s, const char **end);

/**
 * parse_ulong() - parse decimal or 0x-hex digits; *end == s if there were none.
 * A value above UINT64_MAX saturates to UINT64_MAX.
 */
uint64_t parse_ulong(const char *s, const char **end);

#endif
