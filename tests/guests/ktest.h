// SPDX-License-Identifier: Apache-2.0
/*
 * ktest guest: constants shared by its C and assembly files, and the C helpers
 * (hypercalls, PSCI, console output) the checks use.
 */
#ifndef KTEST_H
#define KTEST_H

/* Xen ABI (public/xen.h, public/arch-arm.h, public/version.h). */
#define XEN_HYPERCALL_TAG	0xEA1
#define HC_XEN_VERSION		17
#define HC_CONSOLE_IO		18
#define HC_VCPU_OP		24
#define HC_KESTREL_NOP		63	/* CONFIG_BENCHMARK_HYPERCALL */
#define CONSOLEIO_WRITE		0
#define XENVER_VERSION		0
#define XENVER_EXTRAVERSION	1

/* PSCI function IDs (Arm DEN0022), called with HVC #0. */
#define PSCI_0_2_VERSION	0x84000000
#define PSCI_0_2_SYSTEM_OFF	0x84000008
#define PSCI_0_2_SYSTEM_RESET	0x84000009

/* QEMU virt: GICv3 distributor, trapped and emulated by the hypervisor. */
#define GICD_BASE		0x08000000
#define GICR_BASE		0x080a0000	/* redistributor of vCPU 0 */
#define GICR_SGI_FRAME		0x10000		/* its SGI_base frame: the SGI/PPI registers */
#define GICD_TYPER		0x0004
#define GICD_PIDR2		0xffe8
#define GICD_V2_PIDR2		0x0fe8		/* GICv2 (QEMU virt gic-version=2): a 4 KiB frame */

/*
 * An IPA below 2^40 that nothing is mapped at: 128 GiB, between QEMU virt's RAM
 * (1 GiB + -m) and its high MMIO (256 GiB up). Not 0xf0_0000_0000: that lies in the
 * high PCIe MMIO window (512 GiB, 512 GiB long), which dom0 gets mapped 1:1.
 */
#define UNMAPPED_IPA		0x2000000000

/* Layout of struct trap_log, for vectors.S. */
#define TRAP_LOG_ESR		0
#define TRAP_LOG_ELR		8
#define TRAP_LOG_FAR		16
#define TRAP_LOG_COUNT		24
#define TRAP_LOG_ARMED		32

#ifndef __ASSEMBLER__
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

/* Exceptions taken while armed: the last one's syndrome and how many there were. */
struct trap_log {
	uint64_t esr, elr, far, count, armed;
};
extern volatile struct trap_log trap_log;

/* fpsimd.S: q0..q31, FPCR and FPSR (as read back) after the traps; see there. */
struct fpsimd_state {
	uint64_t q[32][2];
	uint64_t fpcr, fpsr;
};
void fpsimd_trap_check(const struct fpsimd_state *in, struct fpsimd_state *out);

/* Console output: sent at once, or kept in RAM until console_flush_buffer(). */
void console_set_buffered(int on);
int console_is_buffered(void);
long console_flush_buffer(void);
extern const char *ktest_prefix;	/* prepended to check names */

/*
 * firmware.c: SiP calls refused, PSCI CPU_SUSPEND's power_state format, a power-down
 * CPU_SUSPEND woken by the virtual timer, whose PPI is enabled at @ppi_bank: the frame
 * holding this CPU's ISENABLER0 (0x100), ICENABLER0 (0x180) and ICPENDR0 (0x280), the
 * GICv3 redistributor's SGI_base frame or the GICv2 distributor.
 */
void check_firmware_calls(uint64_t ppi_bank);

/*
 * dtb_has_compatible() - does a node of the flattened device tree at @dtb have @compat
 * in its "compatible" list? The same walk as bootargs_has(), byte loads only (ktest.c).
 */
int dtb_has_compatible(uint64_t dtb, const char *compat);

/*
 * hostile.c: the hostile-input checks, run when dom0's command line says "ktest.hostile";
 * GICv2 or GICv3 as the device tree at @dtb describes dom0's GIC.
 */
_Noreturn void hostile_main(uint64_t dtb, uint64_t load_addr);

/*
 * hostile_gicv2.c: the vGIC checks of hostile.c for a GICv2 (GICD 4 KiB, GICC backed by the
 * host's GICV): allowed byte accesses (IPRIORITYR, ITARGETSR), registers out of range, past
 * the GICD frame, GICC reached without a trap.
 */
void hostile_gicv2_widths_allowed(void);
void hostile_gicv2_out_of_range(void);

/* isolation.c: the isolation checks of a dom0less domU ("ktest.isolation"). */
_Noreturn void isolation_main(void);

/* passthrough.c: a dom0less domU given QEMU virt's PL031 by its partial DT ("ktest.passthrough"). */
_Noreturn void passthrough_main(int reboot_active);

int mmu_is_on(void);
void mmu_enable_identity(uint64_t ram);
void mmu_remap_gib(uint64_t gib, int normal);
extern uint64_t ktest_load_addr;

long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
uint64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
long console_write(const void *buf, unsigned int len);

/* Formatted console output, one hypercall per line: %s %c %d %u %x %p, l/ll/z, 0 and width. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ktest_result(const char *name, int pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void system_off(void);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

static inline uint64_t read_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
#endif
#endif
