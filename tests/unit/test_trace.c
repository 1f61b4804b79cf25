// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the trace buffer and trap counters (common/trace.c, kestrel/trace.h) on
 * the fake arch (tests/unit/fake): trace= parsing (off by default: nothing counted, no
 * vectors installed, no memory taken; counts: counters only, no ring; on: one ring per
 * pCPU), records carrying the current vCPU, pCPU, time and arguments, the ring keeping
 * the newest CONFIG_TRACE_RECORDS records in order once it wraps, recording paused
 * during a dump, and trap_counts_snapshot() summing every pCPU's counters. The tests run
 * in this order: trace.c's mode is set once per boot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake/fake_arch.h"

#include <asm/pcpu.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/trace.h>
#include <public/xen.h>

static unsigned int installs, pages_taken;

void arch_trace_install(void)
{
	installs++;
}

uint64_t arch_trace_time(void)
{
	return fake_now;
}

const char *arch_trace_ec_name(unsigned int ec)
{
	return ec == 0x16 ? "HVC64" : NULL;
}

void *mm_alloc_pages(unsigned int n, uint64_t align)
{
	void *p = aligned_alloc(align, (size_t)n * 4096);

	assert_non_null(p);
	memset(p, 0, (size_t)n * 4096);
	pages_taken += n;
	return p;
}

static struct domain dom = { .domain_id = 3 };
static struct vcpu vcpus[2] = { { .domain = &dom, .vcpu_id = 0 }, { .domain = &dom, .vcpu_id = 1 } };

static int setup(void **state)
{
	fake_arch_reset(2);
	pcpu_table[0].curr = &vcpus[0];
	pcpu_table[1].curr = &vcpus[1];
	return 0;
}

static void test_off_by_default(void **state)
{
	struct trap_counts c;

	trace_init("dom0_mem=512M trace=off");
	assert_int_equal(trace_mode(), TRACE_OFF);
	assert_int_equal(installs, 0);
	assert_int_equal(pages_taken, 0);
	assert_false(trace_recording());
	trace_pcpus[0].counts.ec[0x16] = 5;	/* whatever is there is not reported */
	assert_false(trap_counts_snapshot(&c));
	assert_int_equal(c.ec[0x16], 0);
	trace_pcpus[0].counts.ec[0x16] = 0;
}

static void test_counts_sum_over_pcpus(void **state)
{
	struct trap_counts c;

	trace_init("trace=counts");
	assert_int_equal(trace_mode(), TRACE_COUNTS);
	assert_int_equal(installs, 1);
	assert_int_equal(pages_taken, 0);
	assert_false(trace_recording());
	trace_record_event(TRACE_EV_IRQ, 0, 27, 0);	/* no ring: nothing written */
	assert_int_equal(trace_pcpus[0].next, 0);
	trace_pcpus[0].counts.ec[0x16] = 7;
	trace_pcpus[1].counts.ec[0x16] = 5;
	trace_pcpus[0].counts.hypercall[__HYPERVISOR_console_io] = 4;
	trace_pcpus[1].counts.hypercall[__HYPERVISOR_console_io] = 2;
	trace_pcpus[1].counts.hypercall_other = 1;
	trace_pcpus[0].counts.irq = 10;
	trace_pcpus[1].counts.smccc = 3;
	assert_true(trap_counts_snapshot(&c));
	assert_int_equal(c.ec[0x16], 12);
	assert_int_equal(c.ec[0x24], 0);
	assert_int_equal(c.hypercall[__HYPERVISOR_console_io], 6);
	assert_int_equal(c.hypercall_other, 1);
	assert_int_equal(c.irq, 10);
	assert_int_equal(c.smccc, 3);
	trap_counts_print();
}

static void test_ring_records_and_wraps(void **state)
{
	const unsigned int n = CONFIG_TRACE_RECORDS + 44;

	trace_init("trace=on");
	assert_int_equal(trace_mode(), TRACE_ON);
	assert_int_equal(installs, 2);
	assert_int_equal(pages_taken, 2 * (CONFIG_TRACE_RECORDS * 32 / 4096));
	assert_true(trace_recording());
	for (unsigned int i = 0; i < n; i++) {
		fake_now = 1000 + i;
		trace_record_event(TRACE_EV_HYPERCALL, 0x16, i, 0xffff000000001000UL + 4 * i);
	}
	fake_cpu = 1;
	trace_record_event(TRACE_EV_IRQ, 0, 27, 0x1234);
	fake_cpu = 0;
	assert_int_equal(trace_pcpus[0].next, n);
	assert_int_equal(trace_pcpus[1].next, 1);
	/* The ring holds the newest records, record k at k % size. */
	for (unsigned int k = n - CONFIG_TRACE_RECORDS; k < n; k++) {
		const struct trace_record *r = &trace_pcpus[0].ring[k % CONFIG_TRACE_RECORDS];

		assert_int_equal(r->arg, k);
		assert_int_equal(r->time, 1000 + k);
		assert_int_equal(r->pc, 0xffff000000001000UL + 4 * k);
		assert_int_equal(r->event, TRACE_EV_HYPERCALL);
		assert_int_equal(r->ec, 0x16);
		assert_int_equal(r->domid, 3);
		assert_int_equal(r->vcpu, 0);
		assert_int_equal(r->pcpu, 0);
	}
	assert_int_equal(trace_pcpus[1].ring[0].vcpu, 1);
	assert_int_equal(trace_pcpus[1].ring[0].pcpu, 1);
	assert_int_equal(trace_pcpus[1].ring[0].arg, 27);
	/* An idle pCPU's records say so. */
	pcpu_table[1].curr = NULL;
	fake_cpu = 1;
	trace_record_event(TRACE_EV_IRQ, 0, 30, 0);
	fake_cpu = 0;
	assert_int_equal(trace_pcpus[1].ring[1].domid, DOMID_IDLE);
	trace_dump();
	assert_true(trace_recording());	/* paused only during the dump */
	for (unsigned int cpu = 0; cpu < 2; cpu++)
		free(trace_pcpus[cpu].ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_off_by_default, setup),
		cmocka_unit_test_setup(test_counts_sum_over_pcpus, setup),
		cmocka_unit_test_setup(test_ring_records_and_wraps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
