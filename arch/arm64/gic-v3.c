// SPDX-License-Identifier: Apache-2.0
/*
 * Host GICv3 driver: only what the hypervisor itself needs. Register offsets and
 * bits: Arm GIC architecture specification IHI 0069 (GICD 12.9, GICR 12.10/12.11,
 * ICC system registers 12.2).
 */
#include <asm/gic.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mmio.h>
#include <kestrel/vgic.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_CTLR_ENABLE_G1A	(1U << 1)
#define GICD_CTLR_ENABLE_G1	(1U << 0)

#define GICR_FRAME		0x20000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_SGI		0x10000
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)

#define ICC_SRE_SRE		(1UL << 0)
#define ICC_SRE_ENABLE		(1UL << 3)
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define DEFAULT_PRIO		0xa0

static uintptr_t gicd;
static uintptr_t gicr_of[CONFIG_NR_CPUS];	/* each pCPU's redistributor frame */
static const struct gic_info *host_gic;

/* This pCPU's redistributor (TPIDR_EL2 -> struct pcpu -> id). */
#define gicr	gicr_of[this_pcpu()->id]
static unsigned int nr_spis;

static void dist_wait_rwp(void)
{
	while (readl(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static unsigned int v3_nr_spis(void)
{
	return nr_spis;
}

/* This pCPU's frame in redistributor region @base (@size bytes), or 0. */
static uintptr_t find_redist_in(uint64_t base, uint64_t size, uint64_t aff)
{
	for (uint64_t off = 0; off + GICR_FRAME <= size; off += GICR_FRAME) {
		uint64_t typer = readq(base + off + GICR_TYPER);

		if ((typer >> 32) == aff)
			return base + off;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

/* This pCPU's redistributor, searched in every region of the DT (IHI 0069 9.6, GICR_TYPER). */
static int find_redist(const struct gic_info *gic)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	for (unsigned int i = 0; i < MAX(gic->nr_redist, 1U); i++) {
		const struct membank *r = gic->nr_redist ? &gic->redist[i]
							 : &(const struct membank){ gic->redist_base,
										    gic->redist_size };

		gicr = find_redist_in(r->start, r->size, aff);
		if (gicr)
			return 0;
	}
	return -ENOENT;
}

static void dist_init(void)
{
	unsigned int lines = ((readl(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t route = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 32;

	if (lines > 1020)
		lines = 1020;
	nr_spis = lines - 32;
	writel(0, gicd + GICD_CTLR);
	dist_wait_rwp();
	for (unsigned int i = 32; i < lines; i += 32) {
		writel(~0U, gicd + GICD_ICENABLER + i / 8);
		writel(~0U, gicd + GICD_ICPENDR + i / 8);
		writel(~0U, gicd + GICD_ICACTIVER + i / 8);
		writel(~0U, gicd + GICD_IGROUPR + i / 8);
	}
	for (unsigned int i = 32; i < lines; i += 16)
		writel(0, gicd + GICD_ICFGR + i / 4);
	for (unsigned int i = 32; i < lines; i += 4)
		writel(DEFAULT_PRIO * 0x01010101U, gicd + GICD_IPRIORITYR + i);
	for (unsigned int i = 32; i < lines; i++)
		writeq(route, gicd + GICD_IROUTER + i * 8);
	dist_wait_rwp();
	writel(GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1, gicd + GICD_CTLR);
	dist_wait_rwp();
}

static void redist_init(void)
{
	uintptr_t sgi = gicr + GICR_SGI;

	writel(readl(gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP, gicr + GICR_WAKER);
	while (readl(gicr + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	writel(~0U, sgi + GICD_ICENABLER);
	writel(~0U, sgi + GICD_ICACTIVER);
	writel(~0U, sgi + GICD_IGROUPR);
	for (unsigned int i = 0; i < 32; i += 4)
		writel(DEFAULT_PRIO * 0x01010101U, sgi + GICD_IPRIORITYR + i);
}

static void cpuif_init(void)
{
	write_sysreg(read_sysreg(S3_4_C12_C9_5) | ICC_SRE_SRE | ICC_SRE_ENABLE, S3_4_C12_C9_5); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(0xff, S3_0_C4_C6_0);		/* ICC_PMR_EL1: let everything through */
	write_sysreg(0, S3_0_C12_C12_3);		/* ICC_BPR1_EL1 */
	write_sysreg(ICC_CTLR_EOIMODE, S3_0_C12_C12_4);	/* ICC_CTLR_EL1 */
	write_sysreg(1, S3_0_C12_C12_7);		/* ICC_IGRPEN1_EL1 */
	isb();
}

static int v3_init(const struct gic_info *gic)
{
	host_gic = gic;
	gicd = gic->dist_base;
	if (find_redist(gic))
		return -ENOENT;
	dist_init();
	redist_init();
	cpuif_init();
	return 0;
}

static int v3_init_secondary(void)
{
	if (find_redist(host_gic))
		return -ENOENT;
	redist_init();
	cpuif_init();
	return 0;
}

static void v3_send_sgi(unsigned int intid, uint64_t mpidr)
{
	dsb(ishst);
	write_sysreg(gic_v3_sgi1r(intid, mpidr), S3_0_C12_C11_5);	/* ICC_SGI1R_EL1 */
	isb();
}

static void v3_set_enabled(unsigned int intid, bool enable)
{
	uintptr_t base = intid < 32 ? gicr + GICR_SGI : gicd;

	writel(1U << (intid % 32), base + (enable ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4);
	if (intid >= 32)
		dist_wait_rwp();
}

static void v3_clear_spi(unsigned int intid)
{
	writel(1U << (intid % 32), gicd + GICD_ICPENDR + intid / 32 * 4);
	writel(1U << (intid % 32), gicd + GICD_ICACTIVER + intid / 32 * 4);
}

static void v3_set_edge(unsigned int intid, bool edge)
{
	uintptr_t reg = gicd + GICD_ICFGR + intid / 16 * 4;
	unsigned int shift = (intid % 16) * 2 + 1;

	writel((readl(reg) & ~(1U << shift)) | (edge ? 1U << shift : 0), reg);
}

static unsigned int v3_ack(void)
{
	unsigned int intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;	/* ICC_IAR1_EL1 */

	dsb(sy);
	return intid;
}

static void v3_eoi(unsigned int intid)
{
	write_sysreg(intid, S3_0_C12_C12_1);	/* ICC_EOIR1_EL1 */
	isb();
}

static void v3_deactivate(unsigned int intid)
{
	write_sysreg(intid, S3_0_C12_C11_1);	/* ICC_DIR_EL1 */
	isb();
}

const struct gic_driver gic_v3_driver = {
	.name = "GICv3",
	.version = 3,
	.vgic = &vgic_v3_backend,
	.init = v3_init,
	.init_secondary = v3_init_secondary,
	.send_sgi = v3_send_sgi,
	.nr_spis = v3_nr_spis,
	.set_enabled = v3_set_enabled,
	.set_edge = v3_set_edge,
	.clear_spi = v3_clear_spi,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
};
