// SPDX-License-Identifier: Apache-2.0
/*
 * ksched: a bare-metal SMP guest, booted as dom0's kernel, that checks what a vCPU
 * keeps across being descheduled: its registers and its virtual timer.
 *
 * vCPU0 reads the cpu nodes, the GICv3 and /chosen/bootargs from its device tree
 * ("ksched.vcpus=N": how many vCPUs to use, default all the DT lists; "ksched.iters=N"
 * register rounds per vCPU, default 2000; "ksched.rounds=N" timer rounds, default 20;
 * "ksched.slice_us=N" and "ksched.margin_us=N": how late a timer interrupt may be,
 * default 1000 (the hypervisor's time slice) + 2000; "ksched.late_ok=N": how many later
 * ones a vCPU may see and still pass, default 0; "ksched.verbose=1": a line per timer
 * interrupt) and starts the other vCPUs with PSCI CPU_ON, each on its own stack with
 * FP/SIMD enabled and our vectors.
 *
 * Every vCPU then runs its register rounds (ksched_asm.S): x0..x30, q0..q31, FPCR,
 * FPSR, NZCV and its EL1 system registers get a pattern of its own (vCPU number and
 * round), then it spins (counting, or against CNTVCT, noticing when it did not run),
 * yields (sched_op), calls xen_version or waits in WFI for its timer, and compares
 * everything. Interrupts stay masked there, so ELR/SPSR/ESR/FAR_EL1 are the guest's
 * alone. Spread among them come the timer rounds: CNTV_CVAL_EL0 a few ms ahead, the
 * virtual timer PPI (27) enabled in our redistributor, a wait in WFI or a busy spin
 * with IRQs unmasked; the handler checks the interrupt came at CVAL or later, and no
 * later than the tolerance. Shared state is one slot per vCPU written only by it (the
 * MMU stays off, as ktest boots: Device memory, no exclusives), which vCPU0 reads.
 *
 * Output (vCPU0 prints the summary once every vCPU is done or the wait times out):
 *   KSCHED vcpu<N> FAIL <what> iter=<i> got=<hex> want=<hex> mode=<action>
 *   KSCHED vcpu<N> LATE timer round=<r> late_us=<x> tol_us=<t> (<k> of <late_ok> allowed)
 *   KSCHED FAIL cpu_on vcpu<N> ret=<r>
 *   KSCHED vcpu<N> regs PASS iters=<i> preempt_checks=<n> desched=<d>   (or FAIL ... fails=<f>)
 *   KSCHED vcpu<N> timer PASS rounds=<r> max_late_us=<x> early=0 ...   (or FAIL)
 *   KSCHED DONE vcpus=<n> failures=<f>
 * then PSCI SYSTEM_OFF. tests/boot/test_sched_guest.py runs it.
 * GIC: IHI 0069 (GICv3), 12.2 (CPU interface), 12.9-12.11 (GICD, GICR), or IHI 0048B (GICv2,
 * from the DT: GICD and GICC, 4.3-4.4); timer: Arm ARM
 * D11.2; PSCI: DEN0022; device tree: Devicetree Specification v0.4, chapter 5.
 */
#include "ksched.h"
#include "ktest.h"

#define MRS(reg) MRS_(reg)
#define MSR(reg, v) MSR_(reg, v)
#define MRS_(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_) : : "memory"); v_; })
#define MSR_(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DMB() __asm__ volatile("dmb ish" ::: "memory")
#define IRQ_MASK() __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory")
#define IRQ_UNMASK() __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory")

#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1

#define GICD_CTLR		0x0000
#define GICD_CTLR_G1_ARE	0x12	/* EnableGrp1, ARE (one security state) */
/*
 * GICv2 (QEMU virt gic-version=2; IHI 0048B 4.3, 4.4): the timer PPI's bank is in GICD,
 * the CPU interface is GICC (the host's GICV); Group 0, as Kestrel's list registers are.
 */
#define GICD_V2_ENABLE		1U
#define GICD_V2_ISENABLER0	0x0100
#define GICD_V2_IPRIORITYR	0x0400
#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLEGRP0	1U	/* EOImode 0: EOIR deactivates too */
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICR_FRAME		0x20000	/* RD_base + SGI_base, 64 KiB each */
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)
#define GICR_SGI		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR0	0x0400

#define VTIMER_PPI		27
#define CNTV_CTL_ENABLE		1UL
#define CNTV_CTL_ISTATUS	4UL

#define PSCI_CPU_ON_64		0xc4000003U
#define HC_SCHED_OP		29
#define SCHEDOP_YIELD		0

#define MPIDR_AFF_MASK		0xff00ffffffUL
#define MAX_FAIL_LINES		8
#define FDT_MAGIC		0xd00dfeed

static const char *const mode_name[KS_NR_MODES] = { "spin", "timed", "yield", "version", "wfi" };
static const char *const sys_name[KS_NSYS] = {
	"tpidr_el0", "tpidr_el1", "tpidrro_el0", "contextidr_el1", "sp_el0", "par_el1",
	"afsr0_el1", "afsr1_el1", "far_el1", "amair_el1", "mair_el1", "ttbr0_el1", "ttbr1_el1",
	"esr_el1", "elr_el1", "spsr_el1", "cntkctl_el1", "cntv_cval_el0", "vbar_el1",
	"mpidr_el1", "cpacr_el1", "sctlr_el1",
};

/* What vCPU0 found and decided; read-only once the others run. */
static struct {
	unsigned int dt_cpus, vcpus;
	uint64_t mpidr[KS_MAX_VCPUS];
	uint64_t gicd, gicr, gicr_size;	/* on a GICv2, gicr is GICC */
	int gicv2;
	const char *bootargs;
	unsigned int bootargs_len;
	uint64_t iters, rounds, slice_us, margin_us;
	uint64_t freq, tol_ticks, thresh_ticks;
	uint64_t xen_version;
	uint64_t late_ok;	/* late timer interrupts allowed per vCPU */
	uint64_t verbose;	/* "ksched.verbose=1": a line per timer interrupt */
} cfg;

/* One per vCPU, written by that vCPU only (its IRQ handler included); vCPU0 reads them. */
struct slot {
	volatile uint64_t started, done;
	volatile uint64_t iters, rounds;	/* progress */
	uint64_t reg_fails, timer_fails, printed;
	uint64_t preempt_checks, desched, by_mode[KS_NR_MODES];
	uint64_t max_late, early, late, stale, spurious, other_irq, timeouts, wfi_wakes;
	uint64_t gicr_rd;
	volatile uint64_t armed, fired;
	uint64_t cval;
	uint64_t max_step;	/* this timer round's longest time between two readings */
} __attribute__((aligned(64)));

static struct slot slots[KS_MAX_VCPUS];
static struct ks_round round_buf[KS_MAX_VCPUS] __attribute__((aligned(64)));
static volatile uint64_t go;
uint64_t ktest_load_addr;		/* where head.S found us running (lib.c) */
static uint64_t extra_failures;		/* vCPU0's: start-up problems */

_Noreturn void ksched_secondary_main(uint64_t idx);
void ksched_irq(void);
_Noreturn void ksched_fatal(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);

/* ---- device tree ---------------------------------------------------------------- */

static uint32_t be32(const void *p)
{
	const volatile uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t cells(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
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

static int strlist_has(const char *p, unsigned int len, const char *want)
{
	for (unsigned int i = 0; i < len; i += strlen(p + i) + 1)
		if (str_eq(p + i, want))
			return 1;
	return 0;
}

#define MAX_DEPTH 8

/* The cpu nodes under /cpus (reg: MPIDR affinity), the GICv3's two regions, bootargs. */
static int parse_dtb(uint64_t dtb)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)dtb, *p, *end;
	const char *strings, *name[MAX_DEPTH];
	unsigned int ac[MAX_DEPTH], sc[MAX_DEPTH], reg_len = 0;
	const uint8_t *reg = NULL;
	int depth = -1, gic = 0;

	if (!dtb || (dtb & 7) || be32(fdt) != FDT_MAGIC)
		return -1;
	p = fdt + be32(fdt + 8);
	end = p + be32(fdt + 36);
	strings = (const char *)fdt + be32(fdt + 12);
	while (p < end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {			/* BEGIN_NODE */
			const char *n = (const char *)p;

			p += (strlen(n) + 4) & ~3UL;
			if (++depth >= MAX_DEPTH)
				return -1;
			name[depth] = n;
			ac[depth] = 2;		/* defaults for the children (DT spec 2.3.5) */
			sc[depth] = 1;
			gic = 0;
			reg = NULL;
		} else if (tok == 2) {		/* END_NODE: the GIC's reg, GICD then GICR */
			unsigned int a = ac[0], s = sc[0];

			if (depth == 1 && gic && reg && a <= 2 && s <= 2 && reg_len >= 8 * (a + s)) {
				cfg.gicv2 = gic == 2;
				cfg.gicd = cells(reg, a);
				cfg.gicr = cells(reg + 4 * (a + s), a);
				cfg.gicr_size = cells(reg + 4 * (2 * a + s), s);
			}
			if (depth-- < 0)
				return -1;
			gic = 0;
			reg = NULL;
		} else if (tok == 3) {		/* PROP */
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;
			const char *prop = strings + nameoff;

			p = val + ((len + 3) & ~3U);
			if (depth < 0)
				continue;
			if (str_eq(prop, "#address-cells")) {
				ac[depth] = be32(val);
			} else if (str_eq(prop, "#size-cells")) {
				sc[depth] = be32(val);
			} else if (depth == 1 && str_eq(name[1], "chosen") && str_eq(prop, "bootargs")) {
				cfg.bootargs = (const char *)val;
				cfg.bootargs_len = len;
			} else if (depth == 1 && str_eq(prop, "compatible")) {
				gic = strlist_has((const char *)val, len, "arm,gic-v3") ? 3 :
				      strlist_has((const char *)val, len, "arm,cortex-a15-gic") ||
				      strlist_has((const char *)val, len, "arm,gic-400") ? 2 : 0;
			} else if (str_eq(prop, "reg") && depth == 2 && str_eq(name[1], "cpus") &&
				   str_starts(name[2], "cpu@") && ac[1] <= 2 && len >= 4 * ac[1]) {
				if (cfg.dt_cpus < KS_MAX_VCPUS)
					cfg.mpidr[cfg.dt_cpus] = cells(val, ac[1]);
				cfg.dt_cpus++;
			} else if (str_eq(prop, "reg") && depth == 1) {
				reg = val;
				reg_len = len;
			}
		} else if (tok == 9) {		/* END */
			break;
		} else if (tok != 4) {		/* not NOP */
			return -1;
		}
	}
	return cfg.dt_cpus && cfg.gicr ? 0 : -1;
}

/* "key=<decimal>" in /chosen/bootargs, or @def. */
static uint64_t bootarg(const char *key, uint64_t def)
{
	size_t klen = strlen(key);
	const char *s = cfg.bootargs;

	for (unsigned int i = 0; s && i + klen + 1 < cfg.bootargs_len && s[i]; i++) {
		uint64_t v = 0;
		unsigned int j;

		if (i && s[i - 1] != ' ')
			continue;
		for (j = 0; j < klen && s[i + j] == key[j]; j++)
			;
		if (j != klen || s[i + klen] != '=')
			continue;
		for (j = i + klen + 1; j < cfg.bootargs_len && s[j] >= '0' && s[j] <= '9'; j++)
			v = v * 10 + (uint64_t)(s[j] - '0');
		return v;
	}
	return def;
}

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* A pattern word of vCPU @n, round @i, item @k: vCPU number in the top byte. */
static uint64_t pat(unsigned int n, uint64_t i, unsigned int k)
{
	return (mix((uint64_t)n << 48 ^ i << 12 ^ k) & ~(0xffUL << 56)) | (uint64_t)(0xa0 + n) << 56;
}

static uint64_t us_to_ticks(uint64_t us)
{
	return us * cfg.freq / 1000000;
}

static uint64_t ticks_to_us(uint64_t t)
{
	return t * 1000000 / cfg.freq;
}

static unsigned int my_index(void)
{
	uint64_t sp, base = (uintptr_t)ksched_stacks;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	if (sp <= base || sp > base + sizeof(ksched_stacks))
		return 0;
	return (unsigned int)((sp - base - 1) / KS_STACK_SIZE);
}

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

static uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void fail(unsigned int n, struct slot *s, const char *what, uint64_t iter, uint64_t got,
		 uint64_t want, const char *mode)
{
	if (s->printed++ < MAX_FAIL_LINES)
		kprintf("KSCHED vcpu%u FAIL %s iter=%lu got=0x%lx want=0x%lx mode=%s\n", n, what, iter, got,
			want, mode);
	else if (s->printed == MAX_FAIL_LINES + 1)
		kprintf("KSCHED vcpu%u INFO more failures, not printed\n", n);
}

/* ---- GIC and timer ---------------------------------------------------------------- */

/* GICv2: the timer PPI on in our bank of GICD, our GICC open to every priority. */
static void gicv2_init_cpu(void)
{
	mmio_write8(cfg.gicd + GICD_V2_IPRIORITYR + VTIMER_PPI, 0x80);
	mmio_write32(cfg.gicd + GICD_V2_ISENABLER0, 1U << VTIMER_PPI);
	mmio_write32(cfg.gicr + GICC_PMR, 0xff);
	mmio_write32(cfg.gicr + GICC_BPR, 0);
	mmio_write32(cfg.gicr + GICC_CTLR, GICC_CTLR_ENABLEGRP0);
}

/* Acknowledge the highest-priority pending interrupt: ICC_IAR1_EL1 or GICC_IAR, raw. */
static uint64_t gic_ack(void)
{
	return cfg.gicv2 ? mmio_read32(cfg.gicr + GICC_IAR) : MRS(ICC_IAR1_EL1);
}

/* The INTID of an acknowledge value (GICv2: bits [9:0]; [12:10] name an SGI's sender). */
static uint64_t gic_intid(uint64_t iar)
{
	return cfg.gicv2 ? iar & 0x3ff : iar & 0xffffff;
}

/* End what gic_ack() returned (the whole value: GICv2 wants the SGI's CPUID back). */
static void gic_eoi(uint64_t iar)
{
	if (cfg.gicv2)
		mmio_write32(cfg.gicr + GICC_EOIR, (uint32_t)iar);
	else
		MSR(ICC_EOIR1_EL1, iar);
}

/* Our redistributor (the frame whose GICR_TYPER affinity is our MPIDR's), GIC on. */
static int gic_init_cpu(unsigned int n, struct slot *s)
{
	uint64_t mpidr = MRS(mpidr_el1);
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	uint64_t rd = 0;

	if (cfg.gicv2) {
		gicv2_init_cpu();
		return 0;
	}
	for (uint64_t off = 0; off + GICR_FRAME <= cfg.gicr_size; off += GICR_FRAME) {
		uint64_t typer = mmio_read64(cfg.gicr + off + GICR_TYPER);

		if (typer >> 32 == aff) {
			rd = cfg.gicr + off;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	if (!rd) {
		kprintf("KSCHED vcpu%u FAIL gicr: no redistributor with affinity 0x%lx\n", n, aff);
		return -1;
	}
	s->gicr_rd = rd;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (unsigned int i = 0; i < 1000 && (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP); i++)
		;
	mmio_write32(rd + GICR_SGI + GICR_IGROUPR0,
		     mmio_read32(rd + GICR_SGI + GICR_IGROUPR0) | 1U << VTIMER_PPI);
	mmio_write8(rd + GICR_SGI + GICR_IPRIORITYR0 + VTIMER_PPI, 0x80);
	mmio_write32(rd + GICR_SGI + GICR_ISENABLER0, 1U << VTIMER_PPI);

	MSR(ICC_SRE_EL1, MRS(ICC_SRE_EL1) | 1);
	ISB();
	MSR(ICC_PMR_EL1, 0xff);
	MSR(ICC_BPR1_EL1, 0);
	MSR(ICC_CTLR_EL1, 0);		/* EOImode 0: EOIR deactivates too */
	MSR(ICC_IGRPEN1_EL1, 1);
	ISB();
	return 0;
}

/* Acknowledge and complete whatever is pending (IRQs masked); how many there were. */
static unsigned int gic_drain(struct slot *s, unsigned int *timer)
{
	unsigned int got = 0;

	for (unsigned int i = 0; i < 16; i++) {
		uint64_t iar = gic_ack(), intid = gic_intid(iar);

		if (intid >= 1020)
			break;
		got++;
		if (intid == VTIMER_PPI)
			++*timer;
		else
			s->other_irq++;
		gic_eoi(iar);
		ISB();
	}
	return got;
}

/* The IRQ vector (ksched_asm.S): one interrupt, at most. */
void ksched_irq(void)
{
	unsigned int n = my_index();
	struct slot *s = &slots[n];
	uint64_t iar = gic_ack(), intid = gic_intid(iar), now, ctl, cval;

	if (intid >= 1020) {
		s->spurious++;
		return;
	}
	if (intid != VTIMER_PPI) {
		s->other_irq++;
		gic_eoi(iar);
		return;
	}
	now = read_cntvct();
	ctl = MRS(cntv_ctl_el0);
	cval = MRS(cntv_cval_el0);
	MSR(cntv_ctl_el0, 0);		/* level-sensitive: stop it at the source */
	ISB();
	gic_eoi(iar);
	if (!s->armed) {
		s->stale++;		/* a round's interrupt that came after its end */
		return;
	}
	s->armed = 0;
	s->fired = 1;
	if (cval != s->cval) {
		s->timer_fails++;
		fail(n, s, "timer_cval", s->rounds, cval, s->cval, "timer");
	}
	if (!(ctl & CNTV_CTL_ISTATUS)) {
		s->timer_fails++;
		fail(n, s, "timer_istatus", s->rounds, ctl, ctl | CNTV_CTL_ISTATUS, "timer");
	}
	if (now < s->cval) {
		s->early++;
		s->timer_fails++;
		fail(n, s, "timer_early", s->rounds, now, s->cval, "timer");
		return;
	}
	if (cfg.verbose)
		kprintf("KSCHED vcpu%u INFO timer round=%lu %s late_us=%lu max_step_us=%lu\n", n,
			s->rounds, (n + s->rounds) % 2 ? "busy" : "wfi", ticks_to_us(now - s->cval),
			ticks_to_us(s->max_step));
	if (now - s->cval > s->max_late)
		s->max_late = now - s->cval;
	if (now - s->cval > cfg.tol_ticks) {	/* a failure past the budget (report()) */
		s->late++;
		kprintf("KSCHED vcpu%u LATE timer round=%lu late_us=%lu tol_us=%lu (%lu of %lu allowed)\n",
			n, s->rounds, ticks_to_us(now - s->cval), ticks_to_us(cfg.tol_ticks), s->late,
			cfg.late_ok);
	}
}

/* Step between two CNTVCT readings above the threshold: the vCPU did not run. */
static void note_step(struct slot *s, uint64_t *last)
{
	uint64_t now = read_cntvct();

	if (now - *last > cfg.thresh_ticks)
		s->desched++;
	if (now - *last > s->max_step)
		s->max_step = now - *last;
	*last = now;
}

/* One timer round: CVAL a few ms ahead, then WFI or a busy spin until it fires. */
static void timer_round(unsigned int n, struct slot *s, uint64_t r)
{
	uint64_t delta_us = 1000 + ((n * 3 + r * 7) % 5) * 1000, limit, last;
	unsigned int dummy = 0;
	int wfi = (n + r) % 2 == 0;

	gic_drain(s, &dummy);
	s->stale += dummy;
	s->fired = 0;
	s->max_step = 0;
	s->cval = read_cntvct() + us_to_ticks(delta_us);
	limit = s->cval + cfg.freq;		/* 1 s: it never came */
	s->armed = 1;
	MSR(cntv_cval_el0, s->cval);
	MSR(cntv_ctl_el0, CNTV_CTL_ENABLE);
	ISB();
	last = read_cntvct();
	if (wfi) {
		while (!s->fired && read_cntvct() < limit) {
			__asm__ volatile("dsb sy\n\twfi" ::: "memory");
			IRQ_UNMASK();
			IRQ_MASK();
		}
	} else {
		IRQ_UNMASK();
		while (!s->fired && last < limit)
			note_step(s, &last);
		IRQ_MASK();
	}
	if (!s->fired) {
		s->armed = 0;
		s->timeouts++;
		s->timer_fails++;
		fail(n, s, "timer_timeout", r, read_cntvct(), s->cval, wfi ? "wfi" : "busy");
	}
	MSR(cntv_ctl_el0, 0);
	ISB();
	s->rounds = r + 1;
}

/* ---- register rounds -------------------------------------------------------------- */

static void reg_round(unsigned int n, struct slot *s, struct ks_round *rb, uint64_t i)
{
	unsigned int mode = (unsigned int)((i + n) % KS_NR_MODES), bad = 0, timer = 0;
	uint64_t want[31], t0, t1;

	rb->mode = mode;
	rb->thresh = cfg.thresh_ticks;
	for (unsigned int k = 0; k < 31; k++)
		rb->x_in[k] = pat(n, i, k);
	for (unsigned int k = 0; k < 64; k++)
		rb->q_in[k] = pat(n, i, 64 + k);
	/* FPCR: FZ16, RMode, FZ, DN, AHP; FPSR: QC and the cumulative exception flags. */
	rb->fpcr_in = (uint64_t)((n + i) & 3) << 22 | ((n ^ i) & 1) << 24 | ((i >> 1) & 1) << 25 |
		      ((n >> 1 ^ i) & 1) << 26 | ((i >> 2) & 1) << 19;
	rb->fpsr_in = (pat(n, i, 200) & 0x9f) | ((n + i) & 1) << 27;
	rb->nzcv_in = ((n * 5 + i) & 0xf) << 28;
	for (unsigned int k = 0; k < KS_NSYS; k++)
		rb->sys_in[k] = pat(n, i, 300 + k);
	rb->sys_in[16] &= 0x3f3;		/* CNTKCTL_EL1: no event stream */
	rb->sys_in[KS_SYS_VBAR] = (uintptr_t)ksched_vectors;

	MSR(cntv_ctl_el0, 0);
	ISB();
	switch (mode) {
	case KS_SPIN_COUNT:
		rb->x_in[0] = 2000 + (pat(n, i, 100) & 0xfff);
		break;
	case KS_SPIN_TIMED:
		rb->x_in[0] = read_cntvct() + us_to_ticks(100 + pat(n, i, 100) % 300);
		break;
	case KS_HC_YIELD:
		rb->x_in[0] = SCHEDOP_YIELD;
		rb->x_in[16] = HC_SCHED_OP;
		break;
	case KS_HC_VERSION:
		rb->x_in[0] = XENVER_VERSION;
		rb->x_in[16] = HC_XEN_VERSION;
		break;
	case KS_WFI:
		rb->sys_in[KS_SYS_CVAL] = read_cntvct() + us_to_ticks(50 + pat(n, i, 100) % 250);
		MSR(cntv_cval_el0, rb->sys_in[KS_SYS_CVAL]);
		MSR(cntv_ctl_el0, CNTV_CTL_ENABLE);
		ISB();
		break;
	}
	for (unsigned int k = 0; k < 31; k++)
		want[k] = rb->x_in[k];
	t0 = read_cntvct();
	if (mode == KS_SPIN_TIMED)
		rb->x_in[1] = t0;
	ksched_round(rb);
	t1 = read_cntvct();
	if (mode == KS_WFI) {
		MSR(cntv_ctl_el0, 0);
		ISB();
		gic_drain(s, &timer);
		s->wfi_wakes += timer;
	}

	switch (mode) {
	case KS_SPIN_COUNT:
		want[0] = 0;
		break;
	case KS_SPIN_TIMED:
		want[1] = rb->x_out[1] >= want[0] && rb->x_out[1] <= t1 ? rb->x_out[1] : want[0];
		want[2] = cfg.thresh_ticks;
		break;
	case KS_HC_YIELD:
		want[0] = 0;
		break;
	case KS_HC_VERSION:
		want[0] = cfg.xen_version;
		break;
	}
	for (unsigned int k = 0; k < 31; k++) {
		if (rb->x_out[k] != want[k]) {
			char what[8];

			ksnprintf(what, sizeof(what), "x%u", k);
			fail(n, s, what, i, rb->x_out[k], want[k], mode_name[mode]);
			bad++;
		}
	}
	for (unsigned int k = 0; k < 64; k++) {
		if (rb->q_out[k] != rb->q_in[k]) {
			char what[12];

			ksnprintf(what, sizeof(what), "q%u.%s", k / 2, k & 1 ? "hi" : "lo");
			fail(n, s, what, i, rb->q_out[k], rb->q_in[k], mode_name[mode]);
			bad++;
		}
	}
	if (rb->fpcr_out != rb->fpcr_base) {
		fail(n, s, "fpcr", i, rb->fpcr_out, rb->fpcr_base, mode_name[mode]);
		bad++;
	}
	if (rb->fpsr_out != rb->fpsr_base) {
		fail(n, s, "fpsr", i, rb->fpsr_out, rb->fpsr_base, mode_name[mode]);
		bad++;
	}
	if (mode != KS_SPIN_TIMED) {
		uint64_t nzcv = mode == KS_SPIN_COUNT ? 0x60000000 : rb->nzcv_in;	/* Z, C: subs to 0 */

		if (rb->nzcv_out != nzcv) {
			fail(n, s, "nzcv", i, rb->nzcv_out, nzcv, mode_name[mode]);
			bad++;
		}
	}
	for (unsigned int k = 0; k < KS_NSYS; k++) {
		if (rb->sys_out[k] != rb->sys_base[k]) {
			fail(n, s, sys_name[k], i, rb->sys_out[k], rb->sys_base[k], mode_name[mode]);
			bad++;
		}
	}
	if ((rb->sys_base[KS_SYS_MPIDR] & MPIDR_AFF_MASK) != (cfg.mpidr[n] & MPIDR_AFF_MASK)) {
		fail(n, s, "mpidr_vs_dt", i, rb->sys_base[KS_SYS_MPIDR], cfg.mpidr[n], mode_name[mode]);
		bad++;
	}
	if (i == 0 && n == 0) {		/* what the CPU keeps of the patterns, for the record */
		char line[200];
		int len = 0;

		for (unsigned int k = 0; k < KS_SYS_WRITABLE; k++)
			if (rb->sys_base[k] != rb->sys_in[k])
				len += ksnprintf(line + len, sizeof(line) - len, " %s", sys_name[k]);
		kprintf("KSCHED INFO written and read back differ (RES0/RAZ bits):%s%s%s\n", line,
			rb->fpcr_base != rb->fpcr_in ? " fpcr" : "",
			rb->fpsr_base != rb->fpsr_in ? " fpsr" : "");
	}
	s->reg_fails += bad;
	s->by_mode[mode]++;
	s->desched += rb->desched;
	if (rb->desched || (mode != KS_WFI && mode != KS_SPIN_TIMED && t1 - t0 > cfg.thresh_ticks))
		s->preempt_checks++;
	s->iters = i + 1;
}

/* ---- the run ---------------------------------------------------------------------- */

static void run_vcpu(unsigned int n)
{
	struct slot *s = &slots[n];
	struct ks_round *rb = &round_buf[n];
	uint64_t r = 0;
	int gic_ok = gic_init_cpu(n, s) == 0;

	if (!gic_ok)
		s->timer_fails++;
	for (uint64_t i = 0; i < cfg.iters; i++) {
		reg_round(n, s, rb, i);
		while (gic_ok && r < cfg.rounds && (i + 1) * cfg.rounds / cfg.iters > r)
			timer_round(n, s, r++);
	}
	while (gic_ok && r < cfg.rounds)
		timer_round(n, s, r++);
	DMB();
	s->done = 1;
	DMB();
}

_Noreturn void ksched_fatal(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	kprintf("KSCHED FATAL vcpu%u unexpected exception: vector 0x%lx ESR 0x%lx (EC 0x%lx) "
		"ELR 0x%lx FAR 0x%lx\n", my_index(), vector, esr, (esr >> 26) & 0x3f, elr, far);
	system_off();
}

static void report(void)
{
	uint64_t failures = extra_failures;

	for (unsigned int n = 0; n < cfg.vcpus; n++) {
		struct slot *s = &slots[n];
		int done = s->done, rok, tok;
		uint64_t over;

		DMB();
		over = s->late > cfg.late_ok ? s->late - cfg.late_ok : 0;
		if (!s->started)
			continue;	/* reported as cpu_on failure */
		if (!done) {
			kprintf("KSCHED vcpu%u FAIL timeout: not done (iters=%lu rounds=%lu)\n", n,
				s->iters, s->rounds);
			failures++;
		}
		rok = done && !s->reg_fails && s->iters == cfg.iters;
		tok = done && !s->timer_fails && !over && s->rounds == cfg.rounds && !s->early;
		kprintf("KSCHED vcpu%u regs %s iters=%lu preempt_checks=%lu desched=%lu fails=%lu "
			"modes=spin:%lu,timed:%lu,yield:%lu,version:%lu,wfi:%lu wfi_wakes=%lu\n",
			n, rok ? "PASS" : "FAIL", s->iters, s->preempt_checks, s->desched, s->reg_fails,
			s->by_mode[0], s->by_mode[1], s->by_mode[2], s->by_mode[3], s->by_mode[4], s->wfi_wakes);
		kprintf("KSCHED vcpu%u timer %s rounds=%lu max_late_us=%lu early=%lu late=%lu late_ok=%lu "
			"tol_us=%lu timeouts=%lu stale=%lu spurious=%lu other_irq=%lu\n",
			n, tok ? "PASS" : "FAIL", s->rounds, ticks_to_us(s->max_late), s->early, s->late,
			cfg.late_ok, ticks_to_us(cfg.tol_ticks), s->timeouts, s->stale, s->spurious, s->other_irq);
		failures += s->reg_fails + s->timer_fails + over;
	}
	kprintf("KSCHED DONE vcpus=%u failures=%lu\n", cfg.vcpus, failures);
}

static uint64_t wait_flag(volatile uint64_t *flag, uint64_t ticks)
{
	uint64_t end = read_cntvct() + ticks;

	while (!*flag && read_cntvct() < end)
		__asm__ volatile("yield" ::: "memory");
	DMB();
	return *flag;
}

/* wait_flag() in WFI, woken by our timer every ms (our GIC set up): leaves the pCPU to others. */
static uint64_t wait_flag_idle(struct slot *s, volatile uint64_t *flag, uint64_t ticks)
{
	uint64_t end = read_cntvct() + ticks;
	unsigned int dummy = 0;

	while (!*flag && read_cntvct() < end) {
		MSR(cntv_cval_el0, read_cntvct() + us_to_ticks(1000));
		MSR(cntv_ctl_el0, CNTV_CTL_ENABLE);
		__asm__ volatile("isb\n\tdsb sy\n\twfi" ::: "memory");
		MSR(cntv_ctl_el0, 0);
		ISB();
		gic_drain(s, &dummy);
	}
	DMB();
	return *flag;
}

static void vcpu0_main(void)
{
	uint64_t t0 = read_cntvct();

	slots[0].started = 1;
	for (unsigned int n = 1; n < cfg.vcpus; n++) {
		int64_t ret = (int64_t)psci_call(PSCI_CPU_ON_64, cfg.mpidr[n],
						 (uintptr_t)ksched_secondary_entry, n);

		if (ret) {
			kprintf("KSCHED FAIL cpu_on vcpu%u ret=%ld (mpidr 0x%lx)\n", n, ret, cfg.mpidr[n]);
			extra_failures++;
			continue;
		}
		if (!wait_flag(&slots[n].started, 10 * cfg.freq)) {
			kprintf("KSCHED FAIL cpu_on vcpu%u ret=0 (mpidr 0x%lx): never started\n", n,
				cfg.mpidr[n]);
			extra_failures++;
		}
	}
	go = 1;
	DMB();
	run_vcpu(0);
	for (unsigned int n = 1; n < cfg.vcpus; n++)
		if (slots[n].started)
			wait_flag_idle(&slots[0], &slots[n].done, 40 * cfg.freq);
	report();
	kprintf("KSCHED INFO elapsed_us=%lu\n", ticks_to_us(read_cntvct() - t0));
	system_off();
}

_Noreturn void ksched_secondary_main(uint64_t idx)
{
	unsigned int n = (unsigned int)idx;

	if (n == 0) {
		vcpu0_main();
		system_off();
	}
	if (n >= cfg.vcpus) {
		kprintf("KSCHED FATAL started with context id %u\n", n);
		for (;;)
			__asm__ volatile("wfi");
	}
	DMB();
	slots[n].started = 1;
	DMB();
	while (!go)
		__asm__ volatile("yield" ::: "memory");
	DMB();
	run_vcpu(n);
	for (;;)
		__asm__ volatile("wfi");	/* vCPU0 powers the machine off */
}

/* Entered from head.S on vCPU0; continues on its own stack through the secondary entry. */
_Noreturn void ktest_main(uint64_t dtb, uint64_t load_addr)
{
	uint64_t want;

	ktest_load_addr = load_addr;
	MSR(vbar_el1, (uintptr_t)ksched_vectors);
	ISB();
	if (parse_dtb(dtb)) {
		kprintf("KSCHED FATAL cannot read the cpus and the GICv3 from the device tree at 0x%lx\n",
			dtb);
		system_off();
	}
	cfg.freq = read_cntfrq();
	cfg.iters = bootarg("ksched.iters", 2000);
	cfg.rounds = bootarg("ksched.rounds", 20);
	cfg.slice_us = bootarg("ksched.slice_us", 1000);
	cfg.margin_us = bootarg("ksched.margin_us", 2000);
	cfg.tol_ticks = us_to_ticks(cfg.slice_us + cfg.margin_us);
	cfg.thresh_ticks = us_to_ticks(200);
	cfg.verbose = bootarg("ksched.verbose", 0);
	cfg.late_ok = bootarg("ksched.late_ok", 0);
	if (!cfg.iters)
		cfg.iters = 1;
	want = bootarg("ksched.vcpus", cfg.dt_cpus);
	cfg.vcpus = cfg.dt_cpus < KS_MAX_VCPUS ? cfg.dt_cpus : KS_MAX_VCPUS;
	if (want && want < cfg.vcpus)
		cfg.vcpus = (unsigned int)want;
	kprintf("KSCHED INFO dt_cpus=%u requested=%lu vcpus=%u iters=%lu rounds=%lu tol_us=%lu "
		"(slice_us=%lu + margin_us=%lu) late_ok=%lu cntfrq=%lu GICD 0x%lx %s 0x%lx+0x%lx\n",
		cfg.dt_cpus, want, cfg.vcpus, cfg.iters, cfg.rounds, cfg.slice_us + cfg.margin_us,
		cfg.slice_us, cfg.margin_us, cfg.late_ok, cfg.freq, cfg.gicd, cfg.gicv2 ? "GICv2 GICC" : "GICR",
		cfg.gicr, cfg.gicr_size);
	if (want > cfg.vcpus) {
		kprintf("KSCHED FAIL vcpus: %lu requested, the device tree lists %u cpus\n", want,
			cfg.dt_cpus);
		extra_failures++;
	}
	cfg.xen_version = (uint64_t)hypercall(HC_XEN_VERSION, XENVER_VERSION, 0, 0);
	if (cfg.gicd)
		mmio_write32(cfg.gicd + GICD_CTLR, mmio_read32(cfg.gicd + GICD_CTLR) |
			     (cfg.gicv2 ? GICD_V2_ENABLE : GICD_CTLR_G1_ARE));
	DMB();
	/* Run on ksched_stacks[0] like the others, so the IRQ handler finds us by SP. */
	__asm__ volatile("mov x0, #0\n\tb ksched_secondary_entry" ::: "x0", "memory");
	__builtin_unreachable();
}
