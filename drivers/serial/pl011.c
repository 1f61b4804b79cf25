// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 UART (the console on QEMU virt). Register offsets and flag bits:
 * Arm PrimeCell UART (PL011) Technical Reference Manual, DDI 0183, section 3.
 * The baud rate is left as firmware (or QEMU) programmed it.
 */
#include <kestrel/serial.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mmio.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_RXFE	(1U << 4)
#define UARTFR_TXFF	(1U << 5)
#define UARTFR_BUSY	(1U << 3)
#define UARTFR_TXFE	(1U << 7)
#define UARTLCR_H	0x2c
#define UARTLCR_H_FEN	(1U << 4)
/* Bytes written per check of an empty transmit FIFO: the smallest PL011 FIFO (r1p4: 16; r1p5: 32). */
#define TX_BURST	16
#define UARTIMSC	0x38
#define UARTICR		0x44
#define UART_RXIM	(1U << 4)
#define UART_RTIM	(1U << 6)

static void pl011_putc(struct serial_port *p, char c)
{
	while (readl(p->base + UARTFR) & UARTFR_TXFF)
		;
	writel((uint8_t)c, p->base + UARTDR);
}

static bool fifo_mode;	/* UARTLCR_H.FEN set by pl011_probe(): the FIFOs are on */

/*
 * Guest console output in bulk: one tight loop, no call per byte. In FIFO mode, once the
 * transmit FIFO is empty (UARTFR.TXFE) TX_BURST bytes go in without a check each (TRM
 * 3.3.3: TXFE, with the FIFO enabled, means the FIFO is empty); else one byte whenever
 * the holding register has room (TXFF clear).
 */
static void pl011_write(struct serial_port *p, const char *buf, size_t len)
{
	uintptr_t fr = p->base + UARTFR, dr = p->base + UARTDR;
	size_t i = 0;

	if (fifo_mode) {
		while (i < len) {
			size_t end = i + MIN(len - i, (size_t)TX_BURST);

			while (!(readl(fr) & UARTFR_TXFE))
				;
			for (; i + 8 <= end; i += 8) {	/* eight bytes a load */
				uint64_t w;

				__builtin_memcpy(&w, buf + i, 8);
				writel(w & 0xff, dr);
				writel((w >> 8) & 0xff, dr);
				writel((w >> 16) & 0xff, dr);
				writel((w >> 24) & 0xff, dr);
				writel((w >> 32) & 0xff, dr);
				writel((w >> 40) & 0xff, dr);
				writel((w >> 48) & 0xff, dr);
				writel(w >> 56, dr);
			}
			for (; i < end; i++)
				writel((uint8_t)buf[i], dr);
		}
		return;
	}
	for (; i < len; i++) {
		while (readl(fr) & UARTFR_TXFF)
			;
		writel((uint8_t)buf[i], dr);
	}
}

static int pl011_getc(struct serial_port *p)
{
	if (readl(p->base + UARTFR) & UARTFR_RXFE)
		return -1;
	return readl(p->base + UARTDR) & 0xff;
}

static void pl011_irq_ack(struct serial_port *p)
{
	writel(UART_RXIM | UART_RTIM, p->base + UARTICR);
}

static struct serial_port pl011_port = {
	.put_char = pl011_putc,
	.write = pl011_write,
	.get_char = pl011_getc,
	.irq_ack = pl011_irq_ack,
};

static int pl011_probe(uintptr_t base, uint64_t size, unsigned int irq)
{
	pl011_port.base = base;
	pl011_port.size = size;
	pl011_port.irq = irq;
	if (irq)
		writel(UART_RXIM | UART_RTIM, base + UARTIMSC);
	/*
	 * FIFO mode (UARTLCR_H.FEN; the baud rate and frame format bits written back as they
	 * are), once what the early console sent has left (UARTFR.BUSY clear). Used only if
	 * the bit reads back set.
	 */
	while (readl(base + UARTFR) & UARTFR_BUSY)
		;
	writel(readl(base + UARTLCR_H) | UARTLCR_H_FEN, base + UARTLCR_H);
	fifo_mode = readl(base + UARTLCR_H) & UARTLCR_H_FEN;
	console_register(&pl011_port);
	return 0;
}

static const char *const pl011_compatibles[] = { "arm,pl011", NULL };

const struct uart_driver pl011_driver = {
	.name = "PL011",
	.compatibles = pl011_compatibles,
	.probe = pl011_probe,
};
