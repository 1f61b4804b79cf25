/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_DOM0_H
#define KESTREL_DOM0_H
#include <stdint.h>
#include <kestrel/bootinfo.h>

struct domain;
struct kimage;

/**
 * struct dom0_layout - physical addresses of what dom0 is started with, all in its RAM bank.
 * @kernel: the Image, at the bank start (2 MiB aligned) + the header's text_offset.
 * @initrd: the initrd, at the first 2 MiB boundary after the kernel's mem_size.
 * @fdt:    dom0's device tree, at the first 2 MiB boundary after the initrd (or kernel).
 */
struct dom0_layout {
	uint64_t kernel;
	uint64_t initrd;
	uint64_t fdt;
};

/**
 * dom0_choose_bank() - pick dom0's 1:1 RAM: the highest @align-aligned range of
 * @size bytes inside one of @mem that overlaps none of @resv.
 * Return: 0 and *@out, -EINVAL if @size exceeds all RAM, -ENOSPC if no hole fits.
 */
int dom0_choose_bank(const struct membank *mem, unsigned int nr_mem, const struct membank *resv,
		     unsigned int nr_resv, uint64_t size, uint64_t align, struct membank *out);

/**
 * dom0_place() - lay out dom0's kernel (@ki, from kimage_parse()), initrd (@initrd_size
 * bytes, 0 for none) and device tree (@fdt_size bytes reserved) in its RAM @bank, as
 * Linux Documentation/arch/arm64/booting.rst asks: the kernel at a 2 MiB aligned base +
 * text_offset with mem_size bytes free after it; initrd and DTB after it, each 2 MiB
 * aligned (booting.rst only needs 8 bytes for the DTB; 2 MiB keeps them off the kernel's
 * block mappings).
 * Return: 0 and *@out, or -ENOSPC if they do not all fit in @bank.
 */
int dom0_place(const struct membank *bank, const struct kimage *ki, uint64_t initrd_size,
	       uint64_t fdt_size, struct dom0_layout *out);

/**
 * dom0_choose_ram() - dom0's 1:1 RAM bank (dom0_mem=, else CONFIG_DOM0_MEM_MB): the
 * highest 2 MiB aligned range clear of every reserved range. Panics, saying why, if
 * none fits. Chosen before the heap gets the rest of RAM (heap_add_free_ram()).
 */
struct membank dom0_choose_ram(const struct bootinfo *bi);

/**
 * construct_dom0() - build dom0 (domain_build() with dom0_kind): RAM @ram and every
 * host device mapped 1:1, its SPIs routed, kernel, initrd and device tree loaded.
 * Panics with a message naming the problem on a missing or bad module or size.
 */
struct domain *construct_dom0(struct bootinfo *bi, const struct membank *ram);

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
