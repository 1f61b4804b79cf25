// SPDX-License-Identifier: Apache-2.0
/*
 * Passthrough checks, run by the ktest guest booted as a dom0less domU with
 * "ktest.passthrough" (tests/boot/test_dom0less.py). Its partial device tree
 * (dts/passthrough-pl031.dts) gives it QEMU virt's PL031 RTC, host PA 0x09010000 with SPI 2,
 * at guest IPA PT_IPA. Checked: the device's identification registers read through the
 * stage-2 mapping (ARM DDI 0224 PL031 TRM 3.3: PeriphID 0x31 0x10, PrimeCellID 0x0d 0xf0
 * 0x05 0xb1); its counter runs; its match interrupt, raised by the real device, arrives as
 * virtual INTID 34 through the domU's vGICv3 and, after the guest clears it and EOIs
 * (deactivating the physical SPI: the list register's HW bit), arrives again on the next
 * match; the page past the device aborts. Then "KTEST DONE" and PSCI SYSTEM_OFF, or with
 * @reboot_active ("ktest.passthrough-reboot") it takes one more match interrupt, leaves it
 * active (no EOI) and asks for SYSTEM_RESET: Kestrel must clear that SPI when it destroys
 * the domU, or the rebuilt one never gets it again.
 */
#include "ktest.h"
#include "ktrap.h"

#define PT_IPA			0x10000000UL
#define RTC_DR			0x00	/* data: seconds */
#define RTC_MR			0x04	/* match */
#define RTC_IMSC		0x10	/* interrupt mask set/clear */
#define RTC_RIS			0x14	/* raw interrupt status */
#define RTC_ICR			0x1c	/* interrupt clear */
#define RTC_PERIPHID0		0xfe0
#define RTC_SPI_INTID		(32 + 2)

#define GUEST_GICD		0x03001000UL	/* Xen public/arch-arm.h GUEST_GICV3_GICD_BASE */
#define GUEST_GICR0		0x03020000UL
#define GICD_CTLR_G1_ARE	0x12	/* EnableGrp1, ARE (one security state): IHI 0069 12.9.4 */
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_IPRIORITYR		0x400
#define GICD_IROUTER		0x6000
#define GICR_WAKER		0x014
#define SPURIOUS		1023

static uint64_t read_iar1(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(v) : : "memory");	/* ICC_IAR1_EL1 */
	return v & 0xffffff;
}

static void write_eoir1(uint64_t intid)
{
	__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(intid) : "memory");	/* ICC_EOIR1_EL1 */
}

/* The RTC's SPI as a Group 1 interrupt to vCPU 0; the CPU interface takes Group 1. */
static void gic_setup(void)
{
	__asm__ volatile("msr daifset, #2");		/* interrupts are polled with ICC_IAR1_EL1 */
	mmio_write32(GUEST_GICD, GICD_CTLR_G1_ARE);
	mmio_write32(GUEST_GICR0 + GICR_WAKER, 0);
	mmio_write32(GUEST_GICD + GICD_IGROUPR + 4 * (RTC_SPI_INTID / 32), 1U << (RTC_SPI_INTID % 32));
	mmio_write32(GUEST_GICD + GICD_IPRIORITYR + (RTC_SPI_INTID & ~3U),
		     0x80U << (8 * (RTC_SPI_INTID % 4)));
	mmio_write64(GUEST_GICD + GICD_IROUTER + 8 * RTC_SPI_INTID, 0);
	mmio_write32(GUEST_GICD + GICD_ISENABLER + 4 * (RTC_SPI_INTID / 32), 1U << (RTC_SPI_INTID % 32));
	__asm__ volatile("msr S3_0_C4_C6_0, %0\n\t"	/* ICC_PMR_EL1: everything */
			 "msr S3_0_C12_C12_7, %1\n\tisb"	/* ICC_IGRPEN1_EL1 */
			 :
			 : "r"(0xf0UL), "r"(1UL)
			 : "memory");
}

/* Arm the match for the RTC's next second and poll for its interrupt (at most 3 s). */
static uint64_t wait_match_irq(uint32_t *rtc_ris)
{
	uint64_t deadline = read_cntvct() + 3 * read_cntfrq(), intid = SPURIOUS;

	mmio_write32(PT_IPA + RTC_MR, mmio_read32(PT_IPA + RTC_DR) + 1);
	mmio_write32(PT_IPA + RTC_IMSC, 1);
	while (read_cntvct() < deadline && (intid = read_iar1()) == SPURIOUS)
		;
	*rtc_ris = mmio_read32(PT_IPA + RTC_RIS);
	if (intid != SPURIOUS) {
		mmio_write32(PT_IPA + RTC_ICR, 1);	/* the level drops... */
		write_eoir1(intid);			/* ...then the physical SPI is deactivated */
	}
	return intid;
}

_Noreturn void passthrough_main(int reboot_active)
{
	static const uint8_t want_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	uint8_t id[8];
	uint32_t t0, ris;
	uint64_t intid, at;
	int id_ok = 1;

	for (unsigned int i = 0; i < 8; i++) {
		id[i] = (uint8_t)mmio_read32(PT_IPA + RTC_PERIPHID0 + 4 * i);
		/* PeriphID2's revision nibble may differ between models: compare its low nibble. */
		id_ok &= i == 2 ? (id[i] & 0xf) == (want_id[i] & 0xf) : id[i] == want_id[i];
	}
	ktest_result("passthrough_id_registers", id_ok, "PL031 ids %02x %02x %02x %02x / %02x %02x %02x %02x",
		     id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
	t0 = mmio_read32(PT_IPA + RTC_DR);
	ktest_result("passthrough_rtc_counts", t0 > 1500000000U, "RTCDR = %u (seconds since 1970)", t0);

	gic_setup();
	for (unsigned int round = 0; round < 2; round++) {
		intid = wait_match_irq(&ris);
		ktest_result(round ? "passthrough_spi_again_after_eoi" : "passthrough_spi_delivered",
			     intid == RTC_SPI_INTID && (ris & 1),
			     "ICC_IAR1_EL1 gave %lu (want %u), RTCRIS 0x%x", intid, RTC_SPI_INTID, ris);
	}
	ris = mmio_read32(PT_IPA + RTC_RIS);
	ktest_result("passthrough_spi_cleared", !(ris & 1) && read_iar1() == SPURIOUS, "RTCRIS 0x%x", ris);

	trap_arm();
	__asm__ volatile("adr %0, 1f\n1: ldr w1, [%1]" : "=&r"(at) : "r"(PT_IPA + 0x1000) : "x1", "memory");
	trap_disarm();
	ktest_result("passthrough_only_its_range", one_dabt(at, PT_IPA + 0x1000, 0), DABT_DETAILS,
		     DABT_ARGS(at));
	kprintf("KTEST DONE\n");
	if (reboot_active) {
		uint64_t deadline = read_cntvct() + 3 * read_cntfrq();

		mmio_write32(PT_IPA + RTC_MR, mmio_read32(PT_IPA + RTC_DR) + 1);
		while (read_cntvct() < deadline && read_iar1() == SPURIOUS)
			;
		kprintf("KTEST passthrough: rebooting with the SPI active\n");
		psci_call(PSCI_0_2_SYSTEM_RESET, 0, 0, 0);
	}
	system_off();
}
