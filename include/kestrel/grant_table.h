/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_GRANT_TABLE_H
#define KESTREL_GRANT_TABLE_H
/*
 * Grant tables, version 1. Frames are hypervisor pages the guest maps into its
 * grant region with XENMEM_add_to_physmap(XENMAPSPACE_grant_table).
 * Source: Xen public/grant_table.h (4.17).
 */
#include <stdint.h>

struct domain;

/**
 * struct grant_table - @frames[i] is the hypervisor page of grant frame i (or NULL);
 * @frame_at[i] where XENMEM_add_to_physmap mapped it: its IPA | 1, or 0 if it is not mapped
 * (memory.c, magic_slot_at()).
 */
struct grant_table {
	void *frames[CONFIG_GNTTAB_MAX_FRAMES];
	uint64_t frame_at[CONFIG_GNTTAB_MAX_FRAMES];
	unsigned int nr_frames;		/* frames the guest has mapped so far */
	unsigned int version;		/* 1 */
};

/**
 * gnttab_get_frame() - the page backing grant frame @idx of @d, allocated on first use.
 * Return: its PA, or 0 if @idx >= CONFIG_GNTTAB_MAX_FRAMES or out of memory.
 */
uint64_t gnttab_get_frame(struct domain *d, unsigned int idx);

/** do_grant_table_op() - the grant_table_op hypercall (number 20). */
long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count);
/** gnttab_domain_free() - give @d's grant frames back to the heap (domain destruction). */
void gnttab_domain_free(struct domain *d);
#endif
