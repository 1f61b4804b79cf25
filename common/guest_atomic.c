// SPDX-License-Identifier: Apache-2.0
/* The bounded retry loop of the guest-memory atomics (include/kestrel/guest_atomic.h). */
#include <kestrel/guest_atomic.h>

unsigned long guest_atomic_contended;

bool guest_atomic_rmw(void *p, enum guest_atomic_op op, uint64_t operand, uint64_t *old)
{
	for (unsigned int i = 0; i < GUEST_ATOMIC_TRIES; i++)
		if (arch_guest_try_rmw(p, op, operand, old))
			return true;
	__atomic_fetch_add(&guest_atomic_contended, 1, __ATOMIC_RELAXED);	/* hypervisor memory */
	return false;
}
