/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_VPL011_REGS_H
#define KESTREL_VPL011_REGS_H
/* PL011 register offsets and bits (Arm PL011 TRM DDI 0183, 3.2 and 3.3; SBSA "Generic UART"). */
#define UARTDR		0x000
#define UARTRSR		0x004	/* read: receive status; write: UARTECR, clears it */
#define UARTFR		0x018
#define UARTILPR	0x020
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02c
#define UARTCR		0x030
#define UARTIFLS	0x034
#define UARTIMSC	0x038
#define UARTRIS		0x03c
#define UARTMIS		0x040
#define UARTICR		0x044
#define UARTDMACR	0x048
#define UARTPERIPHID0	0xfe0	/* PeriphID0-3, then PCellID0-3 at 0xff0 */

#define UARTRSR_OE	(1u << 3)
#define UARTFR_BUSY	(1u << 3)
#define UARTFR_RXFE	(1u << 4)
#define UARTFR_TXFF	(1u << 5)
#define UARTFR_RXFF	(1u << 6)
#define UARTFR_TXFE	(1u << 7)
#define UART_RXI	(1u << 4)	/* bits of IMSC, RIS, MIS and ICR */
#define UART_TXI	(1u << 5)
#define UART_RTI	(1u << 6)
#define UART_OEI	(1u << 10)
#define UART_INT_MASK	0x7ffu
#endif
