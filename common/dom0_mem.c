// SPDX-License-Identifier: Apache-2.0
/* Choice of dom0's 1:1 RAM bank and of where its kernel, initrd and DTB go. Portable; unit-tested. */
#include <kestrel/dom0.h>
#include <kestrel/errno.h>
#include <kestrel/kimage.h>
#include <kestrel/lib.h>

static bool overlaps(uint64_t a, uint64_t size, const struct membank *r)
{
	return a < r->start + r->size && r->start < a + size;
}

static bool fits(uint64_t a, uint64_t size, const struct membank *bank, const struct membank *resv,
		 unsigned int nr_resv)
{
	if (a < bank->start || a + size > bank->start + bank->size || a + size < a)
		return false;
	for (unsigned int i = 0; i < nr_resv; i++)
		if (overlaps(a, size, &resv[i]))
			return false;
	return true;
}

int dom0_choose_bank(const struct membank *mem, unsigned int nr_mem, const struct membank *resv,
		     unsigned int nr_resv, uint64_t size, uint64_t align, struct membank *out)
{
	uint64_t total = 0, best = 0;
	bool found = false;

	for (unsigned int i = 0; i < nr_mem; i++)
		total += mem[i].size;
	if (!size || size > total)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_mem; i++) {
		const struct membank *bank = &mem[i];

		if (bank->size < size)
			continue;
		/* Candidates: the top of the bank, and just below each reserved range. */
		for (unsigned int j = 0; j <= nr_resv; j++) {
			uint64_t top = j < nr_resv ? resv[j].start : bank->start + bank->size;
			uint64_t a;

			if (top < size)
				continue;
			a = ALIGN_DOWN(top - size, align);
			if (fits(a, size, bank, resv, nr_resv) && (!found || a > best)) {
				best = a;
				found = true;
			}
		}
	}
	if (!found)
		return -ENOSPC;
	*out = (struct membank){ best, size };
	return 0;
}

/*
 * Take [*off, *off + size) inside [0, limit) and move *off to the next 2 MiB boundary.
 * Compares against the room left rather than summing first: sizes come from an Image
 * header and DT module nodes, and a sum of them can wrap past 2^64 to a small address.
 */
static bool take(uint64_t *off, uint64_t size, uint64_t limit)
{
	uint64_t next;

	if (*off > limit || size > limit - *off)
		return false;
	next = ALIGN_UP(*off + size, SZ_2M);
	if (next < *off + size)
		return false;
	*off = next;
	return true;
}

int dom0_place(const struct membank *bank, const struct kimage *ki, uint64_t initrd_size,
	       uint64_t fdt_size, struct dom0_layout *out)
{
	uint64_t off = ki->text_offset, ioff, foff;

	if (bank->start + bank->size < bank->start || !take(&off, ki->mem_size, bank->size))
		return -ENOSPC;
	ioff = off;
	if (!take(&off, initrd_size, bank->size))
		return -ENOSPC;
	foff = off;
	if (foff > bank->size || fdt_size > bank->size - foff)
		return -ENOSPC;
	*out = (struct dom0_layout){ bank->start + ki->text_offset, bank->start + ioff, bank->start + foff };
	return 0;
}
