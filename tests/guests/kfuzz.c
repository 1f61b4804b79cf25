// SPDX-License-Identifier: Apache-2.0
/*
 * kfuzz: a bare-metal fuzzing guest, booted as dom0's kernel (tests/boot/test_fuzz_guest.py).
 *
 * From a seed ("seed=S ops=N" in /chosen/bootargs) it runs N random operations against
 * the hypervisor: Xen hypercalls (numbers in and out of the table; arguments null, huge,
 * unaligned, pointing at the hypervisor, at other host RAM, at MMIO, straddling the end
 * of our RAM, or at a scratch area it may write), SMCCC/PSCI calls over HVC #0 and
 * SMC #0, HVC/SMC with other immediates, loads and stores of every width and addressing
 * form over the vGIC frames and over IPA ranges nothing is mapped at, and system
 * register accesses that trap (SGI generation, set/way cache maintenance, the physical
 * timer), plus random MRS/MSR encodings and the virtual GIC CPU interface, and short
 * windows with interrupts unmasked, in which it takes and completes what arrives.
 *
 * Each operation is one instruction, generated from the seed into a stub (kfuzz_asm.S)
 * and run with every general register loaded from a table; afterwards it checks:
 * - registers the operation may not change did not change (Xen ABI: a hypercall
 *   clobbers x0..x4 and x16, Xen public/arch-arm.h; an SMCCC v1.1 call x0..x3 and
 *   preserves x4..x30, Arm DEN0028; an emulated load changes only its target), nor did
 *   NZCV or the EL1 system registers;
 * - exceptions: none for hypercalls and SMCCC calls, an Undefined Instruction at the
 *   HVC/SMC for an unknown immediate, a data abort with the right FAR for an access
 *   to an unmapped IPA, at most a data abort for a vGIC access;
 * - out-of-table hypercalls return -ENOSYS, reserved SMCCC function IDs NOT_SUPPORTED,
 *   emulated narrow loads are zero/sign extended as their instruction says, and an SGI
 *   sent to ourselves with the GIC state tidied is taken in the next window.
 * The run has three phases: MMU off, MMU on (identity map), and MMU on with the
 * device GiB mapped as Normal memory so unaligned and pair accesses reach the vGIC.
 * At the end it compares checksums of a pattern page, a pattern region in RAM, its own
 * code and the device tree with those taken at the start, prints
 * "KFUZZ seed=... ops=... hypercalls=... smccc=... mmio=... sysreg=... undef=... dabt=...",
 * "KFUZZ pattern-checksum OK", "KFUZZ survived", and powers off with PSCI SYSTEM_OFF.
 *
 * Operations that would legitimately stop the guest are never issued (PSCI CPU_OFF,
 * SYSTEM_OFF/RESET/SUSPEND, SCHEDOP_shutdown with a valid reason, remote_shutdown,
 * watchdog, VCPUOP_down/up/initialise on a real vCPU); blocking ones (SCHEDOP_block/
 * poll, PSCI CPU_SUSPEND, WFI) run with the virtual timer armed to end the wait.
 * Hypercalls only get pointers into a scratch area at the end of RAM (or nowhere), so
 * a write through them cannot touch code, stack, page tables or the pattern.
 */
#include "ktest.h"
#include "kfuzz.h"
#include <public/xen.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/memory.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define PAGE			4096UL
#define KIB			1024UL
#define MIB			(1024 * KIB)
#define GIB			(1024 * MIB)

#define EC_UNKNOWN		0x00
#define EC_SYSREG		0x18	/* trapped MSR/MRS, and FEAT_IDST's ID-space reads */
#define EC_DABT_CUR		0x25
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_WNR			(1UL << 6)
#define ENOSYS			38
#define SMCCC_NOT_SUPPORTED	0xffffffffU
#define HC_TABLE_SIZE		64	/* Xen: NR_hypercalls; numbers from here on do not exist */
#define MAX_FAILS_PRINTED	30
#define NR_VIRQS_GUESS		24

/* Instructions (Arm ARM C6). */
#define INSN_WFI		0xd503207fU
#define INSN_WFE		0xd503205fU
#define INSN_HVC(imm)		(0xd4000002U | ((uint32_t)(imm) & 0xffff) << 5)
#define INSN_SMC(imm)		(0xd4000003U | ((uint32_t)(imm) & 0xffff) << 5)
/* MRS/MSR (register) Xt, S<op0>_<op1>_C<n>_C<m>_<op2>; SYS (op0 = 1). */
#define SYSREG(op0, op1, crn, crm, op2) \
	((uint32_t)((op0) & 3) << 19 | (uint32_t)((op1) & 7) << 16 | (uint32_t)((crn) & 15) << 12 | \
	 (uint32_t)((crm) & 15) << 8 | (uint32_t)((op2) & 7) << 5)
#define INSN_MRS(enc, rt)	(0xd5200000U | (enc) | (rt))
#define INSN_MSR(enc, rt)	(0xd5000000U | (enc) | (rt))
#define INSN_SYS(enc, rt)	(0xd5000000U | (enc) | (rt))	/* op0 = 1 in @enc */

#define ICC_SGI1R_EL1		SYSREG(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1		SYSREG(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1		SYSREG(3, 0, 12, 11, 7)

/* PSCI / SMCCC function IDs (Arm DEN0022 5.1, DEN0028 7). */
#define PSCI_CPU_SUSPEND_32	0x84000001U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON_32		0x84000003U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_CPU_FREEZE		0x8400000bU
#define PSCI_CPU_DEFAULT_SUSP	0x8400000cU
#define PSCI_SYSTEM_SUSPEND	0x8400000eU
#define PSCI_SYSTEM_RESET2	0x84000012U
#define PSCI_SYSTEM_OFF2	0x84000015U
#define PSCI_64			0x40000000U	/* SMC64 convention bit */

uint64_t ktest_load_addr;		/* lib.c reports with it */
volatile struct kfuzz_exc kfuzz_exc;
volatile uint32_t kfuzz_in_fatal, kfuzz_irq_window;

extern char __image_start[], __rela_start[];

/* ---- what the device tree says ------------------------------------------------ */

#define MAX_RANGES		64

struct range {
	uint64_t base, size;
};

static struct {
	uint64_t ram, ram_end;			/* our RAM bank */
	uint64_t gicd, gicd_size, gicr, gicr_size;
	uint64_t hyp, hyp_size;			/* /hypervisor reg: the grant-table window */
	unsigned int vcpus;
	const char *bootargs;
	unsigned int bootargs_len;
	struct range mapped[MAX_RANGES];	/* every device reg and PCI window */
	unsigned int nr_mapped;
	uint64_t dtb, dtb_size;
} plat;

static uint32_t be32(const void *p)
{
	const volatile uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t read_cells(const uint8_t *p, unsigned int cells)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < cells && i < 2; i++)
		v = v << 32 | be32(p + 4 * (cells - (cells > 2 ? 2 : cells) + i));
	return v;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

/* Does the NUL-separated string list @p (@len bytes) contain @want? */
static int strlist_has(const char *p, unsigned int len, const char *want)
{
	for (unsigned int i = 0; i < len; i += strlen(p + i) + 1)
		if (str_eq(p + i, want))
			return 1;
	return 0;
}

static void add_mapped(uint64_t base, uint64_t size)
{
	if (plat.nr_mapped < MAX_RANGES && size)
		plat.mapped[plat.nr_mapped++] = (struct range){ base, size };
}

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define MAX_DEPTH	8

/* What a node said, kept until its end: properties may come in any order. */
struct fdt_node {
	const char *name;
	const uint8_t *reg, *ranges;
	uint32_t reg_len, ranges_len;
	unsigned int ac, sc;		/* #address-cells/#size-cells for its children */
	int gic, pci, mem;
};

static void fdt_node_done(const struct fdt_node *n, const struct fdt_node *parent, int depth)
{
	unsigned int pac = parent ? parent->ac : 2, psc = parent ? parent->sc : 1, step = 4 * (pac + psc);

	if (depth == 2 && str_eq(parent->name, "cpus") && str_starts(n->name, "cpu@"))
		plat.vcpus++;
	if (depth != 1)
		return;		/* QEMU virt: every device sits at the root */
	for (unsigned int off = 0; n->reg && off + step <= n->reg_len; off += step) {
		uint64_t base = read_cells(n->reg + off, pac), size = read_cells(n->reg + off + 4 * pac, psc);

		if (n->mem) {
			if (!plat.ram) {
				plat.ram = base;
				plat.ram_end = base + size;
			}
		} else if (n->gic && off == 0) {
			plat.gicd = base;
			plat.gicd_size = size;
		} else if (n->gic && off == step) {
			plat.gicr = base;
			plat.gicr_size = size;
		} else if (str_eq(n->name, "hypervisor") && off == 0) {
			plat.hyp = base;
			plat.hyp_size = size;
		} else {
			add_mapped(base, size);
		}
	}
	/* PCI windows: child address (#address-cells of the bridge), parent address, size. */
	step = 4 * (n->ac + pac + n->sc);
	for (unsigned int off = 0; n->pci && n->ranges && off + step <= n->ranges_len; off += step)
		add_mapped(read_cells(n->ranges + off + 4 * n->ac, pac),
			   read_cells(n->ranges + off + 4 * (n->ac + pac), n->sc));
}

/*
 * Walk the flattened device tree (Devicetree Specification v0.4, chapter 5): memory,
 * /chosen/bootargs, the GIC, /hypervisor, the vCPUs, and every "reg" and PCI "ranges"
 * of the other nodes (the IPA ranges the hypervisor may have mapped for us).
 */
static int parse_dtb(uint64_t dtb)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)dtb;
	const uint8_t *p, *end;
	const char *strings;
	struct fdt_node node[MAX_DEPTH];
	int depth = -1;

	if (!dtb || (dtb & 7) || be32(fdt) != 0xd00dfeed)
		return -1;
	plat.dtb = dtb;
	plat.dtb_size = be32(fdt + 4);
	p = fdt + be32(fdt + 8);
	end = p + be32(fdt + 36);
	strings = (const char *)fdt + be32(fdt + 12);
	while (p < end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *n = (const char *)p;

			p += (strlen(n) + 4) & ~3UL;
			if (++depth >= MAX_DEPTH)
				return -1;
			memset(&node[depth], 0, sizeof(node[depth]));
			node[depth].name = n;
			node[depth].ac = 2;	/* defaults for its children (DT spec 2.3.5) */
			node[depth].sc = 1;
			node[depth].mem = str_starts(n, "memory");
		} else if (tok == FDT_END_NODE) {
			if (depth < 0)
				return -1;
			fdt_node_done(&node[depth], depth ? &node[depth - 1] : NULL, depth);
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;
			const char *prop = strings + nameoff;
			struct fdt_node *n = &node[depth < 0 ? 0 : depth];

			p = val + ((len + 3) & ~3U);
			if (depth < 0)
				continue;
			if (str_eq(prop, "#address-cells"))
				n->ac = be32(val);
			else if (str_eq(prop, "#size-cells"))
				n->sc = be32(val);
			else if (str_eq(prop, "compatible")) {
				n->gic = strlist_has((const char *)val, len, "arm,gic-v3");
				if (strlist_has((const char *)val, len, "arm,cortex-a15-gic") ||
				    strlist_has((const char *)val, len, "arm,gic-400"))
					n->gic = kfuzz_gicv2 = 1;	/* reg: GICD, GICC */
				n->pci = strlist_has((const char *)val, len, "pci-host-ecam-generic");
			} else if (str_eq(prop, "device_type") && str_eq((const char *)val, "memory")) {
				n->mem = 1;
			} else if (str_eq(prop, "reg")) {
				n->reg = val;
				n->reg_len = len;
			} else if (str_eq(prop, "ranges")) {
				n->ranges = val;
				n->ranges_len = len;
			} else if (depth == 1 && str_eq(n->name, "chosen") && str_eq(prop, "bootargs")) {
				plat.bootargs = (const char *)val;
				plat.bootargs_len = len;
			}
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			return -1;
		}
	}
	return plat.ram && plat.gicd && plat.gicr ? 0 : -1;
}

static int overlaps_mapped(uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < plat.nr_mapped; i++)
		if (base < plat.mapped[i].base + plat.mapped[i].size && plat.mapped[i].base < base + size)
			return 1;
	return 0;
}

/* "key=<number>" in the boot arguments, or @def. */
static uint64_t bootarg(const char *key, uint64_t def)
{
	size_t klen = strlen(key);
	const char *s = plat.bootargs;

	if (!s)
		return def;
	for (unsigned int i = 0; i < plat.bootargs_len && s[i]; i++) {
		uint64_t v = 0;
		unsigned int j;

		if ((i && s[i - 1] != ' ') || i + klen + 1 >= plat.bootargs_len)
			continue;
		for (j = 0; j < klen && s[i + j] == key[j]; j++)
			;
		if (j != klen || s[i + klen] != '=')
			continue;
		for (j = i + klen + 1; s[j] >= '0' && s[j] <= '9'; j++)
			v = v * 10 + (uint64_t)(s[j] - '0');
		return v;
	}
	return def;
}

/* ---- random numbers: splitmix64 (Steele, Lea, Flood: "Fast splittable PRNGs") ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15UL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return below(100) < percent;
}

#define PICK(array)		((array)[below(ARRAY_SIZE(array))])

/* ---- memory the fuzzer owns ------------------------------------------------------ */

#define SCRATCH_SIZE		(256 * KIB)	/* at the end of RAM: hypercalls may write here */
#define SCRATCH_SLACK		(8 * KIB)	/* room after a scratch pointer for any struct */
#define PATTERN_REGION		(64 * KIB)

static uint64_t scratch;			/* [scratch, plat.ram_end) */
static uint64_t pattern_region;
static uint64_t pattern_page[PAGE / 8] __attribute__((aligned(PAGE)));
static const char console_text[] = "kfuzz console_io write\r\n";	/* console_io write source */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const volatile uint64_t *w = p;	/* 8-byte aligned regions only */

	for (size_t i = 0; i < n / 8; i++) {
		uint64_t v = w[i];

		for (int b = 0; b < 64; b += 8) {
			h ^= (v >> b) & 0xff;
			h *= 0x100000001b3UL;
		}
	}
	return h;
}

static uint64_t pattern_value(uint64_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15UL ^ seed;

	return x ^ (x >> 31) ^ (i << 48);
}

struct sums {
	uint64_t pattern, code, dtb;
};

static void checksums(struct sums *s)
{
	uint64_t stubs_start = (uintptr_t)kfuzz_stubs, stubs_end = stubs_start + KFUZZ_STUB_AREA;

	s->pattern = fnv(0xcbf29ce484222325UL, pattern_page, sizeof(pattern_page));
	s->pattern = fnv(s->pattern, (void *)(uintptr_t)pattern_region, PATTERN_REGION);
	/* Code and read-only data, except the generated stubs. */
	s->code = fnv(0xcbf29ce484222325UL, __image_start, stubs_start - (uintptr_t)__image_start);
	s->code = fnv(s->code, (void *)stubs_end, (uintptr_t)__rela_start - stubs_end);
	s->dtb = fnv(0xcbf29ce484222325UL, (void *)(uintptr_t)plat.dtb, plat.dtb_size & ~7UL);
}

/*
 * The scratch frame whose shared-info page XENMEM_remove_from_physmap took away (0: none):
 * a hole in our RAM until the next memory op maps the page back (hc_memory()).
 */
static uint64_t hole_gfn;
static uint64_t shinfo_gfn;	/* where the shared-info page was last mapped, 0 if unknown */

/* Is @addr scratch RAM we may write (and read)? */
static int scratch_ok(uint64_t addr)
{
	return addr >= scratch && addr < plat.ram_end && (!hole_gfn || addr >> 12 != hole_gfn);
}

/* Byte stores: scratch pointers may be unaligned and the MMU may be off (Device memory). */
static void poke(uint64_t addr, uint64_t val, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++, addr++)
		if (scratch_ok(addr))
			*(volatile uint8_t *)(uintptr_t)addr = (uint8_t)(val >> (8 * i));
}

static uint64_t peek32(uint64_t addr)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < 4; i++)
		if (scratch_ok(addr + i))
			v |= (uint64_t)*(volatile uint8_t *)(uintptr_t)(addr + i) << (8 * i);
	return v;
}

/* ---- value pools ------------------------------------------------------------- */

static uint64_t ptr_bad_pick(void)
{
	uint64_t v;

	switch (below(14)) {
	case 0: v = 0; break;
	case 1: v = below(PAGE); break;
	case 2: v = ~0UL - below(PAGE); break;
	case 3: v = rnd(); break;
	case 4: v = 0x40000000UL + below(4 * MIB); break;		/* QEMU virt: the hypervisor */
	case 5: v = plat.hyp ? plat.hyp - 2 * MIB + below(4 * MIB) : 0x40200000UL; break;
	case 6: v = plat.ram > 0x40000000UL ? 0x40000000UL + below(plat.ram - 0x40000000UL) : 0x48000000UL;
		break;							/* other host RAM */
	case 7: v = plat.ram - 1 - below(64); break;			/* just below our RAM */
	case 8: v = plat.ram_end + below(64 * KIB); break;		/* just above it */
	case 9: v = plat.gicd + below(64 * KIB); break;
	case 10: v = plat.gicr + below(256 * KIB); break;
	case 11: v = (1UL << (39 + below(9))) + below(PAGE); break;	/* beyond the IPA size */
	case 12: v = 0xffff000000000000UL | rnd(); break;		/* a kernel VA */
	default: v = 0x2000000000UL + below(GIB); break;		/* nothing there */
	}
	return chance(20) ? v | (1 + below(7)) : v;
}

/*
 * Addresses hypercalls may be handed that are not ours to write (faulting or not RAM).
 * The fixed picks describe dom0's map on QEMU virt; on a domU's map (RAM at
 * GUEST_RAM0_BASE) some land in our own RAM, and are picked again.
 */
static uint64_t ptr_bad(void)
{
	uint64_t v;

	do
		v = ptr_bad_pick();
	while (v >= plat.ram && v < plat.ram_end);
	return v;
}

/* An address in the scratch area, sometimes unaligned or straddling the end of RAM. */
static uint64_t ptr_scratch(void)
{
	switch (below(8)) {
	case 0: return plat.ram_end - 1 - below(64);
	case 1: return scratch + below(SCRATCH_SIZE - SCRATCH_SLACK);
	case 2: return scratch + below((SCRATCH_SIZE - SCRATCH_SLACK) / PAGE) * PAGE;
	default: return scratch + (below(SCRATCH_SIZE - SCRATCH_SLACK) & ~7UL);
	}
}

/*
 * An address every access faults at: ptr_bad() outside the hypervisor's window, whose
 * grant frames, once mapped, are readable and hold whatever hypercalls wrote there.
 */
static uint64_t ptr_fault(void)
{
	uint64_t v, lo = (plat.hyp & ~(2 * MIB - 1)) - 2 * MIB, hi = plat.hyp + plat.hyp_size + 2 * MIB;

	do
		v = ptr_bad();
	while (v >= lo && v < hi);
	return v;
}

static uint64_t ptr_any(void)
{
	return chance(60) ? ptr_scratch() : ptr_bad();
}

/* Guest frame numbers that are never our code, stack, pattern or page tables. */
static uint64_t gfn_safe(void)
{
	switch (below(10)) {
	case 0: case 1: case 2: return (scratch >> 12) + below(SCRATCH_SIZE / PAGE);
	case 3: case 4: return (plat.hyp >> 12) + below(plat.hyp_size / PAGE + 4);
	case 5: return below(16);
	case 6: return rnd();
	case 7: return (1UL << 28) - 2 + below(4);			/* around IPA 2^40 */
	case 8: return chance(50) ? plat.ram_end >> 12 : (plat.ram >> 12) - 1;
	default: return (0x2000000000UL >> 12) + below(1024);
	}
}

static uint64_t domid_any(void)
{
	static const uint64_t ids[] = { DOMID_SELF, DOMID_SELF, 0, 0, 1, 2, 0x7ff1, 0x7ff2,
					0x7ff4, 0x7fff, 0xffff, 0x8000 };

	return chance(90) ? PICK(ids) : rnd() & 0xffff;
}

/* Arbitrary scalars, including pointers and frame numbers from the safe pools. */
static uint64_t val_any(void)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return ~0UL;
	case 2: return below(16);
	case 3: return below(256);
	case 4: return rnd();
	case 5: return 1UL << below(64);
	case 6: return (uint32_t)rnd();
	case 7: return ptr_any();
	case 8: return gfn_safe();
	case 9: return domid_any();
	case 10: return 0x80000000UL | below(16);
	default: return -below(64);
	}
}

/* Like val_any() but never a pointer we could be written through (for unknown calls). */
static uint64_t val_bad(void)
{
	return chance(50) ? ptr_bad() : (chance(50) ? below(256) : rnd());
}

/* Fill [addr, addr + len) of scratch with random words (a random struct). */
static void fill(uint64_t addr, size_t len)
{
	for (uint64_t a = addr & ~7UL; a < addr + len && a < plat.ram_end; a += 8)
		if (scratch_ok(a))
			*(volatile uint64_t *)(uintptr_t)a = val_any();
}

/* ---- instruction stubs --------------------------------------------------------- */

/*
 * Each operation runs one instruction from a stub (see kfuzz_call in kfuzz_asm.S).
 * Rewriting code costs QEMU a retranslation of the page, so the stubs are generated a
 * page at a time from the seed and one page is regenerated every STUB_REFRESH
 * operations: 3328 encodings alive at once, about 50 000 over a run of 100 000.
 * Page 0: the three calls (hypercall, SMCCC over HVC and SMC) and HVC/SMC with other
 * immediates; pages 1-8: loads and stores; pages 9-12: system register accesses.
 */
#define STUBS_PER_PAGE		(4096 / KFUZZ_STUB_SIZE)
#define NR_STUBS		(KFUZZ_STUB_AREA / KFUZZ_STUB_SIZE)
#define STUB_HVC_XEN		0
#define STUB_HVC0		1
#define STUB_SMC0		2
#define BADIMM_FIRST		3
#define MMIO_FIRST		STUBS_PER_PAGE
#define MMIO_PAGES		8
#define SYSREG_FIRST		(MMIO_FIRST + MMIO_PAGES * STUBS_PER_PAGE)
#define STUB_REFRESH		500

enum kind { K_HYPERCALL, K_SMCCC, K_BADIMM, K_MMIO, K_SYSREG, K_IRQWIN, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "hypercall", "smccc", "badimm", "mmio", "sysreg",
						 "irqwin" };

/* System register operation classes (struct stub.sub for K_SYSREG). */
enum { SR_SGI_W, SR_SGI_R, SR_SETWAY, SR_ICC_R, SR_ICC_W, SR_TIMER_R, SR_TIMER_W, SR_MRS_ANY,
       SR_MSR_EL2, SR_EL1_W, SR_HINT };

/**
 * struct stub - what a generated instruction is, for setting up and checking its use.
 * @rt/@rt2/@rn/@rm/@rs: registers it names (32: none; 31 is XZR as a data register).
 * @rn_off: the base register holds the target address minus this.
 * @rm_val: value of the offset register @rm.
 * @store: 1 store, 0 load, -1 cache maintenance (no data register).
 * @ext: a load's extension: 1 zero, 2 sign to 64 bits, 3 sign to 32 bits.
 * @bytes: bytes it accesses (64 for a cache line).
 * @must_fault: at an unmapped IPA it must abort (not STXR, not the DC ops QEMU ignores).
 * @exc_min/@exc_max: exceptions allowed (system registers, bad immediates).
 * @snap: EL1 snapshot register it writes, or -1.
 */
struct stub {
	uint32_t insn;
	uint8_t kind, sub, rt, rt2, rn, rm, rs, ext;
	int8_t store, wnr, exc_min, exc_max, snap;
	uint8_t writeback, must_fault, timer;
	uint16_t bytes, rm_val;
	int32_t rn_off;
	uint32_t may_change;
	const char *what;
};

static struct stub stubs[NR_STUBS];

/**
 * struct op - one operation and what it may do.
 * @may_change: bit n: xn may differ afterwards.
 * @exc_min/@exc_max: how many exceptions it may take; @exc_ec their EC (or -1).
 * @far_lo/@far_hi: FAR_EL1 of the exception must lie in [far_lo, far_hi) when far_hi != 0.
 * @wnr: expected ESR_EL1.WnR (0/1) of that data abort, or -1.
 * @elr: expected ELR_EL1 of the exception, or 0.
 * @timer: arm the virtual timer first: the operation may wait for an interrupt.
 * @unmasks: the call returns with IRQs unmasked (SCHEDOP_block enables event delivery:
 *          Xen on Arm clears PSTATE.I, xen/arch/arm/include/asm/event.h): run it inside
 *          an IRQ window, check that PSTATE.I was clear on return, then mask again.
 * @el1_writes: bit n: the operation writes snapshot register n (see el1_snapshot()).
 */
struct op {
	enum kind kind;
	unsigned int stub;
	struct kfuzz_regs r;
	uint32_t may_change;
	int exc_min, exc_max, exc_ec;
	uint64_t far_lo, far_hi;
	int wnr;
	uint64_t elr;
	int timer, unmasks;
	uint32_t el1_writes;
	const char *what;
	int64_t x0_want;	/* the result x0 must hold, if not 0 */
};

static struct {
	uint64_t op;			/* index of the operation running */
	uint64_t seed, ops, trace, max_fails, only;
	uint64_t by_kind[NR_KINDS];
	uint64_t fails;
	uint64_t timer_delta;
	unsigned int phase;
} st;

static const uint32_t *stub_code(unsigned int i)
{
	return &kfuzz_stubs[i * KFUZZ_STUB_SIZE / 4];
}

static void fail(const struct op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(const struct op *op, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (st.fails++ >= st.max_fails)
		return;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("KFUZZ FAIL op=%lu phase=%u %s %s insn=0x%08x x0=0x%lx x1=0x%lx x2=0x%lx x16=0x%lx: %s\n",
		st.op, st.phase, kind_name[op->kind], op->what ? op->what : "", stub_code(op->stub)[1],
		op->r.in[0], op->r.in[1], op->r.in[2], op->r.in[16], msg);
}

/* EL1 registers no operation may change unless it writes them itself. */
#define NR_SNAP 24
static const char *const snap_name[NR_SNAP] = {
	"TPIDR_EL1", "TPIDR_EL0", "TPIDRRO_EL0", "CONTEXTIDR_EL1", "PAR_EL1", "SP_EL0",
	"AFSR0_EL1", "AFSR1_EL1", "VBAR_EL1", "SCTLR_EL1", "TCR_EL1", "TTBR0_EL1",
	"TTBR1_EL1", "MAIR_EL1", "CPACR_EL1", "CNTKCTL_EL1", "CSSELR_EL1", "MDSCR_EL1",
	"CNTV_CVAL_EL0", "ICC_PMR_EL1", "ELR_EL1", "SPSR_EL1", "ESR_EL1", "FAR_EL1",
};
#define SNAP_EXC_FIRST	20	/* ELR/SPSR/ESR/FAR_EL1: changed by any exception */
#define SNAP_PMR	19

/* Two levels, so that a register name given as a macro (ICC_IAR1 below) is expanded. */
#define MRS(reg) MRS_(reg)
#define MSR(reg, v) MSR_(reg, v)
#define MRS_(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define MSR_(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static void el1_snapshot(uint64_t *s)
{
	s[0] = MRS(tpidr_el1); s[1] = MRS(tpidr_el0); s[2] = MRS(tpidrro_el0);
	s[3] = MRS(contextidr_el1); s[4] = MRS(par_el1); s[5] = MRS(sp_el0);
	s[6] = MRS(afsr0_el1); s[7] = MRS(afsr1_el1); s[8] = MRS(vbar_el1);
	s[9] = MRS(sctlr_el1); s[10] = MRS(tcr_el1); s[11] = MRS(ttbr0_el1);
	s[12] = MRS(ttbr1_el1); s[13] = MRS(mair_el1); s[14] = MRS(cpacr_el1);
	s[15] = MRS(cntkctl_el1); s[16] = MRS(csselr_el1); s[17] = MRS(mdscr_el1);
	s[18] = MRS(cntv_cval_el0); s[19] = kfuzz_gicv2 ? 0 : MRS(S3_0_C4_C6_0);	/* no ICC_PMR_EL1 */
	s[20] = MRS(elr_el1); s[21] = MRS(spsr_el1); s[22] = MRS(esr_el1); s[23] = MRS(far_el1);
}

/*
 * Arm the virtual timer so that an operation that waits for an interrupt (WFI,
 * SCHEDOP_block, CPU_SUSPEND) ends. Its PPI must be enabled in our redistributor for
 * that: operations disable it at random, and a guest that waits with its only wake-up
 * interrupt disabled would sleep forever, on hardware as on the hypervisor.
 */
#define GICR_ISENABLER0		0x10100
#define VTIMER_PPI		27	/* the DT's timer node, QEMU virt */

/*
 * Emulated registers take plain single-register accesses (the ones with an instruction
 * syndrome): never let the compiler pick a writeback or pair form.
 */
static void mmio_write32(uint64_t addr, uint32_t val)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
}

static void mmio_write8(uint64_t addr, uint8_t val)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
}

static uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void timer_arm(void)
{
	if (kfuzz_gicv2)
		kfuzz_gicv2_enable(plat.gicd, VTIMER_PPI);
	else
		mmio_write32(plat.gicr + GICR_ISENABLER0, 1U << VTIMER_PPI);
	MSR(cntv_cval_el0, read_cntvct() + st.timer_delta);
	MSR(cntv_ctl_el0, 1);	/* ENABLE, not masked (Arm ARM D11.2.4) */
	__asm__ volatile("isb");
}

static void timer_disarm(void)
{
	MSR(cntv_ctl_el0, 0);
	__asm__ volatile("isb");
}

static void op_init(struct op *op, enum kind kind, unsigned int stub)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->stub = stub;
	for (unsigned int i = 0; i < 31; i++)
		op->r.in[i] = rnd();
	op->r.nzcv_in = rnd() & 0xf0000000UL;
	op->exc_ec = -1;
	op->wnr = -1;
}

static void trace(const struct op *op)
{
	const struct stub *s = &stubs[op->stub];

	kprintf("KFUZZ op %lu %s %s insn=%08x x0=0x%lx x1=0x%lx x2=0x%lx x3=0x%lx x4=0x%lx x16=0x%lx "
		"rn=0x%lx rt=0x%lx\n", st.op, kind_name[op->kind], op->what ? op->what : "",
		stub_code(op->stub)[1], op->r.in[0], op->r.in[1], op->r.in[2], op->r.in[3], op->r.in[4],
		op->r.in[16], s->rn < 31 ? op->r.in[s->rn] : 0, s->rt < 31 ? op->r.in[s->rt] : 0);
}

/* IRQ windows (see op_irq_window()). */
#define IRQ_STORM		32
#define ICC_IAR1		S3_0_C12_C12_0
#define ICC_EOIR1		S3_0_C12_C12_1
#define ICC_DIR			S3_0_C12_C11_1
#define ICC_CTLR		S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define PSR_I			(1UL << 7)

static struct {
	uint64_t entries, taken, spurious, cut;	/* this window's entries; totals */
} irq;

/* Run @op and check everything that does not depend on the kind. Return exceptions taken. */
static uint64_t run(struct op *op)
{
	uint64_t before[NR_SNAP], after[NR_SNAP], exc;

	if (st.op >= st.trace)
		trace(op);
	kfuzz_exc.count = 0;
	kfuzz_exc.esr = kfuzz_exc.elr = kfuzz_exc.far = 0;
	if (op->timer)
		timer_arm();
	if (op->unmasks) {
		irq.entries = 0;
		kfuzz_irq_window = 1;
	}
	el1_snapshot(before);
	kfuzz_call(&op->r, stub_code(op->stub));
	if (op->unmasks) {
		uint64_t daif = MRS(daif);

		__asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
		kfuzz_irq_window = 0;
		if ((daif & PSR_I) && (int64_t)op->r.out[0] == 0 && irq.entries <= IRQ_STORM)
			fail(op, "returned 0 with IRQs still masked (DAIF 0x%lx)", daif);
	}
	el1_snapshot(after);
	if (op->timer)
		timer_disarm();
	exc = kfuzz_exc.count;
	st.by_kind[op->kind]++;

	for (unsigned int i = 0; i < 31; i++)
		if (!(op->may_change & (1U << i)) && op->r.out[i] != op->r.in[i])
			fail(op, "x%u changed: 0x%lx -> 0x%lx", i, op->r.in[i], op->r.out[i]);
	if (op->r.nzcv_out != op->r.nzcv_in)
		fail(op, "NZCV changed: 0x%lx -> 0x%lx", op->r.nzcv_in, op->r.nzcv_out);
	for (unsigned int i = 0; i < NR_SNAP; i++) {
		if ((op->el1_writes & (1U << i)) || (exc && i >= SNAP_EXC_FIRST))
			continue;
		if (before[i] != after[i])
			fail(op, "%s changed: 0x%lx -> 0x%lx", snap_name[i], before[i], after[i]);
	}
	if ((int64_t)exc < op->exc_min || (int64_t)exc > op->exc_max) {
		fail(op, "%lu exceptions (want %d..%d), last ESR 0x%lx ELR 0x%lx FAR 0x%lx", exc,
		     op->exc_min, op->exc_max, kfuzz_exc.esr, kfuzz_exc.elr, kfuzz_exc.far);
	} else if (exc) {
		uint64_t esr = kfuzz_exc.esr;

		if (op->exc_ec >= 0 && ESR_EC(esr) != (uint64_t)op->exc_ec)
			fail(op, "exception EC 0x%lx (want 0x%x), ESR 0x%lx FAR 0x%lx", ESR_EC(esr),
			     op->exc_ec, esr, kfuzz_exc.far);
		else if (op->far_hi && (kfuzz_exc.far < op->far_lo || kfuzz_exc.far >= op->far_hi))
			fail(op, "FAR 0x%lx outside [0x%lx, 0x%lx), ESR 0x%lx", kfuzz_exc.far, op->far_lo,
			     op->far_hi, esr);
		else if (op->wnr >= 0 && !!(esr & ESR_WNR) != op->wnr)
			fail(op, "ESR 0x%lx WnR %d (want %d)", esr, !!(esr & ESR_WNR), op->wnr);
		else if (op->elr && kfuzz_exc.elr != op->elr)
			fail(op, "ELR 0x%lx (want 0x%lx)", kfuzz_exc.elr, op->elr);
	}
	return exc;
}

/* ---- hypercalls -------------------------------------------------------------- */

static uint32_t known_ports[16];
static unsigned int nr_known_ports;

static uint64_t port_any(void)
{
	static const uint64_t ports[] = { 0, 1, 2, 3, 4, 5, 8, 63, 64, 1023, 1024, 4095, 4096 };

	if (nr_known_ports && chance(50))
		return known_ports[below(nr_known_ports)];
	return chance(85) ? PICK(ports) : (uint32_t)rnd();
}

static uint64_t vcpu_any(void)
{
	return chance(80) ? below(plat.vcpus + 2) : (chance(50) ? (uint32_t)rnd() : ~0U);
}

/* A struct argument: a scratch pointer (random contents) or a bad pointer. */
static uint64_t struct_arg(size_t len)
{
	uint64_t p;

	if (chance(20))
		return ptr_bad();
	p = ptr_scratch();
	fill(p, len + 64);
	return p;
}

static void hc_event_channel(struct op *op)
{
	static const uint64_t cmds[] = { EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close,
		EVTCHNOP_send, EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_alloc_unbound, EVTCHNOP_alloc_unbound,
		EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_reset,
		EVTCHNOP_init_control, EVTCHNOP_expand_array, EVTCHNOP_set_priority, EVTCHNOP_bind_pirq };
	uint64_t cmd = chance(95) ? PICK(cmds) : val_bad(), a = struct_arg(64);

	op->r.in[0] = cmd;
	op->r.in[1] = a;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		poke(a, domid_any(), 2);
		poke(a + 2, domid_any(), 2);
		break;
	case EVTCHNOP_bind_interdomain:
		poke(a, domid_any(), 2);
		poke(a + 4, port_any(), 4);
		break;
	case EVTCHNOP_bind_virq:
		poke(a, chance(90) ? below(NR_VIRQS_GUESS + 2) : rnd(), 4);
		poke(a + 4, vcpu_any(), 4);
		break;
	case EVTCHNOP_bind_ipi:
		poke(a, vcpu_any(), 4);
		break;
	case EVTCHNOP_close: case EVTCHNOP_send: case EVTCHNOP_unmask:
		poke(a, port_any(), 4);
		break;
	case EVTCHNOP_status:
		poke(a, domid_any(), 2);
		poke(a + 4, port_any(), 4);
		break;
	case EVTCHNOP_bind_vcpu: case EVTCHNOP_set_priority:
		poke(a, port_any(), 4);
		poke(a + 4, chance(50) ? vcpu_any() : below(20), 4);
		break;
	case EVTCHNOP_reset:
		poke(a, domid_any(), 2);
		break;
	case EVTCHNOP_init_control: case EVTCHNOP_expand_array:
		poke(a, gfn_safe(), 8);
		poke(a + 8, below(PAGE + 8), 4);
		poke(a + 12, vcpu_any(), 4);
		break;
	}
}

/* Remember ports the hypervisor handed out, to close, send to and bind them later. */
static void hc_event_channel_after(const struct op *op)
{
	uint64_t a = op->r.in[1];
	unsigned int off;

	if (op->r.out[0] != 0 || a < scratch || a + 16 > plat.ram_end)
		return;
	switch (op->r.in[0]) {
	case EVTCHNOP_alloc_unbound: off = 4; break;
	case EVTCHNOP_bind_interdomain: off = 8; break;
	case EVTCHNOP_bind_virq: off = 8; break;
	case EVTCHNOP_bind_ipi: off = 4; break;
	default: return;
	}
	known_ports[nr_known_ports < ARRAY_SIZE(known_ports) ? nr_known_ports++ : below(ARRAY_SIZE(known_ports))] =
		(uint32_t)peek32(a + off);
}

/* The memory op hc_memory() last made: what hc_memory_after() needs of its arguments. */
static struct {
	uint64_t cmd, domid, space, gfn;
} last_mem;

/*
 * Where the shared-info page is now, from the last memory op's arguments and result. Any
 * domid that worked named us (Kestrel maps and unmaps only in the caller's own p2m): dom0
 * is 0, a domU its own id, which it is not told.
 */
static void hc_memory_after(const struct op *op)
{
	if (op->r.out[0] != 0)
		return;
	if ((last_mem.cmd & 0x3f) == XENMEM_add_to_physmap && last_mem.space == XENMAPSPACE_shared_info) {
		shinfo_gfn = last_mem.gfn;
		if (shinfo_gfn == hole_gfn)
			hole_gfn = 0;
	} else if (last_mem.cmd == XENMEM_remove_from_physmap && last_mem.gfn == shinfo_gfn) {
		if (shinfo_gfn >= scratch >> 12 && shinfo_gfn < plat.ram_end >> 12)
			hole_gfn = shinfo_gfn;
		shinfo_gfn = 0;
	}
}

static void hc_memory(struct op *op)
{
	static const uint64_t cmds[] = { XENMEM_add_to_physmap, XENMEM_add_to_physmap, XENMEM_add_to_physmap,
		XENMEM_current_reservation, XENMEM_maximum_reservation, XENMEM_maximum_ram_page,
		XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
		XENMEM_exchange, XENMEM_maximum_gpfn, XENMEM_remove_from_physmap, XENMEM_add_to_physmap_batch,
		XENMEM_acquire_resource, XENMEM_get_vnumainfo };
	uint64_t cmd = PICK(cmds), a = struct_arg(96);

	if (chance(10))
		cmd = chance(50) ? below(32) : cmd | rnd() << 6;	/* other sub-ops; continuation bits */
	op->r.in[0] = cmd;
	op->r.in[1] = a;
	last_mem.cmd = cmd;
	if (hole_gfn) {
		/* Map the shared-info page back over the hole, from a scratch page that is not it. */
		a = scratch + (hole_gfn == scratch >> 12 ? PAGE : 0);
		op->r.in[0] = last_mem.cmd = XENMEM_add_to_physmap;
		op->r.in[1] = a;
		last_mem.domid = DOMID_SELF;
		last_mem.space = XENMAPSPACE_shared_info;
		last_mem.gfn = hole_gfn;
		poke(a, DOMID_SELF, 2);
		poke(a + 4, XENMAPSPACE_shared_info, 4);
		poke(a + 8, 0, 8);
		poke(a + 16, hole_gfn, 8);
		return;		/* hc_memory_after() closes the hole once it worked */
	}
	switch (cmd & 0x3f) {
	case XENMEM_add_to_physmap:
		last_mem.domid = domid_any();
		last_mem.space = chance(85) ? below(2) : (chance(50) ? below(8) : rnd());
		last_mem.gfn = gfn_safe();
		poke(a, last_mem.domid, 2);
		poke(a + 2, below(4), 2);						/* size */
		poke(a + 4, last_mem.space, 4);						/* space */
		poke(a + 8, chance(80) ? below(plat.hyp_size / PAGE + 2) :
			    (chance(50) ? (0x80000000UL | below(4)) : gfn_safe()), 8);	/* idx */
		poke(a + 16, last_mem.gfn, 8);						/* gpfn */
		break;
	case XENMEM_current_reservation: case XENMEM_maximum_reservation: case XENMEM_maximum_gpfn:
		poke(a, domid_any(), 2);
		break;
	case XENMEM_remove_from_physmap: {
		/* Never a scratch RAM frame (our pokes would fault), but the shared-info page's. */
		uint64_t gfn = shinfo_gfn && chance(30) ? shinfo_gfn : gfn_safe();

		if (gfn != shinfo_gfn && gfn >= scratch >> 12 && gfn < plat.ram_end >> 12)
			gfn = plat.ram_end >> 12;
		last_mem.domid = domid_any();
		last_mem.gfn = gfn;
		poke(a, last_mem.domid, 2);
		poke(a + 8, gfn, 8);
		break;
	}
	case XENMEM_increase_reservation: case XENMEM_decrease_reservation: case XENMEM_populate_physmap: {
		uint64_t list = ptr_any();

		for (unsigned int i = 0; i < 8; i++)
			poke(list + 8 * i, gfn_safe(), 8);
		poke(a, list, 8);
		poke(a + 8, chance(80) ? below(8) : rnd(), 8);	/* nr_extents */
		poke(a + 16, chance(80) ? below(10) : rnd(), 4);	/* extent_order */
		poke(a + 24, domid_any(), 2);
		break;
	}
	}
}

static void hc_vcpu(struct op *op)
{
	static const uint64_t cmds[] = { VCPUOP_register_vcpu_info, VCPUOP_register_vcpu_info,
		VCPUOP_register_runstate_memory_area, VCPUOP_register_runstate_memory_area, VCPUOP_is_up,
		VCPUOP_get_runstate_info, VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer,
		VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer, VCPUOP_send_nmi,
		VCPUOP_get_physid, VCPUOP_register_vcpu_time_memory_area, VCPUOP_register_runstate_phys_area,
		VCPUOP_register_vcpu_time_phys_area, VCPUOP_initialise, VCPUOP_up, VCPUOP_down };
	uint64_t cmd = chance(95) ? PICK(cmds) : val_bad(), vcpu = vcpu_any(), a = struct_arg(64);

	/* Starting, stopping or re-initialising a real vCPU would stop or derail the guest. */
	if ((uint32_t)cmd <= VCPUOP_down && (uint32_t)vcpu < plat.vcpus)
		vcpu = plat.vcpus + below(100);
	op->r.in[0] = cmd;
	op->r.in[1] = vcpu;
	op->r.in[2] = a;
	switch (cmd) {
	case VCPUOP_register_vcpu_info: {
		static const uint64_t offsets[] = { 0, 8, 64, 4096 - 64, 4096 - 56, 4096 - 8, 4095, 4096, 7 };

		poke(a, gfn_safe(), 8);
		poke(a + 8, chance(70) ? PICK(offsets) : (uint32_t)rnd(), 4);
		break;
	}
	case VCPUOP_register_runstate_memory_area: case VCPUOP_register_runstate_phys_area:
	case VCPUOP_register_vcpu_time_memory_area: case VCPUOP_register_vcpu_time_phys_area:
		poke(a, chance(10) ? 0 : ptr_any(), 8);
		break;
	case VCPUOP_set_singleshot_timer: case VCPUOP_set_periodic_timer:
		poke(a, chance(50) ? below(1000000) : rnd(), 8);
		break;
	}
}

static void hc_sched(struct op *op)
{
	uint64_t cmd, a = 0;

	switch (below(20)) {
	case 0: case 1: case 2: case 3: cmd = SCHEDOP_yield; break;
	case 4: case 5: case 6:
		cmd = SCHEDOP_block;
		op->timer = 1;
		op->unmasks = 1;
		op->el1_writes = 0xfU << SNAP_EXC_FIRST;	/* an IRQ may be taken on return */
		break;
	case 7: case 8: case 9:
		/* Shutdown only with an argument that must be refused. */
		cmd = SCHEDOP_shutdown;
		a = ptr_scratch();
		if (chance(50) || a + 4 > plat.ram_end)
			a = ptr_fault();
		else
			poke(a, SHUTDOWN_MAX + 1 + (chance(50) ? below(100) : (uint32_t)rnd()), 4);
		break;
	case 10: case 11:
		cmd = SCHEDOP_poll;
		op->timer = 1;
		a = struct_arg(24);
		poke(a, ptr_any(), 8);				/* ports */
		poke(a + 8, below(4), 4);			/* nr_ports */
		poke(a + 16, chance(50) ? 0 : below(1000000), 8);	/* timeout */
		break;
	case 12: cmd = SCHEDOP_remote_shutdown; a = ptr_fault(); break;
	case 13: cmd = SCHEDOP_watchdog; a = ptr_fault(); break;
	case 14: cmd = SCHEDOP_shutdown_code; a = ptr_fault(); break;
	case 15: cmd = SCHEDOP_pin_override; a = struct_arg(8); break;
	default:
		/* Unknown commands; the handler takes an unsigned int: keep its low half unknown. */
		cmd = SCHEDOP_pin_override + 1 + (chance(50) ? below(32) : (uint32_t)rnd() % 0xfffffff0U);
		if (chance(30))
			cmd |= rnd() << 32;
		a = val_bad();
		break;
	}
	op->r.in[0] = cmd;
	op->r.in[1] = a;
}

#define EFAULT			14

static void hc_console(struct op *op)
{
	if (chance(3)) {
		/*
		 * Longer than one trap prints, so it takes continuations (the HVC re-executed
		 * with the count and pointer advanced), and it runs off the end of RAM: lines of
		 * dots, then -EFAULT (Xen console_io: a bad buffer).
		 */
		uint64_t len = 64 * (18 + below(24)), start = plat.ram_end - len;

		for (uint64_t i = 0; i < len; i++)
			poke(start + i, i % 64 == 63 ? '\n' : '.', 1);
		op->r.in[0] = CONSOLEIO_WRITE;
		op->r.in[1] = len + 1 + below(PAGE);
		op->r.in[2] = start;
		op->x0_want = -EFAULT;
		op->what = "console_io long write";
		return;
	}
	switch (below(6)) {
	case 0: case 1:	/* a short write of harmless text, ending a line */
		op->r.in[0] = CONSOLEIO_WRITE;
		op->r.in[1] = below(sizeof(console_text));
		op->r.in[2] = (uintptr_t)console_text + sizeof(console_text) - 1 - op->r.in[1];
		break;
	case 2:		/* any length from nowhere: must fail, not print */
		op->r.in[0] = CONSOLEIO_WRITE;
		op->r.in[1] = chance(50) ? rnd() : below(PAGE);
		op->r.in[2] = ptr_fault();
		break;
	case 3:
		op->r.in[0] = 1;	/* CONSOLEIO_read */
		op->r.in[1] = chance(50) ? below(256) : rnd();
		op->r.in[2] = ptr_any();
		break;
	default:
		op->r.in[0] = chance(50) ? below(8) : rnd();
		if (op->r.in[0] == CONSOLEIO_WRITE || op->r.in[0] == 1)
			op->r.in[0] += 2;
		op->r.in[1] = val_bad();
		op->r.in[2] = val_bad();
	}
}

static void hc_grant_table(struct op *op)
{
	uint64_t cmd = chance(90) ? below(14) : val_bad(), count, a;

	a = struct_arg(64);
	count = chance(90) ? below(3) : below(16);
	if (cmd == GNTTABOP_query_size || cmd == GNTTABOP_get_version) {
		poke(a, domid_any(), 2);
	} else if (cmd == GNTTABOP_set_version) {
		poke(a, chance(80) ? below(4) : rnd(), 4);
	} else if (chance(20)) {
		a = ptr_bad();
		count = rnd();
	}
	op->r.in[0] = cmd;
	op->r.in[1] = a;
	op->r.in[2] = count;
}

static void hc_hvm(struct op *op)
{
	uint64_t a = struct_arg(16);

	op->r.in[0] = chance(85) ? below(2) : val_bad();
	op->r.in[1] = a;
	poke(a, domid_any(), 2);
	poke(a + 4, chance(85) ? below(HVM_NR_PARAMS + 3) : rnd(), 4);
	poke(a + 8, val_any(), 8);
}

static void hc_platform(struct op *op)
{
	static const uint64_t cmds[] = { XENPF_settime64, XENPF_settime64, XENPF_settime32, 0, 1, 16 };
	uint64_t a = struct_arg(128);

	op->r.in[0] = a;
	poke(a, chance(70) ? XENPF_INTERFACE_VERSION : val_any(), 4);
	poke(a + 4, chance(90) ? PICK(cmds) : 0x100 + below(1000), 4);
	poke(a + 8, chance(50) ? below(1UL << 40) : rnd(), 8);		/* secs */
	poke(a + 16, chance(70) ? below(1000000000) : rnd(), 4);	/* nsecs */
	poke(a + 20, chance(80) ? 0 : rnd(), 4);			/* mbz */
}

static void op_hypercall(struct op *op)
{
	static const uint64_t known[] = { __HYPERVISOR_platform_op, __HYPERVISOR_memory_op,
		__HYPERVISOR_xen_version, __HYPERVISOR_console_io, __HYPERVISOR_grant_table_op,
		__HYPERVISOR_vm_assist, __HYPERVISOR_vcpu_op, __HYPERVISOR_sched_op,
		__HYPERVISOR_event_channel_op, __HYPERVISOR_event_channel_op, __HYPERVISOR_physdev_op,
		__HYPERVISOR_hvm_op, HC_KESTREL_NOP };
	uint64_t nr;
	unsigned int p = below(100);

	op_init(op, K_HYPERCALL, STUB_HVC_XEN);
	if (p < 70)
		nr = PICK(known);
	else if (p < 88)
		nr = below(72);
	else
		nr = chance(50) ? HC_TABLE_SIZE + below(1000) :
		     (chance(50) ? rnd() | (1UL << 63) : (rnd() << 32) | PICK(known));
	op->r.in[16] = nr;
	for (unsigned int i = 0; i < 5; i++)
		op->r.in[i] = val_bad();
	switch (nr) {
	case __HYPERVISOR_platform_op: hc_platform(op); break;
	case __HYPERVISOR_memory_op: hc_memory(op); break;
	case __HYPERVISOR_xen_version:
		op->r.in[0] = chance(90) ? below(16) : val_bad();
		op->r.in[1] = chance(10) ? 0 : ptr_any();
		break;
	case __HYPERVISOR_console_io: hc_console(op); break;
	case __HYPERVISOR_grant_table_op: hc_grant_table(op); break;
	case __HYPERVISOR_vm_assist: op->r.in[0] = below(4); op->r.in[1] = below(16); break;
	case __HYPERVISOR_vcpu_op: hc_vcpu(op); break;
	case __HYPERVISOR_sched_op: hc_sched(op); break;
	case __HYPERVISOR_event_channel_op: hc_event_channel(op); break;
	case __HYPERVISOR_physdev_op:
		op->r.in[0] = chance(90) ? below(32) : val_bad();
		op->r.in[1] = struct_arg(64);
		break;
	case __HYPERVISOR_hvm_op: hc_hvm(op); break;
	default:
		break;	/* unknown or unimplemented: arguments that can only fault (val_bad) */
	}
	op->may_change = 0x1f | 1U << 16;	/* x0 (result), x1..x4 arguments, x16 (Xen arch-arm.h) */
	op->exc_max = 0;
	if (!op->what)
		op->what = "hvc #0xea1";
	run(op);
	if (nr >= HC_TABLE_SIZE && (int64_t)op->r.out[0] != -ENOSYS)
		fail(op, "hypercall %lu returned %ld (want %d)", nr, (int64_t)op->r.out[0], -ENOSYS);
	if (op->x0_want && (int64_t)op->r.out[0] != op->x0_want)
		fail(op, "returned %ld (want %ld)", (int64_t)op->r.out[0], op->x0_want);
	if (nr == __HYPERVISOR_event_channel_op)
		hc_event_channel_after(op);
	if (nr == __HYPERVISOR_memory_op)
		hc_memory_after(op);
}

/* ---- SMCCC / PSCI ------------------------------------------------------------ */

static int fid_forbidden(uint32_t fid)
{
	uint32_t f = fid & ~PSCI_64;

	/* The calls that legitimately stop this vCPU or the machine, in both conventions. */
	return f == PSCI_CPU_OFF || f == PSCI_0_2_SYSTEM_OFF || f == PSCI_SYSTEM_RESET ||
	       f == PSCI_SYSTEM_SUSPEND || f == PSCI_SYSTEM_RESET2 || f == PSCI_SYSTEM_OFF2 ||
	       f == PSCI_CPU_FREEZE;
}

static uint64_t mpidr_any(void)
{
	static const uint64_t ids[] = { 0, 1, 2, 3, 0x80000000, 0x80000001, 0x81000000, 0x100, 0x10000,
					0xff00000000UL, 0xffffff, ~0UL };

	return chance(85) ? PICK(ids) : rnd();
}

static void op_smccc(struct op *op)
{
	static const uint32_t known[] = { 0x80000000, 0x80000001, 0x80000002, 0x80008000, 0x80007fff,
		0x80003fff, 0x84000000, 0x84000001, 0xc4000001, 0x84000003, 0xc4000003, 0x84000004,
		0xc4000004, 0x84000005, 0xc4000005, 0x84000006, 0x84000007, 0xc4000007, 0x8400000a,
		0x8400000c, 0xc400000c, 0x8400000d, 0xc400000d, 0x8400000f, 0x84000010, 0xc4000010,
		0x84000011, 0xc4000011, 0x84000013, 0x84000014, 0xc4000014, 0x84000050, 0x84000051,
		0xc4000053, 0x8600ff01, 0x8600ff03, 0x86000000 };
	uint64_t x0;
	uint32_t fid;
	int oracle_unsupported = 0;

	op_init(op, K_SMCCC, chance(80) ? STUB_HVC0 : STUB_SMC0);
	switch (below(10)) {
	case 0: case 1: case 2: case 3: fid = PICK(known); break;
	case 4: fid = 0x84000000U | (uint32_t)below(0x20); break;
	case 5: fid = 0xc4000000U | (uint32_t)below(0x20); break;
	case 6: fid = 0x80000000U | (uint32_t)below(0x10000); break;
	case 7:
		/* Fast calls of a reserved owning entity (7..47): no service, NOT_SUPPORTED. */
		fid = 0x80000000U | (uint32_t)(7 + below(41)) << 24 | (uint32_t)(rnd() & 0x4000ffff);
		oracle_unsupported = 1;
		break;
	default: fid = (uint32_t)rnd(); break;
	}
	if (fid_forbidden(fid))
		fid = 0x84000000;	/* PSCI_VERSION */
	x0 = chance(10) ? (rnd() << 32) | fid : fid;	/* w0 is the ID; the upper half is ignored */
	op->r.in[0] = x0;
	for (unsigned int i = 1; i < 8; i++)
		op->r.in[i] = val_any();
	switch (fid & ~PSCI_64) {
	case PSCI_CPU_ON_32:
		op->r.in[1] = mpidr_any();
		op->r.in[2] = (uintptr_t)kfuzz_secondary;	/* a started vCPU parks there */
		break;
	case PSCI_CPU_SUSPEND_32: case PSCI_CPU_DEFAULT_SUSP:
		op->timer = 1;
		break;
	case 0x84000004:	/* AFFINITY_INFO */
		op->r.in[1] = mpidr_any();
		op->r.in[2] = chance(70) ? 0 : below(4);
		break;
	}
	op->may_change = 0xf;	/* x0..x3: results; x4..x30 preserved (SMCCC v1.1, Arm DEN0028) */
	op->exc_max = 0;
	op->what = op->stub == STUB_HVC0 ? "hvc #0" : "smc #0";
	run(op);
	if (oracle_unsupported && (uint32_t)op->r.out[0] != SMCCC_NOT_SUPPORTED)
		fail(op, "reserved function ID 0x%x returned 0x%lx (want NOT_SUPPORTED)", fid, op->r.out[0]);
}

/* ---- MMIO -------------------------------------------------------------------- */

/* IPA windows of QEMU virt with nothing behind them for dom0, checked against the DT. */
static struct range unmapped[24];
static unsigned int nr_unmapped;

/*
 * Trim [@base, @base + @size) to its part below [@lo, @hi), or above it when it starts
 * inside; a window that guesses at the map (GICv2 frames after GICD on QEMU virt) then
 * stays correct on a domU's map, whose GICD and GICR sit 0x1f000 apart (Xen 4.17
 * public/arch-arm.h GUEST_GICV3_*).
 */
static void clip_window(uint64_t *base, uint64_t *size, uint64_t lo, uint64_t hi)
{
	uint64_t end = *base + *size;

	if (!*size || lo >= hi || end <= lo || *base >= hi)
		return;
	if (*base < lo) {
		*size = lo - *base;
	} else {
		*base = hi < end ? hi : end;
		*size = end - *base;
	}
}

static void add_unmapped(uint64_t base, uint64_t size)
{
	clip_window(&base, &size, plat.gicd, plat.gicd + plat.gicd_size);
	clip_window(&base, &size, plat.gicr, plat.gicr + plat.gicr_size);
	if (nr_unmapped < ARRAY_SIZE(unmapped) && size && !overlaps_mapped(base, size) &&
	    !(base < plat.ram_end && plat.ram < base + size) &&
	    !(plat.hyp_size && base < plat.hyp + plat.hyp_size && plat.hyp < base + size))
		unmapped[nr_unmapped++] = (struct range){ base, size };
}

static void setup_unmapped(void)
{
	uint64_t frames_end = plat.gicr + (uint64_t)plat.vcpus * 0x20000;

	if (kfuzz_gicv2)
		kfuzz_gicv2_unmapped(plat.gicd, add_unmapped);
	else
		add_unmapped(plat.gicd + 0x10000, 0x70000);	/* GICv2 frames, v2m: none here */
	add_unmapped(0x08080000, 0x20000);			/* the ITS: not given to guests */
	if (!kfuzz_gicv2 && plat.gicr_size > frames_end - plat.gicr)	/* redistributors of other pCPUs */
		add_unmapped(frames_end, plat.gicr + plat.gicr_size - frames_end);
	add_unmapped(0x09000000, 0x1000);			/* the hypervisor's UART */
	add_unmapped(0x09040000, 0x0c0000);
	add_unmapped(0x0c000000, 0x02000000);			/* platform bus: empty */
	add_unmapped(0x0e000000, 0x02000000);			/* secure RAM */
	add_unmapped(0x40000000, plat.hyp ? plat.hyp - 0x40000000 : 0x200000);	/* below Kestrel */
	if (plat.hyp && plat.ram > plat.hyp + plat.hyp_size)	/* Kestrel, boot modules, other RAM */
		add_unmapped(plat.hyp + plat.hyp_size, plat.ram - plat.hyp - plat.hyp_size);
	add_unmapped(plat.ram_end, 0x100000000UL);
	add_unmapped(0x2000000000UL, 0x1000000000UL);
	add_unmapped(0x4020000000UL, 0x3000000000UL);
	add_unmapped(1UL << 40, 1UL << 40);			/* beyond a 40-bit IPA space */
	/* A domU's map (Xen 4.17 public/arch-arm.h): below its GIC, GUEST_RAM1 while RAM is under 3 GiB. */
	add_unmapped(0x00100000, 0x00f00000);	/* above the GFNs gfn_safe() may map */
	add_unmapped(0x200000000UL, 0x100000000UL);
}


static uint64_t gicd_offset(void)
{
	static const uint32_t regs[] = { 0x0, 0x4, 0x8, 0xc, 0x10, 0x40, 0x48, 0x50, 0x58, 0x80, 0x84,
		0x100, 0x104, 0x17c, 0x180, 0x184, 0x200, 0x204, 0x280, 0x284, 0x300, 0x304, 0x380, 0x384,
		0x400, 0x420, 0x7f8, 0x800, 0x820, 0xc00, 0xc08, 0xcfc, 0xd00, 0xe00, 0xf00, 0xf10, 0xf20,
		0x6000, 0x6100, 0x6108, 0x7fd8, 0x7fe0, 0xffd0, 0xffe0, 0xffe8, 0xfffc };

	switch (below(4)) {
	case 0: return 0x400 + below(0x400);				/* IPRIORITYR */
	case 1: return 0x6100 + 8 * below(988) + (chance(20) ? 4 : 0);	/* IROUTER */
	case 2: return below(0x10000);
	default: return PICK(regs) + (chance(15) ? below(8) : 0);
	}
}

static uint64_t gicr_offset(void)
{
	static const uint32_t rd[] = { 0x0, 0x4, 0x8, 0xc, 0x10, 0x14, 0x40, 0x48, 0x70, 0x78, 0xa0,
		0xa8, 0xb0, 0xffe8, 0xfffc };
	static const uint32_t sgi[] = { 0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x404,
		0x41c, 0xc00, 0xc04, 0xd00, 0xe00, 0x84, 0x104 };
	/* Mostly our own vCPUs' frames; sometimes the next one, or any in the region. */
	uint64_t frame = chance(80) ? below(plat.vcpus) :
			 chance(50) ? plat.vcpus : below(plat.gicr_size / 0x20000 + 1);
	uint64_t off;

	switch (below(4)) {
	case 0: off = PICK(rd); break;
	case 1: off = 0x10000 + PICK(sgi); break;
	case 2: off = 0x10400 + below(32); break;
	default: off = below(0x20000); break;
	}
	if (chance(10))
		off += below(8);
	return frame * 0x20000 + off;
}

/* ---- HVC/SMC with an immediate that is no interface -------------------------- */

static void gen_badimm(struct stub *s)
{
	uint32_t imm;

	if (chance(70)) {
		do
			imm = (uint32_t)(chance(50) ? below(16) : rnd()) & 0xffff;
		while (imm == 0 || imm == XEN_HYPERCALL_TAG);
		s->insn = INSN_HVC(imm);
		s->what = "hvc #imm";
	} else {
		s->insn = INSN_SMC(1 + (uint32_t)below(0xffff));
		s->what = "smc #imm";
	}
	s->kind = K_BADIMM;
}

/* An Undefined Instruction at the HVC/SMC itself (Arm ARM D1.19, HCR_EL2.HCD; D1.19.3). */
static void op_badimm(struct op *op)
{
	unsigned int i = BADIMM_FIRST + (unsigned int)below(STUBS_PER_PAGE - BADIMM_FIRST);

	op_init(op, K_BADIMM, i);
	op->what = stubs[i].what;
	op->exc_min = op->exc_max = 1;
	op->exc_ec = EC_UNKNOWN;
	op->elr = (uintptr_t)&stub_code(i)[1];
	run(op);
}

/* ---- loads and stores ---------------------------------------------------------- */

/* Register numbers for an instruction: distinct, never SP (31 is XZR/WZR for Rt). */
static unsigned int reg_pick(uint32_t *used, int allow_zr)
{
	unsigned int r;

	do
		r = (unsigned int)below(allow_zr && chance(10) ? 32 : 31);
	while (r < 31 && (*used & (1U << r)));
	if (r < 31)
		*used |= 1U << r;
	return r;
}

/*
 * A load, store or data cache instruction with a base register. Encodings: Arm ARM
 * C4.1 ("Loads and Stores") and C6.2. Besides the single-register forms with an
 * instruction syndrome (ISV = 1) that a hypervisor can emulate, it makes the forms that
 * have none: writeback, pairs, SIMD&FP, DC ZVA.
 */
static void gen_mmio(struct stub *s)
{
	static const unsigned int sizes[] = { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 0, 0, 1 };
	uint32_t used = 0, insn;
	unsigned int rt, rn, size = PICK(sizes), form = (unsigned int)below(32);
	int store = chance(50);

	s->kind = K_MMIO;
	rn = reg_pick(&used, 0);
	rt = reg_pick(&used, 1);
	s->bytes = (uint16_t)(1U << size);
	s->must_fault = 1;
	switch (form) {
	default: {	/* 0..19: LDR/STR/LDRS* (unsigned offset) */
		uint32_t imm = chance(50) ? 0 : (uint32_t)below(64);

		if (!store && size < 3 && chance(30)) {
			int to_w = size < 2 && chance(50);	/* LDRSB/LDRSH Wt, else Xt (LDRSW) */

			insn = 0x39800000U | size << 30 | (uint32_t)to_w << 22;
			s->ext = to_w ? 3 : 2;
		} else {
			insn = 0x39000000U | size << 30 | (store ? 0U : 1U) << 22;
			s->ext = store ? 0 : 1;
		}
		insn |= imm << 10;
		s->rn_off = (int32_t)(imm << size);
		break;
	}
	case 20 ... 21: {	/* LDUR/STUR (unscaled, signed offset) */
		int32_t imm = (int32_t)below(512) - 256;

		insn = 0x38000000U | size << 30 | (store ? 0U : 1U) << 22 | ((uint32_t)imm & 0x1ff) << 12;
		s->ext = store ? 0 : 1;
		s->rn_off = imm;
		break;
	}
	case 22 ... 23:	/* register offset, LSL #0 */
		s->rm = (uint8_t)reg_pick(&used, 0);
		s->rm_val = (uint16_t)below(4096);
		insn = 0x38206800U | size << 30 | (store ? 0U : 1U) << 22 | (uint32_t)s->rm << 16;
		s->ext = store ? 0 : 1;
		s->rn_off = s->rm_val;
		break;
	case 24 ... 25: {	/* pre/post-index: writeback */
		int32_t imm = (int32_t)below(512) - 256;
		int pre = chance(50);

		insn = 0x38000000U | size << 30 | (store ? 0U : 1U) << 22 | ((uint32_t)imm & 0x1ff) << 12 |
		       (pre ? 3U : 1U) << 10;
		s->rn_off = pre ? imm : 0;
		s->writeback = 1;
		break;
	}
	case 26 ... 27: {	/* LDP/STP, 32/64-bit: LDNP, post-index, signed offset, pre-index */
		static const uint32_t modes[] = { 0x28000000U, 0x28800000U, 0x29000000U, 0x29800000U };
		uint32_t mode = PICK(modes), wide = chance(50);
		int32_t imm = (int32_t)below(16) - 8;

		s->rt2 = (uint8_t)reg_pick(&used, 0);	/* LDP with Rt == Rt2 is UNPREDICTABLE */
		insn = mode | (wide ? 2U : 0U) << 30 | (store ? 0U : 1U) << 22 | ((uint32_t)imm & 0x7f) << 15 |
		       (uint32_t)s->rt2 << 10;
		s->bytes = wide ? 16 : 8;
		s->rn_off = mode == 0x28800000U ? 0 : imm * (s->bytes / 2);
		s->writeback = mode == 0x28800000U || mode == 0x29800000U;
		break;
	}
	case 28:	/* LDAR/STLR */
		insn = (store ? 0x089ffc00U : 0x08dffc00U) | size << 30;
		s->ext = store ? 0 : 1;
		break;
	case 29:	/* LDXR/STXR; STXR with the monitor clear need not access memory */
		if (store) {
			s->rs = (uint8_t)reg_pick(&used, 0);
			insn = 0x08007c00U | size << 30 | (uint32_t)s->rs << 16;
			s->must_fault = 0;
		} else {
			insn = 0x085f7c00U | size << 30;
			s->ext = 1;
		}
		break;
	case 30: {	/* SIMD&FP LDR/STR b/h/s/d/q */
		unsigned int vsize = (unsigned int)below(5);

		insn = (vsize == 4 ? 0x3d800000U : 0x3d000000U | vsize << 30) | (store ? 0U : 1U) << 22;
		s->bytes = (uint16_t)(1U << vsize);
		rt = (unsigned int)below(32) | 64;	/* a vector register: no general one written */
		break;
	}
	case 31: {	/* DC ZVA, CIVAC, CVAC, IVAC; QEMU treats all but ZVA as NOPs */
		static const uint32_t dc[] = { 0xd50b7420U, 0xd50b7e20U, 0xd50b7a20U, 0xd5087620U };

		insn = PICK(dc) | rn;
		s->store = -1;
		s->bytes = 64;
		s->must_fault = insn == 0xd50b7420U;
		s->insn = insn;
		s->rn = (uint8_t)rn;
		return;
	}
	}
	s->insn = insn | rn << 5 | (rt & 31);
	s->rn = (uint8_t)rn;
	s->rt = rt >= 64 ? 32 : (uint8_t)rt;
	s->store = (int8_t)store;
	s->wnr = (int8_t)store;
	if (!store && s->rt < 31)
		s->may_change |= 1U << s->rt;
	if (!store && s->rt2 < 31)
		s->may_change |= 1U << s->rt2;
	if (s->rs < 31)
		s->may_change |= 1U << s->rs;
	if (s->writeback)
		s->may_change |= 1U << rn;
}

static uint64_t store_value(void)
{
	static const uint64_t vals[] = { 0, ~0UL, 1, 0xff, 0xffffffff, 0x80000000, 0x80000001, 0xa0a0a0a0,
					 0x1f, 0x10 };

	return chance(50) ? rnd() : PICK(vals);
}

static void op_mmio(struct op *op)
{
	unsigned int i = MMIO_FIRST + (unsigned int)below(MMIO_PAGES * STUBS_PER_PAGE);
	const struct stub *s = &stubs[i];
	int unmapped_ipa = 0;
	uint64_t addr;

	op_init(op, K_MMIO, i);
	switch (below(20)) {
	case 0 ... 8:
		addr = plat.gicd + (kfuzz_gicv2 ? kfuzz_gicv2_gicd_offset(rnd()) : gicd_offset());
		op->what = "gicd";
		break;
	case 9 ... 16:
		addr = plat.gicr + (kfuzz_gicv2 ? kfuzz_gicv2_gicc_offset(rnd()) : gicr_offset());
		op->what = kfuzz_gicv2 ? "gicc" : "gicr";
		break;
	default: {
		const struct range *r = &unmapped[below(nr_unmapped)];

		addr = r->base + below(r->size);
		if (chance(5))
			addr = r->base + r->size - 1 - below(8);	/* at the end: may straddle */
		unmapped_ipa = 1;
		op->what = "unmapped";
		break;
	}
	}
	if (chance(85))		/* mostly aligned to the access size */
		addr &= ~(uint64_t)(s->bytes - 1);
	op->r.in[s->rn] = addr - (uint64_t)(int64_t)s->rn_off;
	if (s->rm < 31)
		op->r.in[s->rm] = s->rm_val;
	if (s->store == 1 && s->rt < 31)
		op->r.in[s->rt] = store_value();
	if (s->store == 1 && s->rt2 < 31)
		op->r.in[s->rt2] = store_value();
	op->may_change = s->may_change;
	op->exc_max = 1;
	op->exc_ec = EC_DABT_CUR;	/* a data abort from the current EL, EL1 */
	op->exc_min = unmapped_ipa && s->must_fault;
	op->far_lo = s->store < 0 ? addr & ~63UL : addr;
	op->far_hi = s->store < 0 ? (addr & ~63UL) + 64 : addr + s->bytes;
	op->wnr = s->wnr;
	if (run(op) == 0 && s->ext && s->rt < 31) {
		uint64_t v = op->r.out[s->rt], bits = s->bytes * 8UL;

		/* An emulated narrow load extends as its instruction says (Arm ARM C6.2). */
		if (s->ext == 1 && bits < 64 && (v >> bits))
			fail(op, "load of %u bytes not zero-extended: x%u = 0x%lx", s->bytes, s->rt, v);
		if (s->ext == 2 && bits < 64 && (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits)) != v)
			fail(op, "load of %u bytes not sign-extended to 64 bits: x%u = 0x%lx", s->bytes, s->rt, v);
		if (s->ext == 3 && ((v >> 32) ||
				    (uint32_t)((int32_t)((uint32_t)v << (32 - bits)) >> (32 - bits)) != (uint32_t)v))
			fail(op, "load of %u bytes not sign-extended to 32 bits: x%u = 0x%lx", s->bytes, s->rt, v);
	}
}

/* ---- system registers -------------------------------------------------------- */

static uint64_t sgi_value(void)
{
	if (chance(20))
		return rnd();
	return below(1UL << 16) |				/* TargetList */
	       (chance(80) ? 0 : below(256)) << 16 |		/* Aff1 */
	       below(16) << 24 |				/* INTID */
	       (chance(80) ? 0 : below(256)) << 32 |		/* Aff2 */
	       (uint64_t)chance(20) << 40 |			/* IRM */
	       (chance(90) ? 0 : below(256)) << 48;		/* Aff3 */
}

static void gen_sysreg(struct stub *s)
{
	/* GIC CPU interface (virtual, through ICH_*_EL2): IHI 0069 12.2. ICC_SRE_EL1 left out. */
	static const uint32_t icc[] = { SYSREG(3, 0, 4, 6, 0), SYSREG(3, 0, 12, 12, 3),
		SYSREG(3, 0, 12, 12, 4), SYSREG(3, 0, 12, 12, 7), SYSREG(3, 0, 12, 12, 0),
		SYSREG(3, 0, 12, 12, 1), SYSREG(3, 0, 12, 12, 2), SYSREG(3, 0, 12, 11, 1),
		SYSREG(3, 0, 12, 11, 3), SYSREG(3, 0, 12, 9, 0), SYSREG(3, 0, 12, 8, 0),
		SYSREG(3, 0, 12, 8, 1), SYSREG(3, 0, 12, 8, 3), SYSREG(3, 0, 12, 12, 6) };
	/* EL1 physical timer (trapped: CNTHCTL_EL2.EL1PCEN = 0), counters, secure timer. */
	static const uint32_t timer[] = { SYSREG(3, 3, 14, 2, 0), SYSREG(3, 3, 14, 2, 1),
		SYSREG(3, 3, 14, 2, 2), SYSREG(3, 3, 14, 0, 1), SYSREG(3, 3, 14, 0, 2),
		SYSREG(3, 7, 14, 2, 0), SYSREG(3, 7, 14, 2, 1) };
	/* Registers of our own the hypervisor must leave alone (with their snapshot index). */
	static const struct { uint32_t enc; int8_t snap; } own[] = {
		{ SYSREG(3, 0, 13, 0, 4), 0 }, { SYSREG(3, 3, 13, 0, 2), 1 }, { SYSREG(3, 3, 13, 0, 3), 2 },
		{ SYSREG(3, 0, 13, 0, 1), 3 }, { SYSREG(3, 0, 7, 4, 0), 4 }, { SYSREG(3, 0, 4, 1, 0), 5 },
		{ SYSREG(3, 0, 5, 1, 0), 6 }, { SYSREG(3, 0, 5, 1, 1), 7 }, { SYSREG(3, 0, 4, 0, 1), 20 },
		{ SYSREG(3, 0, 5, 2, 0), 22 }, { SYSREG(3, 0, 6, 0, 0), 23 } };
	static const uint32_t hints[] = { INSN_WFE, INSN_WFI, INSN_WFI, 0xd503203fU /* YIELD */,
					  0xd503209fU /* SEV */, 0xd50320bfU /* SEVL */ };
	static const unsigned int setway_crm[] = { 6, 10, 14 };	/* DC ISW, CSW, CISW */
	unsigned int rt = (unsigned int)below(31), p = (unsigned int)below(100);
	uint32_t enc;

	s->kind = K_SYSREG;
	s->rt = (uint8_t)rt;
	s->exc_max = 1;		/* an UNDEFINED encoding: one Undefined Instruction */
	if (p < 25) {
		enc = chance(70) ? ICC_SGI1R_EL1 : (chance(50) ? ICC_ASGI1R_EL1 : ICC_SGI0R_EL1);
		s->insn = INSN_MSR(enc, rt);
		s->sub = SR_SGI_W;
		s->exc_max = 0;
		s->what = "msr icc_sgi*r";
	} else if (p < 30) {
		enc = chance(70) ? ICC_SGI1R_EL1 : (chance(50) ? ICC_ASGI1R_EL1 : ICC_SGI0R_EL1);
		s->insn = INSN_MRS(enc, rt);
		s->sub = SR_SGI_R;
		s->exc_min = 1;	/* write-only */
		s->what = "mrs icc_sgi*r";
	} else if (p < 40) {
		s->insn = INSN_SYS(SYSREG(1, 0, 7, PICK(setway_crm), 2), rt);
		s->sub = SR_SETWAY;
		s->exc_max = 0;	/* valid at EL1 */
		s->what = "dc set/way";
	} else if (p < 52) {
		enc = PICK(icc);
		if (chance(50)) {
			s->insn = INSN_MRS(enc, rt);
			s->sub = SR_ICC_R;
			s->may_change = 1U << rt;
		} else {
			s->insn = INSN_MSR(enc, rt);
			s->sub = SR_ICC_W;
			if (enc == SYSREG(3, 0, 4, 6, 0))
				s->snap = SNAP_PMR;
		}
		s->what = "icc";
	} else if (p < 58) {
		enc = PICK(timer);
		if (chance(50)) {
			s->insn = INSN_MRS(enc, rt);
			s->sub = SR_TIMER_R;
			s->may_change = 1U << rt;
		} else {
			s->insn = INSN_MSR(enc, rt);
			s->sub = SR_TIMER_W;
		}
		s->what = "timer";
	} else if (p < 73) {
		s->insn = INSN_MRS(SYSREG(2 + below(2), below(8), below(16), below(16), below(8)), rt);
		s->sub = SR_MRS_ANY;
		s->may_change = 1U << rt;
		s->what = "mrs any";
	} else if (p < 83) {	/* EL2/EL3 encodings: UNDEFINED at EL1 */
		s->insn = INSN_MSR(SYSREG(2 + below(2), 4 + below(4), below(16), below(16), below(8)), rt);
		s->sub = SR_MSR_EL2;
		s->what = "msr el2/el3";
	} else if (p < 93) {
		unsigned int i = (unsigned int)below(ARRAY_SIZE(own));

		s->insn = INSN_MSR(own[i].enc, rt);
		s->sub = SR_EL1_W;
		s->snap = own[i].snap;
		s->exc_max = 0;
		s->what = "msr el1";
	} else {		/* WFE returns at once, WFI waits for the armed timer */
		s->insn = PICK(hints);
		s->sub = SR_HINT;
		s->rt = 32;
		s->timer = 1;
		s->exc_max = 0;
		s->what = "hint";
	}
	if (kfuzz_gicv2 && s->sub <= SR_ICC_W && s->sub != SR_SETWAY) {
		/* No GICv3 CPU interface: its encodings are UNDEFINED (Arm ARM D1.19; IHI 0069 12.1). */
		s->exc_min = s->exc_max = 1;
		s->may_change = 0;
		s->snap = -1;
	}
}

/*
 * Does MRS @insn read the ID space (op0 3, op1 0, 1 or 3, CRn 0, CRm 0-7) on a CPU with
 * FEAT_IDST (ID_AA64MMFR2_EL1.IDS != 0, as the hypervisor shows it)? An unallocated register
 * there traps to EL1 with EC 0x18, not as an undef (Arm ARM D19.2, ID_AA64MMFR2_EL1.IDS;
 * QEMU -cpu max has it).
 */
static int idst_read(uint32_t insn)
{
	unsigned int op0 = insn >> 19 & 3, op1 = insn >> 16 & 7, crn = insn >> 12 & 15, crm = insn >> 8 & 15;

	return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm <= 7 &&
	       (MRS(S3_0_C0_C7_2) >> 36 & 0xf);
}

static void op_sysreg(struct op *op)
{
	unsigned int i = SYSREG_FIRST + (unsigned int)below(NR_STUBS - SYSREG_FIRST);
	const struct stub *s = &stubs[i];
	uint64_t v;

	op_init(op, K_SYSREG, i);
	switch (s->sub) {
	case SR_SGI_W: v = sgi_value(); break;
	case SR_SETWAY: v = chance(50) ? rnd() : (below(8) << 1 | below(1024) << 6 | below(16) << 28); break;
	case SR_ICC_W:
		v = chance(50) ? below(1024) : rnd();
		/*
		 * QEMU 7.2 clamps a virtual ICC_BPR0/1_EL1 write to the minimum before taking
		 * bits [2:0], so e.g. 8 stores BPR1 = 0 and QEMU aborts on an assertion
		 * (icv_gprio_mask). Hardware ignores the RES0 bits; so do we, for QEMU's sake.
		 */
		if ((s->insn & ~31U) == INSN_MSR(SYSREG(3, 0, 12, 12, 3), 0) ||
		    (s->insn & ~31U) == INSN_MSR(SYSREG(3, 0, 12, 8, 3), 0))
			v &= 7;
		break;
	case SR_TIMER_W: v = chance(50) ? below(8) : rnd(); break;
	case SR_MSR_EL2: v = val_any(); break;
	default: v = rnd(); break;
	}
	if (s->rt < 31)
		op->r.in[s->rt] = v;
	op->may_change = s->may_change;
	op->exc_min = s->exc_min;
	op->exc_max = s->exc_max;
	op->exc_ec = EC_UNKNOWN;
	if (s->sub == SR_MRS_ANY && idst_read(s->insn))
		op->exc_ec = EC_SYSREG;
	op->timer = s->timer;
	op->el1_writes = s->snap >= 0 ? 1U << s->snap : 0;
	op->what = s->what;
	run(op);
}

/* ---- taking interrupts ------------------------------------------------------- */

/*
 * Interrupt windows: the guest otherwise runs with IRQs masked, so the list registers
 * only ever hold pending interrupts. A window unmasks IRQs for a moment; kfuzz_irq()
 * acknowledges what arrives (pending -> active), completes it (EOIR, and DIR when
 * ICC_CTLR_EL1.EOImode says so), and the hypervisor retires and refills the list
 * registers. An interrupt that keeps coming is cut off after IRQ_STORM entries by
 * returning with IRQs masked. Half the windows first tidy up what the other
 * operations left in our GIC (gic_tidy()) and send us an SGI: that one must arrive.
 * GIC CPU interface: IHI 0069 12.2; distributor and redistributor: 12.9-12.11.
 */

void kfuzz_irq(void)
{
	if (++irq.entries > IRQ_STORM) {
		MSR(spsr_el1, MRS(spsr_el1) | PSR_I);	/* close the window */
		irq.cut++;
		return;
	}
	for (unsigned int i = 0; i < 4; i++) {
		uint32_t iar = kfuzz_gicv2 ? kfuzz_gicv2_ack(plat.gicr) : 0;
		uint64_t intid = kfuzz_gicv2 ? iar & 0x3ff : MRS(ICC_IAR1) & 0xffffff;

		if (intid >= 1020) {
			irq.spurious += i == 0;
			return;
		}
		irq.taken++;
		if (intid == VTIMER_PPI)
			MSR(cntv_ctl_el0, 0);	/* level: stop it at the source */
		if (kfuzz_gicv2) {
			kfuzz_gicv2_eoi(plat.gicr, iar);
			continue;
		}
		MSR(ICC_EOIR1, intid);
		if (MRS(ICC_CTLR) & ICC_CTLR_EOIMODE)
			MSR(ICC_DIR, intid);
		__asm__ volatile("isb");
	}
}


/*
 * Undo what random operations did to our interrupt state: every interrupt deactivated
 * (DIR, with EOImode 1) and its pending state cleared, no active priority left, the
 * priority mask open, group 1 and the distributor enabled, the redistributor awake.
 * Then the list registers are free and nothing can keep a new interrupt out.
 */
#define GICD_CTLR_G1_ARE	0x12	/* EnableGrp1, ARE (one security state) */
#define GICR_WAKER		0x14
#define GICR_ICPENDR0		0x10280
#define GICR_IPRIORITYR0	0x10400
#define GICD_ICPENDR		0x280

static void gic_tidy(void)
{
	unsigned int nr_intids = 32 * ((mmio_read32(plat.gicd + 4) & 0x1f) + 1);	/* GICD_TYPER */

	if (kfuzz_gicv2) {
		kfuzz_gicv2_tidy(plat.gicd, plat.gicr);
		return;
	}
	MSR(ICC_CTLR, ICC_CTLR_EOIMODE);
	__asm__ volatile("isb");
	for (unsigned int intid = 0; intid < nr_intids && intid < 1020; intid++)
		MSR(ICC_DIR, intid);
	MSR(S3_0_C12_C9_0, 0);				/* ICC_AP1R0_EL1 */
	MSR(ICC_CTLR, 0);
	MSR(S3_0_C4_C6_0, 0xff);			/* ICC_PMR_EL1 */
	MSR(S3_0_C12_C12_7, 1);				/* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
	mmio_write32(plat.gicr + GICR_ICPENDR0, ~0U);
	for (unsigned int i = 1; i < nr_intids / 32; i++)
		mmio_write32(plat.gicd + GICD_ICPENDR + 4 * i, ~0U);
	mmio_write32(plat.gicd, GICD_CTLR_G1_ARE);
	mmio_write32(plat.gicr + GICR_WAKER, 0);
}

static void op_irq_window(void)
{
	uint64_t spins = 1 + below(200);
	int tidy = chance(50);

	if (tidy) {
		uint32_t sgi = (uint32_t)below(16);

		gic_tidy();
		if (kfuzz_gicv2) {
			kfuzz_gicv2_self_sgi(plat.gicd, sgi, (uint8_t)(below(0xf0) & 0xf0));
		} else {
			mmio_write8(plat.gicr + GICR_IPRIORITYR0 + sgi, (uint8_t)(below(0xf0) & 0xf0));
			mmio_write32(plat.gicr + GICR_ISENABLER0, 1U << sgi);
			MSR(S3_0_C12_C11_5, (uint64_t)sgi << 24 | 1);	/* ICC_SGI1R_EL1: to ourselves */
		}
		__asm__ volatile("isb");
	}
	if (chance(30))
		timer_arm();
	irq.entries = 0;
	kfuzz_irq_window = 1;
	__asm__ volatile("msr daifclr, #2\n\tisb\n"
			 "1:\tsubs %0, %0, #1\n\tb.ne 1b\n\t"
			 "msr daifset, #2\n\tisb"
			 : "+r"(spins) : : "cc", "memory");
	kfuzz_irq_window = 0;
	timer_disarm();
	st.by_kind[K_IRQWIN]++;
	if (tidy && irq.entries == 0 && st.fails++ < st.max_fails)
		kprintf("KFUZZ FAIL op=%lu phase=%u irqwin: an enabled SGI of priority below the mask, sent "
			"to ourselves, was not taken with interrupts unmasked\n", st.op, st.phase);
}

/* ---- generating the stubs ------------------------------------------------------ */

static void stub_write(unsigned int i)
{
	uint32_t *p = (uint32_t *)stub_code(i);
	int64_t back = (int64_t)(uintptr_t)kfuzz_stub_return - (int64_t)(uintptr_t)&p[2];

	p[0] = 0xf9400000U | (KFUZZ_SP_X30 / 8) << 10 | 31 << 5 | 30;	/* LDR X30, [SP, #KFUZZ_SP_X30] */
	p[1] = stubs[i].insn;
	p[2] = 0x14000000U | ((uint32_t)(back >> 2) & 0x3ffffff);	/* B kfuzz_stub_return */
	p[3] = 0;							/* UDF #0: never reached */
}

static void gen_page(unsigned int page)
{
	uint64_t start = (uintptr_t)stub_code(page * STUBS_PER_PAGE);

	for (unsigned int i = page * STUBS_PER_PAGE; i < (page + 1) * STUBS_PER_PAGE; i++) {
		struct stub *s = &stubs[i];

		memset(s, 0, sizeof(*s));
		s->rt = s->rt2 = s->rn = s->rm = s->rs = 32;
		s->wnr = s->snap = -1;
		if (i == STUB_HVC_XEN) {
			s->insn = INSN_HVC(XEN_HYPERCALL_TAG);
			s->kind = K_HYPERCALL;
		} else if (i == STUB_HVC0 || i == STUB_SMC0) {
			s->insn = i == STUB_HVC0 ? INSN_HVC(0) : INSN_SMC(0);
			s->kind = K_SMCCC;
		} else if (page == 0) {
			gen_badimm(s);
		} else if (page <= MMIO_PAGES) {
			gen_mmio(s);
		} else {
			gen_sysreg(s);
		}
		stub_write(i);
	}
	/* Make the new code visible to instruction fetch (Arm ARM B2.4.4, D7.5.8). */
	for (uint64_t a = start; a < start + PAGE; a += 64)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (uint64_t a = start; a < start + PAGE; a += 64)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

/* ---- the hidden features' own registers -------------------------------------------- */

/*
 * Registers of the features Kestrel hides (docs/id-registers.md, "Other traps"): a read gives
 * an undef, except the PMU's and the debug registers', which read as zero. Encodings: Arm ARM
 * D19 (op0, op1, CRn, CRm, op2). On a CPU without the feature the register is unallocated,
 * an undef as well: the answer is the same on every CPU, as the policy wants.
 */
static const struct {
	uint32_t enc;
	uint8_t raz;
	const char *name;
} hidden_regs[] = {
	{ SYSREG(3, 0, 1, 2, 0), 0, "ZCR_EL1 (SVE)" },
	{ SYSREG(3, 0, 1, 2, 6), 0, "SMCR_EL1 (SME)" },
	{ SYSREG(3, 0, 1, 0, 6), 0, "GCR_EL1 (MTE)" },
	{ SYSREG(3, 0, 1, 0, 5), 0, "RGSR_EL1 (MTE)" },
	{ SYSREG(3, 0, 5, 6, 0), 0, "TFSR_EL1 (MTE)" },
	{ SYSREG(3, 0, 5, 6, 1), 0, "TFSRE0_EL1 (MTE)" },
	{ SYSREG(3, 0, 9, 9, 0), 0, "PMSCR_EL1 (SPE)" },
	{ SYSREG(3, 0, 9, 9, 7), 0, "PMSIDR_EL1 (SPE)" },
	{ SYSREG(3, 0, 9, 11, 0), 0, "TRBLIMITR_EL1 (TRBE)" },
	{ SYSREG(3, 0, 9, 11, 7), 0, "TRBIDR_EL1 (TRBE)" },
	{ SYSREG(3, 3, 13, 2, 0), 0, "AMCR_EL0 (AMU)" },
	{ SYSREG(3, 3, 13, 2, 1), 0, "AMCFGR_EL0 (AMU)" },
	{ SYSREG(3, 0, 5, 3, 0), 0, "ERRIDR_EL1 (RAS)" },
	{ SYSREG(3, 0, 10, 4, 3), 0, "LORC_EL1 (LOR)" },
	{ SYSREG(3, 0, 15, 0, 0), 0, "IMPDEF CRn 15" },
	{ SYSREG(3, 0, 11, 0, 0), 0, "IMPDEF CRn 11" },
	{ SYSREG(3, 3, 9, 12, 0), 1, "PMCR_EL0 (PMU)" },
	{ SYSREG(3, 3, 9, 13, 0), 1, "PMCCNTR_EL0 (PMU)" },
	{ SYSREG(2, 0, 0, 2, 2), 1, "MDSCR_EL1 (debug)" },
};

/* Make stub @i's new code visible to instruction fetch (Arm ARM B2.4.4). */
static void stub_sync(unsigned int i)
{
	uint64_t a = (uintptr_t)stub_code(i);

	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(a) : "memory");
}

/* Read each of hidden_regs[] from a stub: the number of answers the policy does not give. */
static unsigned int check_hidden_regs(void)
{
	unsigned int i = SYSREG_FIRST, fails = 0;
	uint32_t saved = stubs[i].insn;
	uint64_t cpacr = MRS(cpacr_el1);

	/*
	 * CPACR_EL1.ZEN and SMEN (bits 17:16, 25:24; RES0 without SVE or SME) = 0b11: no trap of
	 * ZCR_EL1 and SMCR_EL1 to EL1 (EC 0x19, 0x1d: this guest's own choice, which the
	 * architecture puts before the hypervisor's), so what answers is Kestrel's CPTR_EL2.
	 */
	MSR(cpacr_el1, cpacr | 3UL << 16 | 3UL << 24);
	__asm__ volatile("isb");
	for (unsigned int h = 0; h < ARRAY_SIZE(hidden_regs); h++) {
		struct kfuzz_regs r;
		uint64_t n0 = kfuzz_exc.count, undef0 = kfuzz_exc.by_ec[EC_UNKNOWN], took, undefs;

		memset(&r, 0, sizeof(r));
		r.in[0] = 0x5a5a5a5a5a5a5a5aUL;
		stubs[i].insn = INSN_MRS(hidden_regs[h].enc, 0);
		stub_write(i);
		stub_sync(i);
		kfuzz_call(&r, stub_code(i));
		took = kfuzz_exc.count - n0;
		undefs = kfuzz_exc.by_ec[EC_UNKNOWN] - undef0;
		if (hidden_regs[h].raz ? took || r.out[0] : took != 1 || undefs != 1) {
			kprintf("KFUZZ FAIL hidden %s: %lu exception(s) (ESR 0x%lx), x0 0x%lx; want %s\n",
				hidden_regs[h].name, took, took ? kfuzz_exc.esr : 0, r.out[0],
				hidden_regs[h].raz ? "0, no exception" : "one undef");
			fails++;
		}
	}
	MSR(cpacr_el1, cpacr);
	__asm__ volatile("isb");
	stubs[i].insn = saved;
	stub_write(i);
	stub_sync(i);
	kprintf("KFUZZ hidden registers=%u failed=%u\n", (unsigned int)ARRAY_SIZE(hidden_regs), fails);
	return fails;
}

/* ---- the run ----------------------------------------------------------------- */

static void one_op(void)
{
	struct op op;
	unsigned int p = (unsigned int)below(100);

	switch (st.only) {	/* "only=<kind + 1>": one kind of operation (debugging, timing) */
	case K_HYPERCALL + 1: p = 0; break;
	case K_SMCCC + 1: p = 40; break;
	case K_BADIMM + 1: p = 50; break;
	case K_MMIO + 1: p = 60; break;
	case K_SYSREG + 1: p = 90; break;
	case K_IRQWIN + 1: p = 99; break;
	}
	if (p < 36)
		op_hypercall(&op);
	else if (p < 50)
		op_smccc(&op);
	else if (p < 53)
		op_badimm(&op);
	else if (p < 82)
		op_mmio(&op);
	else if (p < 98)
		op_sysreg(&op);
	else
		op_irq_window();
}

static void phase(unsigned int n)
{
	st.phase = n;
	if (n == 1)
		mmu_enable_identity(ktest_load_addr);
	if (n == 2)
		mmu_remap_gib(0, 1);	/* the devices and the vGIC as Normal memory */
	kprintf("KFUZZ phase %u at op %lu: MMU %s%s\n", n, st.op, mmu_is_on() ? "on" : "off",
		n == 2 ? ", GiB 0 (devices, vGIC) mapped as Normal memory" : "");
}

_Noreturn void kfuzz_fatal(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	kprintf("KFUZZ FATAL unexpected exception at op %lu: vector 0x%lx ESR 0x%lx (EC 0x%lx) ELR 0x%lx FAR 0x%lx\n",
		st.op, vector, esr, ESR_EC(esr), elr, far);
	system_off();
}

_Noreturn void ktest_main(uint64_t dtb, uint64_t load_addr)
{
	struct sums start, end;
	uint64_t t0, t1, exceptions = 0;

	MSR(vbar_el1, (uintptr_t)kfuzz_vectors);
	__asm__ volatile("isb");
	ktest_load_addr = load_addr;
	if (parse_dtb(dtb)) {
		kprintf("KFUZZ FATAL cannot read the device tree at 0x%lx\n", dtb);
		system_off();
	}
	if (!plat.vcpus)
		plat.vcpus = 1;
	if (kfuzz_gicv2)
		kfuzz_gicv2_init(plat.gicr);
	st.seed = bootarg("seed", 1);
	st.ops = bootarg("ops", 10000);
	st.max_fails = bootarg("fails", MAX_FAILS_PRINTED);	/* failures printed in full */
	st.trace = bootarg("trace", ~0UL);	/* print every operation from this one on */
	st.only = bootarg("only", 0);
	rng = st.seed;
	st.timer_delta = read_cntfrq() / 20000 + 1;	/* 50 us: ends any wait soon */
	scratch = plat.ram_end - SCRATCH_SIZE;
	pattern_region = (plat.ram + (plat.ram_end - plat.ram) / 2) & ~(PAGE - 1);
	setup_unmapped();
	for (unsigned int page = 0; page < KFUZZ_STUB_PAGES; page++)
		gen_page(page);
	for (uint64_t i = 0; i < ARRAY_SIZE(pattern_page); i++)
		pattern_page[i] = pattern_value(st.seed, i);
	for (uint64_t i = 0; i < PATTERN_REGION / 8; i++)
		((volatile uint64_t *)(uintptr_t)pattern_region)[i] = pattern_value(~st.seed, i);
	checksums(&start);
	st.fails += kfuzz_idregs_check(plat.vcpus);
	st.fails += check_hidden_regs();

	kprintf("KFUZZ start seed=%lu ops=%lu RAM 0x%lx-0x%lx DTB 0x%lx vCPUs %u GICD 0x%lx %s 0x%lx+0x%lx "
		"hypervisor window 0x%lx+0x%lx, %u unmapped windows\n", st.seed, st.ops, plat.ram, plat.ram_end,
		dtb, plat.vcpus, plat.gicd, kfuzz_gicv2 ? "GICv2 GICC" : "GICR", plat.gicr, plat.gicr_size,
		plat.hyp, plat.hyp_size, nr_unmapped);
	t0 = read_cntvct();
	for (st.op = 0; st.op < st.ops; st.op++) {
		if (st.op == 0 || st.op == st.ops / 3 || st.op == 2 * st.ops / 3)
			phase(st.op == 0 ? 0 : st.op == st.ops / 3 ? 1 : 2);
		if (st.op && st.op % 20000 == 0)
			kprintf("KFUZZ progress op=%lu failed=%lu\n", st.op, st.fails);
		if (st.op % STUB_REFRESH == STUB_REFRESH - 1)
			gen_page((unsigned int)below(KFUZZ_STUB_PAGES));
		one_op();
	}
	t1 = read_cntvct();

	checksums(&end);
	for (unsigned int i = 0; i < 64; i++)
		exceptions += kfuzz_exc.by_ec[i];
	kprintf("KFUZZ seed=%lu ops=%lu hypercalls=%lu smccc=%lu badimm=%lu mmio=%lu sysreg=%lu "
		"irqwin=%lu undef=%lu dabt=%lu exceptions=%lu irqs=%lu irqstorms=%lu\n", st.seed, st.op,
		st.by_kind[K_HYPERCALL], st.by_kind[K_SMCCC], st.by_kind[K_BADIMM], st.by_kind[K_MMIO],
		st.by_kind[K_SYSREG], st.by_kind[K_IRQWIN], kfuzz_exc.by_ec[EC_UNKNOWN],
		kfuzz_exc.by_ec[EC_DABT_CUR], exceptions, irq.taken, irq.cut);
	kprintf("KFUZZ time ticks=%lu cntfrq=%lu\n", t1 - t0, read_cntfrq());
	kprintf("KFUZZ checks failed=%lu\n", st.fails);
	kprintf("KFUZZ checksum pattern=0x%016lx code=0x%016lx dtb=0x%016lx\n", end.pattern, end.code, end.dtb);
	kprintf("KFUZZ pattern-checksum %s (start 0x%016lx)\n", start.pattern == end.pattern ? "OK" : "CHANGED",
		start.pattern);
	kprintf("KFUZZ code-checksum %s (start 0x%016lx)\n", start.code == end.code ? "OK" : "CHANGED", start.code);
	kprintf("KFUZZ dtb-checksum %s (start 0x%016lx)\n", start.dtb == end.dtb ? "OK" : "CHANGED", start.dtb);
	kprintf("KFUZZ survived\n");
	system_off();
}
