/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_MMIO_H
#define KESTREL_MMIO_H
#include <stdbool.h>
#include <stdint.h>

/* Device register accessors: single-copy-atomic, not reordered by the compiler. */
static inline uint32_t readl(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline uint64_t readq(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void writel(uint32_t v, uintptr_t a) { *(volatile uint32_t *)a = v; }
static inline void writeq(uint64_t v, uintptr_t a) { *(volatile uint64_t *)a = v; }

struct domain;
struct vcpu;

/**
 * struct mmio_read - result of an emulated register read: @val zero-extended to 64
 * bits; @ok false when the access is refused (bad size or alignment, no such frame),
 * and the guest then gets a data abort. Returned by value (in x0/x1, AAPCS64 6.9):
 * no out-parameter, so the trap path keeps no address-taken locals.
 */
struct mmio_read {
	uint64_t val;
	bool ok;
};

/**
 * struct mmio_ops - an emulated device. @off is the byte offset of the access in the
 * region and @size its width in bytes (1, 2, 4 or 8); nothing has checked them yet:
 * each device checks the widths and alignment its registers allow. @write returns
 * false to refuse the access (the guest gets a data abort).
 */
struct mmio_ops {
	struct mmio_read (*read)(struct vcpu *v, uint64_t off, unsigned int size);
	bool (*write)(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val);
};

/** struct mmio_region - an emulated device at IPAs [@base, @base + @size) of a domain. */
struct mmio_region {
	uint64_t base, size;
	const struct mmio_ops *ops;
};

/** Emulated regions per domain: GICD and GICR today; vpl011 and the like later. */
#define DOMAIN_MAX_MMIO		4

/**
 * domain_add_mmio() - emulate @ops at IPAs [@base, @base + @size) of @d. The region
 * must not overlap another; setup-time only (not locked against concurrent traps).
 * Return: 0, -EINVAL (empty, wrapping or overlapping) or -ENOSPC (no slot left).
 */
int domain_add_mmio(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops);
#endif
