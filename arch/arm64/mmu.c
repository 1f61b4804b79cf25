// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 stage-1 translation: a 39-bit identity map (T0SZ = 25, start level 1, 4 KiB
 * granule). TCR_EL2 fields: Arm ARM D17.2.131; SCTLR_EL2: D17.2.120.
 */
#include <asm/mmu.h>
#include <asm/cache.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>

#define VA_BITS		39
_Static_assert(EL2_MAP_LIMIT == 1UL << VA_BITS, "EL2_MAP_LIMIT");
#define TCR_EL2_RES1	(BIT(31) | BIT(23))
#define TCR_T0SZ	(64 - VA_BITS)
#define TCR_WBWA_IS	((1UL << 8) | (1UL << 10) | (3UL << 12))

#define S1_NORMAL	(PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(MT_NORMAL))
#define S1_DEVICE	(PTE_AF | PTE_S1_ATTRIDX(MT_DEVICE_nGnRE) | PTE_S1_XN)

static uint64_t early_l1[PTES_PER_TABLE] __attribute__((aligned(4096)));
static uint64_t early_l2[3][PTES_PER_TABLE] __attribute__((aligned(4096)));
static uint64_t early_l2_gb[3];
static unsigned int early_l2_used;

static uint64_t tcr_value(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)
		parange = 5;	/* 48 bits; 52-bit PA needs FEAT_LPA */
	return TCR_EL2_RES1 | TCR_T0SZ | TCR_WBWA_IS | (parange << 16);
}

/* Runs with the MMU off: no library calls, aligned stores only. */
static void early_map_2m(uint64_t addr, uint64_t size, uint64_t attr)
{
	for (uint64_t a = addr & ~(SZ_2M - 1); a < addr + size; a += SZ_2M) {
		uint64_t gb = a >> 30;
		unsigned int i;

		if (gb >= PTES_PER_TABLE)
			return;
		for (i = 0; i < early_l2_used && early_l2_gb[i] != gb; i++)
			;
		if (i == early_l2_used) {
			if (i == ARRAY_SIZE(early_l2))
				return;
			early_l2_gb[i] = gb;
			early_l2_used++;
			early_l1[gb] = (uintptr_t)early_l2[i] | PTE_VALID | PTE_TABLE;
		}
		if (!early_l2[i][(a >> 21) & 511])
			early_l2[i][(a >> 21) & 511] = a | attr | PTE_BLOCK;
	}
}

void mmu_early_map_device(uint64_t pa, uint64_t size)
{
	early_map_2m(pa, size, S1_DEVICE);
	dsb(ishst);	/* the walker sees the new entry; invalid entries are never in the TLB */
	isb();
}

void mmu_early_enable(uint64_t image_base, uint64_t dtb)
{
	const uint32_t *hdr = (const uint32_t *)dtb;
	uint64_t dtb_size = SZ_2M;

	early_map_2m(image_base, (uintptr_t)_end - (uintptr_t)_text, S1_NORMAL);
	if (hdr[0] == __builtin_bswap32(0xd00dfeed))
		dtb_size = __builtin_bswap32(hdr[1]);
	early_map_2m(dtb, dtb_size, S1_NORMAL | PTE_S1_XN);
	if (CONFIG_EARLY_UART_PL011)
		early_map_2m(CONFIG_EARLY_UART_PL011, SZ_4K, S1_DEVICE);

	write_sysreg(MAIR_EL2_VALUE, mair_el2);
	write_sysreg(tcr_value(), tcr_el2);
	write_sysreg((uintptr_t)early_l1, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	write_sysreg(SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA, sctlr_el2);
	isb();
}

static struct pgtable el2_pt;

static void *el2_alloc_page(void *ctx)
{
	(void)ctx;
	return mm_alloc_page();
}

static void map_or_panic(uint64_t va, uint64_t size, uint64_t attr, const char *what)
{
	int err = pgtable_map(&el2_pt, ALIGN_DOWN(va, PAGE_SIZE),
			      ALIGN_DOWN(va, PAGE_SIZE),
			      ALIGN_UP(va + size, PAGE_SIZE) - ALIGN_DOWN(va, PAGE_SIZE), attr);

	if (err)
		panic("cannot map %s at 0x%lx (+0x%lx) in the EL2 page tables: error %d",
		      what, (unsigned long)va, (unsigned long)size, err);
}

/* Switch TTBR0_EL2 with the MMU briefly off, so no old and new entries ever mix. */
void mmu_switch_ttbr(uint64_t ttbr, uint64_t sctlr);

/* EL2 translation registers for secondary pCPUs (read by head.S with the MMU off). */
struct mmu_regs mmu_secondary;

void mmu_init(const struct bootinfo *bi)
{
	el2_pt.root = mm_alloc_page();
	el2_pt.root_pages = 1;
	el2_pt.start_level = 1;
	el2_pt.alloc_page = el2_alloc_page;
	if (!el2_pt.root)
		panic("out of memory for the EL2 page tables");

	_Static_assert(BOOTINFO_RAM_LIMIT == 1UL << VA_BITS, "bootinfo_parse() keeps RAM the EL2 map covers");
	for (unsigned int i = 0; i < bi->nr_mem; i++)	/* all below BOOTINFO_RAM_LIMIT */
		map_or_panic(bi->mem[i].start, bi->mem[i].size, S1_NORMAL | PTE_S1_XN, "RAM");
	map_or_panic((uintptr_t)_text, _etext - _text, S1_NORMAL | PTE_S1_RO, "text");
	map_or_panic((uintptr_t)_etext, _erodata - _etext, S1_NORMAL | PTE_S1_RO | PTE_S1_XN, "rodata");
	map_or_panic((uintptr_t)_erodata, _end - _erodata, S1_NORMAL | PTE_S1_XN, "data");
	/* The guard page below each pCPU stack stays unmapped: an overflow faults there. */
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
		map_or_panic(pcpu_stack_top(i) - PCPU_STACK_SIZE - PCPU_GUARD_SIZE, PCPU_GUARD_SIZE, 0,
			     "(unmap) stack guard");
	map_or_panic(bi->dtb, bi->dtb_size, S1_NORMAL | PTE_S1_RO | PTE_S1_XN, "DTB");
	if (bi->gic.node >= 0) {
		map_or_panic(bi->gic.dist_base, bi->gic.dist_size, S1_DEVICE, "GICD");
		for (unsigned int i = 0; bi->gic.version == 3 && i < bi->gic.nr_redist; i++)
			map_or_panic(bi->gic.redist[i].start, bi->gic.redist[i].size, S1_DEVICE, "GICR");
		if (bi->gic.version == 2) {	/* GICV too: gic_v2_cpu_window() reads its GICV_IIDR */
			map_or_panic(bi->gic.cpu_base, bi->gic.cpu_size, S1_DEVICE, "GICC");
			map_or_panic(bi->gic.hyp_base, bi->gic.hyp_size, S1_DEVICE, "GICH");
			map_or_panic(bi->gic.vcpu_base, bi->gic.vcpu_size, S1_DEVICE, "GICV");
		}
	}
	if (bi->uart_size)
		map_or_panic(bi->uart_base, bi->uart_size, S1_DEVICE, "UART");
	if (CONFIG_EARLY_UART_PL011)
		map_or_panic(CONFIG_EARLY_UART_PL011, SZ_4K, S1_DEVICE, "early UART");

	mmu_secondary = (struct mmu_regs){
		.mair = MAIR_EL2_VALUE, .tcr = tcr_value(), .ttbr = (uintptr_t)el2_pt.root,
		.sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA |
			 SCTLR_EL2_WXN,
	};
	dcache_clean_range((uintptr_t)&mmu_secondary, sizeof(mmu_secondary));
	dsb(ishst);
	mmu_switch_ttbr(mmu_secondary.ttbr, mmu_secondary.sctlr);
}

static void flush_el2(void *ctx, uint64_t va, uint64_t size)
{
	dsb(ishst);
	for (uint64_t a = va; a < va + size; a += PAGE_SIZE)
		__asm__ volatile("tlbi vae2is, %0" : : "r"(a >> 12) : "memory");
	dsb(ish);
	isb();
}

void mmu_seal_init(void)
{
	uint64_t start = (uintptr_t)__init_text_start & ~(PAGE_SIZE - 1);
	uint64_t end = ALIGN_UP((uintptr_t)__init_text_end, PAGE_SIZE);

	el2_pt.flush = flush_el2;
	pgtable_map(&el2_pt, start, start, end - start, S1_NORMAL | PTE_S1_RO | PTE_S1_XN);
}
