/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_TRACE_H
#define KESTREL_TRACE_H
/*
 * Trap counters and the trace buffer (common/trace.c, arch/arm64/trace_entry.c), chosen at
 * boot with trace=: off (the default), counts (per-pCPU counters of every guest exit by
 * exception class, hypercall and SMCCC call), or on (the counters and a per-pCPU ring of
 * fixed-size records).
 *
 * Free when off: nothing on the trap paths tests a flag. trace=counts|on points VBAR_EL2
 * at a second vector table (arch/arm64/trace_vectors.S) whose lower-EL entries save the
 * caller-saved registers, call trace_guest_exit() and branch to the ordinary vector, whose
 * code is unchanged; its current-EL entries branch straight to the ordinary ones. A
 * vCPU switch is recorded at the first exit of the incoming vCPU, stamped with the tick
 * the scheduler switched it in (struct sched_vcpu.started). Exits while a pCPU idles at
 * EL2 (interrupts taken in the idle loop) are not seen.
 *
 * Counters are per pCPU, written only by their pCPU with plain increments (no atomics),
 * and summed when read (trap_counts_snapshot()); a sum read while guests run may miss the
 * last few exits of another pCPU.
 */
#include <stdbool.h>
#include <stdint.h>

#define TRACE_NR_HYPERCALLS	64	/* hypercalls counted one by one; higher: hypercall_other */
#define TRACE_NR_EC		64	/* ESR_EL2.EC values */

/** enum trace_mode - what trace= asked for. */
enum trace_mode {
	TRACE_OFF,
	TRACE_COUNTS,	/* counters only */
	TRACE_ON,	/* counters and ring records */
};

/** enum trace_event - what a struct trace_record describes. */
enum trace_event {
	TRACE_EV_TRAP = 1,	/* synchronous exit other than a call: @ec, @arg = ESR_EL2 */
	TRACE_EV_HYPERCALL,	/* HVC #0xEA1: @arg = hypercall number (x16), @pc after the HVC */
	TRACE_EV_SMCCC,		/* HVC #0 or SMC #0: @arg = SMCCC function ID (w0) */
	TRACE_EV_IRQ,		/* physical IRQ: @arg = INTID about to be acknowledged (1023: none left) */
	TRACE_EV_FIQ,		/* physical FIQ */
	TRACE_EV_SERROR,	/* SError: @arg = ESR_EL2 */
	TRACE_EV_SWITCH,	/* @domid/@vcpu switched in; @arg = previous (domid << 16 | vcpu), or ~0 */
};

/**
 * struct trace_record - one ring entry, 32 bytes.
 * @time:  CNTPCT_EL0 when it happened (counter ticks; the boot line prints the frequency).
 * @pc:    the guest's PC (ELR_EL2) at the exit, 0 for a switch.
 * @arg:   event-specific (enum trace_event).
 * @domid: the domain of the vCPU that exited (DOMID_IDLE for an idle vCPU).
 * @vcpu:  its vCPU id.
 * @pcpu:  the pCPU it ran on.
 * @event: enum trace_event.
 * @ec:    ESR_EL2.EC of a synchronous exit (0 otherwise).
 */
struct trace_record {
	uint64_t time;
	uint64_t pc;
	uint64_t arg;
	uint16_t domid;
	uint16_t vcpu;
	uint16_t pcpu;
	uint8_t event;
	uint8_t ec;
};
_Static_assert(sizeof(struct trace_record) == 32, "trace record size");

/**
 * struct trap_counts - guest exits counted since boot, summed over the pCPUs.
 * @ec:              synchronous exits from AArch64 and AArch32 by ESR_EL2.EC.
 * @hypercall:       Xen hypercalls (HVC #0xEA1) by number (x16), below TRACE_NR_HYPERCALLS.
 * @hypercall_other: Xen hypercalls numbered TRACE_NR_HYPERCALLS or above.
 * @smccc:           SMCCC calls (HVC #0, SMC #0: PSCI and the others).
 * @irq, @fiq, @serror: asynchronous exits.
 */
struct trap_counts {
	uint64_t ec[TRACE_NR_EC];
	uint64_t hypercall[TRACE_NR_HYPERCALLS];
	uint64_t hypercall_other;
	uint64_t smccc;
	uint64_t irq, fiq, serror;
};

struct vcpu;

/**
 * struct trace_pcpu - one pCPU's counters and ring, written only by that pCPU.
 * @counts: its exits (struct trap_counts).
 * @ring:   CONFIG_TRACE_RECORDS records (trace=on), else NULL.
 * @next:   records written so far; the newest is ring[(@next - 1) % CONFIG_TRACE_RECORDS].
 * @last:   the vCPU of its previous exit (to record switches).
 */
struct trace_pcpu {
	struct trap_counts counts;
	struct trace_record *ring;
	uint64_t next;
	struct vcpu *last;
};

/** trace_pcpus - every pCPU's struct trace_pcpu, by pCPU index (common/trace.c). */
extern struct trace_pcpu trace_pcpus[CONFIG_NR_CPUS];

/**
 * trace_init() - boot, after the heap is up and before any guest runs: parse trace= of
 * @cmdline (off, counts, on; another value panics, naming it), take the rings from the
 * heap (CONFIG_TRACE_RECORDS records per pCPU; too little memory panics) and switch this
 * pCPU's VBAR_EL2; secondary pCPUs take trace_vbar() when they come up.
 */
void trace_init(const char *cmdline);

/** trace_mode() - the mode trace= chose (TRACE_OFF before trace_init()). */
enum trace_mode trace_mode(void);

/** trace_vbar() - the VBAR_EL2 value a pCPU runs with: the tracing vectors when counting. */
uintptr_t trace_vbar(void);

/**
 * trap_counts_snapshot() - the counters summed over every pCPU into *@out (zeroed first).
 * Take two and subtract to count the exits of an interval (e.g. a dom0 boot).
 * Return: false (and all zeroes) when trace= is off: nothing is counted.
 */
bool trap_counts_snapshot(struct trap_counts *out);

/** trap_counts_print() - print the non-zero counters of a snapshot, with the EC and hypercall names. */
void trap_counts_print(void);

/**
 * trace_dump() - print every pCPU's ring, oldest record first (at most CONFIG_TRACE_RECORDS
 * each), with recording paused meanwhile; a line if tracing is not on.
 */
void trace_dump(void);

/**
 * trace_record_event() - append a record on this pCPU (trace=on only; the caller checks
 * trace_recording()). For the arch's exit hook and for rare events elsewhere.
 */
void trace_record_event(unsigned int event, unsigned int ec, uint64_t arg, uint64_t pc);

/** trace_recording - true when trace=on and no dump is in progress (read-mostly). */
extern bool trace_recording_flag;

/** trace_recording() - whether trace_record_event() would record: a load and a branch. */
static inline bool trace_recording(void)
{
	return __builtin_expect(*(volatile bool *)&trace_recording_flag, 0);
}

/**
 * trace_event() - record @event (enum trace_event) with @arg when tracing is on. For
 * occasional events outside the trap paths; never put it on a path make bench measures.
 */
static inline void trace_event(unsigned int event, uint64_t arg)
{
	if (trace_recording())
		trace_record_event(event, 0, arg, 0);
}

/* Arch hooks (arch/arm64/trace_entry.c). */
/** arch_trace_install() - point this pCPU's VBAR_EL2 at trace_vbar(). */
void arch_trace_install(void);
/** arch_trace_time() - the timestamp of a record now (CNTPCT_EL0, counter ticks). */
uint64_t arch_trace_time(void);
/** arch_trace_ec_name() - short name of exception class @ec ("HVC64", "DABT_LOW"), or NULL. */
const char *arch_trace_ec_name(unsigned int ec);
#endif
