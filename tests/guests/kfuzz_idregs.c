// SPDX-License-Identifier: Apache-2.0
/*
 * kfuzz's ID-register check: every vCPU reads every ID register (op0 3, op1 0, CRn 0,
 * CRm 1-7, all trapped by HCR_EL2.TID3), and vCPU 0 checks that all vCPUs agree and that
 * the features Kestrel hides read as its policy says (docs/id-registers.md): SVE, SME,
 * MTE, AMU, RAS, MPAM, the PMU, SPE, trace and TRBE zero, EL0/EL1 AArch64 only, the
 * AArch32 and reserved registers zero. A read that undefs is fatal (kfuzz's vectors).
 * Field positions: Arm ARM D19.2.
 */
#include "ktest.h"
#include "kfuzz.h"

#define PSCI_CPU_ON_64		0xc4000003UL
#define NR_IDREGS		56	/* CRm 1-7, op2 0-7 */
#define IDX(crm, op2)		(((crm) - 1) * 8 + (op2))
#define FIELD(v, shift)		(((v) >> (shift)) & 0xf)

static volatile uint64_t idregs[KFUZZ_IDREGS_VCPUS][NR_IDREGS];
static volatile uint32_t idregs_done[KFUZZ_IDREGS_VCPUS];

#define R(crm, op2) \
	__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v)); out[IDX(crm, op2)] = v;
#define ROW(crm) R(crm, 0) R(crm, 1) R(crm, 2) R(crm, 3) R(crm, 4) R(crm, 5) R(crm, 6) R(crm, 7)

static void read_all(volatile uint64_t *out)
{
	uint64_t v;

	ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
}

/* Called by kfuzz_idregs_entry (kfuzz_asm.S) on a secondary vCPU started below; then it parks. */
void kfuzz_idregs_secondary(uint64_t vcpu)
{
	if (vcpu >= KFUZZ_IDREGS_VCPUS)
		return;
	read_all(idregs[vcpu]);
	__atomic_store_n(&idregs_done[vcpu], 1, __ATOMIC_RELEASE);
}

static uint64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64, x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry, x3 __asm__("x3") = ctx;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static unsigned int expect_zero(unsigned int vcpu, unsigned int idx, uint64_t mask, const char *what)
{
	uint64_t v = idregs[vcpu][idx];

	if (!(v & mask))
		return 0;
	kprintf("KFUZZ FAIL idregs vCPU %u CRm %u op2 %u = 0x%lx: %s not hidden\n", vcpu, idx / 8 + 1, idx % 8,
		v, what);
	return 1;
}

/* The policy's hidden fields and registers, on vCPU @v: the number of violations. */
static unsigned int check_policy(unsigned int v)
{
	static const uint8_t raz[][2] = { { 4, 2 }, { 4, 3 }, { 4, 4 }, { 4, 5 }, { 4, 6 }, { 4, 7 }, { 5, 1 },
					  { 5, 2 }, { 5, 3 }, { 5, 4 }, { 5, 5 }, { 5, 6 }, { 5, 7 }, { 6, 3 },
					  { 6, 4 }, { 6, 5 }, { 6, 6 }, { 6, 7 }, { 7, 3 }, { 7, 4 }, { 7, 5 },
					  { 7, 6 }, { 7, 7 } };
	unsigned int bad = 0;
	uint64_t pfr0 = idregs[v][IDX(4, 0)];

	for (unsigned int i = IDX(1, 0); i <= IDX(3, 7); i++)
		bad += expect_zero(v, i, ~0UL, "AArch32 ID register");
	for (unsigned int i = 0; i < sizeof(raz) / sizeof(raz[0]); i++)
		bad += expect_zero(v, IDX(raz[i][0], raz[i][1]), ~0UL, "ZFR0/SMFR0/reserved register");
	bad += expect_zero(v, IDX(4, 0), 0xfUL << 32, "SVE");
	bad += expect_zero(v, IDX(4, 0), 0xfUL << 44, "AMU");
	bad += expect_zero(v, IDX(4, 0), 0xfUL << 28, "RAS");
	bad += expect_zero(v, IDX(4, 0), 0xfUL << 40, "MPAM");
	bad += expect_zero(v, IDX(4, 1), 0xfUL << 8, "MTE");
	bad += expect_zero(v, IDX(4, 1), 0xfUL << 24, "SME");
	bad += expect_zero(v, IDX(5, 0), 0xfUL << 8, "PMU");
	bad += expect_zero(v, IDX(5, 0), 0xfUL << 32, "SPE");
	bad += expect_zero(v, IDX(5, 0), 0xfUL << 44, "TRBE");
	bad += expect_zero(v, IDX(5, 0), 0xfUL << 4, "trace");
	if (FIELD(pfr0, 0) != 1 || FIELD(pfr0, 4) != 1) {
		kprintf("KFUZZ FAIL idregs vCPU %u ID_AA64PFR0_EL1 0x%lx: EL0/EL1 not AArch64-only\n", v, pfr0);
		bad++;
	}
	return bad;
}

unsigned int kfuzz_idregs_check(unsigned int vcpus)
{
	unsigned int bad = 0, up = 1;

	if (vcpus > KFUZZ_IDREGS_VCPUS)
		vcpus = KFUZZ_IDREGS_VCPUS;
	read_all(idregs[0]);
	idregs_done[0] = 1;
	for (unsigned int v = 1; v < vcpus; v++) {
		/* dom0's vCPU n has MPIDR Aff0 = n; a started vCPU reads and parks (kfuzz_asm.S). */
		if (cpu_on(v, (uintptr_t)kfuzz_idregs_entry, v)) {
			kprintf("KFUZZ FAIL idregs: PSCI CPU_ON of vCPU %u failed\n", v);
			bad++;
			continue;
		}
		for (uint64_t i = 0; !__atomic_load_n(&idregs_done[v], __ATOMIC_ACQUIRE) && i < (1UL << 28); i++)
			;
		if (!idregs_done[v]) {
			kprintf("KFUZZ FAIL idregs: vCPU %u did not report\n", v);
			bad++;
			continue;
		}
		up++;
	}
	for (unsigned int v = 0; v < vcpus; v++) {
		if (!idregs_done[v])
			continue;
		bad += check_policy(v);
		for (unsigned int i = 0; i < NR_IDREGS; i++)
			if (idregs[v][i] != idregs[0][i]) {
				kprintf("KFUZZ FAIL idregs vCPU %u CRm %u op2 %u = 0x%lx, vCPU 0 reads 0x%lx\n", v,
					i / 8 + 1, i % 8, idregs[v][i], idregs[0][i]);
				bad++;
			}
	}
	kprintf("KFUZZ idregs vCPUs=%u registers=%u PFR0=0x%016lx DFR0=0x%016lx %s\n", up, NR_IDREGS,
		idregs[0][IDX(4, 0)], idregs[0][IDX(5, 0)], bad ? "FAILED" : "OK");
	return bad;
}
