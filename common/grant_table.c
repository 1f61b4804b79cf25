// SPDX-License-Identifier: Apache-2.0
/*
 * grant_table_op hypercall (number 20), grant tables version 1. Linux maps frame 0
 * at boot (drivers/xen/grant-table.c, gnttab_init/gnttab_map via add_to_physmap)
 * after GNTTABOP_query_size and GNTTABOP_set_version. Sharing between domains
 * (map/unmap/copy) arrives with domUs; until then those return -ENOSYS.
 * Source: Xen public/grant_table.h (4.17).
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/grant_table.h>
#include <kestrel/guest_access.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <public/grant_table.h>

uint64_t gnttab_get_frame(struct domain *d, unsigned int idx)
{
	struct grant_table *gt = &d->gnttab;

	if (idx >= CONFIG_GNTTAB_MAX_FRAMES)
		return 0;
	if (!gt->frames[idx]) {
		gt->frames[idx] = mm_alloc_page();
		if (!gt->frames[idx])
			return 0;
	}
	if (idx >= gt->nr_frames)
		gt->nr_frames = idx + 1;
	return (uintptr_t)gt->frames[idx];
}

void gnttab_domain_free(struct domain *d)
{
	for (unsigned int i = 0; i < CONFIG_GNTTAB_MAX_FRAMES; i++)
		if (d->gnttab.frames[i])
			mm_free_page(d->gnttab.frames[i]);
}

static long query_size(struct domain *d, uint64_t uop, unsigned int count)
{
	struct gnttab_query_size q;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&q, uop, sizeof(q)))
		return -EFAULT;
	if (q.dom != DOMID_SELF && q.dom != d->domain_id) {
		q.status = GNTST_permission_denied;
	} else {
		q.nr_frames = MAX(d->gnttab.nr_frames, 1U);
		q.max_nr_frames = CONFIG_GNTTAB_MAX_FRAMES;
		q.status = GNTST_okay;
	}
	return copy_to_guest(uop, &q, sizeof(q));
}

static long set_version(struct domain *d, uint64_t uop, unsigned int count)
{
	struct gnttab_set_version sv;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&sv, uop, sizeof(sv)))
		return -EFAULT;
	if (sv.version != 1) {
		sv.version = 1;	/* report the version in force, as Xen does on failure */
		copy_to_guest(uop, &sv, sizeof(sv));
		return -EINVAL;
	}
	d->gnttab.version = 1;
	return 0;
}

static long get_version(struct domain *d, uint64_t uop, unsigned int count)
{
	struct gnttab_get_version gv;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&gv, uop, sizeof(gv)))
		return -EFAULT;
	if (gv.dom != DOMID_SELF && gv.dom != d->domain_id)
		return -EPERM;
	gv.version = 1;
	return copy_to_guest(uop, &gv, sizeof(gv));
}

long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case GNTTABOP_query_size:
		return query_size(d, uop, count);
	case GNTTABOP_set_version:
		return set_version(d, uop, count);
	case GNTTABOP_get_version:
		return get_version(d, uop, count);
	}
	return -ENOSYS;
}
