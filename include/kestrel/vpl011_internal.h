/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_VPL011_INTERNAL_H
#define KESTREL_VPL011_INTERNAL_H
/* vpl011 state and its links to the console router and the vGIC (common/vpl011.c). */
#include <stdbool.h>
#include <stddef.h>
#include <kestrel/mmio.h>
#include <kestrel/spinlock.h>

struct domain;

/* Receive FIFO bytes: deeper than the PL011's 32 (DDI 0183 2.4), so a pasted line is not cut. */
#define VPL011_FIFO_SIZE	256
#define VPL011_LINE_SIZE	128	/* bytes of transmit line buffer before a forced flush */

/**
 * struct vpl011 - one domain's UART, in its own mm_alloc_page() page.
 * @rx: receive FIFO, @rx_count bytes from @rx_head (wrapping). @rsr: UARTRSR (OE only).
 * @imsc, @ris: UARTIMSC and UARTRIS. @line: guest output not yet printed (@line_len bytes).
 * @line_start: the console_guest_write() of this domain ended its last write with a newline.
 */
struct vpl011 {
	spinlock_t lock;
	struct domain *domain;
	char rx[VPL011_FIFO_SIZE];
	unsigned int rx_head, rx_count;
	uint32_t rsr, imsc, ris;
	char line[VPL011_LINE_SIZE];
	unsigned int line_len;
	bool line_start;
};

extern const struct mmio_ops vpl011_ops;

/**
 * vpl011_set_irq_level() - drive @d's GUEST_VPL011_SPI line: @level true makes it pending
 * (again, if the guest already took it), false withdraws a pending one. Arch glue
 * (arch/arm64/vpl011-irq.c). Called with the vpl011 lock held; takes the vGIC lock.
 */
void vpl011_set_irq_level(struct domain *d, bool level);

/**
 * console_vpl011_write() - print @len bytes of @d's vpl011 output: as they are while @d
 * holds serial input, else with "(dN) " at each line start (common/console_router.c).
 */
void console_vpl011_write(struct domain *d, const char *buf, size_t len);

/** console_router_domain_gone() - @d loses its vpl011: if it held serial input, pass it on. */
void console_router_domain_gone(struct domain *d);
#endif
