// SPDX-License-Identifier: Apache-2.0
/*
 * Page pool: a bump allocator over a BSS array. Nothing is freed yet: every page
 * belongs to the hypervisor or to dom0, which live as long as the machine.
 */
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/spinlock.h>

static uint8_t pool[CONFIG_HEAP_KB * 1024UL] __attribute__((aligned(SZ_2M)));
static uint64_t pool_next;
static spinlock_t mm_lock;

void *mm_alloc_pages(unsigned int n, uint64_t align)
{
	uint64_t start;
	void *p = NULL;

	spin_lock(&mm_lock);
	start = ALIGN_UP((uintptr_t)pool + pool_next, align) - (uintptr_t)pool;
	if (start + (uint64_t)n * PAGE_SIZE <= sizeof(pool)) {
		p = pool + start;
		pool_next = start + (uint64_t)n * PAGE_SIZE;
	}
	spin_unlock(&mm_lock);
	if (p)
		memset(p, 0, (size_t)n * PAGE_SIZE);
	return p;
}

void *mm_alloc_page(void)
{
	return mm_alloc_pages(1, PAGE_SIZE);
}
