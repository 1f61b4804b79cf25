// SPDX-License-Identifier: Apache-2.0
/*
 * Isolation checks, run by the ktest guest booted as a dom0less domU with
 * "ktest.isolation" on its command line (tests/boot/test_dom0less.py). The domU has the
 * artificial guest map of Xen public/arch-arm.h: ISOL_RAM_SIZE of RAM at GUEST_RAM0_BASE,
 * its vGICv3 at GUEST_GICV3_*, its vpl011 at GUEST_PL011_BASE, nothing else. Every access
 * outside that — dom0's RAM by IPA (wherever the board put it: every 2 MiB of the first 4 GiB is
 * tried), past its own RAM, a GIC offset Kestrel does not emulate — must come back as a
 * synchronous external data abort, and every privileged hypercall as -EPERM. Output is
 * "KTEST <name> PASS|FAIL <details>" lines (console_io, "(dN) " prefixed by Kestrel),
 * then "KTEST DONE" and PSCI SYSTEM_OFF, which ends this domU only.
 */
#include "ktest.h"
#include "ktrap.h"

#define GUEST_RAM0_BASE		0x40000000UL
#define ISOL_RAM_SIZE		(64UL << 20)	/* tests/boot/test_dom0less.py gives it 64 MiB */
#define GUEST_GICD		0x03001000UL
#define GUEST_GICR0		0x03020000UL
#define GUEST_PL011		0x22000000UL	/* its vpl011 */
#define GICR_FRAMES		0x20000UL	/* RD + SGI frame of one vCPU */
#define GICD_NOT_EMULATED	0xc000UL	/* reserved, IHI 0069 12.9: between GICD_IGRPMODR and IROUTER */
#define PROBE_STEP		(2UL << 20)
#define PROBE_END		(4UL << 30)

#define HC_SYSCTL		35
#define HC_DOMCTL		36
#define CONSOLEIO_READ		1
#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_status		5

/* Is @ipa one of this domU's own RAM or emulated frames (which must not abort)? */
static int is_own(uint64_t ipa)
{
	return (ipa >= GUEST_RAM0_BASE && ipa < GUEST_RAM0_BASE + ISOL_RAM_SIZE) ||
	       (ipa >= GUEST_GICD && ipa < GUEST_GICD + 0x10000) ||
	       (ipa >= GUEST_GICR0 && ipa < GUEST_GICR0 + GICR_FRAMES) ||
	       (ipa >= GUEST_PL011 && ipa < GUEST_PL011 + 0x1000);
}

/* Every 2 MiB of the first 4 GiB outside the domU's own map: one abort per access. */
/* One synchronous external data abort for @far, from the current EL. */
static int one_dabt_far(uint64_t far)
{
	return trap_log.count == 1 && ESR_EC(trap_log.esr) == EC_DABT_CUR && trap_log.far == far;
}

static void check_sweep(int write)
{
	unsigned int probes = 0, aborts = 0;
	uint64_t first_bad = 0;

	for (uint64_t ipa = 0; ipa < PROBE_END; ipa += PROBE_STEP) {
		if (is_own(ipa))
			continue;
		trap_arm();
		if (write)
			mmio_write64(ipa, 0xbadc0ffee0ddf00dUL);
		else
			(void)mmio_read64(ipa);
		trap_disarm();
		probes++;
		if (trap_log.count == 1 && ESR_EC(trap_log.esr) == EC_DABT_CUR && trap_log.far == ipa)
			aborts++;
		else if (!first_bad)
			first_bad = ipa ? ipa : 1;
	}
	ktest_result(write ? "isolation_write_outside_map" : "isolation_read_outside_map",
		     probes && aborts == probes, "%u of %u accesses aborted (first that did not: 0x%lx)", aborts,
		     probes, first_bad);
}

static void check_one(const char *name, uint64_t ipa, int write)
{
	uint64_t at;

	trap_arm();
	if (write) {
		__asm__ volatile("adr %0, 1f\n1: str xzr, [%1]" : "=&r"(at) : "r"(ipa) : "memory");
	} else {
		uint64_t v;

		__asm__ volatile("adr %0, 1f\n1: ldr %1, [%2]" : "=&r"(at), "=r"(v) : "r"(ipa) : "memory");
	}
	trap_disarm();
	ktest_result(name, one_dabt(at, ipa, write), DABT_DETAILS, DABT_ARGS(at));
}

struct priv_call {
	const char *name;
	uint64_t nr, a0, a1;
	int arg_struct;		/* a1 (or a0 when a1 is unused) points at @args */
	uint32_t args[8];
	long want;
};

static uint32_t call_args[8] __attribute__((aligned(16)));

static void check_privileged(void)
{
	static const struct priv_call calls[] = {
		{ "priv_platform_op", HC_PLATFORM_OP, 0, 0, 1, { 0 }, -EPERM },
		{ "priv_physdev_op", HC_PHYSDEV_OP, PHYSDEVOP_pci_device_add, 0, 1, { 0 }, -EPERM },
		{ "priv_sysctl", HC_SYSCTL, 0, 0, 1, { 0 }, -EPERM },
		{ "priv_domctl", HC_DOMCTL, 0, 0, 1, { 0 }, -EPERM },
		/* xen_add_to_physmap: domid 0 (u16), space, idx, gpfn */
		{ "priv_add_to_physmap_dom0", HC_MEMORY_OP, XENMEM_add_to_physmap, 0, 1,
		  { 0, 0, 0, 0, 0, 0 }, -EPERM },
		{ "priv_reservation_dom0", HC_MEMORY_OP, XENMEM_current_reservation, 0, 1, { 0 }, -EPERM },
		/* evtchn_alloc_unbound: dom 0 (u16), remote_dom self */
		{ "priv_alloc_unbound_in_dom0", HC_EVENT_CHANNEL_OP, EVTCHNOP_alloc_unbound, 0, 1,
		  { 0x7ff00000 }, -EPERM },
		/* evtchn_status: dom 0, port 1 */
		{ "priv_evtchn_status_dom0", HC_EVENT_CHANNEL_OP, EVTCHNOP_status, 0, 1, { 0, 1 }, -EPERM },
		/* xen_hvm_param: domid 0, pad, index 0 */
		{ "priv_hvm_param_dom0", HC_HVM_OP, HVMOP_get_param, 0, 1, { 0, 0, 0, 0 }, -EPERM },
		/* evtchn_bind_interdomain: remote_dom 0, remote_port 1 — never offered to us */
		{ "evtchn_bind_dom0_port_not_offered", HC_EVENT_CHANNEL_OP, EVTCHNOP_bind_interdomain, 0, 1,
		  { 0, 1 }, -EINVAL },
	};

	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct priv_call *c = &calls[i];
		long ret;

		memcpy(call_args, c->args, sizeof(call_args));
		ret = hypercall(c->nr, c->nr == HC_PLATFORM_OP || c->nr == HC_SYSCTL || c->nr == HC_DOMCTL ?
					       (uintptr_t)call_args : c->a0,
				(uintptr_t)call_args, 0);
		ktest_result(c->name, ret == c->want, "returned %ld (want %ld)", ret, c->want);
	}
	{
		char buf[16];
		long ret = hypercall(HC_CONSOLE_IO, CONSOLEIO_READ, sizeof(buf), (uintptr_t)buf);

		ktest_result("priv_console_read", ret == -EPERM, "returned %ld (want %d)", ret, -EPERM);
	}
}

/* ---- p2m changes a domU may make to itself -------------------------------------------- */

#define VCPUOP_REGISTER_VCPU_INFO	10
static uint8_t physmap_pages[3][4096] __attribute__((aligned(4096)));

static long physmap_call(uint64_t cmd, uint32_t space, uint64_t gpfn)
{
	static struct {
		uint16_t domid, size;
		uint32_t space;
		uint64_t idx, gpfn;
	} a;

	a = (typeof(a)){ .domid = DOMID_SELF, .space = space, .gpfn = gpfn };
	if (cmd == XENMEM_remove_from_physmap)	/* struct xen_remove_from_physmap: domid, gpfn at 8 */
		a.idx = gpfn;
	return hypercall(HC_MEMORY_OP, cmd, (uintptr_t)&a, 0);
}

/*
 * A RAM page holding this vCPU's vcpu_info (which Kestrel writes) can be neither removed
 * nor covered by the shared-info page: -EBUSY, the page kept (else it would go back to the
 * heap while Kestrel still writes into it: another domain's memory). Other RAM pages can:
 * removed, the frame is a hole; the heap count at this domU's destruction (test_dom0less.py)
 * shows each given back exactly once.
 */
static void check_physmap(void)
{
	struct {
		uint64_t mfn;
		uint32_t offset, rsvd;
	} info = { .mfn = (uintptr_t)physmap_pages[0] >> 12, .offset = 0 };
	uint64_t at = (uintptr_t)physmap_pages[1];
	long reg, rm, cover, rm2, again, shinfo;

	physmap_pages[0][0] = 0xa5;
	reg = hypercall(HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, (uintptr_t)&info);
	rm = physmap_call(XENMEM_remove_from_physmap, 0, info.mfn);
	cover = physmap_call(XENMEM_add_to_physmap, XENMAPSPACE_shared_info, info.mfn);
	ktest_result("physmap_vcpu_info_page_kept", reg == 0 && rm == -EBUSY && cover == -EBUSY,
		     "register_vcpu_info -> %ld, remove its page -> %ld, shared info over it -> %ld", reg, rm,
		     cover);

	physmap_pages[1][0] = 1;
	rm2 = physmap_call(XENMEM_remove_from_physmap, 0, at >> 12);
	again = physmap_call(XENMEM_remove_from_physmap, 0, at >> 12);
	trap_arm();
	(void)mmio_read64(at);
	trap_disarm();
	shinfo = physmap_call(XENMEM_add_to_physmap, XENMAPSPACE_shared_info,
			      (uintptr_t)physmap_pages[2] >> 12);
	ktest_result("physmap_domu_ram_removed",
		     rm2 == 0 && again == -ENOENT && one_dabt_far(at) && shinfo == 0,
		     "remove -> %ld, again -> %ld, load from it: traps=%lu FAR=0x%lx; shared info over RAM -> %ld",
		     rm2, again, trap_log.count, trap_log.far, shinfo);
}

_Noreturn void isolation_main(void)
{
	check_sweep(0);
	check_sweep(1);
	check_one("isolation_write_past_ram", GUEST_RAM0_BASE + ISOL_RAM_SIZE, 1);
	check_one("isolation_read_past_ram", GUEST_RAM0_BASE + ISOL_RAM_SIZE + PROBE_STEP, 0);
	check_one("isolation_gicd_not_emulated", GUEST_GICD + GICD_NOT_EMULATED, 0);
	check_one("isolation_gicr_beyond_vcpus", GUEST_GICR0 + GICR_FRAMES, 0);
	check_privileged();
	check_physmap();
	check_firmware_calls(GUEST_GICR0 + GICR_SGI_FRAME);
	kprintf("KTEST DONE\n");
	system_off();
}
