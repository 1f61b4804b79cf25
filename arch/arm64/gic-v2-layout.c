// SPDX-License-Identifier: Apache-2.0
/*
 * Where a GICv2 CPU interface frame (GICC, or the virtual one GICV) is usable. The
 * frame is two 4 KiB pages, 8 KiB in all: GICC_CTLR..GICC_IIDR (0x000-0xfff) and GICC_DIR
 * (0x1000) (Arm IHI 0048B 4.3, Table 4-2). A GIC-400 may be integrated with each 4 KiB
 * page repeated over 64 KiB, so that 64 KiB-page kernels can map each page alone; the DT
 * then gives 128 KiB frames (ZynqMP, QEMU xlnx-zcu102 7.2: GICC 0xf9020000 and GICV
 * 0xf9060000, 0x20000 bytes each), and the two pages are adjacent only at base + 0xf000
 * (the last copy of page 0 followed by the first copy of page 1). Found by reading
 * GICC_IIDR (offset 0xfc, read-only, non-zero on a GIC-400: IHI 0048B 4.4.16) at the
 * frame's start and at base + 0xf000: the same value there means the pages repeat.
 * The DT is used as it is; nothing is assumed from the board.
 */
#include <asm/gic-v2.h>

uint64_t gic_v2_cpu_window(uint64_t base, uint64_t size, uint32_t (*read32)(uint64_t pa))
{
	uint32_t iidr;

	if (size < GICV2_CPU_WINDOW)
		return 0;
	if (size < 2 * GICV2_ALIAS_STRIDE)
		return base;
	iidr = read32(base + GICC_IIDR);
	if (iidr && read32(base + GICV2_ALIAS_STRIDE - GICV2_PAGE + GICC_IIDR) == iidr)
		return base + GICV2_ALIAS_STRIDE - GICV2_PAGE;
	return base;
}
