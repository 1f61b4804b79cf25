/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DOM0_H
#define KESTREL_DOM0_H
#include <stdint.h>
#include <kestrel/bootinfo.h>

struct domain;

/**
 * dom0_choose_bank() - pick dom0's 1:1 RAM: the highest @align-aligned range of
 * @size bytes inside one of @mem that overlaps none of @resv.
 * Return: 0 and *@out, -EINVAL if @size exceeds all RAM, -ENOSPC if no hole fits.
 */
int dom0_choose_bank(const struct membank *mem, unsigned int nr_mem, const struct membank *resv,
		     unsigned int nr_resv, uint64_t size, uint64_t align, struct membank *out);

/**
 * construct_dom0() - build dom0 from the boot modules: choose its RAM (dom0_mem=),
 * map its RAM and devices 1:1, route its SPIs, load kernel, initrd and device tree.
 * Panics with a message naming the problem on a missing or bad module or size.
 */
struct domain *construct_dom0(struct bootinfo *bi);

/**
 * dom0_build_fdt() - write dom0's device tree into @buf (@size bytes) from the host
 * DTB: memory = dom0's bank, /chosen bootargs and initrd, PSCI via HVC, the
 * hypervisor's UART and the GIC ITS/maintenance interrupt removed, CPUs trimmed to
 * dom0's vCPUs, and a /hypervisor node (Linux Documentation/devicetree/bindings/
 * arm/xen.txt): compatible "xen,xen-4.17", "xen,xen"; reg = grant-table region;
 * interrupts = the event-channel PPI.
 * Return: 0 or a negative libfdt error (FDT_ERR_*).
 */
int dom0_build_fdt(const struct bootinfo *bi, const struct domain *d, void *buf, uint32_t size,
		   const char *bootargs, uint64_t initrd_start, uint64_t initrd_size);
#endif
