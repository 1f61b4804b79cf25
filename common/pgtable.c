// SPDX-License-Identifier: Apache-2.0
/*
 * Generic 4 KiB-granule table walker (see include/kestrel/pgtable.h).
 * Portable C: also built for the host by the unit tests.
 */
#include <kestrel/errno.h>
#include <kestrel/pgtable.h>

static unsigned int level_shift(unsigned int level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

unsigned int pgtable_va_bits(const struct pgtable *pt)
{
	unsigned int extra = __builtin_ctz(pt->root_pages);

	return level_shift(pt->start_level) + 9 + extra;
}

static unsigned int index_at(const struct pgtable *pt, unsigned int level, uint64_t va)
{
	uint64_t n = PTES_PER_TABLE;

	if (level == pt->start_level)
		n *= pt->root_pages;
	return (va >> level_shift(level)) & (n - 1);
}

static void *table_of(uint64_t pte)
{
	return (void *)(uintptr_t)(pte & PTE_ADDR_MASK);
}

/* Replace a valid block by a table holding the same mapping in smaller pieces. */
static int split_block(struct pgtable *pt, uint64_t *slot, unsigned int level, uint64_t va)
{
	uint64_t old = *slot, *table = pt->alloc_page(pt->ctx);
	uint64_t step = 1UL << level_shift(level + 1);
	uint64_t type = (level + 1 == 3) ? PTE_PAGE : PTE_BLOCK;
	uint64_t attr = old & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
	uint64_t pa = old & PTE_ADDR_MASK;

	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < PTES_PER_TABLE; i++)
		table[i] = (pa + i * step) | attr | type;
	*slot = 0;
	if (pt->flush)
		pt->flush(pt->ctx, va & ~((1UL << level_shift(level)) - 1), 1UL << level_shift(level));
	*slot = (uintptr_t)table | PTE_VALID | PTE_TABLE;
	return 0;
}

static void set_leaf(struct pgtable *pt, uint64_t *slot, uint64_t pte, uint64_t va, uint64_t size)
{
	if ((*slot & PTE_VALID) && *slot != pte) {
		*slot = 0;
		if (pt->flush)
			pt->flush(pt->ctx, va, size);
	}
	*slot = pte;
}

static int map_level(struct pgtable *pt, uint64_t *table, unsigned int level,
		     uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	uint64_t block = 1UL << level_shift(level);

	while (size) {
		uint64_t *slot = &table[index_at(pt, level, va)];
		uint64_t chunk = block - (va & (block - 1));
		int err;

		if (chunk > size)
			chunk = size;
		if (chunk == block && !((va | pa) & (block - 1)) && level >= 1) {
			uint64_t type = (level == 3) ? PTE_PAGE : PTE_BLOCK;

			if ((*slot & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE) && level < 3) {
				/* A whole table is replaced by one block; its pages are leaked. */
				*slot = 0;
				if (pt->flush)
					pt->flush(pt->ctx, va, block);
			}
			set_leaf(pt, slot, attr ? (pa | attr | type) : 0, va, block);
		} else {
			if (level == 3)
				return -EINVAL;
			if (!(*slot & PTE_VALID)) {
				uint64_t *next;

				if (!attr)
					goto next;
				next = pt->alloc_page(pt->ctx);
				if (!next)
					return -ENOMEM;
				*slot = (uintptr_t)next | PTE_VALID | PTE_TABLE;
			} else if ((*slot & PTE_TYPE_MASK) == PTE_BLOCK) {
				err = split_block(pt, slot, level, va);
				if (err)
					return err;
			}
			err = map_level(pt, table_of(*slot), level + 1, va, pa, chunk, attr);
			if (err)
				return err;
		}
next:
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	uint64_t limit = 1UL << pgtable_va_bits(pt);

	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	if (va >= limit || size > limit - va || (pa & ~PTE_ADDR_MASK))
		return -EINVAL;
	return map_level(pt, pt->root, pt->start_level, va, pa, size, attr);
}

bool pgtable_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa_out, uint64_t *attr_out)
{
	const uint64_t *table = pt->root;

	if (va >> pgtable_va_bits(pt))
		return false;
	for (unsigned int level = pt->start_level; level <= 3; level++) {
		uint64_t pte = table[index_at(pt, level, va)];
		uint64_t mask = (1UL << level_shift(level)) - 1;

		if (!(pte & PTE_VALID))
			return false;
		if (level == 3 || !(pte & PTE_TABLE)) {
			*pa_out = (pte & PTE_ADDR_MASK & ~mask) | (va & mask);
			if (attr_out)
				*attr_out = pte & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
			return true;
		}
		table = table_of(pte);
	}
	return false;
}
