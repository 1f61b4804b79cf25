/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SERIAL_H
#define KESTREL_SERIAL_H
#include <kestrel/console.h>

/**
 * struct uart_driver - a UART driver, chosen by the DT node's "compatible".
 * @name:        for messages ("PL011").
 * @compatibles: the DT compatibles it drives, NULL-terminated.
 * @probe:       set up the port at physical @base (MMIO, @size bytes) with receive INTID
 *               @irq (0: polled only). Return 0 or -EINVAL (@size too small for its registers).
 */
struct uart_driver {
	const char *name;
	const char *const *compatibles;
	int (*probe)(uintptr_t base, uint64_t size, unsigned int irq);
};

extern const struct uart_driver pl011_driver;
extern const struct uart_driver cadence_uart_driver;

/**
 * uart_driver_for() - the driver of DT node @node (one of its compatibles in a driver's
 * list, the first driver in table order), or NULL.
 */
const struct uart_driver *uart_driver_for(const void *fdt, int node);

/**
 * serial_probe_dt() - bind the console UART found by bootinfo_parse(): the node named by
 * dtuart= (a DT path) or else /chosen/stdout-path, to the driver matching its compatible.
 * Return: 0, -ENOENT (no usable UART node) or -EINVAL (no driver for it).
 */
int serial_probe_dt(const void *fdt);
#endif
