// SPDX-License-Identifier: Apache-2.0
/*
 * Guest virtual address translation with the AT instruction (Arm ARM C5.5,
 * "AT S12E1R, AT S12E1W"; result in PAR_EL1, D17.2.113). PAR_EL1 belongs to the
 * guest, so it is saved and restored around each translation.
 */
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/lib.h>
#include <kestrel/pgtable.h>

#define PAR_F		(1UL << 0)
#define PAR_PA_MASK	0x0000fffffffff000UL
#define PAR_ATTR_SHIFT	56

static bool pa_is_host_ram(uint64_t pa)
{
	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		if (pa - bootinfo.mem[i].start < bootinfo.mem[i].size)
			return true;
	return false;
}

int guest_va_to_pa(uint64_t va, int write, uint64_t *pa)
{
	uint64_t saved = read_sysreg(par_el1), par;

	if (write)
		__asm__ volatile("at s12e1w, %0" : : "r"(va));
	else
		__asm__ volatile("at s12e1r, %0" : : "r"(va));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(saved, par_el1);
	/* ATTR[7:4] == 0 means Device memory: never touched from EL2. */
	if ((par & PAR_F) || !(par >> (PAR_ATTR_SHIFT + 4)))
		return -EFAULT;
	*pa = (par & PAR_PA_MASK) | (va & (PAGE_SIZE - 1));
	return pa_is_host_ram(*pa) ? 0 : -EFAULT;
}

int guest_range_check(uint64_t va, size_t len, int write)
{
	uint64_t pa, end = va + len;

	if (end < va)
		return -EFAULT;
	for (uint64_t p = va & ~(PAGE_SIZE - 1); p < end; p += PAGE_SIZE)
		if (guest_va_to_pa(p, write, &pa))
			return -EFAULT;
	return 0;
}

static int copy_guest(void *hyp, uint64_t va, size_t len, int to_guest)
{
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint64_t pa;

		if (guest_va_to_pa(va, to_guest, &pa))
			return -EFAULT;
		if (to_guest)
			memcpy((void *)(uintptr_t)pa, hyp, chunk);
		else
			memcpy(hyp, (const void *)(uintptr_t)pa, chunk);
		hyp = (char *)hyp + chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
	return copy_guest(dst, va, len, 0);
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
	return copy_guest((void *)src, va, len, 1);
}
