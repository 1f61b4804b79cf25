// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual CPU interface at pCPU start (arch/arm64/vgic-lr.c, vgic_cpuif_reset_pcpu()):
 * every list register and active-priority register the hardware has is zeroed, whatever
 * reset left there (UNKNOWN: IHI 0069, 12.5.1, 12.5.2, 12.5.10). The system-register
 * accessors of tests/unit/fake/include/asm/sysregs.h land in the small register file here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/sysregs.h>
#include <kestrel/vgic.h>

#define ICH_VTR		"S3_4_C12_C11_1"

static struct { char name[32]; uint64_t val; } regfile[64];

static uint64_t *reg(const char *name)
{
	unsigned int i;

	for (i = 0; i < 64 && regfile[i].name[0]; i++)
		if (!strcmp(regfile[i].name, name))
			return &regfile[i].val;
	assert_true(i < 64);
	snprintf(regfile[i].name, sizeof(regfile[i].name), "%s", name);
	return &regfile[i].val;
}

uint64_t fake_read_sysreg(const char *name)
{
	return *reg(name);
}

void fake_write_sysreg(const char *name, uint64_t val)
{
	*reg(name) = val;
}

static uint64_t fake_sysreg_get(unsigned int cpu, const char *name)
{
	return *reg(name);
}

static void test_vgic_lrs_and_aprs_cleared_at_pcpu_start(void **state)
{
	static const char *const lrs[] = { "S3_4_C12_C12_0", "S3_4_C12_C12_1", "S3_4_C12_C12_2",
		"S3_4_C12_C12_3", "S3_4_C12_C12_4", "S3_4_C12_C12_5", "S3_4_C12_C12_6", "S3_4_C12_C12_7",
		"S3_4_C12_C13_0", "S3_4_C12_C13_1", "S3_4_C12_C13_2", "S3_4_C12_C13_3" };
	char name[32];

	/* 12 list registers (ListRegs = 11), PREbits = 6 (7 bits: 4 APRs of each group). */
	fake_write_sysreg(ICH_VTR, (6UL << 26) | 11);
	for (unsigned int i = 0; i < 12; i++)
		fake_write_sysreg(lrs[i], 0xa0000000000000ffUL + i);	/* valid, pending: stale */
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "S3_4_C12_C8_%u", i);
		fake_write_sysreg(name, 0x80000001);
		snprintf(name, sizeof(name), "S3_4_C12_C9_%u", i);
		fake_write_sysreg(name, 0x80000001);
	}
	fake_write_sysreg("S3_4_C12_C11_7", 0xff000000);	/* ICH_VMCR_EL2 */
	fake_write_sysreg("ich_hcr_el2", 1);

	vgic_cpuif_reset_pcpu();

	assert_int_equal(vgic_nr_lrs(), 12);
	for (unsigned int i = 0; i < 12; i++)
		assert_int_equal(fake_sysreg_get(0, lrs[i]), 0);
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "S3_4_C12_C8_%u", i);
		assert_int_equal(fake_sysreg_get(0, name), 0);
		snprintf(name, sizeof(name), "S3_4_C12_C9_%u", i);
		assert_int_equal(fake_sysreg_get(0, name), 0);
	}
	assert_int_equal(fake_sysreg_get(0, "S3_4_C12_C11_7"), 0);
	assert_int_equal(fake_sysreg_get(0, "ich_hcr_el2"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vgic_lrs_and_aprs_cleared_at_pcpu_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
