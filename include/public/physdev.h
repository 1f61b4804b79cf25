/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_PHYSDEV_H
#define KESTREL_PUBLIC_PHYSDEV_H

/*
 * __HYPERVISOR_physdev_op(cmd, arg): physical device / IRQ management.
 * Only the numbers are given: Kestrel implements none of these and needs
 * them just to recognise and reject the calls. (Upstream Xen on Arm accepts only
 * PHYSDEVOP_pci_device_add and PHYSDEVOP_pci_device_remove, which Linux
 * dom0 issues for each PCI device it discovers.)
 * Source: Xen public/physdev.h (stable-4.17), except where noted.
 */

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY     4   /* obsolete (pre-3.0.2 interface) */
#define PHYSDEVOP_irq_status_query      5
#define PHYSDEVOP_set_iopl              6   /* x86 */
#define PHYSDEVOP_set_iobitmap          7   /* x86 */
#define PHYSDEVOP_apic_read             8   /* x86 */
#define PHYSDEVOP_apic_write            9   /* x86 */
#define PHYSDEVOP_alloc_irq_vector     10   /* x86 */
#define PHYSDEVOP_free_irq_vector      11   /* x86 */
#define PHYSDEVOP_eoi                  12
#define PHYSDEVOP_map_pirq             13
#define PHYSDEVOP_unmap_pirq           14
#define PHYSDEVOP_manage_pci_add       15
#define PHYSDEVOP_manage_pci_remove    16
#define PHYSDEVOP_pirq_eoi_gmfn_v1     17
#define PHYSDEVOP_restore_msi          19
#define PHYSDEVOP_manage_pci_add_ext   20
#define PHYSDEVOP_setup_gsi            21
#define PHYSDEVOP_get_free_pirq        23
#define PHYSDEVOP_pci_mmcfg_reserved   24
#define PHYSDEVOP_pci_device_add       25
#define PHYSDEVOP_pci_device_remove    26
#define PHYSDEVOP_restore_msi_ext      27
#define PHYSDEVOP_pirq_eoi_gmfn_v2     28
#define PHYSDEVOP_dbgp_op              29
#define PHYSDEVOP_prepare_msix         30
#define PHYSDEVOP_release_msix         31
#define PHYSDEVOP_pci_device_reset     32   /* Xen 4.20+ */

#endif /* KESTREL_PUBLIC_PHYSDEV_H */
