// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 UART (the console on QEMU virt). Register offsets and flag bits:
 * Arm PrimeCell UART (PL011) Technical Reference Manual, DDI 0183, section 3.
 * The baud rate is left as firmware (or QEMU) programmed it.
 */
#include <kestrel/serial.h>
#include <kestrel/errno.h>
#include <kestrel/mmio.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_RXFE	(1U << 4)
#define UARTFR_TXFF	(1U << 5)
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

/* Guest console output in bulk: one tight loop, no call per byte. */
static void pl011_write(struct serial_port *p, const char *buf, size_t len)
{
	uintptr_t fr = p->base + UARTFR, dr = p->base + UARTDR;

	for (size_t i = 0; i < len; i++) {
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
	console_register(&pl011_port);
	return 0;
}

static const char *const pl011_compatibles[] = { "arm,pl011", NULL };

const struct uart_driver pl011_driver = {
	.name = "PL011",
	.compatibles = pl011_compatibles,
	.probe = pl011_probe,
};
