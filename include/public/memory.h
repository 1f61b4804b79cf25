/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_MEMORY_H
#define KESTREL_PUBLIC_MEMORY_H

/*
 * __HYPERVISOR_memory_op(cmd, arg): guest physical memory management.
 * Frame numbers here are gfns (guest frame numbers, 4 KiB pages of the
 * guest's IPA space). arg is the gva of the sub-op's struct.
 * Source: Xen public/memory.h (stable-4.17).
 */

#include "xen.h"

/*
 * Sub-op numbers. Some of them (machphys_*, memory_map, pod, paging,
 * sharing) are x86-only or toolstack-only. 8 is retired.
 * Source: Xen public/memory.h (stable-4.17).
 */
#define XENMEM_increase_reservation        0   /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation        1   /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page            2   /* arg unused; returns highest RAM mfn */
#define XENMEM_current_reservation         3   /* arg: domid_t; returns pages */
#define XENMEM_maximum_reservation         4   /* arg: domid_t; returns pages */
#define XENMEM_machphys_mfn_list           5   /* x86 PV */
#define XENMEM_populate_physmap            6   /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap              7   /* struct xen_add_to_physmap */
#define XENMEM_memory_map                  9   /* x86 */
#define XENMEM_machine_memory_map         10   /* x86 */
#define XENMEM_exchange                   11
#define XENMEM_machphys_mapping           12   /* x86 PV */
#define XENMEM_set_memory_map             13   /* x86, toolstack */
#define XENMEM_maximum_gpfn               14   /* arg: domid_t; returns highest gfn */
#define XENMEM_remove_from_physmap        15   /* struct xen_remove_from_physmap */
#define XENMEM_set_pod_target             16
#define XENMEM_get_pod_target             17
#define XENMEM_get_sharing_freed_pages    18
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20
#define XENMEM_access_op                  21
#define XENMEM_sharing_op                 22
#define XENMEM_add_to_physmap_batch       23   /* struct xen_add_to_physmap_batch */
#define XENMEM_claim_pages                24
#define XENMEM_machphys_compat_mfn_list   25
#define XENMEM_get_vnumainfo              26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource           28

/*
 * xen_memory_reservation.mem_flags encoding: bits 0..7 = maximum address
 * width of allocated memory (0 = no limit), bits 8..15 = NUMA node + 1,
 * plus single-bit flags. Source: Xen public/memory.h (stable-4.17).
 */
#define XENMEMF_address_bits(x)      (x)
#define XENMEMF_get_address_bits(x)  ((x) & 0xffU)
#define XENMEMF_node(x)              (((x) + 1) << 8)
#define XENMEMF_get_node(x)          ((((x) >> 8) - 1) & 0xffU)
#define XENMEMF_populate_on_demand   (1U << 16)
#define XENMEMF_exact_node_request   (1U << 17)
#define XENMEMF_vnode                (1U << 18)

/*
 * "Spaces" that XENMEM_add_to_physmap can take a page from.
 * Source: Xen public/memory.h (stable-4.17).
 */
#define XENMAPSPACE_shared_info   0   /* the shared_info page; idx must be 0 */
#define XENMAPSPACE_grant_table   1   /* grant-table frame idx (see flag below) */
#define XENMAPSPACE_gmfn          2   /* move the guest's own gfn idx */
#define XENMAPSPACE_gmfn_range    3   /* like gmfn, 'size' pages (add_to_physmap only) */
#define XENMAPSPACE_gmfn_foreign  4   /* another domain's gfn (add_to_physmap_batch only) */
#define XENMAPSPACE_dev_mmio      5   /* Arm: device MMIO frame (dom0) */

/*
 * Set in xen_add_to_physmap.idx with XENMAPSPACE_grant_table to ask for
 * a grant *status* frame (grant table v2) instead of a shared frame.
 * Source: Xen public/memory.h (stable-4.17).
 */
#define XENMAPIDX_grant_table_status  0x80000000U

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/*
 * XENMEM_{increase,decrease}_reservation / XENMEM_populate_physmap.
 * extent_start is the gva of an array of nr_extents xen_pfn_t; each
 * extent is 2^extent_order pages. For populate_physmap the array holds
 * the gfns to back with memory; for decrease_reservation the gfns to
 * release. Returns the number of extents processed. 32 bytes.
 * Source: Xen public/memory.h (stable-4.17).
 */
struct xen_memory_reservation {
    uint64_t    extent_start;   /* guest handle: gva of xen_pfn_t[] */
    xen_ulong_t nr_extents;
    uint32_t    extent_order;   /* log2(pages per extent) */
    uint32_t    mem_flags;      /* XENMEMF_* */
    domid_t     domid;          /* usually DOMID_SELF */
    uint8_t     _pad[6];        /* implicit tail padding in Xen */
};

/*
 * XENMEM_add_to_physmap: make page 'idx' of 'space' appear at gfn 'gpfn'
 * of domain 'domid'. 24 bytes.
 * Source: Xen public/memory.h (stable-4.17).
 */
struct xen_add_to_physmap {
    domid_t     domid;          /* normally DOMID_SELF */
    uint16_t    size;           /* pages, XENMAPSPACE_gmfn_range only */
    uint32_t    space;          /* XENMAPSPACE_* */
    xen_ulong_t idx;            /* index within the space */
    xen_pfn_t   gpfn;           /* destination gfn */
};

/*
 * XENMEM_add_to_physmap_batch: vector form of add_to_physmap; each array
 * has 'size' elements and is given by gva. errs[] receives a per-entry
 * result (0 or -XEN_E*). 32 bytes.
 * Source: Xen public/memory.h (stable-4.17).
 */
struct xen_add_to_physmap_batch {
    domid_t  domid;
    uint16_t space;             /* XENMAPSPACE_* */
    uint16_t size;              /* number of entries */
    union {
        domid_t  foreign_domid; /* XENMAPSPACE_gmfn_foreign: source domain */
        uint16_t res0;          /* other spaces: must be 0 */
    } u;
    uint64_t idxs;              /* guest handle: gva of xen_ulong_t[] */
    uint64_t gpfns;             /* guest handle: gva of xen_pfn_t[] */
    uint64_t errs;              /* guest handle: gva of int32_t[] (OUT) */
};

/*
 * XENMEM_remove_from_physmap: unmap whatever is at gfn 'gpfn'. 16 bytes.
 * Source: Xen public/memory.h (stable-4.17).
 */
struct xen_remove_from_physmap {
    domid_t   domid;
    uint8_t   _pad[6];          /* implicit alignment padding in Xen */
    xen_pfn_t gpfn;
};

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation size");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8, "xen_memory_reservation.nr_extents");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "xen_memory_reservation.extent_order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20, "xen_memory_reservation.mem_flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "xen_memory_reservation.domid");

_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap size");
_Static_assert(offsetof(struct xen_add_to_physmap, size) == 2, "xen_add_to_physmap.size");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4, "xen_add_to_physmap.space");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8, "xen_add_to_physmap.idx");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "xen_add_to_physmap.gpfn");

_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "xen_add_to_physmap_batch size");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, space) == 2, "xen_add_to_physmap_batch.space");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, size) == 4, "xen_add_to_physmap_batch.size");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, u) == 6, "xen_add_to_physmap_batch.u");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "xen_add_to_physmap_batch.idxs");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, gpfns) == 16, "xen_add_to_physmap_batch.gpfns");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, errs) == 24, "xen_add_to_physmap_batch.errs");

_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap size");
_Static_assert(offsetof(struct xen_remove_from_physmap, gpfn) == 8, "xen_remove_from_physmap.gpfn");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_MEMORY_H */
