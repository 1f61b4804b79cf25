// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 aborts. Faulting IPA from HPFAR_EL2 (Arm ARM D17.2.59); ISS fields: Arm ARM
 * D17.2.37 ("ISS encoding for an exception from a Data Abort"). What a guest gets:
 *
 * - an access to one of the domain's emulated MMIO regions (domain_add_mmio(): the
 *   vGIC frames) with a valid instruction syndrome (ISV = 1: a single load or store of
 *   a general-purpose register, no writeback) goes to that device, which refuses sizes
 *   and alignments its registers do not allow (the guest then gets a data abort);
 * - an access there with ISV = 0 (load/store pair, writeback addressing, SIMD&FP,
 *   DC ZVA, ...) is not decoded or guessed at: the guest gets a data abort, and the log
 *   says why (rate-limited, like every line a guest can trigger);
 * - a cache maintenance instruction by VA (ISS.CM = 1) on an IPA without memory (an emulated
 *   device, or nothing at all) completes without effect: there is no cache line of the
 *   guest's to clean or invalidate there (KVM does the same);
 * - a translation fault at an IPA that translates by the time Kestrel looks (another
 *   pCPU changed that p2m entry with break-before-make, Arm ARM D8.16.1, and this vCPU
 *   hit the window): nothing, the access runs again (Xen does the same, p2m_resolve_
 *   translation_fault); translation faults are never cached in a TLB (D8.14), so the
 *   retry sees the new entry;
 * - anything else outside the guest's p2m: a synchronous external abort.
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/lib.h>
#include <kestrel/mmio.h>
#include <kestrel/p2m.h>
#include <kestrel/vgic.h>

#define DABT_ISV		(1UL << 24)
#define DABT_SAS(iss)		(((iss) >> 22) & 3)
#define DABT_SSE		(1UL << 21)
#define DABT_SRT(iss)		(((iss) >> 16) & 0x1f)
#define DABT_SF			(1UL << 15)
#define DABT_CM			(1UL << 8)
#define DABT_S1PTW		(1UL << 7)
#define DABT_WNR		(1UL << 6)
#define DABT_FSC_TYPE		0x3c	/* DFSC without the level bits */
#define FSC_TRANSLATION		0x04	/* translation fault, any level: HPFAR_EL2 is valid */

static uint64_t fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

/*
 * A stage-2 translation fault (@iss's FSC; HPFAR_EL2 valid) at an IPA the p2m now maps: retry
 * it. Every p2m change after boot is made under the domain's lock (common/memory.c), so the
 * lookup takes it too: that waits for a break-before-make another pCPU is in the middle of,
 * whose invalid entry a lookup without the lock could still see (the test guest's reader saw
 * it, tests/guests/hostile.c). Xen locks its p2m there as well (p2m_resolve_translation_fault).
 */
static bool translation_fixed_meanwhile(uint32_t iss, uint64_t ipa)
{
	struct domain *d = current->domain;
	uint64_t pa;
	bool mapped;

	if ((iss & DABT_FSC_TYPE) != FSC_TRANSLATION)
		return false;
	spin_lock(&d->lock);
	mapped = p2m_lookup(&d->p2m, ipa, &pa);
	spin_unlock(&d->lock);
	return mapped;
}

/*
 * A load's value as the register receives it. Devices return it zero-extended from
 * @size bytes, which is already right unless the load sign-extends (SSE), and then
 * to 64 bits (SF) or 32 (Arm ARM D17.2.37).
 */
static inline uint64_t load_extend(uint64_t val, uint32_t iss, unsigned int size)
{
	unsigned int bits = size * 8;

	if (likely(!(iss & DABT_SSE)) || bits == 64 || !((val >> (bits - 1)) & 1))
		return val;
	val |= ~0UL << bits;
	return iss & DABT_SF ? val : (uint32_t)val;
}

/*
 * Emulate the load or store @iss describes at offset @off of emulated region @r. The
 * caller has checked that the syndrome is valid. Return: false if the device refused it.
 */
static inline bool emulate_mmio(struct vcpu *v, struct cpu_user_regs *regs, uint64_t esr, uint32_t iss,
				const struct mmio_region *r, uint64_t off)
{
	unsigned int size = 1U << DABT_SAS(iss), rt = DABT_SRT(iss);
	struct mmio_read rd;

	if (iss & DABT_WNR) {
		uint64_t val = rt == 31 ? 0 : regs->x[rt];	/* register 31 is XZR here */

		if (size < 8)
			val &= (1UL << (size * 8)) - 1;
		if (!r->ops->write(v, off, size, val))
			return false;
	} else {
		rd = r->ops->read(v, off, size);
		if (!rd.ok)
			return false;
		if (rt != 31)
			regs->x[rt] = load_extend(rd.val, iss, size);
	}
	advance_pc(regs, esr);
	return true;
}

/* Everything but an emulated access: see the list at the top of this file. */
static __attribute__((noinline, cold)) void not_emulated(struct cpu_user_regs *regs, uint64_t esr,
							 uint64_t ipa, const struct mmio_region *r)
{
	uint32_t iss = esr & ESR_ISS_MASK;
	uint64_t far = read_sysreg(far_el2);
	bool write = iss & DABT_WNR;

	/* HPFAR_EL2 holds the IPA for a translation fault not taken on a stage-1 walk. */
	if ((iss & DABT_FSC_TYPE) == FSC_TRANSLATION && !(iss & DABT_S1PTW)) {
		if (iss & DABT_CM) {
			advance_pc(regs, esr);
			return;
		}
		if (r && !(iss & DABT_ISV))
			gprintk_ratelimited("MMIO %s at IPA 0x%lx (PC 0x%lx) has no instruction syndrome "
					    "(ISV = 0: pair, writeback, ...): injecting abort\n",
					    write ? "write" : "read", (unsigned long)ipa, (unsigned long)regs->pc);
		else if (r)
			gprintk_ratelimited("emulated device refused a %u-byte %s at IPA 0x%lx (PC 0x%lx): "
					    "injecting abort\n", 1U << DABT_SAS(iss), write ? "write" : "read",
					    (unsigned long)ipa, (unsigned long)regs->pc);
		if (r) {
			inject_dabt(current, far, write);
			return;
		}
	}
	if (!r && translation_fixed_meanwhile(iss, ipa))
		return;
	gprintk_ratelimited("data abort at IPA 0x%lx (VA 0x%lx, ESR 0x%lx, PC 0x%lx): injecting abort\n",
			    (unsigned long)ipa, (unsigned long)far, (unsigned long)esr, (unsigned long)regs->pc);
	inject_dabt(current, far, write);
}

/* do_trap_dabt(), inline in the short path's guest_dabt_trap(). */
static inline __attribute__((always_inline)) void handle_dabt(struct cpu_user_regs *regs, uint64_t esr)
{
	uint32_t iss = esr & ESR_ISS_MASK;
	uint64_t ipa = fault_ipa();
	struct vcpu *v = current;
	const struct mmio_region *r = domain_find_mmio(v->domain, ipa);

	/* The hot path first: a decodable access (ISV = 1) to an emulated device. */
	if (likely(r && (iss & (DABT_ISV | DABT_S1PTW | DABT_FSC_TYPE)) == (DABT_ISV | FSC_TRANSLATION)) &&
	    emulate_mmio(v, regs, esr, iss, r, ipa - r->base))
		return;
	not_emulated(regs, esr, ipa, r);
}

void do_trap_dabt(struct cpu_user_regs *regs, uint64_t esr)
{
	handle_dabt(regs, esr);
}

struct cpu_user_regs *guest_dabt_trap(struct cpu_user_regs *regs, uint64_t esr)
{
	struct vcpu *v = current;

	vgic_sync_from_lrs(v);
	trap_count_sync(esr);
	handle_dabt(regs, esr);
	return guest_leave(v);
}

void do_trap_iabt(struct cpu_user_regs *regs, uint64_t esr)
{
	if (translation_fixed_meanwhile(esr & ESR_ISS_MASK, fault_ipa()))	/* IFSC: same bits */
		return;
	gprintk_ratelimited("instruction abort at IPA 0x%lx (PC 0x%lx): injecting abort\n",
			    (unsigned long)fault_ipa(), (unsigned long)regs->pc);
	inject_iabt(current, read_sysreg(far_el2));
}
