// SPDX-License-Identifier: Apache-2.0
/*
 * kfuzz guest: layouts shared by kfuzz.c and kfuzz_asm.S (the operation trampoline,
 * its instruction stubs and the exception vectors that survive faults in those).
 */
#ifndef KFUZZ_H
#define KFUZZ_H

/* Generated instruction stubs (kfuzz.c writes them, kfuzz_call runs one). */
#define KFUZZ_STUB_SIZE		16
#define KFUZZ_STUB_PAGES	13
#define KFUZZ_STUB_AREA		(KFUZZ_STUB_PAGES * 4096)
#define KFUZZ_SP_X30		112	/* where kfuzz_call keeps the tested x30 (sp offset) */

/* struct kfuzz_regs: x0..x30 loaded before the operation runs, x0..x30 seen after it, NZCV. */
#define REGS_IN			0
#define REGS_OUT		248
#define REGS_NZCV_IN		496
#define REGS_NZCV_OUT		504

/* struct kfuzz_exc: exceptions taken at an instruction of a stub. */
#define EXC_COUNT		0
#define EXC_ESR			8
#define EXC_ELR			16
#define EXC_FAR			24
#define EXC_BY_EC		32	/* uint64_t[64], indexed by ESR_EL1.EC */

#ifndef __ASSEMBLER__
#include <stdint.h>

/**
 * struct kfuzz_regs - register image for one kfuzz_call().
 * @in:       x0..x30 as the operation's instruction starts (x30 included: the stub
 *            reloads it from the stack).
 * @out:      x0..x30 after it (after any exception it took was skipped).
 * @nzcv_in:  PSTATE.NZCV before it (bits 31:28).
 * @nzcv_out: PSTATE.NZCV after it.
 */
struct kfuzz_regs {
	uint64_t in[31];
	uint64_t out[31];
	uint64_t nzcv_in, nzcv_out;
};

/**
 * struct kfuzz_exc - synchronous exceptions the vectors took in the stubs: each is
 * counted and skipped (ELR_EL1 + 4). @esr/@elr/@far belong to the last one.
 */
struct kfuzz_exc {
	uint64_t count, esr, elr, far;
	uint64_t by_ec[64];
};

extern volatile struct kfuzz_exc kfuzz_exc;
extern uint32_t kfuzz_stubs[KFUZZ_STUB_AREA / 4];
extern char kfuzz_vectors[], kfuzz_stub_return[], kfuzz_secondary[];
extern volatile uint32_t kfuzz_in_fatal, kfuzz_irq_window;

#define KFUZZ_IDREGS_VCPUS	8

/**
 * kfuzz_idregs_check() - every vCPU of @vcpus (started here with PSCI CPU_ON) reads every
 * ID register; checks they agree and match Kestrel's policy: the number of failures
 * (kfuzz_idregs.c). kfuzz_idregs_entry: the started vCPU's entry (kfuzz_asm.S).
 */
unsigned int kfuzz_idregs_check(unsigned int vcpus);
void kfuzz_idregs_secondary(uint64_t vcpu);
extern char kfuzz_idregs_entry[];

/*
 * kfuzz_gicv2.c: the GICv2 forms of kfuzz.c's GIC accesses, used when the DT's GIC is a
 * GICv2 (kfuzz_gicv2 set; then kfuzz.c's plat.gicr is the GICC frame). @gicd, @gicc:
 * frame IPAs; @r: a random number to pick from. _enable: GICD_ISENABLER bit of @intid
 * (PPIs banked per CPU). _gicd_offset/_gicc_offset: an offset to fuzz. _unmapped: the
 * IPA windows with nothing behind them, to @add. _tidy: every interrupt deactivated and
 * not pending, no active priority, the mask open, GICC group 0 and GICD on. _self_sgi:
 * enable SGI @sgi at @priority and send it to ourselves. _ack: GICC_IAR (INTID in bits
 * [9:0], the source CPU in [12:10]); _eoi: end it (GICC_EOIR, GICC_DIR with EOImode).
 */
extern int kfuzz_gicv2;
void kfuzz_gicv2_enable(uint64_t gicd, unsigned int intid);
uint64_t kfuzz_gicv2_gicd_offset(uint64_t r);
uint64_t kfuzz_gicv2_gicc_offset(uint64_t r);
void kfuzz_gicv2_unmapped(uint64_t gicd, void (*add)(uint64_t base, uint64_t size));
void kfuzz_gicv2_tidy(uint64_t gicd, uint64_t gicc);
void kfuzz_gicv2_self_sgi(uint64_t gicd, unsigned int sgi, uint8_t priority);
uint32_t kfuzz_gicv2_ack(uint64_t gicc);
void kfuzz_gicv2_eoi(uint64_t gicc, uint32_t iar);
/*
 * kfuzz_gicv2_init() - note the GICC frame for kfuzz_gicv2_secondary(), where kfuzz_secondary
 * (kfuzz_asm.S) goes on a GICv2: the parked vCPU takes and ends what it is offered, or WFI.
 * Call with the MMU off, before any secondary vCPU starts.
 */
void kfuzz_gicv2_init(uint64_t gicc);
_Noreturn void kfuzz_gicv2_secondary(void);

/** kfuzz_call() - load @r->in, run @stub, store @r->out (kfuzz_asm.S). */
void kfuzz_call(struct kfuzz_regs *r, const void *stub);

_Static_assert(__builtin_offsetof(struct kfuzz_regs, out) == REGS_OUT, "kfuzz_regs");
_Static_assert(__builtin_offsetof(struct kfuzz_regs, nzcv_in) == REGS_NZCV_IN, "kfuzz_regs");
_Static_assert(__builtin_offsetof(struct kfuzz_regs, nzcv_out) == REGS_NZCV_OUT, "kfuzz_regs");
_Static_assert(__builtin_offsetof(struct kfuzz_exc, by_ec) == EXC_BY_EC, "kfuzz_exc");
#endif
#endif
