// SPDX-License-Identifier: Apache-2.0
/*
 * Host GICv2 (GIC-400) driver and the hardware half of the vGICv2 backend: the GICH
 * virtual interface control registers (list registers, maintenance interrupt) of this
 * pCPU. Register offsets and bits: Arm GIC architecture specification v2, IHI 0048B
 * (GICD 4.3, GICC 4.4, GICH 5.3). All interrupts stay in the group the firmware left them
 * in (Group 0 without Security Extensions, as on QEMU virt; Group 1 Non-secure when EL3
 * firmware set it up, as on the ZCU102): the Non-secure or sole copy of GICD_CTLR and
 * GICC_CTLR bit 0 enables it. EOImode = 1, as on GICv3: priority drop and deactivation
 * are separate, so a guest deactivates a forwarded interrupt through the HW bit.
 */
#include <asm/gic.h>
#include <asm/gic-v2.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mmio.h>
#include <kestrel/vgic.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_ICPENDR		0x280
#define GICD_ICACTIVER		0x380
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_CTLR_ENABLE	(1U << 0)

#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_HPPIR		0x0018
#define GICC_DIR		0x1000
#define GICC_CTLR_ENABLE	(1U << 0)
#define GICC_CTLR_EOIMODE	(1U << 9)	/* EOImodeNS (or EOImode without Security Extensions) */

#define GICH_HCR		0x000
#define GICH_VTR		0x004
#define GICH_VMCR		0x008
#define GICH_ELRSR0		0x030
#define GICH_APR		0x0f0
#define GICH_LR0		0x100

#define DEFAULT_PRIO		0xa0
#define IAR_INTID_MASK		0x3ff
#define IAR_CPUID_SHIFT		10

static uintptr_t gicd, gicc, gich;
struct gic_v2_gicv gic_v2_gicv;
static unsigned int nr_spis;
/* GIC CPU interface bit of each pCPU (GICD_ITARGETSR0 read on it), by MPIDR affinity. */
static struct { uint64_t mpidr; uint8_t mask; } cpuif[CONFIG_NR_CPUS];
static unsigned int nr_cpuif;
/* Per pCPU: the full GICC_IAR value of the SGI being handled (its CPUID goes back in EOIR/DIR). */
static uint32_t sgi_iar[CONFIG_NR_CPUS];

static uint32_t mmio_read32(uint64_t pa)
{
	return readl((uintptr_t)pa);
}

static uint8_t this_cpu_mask(void)
{
	/* GICD_ITARGETSR0-7 are banked and read-only: each byte is this CPU's bit (IHI 0048B 4.3.12). */
	return readl(gicd + GICD_ITARGETSR) & 0xff;
}

static void record_cpuif(void)
{
	uint64_t aff = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	unsigned int i = __atomic_fetch_add(&nr_cpuif, 1, __ATOMIC_RELAXED);

	if (i < CONFIG_NR_CPUS)
		cpuif[i] = (typeof(cpuif[0])){ aff, this_cpu_mask() };
}

static void dist_init(void)
{
	unsigned int lines = ((readl(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	uint32_t target = this_cpu_mask() * 0x01010101U;

	if (lines > 1020)
		lines = 1020;
	nr_spis = lines - 32;
	writel(0, gicd + GICD_CTLR);
	for (unsigned int i = 32; i < lines; i += 32) {
		writel(~0U, gicd + GICD_ICENABLER + i / 8);
		writel(~0U, gicd + GICD_ICPENDR + i / 8);
		writel(~0U, gicd + GICD_ICACTIVER + i / 8);
	}
	for (unsigned int i = 32; i < lines; i += 16)
		writel(0, gicd + GICD_ICFGR + i / 4);
	for (unsigned int i = 32; i < lines; i += 4) {
		writel(DEFAULT_PRIO * 0x01010101U, gicd + GICD_IPRIORITYR + i);
		writel(target, gicd + GICD_ITARGETSR + i);
	}
	writel(GICD_CTLR_ENABLE, gicd + GICD_CTLR);
}

/* This pCPU's banked SGIs/PPIs and its CPU interface. */
static void cpu_init(void)
{
	writel(~0U, gicd + GICD_ICENABLER);
	writel(~0U, gicd + GICD_ICACTIVER);
	for (unsigned int i = 0; i < 32; i += 4)
		writel(DEFAULT_PRIO * 0x01010101U, gicd + GICD_IPRIORITYR + i);
	writel(0xff, gicc + GICC_PMR);
	writel(0, gicc + GICC_BPR);
	writel(GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE, gicc + GICC_CTLR);
	writel(0, gich + GICH_HCR);
	record_cpuif();
}

static int v2_init(const struct gic_info *gic)
{
	uint64_t cpu = gic_v2_cpu_window(gic->cpu_base, gic->cpu_size, mmio_read32);

	if (!cpu || !gic->hyp_size || gic->vcpu_size < GICV2_CPU_WINDOW)
		return -EINVAL;
	gic_v2_gicv = (struct gic_v2_gicv){ gic->vcpu_base, gic->vcpu_size,
					    gic_v2_cpu_window(gic->vcpu_base, gic->vcpu_size, mmio_read32) };
	gicd = gic->dist_base;
	gicc = cpu;
	gich = gic->hyp_base;
	dist_init();
	cpu_init();
	return 0;
}

static int v2_init_secondary(void)
{
	cpu_init();
	return 0;
}

static void v2_send_sgi(unsigned int intid, uint64_t mpidr)
{
	for (unsigned int i = 0; i < nr_cpuif && i < CONFIG_NR_CPUS; i++)
		if (cpuif[i].mpidr == (mpidr & MPIDR_AFF_MASK)) {
			dsb(ishst);
			/* TargetListFilter 0: the CPUTargetList [23:16] (IHI 0048B 4.3.15). */
			writel((uint32_t)cpuif[i].mask << 16 | (intid & 0xf), gicd + GICD_SGIR);
			return;
		}
}

static unsigned int v2_nr_spis(void)
{
	return nr_spis;
}

static void v2_set_enabled(unsigned int intid, bool enable)
{
	writel(1U << (intid % 32), gicd + (enable ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4);
}

static void v2_clear_spi(unsigned int intid)
{
	writel(1U << (intid % 32), gicd + GICD_ICPENDR + intid / 32 * 4);
	writel(1U << (intid % 32), gicd + GICD_ICACTIVER + intid / 32 * 4);
}

static void v2_set_edge(unsigned int intid, bool edge)
{
	uintptr_t reg = gicd + GICD_ICFGR + intid / 16 * 4;
	unsigned int shift = (intid % 16) * 2 + 1;

	writel((readl(reg) & ~(1U << shift)) | (edge ? 1U << shift : 0), reg);
}

unsigned int gic_v2_pending_intid(void)
{
	return readl(gicc + GICC_HPPIR) & 0x3ff;	/* PENDINTID; reading changes nothing */
}

static unsigned int v2_ack(void)
{
	uint32_t iar = readl(gicc + GICC_IAR);
	unsigned int intid = iar & IAR_INTID_MASK;

	if (intid < 16)
		sgi_iar[this_pcpu()->id] = iar;
	return intid;
}

/* GICC_EOIR/DIR take the acknowledged value: for an SGI, with its source CPUID (IHI 0048B 4.4.5). */
static uint32_t iar_of(unsigned int intid)
{
	return intid < 16 ? sgi_iar[this_pcpu()->id] : intid;
}

static void v2_eoi(unsigned int intid)
{
	writel(iar_of(intid), gicc + GICC_EOIR);
}

static void v2_deactivate(unsigned int intid)
{
	writel(iar_of(intid), gicc + GICC_DIR);
}

/* ---- vGICv2 backend: this pCPU's GICH (IHI 0048B 5.3) ---------------------------------- */

static unsigned int gich_nr_lrs(void)
{
	static unsigned int nr;

	if (!nr)
		nr = (readl(gich + GICH_VTR) & 0x3f) + 1;	/* ListRegs */
	return nr > VGIC_MAX_LRS ? VGIC_MAX_LRS : nr;
}

static uint64_t gich_read_lr(unsigned int n)
{
	return gich_lr_to_vgic(readl(gich + GICH_LR0 + n * 4));
}

static void gich_write_lr(unsigned int n, uint64_t lr)
{
	writel(gich_lr_from_vgic(lr), gich + GICH_LR0 + n * 4);
}

static uint32_t gich_read_elrsr(void)
{
	return readl(gich + GICH_ELRSR0);	/* 64 list registers at most; Kestrel uses 16 */
}

static void gich_write_hcr(uint64_t hcr)
{
	writel((uint32_t)hcr, gich + GICH_HCR);	/* En, UIE: as VGIC_HCR_* */
}

static void gich_save_cpuif(struct vgic_cpu *c)
{
	c->vmcr = readl(gich + GICH_VMCR);
	c->ap0r[0] = readl(gich + GICH_APR);
}

static void gich_restore_cpuif(const struct vgic_cpu *c)
{
	writel((uint32_t)c->vmcr, gich + GICH_VMCR);
	writel(c->ap0r[0], gich + GICH_APR);
}

const struct vgic_backend vgic_v2_backend = {
	.name = "GICv2",
	.version = 2,
	.nr_lrs = gich_nr_lrs,
	.read_lr = gich_read_lr,
	.write_lr = gich_write_lr,
	.read_elrsr = gich_read_elrsr,
	.write_hcr = gich_write_hcr,
	.save_cpuif = gich_save_cpuif,
	.restore_cpuif = gich_restore_cpuif,
	.add_mmio = vgic_v2_add_mmio,
};

const struct gic_driver gic_v2_driver = {
	.name = "GICv2",
	.version = 2,
	.vgic = &vgic_v2_backend,
	.init = v2_init,
	.init_secondary = v2_init_secondary,
	.send_sgi = v2_send_sgi,
	.nr_spis = v2_nr_spis,
	.set_enabled = v2_set_enabled,
	.set_edge = v2_set_edge,
	.clear_spi = v2_clear_spi,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
};
