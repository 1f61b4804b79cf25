// SPDX-License-Identifier: Apache-2.0
/*
 * Host stand-ins for the hypervisor's console and panic (include/kestrel/lib.h), linked
 * into every unit-test binary: snprintk()/vsnprintk() forward to the host's vsnprintf(),
 * printk() prints to stderr, and panic() fails the running cmocka test with its message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/lib.h>

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
	va_list ap;

	va_start(ap, fmt);
	fputs("(K) ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("code under test called panic(\"%s\")", msg);
	abort();	/* _fail() longjmps out of the test; not reached */
}
