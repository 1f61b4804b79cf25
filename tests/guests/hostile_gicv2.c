// SPDX-License-Identifier: Apache-2.0
/*
 * hostile.c's vGIC checks on a GICv2 (QEMU virt, gic-version=2): Kestrel emulates the 4 KiB
 * GICD (arch/arm64/vgic-v2-dist.c) and maps dom0's GICC, at the host's GICC address, onto
 * the host's GICV through stage 2. GICD register map: Arm IHI 0048B 4.3 (Table 4-1); GICC:
 * 4.4 (GICC_IIDR 0x00fc, ArchitectureVersion in bits [19:16]). The same check names as
 * the GICv3 versions where the check is the same; GICR checks are replaced by GICC ones.
 */
#include "ktest.h"
#include "ktrap.h"

#define GICD_ISENABLER		0x100
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_CPENDSGIR		0xf10
#define GICD_V2_SIZE		0x1000
#define GICC_BASE		0x08010000	/* QEMU virt's GICC (hw/arm/virt.c VIRT_GIC_CPU) */
#define GICC_PMR		0x0004
#define GICC_IIDR		0x00fc

/* Allowed: a byte of IPRIORITYR and one of an SPI's ITARGETSR (routed to vCPU 1, then 0). */
void hostile_gicv2_widths_allowed(void)
{
	uint64_t addr = GICD_BASE + GICD_IPRIORITYR + 33;
	uint32_t prio, targets1, targets0;

	trap_arm();
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x60), "r"(addr) : "memory");
	prio = mmio_read32(GICD_BASE + GICD_IPRIORITYR + 32);
	addr = GICD_BASE + GICD_ITARGETSR + 33;
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x02), "r"(addr) : "memory");
	targets1 = mmio_read32(GICD_BASE + GICD_ITARGETSR + 32);
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x01), "r"(addr) : "memory");
	targets0 = mmio_read32(GICD_BASE + GICD_ITARGETSR + 32);
	trap_disarm();
	ktest_result("vgic_width_allowed",
		     trap_log.count == 0 && ((prio >> 8) & 0xff) == 0x60 && ((targets1 >> 8) & 0xff) == 0x02 &&
		     ((targets0 >> 8) & 0xff) == 0x01,
		     "traps=%lu IPRIORITYR8=0x%x (byte 1 written 0x60) ITARGETSR8=0x%x then 0x%x (byte 1 "
		     "written 0x02, then 0x01)", trap_log.count, prio, targets1, targets0);
}

void hostile_gicv2_out_of_range(void)
{
	uint32_t typer = mmio_read32(GICD_BASE + 4), iidr, pmr;
	unsigned int nr_intids = ((typer & 0x1f) + 1) * 32, bad = 0;
	uint64_t at, addr, val = 0;
	/*
	 * Registers of interrupts the domain lacks and reserved or absent ones (GICD_NSACR
	 * 0xe00 without the Security Extensions, 0xfc0 reserved), and CPENDSGIR: RAZ/WI.
	 */
	const uint64_t raz_wi[] = {
		GICD_ISENABLER + nr_intids / 8, GICD_IPRIORITYR + nr_intids, GICD_IPRIORITYR + 1016,
		GICD_ITARGETSR + nr_intids, GICD_ITARGETSR + 1016, 0xe00, 0xfc0, GICD_CPENDSGIR,
	};

	trap_arm();
	for (unsigned int i = 0; i < sizeof(raz_wi) / sizeof(raz_wi[0]); i++) {
		if (nr_intids > 1016 && raz_wi[i] < 0xe00)
			continue;	/* all 1020 INTIDs implemented: nothing out of range there */
		mmio_write32(GICD_BASE + raz_wi[i], 0xffffffff);
		if (mmio_read32(GICD_BASE + raz_wi[i]) != 0)
			bad++;
	}
	trap_disarm();
	ktest_result("vgic_out_of_range_raz_wi", trap_log.count == 0 && bad == 0,
		     "%u of the registers past INTID %u or reserved did not read as zero, traps=%lu",
		     bad, nr_intids, trap_log.count);

	/* GICC is the hardware's virtual CPU interface: no trap, a GICv2 IIDR, PMR read back. */
	trap_arm();
	iidr = mmio_read32(GICC_BASE + GICC_IIDR);
	mmio_write32(GICC_BASE + GICC_PMR, 0xf0);
	pmr = mmio_read32(GICC_BASE + GICC_PMR);
	mmio_write32(GICC_BASE + GICC_PMR, 0);
	trap_disarm();
	ktest_result("vgic_gicc_is_gicv", trap_log.count == 0 && ((iidr >> 16) & 0xf) == 2 && pmr == 0xf0,
		     "traps=%lu GICC_IIDR=0x%x (ArchitectureVersion %u, want 2) GICC_PMR=0x%x (wrote 0xf0)",
		     trap_log.count, iidr, (iidr >> 16) & 0xf, pmr);

	addr = GICD_BASE + GICD_V2_SIZE;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(at), "+r"(val) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_past_gicd_frame", one_dabt(at, addr, 0), DABT_DETAILS, DABT_ARGS(at));
}
