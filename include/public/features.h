/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_FEATURES_H
#define KESTREL_PUBLIC_FEATURES_H

/*
 * Feature bits reported by XENVER_get_features. Bit N lives in submap
 * N / 32, bit N % 32 (struct xen_feature_info).
 * Source: Xen public/features.h (stable-4.17), except where noted.
 */
#define XENFEAT_writable_page_tables        0   /* x86 PV: PTs writable directly */
#define XENFEAT_writable_descriptor_tables  1   /* x86 PV: GDT/LDT writable */
#define XENFEAT_auto_translated_physmap     2   /* hypervisor handles gfn->mfn (always on Arm) */
#define XENFEAT_supervisor_mode_kernel      3   /* guest kernel runs at full privilege (x86) */
#define XENFEAT_pae_pgdir_above_4gb         4   /* x86 PAE */
#define XENFEAT_mmu_pt_update_preserve_ad   5   /* x86 PV */
#define XENFEAT_highmem_assist              6   /* x86 PV */
#define XENFEAT_gnttab_map_avail_bits       7   /* x86 PV */
#define XENFEAT_hvm_callback_vector         8   /* x86 HVM */
#define XENFEAT_hvm_safe_pvclock            9   /* x86 HVM */
#define XENFEAT_hvm_pirqs                  10   /* x86 HVM */
#define XENFEAT_dom0                       11   /* domain may act as dom0 */
/*
 * Bit 12 (grant_map_identity) is deprecated: Xen keeps its definition
 * commented out and never sets it. Listed so the number stays reserved.
 */
#define XENFEAT_grant_map_identity         12
#define XENFEAT_memory_op_vnode_supported  13   /* XENMEMF_vnode accepted */
#define XENFEAT_ARM_SMCCC_supported        14   /* Arm: SMCCC (HVC/SMC) is available */
#define XENFEAT_linux_rsdp_unrestricted    15   /* x86 PVH */
#define XENFEAT_not_direct_mapped          16   /* domain's gfn != mfn */
#define XENFEAT_direct_mapped              17   /* domain's gfn == mfn (1:1) */
/* Xen 4.18 and later (public/features.h); unused by Linux 6.1. */
#define XENFEAT_runstate_phys_area         18   /* VCPUOP_register_runstate_phys_area */
#define XENFEAT_vcpu_time_phys_area        19   /* VCPUOP_register_vcpu_time_phys_area */

/* Number of 32-bit submaps defined (feature bits 0..31). */
#define XENFEAT_NR_SUBMAPS                  1

#endif /* KESTREL_PUBLIC_FEATURES_H */
