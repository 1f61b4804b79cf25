// SPDX-License-Identifier: Apache-2.0
/* Chooses the console UART driver from the DT node's "compatible" (each driver lists its own). */
#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/serial.h>

static const struct uart_driver *const uart_drivers[] = {
#ifdef CONFIG_SERIAL_PL011
	&pl011_driver,
#endif
#ifdef CONFIG_SERIAL_CADENCE
	&cadence_uart_driver,
#endif
};

const struct uart_driver *uart_driver_for(const void *fdt, int node)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(uart_drivers); i++)
		for (const char *const *c = uart_drivers[i]->compatibles; *c; c++)
			if (!fdt_node_check_compatible(fdt, node, *c))
				return uart_drivers[i];
	return NULL;
}

int __init serial_probe_dt(const void *fdt)
{
	const struct bootinfo *bi = &bootinfo;
	const struct uart_driver *drv;

	if (bi->uart_node < 0)
		return -ENOENT;
	drv = uart_driver_for(fdt, bi->uart_node);
	return drv ? drv->probe(bi->uart_base, bi->uart_size, bi->uart_irq) : -EINVAL;
}
