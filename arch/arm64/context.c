// SPDX-License-Identifier: Apache-2.0
/*
 * context_switch(): everything of a guest vCPU that lives in the pCPU while it runs,
 * saved for the outgoing vCPU and loaded for the incoming one, in Xen's order
 * (xen/arch/arm/domain.c, ctxt_switch_from/ctxt_switch_to): the runstate area while the
 * guest's own translation is still loaded, then the vGIC, the virtual timer, the EL1
 * system registers, FP/SIMD; on the way in stage 1 before stage 2 (VTTBR_EL2).
 *
 * FP/SIMD is eager by default: saved and loaded at every switch (fpu=lazy instead traps
 * the incoming vCPU's first FP/SIMD instruction with CPTR_EL2.TFP and loads it then,
 * saving it on the way out only if it was used). docs/benchmarks.md has both costs.
 *
 * TLBs: VMIDs tell domains apart, but the vCPUs of one domain share a VMID while each
 * guest CPU assumes its local TLB holds only its own stage-1 entries (a TLBI without
 * broadcast from one vCPU must not leave entries another vCPU made on the same pCPU).
 * So when a pCPU runs a different vCPU of the same domain than it last did, its TLB is
 * flushed for that VMID (Xen does the same: xen/arch/arm/p2m.c, p2m_restore_state()).
 */
#include <asm/id_regs.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/sched.h>
#include <kestrel/vgic.h>

#define CNTV_CTL_ENABLE		(1UL << 0)
#define CNTV_CTL_IMASK		(1UL << 1)

/* The EL1/EL0 registers a guest owns, with their slot in arch_vcpu.sysregs. */
#define SYSREGS(X) \
	X(0, sctlr_el1) X(1, actlr_el1) X(2, cpacr_el1) X(3, ttbr0_el1) X(4, ttbr1_el1) \
	X(5, tcr_el1) X(6, esr_el1) X(7, afsr0_el1) X(8, afsr1_el1) X(9, far_el1) \
	X(10, mair_el1) X(11, amair_el1) X(12, vbar_el1) X(13, contextidr_el1) \
	X(14, tpidr_el0) X(15, tpidr_el1) X(16, tpidrro_el0) X(17, sp_el0) X(18, sp_el1) \
	X(19, elr_el1) X(20, spsr_el1) X(21, par_el1) X(22, cntkctl_el1) X(23, mdscr_el1) \
	X(24, csselr_el1)
#define SR_SCTLR	0
#define SR_ACTLR	1
_Static_assert(ARRAY_SIZE(((struct arch_vcpu *)0)->sysregs) == 25, "SYSREGS()");

static bool fp_lazy, has_pauth, has_contextidr_el2;
/* What ctxt_switch_to() does beyond the common state: one byte, tested once (bit per feature). */
static uint8_t switch_to_extras;
#define EXTRA_PAUTH		BIT(0)
#define EXTRA_CONTEXTIDR	BIT(1)
static uint64_t hcr_guest = HCR_GUEST, cptr_guest = CPTR_EL2_RES1 | CPTR_EL2_TTA;

/* The pointer-authentication keys (Arm ARM D8.8), with their slot in arch_vcpu.pauth_keys. */
#define PAUTH_KEYS(X) \
	X(0, S3_0_C2_C1_0) X(1, S3_0_C2_C1_1) X(2, S3_0_C2_C1_2) X(3, S3_0_C2_C1_3) \
	X(4, S3_0_C2_C2_0) X(5, S3_0_C2_C2_1) X(6, S3_0_C2_C2_2) X(7, S3_0_C2_C2_3) \
	X(8, S3_0_C2_C3_0) X(9, S3_0_C2_C3_1)

/*
 * FEAT_PAuth, any algorithm: ID_AA64ISAR1_EL1.APA/API/GPA/GPI (bits 7:4, 11:8, 27:24,
 * 31:28) or ID_AA64ISAR2_EL1.APA3/GPA3 (15:12, 11:8) non-zero (Arm ARM D17.2.62-63;
 * an unallocated ID register reads as zero).
 */
static bool cpu_has_pauth(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1), isar2 = read_sysreg(S3_0_C0_C6_2);

	return (isar1 & 0xff000ff0UL) || (isar2 & 0xff00UL);
}

/*
 * Boot: fpu=lazy or fpu=eager (the default); vwfi=native (guests' WFI and WFE run on
 * the hardware, HCR_EL2.TWI/TWE clear: Xen's option of that name) or vwfi=trap (the
 * default: WFI blocks the vCPU, WFE yields; wfx.c).
 */
void context_init(const char *cmdline)
{
	char buf[8];

	if (cmdline_get(cmdline, "fpu", buf, sizeof(buf))) {
		if (!strcmp(buf, "lazy"))
			fp_lazy = true;
		else if (strcmp(buf, "eager"))
			panic("fpu=%s: expected eager or lazy", buf);
	}
	/* Hidden features' registers trap where the architecture has a trap for them. */
	if ((read_sysreg(id_aa64pfr0_el1) >> 44) & 0xf)	/* AMU (Arm ARM D19.2.64) */
		cptr_guest |= CPTR_EL2_TAM;
	if ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf)	/* RAS */
		hcr_guest |= HCR_TERR;
	if ((read_sysreg(id_aa64mmfr1_el1) >> 16) & 0xf)	/* LO */
		hcr_guest |= HCR_TLOR;
	/* Guests use pointer authentication freely; its keys are switched with them. */
	has_pauth = cpu_has_pauth();
	if (has_pauth)
		hcr_guest |= HCR_API | HCR_APK;
	/* FEAT_VHE: CONTEXTIDR_EL2 exists (ID_AA64MMFR1_EL1.VH, Arm ARM D17.2.65). */
	has_contextidr_el2 = (read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf;
	switch_to_extras = (has_pauth ? EXTRA_PAUTH : 0) | (has_contextidr_el2 ? EXTRA_CONTEXTIDR : 0);
	if (cmdline_get(cmdline, "vwfi", buf, sizeof(buf))) {
		if (!strcmp(buf, "native"))
			hcr_guest &= ~(HCR_TWI | HCR_TWE);
		else if (strcmp(buf, "trap"))
			panic("vwfi=%s: expected trap or native", buf);
	}
}

bool context_switches_pauth(void)
{
	return has_pauth;
}

bool context_has_contextidr_el2(void)
{
	return has_contextidr_el2;
}

/* Not under check-el2's TPIDR_EL0 rule: saving the guest's thread pointer is the point. */
static __attribute__((noinline)) void el1_sysregs_save(uint64_t *r)
{
#define SAVE(i, reg) r[i] = read_sysreg(reg);
	SYSREGS(SAVE)
#undef SAVE
}

static void el1_sysregs_restore(const uint64_t *r)
{
#define RESTORE(i, reg) write_sysreg(r[i], reg);
	SYSREGS(RESTORE)
#undef RESTORE
}

static void pauth_keys_save(uint64_t *k)
{
#define SAVE(i, reg) k[i] = read_sysreg(reg);
	PAUTH_KEYS(SAVE)
#undef SAVE
}

static void pauth_keys_restore(const uint64_t *k)
{
#define RESTORE(i, reg) write_sysreg(k[i], reg);
	PAUTH_KEYS(RESTORE)
#undef RESTORE
}

/*
 * A vCPU started by PSCI CPU_ON (or at boot): registers at the entry point, EL1 system
 * registers at their reset values (MMU and caches off; ACTLR_EL1, IMPLEMENTATION
 * DEFINED, as the pCPU has it), no FP/SIMD state, timer off, a fresh CPU interface.
 */
static void apply_reset(struct vcpu *v)
{
	uint64_t actlr = read_sysreg(actlr_el1);

	vcpu_reset(v, v->boot_pc, v->boot_x0);
	memset(&v->arch, 0, sizeof(v->arch));
	v->arch.sysregs[SR_SCTLR] = SCTLR_EL1_RESET;
	v->arch.sysregs[SR_ACTLR] = actlr;
	vgic_vcpu_reset_cpuif(v);
	v->reset_pending = false;
}

uint64_t arch_vtimer_deadline(const struct vcpu *v)
{
	uint64_t ctl = v->arch.cntv_ctl;

	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
		return TIMER_NEVER;
	return v->arch.cntv_cval + v->arch.cntvoff;	/* virtual count + CNTVOFF = physical */
}

static void ctxt_switch_from(struct vcpu *v)
{
	runstate_area_update(v);	/* while its stage 1 and stage 2 are still loaded */
	vgic_save_state(v);
	v->arch.cntv_ctl = read_sysreg(cntv_ctl_el0);
	v->arch.cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0);	/* never fires for another vCPU or the idle one */
	el1_sysregs_save(v->arch.sysregs);
	if (has_pauth)
		pauth_keys_save(v->arch.pauth_keys);
	v->arch.hcr_vse = read_sysreg(hcr_el2) & HCR_VSE;
	if (v->arch.fp_live) {
		fpsimd_save(&v->arch.fp);
		v->arch.fp_live = false;
	}
}

/* Stage 2: the domain's VTTBR_EL2, and a TLB flush if another of its vCPUs ran here last. */
static void p2m_load(struct vcpu *v, unsigned int cpu)
{
	struct p2m *p2m = &v->domain->p2m;

	write_sysreg(p2m_vttbr(p2m), vttbr_el2);
	isb();
	if (p2m->last_vcpu_ran[cpu] != v->vcpu_id) {
		__asm__ volatile("tlbi vmalls12e1" ::: "memory");
		dsb(nsh);
		p2m->last_vcpu_ran[cpu] = (uint16_t)v->vcpu_id;
	}
}

static void ctxt_switch_to(struct vcpu *v, unsigned int cpu)
{
	if (v->reset_pending)
		apply_reset(v);
	el1_sysregs_restore(v->arch.sysregs);
	if (unlikely(switch_to_extras)) {
		if (switch_to_extras & EXTRA_PAUTH)
			pauth_keys_restore(v->arch.pauth_keys);
		if (switch_to_extras & EXTRA_CONTEXTIDR)
			write_sysreg(vcpu_contextidr_el2(v), S3_4_C13_C0_1);	/* CONTEXTIDR_EL2 */
	}
	write_sysreg(v->vmpidr, vmpidr_el2);
	write_sysreg(v->arch.cntvoff, cntvoff_el2);
	isb();
	p2m_load(v, cpu);
	write_sysreg(v->arch.cntv_cval, cntv_cval_el0);
	write_sysreg(v->arch.cntv_ctl, cntv_ctl_el0);
	vgic_restore_state(v);
	write_sysreg(hcr_guest | (v->arch.hcr_vse ? HCR_VSE : 0), hcr_el2);
	if (fp_lazy) {
		write_sysreg(cptr_guest | CPTR_EL2_TFP, cptr_el2);
	} else {
		write_sysreg(cptr_guest, cptr_el2);
		fpsimd_restore(&v->arch.fp);
		v->arch.fp_live = true;
	}
	isb();
	runstate_area_update(v);
}

void context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct pcpu *p = this_pcpu();

	if (!is_idle_vcpu(prev))
		ctxt_switch_from(prev);
	p->curr = next;
	if (!is_idle_vcpu(next))
		ctxt_switch_to(next, p->id);
}

/*
 * EC 0x07 with CPTR_EL2.TFP set (the lazy policy): the vCPU's first FP/SIMD instruction
 * since it was switched in. Load its registers, stop trapping, and run the instruction
 * again. Source: Arm ARM D17.2.30 (CPTR_EL2.TFP), D17.2.37 (EC 0x07).
 */
void do_trap_fp(struct cpu_user_regs *regs, uint64_t esr)
{
	struct vcpu *v = current;

	write_sysreg(cptr_guest, cptr_el2);
	isb();
	if (!v->arch.fp_live) {
		fpsimd_restore(&v->arch.fp);
		v->arch.fp_live = true;
	}
}
