/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_MM_H
#define KESTREL_MM_H
/*
 * The page heap (common/mm.c): 4 KiB pages, addressed 1:1 (VA == PA) at EL2, mapped RW
 * XN there and never mapped to a guest unless the caller does so on purpose (a grant
 * frame, a domU's RAM). Pages come back zeroed.
 */
#include <stdint.h>

/** mm_alloc_page() - one zeroed page. Return: its address, or NULL when the heap is exhausted. */
void *mm_alloc_page(void);

/**
 * mm_alloc_pages() - @n physically contiguous zeroed pages whose address is a multiple
 * of @align bytes (a power of two, at least 4 KiB; e.g. SZ_2M for a stage-2 block).
 * Return: the first page, or NULL (no such run free, @n 0 or @align invalid).
 */
void *mm_alloc_pages(unsigned int n, uint64_t align);

/**
 * mm_free_pages() - give back @n pages from @p, allocated together or not, all in use.
 * Return: 0, or -EINVAL (not heap pages, or one of them is already free: nothing is
 * freed, so a double free never hands a page out twice).
 */
int mm_free_pages(void *p, unsigned int n);

/** mm_free_page() - mm_free_pages(@p, 1). */
int mm_free_page(void *p);

/**
 * mm_add_region() - add RAM [@start, @start + @size) (PA, bytes; trimmed inward to
 * whole pages) to the heap. Its first pages hold its bitmap (1 bit per page). The range
 * must be mapped at EL2 and owned by nobody else.
 * Return: 0, -EINVAL (empty or too small for its own bitmap), -ENOSPC (no region slot).
 */
int mm_add_region(uint64_t start, uint64_t size);

/** mm_stats() - free pages, and (if @total_pages) all pages the heap manages. */
void mm_stats(uint64_t *free_pages, uint64_t *total_pages);
#endif
