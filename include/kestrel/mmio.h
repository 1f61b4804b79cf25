/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_MMIO_H
#define KESTREL_MMIO_H
#include <stdint.h>
/* Device register accessors: single-copy-atomic, not reordered by the compiler. */
static inline uint32_t readl(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline uint64_t readq(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void writel(uint32_t v, uintptr_t a) { *(volatile uint32_t *)a = v; }
static inline void writeq(uint64_t v, uintptr_t a) { *(volatile uint64_t *)a = v; }
#endif
