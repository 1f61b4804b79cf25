// SPDX-License-Identifier: Apache-2.0
/*
 * SiP service calls (SMCCC owning entity 2: fast calls 0x82000000-0x8200ffff SMC32,
 * 0xc2000000-0xc200ffff SMC64; Arm DEN0028 2.5) from guests. The policy:
 *  - every domain's SiP call gets SMCCC NOT_SUPPORTED (-1), dom0's included, unless
 *  - Kestrel's command line says dom0_sip=forward, the host DT has the ZynqMP firmware
 *    node (compatible "xlnx,zynqmp-firmware", method "smc", as the ZCU102's has), PSCI is
 *    reached by SMC, and that firmware answers EEMI's PM_GET_API_VERSION with XST_PM_SUCCESS
 *    at boot. Then dom0's EEMI calls of the allowlist (sip_eemi_allowed()) go to EL3 with
 *    x1..x7 as dom0 gave them, and x0..x3 come back (EEMI's status and payload); every
 *    other SiP call, and every call of another domain, still gets NOT_SUPPORTED.
 * The allowlist holds the calls Linux's ZynqMP drivers make for the devices dom0 owns
 * (clocks, pin control, resets, node requests, queries) and none that takes a physical
 * address (the firmware would read or write it for the caller: FPGA loads, secure
 * hashing and AES, eFUSE, MMIO access) or acts on the APU's cores or the whole system
 * (suspend, power-down, wake-up, shutdown, INIT_FINALIZE's power-down of unused nodes),
 * which are Kestrel's; of PM_IOCTL only the sub-calls of eemi_ioctl_allowed(). Not
 * filtered by argument: PM_RESET_ASSERT and PM_REQUEST_NODE take any reset line or node,
 * the APU's and RPU's included. dom0 so trusted can still stop a clock or assert a reset Kestrel
 * depends on (its UART's): forwarding is for a dom0 trusted with the SoC's power
 * management, as Xen's dom0 is. QEMU's ZynqMP model has no EEMI firmware: an unknown SMC
 * returns -1 there, so the probe fails and the calls stay refused (tests/boot).
 * EEMI function IDs: PM_SIP_SVC 0xc2000000 + API ID (Linux drivers/firmware/xilinx/zynqmp.c,
 * include/linux/firmware/xlnx-zynqmp.h); PM_GET_API_VERSION returns the status in x0's low
 * 32 bits and the version (major << 16 | minor) in its high 32 bits.
 */
#include <libfdt.h>
#include <asm/smccc.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>

#define EEMI_SIP_SVC		0xc2000000U	/* SMC64 fast call, owner SiP */
#define EEMI_FN_MASK		0xffffU
#define PM_GET_API_VERSION	1
#define XST_PM_SUCCESS		0

static bool eemi_forward;

/*
 * PM_IOCTL's sub-calls dom0's drivers make (SD/eMMC tap delays and DLL, SGMII, PLL
 * fractional mode, USB/ULPI, OSPI mux, reads of the global storage, reset reason, feature
 * reads, SD/GEM configuration); not the RPU's (operating mode, boot address, TCM: an R5
 * core reaches all of DDR), storage writes, the boot-health bit, AFI, probe counters,
 * AIE, REGISTER_SGI (EL3 would raise an SGI Kestrel takes as a kick) or feature writes.
 * IDs: Linux include/linux/firmware/xlnx-zynqmp.h, enum pm_ioctl_id.
 */
static bool eemi_ioctl_allowed(uint32_t id)
{
	switch (id) {
	case 4 ... 11:	/* SET_TAPDELAY_BYPASS, SET_SGMII_MODE, SD_DLL_RESET, SET_SD_TAPDELAY, PLL_FRAC */
	case 13:	/* READ_GGS */
	case 15:	/* READ_PGGS */
	case 16:	/* ULPI_RESET */
	case 21 ... 23:	/* OSPI_MUX_SELECT, USB_SET_STATE, GET_LAST_RESET_REASON */
	case 27:	/* GET_FEATURE_CONFIG */
	case 30 ... 31:	/* SET_SD_CONFIG, SET_GEM_CONFIG */
		return true;
	}
	return false;
}

bool sip_eemi_allowed(uint32_t fid, uint64_t x1)
{
	if ((fid & ~EEMI_FN_MASK) != EEMI_SIP_SVC)
		return false;
	/* EEMI's arguments: x1 = arg1 << 32 | arg0 (Linux zynqmp.c do_fw_call()); an ioctl's arg1 is its ID. */
	if ((fid & EEMI_FN_MASK) == 34)
		return eemi_ioctl_allowed((uint32_t)(x1 >> 32));
	switch (fid & EEMI_FN_MASK) {
	case 0:		/* PM_API_FEATURES */
	case 1:		/* PM_GET_API_VERSION */
	case 3:		/* PM_GET_NODE_STATUS */
	case 4:		/* PM_GET_OPERATING_CHARACTERISTIC */
	case 5:		/* PM_REGISTER_NOTIFIER */
	case 13:	/* PM_REQUEST_NODE */
	case 14:	/* PM_RELEASE_NODE */
	case 15:	/* PM_SET_REQUIREMENT */
	case 16:	/* PM_SET_MAX_LATENCY */
	case 17:	/* PM_RESET_ASSERT */
	case 18:	/* PM_RESET_GET_STATUS */
	case 23:	/* PM_FPGA_GET_STATUS */
	case 24:	/* PM_GET_CHIPID */
	case 28 ... 33:	/* PM_PINCTRL_REQUEST .. PM_PINCTRL_CONFIG_PARAM_SET */
	case 34:	/* PM_IOCTL, by sub-call above */
	case 35:	/* PM_QUERY_DATA */
	case 36 ... 44:	/* PM_CLOCK_ENABLE .. PM_CLOCK_GETPARENT */
	case 49:	/* PM_CLOCK_PLL_GETPARAM */
	case 63:	/* PM_FEATURE_CHECK */
		return true;
	}
	return false;
}

/* The host DT's ZynqMP firmware node, reached by SMC? */
static __init bool has_eemi_node(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "xlnx,zynqmp-firmware");
	const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;

	return method && !strcmp(method, "smc");
}

__init void sip_init(const void *fdt, const char *cmdline, int psci_smc)
{
	struct smccc_regs r = { .x = { EEMI_SIP_SVC | PM_GET_API_VERSION } };
	char buf[16];

	eemi_forward = false;
	if (!cmdline_get(cmdline, "dom0_sip", buf, sizeof(buf)))
		return;
	if (strcmp(buf, "forward"))
		panic("dom0_sip=%s: expected forward", buf);
	if (!psci_smc || !has_eemi_node(fdt)) {
		printk("dom0_sip=forward: no \"xlnx,zynqmp-firmware\" node reached by SMC; SiP calls refused\n");
		return;
	}
	smccc_smc_regs(&r);
	if ((uint32_t)r.x[0] != XST_PM_SUCCESS) {
		printk("dom0_sip=forward: no EEMI firmware (PM_GET_API_VERSION -> 0x%lx); SiP calls refused\n",
		       (unsigned long)r.x[0]);
		return;
	}
	eemi_forward = true;
	printk("dom0_sip=forward: EEMI firmware v%u.%u; dom0's allowed EEMI calls go to it\n",
	       (unsigned int)(r.x[0] >> 48), (unsigned int)(r.x[0] >> 32) & 0xffff);
}

void do_sip(struct vcpu *v, struct cpu_user_regs *regs)
{
	uint32_t fid = (uint32_t)regs->x[0];
	struct smccc_regs r;

	if (!eemi_forward || v->domain->domain_id != 0 || !sip_eemi_allowed(fid, regs->x[1])) {
		regs->x[0] = (uint64_t)SMCCC_NOT_SUPPORTED;
		return;
	}
	r.x[0] = fid;
	for (unsigned int i = 1; i < 8; i++)
		r.x[i] = regs->x[i];
	smccc_smc_regs(&r);
	for (unsigned int i = 0; i < 4; i++)
		regs->x[i] = r.x[i];
}
