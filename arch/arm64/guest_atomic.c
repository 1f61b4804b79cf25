// SPDX-License-Identifier: Apache-2.0
/*
 * One load-exclusive/store-exclusive attempt on guest-writable memory
 * (include/kestrel/guest_atomic.h): LDAXR/STLXR (acquire, release), STLXR's status
 * 0 = stored, 1 = the exclusive monitor was lost (Arm ARM C6.2 "STLXR", B2.9).
 */
#include <kestrel/guest_atomic.h>

bool arch_guest_try_rmw(void *p, enum guest_atomic_op op, uint64_t operand, uint64_t *old)
{
	uint64_t o, n;
	uint32_t fail;

	switch (op) {
	case GUEST_OR64:
		__asm__ volatile("ldaxr %0, [%3]\n\torr %1, %0, %4\n\tstlxr %w2, %1, [%3]"
				 : "=&r"(o), "=&r"(n), "=&r"(fail) : "r"(p), "r"(operand) : "memory");
		break;
	case GUEST_AND64:
		__asm__ volatile("ldaxr %0, [%3]\n\tand %1, %0, %4\n\tstlxr %w2, %1, [%3]"
				 : "=&r"(o), "=&r"(n), "=&r"(fail) : "r"(p), "r"(operand) : "memory");
		break;
	case GUEST_XCHG8:
		__asm__ volatile("ldaxrb %w0, [%2]\n\tstlxrb %w1, %w3, [%2]"
				 : "=&r"(o), "=&r"(fail) : "r"(p), "r"(operand) : "memory");
		break;
	default:
		return false;
	}
	if (fail)
		return false;
	*old = o;
	return true;
}
