// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor console: one UART shared by Kestrel's own messages (prefixed "(K) ")
 * and dom0's console_io output (raw). Serial input is queued for dom0 and signalled
 * with VIRQ_CONSOLE, as Xen does for dom0's hvc0 (Linux drivers/tty/hvc/hvc_xen.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/ratelimit.h>
#include <kestrel/spinlock.h>
#include <kestrel/event.h>

static struct serial_port *port;
static bool at_line_start = true;
static spinlock_t console_lock;
static struct console_capture *capture;	/* printk() of pCPU capture_cpu goes there */
static unsigned int capture_cpu;

#define RX_RING_SIZE 1024	/* bytes; a power of two */
static char rx_ring[RX_RING_SIZE];
static unsigned int rx_head, rx_tail;	/* free-running producer / consumer counters */

void console_register(struct serial_port *p)
{
	port = p;
}

static void put_raw(char c)
{
	if (!port)
		return;
	if (c == '\n')
		port->put_char(port, '\r');
	port->put_char(port, c);
}

void console_write_raw(const char *buf, size_t len)
{
	if (!len)
		return;
	spin_lock(&console_lock);
	if (port) {
		port->write(port, buf, len);	/* guests send their own "\r\n" */
		at_line_start = buf[len - 1] == '\n';
	}
	spin_unlock(&console_lock);
}

static int printk_put(char c, FILE *f)
{
	(void)f;
	if (at_line_start) {
		put_raw('(');
		put_raw('K');
		put_raw(')');
		put_raw(' ');
	}
	put_raw(c);
	at_line_start = c == '\n';
	return (unsigned char)c;
}

void console_break_lock(void)
{
	__atomic_store_n(&capture, NULL, __ATOMIC_RELEASE);	/* a panic report goes to the UART */
	spin_unlock(&console_lock);
	if (!at_line_start)
		put_raw('\n');
	at_line_start = true;
}

void console_start_line(void)
{
	spin_lock(&console_lock);
	if (!at_line_start)
		put_raw('\n');
	at_line_start = true;
	spin_unlock(&console_lock);
}

/* picolibc's integer-only formatter; its FP-capable and TLS-using siblings are not linked. */
int __i_vfprintf(FILE *stream, const char *fmt, va_list ap);

struct capture_file {
	FILE file;
	struct console_capture *c;
};

/* A byte of captured printk() output, with the "(K) " prefix and "\r\n" the UART path adds. */
static int capture_put(char c, FILE *f)
{
	struct console_capture *cap = ((struct capture_file *)f)->c;
	char bytes[6];
	size_t n = 0;

	if (cap->line_start)
		for (const char *p = "(K) "; *p; p++)
			bytes[n++] = *p;
	if (c == '\n')
		bytes[n++] = '\r';
	bytes[n++] = c;
	if (cap->len + n > cap->size) {
		cap->dropped += n;
		return (unsigned char)c;
	}
	memcpy(cap->buf + cap->len, bytes, n);
	cap->len += n;
	cap->line_start = c == '\n';
	return (unsigned char)c;
}

void console_capture_begin(struct console_capture *c)
{
	c->line_start = true;
	capture_cpu = smp_processor_id();
	__atomic_store_n(&capture, c, __ATOMIC_RELEASE);
}

void console_capture_end(void)
{
	__atomic_store_n(&capture, NULL, __ATOMIC_RELEASE);
}

void printk(const char *fmt, ...)
{
	FILE out = FDEV_SETUP_STREAM(printk_put, NULL, NULL, _FDEV_SETUP_WRITE);
	struct console_capture *cap = __atomic_load_n(&capture, __ATOMIC_ACQUIRE);
	va_list ap;

	if (unlikely(cap) && capture_cpu == smp_processor_id()) {
		struct capture_file cf = { FDEV_SETUP_STREAM(capture_put, NULL, NULL, _FDEV_SETUP_WRITE), cap };

		va_start(ap, fmt);
		__i_vfprintf(&cf.file, fmt, ap);
		va_end(ap);
		return;
	}
	spin_lock(&console_lock);
	va_start(ap, fmt);
	__i_vfprintf(&out, fmt, ap);
	va_end(ap);
	spin_unlock(&console_lock);
}

static void put_fmt(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	__i_vfprintf(out, fmt, ap);
	va_end(ap);
}

void gprintk_ratelimited(const char *fmt, ...)
{
	struct vcpu *v = current;
	FILE out = FDEV_SETUP_STREAM(printk_put, NULL, NULL, _FDEV_SETUP_WRITE);
	unsigned int missed;
	va_list ap;

	if (!ratelimit_take(&v->domain->log_limit, read_sysreg(cntpct_el0), read_sysreg(cntfrq_el0),
			    &missed))
		return;
	if (missed)
		printk("d%u: %u guest-triggered messages suppressed\n", v->domain->domain_id, missed);
	spin_lock(&console_lock);
	put_fmt(&out, "d%u v%u: ", v->domain->domain_id, v->vcpu_id);
	va_start(ap, fmt);
	__i_vfprintf(&out, fmt, ap);
	va_end(ap);
	spin_unlock(&console_lock);
}

struct strbuf {
	FILE file;
	char *buf;
	size_t size, len;
};

static int strbuf_put(char c, FILE *f)
{
	struct strbuf *s = (struct strbuf *)f;

	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
	return (unsigned char)c;
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct strbuf s = { .file = FDEV_SETUP_STREAM(strbuf_put, NULL, NULL, _FDEV_SETUP_WRITE),
			    .buf = buf, .size = size };

	__i_vfprintf(&s.file, fmt, ap);
	if (size)
		buf[MIN(s.len, size - 1)] = '\0';
	return (int)s.len;
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t console_input_pending(void)
{
	return rx_head - rx_tail;
}

size_t console_read(char *buf, size_t len)
{
	size_t n = 0;

	spin_lock(&console_lock);
	while (n < len && rx_tail != rx_head)
		buf[n++] = rx_ring[rx_tail++ % RX_RING_SIZE];
	spin_unlock(&console_lock);
	return n;
}

bool console_queue_dom0(char c)
{
	bool ok;

	spin_lock(&console_lock);
	ok = rx_head - rx_tail < RX_RING_SIZE;	/* full: drop, as a UART overrun would */
	if (ok)
		rx_ring[rx_head++ % RX_RING_SIZE] = c;
	spin_unlock(&console_lock);
	return ok;
}

void console_rx_irq(void)
{
	char buf[64];
	size_t n;
	int c;

	if (!port)
		return;
	/*
	 * Clear the interrupt before draining: a byte arriving during the drain then
	 * raises it again. (Clearing after would lose it: a PL011 signals only when its
	 * receive FIFO goes from empty to non-empty.) The router (console_input()) takes
	 * the bytes with the console lock dropped: it prints when the owner changes.
	 */
	spin_lock(&console_lock);
	if (port->irq_ack)
		port->irq_ack(port);
	spin_unlock(&console_lock);
	do {
		spin_lock(&console_lock);
		for (n = 0; n < sizeof(buf) && (c = port->get_char(port)) >= 0; n++)
			buf[n] = (char)c;
		spin_unlock(&console_lock);
		console_input(buf, n);
	} while (n == sizeof(buf));
}
