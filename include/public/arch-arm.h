/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_ARCH_ARM_H
#define KESTREL_PUBLIC_ARCH_ARM_H

/*
 * Arm-specific part of the Xen guest ABI as Kestrel implements it.
 *
 * Every value here describes the Arm (AArch64) ABI, whatever the compiler
 * target: the host unit tests (x86_64) see the same types and numbers as
 * the EL2 build.
 */

/*
 * Hypercall calling convention (AArch64 guest, HVC from EL1).
 * Source: Xen public/arch-arm.h (stable-4.17).
 *
 *   - The guest executes "HVC #XEN_HYPERCALL_TAG"; the 16-bit immediate in
 *     ESR_EL2.ISS must equal XEN_HYPERCALL_TAG, anything else is not a Xen
 *     hypercall.
 *   - x16 holds the hypercall number (__HYPERVISOR_*).
 *   - x0..x4 hold up to five arguments, first argument in x0.
 *   - x0 receives the result: >= 0 on success, -XEN_E* on failure.
 *   - x16 and every argument register the call uses (other than x0) may be
 *     clobbered; all other registers are preserved.
 *   - Pointers in arguments are guest virtual addresses (EL1 stage-1
 *     translation); frame numbers are gfns (guest frame numbers, 4 KiB
 *     pages of the guest's IPA space).
 *   - In-memory argument structs use the AAPCS64 layout and little-endian
 *     byte order. Memory shared with the hypervisor must be Normal,
 *     Inner/Outer Write-Back, Inner Shareable.
 */
#define XEN_HYPERCALL_TAG        0xEA1

/*
 * Suffix helper so the memory map constants below stay 64-bit in C and
 * remain usable from assembler sources.
 */
#ifdef __ASSEMBLER__
#define KESTREL_XEN_U64(x)       x
#else
#define KESTREL_XEN_U64(x)       x##ULL
#endif

/*
 * Number of vcpu_info slots embedded in struct shared_info on Arm. Other
 * vCPUs (and, in practice, vCPU0 too) use VCPUOP_register_vcpu_info.
 * Source: Xen public/arch-arm.h (stable-4.17).
 */
#define XEN_LEGACY_MAX_VCPUS     1

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Basic Arm ABI scalar types. Both are 64 bits wide for 32- and 64-bit
 * Arm guests. Source: Xen public/arch-arm.h (stable-4.17).
 *
 * xen_ulong_t: generic "unsigned long" field in shared structures.
 * xen_pfn_t:   a frame number (4 KiB pages), gfn for Arm guests.
 */
typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;

/*
 * Guest handles.
 *
 * Xen declares pointer-sized fields with XEN_GUEST_HANDLE(). On Arm such a
 * field is always 8 bytes and 8-byte aligned, for 32- and 64-bit guests
 * alike. Kestrel spells every such field as a plain uint64_t holding the
 * guest virtual address of the buffer.
 *
 * struct arch_vcpu_info and struct arch_shared_info are empty on Arm; they
 * are left out of the Kestrel structs (they contribute 0 bytes in GNU C).
 */
#endif /* !__ASSEMBLER__ */

/*
 * Guest physical memory map for domUs (IPA addresses, sizes in bytes).
 * dom0 instead mirrors the host layout. Source: Xen public/arch-arm.h
 * (stable-4.17); identical in Xen master.
 */
#define GUEST_VIRTIO_MMIO_BASE   KESTREL_XEN_U64(0x02000000)
#define GUEST_VIRTIO_MMIO_SIZE   KESTREL_XEN_U64(0x00100000)

/* GICv2: distributor and CPU interface. */
#define GUEST_GICD_BASE          KESTREL_XEN_U64(0x03001000)
#define GUEST_GICD_SIZE          KESTREL_XEN_U64(0x00001000)
#define GUEST_GICC_BASE          KESTREL_XEN_U64(0x03002000)
#define GUEST_GICC_SIZE          KESTREL_XEN_U64(0x00002000)

/* GICv3: distributor and one redistributor region (room for 128 vCPUs). */
#define GUEST_GICV3_GICD_BASE    KESTREL_XEN_U64(0x03001000)
#define GUEST_GICV3_GICD_SIZE    KESTREL_XEN_U64(0x00010000)
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE   KESTREL_XEN_U64(0x03020000)
#define GUEST_GICV3_GICR0_SIZE   KESTREL_XEN_U64(0x01000000)

/* Emulated SBSA/PL011 UART (vpl011). */
#define GUEST_PL011_BASE         KESTREL_XEN_U64(0x22000000)
#define GUEST_PL011_SIZE         KESTREL_XEN_U64(0x00001000)

/* Window where the guest maps grant-table frames (XENMAPSPACE_grant_table). */
#define GUEST_GNTTAB_BASE        KESTREL_XEN_U64(0x38000000)
#define GUEST_GNTTAB_SIZE        KESTREL_XEN_U64(0x01000000)

/* "Magic" pages: xenstore ring, PV console ring, etc. */
#define GUEST_MAGIC_BASE         KESTREL_XEN_U64(0x39000000)
#define GUEST_MAGIC_SIZE         KESTREL_XEN_U64(0x01000000)

/* RAM banks: 3 GiB at 1 GiB, then up to 1016 GiB at 8 GiB. */
#define GUEST_RAM_BANKS          2
#define GUEST_RAM0_BASE          KESTREL_XEN_U64(0x40000000)
#define GUEST_RAM0_SIZE          KESTREL_XEN_U64(0xc0000000)
#define GUEST_RAM1_BASE          KESTREL_XEN_U64(0x0200000000)
#define GUEST_RAM1_SIZE          KESTREL_XEN_U64(0xfe00000000)
#define GUEST_RAM_BASE           GUEST_RAM0_BASE

/* Most vCPUs a domU may have (bounded by the GICv3 redistributor region). */
#define GUEST_MAX_VCPUS          128

/*
 * Guest interrupt numbers (GIC INTIDs). PPIs are 16..31, SPIs from 32.
 * Source: Xen public/arch-arm.h (stable-4.17).
 */
#define GUEST_TIMER_VIRT_PPI     27  /* EL1 virtual timer */
#define GUEST_TIMER_PHYS_S_PPI   29  /* EL1 secure physical timer */
#define GUEST_TIMER_PHYS_NS_PPI  30  /* EL1 non-secure physical timer */
#define GUEST_EVTCHN_PPI         31  /* event-channel upcall */
#define GUEST_VPL011_SPI         32  /* vpl011 UART */
#define GUEST_VIRTIO_MMIO_SPI_FIRST 33
#define GUEST_VIRTIO_MMIO_SPI_LAST  43

#ifndef __ASSEMBLER__
_Static_assert(sizeof(xen_ulong_t) == 8, "xen_ulong_t is 64-bit on Arm");
_Static_assert(sizeof(xen_pfn_t) == 8, "xen_pfn_t is 64-bit on Arm");
_Static_assert(_Alignof(uint64_t) == 8, "LP64 target with 8-byte uint64_t");
#endif

#endif /* KESTREL_PUBLIC_ARCH_ARM_H */
