/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_TRAPS_H
#define KESTREL_ASM_TRAPS_H
#include <stdint.h>
#include <asm/regs.h>
#include <kestrel/compiler.h>
#include <kestrel/domain.h>

struct vcpu;

/**
 * guest_sync_trap() - C side of a synchronous exception from AArch64 other than HVC,
 * with its ESR_EL2 @esr; returns the registers to resume. @regs holds the full frame,
 * or, for a data abort or MSR/MRS whose transfer register is x0-x18 or XZR, entry.S's
 * short-path frame (see guest_hvc_trap()): their handlers touch no other register.
 */
struct cpu_user_regs *guest_sync_trap(struct cpu_user_regs *regs, uint64_t esr);

/**
 * guest_dabt_trap() - guest_sync_trap() for entry.S's short path of a data abort (ISV set,
 * transfer register x0-x18 or XZR): straight to do_trap_dabt() (aborts.c), no class table.
 */
struct cpu_user_regs *guest_dabt_trap(struct cpu_user_regs *regs, uint64_t esr);

/**
 * guest_sysreg_trap() - guest_sync_trap() for entry.S's short path of an MSR/MRS whose
 * transfer register is x0-x18 or XZR: straight to do_trap_sysreg() (sysreg.c).
 */
struct cpu_user_regs *guest_sysreg_trap(struct cpu_user_regs *regs, uint64_t esr);

/**
 * guest_trap() - C side of the other lower-EL exceptions (@kind: EXIT_*): FIQs,
 * SErrors and synchronous ones from AArch32 EL0; returns the registers to resume.
 */
struct cpu_user_regs *guest_trap(struct cpu_user_regs *regs, unsigned int kind);

/**
 * guest_irq_trap() - C side of a physical IRQ taken while a guest ran (entry.S's short
 * path: only x0-x18, x30, ELR and SPSR of @regs are saved, and nothing here touches them).
 */
struct cpu_user_regs *guest_irq_trap(struct cpu_user_regs *regs);

/**
 * guest_hvc_trap() - C side of an HVC from AArch64 (hypercall or SMCCC call), @esr its
 * ESR_EL2. Reached by entry.S's short path, which saved only x0-x18, x30, ELR and SPSR
 * in @regs: handlers may read and write those and nothing else (x19-x29 in @regs are
 * stale). Returns @regs, the frame to resume. The future scheduler switches vCPUs on
 * the full path only: a switch from here must first complete the frame.
 */
struct cpu_user_regs *guest_hvc_trap(struct cpu_user_regs *regs, uint64_t esr);

/**
 * hyp_trap() - exception taken at EL2 (arch/arm64/hyp_trap.c): print the cause,
 * ESR/FAR/ELR, the registers and a symbolised backtrace, then panic. @sp: SP at the fault.
 */
void hyp_trap(struct cpu_user_regs *regs, unsigned int kind, uint64_t sp) __attribute__((noreturn));

/**
 * hyp_trap_bad_stack() - the same, for an exception whose SP left no room for its frame
 * (entry.S found SP outside its stack; @regs are on the emergency stack): reports a
 * stack overflow when SP is in the guard page or below it, else a bad SP.
 */
void hyp_trap_bad_stack(struct cpu_user_regs *regs, unsigned int kind, uint64_t sp)
	__attribute__((noreturn));

/** guest_resume() - (entry.S) restore @regs and ERET to the guest. */
void guest_resume(struct cpu_user_regs *regs) __attribute__((noreturn));

/**
 * advance_pc() - step over the trapped instruction whose syndrome is @esr: 4 bytes, or
 * 2 for a 16-bit T32 instruction from an AArch32 EL0 task (ESR_EL2.IL clear, Arm ARM
 * D17.2.37).
 */
static inline void advance_pc(struct cpu_user_regs *regs, uint64_t esr)
{
	regs->pc += (esr & (1UL << 25)) ? 4 : 2;
}

/**
 * inject_undef() - deliver an Undefined Instruction exception (ESR EC 0, IL = 1)
 * to @v at the trapped instruction, as the hardware would have at EL1.
 * Vector offsets and SPSR/ELR rules: Arm ARM D1.10 ("Exception entry").
 */
void inject_undef(struct vcpu *v);

/**
 * inject_dabt() - deliver a synchronous external Data Abort for @far to @v
 * (EC 0x24/0x25 by the vCPU's EL, DFSC 0x10, WnR from @write).
 */
void inject_dabt(struct vcpu *v, uint64_t far, int write);

/** inject_iabt() - deliver a synchronous external Instruction Abort for @far to @v. */
void inject_iabt(struct vcpu *v, uint64_t far);

/**
 * inject_serror() - make a virtual SError pending for the loaded vCPU (HCR_EL2.VSE,
 * Arm ARM D1.14.4); the guest takes it when it unmasks PSTATE.A.
 */
void inject_serror(void);

/** Trap handlers, keyed on ESR_EL2.EC in traps.c. */
void do_trap_smc64(struct cpu_user_regs *regs, uint64_t esr);
void do_trap_sysreg(struct cpu_user_regs *regs, uint64_t esr);
void do_trap_dabt(struct cpu_user_regs *regs, uint64_t esr);
void do_trap_iabt(struct cpu_user_regs *regs, uint64_t esr);
void do_trap_wfx(struct cpu_user_regs *regs, uint64_t esr);

/** do_trap_fp() - EC 0x07, FP/SIMD trapped by CPTR_EL2.TFP (fpu=lazy): load the vCPU's (context.c). */
void do_trap_fp(struct cpu_user_regs *regs, uint64_t esr);

/**
 * guest_leave_slow() - the return path with work to do (union vcpu_exit_work): fill free
 * list registers, and if this pCPU must reschedule, return @v's frame tagged with bit 0
 * (frames are 16-byte aligned), which sends entry.S to guest_resched() (traps.c).
 */
struct cpu_user_regs *guest_leave_slow(struct vcpu *v);

/**
 * guest_leave() - the C end of every trap from @v: the frame entry.S resumes, possibly
 * tagged (guest_leave_slow()). Nothing to do but return costs one 16-bit load.
 */
static inline struct cpu_user_regs *guest_leave(struct vcpu *v)
{
	if (unlikely(*(volatile uint16_t *)&v->exit_work.any))
		return guest_leave_slow(v);
	return &v->regs;
}

/** guest_resched() - (traps.c) schedule on the way out of a trap; the frame to enter. */
struct cpu_user_regs *guest_resched(void);

/** context_init() - boot: fpu= and vwfi= from @cmdline (context.c); panics on a bad value. */
void context_init(const char *cmdline);

/**
 * do_smccc() - SMCCC 1.1 / PSCI 1.1 call by @v (the current vCPU) from @regs: function
 * ID in w0, arguments x1..x3, result in x0 (Arm DEN0028 2.6). Unknown IDs get
 * NOT_SUPPORTED (-1). Touches only x0..x3 of @regs (see guest_hvc_trap()).
 */
void do_smccc(struct vcpu *v, struct cpu_user_regs *regs);

/**
 * vcpu_wait_for_interrupt() - block the running vCPU @v unless it has a virtual
 * interrupt to take (in its list registers or queue); vgic_inject() wakes it. It
 * resumes after the trapping instruction. Used by WFI and PSCI CPU_SUSPEND.
 */
void vcpu_wait_for_interrupt(struct vcpu *v);

/*
 * Trap counts per class (CONFIG_TRAP_COUNT, a counting build for the benchmarks; trap_count.c):
 * trap_count_hvc() before a hypercall's dispatch (@nr = x16), trap_count_sync() for other
 * synchronous traps, trap_count_irq() for physical IRQs; trap_count_print() at dom0's poweroff.
 */
#ifdef CONFIG_TRAP_COUNT
void trap_count_hvc(uint64_t esr, uint64_t nr);
void trap_count_sync(uint64_t esr);
void trap_count_irq(void);
void trap_count_print(void);
#else
static inline void trap_count_hvc(uint64_t esr, uint64_t nr) {}
static inline void trap_count_sync(uint64_t esr) {}
static inline void trap_count_irq(void) {}
static inline void trap_count_print(void) {}
#endif

/** do_irq() - take and route the highest-priority pending physical interrupt (one per call). */
void do_irq(void);
#endif
