/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the libFuzzer targets in tests/fuzz (built for the host by tests/fuzz/fuzz.mk).
 * The code under test is Kestrel's own boot-time C, unchanged; tests/fuzz/stubs.c stands
 * in for the console and panic(). A panic() on bad input is the designed outcome (Kestrel
 * stops at boot naming the problem), so the stub returns to the target through
 * FUZZ_CATCH_PANIC() instead of stopping the fuzzer. What is a finding: a sanitizer report
 * (ASan, UBSan), a crash, a hang, or a broken invariant checked with FUZZ_CHECK().
 */
#ifndef KESTREL_FUZZ_H
#define KESTREL_FUZZ_H
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

/** fuzz_panic_env - where the stub panic() longjmp()s to; armed by FUZZ_CATCH_PANIC(). */
extern jmp_buf fuzz_panic_env;
/** fuzz_panic_armed - nonzero while a FUZZ_CATCH_PANIC() region runs. */
extern int fuzz_panic_armed;
/** fuzz_panic_msg - the message of the last panic(), formatted as the hypervisor would. */
extern char fuzz_panic_msg[256];

/*
 * FUZZ_ON_PANIC(stmt) - from here until fuzz_disarm(), a panic() in the code under test
 * returns here and runs @stmt (e.g. `return 0`). Objects changed after this point and
 * read by @stmt must be volatile (C11 7.13.2.1). A panic() outside such a region aborts:
 * it is a finding.
 */
#define FUZZ_ON_PANIC(stmt)						\
	do {								\
		fuzz_panic_armed = 1;					\
		if (setjmp(fuzz_panic_env)) {				\
			stmt;						\
		}							\
	} while (0)

static inline void fuzz_disarm(void)
{
	fuzz_panic_armed = 0;
}

/* FUZZ_CHECK() - abort with the failed condition (libFuzzer saves the input as a crash). */
#define FUZZ_CHECK(cond)								\
	do {										\
		if (!(cond)) {								\
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);	\
			abort();							\
		}									\
	} while (0)

/*
 * fuzz_fdt_input() - split a DTB target's input: a flattened device tree, then a trailer
 * (target-defined bytes). Returns a malloc()ed copy of exactly fdt_totalsize() bytes, so
 * ASan reports any read past the tree, and sets @trailer and @trailer_len; NULL if the
 * input is too short to hold its own header's totalsize (at boot the DTB's size is only
 * known from that header, so the whole blob is present by definition).
 */
void *fuzz_fdt_input(const unsigned char *data, size_t size, const unsigned char **trailer,
		     size_t *trailer_len);
#endif
