// SPDX-License-Identifier: Apache-2.0
/*
 * Benchmark guest: a bare-metal arm64 Image that measures the cost of the guest's trap
 * paths, booted as dom0 on Kestrel or directly on QEMU virt without EL2 ("native").
 *
 * Method: under QEMU's -icount shift=0,sleep=off the virtual clock advances 1 ns per
 * executed instruction (every CPU, every EL), so CNTVCT_EL0 at CNTFRQ_EL0 = 62.5 MHz
 * counts instructions in ticks of 16, the same in every run. Each row runs a loop of N
 * operations (bench_loops.S), subtracts the same loop without the operation, keeps the
 * minimum over REPS repetitions and prints instructions per operation with one decimal:
 *	KBENCH <row> <instructions_per_op>	or	KBENCH <row> n/a <reason>
 * then "KBENCH DONE", and powers off with PSCI SYSTEM_OFF. The rows, and what the native
 * run measures instead, are described in tests/bench/run_bench.py (ROWS) and in the report
 * it writes, docs/benchmarks.md.
 *
 * Mode: ID_AA64PFR0_EL1.EL2 (bits [11:8], Arm ARM, ID_AA64PFR0_EL1) is 0 on QEMU virt without
 * virtualization=on and nonzero under Kestrel (which does not trap the ID registers).
 * Output goes through console_io on Kestrel and straight to the PL011 natively.
 */
#include "ktest.h"

#define BENCH_N			4096	/* operations per loop */
#define BENCH_CONSOLE_N		64	/* console rows: 4 KiB of output per loop */
#define BENCH_REPS		5	/* repetitions; the minimum is kept */
#define ICOUNT_CNTFRQ		62500000UL	/* QEMU: GTIMER_SCALE, 16 ns per tick */

/*
 * vm_switch: the SCHEDOP_yield ping-pong between two vCPUs; it measures a switch when
 * both share one pCPU, which run_bench.py arranges (-smp 1, dom0_max_vcpus=2) and tells
 * the guest with SWITCH_ONLY in its command line: then only that row is measured (the IPI
 * rows would wait for time slices there).
 */
#define SWITCH_ONLY		"bench.vm_switch_only"

/* QEMU virt memory map (hw/arm/virt.c, base_memmap). */
#define VIRT_GICD		0x08000000UL
#define VIRT_GICR		0x080a0000UL
#define VIRT_UART		0x09000000UL

/* GICv3 registers (Arm IHI 0069: 12.9 GICD, 12.10 GICR RD_base, 12.11 GICR SGI_base). */
#define GICD_CTLR		0x0000
#define GICD_CTLR_ENABLE_G0_G1NS 0x3	/* bits 0, 1: the Group 1 enable in either view */
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_RWP		(1U << 31)
#define GICR_FRAME		0x20000
#define GICR_MAX_FRAMES		64
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_CHILDREN	(1U << 2)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180

/* ICC_SGI1R_EL1 fields (IHI 0069, ICC_SGI1R_EL1): TargetList [15:0], INTID [27:24]. */
#define SGI1R(intid, targets)	((uint64_t)(intid) << 24 | (targets))
#define SGI_SELF		1	/* vCPU 0 to itself */
#define SGI_REMOTE		2	/* vCPU 0 to vCPU 1 */

/* PSCI (Arm DEN0022 5.1). */
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_SUCCESS		0

/* Xen sched_op (public/sched.h). */
#define HC_SCHED_OP		29
#define SCHEDOP_YIELD		0

#define PL011_FR		0x18
#define PL011_FR_TXFF		(1U << 5)

uint64_t ktest_load_addr;	/* where head.S found us running; lib.c and mmu.c use it */

/* Interrupts counted by the IRQ handler (bench_vectors.S): [INTID] for 0..31, [32] others. */
volatile uint32_t bench_irq_count[33];

/* vCPU 1: 0 = not started, 1 = in its WFI loop, -1 = failed to set up its GIC. */
static volatile int secondary_state;
static volatile uint64_t secondary_mpidr;
/* vm_switch: vCPU 1 serves the ping-pong while pingpong_on; pingpong_turn is the ball. */
static volatile uint32_t pingpong_on, pingpong_turn;

static int on_kestrel;
static uint64_t cntfrq;

typedef uint64_t (*loop_fn)(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_empty(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_xen_version(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_sched_yield(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_psci_version(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_svc(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_mmio_read32(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_mmio_write32(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_mmio_read64(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_mmio_write64(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_sgi_write(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_id_reg_read(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_ipi(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_console_io_64(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_pl011_write_64(uint64_t n, uint64_t a, uint64_t b);
uint64_t bench_loop_yield_pingpong(uint64_t n, uint64_t a, uint64_t b);
extern char ktest_vectors[], bench_svc_vectors[], bench_timer_vectors[], bench_secondary_entry[];
volatile uint64_t bench_timer_stamp;	/* CNTVCT_EL0 at the timer IRQ handler (bench_vectors.S) */

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)addr = val;
}

static uint64_t read_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

/* Affinity of an MPIDR packed as in GICR_TYPER[63:32]: Aff3.Aff2.Aff1.Aff0. */
static uint32_t mpidr_affinity(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 8) & 0xff000000) | (uint32_t)(mpidr & 0xffffff);
}

/* Console: one console_io write per call on Kestrel, the PL011 data register natively. */
static void out(const char *s, size_t len)
{
	if (on_kestrel) {
		console_write(s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		while (mmio_read32(VIRT_UART + PL011_FR) & PL011_FR_TXFF)
			;
		mmio_write32(VIRT_UART, (uint8_t)s[i]);
	}
}

/* printf to the console, "\n" sent as "\r\n". */
static void bprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bprintf(const char *fmt, ...)
{
	char line[200], buf[400];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (const char *s = line; *s; s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = *s;
	}
	out(buf, n);
}

static _Noreturn void power_off(void)
{
	psci_call(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/**
 * bench_fatal() - report an exception the benchmark did not expect and power off.
 * @vector: offset of the vector taken in VBAR_EL1's table; @esr, @elr, @far: ESR_EL1,
 * ELR_EL1, FAR_EL1 at the exception (Arm ARM, those registers).
 * Called from bench_vectors.S; never returns.
 */
_Noreturn void bench_fatal(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	bprintf("KBENCH FATAL exception: vector 0x%lx ESR 0x%lx (EC 0x%lx) ELR 0x%lx FAR 0x%lx\n",
		vector, esr, (esr >> 26) & 0x3f, elr, far);
	power_off();
}

/* The redistributor (RD_base) whose GICR_TYPER affinity is this CPU's, or 0. */
static uint64_t find_redistributor(void)
{
	uint32_t aff = mpidr_affinity(read_mpidr());

	for (unsigned int i = 0; i < GICR_MAX_FRAMES; i++) {
		uint64_t rd = VIRT_GICR + (uint64_t)i * GICR_FRAME;
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

/*
 * This CPU's side of the GICv3 (IHI 0069: ICC_SRE_EL1, ICC_PMR_EL1, ICC_IGRPEN1_EL1,
 * GICR_WAKER, GICR_IGROUPR0, GICR_ISENABLER0): system register interface,
 * priority mask open, Group 1 on, redistributor awake, the two SGIs in Group 1 and enabled.
 * Returns 0, or -1 when no redistributor matches this CPU or it does not wake up.
 */
static int gic_cpu_init(void)
{
	uint64_t sre, rd = find_redistributor();
	uint32_t sgis = 1U << SGI_SELF | 1U << SGI_REMOTE;

	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	__asm__ volatile("msr icc_sre_el1, %0\n\tisb" : : "r"(sre | 1));
	__asm__ volatile("msr icc_pmr_el1, %0" : : "r"(0xffUL));
	__asm__ volatile("msr icc_igrpen1_el1, %0\n\tisb" : : "r"(1UL));
	if (!rd)
		return -1;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (unsigned int i = 0; mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN; i++)
		if (i > 100000)
			return -1;
	mmio_write32(rd + GICR_SGI_BASE + GICR_IGROUPR0,
		     mmio_read32(rd + GICR_SGI_BASE + GICR_IGROUPR0) | sgis);
	mmio_write32(rd + GICR_SGI_BASE + GICR_ISENABLER0, sgis);
	return 0;
}

/* Distributor: affinity routing and Group 1 on (IHI 0069, GICD_CTLR), then wait for RWP. */
static void gic_dist_init(void)
{
	uint32_t ctlr = mmio_read32(VIRT_GICD + GICD_CTLR);

	mmio_write32(VIRT_GICD + GICD_CTLR, ctlr | GICD_CTLR_ARE | GICD_CTLR_ENABLE_G0_G1NS);
	for (unsigned int i = 0; i < 100000 && (mmio_read32(VIRT_GICD + GICD_CTLR) & GICD_CTLR_RWP); i++)
		;
}

/*
 * YIELD (Arm ARM, A64 YIELD), as Linux's cpu_relax() in a wait loop: a hint, no trap. Under
 * QEMU's round-robin TCG (single-threaded with -icount) it also hands the host thread to
 * the next vCPU, which is what lets vCPU 1 run while vCPU 0 waits for it.
 */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

static inline void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/* vm_switch, vCPU 1's side: hand the ball back and yield, until vCPU 0 ends the game. */
static void pingpong_serve(void)
{
	while (pingpong_on) {
		if (pingpong_turn)
			pingpong_turn = 0;
		hypercall(HC_SCHED_OP, SCHEDOP_YIELD, 0, 0);
		cpu_relax();
	}
}

/**
 * bench_secondary_main() - vCPU 1 after PSCI CPU_ON (bench_secondary_entry): the same
 * identity map as vCPU 0, its own redistributor, then interrupts on and WFI forever; the
 * IRQ handler counts each SGI. @ctx: the CPU_ON context ID (unused). Never returns.
 */
_Noreturn void bench_secondary_main(uint64_t ctx)
{
	(void)ctx;
	mmu_enable_identity(ktest_load_addr);
	secondary_mpidr = read_mpidr();
	if (gic_cpu_init()) {
		secondary_state = -1;
		for (;;)
			__asm__ volatile("wfi");
	}
	irqs_on();
	secondary_state = 1;
	for (;;) {
		__asm__ volatile("wfi" ::: "memory");
		if (pingpong_on)
			pingpong_serve();
	}
}

/* Start vCPU 1 (MPIDR Aff0 = 1 on QEMU virt and on Kestrel); NULL, or why it is not up. */
static const char *start_secondary(void)
{
	uint64_t ret = psci_call(PSCI_CPU_ON_64, (read_mpidr() & 0xff00ffff00UL) | 1,
				 (uint64_t)(uintptr_t)bench_secondary_entry, 0);

	if (ret != PSCI_SUCCESS)
		return "cpu_on_failed";
	for (uint64_t i = 0; !secondary_state; i++) {
		if (i > (1UL << 24))
			return "vcpu1_timeout";
		cpu_relax();
	}
	return secondary_state == 1 ? NULL : "vcpu1_gic_setup_failed";
}

/* Ticks (of CNTVCT_EL0) of one call of @fn; *failed is set when the loop gave up. */
static uint64_t time_loop(loop_fn fn, uint64_t n, uint64_t a, uint64_t b, int *failed)
{
	uint64_t t0 = read_cntvct();

	if (fn(n, a, b))
		*failed = 1;
	return read_cntvct() - t0;
}

struct result {
	const char *na;		/* reason when not measured, else NULL */
	int64_t tenths;		/* instructions per operation x 10, rounded */
};

/*
 * min over BENCH_REPS of (loop of @n @fn) - min of (the empty loop), in instructions per
 * operation x 10: ticks x (1e9 / CNTFRQ) ns per tick, 1 instruction per ns at shift=0.
 */
static struct result measure(loop_fn fn, uint64_t n, uint64_t a, uint64_t b)
{
	uint64_t best_op = ~0UL, best_empty = ~0UL;
	int failed = 0;
	int64_t ticks, den;

	for (unsigned int r = 0; r < BENCH_REPS; r++) {
		uint64_t e = time_loop(bench_loop_empty, n, a, b, &failed);
		uint64_t o = time_loop(fn, n, a, b, &failed);

		best_empty = e < best_empty ? e : best_empty;
		best_op = o < best_op ? o : best_op;
	}
	if (failed)
		return (struct result){ "interrupt_never_arrived", 0 };
	ticks = (int64_t)(best_op - best_empty);
	den = (int64_t)(cntfrq * n);
	/* tenths = ticks * 1e9 * 10 / (cntfrq * n), rounded half away from zero */
	return (struct result){ NULL, (ticks * 10000000000L + (ticks < 0 ? -den : den) / 2) / den };
}

static void print_row(const char *name, struct result r)
{
	int64_t v = r.tenths < 0 ? -r.tenths : r.tenths;

	if (r.na)
		bprintf("KBENCH %s n/a %s\n", name, r.na);
	else
		bprintf("KBENCH %s %s%ld.%ld\n", name, r.tenths < 0 ? "-" : "", v / 10, v % 10);
}

/* The native floor of an exception round trip: SVC #0 to a handler that only ERETs. */
static struct result measure_svc_floor(void)
{
	struct result r;

	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_svc_vectors) : "memory");
	r = measure(bench_loop_svc, BENCH_N, 0, 0);
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(ktest_vectors) : "memory");
	return r;
}

static struct result measure_vm_switch(void)
{
	struct result r;

	if (!on_kestrel)
		return (struct result){ "no_hypervisor", 0 };
	if (secondary_state != 1)
		return (struct result){ "vcpu1_not_online", 0 };
	pingpong_turn = 0;
	pingpong_on = 1;
	/* Wake vCPU 1 into pingpong_serve() (its WFI ends with this SGI). */
	__asm__ volatile("msr icc_sgi1r_el1, %0\n\tisb" : : "r"(SGI1R(SGI_REMOTE, 1U << 1)));
	r = measure(bench_loop_yield_pingpong, BENCH_N, (uint64_t)(uintptr_t)&pingpong_turn, 0);
	pingpong_on = 0;
	r.tenths /= 2;	/* one round is two switches: to vCPU 1 and back */
	return r;
}

static char console_line[64];

#define VTIMER_PPI		27	/* the virtual timer's PPI (QEMU virt DT; Kestrel's dom0 too) */
#define LATENCY_ROUNDS		64
#define LATENCY_DELAY		2000	/* counter ticks from arming to the deadline */

/*
 * Virtual interrupt latency: arm the virtual timer LATENCY_DELAY ticks ahead, wait for it
 * (spinning, or in WFI as an idle kernel does) and take the counter at the IRQ handler's
 * second instruction (bench_timer_vectors): the deadline to the handler, in instructions
 * (16 per tick under -icount), averaged over LATENCY_ROUNDS.
 */
static struct result measure_timer_latency(int wfi)
{
	uint64_t rd = find_redistributor(), total = 0;

	if (!rd)
		return (struct result){ "no_redistributor", 0 };
	mmio_write32(rd + GICR_SGI_BASE + GICR_IGROUPR0,
		     mmio_read32(rd + GICR_SGI_BASE + GICR_IGROUPR0) | 1U << VTIMER_PPI);
	mmio_write32(rd + GICR_SGI_BASE + GICR_ISENABLER0, 1U << VTIMER_PPI);
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_timer_vectors) : "memory");
	for (unsigned int i = 0; i < LATENCY_ROUNDS; i++) {
		uint64_t now, cval;

		bench_timer_stamp = 0;
		__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(now));
		cval = now + LATENCY_DELAY;
		__asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
				 : : "r"(cval), "r"(1UL) : "memory");
		while (!bench_timer_stamp)
			if (wfi)
				__asm__ volatile("wfi" ::: "memory");
		total += bench_timer_stamp - cval;
	}
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(ktest_vectors) : "memory");
	mmio_write32(rd + GICR_SGI_BASE + GICR_ICENABLER0, 1U << VTIMER_PPI);
	/* tenths of instructions: ticks * 1e9 / cntfrq per round */
	return (struct result){ NULL, (int64_t)(total * 10000000000UL / (cntfrq * LATENCY_ROUNDS)) };
}

/*
 * The vGIC registers Linux uses at run time, one row each (IHI 0069 12.9, 12.10, 12.11
 * for the offsets): the set/clear bitmaps with one bit and with every bit of a 32-INTID
 * register, on SPIs 128-159, which no QEMU virt device uses; priority, configuration and
 * routing of the same SPIs; the redistributor's control, wake and type registers and its
 * SGI frame, on PPIs 16-31 (none of them used by the benchmark). Order matters: the
 * enable rows leave those interrupts disabled, so the pend rows queue nothing.
 */
enum gic_op { R32, W32, R64, W64 };

static const struct gic_row {
	const char *name;
	uint8_t op, rd;		/* rd: offset from this vCPU's redistributor, not GICD */
	uint32_t off;
	uint64_t val;
} gic_rows[] = {
	{ "gicd_isenabler_1", W32, 0, 0x110, 1 },
	{ "gicd_isenabler_32", W32, 0, 0x110, 0xffffffff },
	{ "gicd_icenabler_1", W32, 0, 0x190, 1 },
	{ "gicd_icenabler_32", W32, 0, 0x190, 0xffffffff },
	{ "gicd_ispendr_1", W32, 0, 0x210, 1 },
	{ "gicd_ispendr_32", W32, 0, 0x210, 0xffffffff },
	{ "gicd_icpendr_1", W32, 0, 0x290, 1 },
	{ "gicd_icpendr_32", W32, 0, 0x290, 0xffffffff },
	{ "gicd_isactiver_32", W32, 0, 0x310, 0xffffffff },
	{ "gicd_icactiver_32", W32, 0, 0x390, 0xffffffff },
	{ "gicd_isenabler_read", R32, 0, 0x110, 0 },
	{ "gicd_ipriorityr", W32, 0, 0x400 + 128, 0xa0a0a0a0 },
	{ "gicd_icfgr", W32, 0, 0xc00 + 128 / 4, 0 },
	{ "gicd_irouter", W64, 0, 0x6000 + 8 * 128, 0 },
	{ "gicr_ctlr_read", R32, 1, 0x0000, 0 },
	{ "gicr_typer_read", R64, 1, 0x0008, 0 },
	{ "gicr_waker_read", R32, 1, 0x0014, 0 },
	{ "gicr_waker_write", W32, 1, 0x0014, 0 },
	{ "gicr_isenabler0_1", W32, 1, 0x10100, 1U << 20 },
	{ "gicr_isenabler0_16", W32, 1, 0x10100, 0xffff0000 },
	{ "gicr_icenabler0_1", W32, 1, 0x10180, 1U << 20 },
	{ "gicr_icenabler0_16", W32, 1, 0x10180, 0xffff0000 },
	{ "gicr_icpendr0_16", W32, 1, 0x10280, 0xffff0000 },
	{ "gicr_ipriorityr", W32, 1, 0x10400 + 20, 0xa0a0a0a0 },
	{ "gicr_icfgr1", W32, 1, 0x10c04, 0 },
};

static void measure_gic_rows(void)
{
	static const loop_fn loops[] = { [R32] = bench_loop_mmio_read32, [W32] = bench_loop_mmio_write32,
					 [R64] = bench_loop_mmio_read64, [W64] = bench_loop_mmio_write64 };
	uint64_t rd = find_redistributor();

	for (unsigned int i = 0; i < sizeof(gic_rows) / sizeof(gic_rows[0]); i++) {
		const struct gic_row *g = &gic_rows[i];

		if (g->rd && !rd) {
			print_row(g->name, (struct result){ "no_redistributor", 0 });
			continue;
		}
		print_row(g->name, measure(loops[g->op], BENCH_N, (g->rd ? rd : VIRT_GICD) + g->off, g->val));
	}
}

/*
 * Is @word in the device tree at @dtb (in /chosen/bootargs, the only place a command-line
 * word can be)? A byte search of the blob: enough for a test guest's own flag.
 */
static int dtb_has_word(uint64_t dtb, const char *word)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)dtb;
	uint32_t size = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	unsigned int len = 0;

	while (word[len])
		len++;
	for (uint32_t i = 0; size < (1U << 20) && i + len <= size; i++) {
		unsigned int k = 0;

		while (k < len && p[i + k] == (uint8_t)word[k])
			k++;
		if (k == len)
			return 1;
	}
	return 0;
}

/**
 * ktest_main() - the benchmark, called by tests/guests/head.S on vCPU 0 (EL1, MMU off).
 * @dtb: IPA of the device tree (searched for SWITCH_ONLY); @load_addr: where the image runs.
 * Prints the KBENCH rows and powers off; never returns.
 */
_Noreturn void ktest_main(uint64_t dtb, uint64_t load_addr)
{
	uint64_t pfr0, self = SGI1R(SGI_SELF, 1U << (read_mpidr() & 0xf));
	struct result self_ipi, sgi_write, r;
	const char *secondary;

	ktest_load_addr = load_addr;
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	on_kestrel = ((pfr0 >> 8) & 0xf) != 0;
	mmu_enable_identity(load_addr);
	cntfrq = read_cntfrq();
	bprintf("KBENCH-INFO mode=%s cntfrq=%lu n=%u console_n=%u reps=%u\n",
		on_kestrel ? "kestrel" : "native", cntfrq, BENCH_N, BENCH_CONSOLE_N, BENCH_REPS);
	if (cntfrq != ICOUNT_CNTFRQ)
		bprintf("KBENCH-INFO warning: CNTFRQ_EL0 is not QEMU virt's 62.5 MHz\n");

	gic_dist_init();
	if (gic_cpu_init())
		bprintf("KBENCH-INFO warning: vCPU 0's GIC redistributor not found or asleep\n");
	irqs_on();
	secondary = start_secondary();
	bprintf("KBENCH-INFO vcpu1 %s mpidr=0x%lx\n", secondary ? secondary : "online",
		secondary_mpidr);

	if (on_kestrel && dtb_has_word(dtb, SWITCH_ONLY)) {
		print_row("vm_switch", measure_vm_switch());
		bprintf("KBENCH DONE\n");
		power_off();
	}
	if (on_kestrel) {
		print_row("null_hypercall", measure(bench_loop_xen_version, BENCH_N, 0, 0));
		print_row("psci_version", measure(bench_loop_psci_version, BENCH_N, 0, 0));
	} else {
		r = measure_svc_floor();
		print_row("null_hypercall", r);
		print_row("psci_version", r);
	}
	print_row("gicd_read", measure(bench_loop_mmio_read32, BENCH_N, VIRT_GICD + GICD_CTLR, 0));
	print_row("gicd_write", measure(bench_loop_mmio_write32, BENCH_N, VIRT_GICD + GICD_CTLR,
					mmio_read32(VIRT_GICD + GICD_CTLR)));
	measure_gic_rows();
	sgi_write = measure(bench_loop_sgi_write, BENCH_N, SGI1R(SGI_SELF, 0), 0);
	self_ipi = measure(bench_loop_ipi, BENCH_N, self, (uint64_t)(uintptr_t)&bench_irq_count[SGI_SELF]);
	print_row("sgi_write", sgi_write);
	print_row("id_reg_read", measure(bench_loop_id_reg_read, BENCH_N, 0, 0));
	print_row("self_ipi", self_ipi);
	/* Derived: delivery, acknowledge, EOI, return, and retiring the list register. */
	r = self_ipi.na ? self_ipi : sgi_write.na ? sgi_write :
	    (struct result){ NULL, self_ipi.tenths - sgi_write.tenths };
	print_row("virq_complete", r);
	if (secondary)
		print_row("remote_ipi", (struct result){ secondary, 0 });
	else
		print_row("remote_ipi", measure(bench_loop_ipi, BENCH_N, SGI1R(SGI_REMOTE, 1U << 1),
						(uint64_t)(uintptr_t)&bench_irq_count[SGI_REMOTE]));
	/* Here vCPU 1 has a pCPU of its own: vm_switch is measured in a run of its own. */
	print_row("vm_switch", (struct result){ "measured_with_" SWITCH_ONLY, 0 });
	print_row("sched_yield", on_kestrel ? measure(bench_loop_sched_yield, BENCH_N, 0, 0)
					    : measure_svc_floor());

	memset(console_line, '.', sizeof(console_line));
	memcpy(console_line, "KBENCH-FILL 64-byte console write ", 34);
	console_line[62] = '\r';
	console_line[63] = '\n';
	if (on_kestrel)
		r = measure(bench_loop_console_io_64, BENCH_CONSOLE_N, (uint64_t)(uintptr_t)console_line, 0);
	else
		r = measure(bench_loop_pl011_write_64, BENCH_CONSOLE_N, VIRT_UART,
			    (uint64_t)(uintptr_t)console_line);
	print_row("console_write_64", r);
	print_row("virq_latency_spin", measure_timer_latency(0));
	print_row("virq_latency_wfi", measure_timer_latency(1));
	bprintf("KBENCH-INFO irq_count self=%u remote=%u other=%u\n", bench_irq_count[SGI_SELF],
		bench_irq_count[SGI_REMOTE], bench_irq_count[32]);
	bprintf("KBENCH DONE\n");
	power_off();
}
