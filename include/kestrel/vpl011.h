/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_VPL011_H
#define KESTREL_VPL011_H
/*
 * vpl011: an emulated SBSA generic UART (Arm Server Base System Architecture, appendix
 * "Generic UART"; register layout of the Arm PL011 TRM DDI 0183) for a domU's console, at
 * GUEST_PL011_BASE with interrupt GUEST_VPL011_SPI (Xen public/arch-arm.h).
 */
#include <stddef.h>
#include <stdint.h>

struct domain;

/**
 * vpl011_init() - give @d a vpl011: emulate its registers at GUEST_PL011_BASE and
 * register @d with the console router so serial input can be switched to it.
 * Return: 0, -ENOMEM or -ENOSPC (no MMIO slot left in @d).
 */
int vpl011_init(struct domain *d);

/** vpl011_destroy() - drop @d's vpl011 (domain destruction); input moves on if @d had it. */
void vpl011_destroy(struct domain *d);

/**
 * vpl011_rx() - serial input for @d's vpl011: queue @len bytes in its receive FIFO
 * (what does not fit is dropped, as on a UART overrun) and raise its interrupt if
 * unmasked. Return: bytes queued.
 */
size_t vpl011_rx(struct domain *d, const char *buf, size_t len);
#endif
