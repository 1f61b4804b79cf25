// SPDX-License-Identifier: Apache-2.0
/*
 * The bounded guest-memory atomics (common/guest_atomic.c): a word another vCPU keeps
 * contended makes every store-exclusive fail; guest_atomic_rmw() must give up after
 * GUEST_ATOMIC_TRIES attempts, having written nothing, and succeed when an attempt does.
 * arch_guest_try_rmw() is faked here: it fails the first @fail_next attempts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/guest_atomic.h>

static unsigned long fail_next, attempts;

bool arch_guest_try_rmw(void *p, enum guest_atomic_op op, uint64_t operand, uint64_t *old)
{
	uint64_t *w = p;

	attempts++;
	if (fail_next) {
		fail_next--;
		return false;	/* the exclusive monitor was lost: another vCPU stored */
	}
	*old = *w;
	*w = op == GUEST_OR64 ? *w | operand : *w & operand;
	return true;
}

static void test_guest_atomic_bounded_under_contention(void **state)
{
	uint64_t word = 0x10, old = 0xdead;
	unsigned long before = guest_atomic_contended;

	attempts = 0;
	fail_next = ~0UL;	/* contended for ever */
	assert_false(guest_atomic_rmw(&word, GUEST_OR64, 1, &old));
	assert_int_equal(attempts, GUEST_ATOMIC_TRIES);
	assert_int_equal(word, 0x10);		/* nothing written */
	assert_int_equal(old, 0xdead);		/* nor reported */
	assert_int_equal(guest_atomic_contended, before + 1);
}

static void test_guest_atomic_succeeds_within_the_bound(void **state)
{
	uint64_t word = 0x10, old = 0;
	unsigned long before = guest_atomic_contended;

	attempts = 0;
	fail_next = GUEST_ATOMIC_TRIES - 1;	/* the last allowed attempt gets through */
	assert_true(guest_atomic_rmw(&word, GUEST_OR64, 1, &old));
	assert_int_equal(attempts, GUEST_ATOMIC_TRIES);
	assert_int_equal(word, 0x11);
	assert_int_equal(old, 0x10);
	fail_next = 3;
	assert_true(guest_atomic_rmw(&word, GUEST_AND64, ~0x10UL, &old));
	assert_int_equal(word, 0x1);
	assert_int_equal(guest_atomic_contended, before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_atomic_bounded_under_contention),
		cmocka_unit_test(test_guest_atomic_succeeds_within_the_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
