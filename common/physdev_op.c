// SPDX-License-Identifier: Apache-2.0
/*
 * physdev_op hypercall (number 33). Linux dom0 reports every PCI device it finds
 * (drivers/xen/pci.c, xen_add_device: PHYSDEVOP_pci_device_add, falling back to
 * PHYSDEVOP_manage_pci_add) and logs an error if the hypervisor refuses. Kestrel has
 * no IOMMU to program and no PCI passthrough: dom0 owns every device, so there is
 * nothing to record, and a readable request from dom0 succeeds.
 * Numbers: Xen public/physdev.h.
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <public/physdev.h>

long do_physdev_op(unsigned int cmd, uint64_t arg)
{
	uint32_t seg_bus_devfn;	/* first word of every PCI request: segment, bus, devfn */

	switch (cmd) {
	case PHYSDEVOP_pci_device_add:
	case PHYSDEVOP_pci_device_remove:
	case PHYSDEVOP_manage_pci_add:
	case PHYSDEVOP_manage_pci_remove:
	case PHYSDEVOP_manage_pci_add_ext:
		if (!current->domain->is_privileged)
			return -EPERM;
		return copy_from_guest(&seg_bus_devfn, arg, sizeof(seg_bus_devfn));
	}
	return -ENOSYS;
}
