/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_MM_H
#define KESTREL_MM_H
#include <stdint.h>

/**
 * mm_alloc_page() - one zeroed 4 KiB page from the hypervisor's pool (CONFIG_HEAP_KB,
 * in the image's BSS, mapped RW XN at EL2, never mapped to a guest unless the caller
 * maps it on purpose, e.g. a grant-table frame).
 * Return: its address (VA == PA), or NULL when the pool is exhausted.
 */
void *mm_alloc_page(void);

/** mm_alloc_pages() - @n physically contiguous zeroed pages, aligned to @align bytes. */
void *mm_alloc_pages(unsigned int n, uint64_t align);
#endif
