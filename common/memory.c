// SPDX-License-Identifier: Apache-2.0
/*
 * memory_op hypercall (number 12). XENMEM_add_to_physmap places a hypervisor page
 * (the shared-info page, or a grant-table frame) at a guest frame of the caller's
 * choosing; Linux does this for both at boot (arch/arm/xen/enlighten.c,
 * drivers/xen/grant-table.c). Each such page is mapped at one frame at most;
 * XENMEM_remove_from_physmap takes it (or a RAM page) away again. Layouts: Xen
 * public/memory.h.
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

#define MAPPED	1UL	/* in shared_info_at / frame_at[]: the page is mapped at the rest, an IPA */

/*
 * The slot recording that a hypervisor page of @d (its shared-info page, or one of its
 * grant frames) is mapped at @ipa, or NULL if none is. Xen 4.17 records the same per page
 * (page_set_xenheap_gfn(), xen/arch/arm/mm.c) to refuse a second mapping of it.
 */
static uint64_t *magic_slot_at(struct domain *d, uint64_t ipa)
{
	if (d->shared_info_at == (ipa | MAPPED))
		return &d->shared_info_at;
	for (unsigned int i = 0; i < CONFIG_GNTTAB_MAX_FRAMES; i++)
		if (d->gnttab.frame_at[i] == (ipa | MAPPED))
			return &d->gnttab.frame_at[i];
	return NULL;
}

/*
 * Does a vCPU of @d keep its vcpu_info in the RAM page at @pa? Kestrel writes there
 * (VCPUOP_register_vcpu_info keeps the PA), so that page must not go back to the heap.
 * Xen holds a page reference for it instead (xen/common/domain.c, map_vcpu_info).
 */
static bool holds_vcpu_info(const struct domain *d, uint64_t pa)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		uintptr_t vi = d->vcpu[i]
				       ? (uintptr_t)__atomic_load_n(&d->vcpu[i]->vcpu_info, __ATOMIC_ACQUIRE)
				       : 0;

		if (vi && vi - pa < PAGE_SIZE)
			return true;
	}
	return false;
}

/*
 * Replace what @d has at @ipa (RAM, a hypervisor page, or nothing) by @pa as @type, or
 * unmap it (@pa == 0). A domU's RAM page that was there goes back to the heap once it is
 * out of every TLB: the guest gave that frame up (Xen removes the page it replaces too).
 * A hypervisor page that was there is no longer mapped anywhere and may be mapped again
 * (Xen: p2m_put_l3_page() resets its GFN). Return: 0, -EBUSY (a domU's RAM page holding
 * a vcpu_info: nothing changed), -ENOMEM (no table page left to split a block).
 */
static long replace_page(struct domain *d, uint64_t ipa, uint64_t pa)
{
	uint64_t old, *was_magic = magic_slot_at(d, ipa);
	bool was_ram = !d->direct_map && p2m_lookup_ram(&d->p2m, ipa, &old);
	long ret;

	if (was_ram) {
		old &= ~(PAGE_SIZE - 1);
		if (holds_vcpu_info(d, old))
			return -EBUSY;
	}
	ret = pa ? p2m_map(&d->p2m, ipa, pa, PAGE_SIZE, P2M_MAGIC) : p2m_unmap(&d->p2m, ipa, PAGE_SIZE);
	if (ret)
		return ret;
	if (was_magic)
		*was_magic = 0;
	if (was_ram)
		mm_free_page((void *)(uintptr_t)old);
	return 0;
}

/**
 * add_to_physmap() - map space @space's page @idx at guest frame @gpfn of @d.
 * As Xen 4.17 on Arm (xen/arch/arm/mm.c, xenmem_add_to_physmap_one): a page already
 * mapped (at @gpfn or elsewhere) is refused with -EBUSY, the caller must first remove
 * it (XENMEM_remove_from_physmap); what was at @gpfn is replaced (replace_page()).
 * Return: 0, -EINVAL (bad space/index/frame), -EBUSY, -ENOMEM, -ENOSYS (space not offered).
 */
static long add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gpfn)
{
	uint64_t pa, *slot, ipa = gpfn << PAGE_SHIFT;
	long ret;

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
		slot = &d->shared_info_at;
		break;
	case XENMAPSPACE_grant_table:
		if (idx & XENMAPIDX_GNTTAB_STATUS)
			return -EINVAL;	/* status frames exist only in grant tables v2 */
		if (idx >= CONFIG_GNTTAB_MAX_FRAMES || ipa - d->gnttab_ipa >= CONFIG_GNTTAB_MAX_FRAMES * PAGE_SIZE)
			return -EINVAL;
		pa = gnttab_get_frame(d, (unsigned int)idx);
		if (!pa)
			return -EINVAL;
		slot = &d->gnttab.frame_at[idx];
		break;
	default:
		return -ENOSYS;
	}
	if (*slot)
		return -EBUSY;
	ret = replace_page(d, ipa, pa);
	if (!ret)
		*slot = ipa | MAPPED;
	return ret;
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

/**
 * remove_from_physmap() - unmap what @d has at guest frame @gpfn: its shared-info page or
 * a grant frame (which may then be mapped again), or a RAM page (a domU's goes back to the
 * heap; dom0's stays the machine's). As Xen 4.17 (xen/common/memory.c): a frame with
 * neither (a device, or nothing) is -ENOENT. Return: 0, -ENOENT, -EBUSY (a domU's RAM page
 * holding a vcpu_info), -ENOMEM (no table page left to split a block).
 */
static long remove_from_physmap(struct domain *d, uint64_t gpfn)
{
	uint64_t pa, ipa = gpfn << PAGE_SHIFT;

	if (gpfn >> (P2M_IPA_BITS - PAGE_SHIFT))
		return -ENOENT;
	if (!magic_slot_at(d, ipa) && !p2m_lookup_ram(&d->p2m, ipa, &pa))
		return -ENOENT;
	return replace_page(d, ipa, 0);
}

static long memory_remove_from_physmap(unsigned int cmd, uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;
	struct domain *d;
	long ret;

	if (cmd >> 6)
		return -EINVAL;	/* no continuation: as Xen */
	if (copy_from_guest(&xrfp, arg, sizeof(xrfp)))
		return -EFAULT;
	d = self_only(xrfp.domid);
	if (!d)
		return -EPERM;	/* as add_to_physmap: another domain's p2m needs the toolstack */
	spin_lock(&d->lock);
	ret = remove_from_physmap(d, xrfp.gpfn);
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
	case XENMEM_remove_from_physmap:
		return memory_remove_from_physmap(cmd, arg);
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
