/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SERIAL_H
#define KESTREL_SERIAL_H
#include <kestrel/console.h>

/**
 * struct uart_driver - a UART driver, chosen by the DT node's "compatible".
 * @probe: set up the port at physical @base (MMIO, @size bytes) with receive INTID @irq.
 *         Return 0 or -EINVAL.
 */
struct uart_driver {
	const char *compatible;
	int (*probe)(uintptr_t base, uint64_t size, unsigned int irq);
};

extern const struct uart_driver pl011_driver;

/**
 * serial_probe_dt() - bind the console UART found by bootinfo_parse(): the node named by
 * dtuart= (a DT path) or else /chosen/stdout-path, to the driver matching its compatible.
 * Return: 0, -ENOENT (no usable UART node) or -EINVAL (no driver for it).
 */
int serial_probe_dt(const void *fdt);
#endif
