// SPDX-License-Identifier: Apache-2.0
/* Chooses the console UART driver from the DT node's "compatible". */
#include <libfdt.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/serial.h>

static const struct uart_driver *const uart_drivers[] = {
#ifdef CONFIG_SERIAL_PL011
	&pl011_driver,
#endif
};

int __init serial_probe_dt(const void *fdt)
{
	const struct bootinfo *bi = &bootinfo;

	if (bi->uart_node < 0)
		return -ENOENT;
	for (unsigned int i = 0; i < ARRAY_SIZE(uart_drivers); i++) {
		if (fdt_node_check_compatible(fdt, bi->uart_node, uart_drivers[i]->compatible))
			continue;
		return uart_drivers[i]->probe(bi->uart_base, bi->uart_size, bi->uart_irq);
	}
	return -EINVAL;
}
