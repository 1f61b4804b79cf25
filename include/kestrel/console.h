/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_CONSOLE_H
#define KESTREL_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kestrel/spinlock.h>

/**
 * struct serial_port - a UART driver bound to the hypervisor console.
 * @put_char: write one byte, waiting for FIFO space.
 * @write: write @len bytes as they are (guest console output), waiting for FIFO space.
 * @get_char: read one byte; returns -1 when the receive FIFO is empty.
 * @irq_ack: clear the receive interrupt condition after the FIFO was drained.
 * @irq: GIC INTID of the receive interrupt (0 if none).
 */
struct serial_port {
	void (*put_char)(struct serial_port *port, char c);
	void (*write)(struct serial_port *port, const char *buf, size_t len);	/* bytes as they are */
	int (*get_char)(struct serial_port *port);
	void (*irq_ack)(struct serial_port *port);
	uintptr_t base;
	uint64_t size;
	unsigned int irq;
};

#define CONSOLE_LINE_SIZE	256	/* bytes of a domU's console_io line before a forced flush */

/**
 * struct console_line - a domU's console_io output not yet printed (console_guest_write()).
 * @len bytes of @buf; @lock serialises the domain's vCPUs.
 */
struct console_line {
	spinlock_t lock;
	unsigned int len;
	char buf[CONSOLE_LINE_SIZE];
};

/**
 * struct console_capture - where console_capture_begin() sends printk() output.
 * @buf, @size: the buffer and its size in bytes; @len: bytes in it (the caller may start
 *              above 0: output is appended).
 * @dropped:    bytes that did not fit (counted, not stored).
 * @line_start: internal: the next byte starts a line (gets the "(K) " prefix).
 */
struct console_capture {
	char *buf;
	size_t size, len, dropped;
	bool line_start;
};

/**
 * console_capture_begin() - until console_capture_end(), printk() on this pCPU appends its
 * output, "(K) " prefixes included, to @c instead of writing to the UART; other pCPUs print
 * as usual. One capture at a time (the debug keys', common/debug_keys.c); a panic ends it.
 */
void console_capture_begin(struct console_capture *c);

/** console_capture_end() - printk() on this pCPU goes to the UART again. */
void console_capture_end(void);

/** console_register() - route console output to @port (called by the UART driver). */
void console_register(struct serial_port *port);

/** console_write_raw() - write @len bytes of guest output as they are: no prefix, no "\r" added. */
void console_write_raw(const char *buf, size_t len);

/**
 * console_read() - take up to @len bytes of serial input queued for dom0.
 * Return: bytes copied (0 if none queued).
 */
size_t console_read(char *buf, size_t len);

/** console_input_pending() - bytes of serial input waiting for dom0. */
size_t console_input_pending(void);

/** console_rx_irq() - drain the UART into the input ring and notify dom0 (VIRQ_CONSOLE). */
void console_rx_irq(void);

/** console_start_line() - end a half-written line (e.g. a guest's prompt) so what follows starts afresh. */
void console_start_line(void);

/**
 * console_break_lock() - for a panic: take the console over even if it is locked (its
 * holder may have died with it), ending any half-written line.
 */
void console_break_lock(void);

struct domain;

/**
 * console_input() - route @len bytes of serial input to their owner (common/console_router.c):
 * the hypervisor (console_hyp_input()), dom0 (console_queue_dom0() + VIRQ_CONSOLE) or a domU's
 * vpl011 (vpl011_rx()); Ctrl-a three times in a row switches the owner instead.
 */
void console_input(const char *buf, size_t len);

/** console_input_owner() - domain id holding serial input, or DOMID_XEN for the hypervisor. */
uint16_t console_input_owner(void);

/** console_queue_dom0() - queue one input byte for dom0's CONSOLEIO_read. Return: false if dropped. */
bool console_queue_dom0(char c);

/**
 * console_hyp_input() - a byte of serial input while the hypervisor holds it. A weak
 * do-nothing default (host unit tests); common/debug_keys.c defines it: the debug keys.
 */
void console_hyp_input(char c);

/**
 * console_guest_write() - print @len bytes a guest wrote with console_io: dom0's as they
 * are; a domU's held in its struct console_line until a newline (or CONSOLE_LINE_SIZE
 * bytes) and then printed whole with "(dN) " in front, so two domUs' lines never mix
 * (Xen 4.17 xen/drivers/char/console.c guest_console_write() holds a domU's output in a
 * per-domain buffer until a newline).
 */
void console_guest_write(struct domain *d, const char *buf, size_t len);

/** console_guest_flush() - print what @d's console_line holds (domain destruction). */
void console_guest_flush(struct domain *d);

#endif
