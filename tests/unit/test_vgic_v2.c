// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of the GICv2 register files of the vGIC: the emulated distributor of
 * arch/arm64/vgic-v2-dist.c over the core's register helpers (arch/arm64/vgic-regs.c,
 * vgic.c), as a guest reaches it through the data-abort path (domain_find_mmio() and the
 * region's ops), and vgic_v2_add_mmio()'s GICC mapping. GICv2's layout (Arm IHI 0048B 4.3,
 * Table 4-1): GICD_CTLR 0x000, TYPER 0x004 (ITLinesNumber [4:0], CPUNumber [7:5]), IIDR
 * 0x008, ISENABLER 0x100, ICENABLER 0x180, ISPENDR 0x200, IPRIORITYR 0x400 (bytes),
 * ITARGETSR 0x800 (bytes; banked SGI/PPI bytes read as the reading CPU's own bit), ICFGR
 * 0xc00, SGIR 0xf00 (TargetListFilter [25:24], CPUTargetList [23:16], INTID [3:0]),
 * CPENDSGIR 0xf10, SPENDSGIR 0xf20, PIDR2 0xfe8 (ArchRev 2). The frame is 4 KiB.
 *
 * Fakes: no list registers are touched (no vCPU is entered); p2m_map() records its calls;
 * the host GICV frame is set per test; mm_alloc_pages() is aligned_alloc() + memset().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/gic.h>
#include <asm/gic-v2.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/p2m.h>
#include <kestrel/vgic.h>

#define GICD_BASE	0x08000000UL
#define GICC_BASE	0x08010000UL
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ISPENDR	0x200
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00
#define GICD_CPENDSGIR	0xf10
#define GICD_SPENDSGIR	0xf20
#define GICD_PIDR2	0xfe8

/* ---- Fakes --------------------------------------------------------------------------- */

static struct vcpu *cur_vcpu;

struct vcpu *current_vcpu(void)
{
	return cur_vcpu;
}

void vcpu_kick(struct vcpu *v)
{
}

void *mm_alloc_pages(unsigned int n, uint64_t align)
{
	void *p = aligned_alloc(align, (size_t)n * PAGE_SIZE);

	if (p)
		memset(p, 0, (size_t)n * PAGE_SIZE);
	return p;
}

int mm_free_pages(void *p, unsigned int n)
{
	free(p);
	return 0;
}

struct p2m_call {
	uint64_t ipa, pa, size;
	enum p2m_type type;
};
static struct p2m_call p2m_calls[4];
static unsigned int nr_p2m_calls;

int p2m_map(struct p2m *p2m, uint64_t ipa, uint64_t pa, uint64_t size, enum p2m_type type)
{
	assert_true(nr_p2m_calls < ARRAY_SIZE(p2m_calls));
	p2m_calls[nr_p2m_calls++] = (struct p2m_call){ ipa, pa, size, type };
	return 0;
}

struct gic_v2_gicv gic_v2_gicv;

static unsigned int fake_nr_lrs(void) { return 4; }
static uint64_t fake_read_lr(unsigned int n) { return 0; }
static void fake_write_lr(unsigned int n, uint64_t lr) { }
static uint32_t fake_read_elrsr(void) { return 0xf; }
static void fake_write_hcr(uint64_t hcr) { }
static void fake_save_cpuif(struct vgic_cpu *c) { }
static void fake_restore_cpuif(const struct vgic_cpu *c) { }

/* The GICv2 backend's MMIO side with a CPU interface that is never entered here. */
static const struct vgic_backend fake_v2_backend = {
	.name = "fake GICv2",
	.version = 2,
	.nr_lrs = fake_nr_lrs,
	.read_lr = fake_read_lr,
	.write_lr = fake_write_lr,
	.read_elrsr = fake_read_elrsr,
	.write_hcr = fake_write_hcr,
	.save_cpuif = fake_save_cpuif,
	.restore_cpuif = fake_restore_cpuif,
	.add_mmio = vgic_v2_add_mmio,
};

static struct gic_call {
	unsigned int intid;
	bool flag;
} edge_calls[8];
static unsigned int nr_edge_calls;

static void fake_set_enabled(unsigned int intid, bool enable) { }

static void fake_set_edge(unsigned int intid, bool edge)
{
	assert_true(nr_edge_calls < ARRAY_SIZE(edge_calls));
	edge_calls[nr_edge_calls++] = (struct gic_call){ intid, edge };
}

static const struct gic_driver fake_gic = {
	.name = "fake GIC-400",
	.version = 2,
	.set_enabled = fake_set_enabled,
	.set_edge = fake_set_edge,
};

const struct gic_driver *gic_hw = &fake_gic;

/* ---- Fixtures ------------------------------------------------------------------------ */

/* The host's GICV as QEMU virt has it: 8 KiB usable at the frame's start. */
static void plain_gicv(void)
{
	gic_v2_gicv = (struct gic_v2_gicv){ 0x08040000UL, 0x10000UL, 0x08040000UL };
}

static struct domain *make_domain(unsigned int nr_vcpus, unsigned int nr_spis, uint64_t cpu_size)
{
	struct domain *d = calloc(1, sizeof(*d));
	struct vgic_frames f = { .dist_base = GICD_BASE, .cpu_base = GICC_BASE, .cpu_size = cpu_size };

	assert_non_null(d);
	d->max_vcpus = nr_vcpus;
	assert_int_equal(vgic_domain_init_frames(d, nr_spis, &f), 0);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));

		assert_non_null(v);
		v->domain = d;
		v->vcpu_id = i;
		v->vmpidr = i;
		vgic_vcpu_init(v);
		d->vcpu[i] = v;
	}
	return d;
}

static void free_domain(struct domain *d)
{
	for (unsigned int i = 0; i < CONFIG_MAX_VCPUS; i++)
		free(d->vcpu[i]);
	free(d->vgic.spis);
	free(d);
}

static int setup3(void **state)
{
	vgic_set_backend(&fake_v2_backend);
	plain_gicv();
	nr_p2m_calls = nr_edge_calls = 0;
	*state = make_domain(3, 64, GICV2_CPU_WINDOW);
	cur_vcpu = ((struct domain *)*state)->vcpu[0];
	return 0;
}

static int teardown(void **state)
{
	free_domain(*state);
	cur_vcpu = NULL;
	return 0;
}

/* ---- Helpers ------------------------------------------------------------------------- */

/* An access as the data-abort path makes it from @v: region lookup, then the device's op. */
static bool mmio(struct vcpu *v, uint64_t off, unsigned int size, bool write, uint64_t *val)
{
	const struct mmio_region *r = domain_find_mmio(v->domain, GICD_BASE + off);
	struct mmio_read rd;

	cur_vcpu = v;
	if (!r)
		return false;
	if (write)
		return r->ops->write(v, GICD_BASE + off - r->base, size, *val);
	rd = r->ops->read(v, GICD_BASE + off - r->base, size);
	if (rd.ok)
		*val = rd.val;
	return rd.ok;
}

static uint64_t rd(struct vcpu *v, uint64_t off, unsigned int size)
{
	uint64_t val = 0x5a5a5a5a5a5a5a5aUL;

	assert_true(mmio(v, off, size, false, &val));
	return val;
}

static void wr(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	assert_true(mmio(v, off, size, true, &val));
}

static bool sgi_pending(struct vcpu *v, unsigned int intid)
{
	return vgic_get_irq(v, intid)->pending;
}

static void clear_sgis(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		for (unsigned int intid = 0; intid < 16; intid++)
			vgic_get_irq(d->vcpu[i], intid)->pending = false;
}

/* ---- Tests --------------------------------------------------------------------------- */

static void test_typer_iidr_pidr2_ctlr(void **state)
{
	struct domain *d = *state, *d1;
	struct vcpu *v = d->vcpu[0];

	/* 3 vCPUs, 64 SPIs = 96 INTIDs: ITLinesNumber 2, CPUNumber 2; no SecurityExtn. */
	assert_int_equal(rd(v, GICD_TYPER, 4), 2 | 2 << 5);
	assert_int_equal(rd(v, 0x008, 4), 0x43b);
	assert_int_equal(rd(v, GICD_PIDR2, 4), 0x20);		/* ArchRev 2: GICv2 */
	assert_int_equal(rd(v, 0x000, 4), 0);
	wr(v, 0x000, 4, 0xffffffff);
	assert_int_equal(rd(v, 0x000, 4), 1);			/* Enable only */

	/* 1 vCPU, 988 SPIs (1020 INTIDs): 31, CPUNumber 0. */
	d1 = make_domain(1, 988, GICV2_CPU_WINDOW);
	assert_int_equal(rd(d1->vcpu[0], GICD_TYPER, 4), 31);
	free_domain(d1);
}

static void test_frame_is_4k(void **state)
{
	struct domain *d = *state;
	uint64_t val = 0;

	assert_non_null(domain_find_mmio(d, GICD_BASE + 0xffc));
	assert_null(domain_find_mmio(d, GICD_BASE + 0x1000));
	assert_false(mmio(d->vcpu[0], 0x1000, 4, false, &val));
}

static void test_access_sizes(void **state)
{
	struct vcpu *v = ((struct domain *)*state)->vcpu[0];
	uint64_t val = 0;

	/* Bytes only for IPRIORITYR and ITARGETSR; words everywhere, aligned; nothing else. */
	assert_false(mmio(v, GICD_TYPER, 2, false, &val));
	assert_false(mmio(v, GICD_TYPER, 1, false, &val));
	assert_false(mmio(v, GICD_ISENABLER, 1, true, &val));
	assert_false(mmio(v, 0x000, 8, false, &val));
	assert_false(mmio(v, GICD_IPRIORITYR + 2, 4, false, &val));
	assert_false(mmio(v, GICD_ICFGR + 1, 1, false, &val));
	assert_true(mmio(v, GICD_IPRIORITYR + 33, 1, false, &val));
	assert_true(mmio(v, GICD_ITARGETSR + 35, 1, false, &val));
}

static void test_ipriorityr(void **state)
{
	struct domain *d = *state;
	struct vcpu *v0 = d->vcpu[0], *v1 = d->vcpu[1];

	wr(v0, GICD_IPRIORITYR + 33, 1, 0x60);
	assert_int_equal(vgic_get_irq(v0, 33)->priority, 0x60);
	assert_int_equal(rd(v0, GICD_IPRIORITYR + 32, 4), 0x6000);
	/* Private interrupts are banked: vCPU 1's SGI 1 priority is its own. */
	wr(v1, GICD_IPRIORITYR + 0, 4, 0x40302010);
	assert_int_equal(vgic_get_irq(v1, 1)->priority, 0x20);
	assert_int_equal(vgic_get_irq(v0, 1)->priority, 0);
	assert_int_equal(rd(v1, GICD_IPRIORITYR + 3, 1), 0x40);
}

static void test_itargetsr_private_reads_own_cpu(void **state)
{
	struct domain *d = *state;

	/* SGIs and PPIs: each byte holds the reading CPU interface's own bit (RO). */
	assert_int_equal(rd(d->vcpu[0], GICD_ITARGETSR + 0, 4), 0x01010101);
	assert_int_equal(rd(d->vcpu[1], GICD_ITARGETSR + 28, 4), 0x02020202);
	assert_int_equal(rd(d->vcpu[2], GICD_ITARGETSR + 16, 1), 0x04);
	wr(d->vcpu[2], GICD_ITARGETSR + 16, 4, 0x01010101);	/* WI */
	assert_int_equal(rd(d->vcpu[2], GICD_ITARGETSR + 16, 4), 0x04040404);
}

static void test_itargetsr_routes_spis(void **state)
{
	struct domain *d = *state;
	struct vcpu *v = d->vcpu[0];
	struct vgic_irq *irq = vgic_get_irq(v, 33);

	assert_int_equal(rd(v, GICD_ITARGETSR + 33, 1), 0x01);		/* reset: vCPU 0 */
	wr(v, GICD_ITARGETSR + 33, 1, 0x04);
	assert_int_equal(irq->irouter & MPIDR_AFF_MASK, vcpu_id_to_mpidr(2) & MPIDR_AFF_MASK);
	assert_int_equal(rd(v, GICD_ITARGETSR + 33, 1), 0x04);
	/* Several CPUs named: the lowest takes it (one target per SPI). */
	wr(v, GICD_ITARGETSR + 33, 1, 0x06);
	assert_int_equal(rd(v, GICD_ITARGETSR + 33, 1), 0x02);
	/* No CPU named, or only CPUs the domain lacks: left where it was. */
	wr(v, GICD_ITARGETSR + 33, 1, 0x00);
	assert_int_equal(rd(v, GICD_ITARGETSR + 33, 1), 0x02);
	wr(v, GICD_ITARGETSR + 33, 1, 0x80);
	assert_int_equal(rd(v, GICD_ITARGETSR + 33, 1), 0x02);
	/* A word covers four SPIs, byte n for INTID base + n. */
	wr(v, GICD_ITARGETSR + 36, 4, 0x01040201);
	assert_int_equal(rd(v, GICD_ITARGETSR + 36, 4), 0x01040201);
	assert_int_equal(vgic_get_irq(v, 38)->irouter & MPIDR_AFF_MASK, vcpu_id_to_mpidr(2) & MPIDR_AFF_MASK);
	/* INTIDs past the domain's 96: RAZ/WI. */
	wr(v, GICD_ITARGETSR + 96, 4, 0x01010101);
	assert_int_equal(rd(v, GICD_ITARGETSR + 96, 4), 0);
}

static void test_sgir_filters(void **state)
{
	struct domain *d = *state;
	struct vcpu *v0 = d->vcpu[0], *v1 = d->vcpu[1], *v2 = d->vcpu[2];

	/* Filter 0: CPUTargetList 0b101 -> vCPUs 0 and 2, INTID 3. */
	wr(v0, GICD_SGIR, 4, 0 << 24 | 0x05 << 16 | 3);
	assert_true(sgi_pending(v0, 3) && !sgi_pending(v1, 3) && sgi_pending(v2, 3));
	clear_sgis(d);
	/* A list naming CPUs the domain lacks (bits 3-7) reaches only those it has. */
	wr(v0, GICD_SGIR, 4, 0 << 24 | 0xfa << 16 | 4);
	assert_true(!sgi_pending(v0, 4) && sgi_pending(v1, 4) && !sgi_pending(v2, 4));
	clear_sgis(d);
	/* Filter 1: every CPU but the sender, the list ignored. */
	wr(v1, GICD_SGIR, 4, 1 << 24 | 0x02 << 16 | 5);
	assert_true(sgi_pending(v0, 5) && !sgi_pending(v1, 5) && sgi_pending(v2, 5));
	clear_sgis(d);
	/* Filter 2: the sender only. */
	wr(v2, GICD_SGIR, 4, 2 << 24 | 0x01 << 16 | 15);
	assert_true(!sgi_pending(v0, 15) && !sgi_pending(v1, 15) && sgi_pending(v2, 15));
	clear_sgis(d);
	/* Filter 3 is reserved: nothing; INTID takes bits [3:0] only (bits 15 = NSATT ignored). */
	wr(v0, GICD_SGIR, 4, 3u << 24 | 0x07 << 16 | 6);
	for (unsigned int i = 0; i < 3; i++)
		assert_false(sgi_pending(d->vcpu[i], 6));
	wr(v0, GICD_SGIR, 4, 1u << 15 | 2 << 24 | 0x1f);
	assert_true(sgi_pending(v0, 15));
	/* Write-only: reads as zero. */
	assert_int_equal(rd(v0, GICD_SGIR, 4), 0);
}

static void test_cpendsgir_spendsgir_raz_wi(void **state)
{
	struct domain *d = *state;
	struct vcpu *v = d->vcpu[0];

	/* One security state, SGIs sent only through GICD_SGIR: the SGI pending registers RAZ/WI. */
	wr(v, GICD_SPENDSGIR, 4, 0xffffffff);
	for (unsigned int intid = 0; intid < 4; intid++)
		assert_false(sgi_pending(v, intid));
	assert_int_equal(rd(v, GICD_SPENDSGIR, 4), 0);
	wr(v, GICD_SGIR, 4, 2 << 24 | 2);
	wr(v, GICD_CPENDSGIR, 4, 0xffffffff);
	assert_true(sgi_pending(v, 2));
	assert_int_equal(rd(v, GICD_CPENDSGIR, 4), 0);
}

static void test_icfgr(void **state)
{
	struct domain *d = *state;
	struct vcpu *v = d->vcpu[0];

	/* ICFGR0: SGIs always edge (0b10 per INTID); ICFGR1: PPIs level at reset. */
	assert_int_equal(rd(v, GICD_ICFGR + 0, 4), 0xaaaaaaaa);
	assert_int_equal(rd(v, GICD_ICFGR + 4, 4), 0);
	/* SPI 33 (ICFGR2, field 1) made edge: the physical GIC is told only for HW SPIs. */
	wr(v, GICD_ICFGR + 8, 4, 0x2 << 2);
	assert_true(vgic_get_irq(v, 33)->edge);
	assert_false(vgic_get_irq(v, 32)->edge);
	assert_int_equal(rd(v, GICD_ICFGR + 8, 4), 0x8);
	assert_int_equal(nr_edge_calls, 0);
	vgic_get_irq(v, 34)->hw = true;
	wr(v, GICD_ICFGR + 8, 4, 0x2 << 4);
	assert_int_equal(nr_edge_calls, 1);
	assert_int_equal(edge_calls[0].intid, 34);
	assert_true(edge_calls[0].flag);
	/* Past the domain's INTIDs (ICFGR6 covers 96..111): RAZ/WI. */
	wr(v, GICD_ICFGR + 24, 4, 0xffffffff);
	assert_int_equal(rd(v, GICD_ICFGR + 24, 4), 0);
}

static void test_enable_and_pending_banked(void **state)
{
	struct domain *d = *state;
	struct vcpu *v0 = d->vcpu[0], *v1 = d->vcpu[1];

	/* PPI 27 (the virtual timer) enabled by vCPU 1 in its own bank only. */
	wr(v1, GICD_ISENABLER, 4, 1U << 27);
	assert_true(vgic_get_irq(v1, 27)->enabled);
	assert_false(vgic_get_irq(v0, 27)->enabled);
	assert_int_equal(rd(v1, GICD_ISENABLER, 4), 1U << 27);
	assert_int_equal(rd(v1, GICD_ICENABLER, 4), 1U << 27);
	assert_int_equal(rd(v0, GICD_ISENABLER, 4), 0);
	wr(v1, GICD_ICENABLER, 4, 1U << 27);
	assert_false(vgic_get_irq(v1, 27)->enabled);
	/* SPIs are shared: ISPENDR1 bit 8 is SPI 40 whoever writes it. */
	wr(v1, GICD_ISPENDR + 4, 4, 1U << 8);
	assert_true(vgic_get_irq(v0, 40)->pending);
	assert_int_equal(rd(v0, GICD_ISPENDR + 4, 4), 1U << 8);
	/* Past the domain's 96 INTIDs: RAZ/WI. */
	wr(v0, GICD_ISENABLER + 12, 4, ~0U);
	assert_int_equal(rd(v0, GICD_ISENABLER + 12, 4), 0);
}

static void test_reserved_raz_wi(void **state)
{
	struct vcpu *v = ((struct domain *)*state)->vcpu[0];
	static const unsigned int offs[] = { 0x00c, 0x040, 0xd00, 0xe00, 0xefc, 0xf04, 0xf30, 0xfc0, 0xffc };

	for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++) {
		wr(v, offs[i], 4, 0xffffffff);
		assert_int_equal(rd(v, offs[i], 4), 0);
	}
}

static void test_add_mmio_maps_gicv(void **state)
{
	struct domain *d = *state, *dom0;

	/* The fixture's domain: 8 KiB GICC onto the GICV's usable window. */
	assert_int_equal(nr_p2m_calls, 1);
	assert_int_equal(p2m_calls[0].ipa, GICC_BASE);
	assert_int_equal(p2m_calls[0].pa, 0x08040000UL);
	assert_int_equal(p2m_calls[0].size, GICV2_CPU_WINDOW);
	assert_int_equal(p2m_calls[0].type, P2M_MMIO);
	assert_non_null(domain_find_mmio(d, GICD_BASE));

	/* ZynqMP: 64 KiB aliases. A guest's 8 KiB GICC gets the window at +0xf000; dom0's
	 * 128 KiB GICC (the host's size) the frame from its start, aliases and all. */
	gic_v2_gicv = (struct gic_v2_gicv){ 0xf9060000UL, 0x20000UL, 0xf906f000UL };
	nr_p2m_calls = 0;
	free_domain(make_domain(1, 32, GICV2_CPU_WINDOW));
	assert_int_equal(p2m_calls[0].pa, 0xf906f000UL);
	assert_int_equal(p2m_calls[0].size, GICV2_CPU_WINDOW);
	dom0 = make_domain(1, 32, 0x20000);
	assert_int_equal(p2m_calls[1].pa, 0xf9060000UL);
	assert_int_equal(p2m_calls[1].size, 0x20000);
	free_domain(dom0);
}

static void test_add_mmio_refuses_missing_gicv(void **state)
{
	struct domain *d = calloc(1, sizeof(*d));
	struct vgic_frames f = { .dist_base = GICD_BASE, .cpu_base = GICC_BASE, .cpu_size = GICV2_CPU_WINDOW };

	assert_non_null(d);
	d->max_vcpus = 1;
	gic_v2_gicv = (struct gic_v2_gicv){ 0 };
	nr_p2m_calls = 0;
	assert_int_equal(vgic_domain_init_frames(d, 32, &f), -EINVAL);
	assert_int_equal(nr_p2m_calls, 0);
	/* A GICC smaller than the 8 KiB the guest needs. */
	gic_v2_gicv = (struct gic_v2_gicv){ 0x08040000UL, 0x1000UL, 0x08040000UL };
	vgic_domain_free(d);
	d->vgic.spis = NULL;
	f.cpu_size = 0x10000;
	assert_int_equal(vgic_domain_init_frames(d, 32, &f), -EINVAL);
	vgic_domain_free(d);
	free(d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup3, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_typer_iidr_pidr2_ctlr),
		T(test_frame_is_4k),
		T(test_access_sizes),
		T(test_ipriorityr),
		T(test_itargetsr_private_reads_own_cpu),
		T(test_itargetsr_routes_spis),
		T(test_sgir_filters),
		T(test_cpendsgir_spendsgir_raz_wi),
		T(test_icfgr),
		T(test_enable_and_pending_banked),
		T(test_reserved_raz_wi),
		T(test_add_mmio_maps_gicv),
		T(test_add_mmio_refuses_missing_gicv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
