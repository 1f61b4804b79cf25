// SPDX-License-Identifier: Apache-2.0
/*
 * ktest's hostile-input checks, run instead of the ordinary ones when dom0's command line
 * holds "ktest.hostile" (tests/boot/test_hostile_input.py boots it so, on two pCPUs).
 * Each check feeds the hypervisor something a buggy or malicious guest could, and
 * reports "KTEST <name> PASS|FAIL <details>" on what the guest observed: MMIO that
 * cannot be decoded or is out of range or of the wrong width, hypercall buffers that
 * point nowhere or somewhere forbidden, XENMEM_add_to_physmap out of bounds, cache
 * maintenance of every kind, a flood of guest-triggered log lines, and finally a vCPU
 * whose EL1 crashes for good while this one carries on.
 *
 * The checks run with the stage-1 identity map on (mmu.c), plus a "window" of 4 KiB
 * pages at HWIN_VA that this file maps itself: two RAM pages in reverse physical
 * order (a buffer crossing them is physically discontiguous), a hole, a read-only RAM
 * page, and Normal-memory views of an unmapped IPA and of the GIC distributor.
 */
#include "ktest.h"
#include "ktrap.h"

#define PSCI_0_2_CPU_ON_64	0xc4000003
#define PSCI_0_2_AFFINITY_INFO	0xc4000004

/* QEMU virt's GICv3 redistributors (one 128 KiB frame pair per CPU), emulated for dom0. */
#define GICR_BASE		0x080a0000
#define GICR_FRAME		0x20000
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICD_CTLR		0x0000
#define GICD_ISENABLER		0x0100
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6000

/*
 * Kestrel's image on QEMU virt (QEMU loads -kernel at RAM + 2 MiB): its pool, holding
 * the shared-info page and the p2m tables, lies 2 MiB in. dom0's p2m never maps it.
 * dom0's grant-table region is at the image's own start (dom0_build.c), so it is
 * kept clear of that.
 */
#define KESTREL_HEAP_PA		0x40400000UL

/* Rate limiting of guest-triggered log lines, as include/kestrel/ratelimit.h sets it. */
#define RATELIMIT_INTERVAL_MS	500
#define FLOOD_N			1000

/* The window: level-1 slot 448 of the identity map (448 GiB), 4 KiB pages. */
#define HWIN_VA			(448UL << 30)
#define HWIN_PAGE(n)		(HWIN_VA + (uint64_t)(n) * 4096)
enum { HWIN_RAM_A, HWIN_RAM_B, HWIN_HOLE, HWIN_RO, HWIN_UNMAPPED, HWIN_GICD };

static uint8_t win_ram[3][4096] __attribute__((aligned(4096)));	/* B, A, RO (physical order) */
#define RAM_A	win_ram[1]
#define RAM_B	win_ram[0]
#define RAM_RO	win_ram[2]
static uint64_t win_l2[512] __attribute__((aligned(4096)));
static uint64_t win_l3[512] __attribute__((aligned(4096)));

static int gicv2;	/* dom0's GIC is a GICv2 (its DT has no "arm,gic-v3" node) */

/* Pages the add_to_physmap checks give away to Kestrel's shared-info page (the first
 * ends up removed from the p2m: never touched after that). */
static uint8_t shinfo_pages[3][4096] __attribute__((aligned(4096)));

/* Where the shared-info page is mapped after check_physmap_alias() (NULL if it failed). */
static uint8_t *shared_info;

/* dom0's grant-table region: Kestrel's own load address (common/dom0_build.c, gnttab_ipa). */
#define DOM0_GNTTAB_IPA		0x40200000UL

static void wait_ms(uint64_t ms)
{
	uint64_t end = read_cntvct() + read_cntfrq() * ms / 1000;

	while (read_cntvct() < end)
		;
}

/* ---- The window ------------------------------------------------------------------- */

static uint64_t page_desc(uint64_t pa, int normal, int ro)
{
	return pa | 3 | (1UL << 10) /* AF */ | (1UL << 53) | (1UL << 54) /* PXN, UXN */ |
	       (normal ? (1UL << 2) /* AttrIndx 1: Normal WB */ | (3UL << 8) /* inner shareable */ : 0) |
	       (ro ? (2UL << 6) /* AP: read-only at EL1 */ : 0);
}

/* Splice the window into the live identity map (break-before-make on its level-1 slot). */
static void map_window(void)
{
	uint64_t ttbr, *l1;

	win_l3[HWIN_RAM_A] = page_desc((uintptr_t)RAM_A, 1, 0);
	win_l3[HWIN_RAM_B] = page_desc((uintptr_t)RAM_B, 1, 0);
	win_l3[HWIN_RO] = page_desc((uintptr_t)RAM_RO, 1, 1);
	win_l3[HWIN_UNMAPPED] = page_desc(UNMAPPED_IPA, 1, 0);
	win_l3[HWIN_GICD] = page_desc(GICD_BASE, 1, 0);
	win_l2[0] = (uintptr_t)win_l3 | 3;
	__asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
	l1 = (uint64_t *)(uintptr_t)(ttbr & 0xfffffffff000UL);
	l1[448] = 0;
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
	l1[448] = (uintptr_t)win_l2 | 3;
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

/* ---- MMIO without a valid syndrome --------------------------------------------------- */

static void check_mmio_no_isv(void)
{
	uint64_t at, base = GICD_BASE + GICD_TYPER, b = base;
	uint32_t w1 = 0x11111111, w2 = 0x22222222, before, after;
	int ok;

	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldp %w1, %w2, [%3]"
			 : "=&r"(at), "+r"(w1), "+r"(w2) : "r"(base) : "memory");
	trap_disarm();
	ok = one_dabt(at, base, 0) && w1 == 0x11111111 && w2 == 0x22222222;
	ktest_result("mmio_no_isv_ldp", ok, DABT_DETAILS " w1=0x%x w2=0x%x", DABT_ARGS(at), w1, w2);

	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2], #4" : "=&r"(at), "+r"(w1), "+r"(b) : : "memory");
	trap_disarm();
	ok = one_dabt(at, base, 0) && b == base;
	ktest_result("mmio_no_isv_post_index", ok, DABT_DETAILS " base register 0x%lx (was 0x%lx)",
		     DABT_ARGS(at), b, base);

	b = base - 4;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2, #4]!" : "=&r"(at), "+r"(w1), "+r"(b) : : "memory");
	trap_disarm();
	ok = one_dabt(at, base, 0) && b == base - 4;
	ktest_result("mmio_no_isv_pre_index", ok, DABT_DETAILS " base register 0x%lx (was 0x%lx)",
		     DABT_ARGS(at), b, base - 4);

	/* A store pair to the priorities of SPIs 32..39: refused, so nothing changes. */
	b = GICD_BASE + GICD_IPRIORITYR + 32;
	before = mmio_read32(b);
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tstp %w1, %w1, [%2]" : "=&r"(at) : "r"(0xa5a5a5a5), "r"(b) : "memory");
	trap_disarm();
	after = mmio_read32(b);
	ok = one_dabt(at, b, 1) && after == before;
	ktest_result("mmio_no_isv_stp", ok, DABT_DETAILS " IPRIORITYR8 0x%x -> 0x%x", DABT_ARGS(at), before,
		     after);
}

/* ---- vGIC access widths ------------------------------------------------------------ */

static void check_vgic_widths(void)
{
	uint64_t at, v64 = 0x1234, addr;
	uint32_t v32 = 0x5555, prio;
	int ok;

	addr = GICD_BASE + GICD_TYPER;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldrh %w1, [%2]" : "=&r"(at), "+r"(v32) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_width_16bit_refused", one_dabt(at, addr, 0) && v32 == 0x5555,
		     DABT_DETAILS " value 0x%x", DABT_ARGS(at), v32);

	addr = GICD_BASE + GICD_CTLR;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldrb %w1, [%2]" : "=&r"(at), "+r"(v32) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_width_8bit_ctlr_refused", one_dabt(at, addr, 0), DABT_DETAILS, DABT_ARGS(at));

	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(at), "+r"(v64) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_width_64bit_ctlr_refused", one_dabt(at, addr, 0) && v64 == 0x1234,
		     DABT_DETAILS " value 0x%lx", DABT_ARGS(at), v64);

	/* Unaligned, through a Normal-memory view (a Device mapping would fault at EL1 first). */
	addr = HWIN_PAGE(HWIN_GICD) + GICD_IPRIORITYR + 2;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(at), "+r"(v32) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_unaligned_refused", one_dabt(at, addr, 0), DABT_DETAILS, DABT_ARGS(at));

	if (gicv2) {
		hostile_gicv2_widths_allowed();
		return;
	}
	/* Allowed: a byte of IPRIORITYR, a 64-bit IROUTER. */
	addr = GICD_BASE + GICD_IPRIORITYR + 33;
	trap_arm();
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x60), "r"(addr) : "memory");
	prio = mmio_read32(GICD_BASE + GICD_IPRIORITYR + 32);
	addr = GICD_BASE + GICD_IROUTER + 8 * 33;
	__asm__ volatile("str %0, [%1]" : : "r"(0x80000000UL), "r"(addr) : "memory");	/* IRM */
	v64 = mmio_read64(addr);
	trap_disarm();
	ok = trap_log.count == 0 && ((prio >> 8) & 0xff) == 0x60 && v64 == 0x80000000UL;
	ktest_result("vgic_width_allowed", ok, "traps=%lu IPRIORITYR8=0x%x (byte 1 written 0x60) "
		     "IROUTER33=0x%lx (wrote 0x80000000)", trap_log.count, prio, v64);
}

/* ---- vGIC registers out of range ---------------------------------------------------- */

static void check_vgic_out_of_range(void)
{
	uint32_t typer = mmio_read32(GICD_BASE + GICD_TYPER);
	unsigned int nr_intids = ((typer & 0x1f) + 1) * 32, bad = 0, frames = 0;
	uint64_t at, addr, val = 0;
	/* Registers of interrupts the domain lacks, and reserved offsets: RAZ/WI. */
	const uint64_t raz_wi[] = {
		GICD_ISENABLER + nr_intids / 8, GICD_IPRIORITYR + nr_intids, GICD_IPRIORITYR + 1016,
		GICD_IROUTER + 8 * 1019 + 0x20 /* 0x7fe0: past IROUTER1019 */, 0x9000, 0xfffc,
	};

	if (gicv2) {
		hostile_gicv2_out_of_range();
		return;
	}
	trap_arm();
	for (unsigned int i = 0; i < sizeof(raz_wi) / sizeof(raz_wi[0]); i++) {
		if (nr_intids > 1016 && raz_wi[i] < GICD_IROUTER)
			continue;	/* all 1020 INTIDs implemented: nothing out of range there */
		mmio_write32(GICD_BASE + raz_wi[i], 0xffffffff);
		if (mmio_read32(GICD_BASE + raz_wi[i]) != 0)
			bad++;
	}
	trap_disarm();
	ktest_result("vgic_out_of_range_raz_wi", trap_log.count == 0 && bad == 0,
		     "%u of the registers past INTID %u or reserved did not read as zero, traps=%lu",
		     bad, nr_intids, trap_log.count);

	/* Past the last redistributor (GICR_TYPER.Last): nothing there, a data abort. */
	while (frames < 8 && !(mmio_read64(GICR_BASE + frames * GICR_FRAME + GICR_TYPER) & GICR_TYPER_LAST))
		frames++;
	addr = GICR_BASE + (frames + 1) * GICR_FRAME;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(at), "+r"(val) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_gicr_past_last_frame", frames < 8 && one_dabt(at, addr, 0),
		     "last GICR frame %u; " DABT_DETAILS, frames, DABT_ARGS(at));

	addr = GICD_BASE + 0x10000;
	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(at), "+r"(val) : "r"(addr) : "memory");
	trap_disarm();
	ktest_result("vgic_past_gicd_frame", one_dabt(at, addr, 0), DABT_DETAILS, DABT_ARGS(at));
}

/* ---- Hypercall buffers ------------------------------------------------------------- */

/* A hypercall taking a buffer, and whether it writes to it. */
struct buffer_call {
	const char *name;
	uint64_t nr, a0, a1, a2;	/* the buffer argument holds 0 here */
	int buf_arg;			/* which of a0..a2 is the buffer */
	int writes;			/* writes the buffer whatever it read from it */
};

static const struct buffer_call buffer_calls[] = {
	{ "xen_version_extraversion", HC_XEN_VERSION, XENVER_EXTRAVERSION, 0, 0, 1, 1 },
	{ "xen_version_get_features", HC_XEN_VERSION, XENVER_GET_FEATURES, 0, 0, 1, 1 },
	{ "console_io_write", HC_CONSOLE_IO, CONSOLEIO_WRITE, 16, 0, 2, 0 },
	{ "memory_op_add_to_physmap", HC_MEMORY_OP, XENMEM_add_to_physmap, 0, 0, 1, 0 },
	{ "memory_op_remove_from_physmap", HC_MEMORY_OP, XENMEM_remove_from_physmap, 0, 0, 1, 0 },
	{ "memory_op_current_reservation", HC_MEMORY_OP, XENMEM_current_reservation, 0, 0, 1, 0 },
	{ "vcpu_op_register_runstate", HC_VCPU_OP, VCPUOP_register_runstate, 0, 0, 2, 0 },
	{ "event_channel_op_alloc_unbound", HC_EVENT_CHANNEL_OP, EVTCHNOP_alloc_unbound, 0, 0, 1, 0 },
	{ "grant_table_op_query_size", HC_GRANT_TABLE_OP, GNTTABOP_query_size, 0, 1, 1, 1 },
	{ "hvm_op_get_param", HC_HVM_OP, HVMOP_get_param, 0, 0, 1, 0 },
	{ "sched_op_shutdown", HC_SCHED_OP, SCHEDOP_shutdown, 0, 0, 1, 0 },
	{ "platform_op", HC_PLATFORM_OP, 0, 0, 0, 0, 0 },
	{ "physdev_op_pci_device_add", HC_PHYSDEV_OP, PHYSDEVOP_pci_device_add, 0, 0, 1, 0 },
};

static long call_with(const struct buffer_call *c, uint64_t buf)
{
	uint64_t a[3] = { c->a0, c->a1, c->a2 };

	a[c->buf_arg] = buf;
	return hypercall(c->nr, a[0], a[1], a[2]);
}

/*
 * Every buffer-taking hypercall, with buffers it must refuse with -EFAULT: NULL, an
 * unmapped IPA, Kestrel's own memory, a device (the GIC distributor), one that starts
 * on a mapped page and runs into an unmapped one, and, for those that write, a page
 * the guest's stage 1 makes read-only (whose contents must not change).
 */
static void check_bad_handles(int mmu_on)
{
	struct { const char *what; uint64_t va; } handles[] = {
		{ "NULL", 0 }, { "unmapped IPA", UNMAPPED_IPA }, { "Kestrel's memory", KESTREL_HEAP_PA },
		{ "GICD", GICD_BASE }, { "crossing into a hole", HWIN_PAGE(HWIN_HOLE) - 1 },	/* 1 byte in B */
		{ "read-only page", HWIN_PAGE(HWIN_RO) },
	};
	unsigned int nr_handles = mmu_on ? 6 : 4;
	char failures[160];

	for (unsigned int i = 0; i < sizeof(RAM_RO); i++)
		RAM_RO[i] = (uint8_t)(0x40 + i % 32);
	for (unsigned int c = 0; c < sizeof(buffer_calls) / sizeof(buffer_calls[0]); c++) {
		const struct buffer_call *call = &buffer_calls[c];
		unsigned int len = 0;

		failures[0] = '\0';
		for (unsigned int h = 0; h < nr_handles; h++) {
			long ret;

			if (handles[h].va == HWIN_PAGE(HWIN_RO) && !call->writes)
				continue;	/* reading a read-only page is fine */
			trap_arm();
			ret = call_with(call, handles[h].va);
			trap_disarm();
			if (ret != -EFAULT || trap_log.count)
				len += (unsigned int)ksnprintf(failures + len, len < sizeof(failures) ?
							       sizeof(failures) - len : 0,
							       "%s%s -> %ld", len ? ", " : "", handles[h].what, ret);
		}
		if (mmu_on)
			for (unsigned int i = 0; i < sizeof(RAM_RO); i++)
				if (RAM_RO[i] != (uint8_t)(0x40 + i % 32)) {
					ksnprintf(failures, sizeof(failures), "read-only page written at +%u", i);
					len = 1;
					break;
				}
		kprintf("KTEST %sefault_%s %s%s%s\n", ktest_prefix, call->name, len ? "FAIL" : "PASS",
			len ? " (want -EFAULT) " : "", len ? failures : "");
	}
}

/* Buffers that cross pages the guest may use: translated page by page, bytes where they belong. */
static void check_page_crossing(void)
{
	static const char msg[] = "KTEST-CROSSING-PAGES-OK\r\n", ro_msg[] = "KTEST-READ-ONLY-PAGE-OK\r\n";
	uint64_t va = HWIN_PAGE(HWIN_RAM_B) - 6;	/* 6 bytes in A, the rest in B */
	char *dst = (char *)(uintptr_t)va;
	long ret, w;
	int ok;

	memset(RAM_A, 0, sizeof(RAM_A));
	memset(RAM_B, 0, sizeof(RAM_B));
	ret = hypercall(HC_XEN_VERSION, XENVER_EXTRAVERSION, va, 0);
	/* Through the identity map: the first 6 bytes at A's end, the next 10 at B's start. */
	ok = ret == 0 && !memcmp(RAM_A + 4090, "-kestr", 6) && !memcmp(RAM_B, "el-", 3);
	ktest_result("page_crossing_write", ok, "extraversion -> %ld, A ends \"%.6s\", B starts \"%.10s\"",
		     ret, (char *)RAM_A + 4090, (char *)RAM_B);
	for (unsigned int i = 0; i < sizeof(msg) - 1; i++)
		dst[i] = msg[i];
	memcpy(RAM_RO, ro_msg, sizeof(ro_msg) - 1);	/* through the identity map, writable */
	w = console_write(dst, sizeof(msg) - 1);	/* the transcript shows both whole */
	ret = console_write((const void *)HWIN_PAGE(HWIN_RO), sizeof(ro_msg) - 1);
	ktest_result("page_crossing_read", w == 0 && ret == 0, "console_io -> %ld, from the read-only page -> %ld",
		     w, ret);
}

/* ---- add_to_physmap ------------------------------------------------------------------ */

struct xen_add_to_physmap {
	uint16_t domid, size;
	uint32_t space;
	uint64_t idx, gpfn;
};

static long add_to_physmap(uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
	static struct xen_add_to_physmap xatp;

	xatp = (struct xen_add_to_physmap){ .domid = domid, .space = space, .idx = idx, .gpfn = gpfn };
	return hypercall(HC_MEMORY_OP, XENMEM_add_to_physmap, (uintptr_t)&xatp, 0);
}

static void check_physmap_alias(uint64_t own);

static void check_add_to_physmap(void)
{
	static const struct {
		const char *what;
		uint16_t domid;
		uint32_t space;
		uint64_t idx, gpfn;
		long want;
	} bad[] = {
		{ "shared_info idx 1", DOMID_SELF, XENMAPSPACE_shared_info, 1, 0, -EINVAL },
		{ "shared_info outside RAM", DOMID_SELF, XENMAPSPACE_shared_info, 0, UNMAPPED_IPA >> 12, -EINVAL },
		{ "shared_info over Kestrel", DOMID_SELF, XENMAPSPACE_shared_info, 0, KESTREL_HEAP_PA >> 12, -EINVAL },
		{ "shared_info over the GIC", DOMID_SELF, XENMAPSPACE_shared_info, 0, GICD_BASE >> 12, -EINVAL },
		{ "shared_info past 40-bit IPA", DOMID_SELF, XENMAPSPACE_shared_info, 0, 1UL << 28, -EINVAL },
		{ "shared_info gpfn ~0", DOMID_SELF, XENMAPSPACE_shared_info, 0, ~0UL, -EINVAL },
		{ "grant frame past the max", DOMID_SELF, XENMAPSPACE_grant_table, GNTTAB_MAX_FRAMES, 0, -EINVAL },
		{ "grant status frame", DOMID_SELF, XENMAPSPACE_grant_table, XENMAPIDX_GNTTAB_STATUS, 0, -EINVAL },
		{ "grant frame idx ~0", DOMID_SELF, XENMAPSPACE_grant_table, ~0UL, 0, -EINVAL },
		{ "grant frame over RAM", DOMID_SELF, XENMAPSPACE_grant_table, 0, 0 /* set below */, -EINVAL },
		{ "gmfn", DOMID_SELF, XENMAPSPACE_gmfn, 0, 0, -ENOSYS },
		{ "gmfn_foreign", DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0, -ENOSYS },
		{ "space 1000", DOMID_SELF, 1000, 0, 0, -ENOSYS },
		{ "another domain", 7, XENMAPSPACE_shared_info, 0, 0, -EPERM },
	};
	uint64_t own = (uintptr_t)shinfo_pages[0] >> 12;
	char failures[200];
	unsigned int len = 0;
	volatile uint8_t *g1 = shinfo_pages[0];
	long ret;

	failures[0] = '\0';
	memset(shinfo_pages, 0x5a, sizeof(shinfo_pages));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t gpfn = bad[i].gpfn ? bad[i].gpfn : own;

		ret = add_to_physmap(bad[i].domid, bad[i].space, bad[i].idx, gpfn);
		if (ret != bad[i].want && len < sizeof(failures))
			len += (unsigned int)ksnprintf(failures + len, sizeof(failures) - len, "%s%s -> %ld (want %ld)",
						       len ? ", " : "", bad[i].what, ret, bad[i].want);
	}
	for (unsigned int i = 0; i < sizeof(shinfo_pages); i++)
		if (shinfo_pages[i / 4096][i % 4096] != 0x5a) {
			if (len < sizeof(failures))
				len += (unsigned int)ksnprintf(failures + len, sizeof(failures) - len,
							       "%sRAM changed at +%u", len ? ", " : "", i);
			break;
		}
	ktest_result("add_to_physmap_bounds", len == 0, "%s", failures);

	/* Allowed: the shared-info page over one of our own frames; it replaces the RAM there. */
	ret = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, own);
	g1[4000] = 0xc3;	/* shared_info.arch: unused by Kestrel */
	__asm__ volatile("dsb sy" ::: "memory");
	ktest_result("add_to_physmap_shared_info", ret == 0 && g1[0] != 0x5a && g1[4000] == 0xc3,
		     "-> %ld, first byte 0x%x", ret, g1[0]);
	check_physmap_alias(own);
}

static long remove_from_physmap(uint16_t domid, uint64_t gpfn, uint64_t cmd_high)
{
	static struct {
		uint16_t domid, pad[3];
		uint64_t gpfn;
	} xrfp;

	xrfp.domid = domid;
	xrfp.gpfn = gpfn;
	return hypercall(HC_MEMORY_OP, XENMEM_remove_from_physmap | cmd_high << 6, (uintptr_t)&xrfp, 0);
}

/*
 * As Xen 4.17 on Arm (xen/arch/arm/mm.c, xenmem_add_to_physmap_one; xen/common/memory.c):
 * a page mapped once cannot be mapped a second time (-EBUSY) until XENMEM_remove_from_physmap
 * takes it away; a page mapped over another one (grant frame 1 over frame 0) frees that one
 * to be mapped again; removing leaves a hole (a data abort); nothing there is -ENOENT.
 * Called with the shared-info page mapped at @own (shinfo_pages[0]).
 */
static void check_physmap_alias(uint64_t own)
{
	volatile uint8_t *g2 = shinfo_pages[1], *g3 = shinfo_pages[2];
	uint64_t gnt = DOM0_GNTTAB_IPA >> 12;
	long r[12];
	uint8_t v = 0;
	int ok;

	r[0] = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, own + 1);	/* elsewhere */
	r[1] = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, own);		/* same frame */
	ktest_result("physmap_alias_busy",
		     r[0] == -EBUSY && r[1] == -EBUSY && g2[0] == 0x5a && g2[4095] == 0x5a,
		     "second mapping -> %ld, same frame again -> %ld; RAM at the other frame 0x%x", r[0],
		     r[1], g2[0]);

	r[2] = remove_from_physmap(DOMID_SELF, own, 0);
	r[3] = remove_from_physmap(DOMID_SELF, own, 0);		/* a hole now */
	trap_arm();
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(shinfo_pages[0]) : "memory");
	trap_disarm();
	r[4] = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, own + 2);
	if (r[4] == 0)
		shared_info = shinfo_pages[2];
	g3[4000] = 0xc4;
	__asm__ volatile("dsb sy" ::: "memory");
	ok = r[2] == 0 && r[3] == -ENOENT && trap_log.count == 1 &&
	     trap_log.far == (uintptr_t)shinfo_pages[0];
	ok = ok && r[4] == 0 && g3[0] != 0x5a && g3[4000] == 0xc4;
	ktest_result("physmap_remove_then_map", ok,
		     "remove -> %ld, again -> %ld; load from the hole: traps=%lu FAR=0x%lx; map elsewhere -> %ld, "
		     "first byte 0x%x",
		     r[2], r[3], trap_log.count, trap_log.far, r[4], g3[0]);

	/* Grant frames: frame 1 over frame 0's frame releases frame 0. */
	r[5] = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, gnt);
	r[6] = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, gnt + 1);
	r[7] = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, gnt);
	r[8] = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, gnt + 1);
	r[9] = remove_from_physmap(DOMID_SELF, gnt + 1, 0);
	r[10] = remove_from_physmap(DOMID_SELF, gnt + 1, 0);
	ktest_result("physmap_grant_frame_alias",
		     r[5] == 0 && r[6] == -EBUSY && r[7] == 0 && r[8] == 0 && r[9] == 0 && r[10] == -ENOENT,
		     "frame 0 -> %ld, frame 0 again elsewhere -> %ld, frame 1 over it -> %ld, frame 0 again -> %ld, "
		     "remove -> %ld, again -> %ld",
		     r[5], r[6], r[7], r[8], r[9], r[10]);

	/* Nothing to remove, or not ours to remove. */
	r[0] = remove_from_physmap(DOMID_SELF, UNMAPPED_IPA >> 12, 0);
	r[1] = remove_from_physmap(DOMID_SELF, GICD_BASE >> 12, 0);		/* a device */
	r[2] = remove_from_physmap(DOMID_SELF, KESTREL_HEAP_PA >> 12, 0);
	r[3] = remove_from_physmap(DOMID_SELF, ~0UL, 0);
	r[4] = remove_from_physmap(7, own + 1, 0);
	r[5] = remove_from_physmap(DOMID_SELF, own + 1, 1);			/* a continuation */
	ok = r[0] == -ENOENT && r[1] == -ENOENT && r[2] == -ENOENT && r[3] == -ENOENT;
	ok = ok && r[4] == -EPERM && r[5] == -EINVAL && g2[0] == 0x5a;
	ktest_result("physmap_remove_bounds", ok,
		     "unmapped -> %ld, GICD -> %ld, Kestrel -> %ld, ~0 -> %ld, domain 7 -> %ld, continuation -> %ld",
		     r[0], r[1], r[2], r[3], r[4], r[5]);
	(void)v;
}

/* ---- Cache maintenance ----------------------------------------------------------------- */

static uint8_t cache_buf[4096] __attribute__((aligned(4096)));

static int pattern_ok(void)
{
	for (unsigned int i = 0; i < sizeof(cache_buf); i++)
		if (cache_buf[i] != (uint8_t)(i * 7 + 1))
			return 0;
	return 1;
}

static void check_cache_maintenance(void)
{
	uint64_t dczid, at, va = (uintptr_t)cache_buf, prio;
	unsigned int block;
	int ok;

	for (unsigned int i = 0; i < sizeof(cache_buf); i++)
		cache_buf[i] = (uint8_t)(i * 7 + 1);
	trap_arm();
	for (uint64_t a = va; a < va + sizeof(cache_buf); a += 64)
		__asm__ volatile("dc cvac, %0\n\tdc civac, %0\n\tdc ivac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
	trap_disarm();
	/* DC IVAC at EL1 with stage 2 on also cleans (Arm ARM D7.4.x): no data is lost. */
	ktest_result("cache_dc_by_va", trap_log.count == 0 && pattern_ok(), "traps=%lu pattern %s",
		     trap_log.count, pattern_ok() ? "intact" : "changed");

	/*
	 * (Cache maintenance by VA where there is no memory is completed without effect by
	 * Kestrel, aborts.c; QEMU's TCG never raises that stage-2 fault, so it is not
	 * checked here.)
	 */

	/* Set/way: trapped (HCR_EL2.TSW) and done as clean+invalidate; any value, even junk. */
	trap_arm();
	__asm__ volatile("dc isw, %0\n\tdc csw, %0\n\tdc cisw, %0" : : "r"(0UL) : "memory");
	__asm__ volatile("dc isw, %0\n\tdc csw, %0\n\tdc cisw, %0" : : "r"(2UL) : "memory");	/* level 2 */
	__asm__ volatile("dc isw, %0\n\tdc csw, %0\n\tdc cisw, %0" : : "r"(~0UL) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
	trap_disarm();
	ktest_result("cache_set_way", trap_log.count == 0 && pattern_ok(), "traps=%lu (ESR 0x%lx) pattern %s",
		     trap_log.count, trap_log.esr, pattern_ok() ? "intact" : "changed");

	/* DC ZVA: zeroes one block of our own memory; where there is none, a data abort. */
	__asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
	block = 4U << (dczid & 0xf);
	if (dczid & 0x10) {
		ktest_result("cache_dc_zva", 1, "DC ZVA prohibited (DCZID_EL0.DZP)");
	} else {
		trap_arm();
		__asm__ volatile("dc zva, %0" : : "r"(va + block) : "memory");
		trap_disarm();
		ok = trap_log.count == 0;
		for (unsigned int i = 0; i < 3 * block; i++)
			if (cache_buf[i] != (i >= block && i < 2 * block ? 0 : (uint8_t)(i * 7 + 1)))
				ok = 0;
		ktest_result("cache_dc_zva", ok, "traps=%lu, block of %u bytes zeroed alone: %s", trap_log.count,
			     block, ok ? "yes" : "no");

		va = HWIN_PAGE(HWIN_UNMAPPED);
		trap_arm();
		__asm__ volatile("adr %0, 1f\n1:\tdc zva, %1" : "=&r"(at) : "r"(va) : "memory");
		trap_disarm();
		ktest_result("cache_dc_zva_no_memory", one_dabt(at, va, 1), DABT_DETAILS, DABT_ARGS(at));

		/* The priorities of SPIs 64..67 keep their value: the block is not zeroed. */
		va = HWIN_PAGE(HWIN_GICD) + GICD_IPRIORITYR + 64;
		mmio_write32(GICD_BASE + GICD_IPRIORITYR + 64, 0xa0a0a0a0);
		trap_arm();
		__asm__ volatile("adr %0, 1f\n1:\tdc zva, %1" : "=&r"(at) : "r"(va) : "memory");
		trap_disarm();
		prio = mmio_read32(GICD_BASE + GICD_IPRIORITYR + 64);
		ok = one_dabt(at, va, 1) && prio == 0xa0a0a0a0;
		ktest_result("cache_dc_zva_vgic", ok, DABT_DETAILS " IPRIORITYR16 0x%lx", DABT_ARGS(at), prio);
	}
}

/* ---- A flood of guest-triggered log lines ------------------------------------------------ */

/*
 * After a pause long enough for the hypervisor's bucket to hold a token, a marker (HVC
 * #0x5a4), FLOOD_N bad HVCs (#0x5a5), a pause, and a closing HVC #0x5a6, whose log line
 * is preceded by the count of suppressed lines. The guest checks it got every undef;
 * the test counts the log lines.
 */
static void check_log_flood(void)
{
	unsigned long undefs;

	wait_ms(RATELIMIT_INTERVAL_MS + 100);
	trap_arm();
	__asm__ volatile("hvc #0x5a4" ::: "memory");
	for (unsigned int i = 0; i < FLOOD_N; i++)
		__asm__ volatile("hvc #0x5a5" ::: "memory");
	trap_disarm();
	undefs = trap_log.count;
	wait_ms(RATELIMIT_INTERVAL_MS + 100);
	trap_arm();
	__asm__ volatile("hvc #0x5a6" ::: "memory");
	trap_disarm();
	undefs += trap_log.count;
	ktest_result("log_flood", undefs == FLOOD_N + 2 && ESR_EC(trap_log.esr) == EC_UNKNOWN,
		     "%lu undefined-instruction exceptions for %u bad HVCs", undefs, FLOOD_N + 2);
}

/* ---- Guest atomics under contention ------------------------------------------------------ */

#define PSCI_0_2_CPU_OFF	0x84000002
#define EVTCHNOP_send		4
#define EVTCHNOP_bind_ipi	7
/* struct shared_info on Arm (Xen public/xen.h, arch-arm.h): one vcpu_info of 48 bytes, then
 * evtchn_pending[] and evtchn_mask[], 64 words of 64 bits each. */
#define EVTCHN_PENDING_OFF	0x30
#define EVTCHN_MASK_OFF		0x230
#define CONTENTION_SENDS	2000
#define HAMMER_OVERLAP		20000	/* vCPU 1's stores while vCPU 0 sends */
#define HAMMER_BIT		63	/* a port never bound: vCPU 1 toggles it */

/* What vCPU 1 hammers (@word), counts its stores in (@stores), and stops on (@stop). */
static struct {
	uint64_t word, stores, stop;
} hammer __attribute__((aligned(64)));

/*
 * vCPU 1 (PSCI CPU_ON, MMU off, x0 = &hammer): a load-exclusive/store-exclusive loop toggling
 * bit HAMMER_BIT of the event-pending word at hammer.word, as fast as it can, counting its
 * successful stores, until hammer.stop is set; then PSCI CPU_OFF.
 */
void hostile_hammer_entry(uint64_t params);
__asm__(".pushsection .text\n"
	".global hostile_hammer_entry\n"
	"hostile_hammer_entry:\n"
	"	ldr	x1, [x0]\n"			/* hammer.word */
	"	mov	x6, #0\n"
	"1:	ldxr	x2, [x1]\n"
	"	eor	x2, x2, #(1 << 63)\n"		/* HAMMER_BIT */
	"	stxr	w3, x2, [x1]\n"
	"	cbnz	w3, 2f\n"
	"	add	x6, x6, #1\n"
	"	str	x6, [x0, #8]\n"		/* hammer.stores */
	"2:	ldr	x4, [x0, #16]\n"		/* hammer.stop */
	"	cbz	x4, 1b\n"
	"	mov	x0, #0x84000000\n"
	"	add	x0, x0, #2\n"			/* PSCI_0_2_CPU_OFF */
	"	hvc	#0\n"
	"	b	.\n"
	".popsection\n");

/* *@p = (*@p & @and) | @or, atomically (this guest is built without outline atomics). */
static void word_update(volatile uint64_t *p, uint64_t and, uint64_t or)
{
	uint64_t v;
	uint32_t fail;

	do
		__asm__ volatile("ldaxr %0, [%2]\n\tand %0, %0, %3\n\torr %0, %0, %4\n\tstlxr %w1, %0, [%2]"
				 : "=&r"(v), "=&r"(fail)
				 : "r"(p), "r"(and), "r"(or)
				 : "memory");
	while (fail);
}

static uint64_t hammer_read(volatile uint64_t *p)
{
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(p) : "memory");
	return *p;
}

/* Go on sending: fewer than CONTENTION_SENDS, or vCPU 1 not HAMMER_OVERLAP stores on (20 s at most). */
static int keep_sending(unsigned int sends, uint64_t stores0, uint64_t t0)
{
	if (sends < CONTENTION_SENDS)
		return 1;
	return hammer_read(&hammer.stores) - stores0 < HAMMER_OVERLAP &&
	       read_cntvct() - t0 < read_cntfrq() * 20;
}

/*
 * Kestrel sets event-pending bits with bounded load-exclusive/store-exclusive loops
 * (include/kestrel/guest_atomic.h): while vCPU 1 hammers the same word with exclusives,
 * CONTENTION_SENDS EVTCHNOP_send calls from vCPU 0 must each return (the pCPU comes back)
 * with 0, and each event is either pending afterwards or dropped with a log line
 * (tests/boot/test_hostile_input.py counts them). The class of Xen XSA-295.
 */
static void check_guest_atomic_contention(void)
{
	struct {
		uint32_t vcpu, port;
	} ipi = { 0, 0 };
	volatile uint64_t *pending, *mask;
	uint64_t t0, stores0, stores1, on;
	unsigned int delivered = 0, failed = 0, sends;
	long bound, ret;
	int ok;

	if (!shared_info) {
		ktest_result("guest_atomic_bounded_under_contention", 0, "no shared-info page mapped");
		return;
	}
	bound = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_bind_ipi, (uintptr_t)&ipi, 0);
	if (bound || ipi.port == 0 || ipi.port >= HAMMER_BIT) {
		ktest_result("guest_atomic_bounded_under_contention", 0, "bind_ipi -> %ld, port %u", bound,
			     ipi.port);
		return;
	}
	pending = (volatile uint64_t *)(shared_info + EVTCHN_PENDING_OFF);
	mask = (volatile uint64_t *)(shared_info + EVTCHN_MASK_OFF);
	word_update(mask, ~0UL, 1UL << ipi.port);	/* no upcall: only the bit */
	hammer.word = (uintptr_t)pending;
	hammer.stores = hammer.stop = 0;
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&hammer) : "memory");
	ret = psci_call(PSCI_0_2_CPU_ON_64, 1, (uintptr_t)hostile_hammer_entry, (uintptr_t)&hammer);
	t0 = read_cntvct();
	while (!ret && hammer_read(&hammer.stores) < 1000 && read_cntvct() - t0 < read_cntfrq() * 10)
		;
	stores0 = hammer_read(&hammer.stores);
	/* At least CONTENTION_SENDS, and on until vCPU 1 has stored HAMMER_OVERLAP times meanwhile. */
	t0 = read_cntvct();
	for (sends = 0; keep_sending(sends, stores0, t0); sends++) {
		struct {
			uint32_t port;
		} send = { ipi.port };

		word_update(pending, ~(1UL << ipi.port), 0);
		if (hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_send, (uintptr_t)&send, 0))
			failed++;
		else if (__atomic_load_n(pending, __ATOMIC_SEQ_CST) & (1UL << ipi.port))
			delivered++;
	}
	stores1 = hammer_read(&hammer.stores);
	hammer.stop = 1;
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&hammer.stop) : "memory");
	t0 = read_cntvct();
	do
		on = psci_call(PSCI_0_2_AFFINITY_INFO, 1, 0, 0);
	while (on != 1 && read_cntvct() - t0 < read_cntfrq() * 10);	/* 1: OFF */
	word_update(pending, ~(1UL << ipi.port), 0);
	kprintf("KTEST INFO contention: %u sends, %u delivered, %u failed; vCPU 1 stored %lu times meanwhile\n",
		sends, delivered, failed, stores1 - stores0);
	ok = !ret && failed == 0 && delivered > 0 && stores0 >= 1000;
	ok = ok && stores1 - stores0 >= HAMMER_OVERLAP && on == 1;
	ktest_result("guest_atomic_bounded_under_contention", ok,
		     "CPU_ON -> %ld, sends failed %u, vCPU 1 stores %lu then %lu, AFFINITY_INFO after CPU_OFF %lu",
		     ret, failed, stores0, stores1, on);
}

/* ---- settime64 from two vCPUs at once ----------------------------------------------------- */

#define XENPF_settime64		62
#define XENPF_INTERFACE_VERSION	0x03000001
#define SETTIME_CALLS		2000
#define WC_VERSION_OFF		0x430	/* struct shared_info: wc_version, wc_sec, wc_nsec, wc_sec_hi */

/* struct xen_platform_op with XENPF_settime64 (Xen public/platform.h): 8 + 128 bytes. */
struct settime_op {
	uint32_t cmd, interface_version;
	uint64_t secs;
	uint32_t nsecs, mbz;
	uint64_t system_time;
	uint8_t pad[104];
};

static struct settime_op settime_a, settime_b;

/* vCPU 1's side: settime_b SETTIME_CALLS times; @calls done so far, @failed of them. */
static struct {
	uint64_t op, calls, failed;
} setter __attribute__((aligned(64)));

/* vCPU 1 (PSCI CPU_ON, MMU off, x0 = &setter): SETTIME_CALLS platform_op calls, then CPU_OFF. */
void hostile_setter_entry(uint64_t params);
__asm__(".pushsection .text\n"
	".global hostile_setter_entry\n"
	"hostile_setter_entry:\n"
	"	mov	x9, x0\n"
	"	mov	x10, #0\n"
	"	mov	x12, #0\n"
	"1:	ldr	x0, [x9]\n"			/* setter.op */
	"	mov	x16, #7\n"			/* HC_PLATFORM_OP */
	"	hvc	#0xea1\n"
	"	cbz	x0, 2f\n"
	"	add	x12, x12, #1\n"
	"	str	x12, [x9, #16]\n"		/* setter.failed */
	"2:	add	x10, x10, #1\n"
	"	str	x10, [x9, #8]\n"		/* setter.calls */
	"	cmp	x10, #2000\n"			/* SETTIME_CALLS */
	"	b.lo	1b\n"
	"	mov	x0, #0x84000000\n"
	"	add	x0, x0, #2\n"			/* PSCI_0_2_CPU_OFF */
	"	hvc	#0\n"
	"	b	.\n"
	".popsection\n");

/*
 * XENPF_settime64 serialised (Xen: the wallclock lock, xen/common/time.c do_settime): vCPU 0
 * and vCPU 1 each set the wallclock SETTIME_CALLS times at once, to different times. After
 * them wc_version has grown by 2 per call (none lost to a race) and is even, and the
 * wallclock is one of the two times whole, never seconds of one and nanoseconds of the other.
 */
static void check_settime_serialised(void)
{
	volatile uint32_t *wc = shared_info ? (volatile uint32_t *)(shared_info + WC_VERSION_OFF) : NULL;
	uint32_t v0, v1, sec, nsec, sec_hi;
	uint64_t t0, on, vcpu0_failed = 0;
	int a, b, ok;
	long ret;

	if (!wc) {
		ktest_result("settime64_serialised", 0, "no shared-info page mapped");
		return;
	}
	settime_a = (struct settime_op){
		XENPF_settime64, XENPF_INTERFACE_VERSION, 0x100000001UL, 111, 0, 0, { 0 }
	};
	settime_b = (struct settime_op){
		XENPF_settime64, XENPF_INTERFACE_VERSION, 0x200000002UL, 222, 0, 0, { 0 }
	};
	setter.op = (uintptr_t)&settime_b;
	setter.calls = setter.failed = 0;
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&setter) : "memory");
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&settime_b) : "memory");
	v0 = wc[0];
	ret = psci_call(PSCI_0_2_CPU_ON_64, 1, (uintptr_t)hostile_setter_entry, (uintptr_t)&setter);
	t0 = read_cntvct();
	while (!ret && hammer_read(&setter.calls) == 0 && read_cntvct() - t0 < read_cntfrq() * 10)
		;
	for (unsigned int i = 0; i < SETTIME_CALLS; i++)
		if (hypercall(HC_PLATFORM_OP, (uintptr_t)&settime_a, 0, 0))
			vcpu0_failed++;
	t0 = read_cntvct();
	do
		on = psci_call(PSCI_0_2_AFFINITY_INFO, 1, 0, 0);
	while (on != 1 && read_cntvct() - t0 < read_cntfrq() * 20);	/* 1: OFF: vCPU 1 is done */
	v1 = wc[0];
	sec = wc[1];
	nsec = wc[2];
	sec_hi = wc[3];
	a = sec_hi == 1 && sec == 1 && nsec == 111;
	b = sec_hi == 2 && sec == 2 && nsec == 222;
	kprintf("KTEST INFO settime64: version %u -> %u over %u calls; vCPU 1 made %lu\n", v0, v1,
		2 * SETTIME_CALLS, hammer_read(&setter.calls));
	ok = !ret && on == 1 && !vcpu0_failed && !hammer_read(&setter.failed);
	ok = ok && hammer_read(&setter.calls) == SETTIME_CALLS && v1 - v0 == 4 * SETTIME_CALLS && (a || b);
	ktest_result("settime64_serialised", ok,
		     "CPU_ON -> %ld, failed %lu + %lu, version %u -> %u (want +%u), wallclock 0x%x%08x.%u",
		     ret, vcpu0_failed, hammer_read(&setter.failed), v0, v1, 4 * SETTIME_CALLS, sec_hi, sec,
		     nsec);
}

/* ---- Block splits while another vCPU reads ---------------------------------------------- */

#define SPLIT_OFFSET	(256UL << 20)	/* dom0's upper 256 MiB: nothing of this guest there */
#define SPLIT_BLOCKS	64
#define BLOCK_2M	(2UL << 20)
#define ALIGN_2M(a)	((a) & ~(BLOCK_2M - 1))

/* vCPU 1 reads the 2 MiB block at @block (all but its first page) until @stop. */
static struct {
	uint64_t block, reads, stop, aborts;
} reader __attribute__((aligned(64)));

/*
 * vCPU 1 (PSCI CPU_ON, MMU off, x0 = &reader): loads one word of every page but the first of
 * the block reader.block names, again and again, counting passes; a synchronous exception
 * (an abort Kestrel injected) is counted in reader.aborts and skipped. Ends with CPU_OFF.
 */
void hostile_reader_entry(uint64_t params);
__asm__(".pushsection .text\n"
	".global hostile_reader_entry\n"
	"hostile_reader_entry:\n"
	"	adr	x1, hostile_reader_vectors\n"
	"	msr	vbar_el1, x1\n"
	"	isb\n"
	"	mov	x6, #0\n"
	"1:	ldr	x1, [x0]\n"			/* reader.block */
	"	mov	x2, #4096\n"
	"2:	ldr	x3, [x1, x2]\n"
	"	add	x2, x2, #4096\n"
	"	cmp	x2, #0x200000\n"
	"	b.lo	2b\n"
	"	add	x6, x6, #1\n"
	"	str	x6, [x0, #8]\n"		/* reader.reads */
	"	ldr	x4, [x0, #16]\n"		/* reader.stop */
	"	cbz	x4, 1b\n"
	"	mov	x0, #0x84000000\n"
	"	add	x0, x0, #2\n"			/* PSCI_0_2_CPU_OFF */
	"	hvc	#0\n"
	"	b	.\n"
	"	.balign	2048\n"
	"hostile_reader_vectors:\n"
	"	.skip	0x200\n"			/* current EL, SPx, synchronous: */
	"	ldr	x7, [x0, #24]\n"
	"	add	x7, x7, #1\n"
	"	str	x7, [x0, #24]\n"		/* reader.aborts */
	"	mrs	x7, elr_el1\n"
	"	add	x7, x7, #4\n"
	"	msr	elr_el1, x7\n"
	"	eret\n"
	".popsection\n");

/*
 * Splitting a block of the p2m (the shared-info page mapped into a fresh 2 MiB block of
 * dom0's RAM) is break-before-make: for a moment the block has no entry, and a vCPU on
 * another pCPU that walks it then takes a stage-2 translation fault. Kestrel retries an
 * access whose translation was fixed meanwhile (arch/arm64/aborts.c): vCPU 1, reading the
 * block being split SPLIT_BLOCKS times over, must never see an abort.
 */
static void check_split_under_reader(uint64_t load_addr)
{
	uint64_t base = ALIGN_2M(load_addr) + SPLIT_OFFSET, t0, reads0, on;
	long ret, add = 0, rm = 0;

	reader.block = base;
	reader.reads = reader.stop = reader.aborts = 0;
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&reader) : "memory");
	if (!shared_info || remove_from_physmap(DOMID_SELF, (uintptr_t)shared_info >> 12, 0)) {
		ktest_result("p2m_split_under_reader", 0, "no shared-info page to move");
		return;
	}
	ret = psci_call(PSCI_0_2_CPU_ON_64, 1, (uintptr_t)hostile_reader_entry, (uintptr_t)&reader);
	t0 = read_cntvct();
	while (!ret && hammer_read(&reader.reads) < 10 && read_cntvct() - t0 < read_cntfrq() * 10)
		;
	reads0 = hammer_read(&reader.reads);
	for (unsigned int i = 0; i < SPLIT_BLOCKS && !add && !rm; i++) {
		uint64_t block = base + i * BLOCK_2M;

		reader.block = block;
		__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&reader.block) : "memory");
		wait_ms(2);	/* vCPU 1 on this block now */
		add = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, block >> 12);	/* splits it */
		wait_ms(2);
		rm = add ? 0 : remove_from_physmap(DOMID_SELF, block >> 12, 0);
	}
	reader.stop = 1;
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&reader.stop) : "memory");
	t0 = read_cntvct();
	do
		on = psci_call(PSCI_0_2_AFFINITY_INFO, 1, 0, 0);
	while (on != 1 && read_cntvct() - t0 < read_cntfrq() * 10);	/* 1: OFF */
	shared_info = NULL;
	kprintf("KTEST INFO split: %u blocks split, vCPU 1 read them %lu times, %lu aborts\n", SPLIT_BLOCKS,
		hammer_read(&reader.reads) - reads0, hammer_read(&reader.aborts));
	ktest_result("p2m_split_under_reader",
		     !ret && !add && !rm && reads0 >= 10 && hammer_read(&reader.aborts) == 0 && on == 1,
		     "CPU_ON -> %ld, add -> %ld, remove -> %ld, reads %lu, aborts %lu, AFFINITY_INFO %lu",
		     ret, add, rm, reads0, hammer_read(&reader.aborts), on);
}

/* ---- A vCPU whose EL1 crashes --------------------------------------------------------- */

#define CRASH_LOOPS	1000

/*
 * vCPU 1 starts at hostile_crash_entry (PSCI CPU_ON, MMU off, x0 = &crash_count) and
 * wrecks its EL1: an undefined instruction sends it to its vector, which counts the
 * exception in crash_count and loads from an IPA with nothing behind it. Kestrel injects
 * that data abort, at the same vector, again and again. From the CRASH_LOOPS-th pass on,
 * the vector also points VBAR_EL1 at that IPA: every exception after that is an
 * instruction abort on the vector itself, injected at the same place, for ever.
 */
void hostile_crash_entry(uint64_t count);
__asm__(".pushsection .text\n"
	".global hostile_crash_entry\n"
	"hostile_crash_entry:\n"
	"	mov	x3, x0\n"
	"	mov	x2, #0\n"
	"	mov	x5, #0x2000000000\n"		/* UNMAPPED_IPA */
	"	adr	x1, hostile_crash_vectors\n"
	"	msr	vbar_el1, x1\n"
	"	isb\n"
	"	udf	#0\n"
	"	.balign	2048\n"
	"hostile_crash_vectors:\n"
	"	.skip	0x200\n"			/* current EL, SPx, synchronous: */
	"	add	x2, x2, #1\n"
	"	str	x2, [x3]\n"
	"	dsb	sy\n"
	"	cmp	x2, #" "1000" "\n"		/* CRASH_LOOPS */
	"	b.lo	1f\n"
	"	msr	vbar_el1, x5\n"
	"	isb\n"
	"1:	ldr	x4, [x5]\n"
	"	b	.\n"
	".popsection\n");

static volatile uint64_t crash_count __attribute__((aligned(64)));

static uint64_t read_crash_count(void)
{
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(&crash_count) : "memory");
	return crash_count;
}

static void check_el1_crash(void)
{
	uint64_t ret, t0, on, count;
	long ver;
	uint32_t typer;

	crash_count = 0;
	read_crash_count();
	ret = psci_call(PSCI_0_2_CPU_ON_64, 1, (uintptr_t)hostile_crash_entry, (uintptr_t)&crash_count);
	if (ret) {
		ktest_result("el1_crash_contained", 0, "PSCI CPU_ON of vCPU 1 -> %ld (needs 2 vCPUs)", (long)ret);
		return;
	}
	/* Until vCPU 1 has taken CRASH_LOOPS injected aborts (or 20 s: a failure, not a hang). */
	t0 = read_cntvct();
	while (read_crash_count() < CRASH_LOOPS && read_cntvct() - t0 < read_cntfrq() * 20)
		;
	count = read_crash_count();
	ver = hypercall(HC_XEN_VERSION, XENVER_VERSION, 0, 0);
	typer = mmio_read32(GICD_BASE + GICD_TYPER);
	on = psci_call(PSCI_0_2_AFFINITY_INFO, 1, 0, 0);
	kprintf("KTEST INFO vCPU 1 took %lu injected data aborts at EL1\n", count);
	ktest_result("el1_crash_contained", count == CRASH_LOOPS && ver == 0x40011 && (typer & 0x1f) && on == 0,
		     "vCPU 1 exceptions counted: %lu (want %u); then XENVER_version -> 0x%lx, GICD_TYPER 0x%x, "
		     "AFFINITY_INFO(vCPU 1) -> %lu (0 = on)", count, CRASH_LOOPS, ver, typer, on);
}

/* ---- Entry --------------------------------------------------------------------------------- */

_Noreturn void hostile_main(uint64_t dtb, uint64_t load_addr)
{
	gicv2 = !dtb_has_compatible(dtb, "arm,gic-v3");
	kprintf("KTEST INFO hostile-input checks, GICv%d\n", gicv2 ? 2 : 3);
	ktest_prefix = "";
	check_bad_handles(0);		/* MMU off: VA == IPA */
	mmu_enable_identity(load_addr);
	map_window();
	check_mmio_no_isv();		/* first: their log lines fit the first burst */
	check_vgic_widths();
	check_vgic_out_of_range();
	ktest_prefix = "mmu.";
	check_bad_handles(1);
	ktest_prefix = "";
	check_page_crossing();
	check_add_to_physmap();
	check_cache_maintenance();
	check_log_flood();
	check_guest_atomic_contention();	/* vCPU 1 hammers, then switches itself off */
	check_settime_serialised();		/* vCPU 1 sets the time, then switches itself off */
	check_split_under_reader(load_addr);	/* vCPU 1 reads, then switches itself off */
	check_el1_crash();		/* last: vCPU 1 stays in its fault loop */
	kprintf("KTEST DONE\n");
	system_off();
}
