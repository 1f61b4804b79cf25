/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_RATELIMIT_H
#define KESTREL_RATELIMIT_H
/*
 * A token bucket for log lines a guest can trigger at will (a bad HVC, an abort, an
 * access the vGIC refuses, ...): a burst of RATELIMIT_BURST lines, then one line per
 * RATELIMIT_INTERVAL_MS; lines beyond that are counted, and the count is reported
 * before the next line that gets out. Each domain has its own bucket, so one guest
 * cannot silence another's messages. (Xen's default printk limit is the same average:
 * 10 messages per 5 s, xen/drivers/char/console.c.)
 */
#include <stdbool.h>
#include <stdint.h>
#include <kestrel/spinlock.h>

#define RATELIMIT_BURST		10
#define RATELIMIT_INTERVAL_MS	500

/**
 * struct ratelimit - one token bucket; zero-initialised means "full at first use".
 * @last:   counter value up to which tokens have been refilled.
 * @tokens: lines that may go out now.
 * @missed: lines suppressed since the last one that went out.
 */
struct ratelimit {
	spinlock_t lock;
	bool started;
	unsigned int tokens, missed;
	uint64_t last;
};

/**
 * ratelimit_take() - may one more line go out at counter value @now (@freq ticks per
 * second)? Refills one token per elapsed RATELIMIT_INTERVAL_MS, up to RATELIMIT_BURST.
 * Return: true and *@missed = lines suppressed before this one (then reset to 0), or
 * false (the line is suppressed and counted). Portable; serialised by @rl->lock.
 */
bool ratelimit_take(struct ratelimit *rl, uint64_t now, uint64_t freq, unsigned int *missed);

/**
 * gprintk_ratelimited() - printk() for a message the running guest triggered, prefixed
 * "d<domain> v<vcpu>: " and limited by the domain's bucket (common/console.c). A line
 * "d<domain>: <n> guest-triggered messages suppressed" precedes the next line that goes
 * out after some were dropped.
 */
void gprintk_ratelimited(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
