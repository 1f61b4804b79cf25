// SPDX-License-Identifier: Apache-2.0
/*
 * Guest virtual address translation for hypercall buffers ("guest handles" are guest
 * virtual addresses on Arm: Xen public/arch-arm.h). Each page is translated on its own:
 *
 * 1. VA -> IPA by the guest's own stage 1, with the AT instruction (Arm ARM C5.5,
 *    "AT S1E1R, AT S1E1W"; result in PAR_EL1, D17.2.113): the guest's EL1 read or write
 *    permission applies, and a walk that leaves its stage 2 fails (PAR_EL1.F);
 * 2. IPA -> PA by Kestrel's own p2m walk, which tells guest RAM from devices whatever
 *    the guest's MMU state (with the guest's MMU off every access counts as Device
 *    memory, so the combined attributes of AT S12E1* cannot), and checks the stage-2
 *    permission;
 * 3. the PA must be host RAM, which EL2 maps 1:1.
 *
 * Anything else is -EFAULT: an unmapped VA or IPA, a device, a read-only page for a
 * write, or memory the guest was not given (Kestrel's own is never in a p2m, except the
 * pages it hands out: shared info, grant frames). PAR_EL1 belongs to the guest, so it
 * is saved and restored around the translation.
 */
#include <asm/cache.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/lib.h>
#include <kestrel/pgtable.h>

#define PAR_F			(1UL << 0)
#define PAR_PA_MASK		0x0000fffffffff000UL
#define S2_MEMATTR_MASK		(0xfUL << 2)
#define SCTLR_EL1_C		(1UL << 2)

static bool pa_is_host_ram(uint64_t pa)
{
	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		if (pa - bootinfo.mem[i].start < bootinfo.mem[i].size)
			return true;
	return false;
}

int guest_va_to_pa(uint64_t va, int write, uint64_t *pa)
{
	uint64_t saved = read_sysreg(par_el1), par, ipa, attr;

	if (write)
		__asm__ volatile("at s1e1w, %0" : : "r"(va));
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(saved, par_el1);
	if (par & PAR_F)
		return -EFAULT;
	ipa = (par & PAR_PA_MASK) | (va & (PAGE_SIZE - 1));
	if (!pgtable_lookup(&current->domain->p2m.pt, ipa, pa, &attr))
		return -EFAULT;
	/*
	 * Guest RAM or a hypervisor page it was given: Normal memory the guest may itself
	 * read (and write, for a write) at stage 2. Never a device: an access there could
	 * have side effects, or fault at EL2.
	 */
	if ((attr & S2_MEMATTR_MASK) != PTE_S2_MEMATTR_NORMAL_WB ||
	    !(attr & (write ? PTE_S2_AP_W : PTE_S2_AP_R)))
		return -EFAULT;
	/* Pages Kestrel gave the guest are in its image, itself in host RAM. */
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

/*
 * Copy @len bytes between hypervisor memory and guest VA @va, one guest page at a time:
 * each page is translated (and permission-checked) on its own, so a buffer that crosses
 * into an unmapped, read-only or foreign page stops there with -EFAULT. Bytes of the
 * pages before it have been copied by then (as with Xen's copy_to_guest).
 */
static int copy_guest(void *dst, const void *src, uint64_t va, size_t len, int to_guest)
{
	/* A guest with its caches off reads and writes memory directly: meet it there. */
	bool uncached = !(read_sysreg(sctlr_el1) & SCTLR_EL1_C);

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint64_t pa;

		if (guest_va_to_pa(va, to_guest, &pa))
			return -EFAULT;
		if (uncached)
			dcache_clean_inval_range(pa, chunk);
		if (to_guest) {
			copy_bytes((void *)(uintptr_t)pa, src, chunk);
			src = (const char *)src + chunk;
		} else {
			copy_bytes(dst, (const void *)(uintptr_t)pa, chunk);
			dst = (char *)dst + chunk;
		}
		if (uncached && to_guest)
			dcache_clean_inval_range(pa, chunk);
		va += chunk;
		len -= chunk;
	}
	return 0;
}

const char *guest_read_in_place(uint64_t va, size_t len, size_t *n)
{
	uint64_t pa;

	*n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
	if (guest_va_to_pa(va, 0, &pa))
		return NULL;
	if (!(read_sysreg(sctlr_el1) & SCTLR_EL1_C))
		dcache_clean_inval_range(pa, *n);
	return (const char *)(uintptr_t)pa;
}

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
	return copy_guest(dst, NULL, va, len, 0);
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
	return copy_guest(NULL, src, va, len, 1);
}
