// SPDX-License-Identifier: Apache-2.0
/*
 * Cadence UART (the ZynqMP's UART0/UART1, "cdns,uart-r1p12", "xlnx,xuartps"). Register
 * offsets and bits: Zynq UltraScale+ Device Register Reference (UG1087), UART module, as
 * Linux drivers/tty/serial/xilinx_uartps.c names them. Polled output; input by the receive
 * FIFO trigger (1 byte) and timeout interrupts. The baud rate and frame format are left as
 * the firmware (FSBL/U-Boot) or QEMU programmed them; the receiver and transmitter are
 * enabled without a reset, so nothing already queued is lost.
 */
#include <kestrel/serial.h>
#include <kestrel/errno.h>
#include <kestrel/mmio.h>

#define CDNS_CR			0x00	/* control */
#define CDNS_IER		0x08	/* interrupt enable */
#define CDNS_IDR		0x0c	/* interrupt disable */
#define CDNS_ISR		0x14	/* channel interrupt status, write 1 to clear */
#define CDNS_RXTOUT		0x1c	/* receiver timeout, in 4 bit periods */
#define CDNS_RXWM		0x20	/* receive FIFO trigger level */
#define CDNS_SR			0x2c	/* channel status */
#define CDNS_FIFO		0x30	/* transmit and receive FIFO */

#define CDNS_CR_RX_EN		(1U << 2)
#define CDNS_CR_RX_DIS		(1U << 3)
#define CDNS_CR_TX_EN		(1U << 4)
#define CDNS_CR_TX_DIS		(1U << 5)
#define CDNS_SR_RXEMPTY		(1U << 1)
#define CDNS_SR_TXFULL		(1U << 4)
#define CDNS_IXR_RXTRIG		(1U << 0)
#define CDNS_IXR_TOUT		(1U << 8)
#define CDNS_IXR_ALL		0x3fffU
#define CDNS_RXTOUT_VAL		10

static void cdns_putc(struct serial_port *p, char c)
{
	while (readl(p->base + CDNS_SR) & CDNS_SR_TXFULL)
		;
	writel((uint8_t)c, p->base + CDNS_FIFO);
}

static void cdns_write(struct serial_port *p, const char *buf, size_t len)
{
	uintptr_t sr = p->base + CDNS_SR, fifo = p->base + CDNS_FIFO;

	for (size_t i = 0; i < len; i++) {
		while (readl(sr) & CDNS_SR_TXFULL)
			;
		writel((uint8_t)buf[i], fifo);
	}
}

static int cdns_getc(struct serial_port *p)
{
	if (readl(p->base + CDNS_SR) & CDNS_SR_RXEMPTY)
		return -1;
	return readl(p->base + CDNS_FIFO) & 0xff;
}

static void cdns_irq_ack(struct serial_port *p)
{
	writel(readl(p->base + CDNS_ISR), p->base + CDNS_ISR);
}

static struct serial_port cdns_port = {
	.put_char = cdns_putc,
	.write = cdns_write,
	.get_char = cdns_getc,
	.irq_ack = cdns_irq_ack,
};

static int cdns_probe(uintptr_t base, uint64_t size, unsigned int irq)
{
	uint32_t cr = readl(base + CDNS_CR);

	if (size < CDNS_FIFO + 4)
		return -EINVAL;
	cdns_port.base = base;
	cdns_port.size = size;
	cdns_port.irq = irq;
	writel((cr & ~(CDNS_CR_RX_DIS | CDNS_CR_TX_DIS)) | CDNS_CR_RX_EN | CDNS_CR_TX_EN, base + CDNS_CR);
	writel(CDNS_IXR_ALL, base + CDNS_IDR);
	writel(CDNS_IXR_ALL, base + CDNS_ISR);
	if (irq) {
		writel(1, base + CDNS_RXWM);
		writel(CDNS_RXTOUT_VAL, base + CDNS_RXTOUT);
		writel(CDNS_IXR_RXTRIG | CDNS_IXR_TOUT, base + CDNS_IER);
	}
	console_register(&cdns_port);
	return 0;
}

static const char *const cdns_compatibles[] = { "cdns,uart-r1p12", "xlnx,xuartps", "cdns,uart-r1p8", NULL };

const struct uart_driver cadence_uart_driver = {
	.name = "Cadence UART",
	.compatibles = cdns_compatibles,
	.probe = cdns_probe,
};
