// SPDX-License-Identifier: Apache-2.0
/*
 * vpl011: the SBSA generic UART a domU sees as its console (Arm SBSA, appendix "Generic
 * UART": UARTDR, UARTRSR/ECR, UARTFR, UARTIMSC, UARTRIS, UARTMIS, UARTICR; register
 * layout and bits from the Arm PL011 TRM DDI 0183). Linux drives it with the SBSA path of
 * drivers/tty/serial/amba-pl011.c, which also touches CR, LCR_H, IFLS, DMACR: those are
 * RAZ/WI here, as SBSA leaves them out. Baud rate and line control mean nothing for a
 * virtual UART.
 *
 * Transmit: bytes are taken at once (the TX FIFO is always empty, so TXFE is set and the
 * TX interrupt asserted), gathered into a bounded line buffer and printed on the
 * hypervisor console on a newline or when the buffer is full (console_vpl011_write()).
 * Receive: a 256-byte FIFO fed by the console router (vpl011_rx()); a byte that does not
 * fit is dropped and flagged as an overrun (UARTRSR.OE, RIS.OEIS), as on the real part.
 * RXRIS is raised at the half-full trigger level (the PL011's reset IFLS), RTRIS below it
 * (no byte follows in a virtual burst, so the receive timeout is taken to expire at once).
 *
 * The interrupt (GUEST_VPL011_SPI) is level-sensitive: its line is RIS & IMSC, and every
 * register access re-evaluates it (vpl011_set_irq_level()), so one still asserted after
 * the guest's handler is seen again and one masked or cleared is withdrawn.
 */
#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/mm.h>
#include <kestrel/mmio.h>
#include <kestrel/spinlock.h>
#include <kestrel/vpl011.h>
#include <kestrel/vpl011_internal.h>
#include <kestrel/vpl011_regs.h>
#include <public/arch-arm.h>

#define RX_TRIGGER	16	/* the PL011 reset IFLS: half of its 32-byte FIFO */

/* PL011 PeriphID0-3 (part 0x011, Arm, revision r1p5) and PCellID0-3 (DDI 0183, 3.3.14-15). */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void update_irq(struct vpl011 *u)
{
	vpl011_set_irq_level(u->domain, (u->ris & u->imsc) != 0);
}

static void flush_line(struct vpl011 *u)
{
	if (u->line_len)
		console_vpl011_write(u->domain, u->line, u->line_len);
	u->line_len = 0;
}

static void tx_byte(struct vpl011 *u, char c)
{
	u->line[u->line_len++] = c;
	/* Held until the line ends only to be prefixed: with input, a prompt shows at once. */
	if (c == '\n' || u->line_len == VPL011_LINE_SIZE || console_input_owner() == u->domain->domain_id)
		flush_line(u);
	u->ris |= UART_TXI;	/* the FIFO drained at once: at or below any TX trigger level */
}

static uint32_t rx_byte(struct vpl011 *u)
{
	uint32_t c = 0;

	if (u->rx_count) {
		c = (uint8_t)u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VPL011_FIFO_SIZE;
		u->rx_count--;
	}
	if (u->rx_count < RX_TRIGGER)
		u->ris &= ~UART_RXI;
	if (!u->rx_count)
		u->ris &= ~UART_RTI;
	else if (!(u->ris & UART_RXI))
		u->ris |= UART_RTI;
	return c;
}

static uint32_t reg_read(struct vpl011 *u, uint64_t off)
{
	switch (off) {
	case UARTDR:
		return rx_byte(u);
	case UARTRSR:
		return u->rsr;
	case UARTFR:
		return UARTFR_TXFE | (u->rx_count ? 0 : UARTFR_RXFE) |
		       (u->rx_count == VPL011_FIFO_SIZE ? UARTFR_RXFF : 0);
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return u->ris;
	case UARTMIS:
		return u->ris & u->imsc;
	}
	if (off >= UARTPERIPHID0)
		return id_regs[(off - UARTPERIPHID0) / 4];
	return 0;	/* ILPR, IBRD, FBRD, LCR_H, CR, IFLS, ICR, DMACR: RAZ */
}

static void reg_write(struct vpl011 *u, uint64_t off, uint32_t val)
{
	switch (off) {
	case UARTDR:
		tx_byte(u, (char)val);
		break;
	case UARTRSR:	/* UARTECR: any write clears the error flags */
		u->rsr = 0;
		break;
	case UARTIMSC:
		u->imsc = val & UART_INT_MASK;
		break;
	case UARTICR:
		u->ris &= ~(val & UART_INT_MASK);
		break;
	}	/* FR, RIS, MIS and the ID registers are read-only; the rest WI */
}

/* The implemented registers: a refused offset or width aborts to the guest. */
static bool valid_access(uint64_t off, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (off & 3)
		return false;	/* each register is read or written from its first byte */
	if (off >= UARTPERIPHID0 && off < GUEST_PL011_SIZE)
		return true;
	switch (off) {
	case UARTDR: case UARTRSR: case UARTFR: case UARTILPR: case UARTIBRD: case UARTFBRD:
	case UARTLCR_H: case UARTCR: case UARTIFLS: case UARTIMSC: case UARTRIS: case UARTMIS:
	case UARTICR: case UARTDMACR:
		return true;
	}
	return false;
}

static struct mmio_read vpl011_read(struct vcpu *v, uint64_t off, unsigned int size)
{
	struct vpl011 *u = v->domain->vpl011;
	struct mmio_read r = { 0, false };

	if (!u || !valid_access(off, size))
		return r;
	spin_lock(&u->lock);
	r.val = reg_read(u, off) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
	r.ok = true;
	update_irq(u);
	spin_unlock(&u->lock);
	return r;
}

static bool vpl011_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	struct vpl011 *u = v->domain->vpl011;

	if (!u || !valid_access(off, size))
		return false;
	spin_lock(&u->lock);
	reg_write(u, off, (uint32_t)val);
	update_irq(u);
	spin_unlock(&u->lock);
	return true;
}

const struct mmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
};

int vpl011_init(struct domain *d)
{
	struct vpl011 *u;
	int err;

	_Static_assert(sizeof(struct vpl011) <= 4096, "struct vpl011 fits a page");
	if (d->vpl011)
		return 0;
	u = mm_alloc_page();
	if (!u)
		return -ENOMEM;
	u->domain = d;
	u->ris = UART_TXI;	/* the TX FIFO starts empty */
	u->line_start = true;
	err = domain_add_mmio(d, GUEST_PL011_BASE, GUEST_PL011_SIZE, &vpl011_ops);
	if (err)
		return err;	/* the page stays unused: the pool has no free */
	d->vpl011 = u;
	return 0;
}

void vpl011_destroy(struct domain *d)
{
	struct vpl011 *u = d->vpl011;

	if (!u)
		return;
	spin_lock(&u->lock);
	flush_line(u);
	spin_unlock(&u->lock);
	d->vpl011 = NULL;
	console_router_domain_gone(d);	/* no input reaches @u after this */
	mm_free_page(u);
}

size_t vpl011_rx(struct domain *d, const char *buf, size_t len)
{
	struct vpl011 *u = d->vpl011;
	size_t n = 0;

	if (!u)
		return 0;
	spin_lock(&u->lock);
	for (; n < len && u->rx_count < VPL011_FIFO_SIZE; n++) {
		u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO_SIZE] = buf[n];
		u->rx_count++;
	}
	if (n < len) {
		u->rsr |= UARTRSR_OE;
		u->ris |= UART_OEI;
	}
	if (u->rx_count >= RX_TRIGGER) {
		u->ris |= UART_RXI;
		u->ris &= ~UART_RTI;
	} else if (u->rx_count) {
		u->ris |= UART_RTI;
	}
	update_irq(u);
	spin_unlock(&u->lock);
	return n;
}
