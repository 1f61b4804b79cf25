// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op hypercall (number 12). XENMEM_add_to_physmap places a hypervisor page
 * (the shared-info page, or a grant-table frame) at a guest frame of the caller's
 * choosing; Linux does this for both at boot (arch/arm/xen/enlighten.c,
 * drivers/xen/grant-table.c). Layouts: Xen public/memory.h.
 */
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <public/memory.h>

#define XENMAPIDX_GNTTAB_STATUS	(1UL << 31)

static struct domain *self_only(uint16_t domid)
{
	struct domain *d = current->domain;

	return domid == DOMID_SELF || domid == d->domain_id ? d : NULL;
}

/*
 * Map hypervisor page @pa at @ipa of @d. A domU's RAM page that was there goes back to
 * the heap once the new mapping is in (and the old one out of every TLB): the guest
 * gave that frame up, as with Xen, which removes the page it replaces.
 */
static long map_over(struct domain *d, uint64_t ipa, uint64_t pa)
{
	uint64_t old;
	bool was_ram = !d->direct_map && p2m_lookup_ram(&d->p2m, ipa, &old);
	long ret = p2m_map(&d->p2m, ipa, pa, PAGE_SIZE, P2M_MAGIC);

	if (!ret && was_ram)
		mm_free_page((void *)(uintptr_t)(old & ~(PAGE_SIZE - 1)));
	return ret;
}

/**
 * add_to_physmap() - map space @space's page @idx at guest frame @gpfn of @d.
 * Return: 0, -EINVAL (bad space/index/frame), -ENOMEM, -ENOSYS (space not offered).
 */
static long add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gpfn)
{
	uint64_t pa, ipa = gpfn << PAGE_SHIFT;

	if (gpfn >> (P2M_IPA_BITS - PAGE_SHIFT))
		return -EINVAL;
	/*
	 * Only where the guest's own p2m already has tables to hold the page: its RAM, or
	 * the grant-table region of its /hypervisor node. That bounds the table pages a
	 * guest can make Kestrel allocate.
	 */
	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx != 0 || !domain_ipa_is_ram(d, ipa, PAGE_SIZE))
			return -EINVAL;
		pa = (uintptr_t)d->shared_info;
		break;
	case XENMAPSPACE_grant_table:
		if (idx & XENMAPIDX_GNTTAB_STATUS)
			return -EINVAL;	/* status frames exist only in grant tables v2 */
		if (idx >= CONFIG_GNTTAB_MAX_FRAMES || ipa - d->gnttab_ipa >= CONFIG_GNTTAB_MAX_FRAMES * PAGE_SIZE)
			return -EINVAL;
		pa = gnttab_get_frame(d, (unsigned int)idx);
		if (!pa)
			return -EINVAL;
		break;
	default:
		return -ENOSYS;
	}
	return map_over(d, ipa, pa);
}

static long memory_add_to_physmap(uint64_t arg)
{
	struct xen_add_to_physmap xatp;
	struct domain *d;

	if (copy_from_guest(&xatp, arg, sizeof(xatp)))
		return -EFAULT;
	long ret;

	d = self_only(xatp.domid);
	if (!d)
		return -EPERM;	/* mapping into other domains needs the toolstack */
	spin_lock(&d->lock);	/* vCPUs on other pCPUs may change the p2m or grant frames too */
	ret = add_to_physmap(d, xatp.space, xatp.idx, xatp.gpfn);
	spin_unlock(&d->lock);
	return ret;
}

static long domain_pages(const struct domain *d)
{
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < d->nr_mem; i++)
		bytes += d->mem[i].size;
	return (long)(bytes >> PAGE_SHIFT);
}

/*
 * XENMEM_maximum_ram_page: the host's highest RAM frame number + 1 (Xen's max_page: one
 * past the last page frame of RAM, xen/common/memory.c), not the domain's size.
 */
static long max_ram_page(void)
{
	uint64_t end = 0;

	for (unsigned int i = 0; i < bootinfo.nr_mem; i++)
		end = MAX(end, bootinfo.mem[i].start + bootinfo.mem[i].size);
	return (long)(end >> PAGE_SHIFT);
}

long do_memory_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;
	uint16_t domid;

	switch (cmd & 0x3f) {	/* bits 6+ carry a continuation start extent (MEMOP_EXTENT_SHIFT) */
	case XENMEM_add_to_physmap:
		return memory_add_to_physmap(arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		if (copy_from_guest(&domid, arg, sizeof(domid)))
			return -EFAULT;
		if (!self_only(domid))
			return -EPERM;
		return domain_pages(d);
	case XENMEM_maximum_ram_page:
		if (cmd >> 6)
			return -EINVAL;	/* no continuation: as Xen */
		return max_ram_page();
	}
	return -ENOSYS;
}
