// SPDX-License-Identifier: Apache-2.0
/* Token bucket for guest-triggered log lines (see include/kestrel/ratelimit.h). Portable C. */
#include <kestrel/ratelimit.h>

bool ratelimit_take(struct ratelimit *rl, uint64_t now, uint64_t freq, unsigned int *missed)
{
	uint64_t interval = freq * RATELIMIT_INTERVAL_MS / 1000;
	bool ok;

	if (!interval)
		interval = 1;
	spin_lock(&rl->lock);
	if (!rl->started) {
		rl->started = true;
		rl->tokens = RATELIMIT_BURST;
		rl->last = now;
	} else if (now - rl->last >= interval) {
		uint64_t n = (now - rl->last) / interval;

		if (n >= RATELIMIT_BURST - rl->tokens) {
			rl->tokens = RATELIMIT_BURST;
			rl->last = now;
		} else {
			rl->tokens += (unsigned int)n;
			rl->last += n * interval;
		}
	}
	ok = rl->tokens > 0;
	if (ok) {
		rl->tokens--;
		*missed = rl->missed;
		rl->missed = 0;
	} else {
		rl->missed++;
	}
	spin_unlock(&rl->lock);
	return ok;
}
