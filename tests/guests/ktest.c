// SPDX-License-Identifier: Apache-2.0
/*
 * ktest: a bare-metal guest, booted as dom0's kernel, that checks the hypervisor's
 * guest-visible behaviour one item at a time and reports each on the console as
 * "KTEST <name> PASS" or "KTEST <name> FAIL <details>", then "KTEST DONE", and powers
 * the machine off with PSCI SYSTEM_OFF.
 * tests/boot/test_guests.py runs it and checks the transcript.
 */
#include "ktest.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_IL			(1UL << 25)
#define ESR_WNR			(1UL << 6)
#define EC_UNKNOWN		0x00
#define EC_DABT_CUR		0x25
#define ENOSYS			38
#define EFAULT			14
#define EINVAL			22
#define FDT_MAGIC		0xd00dfeed

uint64_t ktest_load_addr;	/* where head.S found us running */

static void trap_arm(void)
{
	trap_log.esr = trap_log.elr = trap_log.far = trap_log.count = 0;
	trap_log.armed = 1;
	__asm__ volatile("" ::: "memory");
}

static void trap_disarm(void)
{
	__asm__ volatile("" ::: "memory");
	trap_log.armed = 0;
}

static uint32_t be32(const void *p)
{
	const volatile uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/*
 * Does /chosen/bootargs of the flattened device tree at @dtb contain @word? A walk of
 * the structure block (Devicetree specification 0.4, 5.4: tokens BEGIN_NODE 1,
 * END_NODE 2, PROP 3, NOP 4, END 9), byte loads only (the MMU may be off).
 */
static int bootargs_has(uint64_t dtb, const char *word)
{
	const uint8_t *fdt = (const uint8_t *)dtb, *p, *strings;
	unsigned int depth = 0, in_chosen = 0, wlen = strlen(word);

	if (!dtb || (dtb & 7) || be32(fdt) != FDT_MAGIC)
		return 0;
	p = fdt + be32(fdt + 8);
	strings = fdt + be32(fdt + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {		/* BEGIN_NODE: name, NUL, padding to 4 bytes */
			const uint8_t *name = p;
			unsigned int n = strlen((const char *)name);

			depth++;
			if (depth == 2)
				in_chosen = n == 6 && !memcmp(name, "chosen", 6);
			p += (n + 4) & ~3U;
		} else if (tok == 2) {
			if (depth-- == 2)
				in_chosen = 0;
		} else if (tok == 3) {	/* PROP: len, nameoff, value */
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;

			if (in_chosen && depth == 2 && !memcmp(strings + nameoff, "bootargs", 9))
				for (uint32_t i = 0; i + wlen <= len; i++)
					if (!memcmp(val + i, word, wlen) && (i == 0 || val[i - 1] == ' ') &&
					    (val[i + wlen] == ' ' || val[i + wlen] == 0))
						return 1;
			p = val + ((len + 3) & ~3U);
		} else if (tok != 4) {
			return 0;	/* END or garbage */
		}
	}
}

/* Is @str one of the NUL-separated strings of the @len-byte property value @val? */
static int strlist_has(const uint8_t *val, uint32_t len, const char *str)
{
	unsigned int n = strlen(str) + 1;

	for (uint32_t i = 0; i < len; i += strlen((const char *)val + i) + 1)
		if (i + n <= len && !memcmp(val + i, str, n))
			return 1;
	return 0;
}

int dtb_has_compatible(uint64_t dtb, const char *compat)
{
	const uint8_t *fdt = (const uint8_t *)dtb, *p, *strings;

	if (!dtb || (dtb & 7) || be32(fdt) != FDT_MAGIC)
		return 0;
	p = fdt + be32(fdt + 8);
	strings = fdt + be32(fdt + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {
			p += (strlen((const char *)p) + 4) & ~3U;
		} else if (tok == 3) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;

			if (!memcmp(strings + nameoff, "compatible", 11) && strlist_has(val, len, compat))
				return 1;
			p = val + ((len + 3) & ~3U);
		} else if (tok != 2 && tok != 4) {
			return 0;	/* END or garbage */
		}
	}
}

/* The boot protocol: x0 holds the IPA of a flattened device tree. */
static void check_dtb(uint64_t dtb)
{
	uint32_t magic = dtb && !(dtb & 7) ? be32((const void *)dtb) : 0;

	ktest_result("dtb", magic == FDT_MAGIC, "x0=0x%lx magic=0x%x", dtb, magic);
}

/* An HVC immediate that is no interface: Undefined Instruction at the HVC itself. */
static void check_undef_hvc(void)
{
	uint64_t at;

	trap_arm();
	__asm__ volatile("adr %0, 1f\n1:\thvc #0x1" : "=&r"(at) : : "memory");
	trap_disarm();
	ktest_result("undef_hvc", trap_log.count == 1 && ESR_EC(trap_log.esr) == EC_UNKNOWN &&
		     (trap_log.esr & ESR_IL) && trap_log.elr == at,
		     "traps=%lu ESR=0x%lx ELR=0x%lx (hvc at 0x%lx)",
		     trap_log.count, trap_log.esr, trap_log.elr, at);
}

/* Load and store at an IPA outside the p2m: synchronous external data abort at EL1. */
static void check_dabt(int store)
{
	uint64_t at, val = 0x5a5a5a5a, addr = UNMAPPED_IPA;
	uint64_t esr;

	trap_arm();
	if (store)
		__asm__ volatile("adr %0, 1f\n1:\tstr %1, [%2]" : "=&r"(at) : "r"(val), "r"(addr) : "memory");
	else
		__asm__ volatile("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(at), "+r"(val) : "r"(addr) : "memory");
	trap_disarm();
	esr = trap_log.esr;
	ktest_result(store ? "dabt_store" : "dabt_load",
		     trap_log.count == 1 && ESR_EC(esr) == EC_DABT_CUR && (esr & ESR_IL) &&
		     trap_log.far == addr && trap_log.elr == at && !!(esr & ESR_WNR) == store,
		     "traps=%lu ESR=0x%lx (EC 0x%lx WnR %d DFSC 0x%lx) FAR=0x%lx ELR=0x%lx (access at 0x%lx)",
		     trap_log.count, esr, ESR_EC(esr), !!(esr & ESR_WNR), esr & 0x3f, trap_log.far,
		     trap_log.elr, at);
}

static void check_hypercall_numbers(void)
{
	long big = hypercall(1000, 0, 0, 0), unimpl = hypercall(0, 0, 0, 0);
	long nop = hypercall(HC_KESTREL_NOP, 0, 0, 0);

	ktest_result("hcall_enosys", big == -ENOSYS && unimpl == -ENOSYS,
		     "nr 1000 -> %ld, nr 0 -> %ld (want %d)", big, unimpl, -ENOSYS);
	ktest_result("hcall_nop", nop == 0, "nr %d -> %ld (want 0)", HC_KESTREL_NOP, nop);
}

/*
 * VCPUOP_register_vcpu_info (Xen public/vcpu.h: op 10, struct { mfn; offset; rsvd; }):
 * moving vCPU 0's vcpu_info re-announces every event, as Xen does (map_vcpu_info): the
 * new copy has evtchn_upcall_pending (byte 0) set and all of evtchn_pending_sel (bytes
 * 8-15), so an event sent into the old copy during the move is not lost. A second
 * registration (the MMU-on pass) is refused with -EINVAL.
 */
#define VCPUOP_REGISTER_VCPU_INFO	10
static uint8_t vcpu_info_page[4096] __attribute__((aligned(4096)));

static void check_vcpu_info_move(void)
{
	struct { uint64_t mfn; uint32_t offset, rsvd; } info = {
		.mfn = (uintptr_t)vcpu_info_page >> 12, .offset = 64 };
	volatile uint8_t *vi = vcpu_info_page + 64;
	long ret;

	for (unsigned int i = 0; i < 64; i++)
		vi[i] = 0;
	ret = hypercall(HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, (uintptr_t)&info);
	if (mmu_is_on()) {
		ktest_result("vcpu_info_move", ret == -EINVAL, "second register_vcpu_info -> %ld (want %d)",
			     ret, -EINVAL);
		return;
	}
	ktest_result("vcpu_info_move", ret == 0 && vi[0] == 1 && *(volatile uint64_t *)(vi + 8) == ~0UL,
		     "register_vcpu_info -> %ld, upcall_pending %u, pending_sel 0x%lx (want 0, 1, all ones)",
		     ret, vi[0], *(volatile uint64_t *)(vi + 8));
}

/*
 * EVTCHNOP_bind_vcpu (Xen public/event_channel.h: event_channel_op 32, bind_virq 1
 * { virq, vcpu, port }, bind_vcpu 8 { port, vcpu }): a global VIRQ's port may be moved
 * (to vCPU 0, the only one here), a per-vCPU VIRQ's may not (-EINVAL), as Xen does.
 * Each pass binds VIRQs of its own (a VIRQ binds once per vCPU).
 */
#define HC_EVENT_CHANNEL_OP	32
#define EVTCHNOP_BIND_VIRQ	1
#define EVTCHNOP_BIND_VCPU	8

static void check_bind_vcpu_global_virq(void)
{
	struct { uint32_t virq, vcpu, port; } global = { .virq = mmu_is_on() ? 12 : 3 },	/* ENOMEM, DOM_EXC */
		percpu = { .virq = mmu_is_on() ? 1 : 0 };					/* DEBUG, TIMER */
	struct { uint32_t port, vcpu; } move = { 0, 0 };
	long b1 = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_BIND_VIRQ, (uintptr_t)&global, 0);
	long b2 = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_BIND_VIRQ, (uintptr_t)&percpu, 0);
	long m1, m2;

	move.port = global.port;
	m1 = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_BIND_VCPU, (uintptr_t)&move, 0);
	move.port = percpu.port;
	m2 = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_BIND_VCPU, (uintptr_t)&move, 0);
	ktest_result("bind_vcpu_virq", !b1 && !b2 && !m1 && m2 == -EINVAL,
		     "bind_virq %u -> %ld, %u -> %ld; bind_vcpu global -> %ld (want 0), per-vCPU -> %ld (want %d)",
		     global.virq, b1, percpu.virq, b2, m1, m2, -EINVAL);
}

/*
 * XENMEM_maximum_ram_page (memory_op 12, cmd 2): the host's last RAM frame + 1, as Xen's
 * max_page; QEMU virt's RAM starts at 1 GiB and the boot tests give it 2 GiB.
 */
#define HC_MEMORY_OP		12
#define XENMEM_MAXIMUM_RAM_PAGE	2

static void check_max_ram_page(void)
{
	long got = hypercall(HC_MEMORY_OP, XENMEM_MAXIMUM_RAM_PAGE, 0, 0);

	ktest_result("max_ram_page", got == 0xc0000, "XENMEM_maximum_ram_page -> 0x%lx (want 0xc0000)", got);
}

static void check_console_efault(void)
{
	long ret = hypercall(HC_CONSOLE_IO, CONSOLEIO_WRITE, 16, UNMAPPED_IPA);

	ktest_result("console_efault", ret == -EFAULT, "console_io(write, 16, 0x%lx) -> %ld (want %d)",
		     (uint64_t)UNMAPPED_IPA, ret, -EFAULT);
}

/* A write longer than Kestrel prints per trap: it continues the hypercall, losing nothing. */
#define LONG_WRITE 3000
static void check_console_long(void)
{
	static char buf[LONG_WRITE + 2];
	long ret;

	for (unsigned int i = 0; i < LONG_WRITE; i++)
		buf[i] = i == LONG_WRITE - 1 ? '>' : (i == 0 ? '<' : 'L');
	buf[LONG_WRITE] = '\r';
	buf[LONG_WRITE + 1] = '\n';
	ret = console_write(buf, sizeof(buf));
	ktest_result("console_long", ret == 0, "console_io(write, %u) -> %ld (want 0)",
		     (unsigned int)sizeof(buf), ret);
}

static uint64_t pattern_word(unsigned int i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15UL;

	return x ^ (x >> 29) ^ ((uint64_t)i << 56);
}

static void check_fpsimd(void)
{
	static struct fpsimd_state in, out;
	unsigned int bad = 0, first = 32;

	for (unsigned int i = 0; i < 32; i++) {
		in.q[i][0] = pattern_word(2 * i);
		in.q[i][1] = pattern_word(2 * i + 1);
	}
	in.fpcr = 0x07c00000;	/* AHP, DN, FZ, RMode = toward zero */
	in.fpsr = 0x0800009f;	/* QC and every cumulative exception flag */
	memset(&out, 0, sizeof(out));
	trap_arm();
	fpsimd_trap_check(&in, &out);
	trap_disarm();
	for (unsigned int i = 0; i < 32; i++)
		if (in.q[i][0] != out.q[i][0] || in.q[i][1] != out.q[i][1]) {
			bad++;
			if (first == 32)
				first = i;
		}
	ktest_result("fpsimd", !bad && out.fpcr == in.fpcr && out.fpsr == in.fpsr && trap_log.count == 6,
		     "%u q registers differ (first q%u: 0x%016lx%016lx, loaded 0x%016lx%016lx), "
		     "FPCR 0x%lx (loaded 0x%lx), FPSR 0x%lx (loaded 0x%lx), %lu guest exceptions (want 6)",
		     bad, first == 32 ? 0 : first, out.q[first & 31][1], out.q[first & 31][0],
		     in.q[first & 31][1], in.q[first & 31][0], out.fpcr, in.fpcr, out.fpsr, in.fpsr,
		     trap_log.count);
}

static uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	/* A plain LDR (valid syndrome, no writeback) so the hypervisor can emulate it. */
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static int gicv2;	/* the DT's GIC is a GICv2 (no "arm,gic-v3" node) */

/* GICD_PIDR2 is at 0xffe8 of GICv3's 64 KiB frame, at 0xfe8 of GICv2's 4 KiB one. */
static void check_gicd(void)
{
	uint32_t typer, pidr2, want = gicv2 ? 0x20 : 0x30;

	trap_arm();	/* an abort here is recorded and reported, not fatal */
	typer = mmio_read32(GICD_BASE + GICD_TYPER);
	pidr2 = mmio_read32(GICD_BASE + (gicv2 ? GICD_V2_PIDR2 : GICD_PIDR2));
	trap_disarm();
	ktest_result("gicd_typer", trap_log.count == 0 && (typer & 0x1f) != 0,
		     "GICD_TYPER=0x%x ITLinesNumber=%u, %lu exceptions", typer, typer & 0x1f,
		     trap_log.count);
	ktest_result("gicd_pidr2", trap_log.count == 0 && (pidr2 & 0xf0) == want,
		     "GICD_PIDR2=0x%x (ArchRev field 0x%x, want 0x%x: GICv%d)", pidr2, pidr2 & 0xf0, want,
		     gicv2 ? 2 : 3);
}

static void check_xen_version(void)
{
	static char extra[16] __attribute__((aligned(16)));
	long ver = hypercall(HC_XEN_VERSION, XENVER_VERSION, 0, 0), ret;
	int found = 0;

	ktest_result("xen_version", ver == 0x40011, "XENVER_version -> 0x%lx (want 0x40011)", ver);
	memset(extra, 0x55, sizeof(extra));
	ret = hypercall(HC_XEN_VERSION, XENVER_EXTRAVERSION, (uint64_t)(uintptr_t)extra, 0);
	for (unsigned int i = 0; i + 7 <= sizeof(extra); i++)
		if (!memcmp(extra + i, "kestrel", 7))
			found = 1;
	extra[sizeof(extra) - 1] = '\0';	/* for printing, if the hypervisor did not terminate it */
	ktest_result("xen_extraversion", ret == 0 && found, "XENVER_extraversion -> %ld, \"%s\"",
		     ret, extra);
}

static void check_psci_version(void)
{
	uint64_t v = psci_call(PSCI_0_2_VERSION, 0, 0, 0);

	ktest_result("psci_version", v == 0x10001, "PSCI_VERSION -> 0x%lx (want 0x10001)", v);
}

/* Check 1: console_io write reaches the console (whoever reads these lines knows). */
static void check_console(void)
{
	char line[32];
	long ret;

	ksnprintf(line, sizeof(line), "KTEST %sconsole PASS\r\n", ktest_prefix);
	ret = console_write(line, strlen(line));
	if (ret == 0)
		return;
	/* The line did not go out: keep everything in RAM until the MMU is on. */
	console_set_buffered(1);
	ktest_result("console", 0, "console_io(CONSOLEIO_write, %u, 0x%lx) with the MMU %s returned %ld "
		     "(want 0); these lines were buffered and written once the MMU was on",
		     (unsigned int)strlen(line), (uint64_t)(uintptr_t)line, mmu_is_on() ? "on" : "off", ret);
}

static void run_checks(uint64_t dtb)
{
	check_console();
	kprintf("KTEST INFO MMU %s, loaded at 0x%lx, DTB at 0x%lx\n",
		mmu_is_on() ? "on" : "off", ktest_load_addr, dtb);
	check_dtb(dtb);
	check_undef_hvc();
	check_dabt(0);
	check_dabt(1);
	check_hypercall_numbers();
	check_console_efault();
	check_console_long();
	check_fpsimd();
	check_gicd();
	check_xen_version();
	check_psci_version();
	/* The PPIs' enable and pending registers: GICv3's SGI_base frame, GICv2's GICD. */
	check_firmware_calls(gicv2 ? GICD_BASE : GICR_BASE + GICR_SGI_FRAME);
	check_vcpu_info_move();
	check_bind_vcpu_global_virq();
	check_max_ram_page();
}

/*
 * Two passes over the checks: first as booted (MMU off, caches off), then with a
 * stage-1 identity map on, as a running OS would call the hypervisor. Check names of
 * the second pass start with "mmu.". Then "KTEST DONE", power off.
 */
_Noreturn void ktest_main(uint64_t dtb, uint64_t load_addr)
{
	ktest_load_addr = load_addr;
	gicv2 = !dtb_has_compatible(dtb, "arm,gic-v3");
	if (bootargs_has(dtb, "ktest.hostile"))
		hostile_main(dtb, load_addr);
	if (bootargs_has(dtb, "ktest.isolation"))
		isolation_main();
	if (bootargs_has(dtb, "ktest.passthrough"))
		passthrough_main(0);
	if (bootargs_has(dtb, "ktest.passthrough-reboot"))
		passthrough_main(1);
	if (bootargs_has(dtb, "ktest.reset")) {
		/* A domU that restarts itself (PSCI SYSTEM_RESET): Kestrel destroys and rebuilds it. */
		kprintf("KTEST reset: asking for SYSTEM_RESET\n");
		psci_call(PSCI_0_2_SYSTEM_RESET, 0, 0, 0);
		system_off();
	}
	run_checks(dtb);
	mmu_enable_identity(load_addr);
	if (console_is_buffered())
		console_flush_buffer();
	ktest_prefix = "mmu.";
	run_checks(dtb);
	ktest_prefix = "";
	kprintf("KTEST DONE\n");
	if (console_is_buffered())
		console_flush_buffer();
	system_off();
}
