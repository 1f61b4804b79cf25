// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of the vpl011 register model (common/vpl011.c) and the console router
 * (common/console_router.c): FIFO fill and drain, UARTFR flags, IMSC/RIS/MIS/ICR, the
 * level of the interrupt line, refused accesses, overrun drops; Ctrl-a x3 rotation,
 * partial sequences forwarded, a destroyed owner, output prefixes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/vpl011.h>
#include <kestrel/vpl011_internal.h>
#include <kestrel/vpl011_regs.h>
#include <public/arch-arm.h>

struct domain *domain_list;
spinlock_t domlist_lock;
static const struct mmio_ops *added_ops;
static bool irq_level;
static int irq_raises;
static char out[1024], dom0_in[64], hyp_in[64];
static size_t out_len, dom0_len, hyp_len;
static int virqs;

int domain_add_mmio(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops)
{
	assert_int_equal(base, GUEST_PL011_BASE);
	assert_int_equal(size, GUEST_PL011_SIZE);
	added_ops = ops;
	return 0;
}

void *mm_alloc_page(void)
{
	void *p = aligned_alloc(4096, 4096);

	memset(p, 0, 4096);
	return p;
}

int mm_free_page(void *p)
{
	free(p);
	return 0;
}

void vpl011_set_irq_level(struct domain *d, bool level)
{
	irq_raises += level;
	irq_level = level;
}

void console_write_raw(const char *buf, size_t len)
{
	assert_true(out_len + len < sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

void console_start_line(void)
{
}

bool console_queue_dom0(char c)
{
	dom0_in[dom0_len++] = c;
	return true;
}

void console_hyp_input(char c)
{
	hyp_in[hyp_len++] = c;
}

void evtchn_send_virq_dom0(unsigned int virq)
{
	assert_int_equal(virq, VIRQ_CONSOLE);
	virqs++;
}

static struct domain doms[4];
static struct vcpu vcpu1;
static struct vpl011 *u1, *u3;	/* freed by teardown(), vpl011_destroy() or not */

/* dom0, d1 (vpl011), d2 (no vpl011), d3 (vpl011), prepended as domain_create() does. */
static int setup(void **state)
{
	memset(doms, 0, sizeof(doms));
	domain_list = NULL;
	for (int i = 0; i < 4; i++) {
		doms[i].domain_id = (uint16_t)i;
		doms[i].is_privileged = i == 0;
		doms[i].next_in_list = domain_list;
		domain_list = &doms[i];
	}
	assert_int_equal(vpl011_init(&doms[3]), 0);
	assert_int_equal(vpl011_init(&doms[1]), 0);
	u1 = doms[1].vpl011;
	u3 = doms[3].vpl011;
	vcpu1.domain = &doms[1];
	out_len = dom0_len = hyp_len = 0;
	out[0] = '\0';
	virqs = irq_raises = 0;
	irq_level = false;
	/* Input back to dom0: rotate until it is the owner. */
	while (console_input_owner() != 0)
		console_input("\1\1\1", 3);
	out_len = 0;
	return 0;
}

static int teardown(void **state)
{
	free(doms[1].vpl011);	/* vpl011_destroy() freed it already, if it ran */
	free(doms[3].vpl011);
	return 0;
}

static uint32_t rd(uint64_t off)
{
	struct mmio_read r = added_ops->read(&vcpu1, off, 4);

	assert_true(r.ok);
	return (uint32_t)r.val;
}

static void wr(uint64_t off, uint32_t val)
{
	assert_true(added_ops->write(&vcpu1, off, 4, val));
}

static void test_fifo_and_flags(void **state)
{
	char buf[VPL011_FIFO_SIZE + 8];

	assert_int_equal(rd(UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(vpl011_rx(&doms[1], "ab", 2), 2);
	assert_int_equal(rd(UARTFR), UARTFR_TXFE);
	assert_int_equal(rd(UARTDR), 'a');
	assert_int_equal(rd(UARTDR), 'b');
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, UARTFR_RXFE);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vpl011_rx(&doms[1], buf, sizeof(buf)), VPL011_FIFO_SIZE);	/* overrun drops */
	assert_int_equal(rd(UARTFR), UARTFR_TXFE | UARTFR_RXFF);
	assert_int_equal(rd(UARTRSR), UARTRSR_OE);
	assert_true(rd(UARTRIS) & UART_OEI);
	wr(UARTRSR, 0);
	assert_int_equal(rd(UARTRSR), 0);
	for (int i = 0; i < VPL011_FIFO_SIZE; i++)
		assert_int_equal(rd(UARTDR), 'x');
	assert_int_equal(rd(UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(UARTDR), 0);	/* empty FIFO reads 0 */
}

static void test_irq_level(void **state)
{
	char buf[VPL011_FIFO_SIZE / 2];

	vpl011_rx(&doms[1], "a", 1);
	assert_int_equal(rd(UARTRIS) & (UART_RXI | UART_RTI), UART_RTI);
	assert_int_equal(rd(UARTMIS), 0);
	assert_false(irq_level);			/* masked: never raised */
	wr(UARTIMSC, UART_RXI | UART_RTI);
	assert_true(irq_level);
	assert_int_equal(rd(UARTMIS), UART_RTI);
	irq_raises = 0;
	rd(UARTFR);					/* still asserted: seen again */
	assert_true(irq_level);
	assert_int_equal(irq_raises, 1);
	assert_int_equal(rd(UARTDR), 'a');		/* drained: withdrawn */
	assert_false(irq_level);
	assert_int_equal(rd(UARTRIS) & UART_RTI, 0);
	memset(buf, 'y', sizeof(buf));
	vpl011_rx(&doms[1], buf, sizeof(buf));		/* trigger level: RXRIS, not RTRIS */
	assert_int_equal(rd(UARTMIS), UART_RXI);
	assert_true(irq_level);
	wr(UARTICR, UART_RXI);				/* cleared: withdrawn */
	assert_false(irq_level);
	assert_int_equal(rd(UARTMIS), 0);
	vpl011_rx(&doms[1], "z", 1);
	assert_true(irq_level);
	wr(UARTIMSC, 0);				/* masked: withdrawn */
	assert_false(irq_level);
	assert_int_equal(rd(UARTMIS), 0);
	assert_true(rd(UARTRIS) & UART_RXI);
	/* TX: the FIFO is always empty, so TXRIS is set again by every write. */
	assert_true(rd(UARTRIS) & UART_TXI);
	wr(UARTIMSC, UART_TXI);
	assert_true(irq_level);
	wr(UARTICR, UART_TXI);
	assert_false(irq_level);
	wr(UARTDR, 'q');
	assert_true(irq_level);
}

static void test_bad_access(void **state)
{
	assert_false(added_ops->read(&vcpu1, UARTFR, 8).ok);
	assert_false(added_ops->write(&vcpu1, UARTDR, 8, 0));
	assert_false(added_ops->read(&vcpu1, UARTFR + 1, 1).ok);
	assert_false(added_ops->read(&vcpu1, 0x08, 4).ok);	/* reserved offset */
	assert_false(added_ops->write(&vcpu1, 0x100, 4, 0));
	assert_true(added_ops->read(&vcpu1, UARTFR, 2).ok);
	assert_int_equal(rd(UARTCR), 0);			/* RAZ/WI */
	wr(UARTCR, 0x301);
	assert_int_equal(rd(UARTCR), 0);
	assert_int_equal(rd(UARTPERIPHID0), 0x11);
	assert_int_equal(rd(0xff0), 0x0d);
	assert_int_equal(rd(0xffc), 0xb1);
	assert_int_equal(vpl011_init(&doms[1]), 0);		/* twice: no-op */
}

static void test_tx_prefix(void **state)
{
	const char *s = "hello\nwor";

	for (const char *p = s; *p; p++)
		wr(UARTDR, (uint8_t)*p);
	assert_string_equal(out, "(d1) hello\n");		/* flushed on newline */
	wr(UARTDR, 'l');
	wr(UARTDR, '\n');
	assert_string_equal(out, "(d1) hello\n(d1) worl\n");
	for (int i = 0; i < VPL011_LINE_SIZE + 2; i++)	/* bounded: flushed when full */
		wr(UARTDR, 'z');
	assert_int_equal(out_len, 21 + 5 + VPL011_LINE_SIZE);
	/* d1 takes input: its output is printed as is. */
	console_input("\1\1\1", 3);
	assert_int_equal(console_input_owner(), 1);
	out_len = 0;
	wr(UARTDR, 'a');
	wr(UARTDR, '\n');
	assert_string_equal(out, "zza\n");
}

static void test_guest_write(void **state)
{
	console_guest_write(&doms[0], "raw\nx", 5);
	assert_string_equal(out, "raw\nx");
	out_len = 0;
	console_guest_write(&doms[2], "a\nb", 3);
	console_guest_write(&doms[2], "c\n", 2);	/* a line is held until its newline */
	assert_string_equal(out, "(d2) a\n(d2) bc\n");
	out_len = 0;
	console_guest_write(&doms[3], "p", 1);		/* two domUs' partial lines do not mix */
	console_guest_write(&doms[2], "x", 1);
	console_guest_write(&doms[3], "q\n", 2);
	console_guest_write(&doms[2], "y\n", 2);
	assert_string_equal(out, "(d3) pq\n(d2) xy\n");
	out_len = 0;
	for (int i = 0; i < CONSOLE_LINE_SIZE + 1; i++)	/* bounded: printed when full */
		console_guest_write(&doms[2], "z", 1);
	assert_int_equal(out_len, 5 + CONSOLE_LINE_SIZE);
	console_guest_flush(&doms[2]);			/* the rest, at destruction */
	assert_int_equal(out_len, 5 + CONSOLE_LINE_SIZE + 5 + 1);
	out[out_len] = 0;
	assert_string_equal(out + out_len - 6, "(d2) z");
}

static void test_rotation(void **state)
{
	static const uint16_t order[] = { 1, 3, DOMID_XEN, 0, 1 };

	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		console_input("\1\1\1", 3);
		assert_int_equal(console_input_owner(), order[i]);	/* d2 has no vpl011 */
	}
	assert_int_equal(dom0_len, 0);
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, UARTFR_RXFE);	/* nothing forwarded */
	/* Split across calls: still three in a row. */
	console_input("\1", 1);
	console_input("\1\1", 2);
	assert_int_equal(console_input_owner(), 3);
}

static void test_partial_forwarded(void **state)
{
	console_input("x\1y\1\1z", 6);
	assert_int_equal(dom0_len, 6);
	assert_memory_equal(dom0_in, "x\1y\1\1z", 6);
	assert_int_equal(virqs, 1);
	console_input("\1\1", 2);			/* held back ... */
	assert_int_equal(dom0_len, 6);
	console_input("\1\1\1", 3);			/* ... the third switches, two stay held */
	assert_int_equal(console_input_owner(), 1);
	console_input("k", 1);
	assert_int_equal(rd(UARTDR), 1);
	assert_int_equal(rd(UARTDR), 1);
	assert_int_equal(rd(UARTDR), 'k');
	console_input("\1\1\1\1\1\1m", 7);		/* d1 -> d3 -> hypervisor */
	assert_int_equal(console_input_owner(), DOMID_XEN);
	assert_int_equal(hyp_len, 1);
	assert_int_equal(hyp_in[0], 'm');
}

static void test_destroyed_owner(void **state)
{
	console_input("\1\1\1", 3);
	assert_int_equal(console_input_owner(), 1);
	vpl011_destroy(&doms[1]);
	assert_null(doms[1].vpl011);
	assert_int_equal(console_input_owner(), 3);		/* handed on */
	console_input("\1\1\1\1\1\1", 6);			/* hyp, dom0: d1 skipped now */
	console_input("\1\1\1", 3);
	assert_int_equal(console_input_owner(), 3);
	vpl011_destroy(&doms[3]);
	assert_int_equal(console_input_owner(), DOMID_XEN);
	vpl011_destroy(&doms[3]);				/* twice: no-op */
	assert_int_equal(vpl011_rx(&doms[3], "a", 1), 0);
	assert_false(added_ops->read(&vcpu1, UARTFR, 4).ok);	/* no vpl011: refused */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fifo_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroyed_owner, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
