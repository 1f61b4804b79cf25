// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the Cadence UART driver (drivers/serial/cadence.c) on a fake register
 * file in host memory (readl/writel are plain volatile accesses, so the driver runs on it
 * as on the device): probe enables the receiver and transmitter without a reset and keeps
 * the other CR bits, masks and clears every interrupt, and with a receive INTID sets the
 * trigger level 1, a receive timeout and enables RXTRIG | TOUT only; without one, no
 * interrupt is enabled; a frame smaller than the registers is refused; output goes to the
 * FIFO only while TXFULL is clear; input reads -1 on RXEMPTY; the interrupt ack writes back
 * the status bits it read (write-1-to-clear).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/errno.h>
#include <kestrel/serial.h>

#define CR	(0x00 / 4)
#define IER	(0x08 / 4)
#define IDR	(0x0c / 4)
#define ISR	(0x14 / 4)
#define RXTOUT	(0x1c / 4)
#define RXWM	(0x20 / 4)
#define SR	(0x2c / 4)
#define FIFO	(0x30 / 4)

static volatile uint32_t regs[0x1000 / 4] __attribute__((aligned(4096)));
static struct serial_port *registered;

void console_register(struct serial_port *port)
{
	registered = port;
}

static int reset(void **state)
{
	(void)state;
	memset((void *)regs, 0, sizeof(regs));
	registered = NULL;
	return 0;
}

static void test_probe_with_irq(void **state)
{
	(void)state;
	regs[CR] = 0x28 | 0x100;	/* RX_DIS | TX_DIS as after reset, plus STPBRK kept */
	assert_int_equal(cadence_uart_driver.probe((uintptr_t)regs, sizeof(regs), 53), 0);
	assert_non_null(registered);
	assert_int_equal(registered->irq, 53);
	assert_int_equal(regs[CR], 0x14 | 0x100);	/* RX_EN | TX_EN, no reset bits, no *_DIS */
	assert_int_equal(regs[IDR], 0x3fff);
	assert_int_equal(regs[ISR], 0x3fff);
	assert_int_equal(regs[RXWM], 1);
	assert_int_equal(regs[RXTOUT], 10);
	assert_int_equal(regs[IER], 0x101);	/* RXTRIG | TOUT */
}

static void test_probe_polled(void **state)
{
	(void)state;
	assert_int_equal(cadence_uart_driver.probe((uintptr_t)regs, sizeof(regs), 0), 0);
	assert_int_equal(regs[CR], 0x14);
	assert_int_equal(regs[IER], 0);
}

static void test_probe_refuses_small_frame(void **state)
{
	(void)state;
	assert_int_equal(cadence_uart_driver.probe((uintptr_t)regs, 0x20, 0), -EINVAL);
	assert_null(registered);
	assert_int_equal(regs[CR], 0);
}

static void test_output_and_input(void **state)
{
	(void)state;
	assert_int_equal(cadence_uart_driver.probe((uintptr_t)regs, sizeof(regs), 53), 0);
	registered->put_char(registered, 'K');
	assert_int_equal(regs[FIFO], 'K');
	registered->write(registered, "ab", 2);
	assert_int_equal(regs[FIFO], 'b');
	regs[SR] = 1U << 1;	/* RXEMPTY */
	assert_int_equal(registered->get_char(registered), -1);
	regs[SR] = 0;
	regs[FIFO] = 0x1a5;
	assert_int_equal(registered->get_char(registered), 0xa5);
	regs[ISR] = 0x101;
	registered->irq_ack(registered);
	assert_int_equal(regs[ISR], 0x101);
}

static void test_compatibles(void **state)
{
	int n = 0;

	(void)state;
	for (const char *const *c = cadence_uart_driver.compatibles; *c; c++)
		n += !strcmp(*c, "cdns,uart-r1p12") || !strcmp(*c, "xlnx,xuartps");
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_probe_with_irq, reset),
		cmocka_unit_test_setup(test_probe_polled, reset),
		cmocka_unit_test_setup(test_probe_refuses_small_frame, reset),
		cmocka_unit_test_setup(test_output_and_input, reset),
		cmocka_unit_test_setup(test_compatibles, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
