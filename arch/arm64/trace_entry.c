// SPDX-License-Identifier: Apache-2.0
/*
 * The exit hook of trace=counts|on (include/kestrel/trace.h): trace_vectors.S calls
 * trace_guest_exit() at every lower-EL exception before the ordinary vector runs, with
 * ESR_EL2, ELR_EL2 and the GIC untouched. It counts the exit and, with trace=on, records
 * it. Exception classes: Arm ARM D17.2.37 (ESR_EL2.EC); the hypercall ABI (x16 = number,
 * HVC #0xEA1): Xen public/arch-arm.h; SMCCC (HVC/SMC #0, w0 = function ID): Arm DEN0028.
 */
#include <asm/gic-v2.h>
#include <asm/pcpu.h>
#include <asm/regs.h>
#include <asm/sysregs.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/trace.h>
#include <public/arch-arm.h>

extern char el2_vectors[], trace_vectors[];

/* Vector slots of the lower-EL entries, in table order (Arm ARM D1.10.2). */
enum { SLOT_SYNC, SLOT_IRQ, SLOT_FIQ, SLOT_SERROR };

#define ESR_IMM16(esr)	((esr) & 0xffff)

static const char *const ec_names[TRACE_NR_EC] = {
	[0x00] = "UNKNOWN", [0x01] = "WFx", [0x03] = "CP15_32", [0x04] = "CP15_64",
	[0x05] = "CP14_MR", [0x06] = "CP14_LS", [0x07] = "FP_ASIMD", [0x0c] = "CP14_64",
	[0x0e] = "IL", [0x11] = "SVC32", [0x12] = "HVC32", [0x13] = "SMC32", [0x15] = "SVC64",
	[0x16] = "HVC64", [0x17] = "SMC64", [0x18] = "SYS64", [0x19] = "SVE", [0x1d] = "SME",
	[0x20] = "IABT_LOW", [0x22] = "PC_ALIGN", [0x24] = "DABT_LOW", [0x26] = "SP_ALIGN",
	[0x28] = "FP32", [0x2c] = "FP64", [0x2f] = "SERROR", [0x30] = "BRK_LOW", [0x32] = "SSTEP_LOW",
	[0x34] = "WATCH_LOW", [0x38] = "BKPT32", [0x3c] = "BRK64",
};

const char *arch_trace_ec_name(unsigned int ec)
{
	return ec < TRACE_NR_EC ? ec_names[ec] : NULL;
}

uintptr_t trace_vbar(void)
{
	return (uintptr_t)(trace_mode() == TRACE_OFF ? el2_vectors : trace_vectors);
}

void arch_trace_install(void)
{
	write_sysreg(trace_vbar(), vbar_el2);
	isb();
}

uint64_t arch_trace_time(void)
{
	return read_sysreg(cntpct_el0);
}

/*
 * The INTID the pending IRQ will be acknowledged as, without acknowledging it: GICv3's
 * ICC_HPPIR1_EL1 (IHI 0069 12.2.13), GICv2's GICC_HPPIR (IHI 0048B 4.4.8).
 */
static uint64_t pending_intid(void)
{
	if (bootinfo.gic.version == 2)
		return gic_v2_pending_intid();
	return read_sysreg(S3_0_C12_C12_2) & 0xffffff;	/* ICC_HPPIR1_EL1 */
}

/* A vCPU other than the previous exit's on this pCPU: it was switched in at sched.started. */
static void record_switch(struct trace_pcpu *t, struct vcpu *v)
{
	struct vcpu *prev = t->last;
	uint64_t from = prev ? (uint64_t)prev->domain->domain_id << 16 | prev->vcpu_id : ~0UL;

	t->last = v;
	if (!trace_recording())
		return;
	trace_record_event(TRACE_EV_SWITCH, 0, from, 0);
	t->ring[(t->next - 1) & (CONFIG_TRACE_RECORDS - 1)].time = v->sched.started;
}

/* A synchronous exit: its class, and the call it makes if it is one. */
static void sync_exit(struct trace_pcpu *t, const struct cpu_user_regs *regs, bool aarch64)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	unsigned int event = TRACE_EV_TRAP;
	uint64_t arg = esr;

	t->counts.ec[ec]++;
	if (aarch64 && ec == ESR_EC_HVC64 && ESR_IMM16(esr) == XEN_HYPERCALL_TAG) {
		event = TRACE_EV_HYPERCALL;
		arg = regs->x[16];
		if (arg < TRACE_NR_HYPERCALLS)
			t->counts.hypercall[arg]++;
		else
			t->counts.hypercall_other++;
	} else if (aarch64 && (ec == ESR_EC_HVC64 || ec == ESR_EC_SMC64) && ESR_IMM16(esr) == 0) {
		event = TRACE_EV_SMCCC;
		arg = (uint32_t)regs->x[0];
		t->counts.smccc++;
	}
	if (trace_recording())
		trace_record_event(event, ec, arg, read_sysreg(elr_el2));
}

/**
 * trace_guest_exit() - (trace_vectors.S) a lower-EL exception of kind @slot (0-3:
 * from AArch64, 4-7: from AArch32; sync, IRQ, FIQ, SError) with the guest's x0-x18 and
 * x30 in @regs; everything else about the exception is still in the system registers.
 */
void trace_guest_exit(unsigned int slot, const struct cpu_user_regs *regs);
void trace_guest_exit(unsigned int slot, const struct cpu_user_regs *regs)
{
	struct pcpu *p = this_pcpu();
	struct trace_pcpu *t = &trace_pcpus[p->id];
	bool rec = trace_recording();

	if (unlikely(p->curr != t->last))
		record_switch(t, p->curr);
	switch (slot & 3) {
	case SLOT_SYNC:
		sync_exit(t, regs, slot < 4);
		break;
	case SLOT_IRQ:
		t->counts.irq++;
		if (rec)
			trace_record_event(TRACE_EV_IRQ, 0, pending_intid(), read_sysreg(elr_el2));
		break;
	case SLOT_FIQ:
		t->counts.fiq++;
		if (rec)
			trace_record_event(TRACE_EV_FIQ, 0, 0, read_sysreg(elr_el2));
		break;
	default:
		t->counts.serror++;
		if (rec)
			trace_record_event(TRACE_EV_SERROR, 0, read_sysreg(esr_el2), read_sysreg(elr_el2));
	}
}
