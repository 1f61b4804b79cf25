// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of the SiP-call policy (arch/arm64/sip.c): without dom0_sip=forward, or
 * without the host DT's "xlnx,zynqmp-firmware" node reached by SMC, or when the firmware
 * does not answer PM_GET_API_VERSION (QEMU's ZynqMP model returns -1), every SiP call of
 * every domain gets SMCCC NOT_SUPPORTED and no SMC is made for it; with all three, dom0's
 * allowlisted EEMI calls go to the (fake) firmware with x0..x7 as dom0 gave them and its
 * x0..x3 come back, while calls outside the allowlist (address-taking ones, APU and system
 * power, the SMC32 form) and every domU call are still refused.
 * Fakes: smccc_smc_regs() records each call and answers with fw_answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libfdt.h>
#include <asm/smccc.h>
#include <kestrel/domain.h>

#define EEMI(n)		(0xc2000000U | (n))

static struct smccc_regs fw_calls[8];
static unsigned int nr_fw_calls;
static uint64_t fw_answer[4];

void smccc_smc_regs(struct smccc_regs *r)
{
	assert_true(nr_fw_calls < 8);
	fw_calls[nr_fw_calls++] = *r;
	memcpy(r->x, fw_answer, sizeof(fw_answer));
}

static char fdt_buf[1024];

/* A host DT with a /firmware/zynqmp-firmware node of @method (NULL: no such node). */
static const void *host_dt(const char *method)
{
	assert_int_equal(fdt_create(fdt_buf, sizeof(fdt_buf)), 0);
	assert_int_equal(fdt_finish_reservemap(fdt_buf), 0);
	assert_int_equal(fdt_begin_node(fdt_buf, ""), 0);
	if (method) {
		assert_int_equal(fdt_begin_node(fdt_buf, "firmware"), 0);
		assert_int_equal(fdt_begin_node(fdt_buf, "zynqmp-firmware"), 0);
		assert_int_equal(fdt_property_string(fdt_buf, "compatible", "xlnx,zynqmp-firmware"), 0);
		assert_int_equal(fdt_property_string(fdt_buf, "method", method), 0);
		assert_int_equal(fdt_end_node(fdt_buf), 0);
		assert_int_equal(fdt_end_node(fdt_buf), 0);
	}
	assert_int_equal(fdt_end_node(fdt_buf), 0);
	assert_int_equal(fdt_finish(fdt_buf), 0);
	return fdt_buf;
}

static struct domain dom0 = { .domain_id = 0 }, domu = { .domain_id = 1 };
static struct vcpu v_dom0 = { .domain = &dom0 }, v_domu = { .domain = &domu };

/* @v's SiP call @fid with x1..x7 = 0x11 * n: x0 afterwards (x1..x3 to @out if given). */
static uint64_t call(struct vcpu *v, uint32_t fid, uint64_t *out)
{
	struct cpu_user_regs regs = { 0 };

	regs.x[0] = fid;
	for (unsigned int i = 1; i < 8; i++)
		regs.x[i] = 0x11 * i;
	do_sip(v, &regs);
	if (out)
		memcpy(out, &regs.x[1], 3 * sizeof(uint64_t));
	return regs.x[0];
}

static int reset(void **state)
{
	nr_fw_calls = 0;
	memset(fw_calls, 0, sizeof(fw_calls));
	fw_answer[0] = 0x0001000100000000UL;	/* version 1.1, XST_PM_SUCCESS */
	fw_answer[1] = 0xa1;
	fw_answer[2] = 0xa2;
	fw_answer[3] = 0xa3;
	return 0;
}

static void test_allowlist(void **state)
{
	static const unsigned int allowed[] = { 0, 1, 3, 4, 5, 13, 14, 15, 16, 17, 18, 23, 24, 28, 33, 34,
						35, 36, 44, 49, 63 };
	/* SET_CONFIGURATION, suspend/power-down/wake-up/shutdown, MMIO, INIT_FINALIZE, FPGA
	 * load/read, secure SHA/RSA/image/AES, REGISTER/EFUSE_ACCESS, unknown numbers. */
	static const unsigned int refused[] = { 2, 6, 7, 8, 9, 10, 11, 12, 19, 20, 21, 22, 25, 26, 27, 45,
						46, 47, 52, 53, 64, 0xffff };

	for (unsigned int i = 0; i < ARRAY_SIZE(allowed); i++)
		assert_true(sip_eemi_allowed(EEMI(allowed[i]), 7UL << 32));
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++)
		assert_false(sip_eemi_allowed(EEMI(refused[i]), 7UL << 32));
	/* Only the SMC64 form Linux uses (PM_SIP_SVC), not SMC32 or another owner's. */
	assert_false(sip_eemi_allowed(0x82000001U, 0));
	assert_false(sip_eemi_allowed(0xc3000001U, 0));
	assert_false(sip_eemi_allowed(0xc2010001U, 0));
}

/* PM_IOCTL by sub-call (x1 bits 63:32): the SD tap delay yes, the RPU's and REGISTER_SGI no. */
static void test_ioctl_sub_calls(void **state)
{
	static const unsigned int allowed[] = { 4, 6, 7, 8, 11, 13, 15, 16, 21, 23, 27, 30, 31 };
	static const unsigned int refused[] = {
		0, 1, 2, 3, 12, 14, 17, 18, 19, 20, 24, 25, 26, 28, 0xffffffff
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(allowed); i++)
		assert_true(sip_eemi_allowed(EEMI(34), (uint64_t)allowed[i] << 32 | 39));
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++)
		assert_false(sip_eemi_allowed(EEMI(34), (uint64_t)refused[i] << 32 | 39));
}

static void test_refused_by_default(void **state)
{
	sip_init(host_dt("smc"), "dom0_mem=512M", 1);
	assert_int_equal(nr_fw_calls, 0);		/* no probe without the option */
	assert_int_equal(call(&v_dom0, EEMI(1), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(call(&v_domu, EEMI(1), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(nr_fw_calls, 0);
}

static void test_no_node_or_not_smc(void **state)
{
	sip_init(host_dt(NULL), "dom0_sip=forward", 1);
	sip_init(host_dt("hvc"), "dom0_sip=forward", 1);
	sip_init(host_dt("smc"), "dom0_sip=forward", 0);	/* PSCI by HVC: no EL3 SMC path */
	assert_int_equal(nr_fw_calls, 0);
	assert_int_equal(call(&v_dom0, EEMI(36), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(nr_fw_calls, 0);
}

static void test_firmware_silent(void **state)
{
	fw_answer[0] = ~0UL;	/* QEMU: an unknown SMC returns -1 */
	sip_init(host_dt("smc"), "dom0_sip=forward", 1);
	assert_int_equal(nr_fw_calls, 1);
	assert_int_equal(fw_calls[0].x[0], EEMI(1));		/* PM_GET_API_VERSION */
	assert_int_equal(call(&v_dom0, EEMI(36), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(nr_fw_calls, 1);
}

static void test_forwarded_for_dom0_only(void **state)
{
	uint64_t out[3];

	sip_init(host_dt("smc"), "mem=1G dom0_sip=forward", 1);
	assert_int_equal(nr_fw_calls, 1);
	fw_answer[0] = 0x1234;
	assert_int_equal(call(&v_dom0, EEMI(36), out), 0x1234);		/* PM_CLOCK_ENABLE */
	assert_int_equal(nr_fw_calls, 2);
	assert_int_equal(fw_calls[1].x[0], EEMI(36));
	for (unsigned int i = 1; i < 8; i++)
		assert_int_equal(fw_calls[1].x[i], 0x11 * i);
	assert_int_equal(out[0], 0xa1);
	assert_int_equal(out[1], 0xa2);
	assert_int_equal(out[2], 0xa3);
	/* Refused, and no SMC made: a domU's call, address-taking and system calls, SMC32. */
	assert_int_equal(call(&v_domu, EEMI(36), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(call(&v_dom0, EEMI(22), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);	/* FPGA_LOAD */
	assert_int_equal(call(&v_dom0, EEMI(12), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);	/* SHUTDOWN */
	assert_int_equal(call(&v_dom0, 0x82000024U, NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(nr_fw_calls, 2);
	/* A later boot-time decision replaces this one (sip_init() starts from "refuse"). */
	sip_init(host_dt(NULL), "dom0_sip=forward", 1);
	assert_int_equal(call(&v_dom0, EEMI(36), NULL), (uint64_t)SMCCC_NOT_SUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_allowlist, reset),
		cmocka_unit_test_setup(test_ioctl_sub_calls, reset),
		cmocka_unit_test_setup(test_refused_by_default, reset),
		cmocka_unit_test_setup(test_no_node_or_not_smc, reset),
		cmocka_unit_test_setup(test_firmware_silent, reset),
		cmocka_unit_test_setup(test_forwarded_for_dom0_only, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
