/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_GRANT_TABLE_H
#define KESTREL_PUBLIC_GRANT_TABLE_H

/*
 * Grant tables: a domain publishes entries in its grant table to let
 * another domain map or copy specific pages of its memory.
 * __HYPERVISOR_grant_table_op(cmd, arg, count): arg is the gva of an
 * array of 'count' sub-op structs. Per-entry results go in each 'status'
 * field (GNTST_*); the hypercall itself returns 0 or -XEN_E*.
 * On Arm the table frames are mapped by the guest with
 * XENMEM_add_to_physmap / XENMAPSPACE_grant_table.
 * Source: Xen public/grant_table.h (stable-4.17).
 */

#include "xen.h"

/*
 * Sub-op numbers. Source: Xen public/grant_table.h (stable-4.17).
 */
#define GNTTABOP_map_grant_ref        0   /* struct gnttab_map_grant_ref[] */
#define GNTTABOP_unmap_grant_ref      1   /* struct gnttab_unmap_grant_ref[] */
#define GNTTABOP_setup_table          2   /* struct gnttab_setup_table */
#define GNTTABOP_dump_table           3   /* struct gnttab_dump_table */
#define GNTTABOP_transfer             4   /* struct gnttab_transfer[] */
#define GNTTABOP_copy                 5   /* struct gnttab_copy[] */
#define GNTTABOP_query_size           6   /* struct gnttab_query_size */
#define GNTTABOP_unmap_and_replace    7   /* struct gnttab_unmap_and_replace[] */
#define GNTTABOP_set_version          8   /* struct gnttab_set_version */
#define GNTTABOP_get_status_frames    9   /* struct gnttab_get_status_frames */
#define GNTTABOP_get_version         10   /* struct gnttab_get_version */
#define GNTTABOP_swap_grant_ref      11   /* struct gnttab_swap_grant_ref[] */
#define GNTTABOP_cache_flush         12   /* struct gnttab_cache_flush[] */

/*
 * Entries 0..7 of a grant table are reserved for the toolstack; 0 holds
 * the PV console ring and 1 the xenstore ring.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
#define GNTTAB_NR_RESERVED_ENTRIES    8
#define GNTTAB_RESERVED_CONSOLE       0
#define GNTTAB_RESERVED_XENSTORE      1

/*
 * Grant entry flags (grant_entry_v1.flags / grant_entry_header.flags).
 * Bits 0..1 give the entry type; the remaining bits depend on it.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
#define GTF_invalid              (0U << 0)   /* entry unused */
#define GTF_permit_access        (1U << 0)   /* domid may map/copy 'frame' */
#define GTF_accept_transfer      (2U << 0)   /* domid may transfer a page into 'frame' */
#define GTF_transitive           (3U << 0)   /* v2 only: re-grant of another grant */
#define GTF_type_mask            (3U << 0)
/* For GTF_permit_access: */
#define _GTF_readonly            2
#define GTF_readonly             (1U << _GTF_readonly)   /* set by granter: no writes */
#define _GTF_reading             3
#define GTF_reading              (1U << _GTF_reading)    /* set by hypervisor: in use for reading */
#define _GTF_writing             4
#define GTF_writing              (1U << _GTF_writing)    /* set by hypervisor: in use for writing */
#define _GTF_PWT                 5
#define GTF_PWT                  (1U << _GTF_PWT)        /* x86 cache attribute */
#define _GTF_PCD                 6
#define GTF_PCD                  (1U << _GTF_PCD)        /* x86 cache attribute */
#define _GTF_PAT                 7
#define GTF_PAT                  (1U << _GTF_PAT)        /* x86 cache attribute */
#define _GTF_sub_page            8
#define GTF_sub_page             (1U << _GTF_sub_page)   /* v2 only: byte range grant */
/* For GTF_accept_transfer: */
#define _GTF_transfer_committed  2
#define GTF_transfer_committed   (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed  3
#define GTF_transfer_completed   (1U << _GTF_transfer_completed)

/*
 * gnttab_map_grant_ref.flags (GNTMAP_*).
 * Source: Xen public/grant_table.h (stable-4.17).
 */
#define _GNTMAP_device_map       0
#define GNTMAP_device_map        (1U << _GNTMAP_device_map)      /* map for device DMA */
#define _GNTMAP_host_map         1
#define GNTMAP_host_map          (1U << _GNTMAP_host_map)        /* map for CPU access */
#define _GNTMAP_readonly         2
#define GNTMAP_readonly          (1U << _GNTMAP_readonly)
#define _GNTMAP_application_map  3
#define GNTMAP_application_map   (1U << _GNTMAP_application_map) /* x86 PV */
#define _GNTMAP_contains_pte     4
#define GNTMAP_contains_pte      (1U << _GNTMAP_contains_pte)    /* x86 PV */
#define _GNTMAP_guest_avail0     16
#define GNTMAP_guest_avail_mask  (0xFFFFFFFFU << _GNTMAP_guest_avail0)

/*
 * gnttab_copy.flags: which side is named by grant reference (otherwise
 * by the caller's own gfn). Source: Xen public/grant_table.h (stable-4.17).
 */
#define _GNTCOPY_source_gref     0
#define GNTCOPY_source_gref      (1U << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref       1
#define GNTCOPY_dest_gref        (1U << _GNTCOPY_dest_gref)

/*
 * gnttab_cache_flush.op bits. Source: Xen public/grant_table.h (stable-4.17).
 */
#define GNTTAB_CACHE_CLEAN        (1U << 0)
#define GNTTAB_CACHE_INVAL        (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF  (1U << 31)   /* a.ref is a grant ref, not an address */

/*
 * Per-entry status codes written to the 'status' fields.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
#define GNTST_okay                 0    /* success */
#define GNTST_general_error       (-1)  /* unspecified failure */
#define GNTST_bad_domain          (-2)  /* unknown domain id */
#define GNTST_bad_gntref          (-3)  /* bad or unusable grant reference */
#define GNTST_bad_handle          (-4)  /* bad map handle */
#define GNTST_bad_virt_addr       (-5)  /* unusable host address */
#define GNTST_bad_dev_addr        (-6)  /* unusable device address */
#define GNTST_no_device_space     (-7)  /* IOMMU has no room */
#define GNTST_permission_denied   (-8)  /* caller lacks the right */
#define GNTST_bad_page            (-9)  /* page not valid for this op */
#define GNTST_bad_copy_arg       (-10)  /* copy would cross a page end */
#define GNTST_address_too_big    (-11)  /* transfer target address too large */
#define GNTST_eagain             (-12)  /* not done, retry */
#define GNTST_no_space           (-13)  /* out of handles or similar */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/* Index into a grant table. Source: Xen public/grant_table.h (stable-4.17). */
typedef uint32_t grant_ref_t;

/* Handle returned by a successful map, used to unmap. Same source. */
typedef uint32_t grant_handle_t;

/* One v2 status-frame entry (GTF_reading / GTF_writing bits). Same source. */
typedef uint16_t grant_status_t;

/*
 * Version-1 grant entry, 8 bytes, in the granting domain's table (512 per
 * 4 KiB frame). frame is a gfn of the granter.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct grant_entry_v1 {
    uint16_t flags;             /* GTF_* */
    domid_t  domid;             /* domain the grant is for */
    uint32_t frame;             /* gfn being granted / accepting a transfer */
};

/*
 * Common first 4 bytes of a version-2 entry.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct grant_entry_header {
    uint16_t flags;             /* GTF_* */
    domid_t  domid;
};

/*
 * Version-2 grant entry, 16 bytes. Status bits live in separate status
 * frames (GNTTABOP_get_status_frames).
 * Source: Xen public/grant_table.h (stable-4.17).
 */
union grant_entry_v2 {
    struct grant_entry_header hdr;
    struct {                    /* whole-page grant or transfer */
        struct grant_entry_header hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {                    /* GTF_permit_access | GTF_sub_page */
        struct grant_entry_header hdr;
        uint16_t page_off;      /* bytes */
        uint16_t length;        /* bytes */
        uint64_t frame;
    } sub_page;
    struct {                    /* GTF_transitive */
        struct grant_entry_header hdr;
        domid_t     trans_domid;
        uint16_t    pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};

/*
 * GNTTABOP_map_grant_ref: map grant 'ref' of domain 'dom'. On Arm
 * host_addr is the guest physical address where the page should appear.
 * 32 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_map_grant_ref {
    uint64_t       host_addr;   /* IN */
    uint32_t       flags;       /* IN: GNTMAP_* */
    grant_ref_t    ref;         /* IN */
    domid_t        dom;         /* IN: granting domain */
    int16_t        status;      /* OUT: GNTST_* */
    grant_handle_t handle;      /* OUT */
    uint64_t       dev_bus_addr; /* OUT: bus address for GNTMAP_device_map */
};

/*
 * GNTTABOP_unmap_grant_ref: undo a map by handle. 24 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_unmap_grant_ref {
    uint64_t       host_addr;   /* IN */
    uint64_t       dev_bus_addr; /* IN */
    grant_handle_t handle;      /* IN */
    int16_t        status;      /* OUT: GNTST_* */
    uint16_t       _pad;        /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_setup_table: ensure 'dom' has at least nr_frames table frames
 * and return their frame numbers in frame_list (an array of nr_frames
 * xen_pfn_t). Arm guests normally map the frames with
 * XENMEM_add_to_physmap instead. 24 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_setup_table {
    domid_t  dom;               /* IN */
    uint16_t _pad0;             /* implicit alignment padding in Xen */
    uint32_t nr_frames;         /* IN */
    int16_t  status;            /* OUT: GNTST_* */
    uint16_t _pad1[3];          /* implicit alignment padding in Xen */
    uint64_t frame_list;        /* guest handle: gva of xen_pfn_t[nr_frames] (OUT) */
};

/*
 * GNTTABOP_dump_table: print the table of 'dom' on the hypervisor
 * console (debug). 4 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_dump_table {
    domid_t dom;                /* IN */
    int16_t status;             /* OUT: GNTST_* */
};

/*
 * GNTTABOP_transfer: give page 'mfn' to 'domid' via its accept-transfer
 * grant 'ref'. 24 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_transfer {
    xen_pfn_t   mfn;            /* IN: frame to give away */
    domid_t     domid;          /* IN */
    uint16_t    _pad0;          /* implicit alignment padding in Xen */
    grant_ref_t ref;            /* IN */
    int16_t     status;         /* OUT: GNTST_* */
    uint16_t    _pad1[3];       /* implicit tail padding in Xen */
};

/*
 * One side of a GNTTABOP_copy: either a grant reference of 'domid' or a
 * gfn, plus a byte offset within that page. 16 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;        /* when GNTCOPY_*_gref is set */
        xen_pfn_t   gmfn;       /* otherwise */
    } u;
    domid_t  domid;
    uint16_t offset;            /* bytes */
    uint32_t _pad;              /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_copy: copy 'len' bytes between two pages without mapping
 * them; neither side may cross its page end. 40 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_copy {
    struct gnttab_copy_ptr source;  /* IN */
    struct gnttab_copy_ptr dest;    /* IN */
    uint16_t len;               /* IN: bytes */
    uint16_t flags;             /* IN: GNTCOPY_* */
    int16_t  status;            /* OUT: GNTST_* */
    uint16_t _pad;              /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_query_size: current and maximum number of table frames of
 * 'dom'. 16 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_query_size {
    domid_t  dom;               /* IN */
    uint16_t _pad0;             /* implicit alignment padding in Xen */
    uint32_t nr_frames;         /* OUT: frames in use */
    uint32_t max_nr_frames;     /* OUT: limit */
    int16_t  status;            /* OUT: GNTST_* */
    uint16_t _pad1;             /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_unmap_and_replace: unmap a grant and put new_addr's page in
 * its place (x86 PV). 24 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_unmap_and_replace {
    uint64_t       host_addr;   /* IN */
    uint64_t       new_addr;    /* IN */
    grant_handle_t handle;      /* IN */
    int16_t        status;      /* OUT: GNTST_* */
    uint16_t       _pad;        /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_set_version: select grant-table format 1 or 2 (0 = query);
 * the version in force is written back. 4 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_set_version {
    uint32_t version;           /* IN/OUT */
};

/*
 * GNTTABOP_get_status_frames: v2 status frame numbers of 'dom'.
 * 16 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_get_status_frames {
    uint32_t nr_frames;         /* IN: entries in frame_list */
    domid_t  dom;               /* IN */
    int16_t  status;            /* OUT: GNTST_* */
    uint64_t frame_list;        /* guest handle: gva of uint64_t[nr_frames] (OUT) */
};

/*
 * GNTTABOP_get_version: grant-table format used by 'dom'. 8 bytes.
 * Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_get_version {
    domid_t  dom;               /* IN */
    uint16_t pad;
    uint32_t version;           /* OUT */
};

/*
 * GNTTABOP_swap_grant_ref: exchange two entries of the caller's table.
 * 12 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* IN */
    grant_ref_t ref_b;          /* IN */
    int16_t     status;         /* OUT: GNTST_* */
    uint16_t    _pad;           /* implicit tail padding in Xen */
};

/*
 * GNTTABOP_cache_flush: clean and/or invalidate data-cache lines for a
 * byte range of a page, named by guest address or (with
 * GNTTAB_CACHE_SOURCE_GREF) by grant ref. Used by Linux's Arm DMA code.
 * 16 bytes. Source: Xen public/grant_table.h (stable-4.17).
 */
struct gnttab_cache_flush {
    union {
        uint64_t    dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;            /* bytes from the start of the page */
    uint16_t length;            /* bytes */
    uint32_t op;                /* GNTTAB_CACHE_* */
};

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 size");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "grant_entry_v1.domid");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame");
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2 size");
_Static_assert(offsetof(union grant_entry_v2, full_page.frame) == 8, "grant_entry_v2.full_page.frame");
_Static_assert(offsetof(union grant_entry_v2, sub_page.page_off) == 4, "grant_entry_v2.sub_page.page_off");
_Static_assert(offsetof(union grant_entry_v2, sub_page.length) == 6, "grant_entry_v2.sub_page.length");
_Static_assert(offsetof(union grant_entry_v2, transitive.trans_domid) == 4, "grant_entry_v2.transitive.trans_domid");
_Static_assert(offsetof(union grant_entry_v2, transitive.gref) == 8, "grant_entry_v2.transitive.gref");

_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref size");
_Static_assert(offsetof(struct gnttab_map_grant_ref, flags) == 8, "gnttab_map_grant_ref.flags");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "gnttab_map_grant_ref.ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "gnttab_map_grant_ref.dom");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "gnttab_map_grant_ref.status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "gnttab_map_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "gnttab_map_grant_ref.dev_bus_addr");

_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref size");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, dev_bus_addr) == 8, "gnttab_unmap_grant_ref.dev_bus_addr");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16, "gnttab_unmap_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "gnttab_unmap_grant_ref.status");

_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table size");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4, "gnttab_setup_table.nr_frames");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "gnttab_setup_table.status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "gnttab_setup_table.frame_list");

_Static_assert(sizeof(struct gnttab_dump_table) == 4, "gnttab_dump_table size");

_Static_assert(sizeof(struct gnttab_transfer) == 24, "gnttab_transfer size");
_Static_assert(offsetof(struct gnttab_transfer, domid) == 8, "gnttab_transfer.domid");
_Static_assert(offsetof(struct gnttab_transfer, ref) == 12, "gnttab_transfer.ref");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16, "gnttab_transfer.status");

_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr size");
_Static_assert(offsetof(struct gnttab_copy_ptr, domid) == 8, "gnttab_copy_ptr.domid");
_Static_assert(offsetof(struct gnttab_copy_ptr, offset) == 10, "gnttab_copy_ptr.offset");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy size");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "gnttab_copy.dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "gnttab_copy.len");
_Static_assert(offsetof(struct gnttab_copy, flags) == 34, "gnttab_copy.flags");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "gnttab_copy.status");

_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size size");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4, "gnttab_query_size.nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8, "gnttab_query_size.max_nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "gnttab_query_size.status");

_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "gnttab_unmap_and_replace size");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, handle) == 16, "gnttab_unmap_and_replace.handle");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, status) == 20, "gnttab_unmap_and_replace.status");

_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnttab_set_version size");

_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "gnttab_get_status_frames size");
_Static_assert(offsetof(struct gnttab_get_status_frames, dom) == 4, "gnttab_get_status_frames.dom");
_Static_assert(offsetof(struct gnttab_get_status_frames, status) == 6, "gnttab_get_status_frames.status");
_Static_assert(offsetof(struct gnttab_get_status_frames, frame_list) == 8, "gnttab_get_status_frames.frame_list");

_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnttab_get_version size");
_Static_assert(offsetof(struct gnttab_get_version, version) == 4, "gnttab_get_version.version");

_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "gnttab_swap_grant_ref size");
_Static_assert(offsetof(struct gnttab_swap_grant_ref, status) == 8, "gnttab_swap_grant_ref.status");

_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "gnttab_cache_flush size");
_Static_assert(offsetof(struct gnttab_cache_flush, offset) == 8, "gnttab_cache_flush.offset");
_Static_assert(offsetof(struct gnttab_cache_flush, length) == 10, "gnttab_cache_flush.length");
_Static_assert(offsetof(struct gnttab_cache_flush, op) == 12, "gnttab_cache_flush.op");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_GRANT_TABLE_H */
