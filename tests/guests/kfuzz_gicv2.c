// SPDX-License-Identifier: Apache-2.0
/*
 * kfuzz on a GICv2 (QEMU virt with gic-version=2; the ZCU102's GIC-400): the distributor
 * GICD (4 KiB, emulated by Kestrel, arch/arm64/vgic-v2-dist.c) and the CPU interface GICC,
 * which is the hardware's virtual CPU interface GICV mapped through stage 2 (no trap).
 * There are no GICv3 system registers: ICC_* encodings are UNDEFINED at EL1 (kfuzz.c
 * expects one Undefined Instruction from them). SGIs are sent by GICD_SGIR, PPIs are
 * banked in GICD, interrupts are taken with GICC_IAR/GICC_EOIR (and GICC_DIR with
 * GICC_CTLR.EOImode). Register maps: Arm IHI 0048B 4.3 (GICD, Table 4-1) and 4.4
 * (GICC, Table 4-2). The GIC node of the DT gives GICD then GICC (kfuzz.c keeps GICC in
 * plat.gicr on a GICv2).
 */
#include "kfuzz.h"

int kfuzz_gicv2;
static uint64_t gicv2_gicc;	/* written with the MMU off, so secondaries (MMU off) see it */

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_ISENABLER		0x100
#define GICD_ICPENDR		0x280
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define GICD_V2_SIZE		0x1000
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_APR0		0x00d0
#define GICC_DIR		0x1000
#define GICC_CTLR_ENABLEGRP0	(1U << 0)	/* Kestrel's list registers hold Group 0 (asm/gic-v2.h) */
#define GICC_CTLR_EOIMODE	(1U << 9)
#define SGIR_TO_SELF		(2U << 24)	/* TargetListFilter 0b10: the requesting CPU only */

/* Single-register accesses only (emulated registers need an instruction syndrome). */
static void wr32(uint64_t addr, uint32_t val)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
}

static void wr8(uint64_t addr, uint8_t val)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
}

static uint32_t rd32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

void kfuzz_gicv2_enable(uint64_t gicd, unsigned int intid)
{
	wr32(gicd + GICD_ISENABLER + 4 * (intid / 32), 1U << (intid % 32));
}

uint64_t kfuzz_gicv2_gicd_offset(uint64_t r)
{
	static const uint16_t regs[] = { 0x0, 0x4, 0x8, 0xc, 0x80, 0x84, 0x100, 0x104, 0x17c, 0x180,
		0x184, 0x200, 0x204, 0x280, 0x284, 0x300, 0x304, 0x380, 0x384, 0x400, 0x420, 0x7f8, 0x800,
		0x804, 0x820, 0xbf8, 0xc00, 0xc04, 0xc08, 0xcfc, 0xd00, 0xe00, 0xf00, 0xf10, 0xf1c, 0xf20,
		0xf2c, 0xfd0, 0xfe0, 0xfe8, 0xffc };
	uint64_t pick = r >> 8;

	switch (r & 7) {
	case 0: return GICD_IPRIORITYR + pick % 0x400;
	case 1: return GICD_ITARGETSR + pick % 0x400;
	case 2: return pick % GICD_V2_SIZE;
	case 3: return pick % 0x10000;		/* mostly past the 4 KiB frame: a data abort */
	default: return regs[pick % (sizeof(regs) / sizeof(regs[0]))] + ((r >> 4 & 7) == 0 ? (r >> 40) % 8 : 0);
	}
}

uint64_t kfuzz_gicv2_gicc_offset(uint64_t r)
{
	static const uint16_t regs[] = { 0x0, 0x4, 0x8, 0xc, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28,
		0xd0, 0xd4, 0xd8, 0xdc, 0xe0, 0xfc, 0x1000 };
	uint64_t pick = r >> 8;

	if ((r & 3) == 0)
		return pick % 0x2000;
	return regs[pick % (sizeof(regs) / sizeof(regs[0]))];
}

void kfuzz_gicv2_unmapped(uint64_t gicd, void (*add)(uint64_t base, uint64_t size))
{
	add(gicd + GICD_V2_SIZE, 0x10000 - GICD_V2_SIZE);	/* the rest of GICD's 64 KiB */
	add(0x08030000, 0x20000);				/* QEMU virt's GICH and GICV: Kestrel's */
}

void kfuzz_gicv2_tidy(uint64_t gicd, uint64_t gicc)
{
	unsigned int nr_intids = 32 * ((rd32(gicd + GICD_TYPER) & 0x1f) + 1);

	wr32(gicc + GICC_CTLR, GICC_CTLR_ENABLEGRP0 | GICC_CTLR_EOIMODE);
	for (unsigned int intid = 0; intid < nr_intids && intid < 1020; intid++)
		wr32(gicc + GICC_DIR, intid);
	wr32(gicc + GICC_APR0, 0);
	wr32(gicc + GICC_CTLR, GICC_CTLR_ENABLEGRP0);
	wr32(gicc + GICC_PMR, 0xff);
	for (unsigned int i = 0; i < nr_intids / 32; i++)
		wr32(gicd + GICD_ICPENDR + 4 * i, ~0U);
	wr32(gicd + GICD_CTLR, 1);
}

void kfuzz_gicv2_self_sgi(uint64_t gicd, unsigned int sgi, uint8_t priority)
{
	wr8(gicd + GICD_IPRIORITYR + sgi, priority);
	kfuzz_gicv2_enable(gicd, sgi);
	wr32(gicd + GICD_SGIR, SGIR_TO_SELF | sgi);
}

uint32_t kfuzz_gicv2_ack(uint64_t gicc)
{
	return rd32(gicc + GICC_IAR);
}

void kfuzz_gicv2_eoi(uint64_t gicc, uint32_t iar)
{
	wr32(gicc + GICC_EOIR, iar);
	if (rd32(gicc + GICC_CTLR) & GICC_CTLR_EOIMODE)
		wr32(gicc + GICC_DIR, iar);
}

void kfuzz_gicv2_init(uint64_t gicc)
{
	gicv2_gicc = gicc;
}

_Noreturn void kfuzz_gicv2_secondary(void)
{
	wr32(gicv2_gicc + GICC_PMR, 0xff);
	wr32(gicv2_gicc + GICC_CTLR, GICC_CTLR_ENABLEGRP0);
	for (;;) {
		uint32_t iar = rd32(gicv2_gicc + GICC_IAR);

		if ((iar & 0x3ff) < 1020)
			wr32(gicv2_gicc + GICC_EOIR, iar);	/* EOImode 0: also deactivates */
		else
			__asm__ volatile("wfi" ::: "memory");
	}
}
