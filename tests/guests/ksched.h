// SPDX-License-Identifier: Apache-2.0
/*
 * ksched guest: the register-round layout shared by ksched.c and ksched_asm.S.
 *
 * One register round (ksched_round()) writes the EL1 system registers of sys_in[],
 * reads them back into sys_base[] (what the implementation keeps of the values), loads
 * FPCR, FPSR, q0..q31, NZCV and x0..x30, runs one action (spin, hypercall, WFI) that may
 * get the vCPU descheduled, then stores x0..x30, NZCV, q0..q31, FPCR, FPSR and the
 * system registers into the *_out fields for C to compare.
 */
#ifndef KSCHED_H
#define KSCHED_H

/* Actions of a round (struct ks_round.mode). */
#define KS_SPIN_COUNT		0	/* x0 counts down to 0: every other register live */
#define KS_SPIN_TIMED		1	/* x0 deadline, x1 last CNTVCT, x2 jump threshold */
#define KS_HC_YIELD		2	/* sched_op(SCHEDOP_yield): x16 = 29, x0 = 0 */
#define KS_HC_VERSION		3	/* xen_version(XENVER_version): x16 = 17, x0 = 0 */
#define KS_WFI			4	/* one WFI, the virtual timer armed, IRQs masked */
#define KS_NR_MODES		5

/* System registers of a round, in sys_in/sys_base/sys_out order (ksched_asm.S sysregs). */
#define KS_SYS_WRITABLE		19	/* 0..18 are written from sys_in; the rest only read */
#define KS_NSYS			22
#define KS_SYS_CVAL		17
#define KS_SYS_VBAR		18
#define KS_SYS_MPIDR		19

/* struct ks_round offsets. */
#define KS_X_IN			0
#define KS_X_OUT		248
#define KS_Q_IN			496
#define KS_Q_OUT		1008
#define KS_FPCR_IN		1520
#define KS_FPSR_IN		1528
#define KS_FPCR_BASE		1536
#define KS_FPSR_BASE		1544
#define KS_FPCR_OUT		1552
#define KS_FPSR_OUT		1560
#define KS_NZCV_IN		1568
#define KS_NZCV_OUT		1576
#define KS_MODE			1584
#define KS_THRESH		1592
#define KS_DESCHED		1600
#define KS_SYS_IN		1616
#define KS_SYS_BASE		(KS_SYS_IN + 8 * KS_NSYS)
#define KS_SYS_OUT		(KS_SYS_BASE + 8 * KS_NSYS)

/* Per-vCPU stacks, STACK_SIZE aligned: the IRQ handler finds its vCPU from SP. */
#define KS_MAX_VCPUS		8
#define KS_STACK_SIZE		16384

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ks_round {
	uint64_t x_in[31], x_out[31];
	uint64_t q_in[64], q_out[64];		/* q<n> = {q[2n] (low), q[2n + 1] (high)} */
	uint64_t fpcr_in, fpsr_in, fpcr_base, fpsr_base, fpcr_out, fpsr_out;
	uint64_t nzcv_in, nzcv_out;
	uint64_t mode;
	uint64_t thresh;	/* KS_SPIN_TIMED: a CNTVCT step above this is a deschedule */
	uint64_t desched;	/* KS_SPIN_TIMED: how many such steps it saw */
	uint64_t pad;
	uint64_t sys_in[KS_NSYS], sys_base[KS_NSYS], sys_out[KS_NSYS];
};

_Static_assert(__builtin_offsetof(struct ks_round, x_out) == KS_X_OUT, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, q_in) == KS_Q_IN, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, q_out) == KS_Q_OUT, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, fpcr_in) == KS_FPCR_IN, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, fpsr_out) == KS_FPSR_OUT, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, nzcv_in) == KS_NZCV_IN, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, mode) == KS_MODE, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, desched) == KS_DESCHED, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, sys_in) == KS_SYS_IN, "ks_round");
_Static_assert(__builtin_offsetof(struct ks_round, sys_out) == KS_SYS_OUT, "ks_round");

void ksched_round(struct ks_round *r);
extern char ksched_vectors[], ksched_secondary_entry[];
extern uint8_t ksched_stacks[KS_MAX_VCPUS][KS_STACK_SIZE];
#endif
#endif
