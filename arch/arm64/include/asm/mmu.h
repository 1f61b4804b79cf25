/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_MMU_H
#define KESTREL_ASM_MMU_H
#include <stdint.h>

struct bootinfo;

/** EL2_MAP_LIMIT - the EL2 identity map covers PAs below this (39-bit VA, mmu.c). */
#define EL2_MAP_LIMIT	(1UL << 39)

/* Linker-script symbols bounding the image's permission classes. */
extern char _text[], _etext[], _erodata[], _end[], __init_text_start[], __init_text_end[];

/** struct mmu_regs - EL2 MMU register values a secondary pCPU loads (offsets used by head.S). */
struct mmu_regs {
	uint64_t mair, tcr, ttbr, sctlr;
};
extern struct mmu_regs mmu_secondary;

/**
 * mmu_early_enable() - called by head.S with the MMU off: identity-map the image and
 * the DTB (2 MiB blocks, Normal WB, RWX) and the early UART (Device), then turn on
 * the EL2 stage-1 MMU and caches. VA == PA throughout Kestrel.
 */
void mmu_early_enable(uint64_t image_base, uint64_t dtb);

/**
 * mmu_early_map_device() - with the early tables live: identity-map the 2 MiB blocks of
 * [@pa, @pa + @size) as Device memory (the early console UART). No effect past 512 GiB or
 * once the early tables' four L2 tables are used.
 */
void mmu_early_map_device(uint64_t pa, uint64_t size);

/**
 * mmu_init() - build and switch to the final EL2 map: every RAM bank Normal RW XN,
 * the image W^X (text RX, rodata RO, data/bss RW), the DTB RO and the UART and GIC
 * frames Device-nGnRE. Panics if the tables cannot be built.
 */
void mmu_init(const struct bootinfo *bi);

/** mmu_seal_init() - make .init.text non-executable once boot-only code is done. */
void mmu_seal_init(void);
#endif
