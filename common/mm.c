// SPDX-License-Identifier: Apache-2.0
/* Page pool: a bump allocator over a BSS array plus a free list of returned pages. */
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/spinlock.h>

static uint8_t pool[CONFIG_HEAP_KB * 1024UL] __attribute__((aligned(SZ_2M)));
static uint64_t pool_next;
static void *free_list;
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
	void *p;

	spin_lock(&mm_lock);
	p = free_list;
	if (p)
		free_list = *(void **)p;
	spin_unlock(&mm_lock);
	if (!p)
		return mm_alloc_pages(1, PAGE_SIZE);
	memset(p, 0, PAGE_SIZE);
	return p;
}

void mm_free_page(void *page)
{
	spin_lock(&mm_lock);
	*(void **)page = free_list;
	free_list = page;
	spin_unlock(&mm_lock);
}

int mm_pool_contains(uint64_t pa, uint64_t size)
{
	uint64_t base = (uintptr_t)pool;

	return pa >= base && size <= sizeof(pool) && pa - base <= sizeof(pool) - size;
}
