// SPDX-License-Identifier: Apache-2.0
/*
 * The page heap: every page the hypervisor hands out, to itself (tables, vCPUs, grant
 * frames) or to a domU (its RAM), comes from here and goes back here when freed.
 *
 * Regions: the first is a small pool in the image's BSS (CONFIG_HEAP_KB), so that
 * allocation works before the DT is read; the rest is the RAM nobody else owns (not
 * dom0's bank, not Kestrel's image, the DTB or a boot module), added with
 * mm_add_region() once dom0's RAM is chosen. Each region keeps one bit per 4 KiB page
 * (set = in use) in a bitmap at its own start. A run of pages is found first-fit from a
 * per-region hint, a 64-bit word at a time where the run is long: domU RAM is taken in
 * 1 GiB and 2 MiB runs, so a boot scans a few thousand words at most.
 */
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/spinlock.h>

#define MM_MAX_REGIONS	16
#define WORD_BITS	64

struct mm_region {
	uint64_t start;		/* PA (== EL2 VA) of page 0 */
	uint64_t pages;
	uint64_t *bitmap;	/* bit i set: page i is in use */
	uint64_t hint;		/* no free page below this index */
	uint64_t free;
};

static uint8_t boot_pool[CONFIG_HEAP_KB * 1024UL] __attribute__((aligned(SZ_2M)));
static uint64_t boot_pool_bitmap[ALIGN_UP(CONFIG_HEAP_KB / 4, WORD_BITS) / WORD_BITS];
static struct mm_region regions[MM_MAX_REGIONS] = {
	{ (uintptr_t)boot_pool, CONFIG_HEAP_KB / 4, boot_pool_bitmap, 0, CONFIG_HEAP_KB / 4 },
};
static unsigned int nr_regions = 1;
static spinlock_t mm_lock;

static bool bit_test(const uint64_t *map, uint64_t i)
{
	return map[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

static void bits_assign(uint64_t *map, uint64_t i, uint64_t n, bool set)
{
	for (; n && i % WORD_BITS; i++, n--)
		map[i / WORD_BITS] = set ? map[i / WORD_BITS] | (1UL << (i % WORD_BITS))
					 : map[i / WORD_BITS] & ~(1UL << (i % WORD_BITS));
	for (; n >= WORD_BITS; i += WORD_BITS, n -= WORD_BITS)
		map[i / WORD_BITS] = set ? ~0UL : 0;
	for (; n; i++, n--)
		map[i / WORD_BITS] = set ? map[i / WORD_BITS] | (1UL << (i % WORD_BITS))
					 : map[i / WORD_BITS] & ~(1UL << (i % WORD_BITS));
}

static bool bits_all_set(const uint64_t *map, uint64_t i, uint64_t n)
{
	for (; n; i++, n--) {
		if (i % WORD_BITS == 0 && n >= WORD_BITS) {
			if (map[i / WORD_BITS] != ~0UL)
				return false;
			i += WORD_BITS - 1;
			n -= WORD_BITS - 1;
		} else if (!bit_test(map, i)) {
			return false;
		}
	}
	return true;
}

/* Index of the last page in use in [i, i + n), or UINT64_MAX if all are free. */
static uint64_t last_used(const uint64_t *map, uint64_t i, uint64_t n)
{
	for (uint64_t j = i + n; j > i;) {
		if (j % WORD_BITS == 0 && j - i >= WORD_BITS) {
			uint64_t w = map[j / WORD_BITS - 1];

			if (w)
				return j - 1 - (uint64_t)__builtin_clzl(w);
			j -= WORD_BITS;
			continue;
		}
		j--;
		if (bit_test(map, j))
			return j;
	}
	return UINT64_MAX;
}

/* First-fit run of @n free pages in @r whose PA is a multiple of @align; UINT64_MAX if none. */
static uint64_t region_find(const struct mm_region *r, uint64_t n, uint64_t align)
{
	uint64_t i = (ALIGN_UP(r->start + r->hint * PAGE_SIZE, align) - r->start) / PAGE_SIZE;

	while (i <= r->pages && n <= r->pages - i) {
		uint64_t used = last_used(r->bitmap, i, n);

		if (used == UINT64_MAX)
			return i;
		i = (ALIGN_UP(r->start + (used + 1) * PAGE_SIZE, align) - r->start) / PAGE_SIZE;
	}
	return UINT64_MAX;
}

static void region_take(struct mm_region *r, uint64_t i, uint64_t n)
{
	bits_assign(r->bitmap, i, n, true);
	r->free -= n;
	if (i == r->hint)
		while (r->hint < r->pages && bit_test(r->bitmap, r->hint))
			r->hint++;
}

void *mm_alloc_pages(unsigned int n, uint64_t align)
{
	void *p = NULL;

	if (!n || align < PAGE_SIZE || (align & (align - 1)))
		return NULL;
	spin_lock(&mm_lock);
	for (unsigned int k = 0; k < nr_regions && !p; k++) {
		struct mm_region *r = &regions[k];
		uint64_t i = r->free >= n ? region_find(r, n, align) : UINT64_MAX;

		if (i != UINT64_MAX) {
			region_take(r, i, n);
			p = (void *)(uintptr_t)(r->start + i * PAGE_SIZE);
		}
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

int mm_free_pages(void *p, unsigned int n)
{
	uint64_t pa = (uintptr_t)p;
	int err = -EINVAL;

	if (!p || pa % PAGE_SIZE || !n)
		return -EINVAL;
	spin_lock(&mm_lock);
	for (unsigned int k = 0; k < nr_regions; k++) {
		struct mm_region *r = &regions[k];
		uint64_t i = (pa - r->start) / PAGE_SIZE;

		if (pa < r->start || i >= r->pages || n > r->pages - i)
			continue;
		/* Every page must be in use: a double free would hand one page out twice. */
		if (!bits_all_set(r->bitmap, i, n))
			break;
		bits_assign(r->bitmap, i, n, false);
		r->free += n;
		r->hint = MIN(r->hint, i);
		err = 0;
		break;
	}
	spin_unlock(&mm_lock);
	return err;
}

int mm_free_page(void *p)
{
	return mm_free_pages(p, 1);
}

int mm_add_region(uint64_t start, uint64_t size)
{
	uint64_t s = ALIGN_UP(start, PAGE_SIZE), e = ALIGN_DOWN(start + size, PAGE_SIZE);
	uint64_t pages, map_pages;
	struct mm_region *r;
	int err = 0;

	if (start + size < start || e <= s)
		return -EINVAL;
	pages = (e - s) / PAGE_SIZE;
	map_pages = ALIGN_UP(ALIGN_UP(pages, WORD_BITS) / 8, PAGE_SIZE) / PAGE_SIZE;
	if (pages <= map_pages)
		return -EINVAL;
	spin_lock(&mm_lock);
	if (nr_regions == MM_MAX_REGIONS) {
		err = -ENOSPC;
	} else {
		r = &regions[nr_regions++];
		*r = (struct mm_region){ s, pages, (uint64_t *)(uintptr_t)s, 0, pages };
		memset(r->bitmap, 0, map_pages * PAGE_SIZE);
		region_take(r, 0, map_pages);	/* the bitmap's own pages */
	}
	spin_unlock(&mm_lock);
	return err;
}

void mm_stats(uint64_t *free_pages, uint64_t *total_pages)
{
	uint64_t f = 0, t = 0;

	spin_lock(&mm_lock);
	for (unsigned int k = 0; k < nr_regions; k++) {
		f += regions[k].free;
		t += regions[k].pages;
	}
	spin_unlock(&mm_lock);
	*free_pages = f;
	if (total_pages)
		*total_pages = t;
}
