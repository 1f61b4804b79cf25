/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_VERSION_H
#define KESTREL_PUBLIC_VERSION_H

/*
 * __HYPERVISOR_xen_version(cmd, arg): hypervisor identification.
 * arg is the gva of the output buffer named next to each sub-op (or 0).
 * All sub-ops return 0 on success except XENVER_version,
 * XENVER_pagesize and XENVER_build_id, which return a value.
 * Source: Xen public/version.h (stable-4.17).
 */

#include "xen.h"
#include "features.h"

/*
 * Sub-op numbers.
 * Source: Xen public/version.h (stable-4.17).
 */
#define XENVER_version               0   /* arg unused; returns (major << 16) | minor */
#define XENVER_extraversion          1   /* arg: xen_extraversion_t */
#define XENVER_compile_info          2   /* arg: struct xen_compile_info */
#define XENVER_capabilities          3   /* arg: xen_capabilities_info_t */
#define XENVER_changeset             4   /* arg: xen_changeset_info_t */
#define XENVER_platform_parameters   5   /* arg: struct xen_platform_parameters */
#define XENVER_get_features          6   /* arg: struct xen_feature_info */
#define XENVER_pagesize              7   /* arg unused; returns page size in bytes */
#define XENVER_guest_handle          8   /* arg: xen_domain_handle_t */
#define XENVER_commandline           9   /* arg: xen_commandline_t */
#define XENVER_build_id             10   /* arg: struct xen_build_id; returns bytes written */

/*
 * Fixed buffer sizes in bytes (strings are NUL-terminated, truncated
 * to fit). Source: Xen public/version.h (stable-4.17).
 */
#define XEN_EXTRAVERSION_LEN        16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN      64
#define XEN_COMMANDLINE_LEN       1024

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Text buffers. These hold C strings, so they use char rather than a
 * fixed-width type. Source: Xen public/version.h (stable-4.17).
 */
typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];      /* e.g. ".0" */
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN]; /* e.g. "xen-3.0-aarch64 " */
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];  /* source revision */
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];        /* hypervisor command line */

/*
 * XENVER_compile_info output: who built the hypervisor, with what and when.
 * 144 bytes. Source: Xen public/version.h (stable-4.17).
 */
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

/*
 * XENVER_platform_parameters output: lowest hypervisor virtual address in
 * the guest's address space. Meaningless on Arm (separate EL2 address
 * space): Xen writes virt_start = 0 and returns success. 8 bytes.
 * Source: Xen public/version.h (stable-4.17).
 */
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/*
 * XENVER_get_features in/out: the guest names a 32-bit submap index, the
 * hypervisor fills in the XENFEAT_* bits of that submap. 8 bytes.
 * Source: Xen public/version.h (stable-4.17).
 */
struct xen_feature_info {
    uint32_t submap_idx;        /* IN: which group of 32 feature bits */
    uint32_t submap;            /* OUT: the bits */
};
typedef struct xen_feature_info xen_feature_info_t;

/*
 * XENVER_build_id in/out: len is the size of buf[] in bytes on entry; the
 * return value is the number of build-id bytes written. Header is 4 bytes,
 * followed by the variable-length buffer.
 * Source: Xen public/version.h (stable-4.17).
 */
struct xen_build_id {
    uint32_t len;
    uint8_t  buf[];
};
typedef struct xen_build_id xen_build_id_t;

_Static_assert(sizeof(xen_extraversion_t) == 16, "xen_extraversion_t");
_Static_assert(sizeof(xen_capabilities_info_t) == 1024, "xen_capabilities_info_t");
_Static_assert(sizeof(xen_changeset_info_t) == 64, "xen_changeset_info_t");
_Static_assert(sizeof(xen_commandline_t) == 1024, "xen_commandline_t");
_Static_assert(sizeof(xen_domain_handle_t) == 16, "xen_domain_handle_t");
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info size");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_platform_parameters size");
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info size");
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id header size");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_VERSION_H */
