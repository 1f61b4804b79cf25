/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_GUEST_ATOMIC_H
#define KESTREL_GUEST_ATOMIC_H
/*
 * Atomic read-modify-writes on memory a guest can write (shared info, vcpu_info, the
 * event bitmaps), bounded. Kestrel is built for Armv8.0 (-mcpu=cortex-a53, no LSE), so
 * an atomic is a load-exclusive/store-exclusive loop, and a vCPU storing to the same
 * granule from another pCPU can fail every store-exclusive: an unbounded loop would hold
 * this pCPU at EL2 for as long as the guest likes (the class of Xen XSA-295). Each op
 * here tries GUEST_ATOMIC_TRIES times, then gives up and says so (false). What callers do
 * then: the event channel code treats the word as contended by the guest itself and
 * drops the update (an event not announced, a bit not cleared), as a guest's own plain
 * store to that word would; the guest only hurts itself, and a log line says so.
 */
#include <stdbool.h>
#include <stdint.h>

#define GUEST_ATOMIC_TRIES	1024	/* ~10 us of store-exclusive attempts on a 1 GHz core */

/** enum guest_atomic_op - what one attempt does to the word: or, and, exchange (the operand). */
enum guest_atomic_op { GUEST_OR64, GUEST_AND64, GUEST_XCHG8 };

/**
 * arch_guest_try_rmw() - one load-exclusive/store-exclusive attempt of @op with @operand
 * on @p (8 bytes aligned for the 64-bit ops, 1 byte for GUEST_XCHG8), acquire and release.
 * Return: true and *@old = the previous value if the store-exclusive succeeded
 * (arch/arm64/guest_atomic.c; Arm ARM B2.9 "Synchronization and semaphores").
 */
bool arch_guest_try_rmw(void *p, enum guest_atomic_op op, uint64_t operand, uint64_t *old);

/**
 * guest_atomic_rmw() - arch_guest_try_rmw() up to GUEST_ATOMIC_TRIES times.
 * Return: true (done, *@old the previous value) or false (the word stayed contended;
 * nothing was written) (common/guest_atomic.c).
 */
bool guest_atomic_rmw(void *p, enum guest_atomic_op op, uint64_t operand, uint64_t *old);

/** guest_atomic_contended - how many guest_atomic_rmw() calls gave up (for tests and logs). */
extern unsigned long guest_atomic_contended;
#endif
