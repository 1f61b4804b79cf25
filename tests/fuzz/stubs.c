// SPDX-License-Identifier: Apache-2.0
/*
 * Host stand-ins for the hypervisor's console and panic() (include/kestrel/lib.h) for the
 * libFuzzer targets. printk() formats its message like the real one (so a bad argument,
 * e.g. a string that is not NUL-terminated, is still read and caught by ASan) and drops
 * it; panic() formats its message into fuzz_panic_msg and longjmp()s back to the target
 * (see tests/fuzz/fuzz.h). Unlike tests/unit/stubs.c there is no cmocka here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <kestrel/lib.h>
#include "fuzz.h"

jmp_buf fuzz_panic_env;
int fuzz_panic_armed;
char fuzz_panic_msg[256];

/* FUZZ_VERBOSE=1 in the environment prints the messages (to see why an input stops). */
static bool verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("FUZZ_VERBOSE") != NULL;
	return v;
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void printk(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (verbose())
		fprintf(stderr, "(K) %s", line);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fuzz_panic_msg, sizeof(fuzz_panic_msg), fmt, ap);
	va_end(ap);
	if (verbose())
		fprintf(stderr, "(K) PANIC: %s\n", fuzz_panic_msg);
	if (!fuzz_panic_armed) {
		fprintf(stderr, "panic() outside FUZZ_CATCH_PANIC(): %s\n", fuzz_panic_msg);
		abort();
	}
	fuzz_panic_armed = 0;
	longjmp(fuzz_panic_env, 1);
}
