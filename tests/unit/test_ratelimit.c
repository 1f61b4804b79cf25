// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for common/ratelimit.c, the token bucket behind gprintk_ratelimited():
 * a full burst at first use, then nothing until an interval passes, one token per
 * elapsed interval up to the burst (no credit hoarded beyond it), the count of
 * suppressed lines handed to the next line that goes out and reset there, the time of
 * partial intervals kept, and a counter frequency too low for one tick per interval.
 * Time is the caller's counter value, so every case is exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/ratelimit.h>

#define FREQ		1000000UL	/* 1 MHz: one tick per microsecond */
#define INTERVAL	(FREQ * RATELIMIT_INTERVAL_MS / 1000)

static unsigned int take_n(struct ratelimit *rl, uint64_t now, unsigned int n, unsigned int *missed_sum)
{
	unsigned int ok = 0, missed;

	for (unsigned int i = 0; i < n; i++) {
		missed = 0;
		if (ratelimit_take(rl, now, FREQ, &missed)) {
			ok++;
			*missed_sum += missed;
		}
	}
	return ok;
}

static void test_burst_then_suppressed(void **state)
{
	struct ratelimit rl = { 0 };
	unsigned int missed = 0;

	(void)state;
	assert_int_equal(take_n(&rl, 5000, RATELIMIT_BURST + 90, &missed), RATELIMIT_BURST);
	assert_int_equal(missed, 0);
	assert_int_equal(rl.missed, 90);
	/* Just short of one interval: still nothing. */
	assert_int_equal(take_n(&rl, 5000 + INTERVAL - 1, 5, &missed), 0);
	assert_int_equal(rl.missed, 95);
}

static void test_refill_reports_missed(void **state)
{
	struct ratelimit rl = { 0 };
	unsigned int missed = 0, m = 0;

	(void)state;
	take_n(&rl, 0, RATELIMIT_BURST + 7, &missed);
	assert_true(ratelimit_take(&rl, INTERVAL, FREQ, &m));
	assert_int_equal(m, 7);				/* reported once ... */
	assert_false(ratelimit_take(&rl, INTERVAL, FREQ, &m));
	m = 99;
	assert_true(ratelimit_take(&rl, 2 * INTERVAL, FREQ, &m));
	assert_int_equal(m, 1);				/* ... then counting starts again */
}

static void test_refill_rate_and_cap(void **state)
{
	struct ratelimit rl = { 0 };
	unsigned int missed = 0;

	(void)state;
	take_n(&rl, 0, RATELIMIT_BURST, &missed);
	/* 3.5 intervals later: three tokens; the half interval is kept for later. */
	assert_int_equal(take_n(&rl, 3 * INTERVAL + INTERVAL / 2, 10, &missed), 3);
	assert_int_equal(take_n(&rl, 4 * INTERVAL, 10, &missed), 1);
	/* An hour of silence refills the burst, no more. */
	assert_int_equal(take_n(&rl, 4 * INTERVAL + 3600 * FREQ, 100, &missed), RATELIMIT_BURST);
}

static void test_slow_counter(void **state)
{
	struct ratelimit rl = { 0 };
	unsigned int m;

	(void)state;
	/* A 1 Hz counter has less than a tick per interval: one tick then counts as one. */
	for (unsigned int i = 0; i < RATELIMIT_BURST; i++)
		assert_true(ratelimit_take(&rl, 0, 1, &m));
	assert_false(ratelimit_take(&rl, 0, 1, &m));
	assert_true(ratelimit_take(&rl, 1, 1, &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_suppressed),
		cmocka_unit_test(test_refill_reports_missed),
		cmocka_unit_test(test_refill_rate_and_cap),
		cmocka_unit_test(test_slow_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
