// SPDX-License-Identifier: Apache-2.0
/*
 * ktest guest runtime: hypercall and PSCI calls, a small printf that sends each
 * line to the hypervisor console with one console_io hypercall, the few string
 * functions the compiler may call, and the fatal-exception report.
 */
#include "ktest.h"

_Static_assert(__builtin_offsetof(struct trap_log, esr) == TRAP_LOG_ESR, "trap_log");
_Static_assert(__builtin_offsetof(struct trap_log, elr) == TRAP_LOG_ELR, "trap_log");
_Static_assert(__builtin_offsetof(struct trap_log, far) == TRAP_LOG_FAR, "trap_log");
_Static_assert(__builtin_offsetof(struct trap_log, count) == TRAP_LOG_COUNT, "trap_log");
_Static_assert(__builtin_offsetof(struct trap_log, armed) == TRAP_LOG_ARMED, "trap_log");

volatile struct trap_log trap_log;

/* Xen hypercall: number in x16, arguments in x0..x2, result in x0; x1..x4 and x16 clobbered. */
long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x16 __asm__("x16") = nr;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16)
			 : : "x3", "x4", "memory");
	return (long)x0;
}

/* SMCCC 1.1 call through HVC #0: function ID in w0, result in x0, x1..x3 clobbered. */
uint64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

long console_write(const void *buf, unsigned int len)
{
	return hypercall(HC_CONSOLE_IO, CONSOLEIO_WRITE, len, (uint64_t)(uintptr_t)buf);
}

_Noreturn void system_off(void)
{
	psci_call(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);
	kprintf("KTEST FATAL PSCI SYSTEM_OFF returned\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}

void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *p = d;	/* volatile: not turned back into a memset call */

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

struct outbuf {
	char *buf;
	size_t size, len;
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct outbuf *o, uint64_t v, unsigned int base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (int i = n; i < width; i++)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng = *fmt++ == 'z' ? 2 : lng + 1;
		switch (*fmt) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
			put_num(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int),
				*fmt == 'u' ? 10 : 16, 0, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			for (s = s ? s : "(null)"; *s; s++)
				put(&o, *s);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			if (!*fmt)
				goto out;
			put(&o, *fmt);
		}
	}
out:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Output kept in RAM while the console cannot be reached (console_io failing for a
 * guest with its MMU off), written out by console_flush_buffer() later.
 */
static char log_buf[16384];
static size_t log_len;
static int log_buffered;
const char *ktest_prefix = "";

void console_set_buffered(int on)
{
	log_buffered = on;
}

int console_is_buffered(void)
{
	return log_buffered;
}

long console_flush_buffer(void)
{
	long ret = 0;

	log_buffered = 0;
	if (log_len)
		ret = console_write(log_buf, log_len);
	log_len = 0;
	return ret;
}

/* Print through console_io; "\n" becomes "\r\n" as on a terminal. */
static void vkprintf(const char *fmt, va_list ap)
{
	char line[256], out[512];
	unsigned int n = 0;

	kvsnprintf(line, sizeof(line), fmt, ap);
	for (const char *s = line; *s; s++) {
		if (*s == '\n')
			out[n++] = '\r';
		out[n++] = *s;
	}
	if (!log_buffered) {
		console_write(out, n);
		return;
	}
	if (n > sizeof(log_buf) - log_len)
		n = sizeof(log_buf) - log_len;
	memcpy(log_buf + log_len, out, n);
	log_len += n;
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

/* "KTEST <prefix><name> PASS" or "KTEST <prefix><name> FAIL <details>". */
void ktest_result(const char *name, int pass, const char *fmt, ...)
{
	char details[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(details, sizeof(details), fmt, ap);
	va_end(ap);
	if (pass)
		kprintf("KTEST %s%s PASS\n", ktest_prefix, name);
	else
		kprintf("KTEST %s%s FAIL %s\n", ktest_prefix, name, details[0] ? details : "(no details)");
}

/* From vectors.S: an exception no check expected. */
_Noreturn void ktest_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	trap_log.armed = 0;
	if (console_is_buffered()) {	/* get what we have out: the console needs the MMU */
		mmu_enable_identity(ktest_load_addr);
		console_flush_buffer();
	}
	kprintf("KTEST FATAL unexpected exception: vector 0x%lx ESR 0x%lx (EC 0x%lx) ELR 0x%lx FAR 0x%lx\n",
		vector, esr, (esr >> 26) & 0x3f, elr, far);
	system_off();
}
