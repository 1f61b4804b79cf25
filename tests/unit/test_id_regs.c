// SPDX-License-Identifier: Apache-2.0
/*
 * The ID-register policy (arch/arm64/id_policy.c): what a guest reads of each register
 * for hardware values of the CPUs Kestrel is tested on (QEMU 7.2's -cpu max, cortex-a57).
 * Field positions: Arm ARM D19.2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/id_regs.h>

enum { PFR0, PFR1, DFR0, ISAR0, ISAR1, ISAR2, MMFR0, MMFR1, MMFR2 };

#define FIELD(v, shift)	(((v) >> (shift)) & 0xf)

/* QEMU 7.2 -cpu max, read by Linux at EL1 without a hypervisor. */
static const uint64_t max_pfr0 = 0x1201111111111112UL;	/* SVE, AMU 1, RAS 1, EL0/EL1 AArch32 */
static const uint64_t max_pfr1 = 0x0000000000000221UL;	/* MTE 2, SSBS 2, BT 1 */
static const uint64_t max_dfr0 = 0x000000f110305419UL;	/* PMUVer 4 (v3.4), PMSVer 1, DoubleLock 0xf */
static const uint64_t max_isar1 = 0x0011120101212011UL;	/* pauth APA 1, GPA 1 */

static uint64_t view(unsigned int idx, uint64_t hw, bool pauth)
{
	return id_reg_sanitise(idx, hw, pauth);
}

static void test_id_registers_hide_sve(void **state)
{
	assert_int_equal(FIELD(view(PFR0, max_pfr0, true), 32), 0);
	uint64_t v[NR_ID_REGS] = { [PFR0] = view(PFR0, max_pfr0, true) };
	/* ID_AA64ZFR0_EL1 (CRm 4, op2 4) and ID_AA64SMFR0_EL1 (op2 5) are RAZ. */
	assert_int_equal(id_reg_guest_value(v, 4, 4), 0);
	assert_int_equal(id_reg_guest_value(v, 4, 5), 0);
}

static void test_id_registers_hide_sme_mte(void **state)
{
	uint64_t p1 = view(PFR1, max_pfr1 | (1UL << 24), true);

	assert_int_equal(FIELD(p1, 24), 0);	/* SME */
	assert_int_equal(FIELD(p1, 8), 0);	/* MTE */
	assert_int_equal(FIELD(p1, 0), 1);	/* BT kept */
	assert_int_equal(FIELD(p1, 4), 2);	/* SSBS kept */
}

static void test_id_registers_hide_amu_ras_mpam(void **state)
{
	uint64_t p0 = view(PFR0, max_pfr0 | (1UL << 40), true);

	assert_int_equal(FIELD(p0, 44), 0);	/* AMU */
	assert_int_equal(FIELD(p0, 28), 0);	/* RAS */
	assert_int_equal(FIELD(p0, 40), 0);	/* MPAM */
	assert_int_equal(FIELD(p0, 0), 1);	/* EL0: AArch64 only */
	assert_int_equal(FIELD(p0, 4), 1);	/* EL1: AArch64 only */
	assert_int_equal(FIELD(p0, 16), 1);	/* FP kept */
	assert_int_equal(FIELD(p0, 24), 1);	/* GIC system registers kept */
}

static void test_id_registers_hide_pmu_spe_trbe(void **state)
{
	uint64_t d = view(DFR0, max_dfr0 | (1UL << 44), true);

	assert_int_equal(FIELD(d, 8), 0);	/* PMUVer */
	assert_int_equal(FIELD(d, 32), 0);	/* PMSVer (SPE) */
	assert_int_equal(FIELD(d, 44), 0);	/* TraceBuffer (TRBE) */
	assert_int_equal(FIELD(d, 4), 0);	/* TraceVer */
	assert_int_equal(FIELD(d, 0), 9);	/* DebugVer kept */
	assert_int_equal(FIELD(d, 12), 5);	/* BRPs kept */
	assert_int_equal(FIELD(d, 36), 0xf);	/* DoubleLock kept */
}

static void test_id_registers_pauth_follows_key_switching(void **state)
{
	assert_int_equal(FIELD(view(ISAR1, max_isar1, true), 4), 1);	/* APA */
	assert_int_equal(FIELD(view(ISAR1, max_isar1, true), 24), 1);	/* GPA */
	assert_int_equal(FIELD(view(ISAR1, max_isar1, false), 4), 0);
	assert_int_equal(FIELD(view(ISAR1, max_isar1, false), 24), 0);
	assert_int_equal(FIELD(view(ISAR2, 0x1100UL << 4, false), 12), 0);	/* APA3 */
	assert_int_equal(FIELD(view(ISAR1, max_isar1, false), 0), 1);	/* DPB kept */
}

static void test_id_registers_hide_el2_only_features(void **state)
{
	assert_int_equal(FIELD(view(MMFR1, 0x11UL << 8, true), 8), 0);		/* VH */
	assert_int_equal(FIELD(view(MMFR1, 1UL << 16, true), 16), 0);		/* LO */
	assert_int_equal(FIELD(view(MMFR2, 1UL << 24, true), 24), 0);		/* NV */
	assert_int_equal(FIELD(view(ISAR2, 2, true), 0), 0);			/* WFxT */
	assert_int_equal(FIELD(view(ISAR0, 1UL << 24, true), 24), 0);		/* TME */
	assert_int_equal(view(MMFR0, 0x1122UL, true), 0x1122UL);		/* MMFR0 kept */
}

static void test_id_registers_reserved_and_aarch32_raz(void **state)
{
	uint64_t v[NR_ID_REGS];

	for (unsigned int i = 0; i < NR_ID_REGS; i++)
		v[i] = 0x1111UL + i;
	for (unsigned int crm = 1; crm <= 3; crm++)		/* the AArch32 registers */
		for (unsigned int op2 = 0; op2 < 8; op2++)
			assert_int_equal(id_reg_guest_value(v, crm, op2), 0);
	assert_int_equal(id_reg_guest_value(v, 4, 3), 0);	/* reserved */
	assert_int_equal(id_reg_guest_value(v, 5, 1), 0);	/* ID_AA64DFR1_EL1 */
	assert_int_equal(id_reg_guest_value(v, 7, 3), 0);	/* ID_AA64MMFR3_EL1 */
	assert_int_equal(id_reg_guest_value(v, 4, 0), v[PFR0]);
	assert_int_equal(id_reg_guest_value(v, 7, 2), v[MMFR2]);
}

static void test_id_registers_lowered_across_pcpus(void **state)
{
	/* A second pCPU with fewer features: unsigned fields take the lower value. */
	assert_int_equal(id_reg_lower(ISAR0, 0x21UL << 4, 0x12UL << 4), 0x11UL << 4);
	/* TGran4 (signed): 0xf (not implemented) is below 0 (implemented). */
	assert_int_equal(FIELD(id_reg_lower(MMFR0, 0, 0xfUL << 28), 28), 0xf);
	assert_int_equal(FIELD(id_reg_lower(MMFR0, 1UL << 28, 0), 28), 0);
	/* The same view from both: unchanged. */
	assert_int_equal(id_reg_lower(DFR0, max_dfr0, max_dfr0), max_dfr0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_registers_hide_sve),
		cmocka_unit_test(test_id_registers_hide_sme_mte),
		cmocka_unit_test(test_id_registers_hide_amu_ras_mpam),
		cmocka_unit_test(test_id_registers_hide_pmu_spe_trbe),
		cmocka_unit_test(test_id_registers_pauth_follows_key_switching),
		cmocka_unit_test(test_id_registers_hide_el2_only_features),
		cmocka_unit_test(test_id_registers_reserved_and_aarch32_raz),
		cmocka_unit_test(test_id_registers_lowered_across_pcpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
