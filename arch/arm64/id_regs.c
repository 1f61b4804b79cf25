// SPDX-License-Identifier: Apache-2.0
/*
 * The guests' ID registers (HCR_EL2.TID3; policy: asm/id_regs.h). Each pCPU, before it
 * runs a guest (vcpu_init_pcpu(): pCPU 0 at boot, the others before dom0 starts), lowers
 * the view to what it has too, so a vCPU sees the same values on every pCPU.
 */
#include <asm/id_regs.h>
#include <asm/sysregs.h>
#include <kestrel/spinlock.h>

static uint64_t view[NR_ID_REGS];
static bool view_set;
static spinlock_t view_lock;	/* pCPUs come up one at a time; this is for clarity */

/* The ID_REGS() rows by encoding (op0 3, op1 0, CRn 0), read with their generic names. */
#define READ_ID(i, n, c, o, k, p, f, s) case i: return read_sysreg(S3_0_C0_C##c##_##o);

static uint64_t read_hw(unsigned int idx)
{
	switch (idx) {
	ID_REGS(READ_ID)
	}
	return 0;
}

void id_regs_init_pcpu(bool pauth)
{
	spin_lock(&view_lock);
	for (unsigned int i = 0; i < NR_ID_REGS; i++) {
		uint64_t v = id_reg_sanitise(i, read_hw(i), pauth);

		view[i] = view_set ? id_reg_lower(i, view[i], v) : v;
	}
	view_set = true;
	spin_unlock(&view_lock);
}

uint64_t id_regs_read(unsigned int crm, unsigned int op2)
{
	return id_reg_guest_value(view, crm, op2);
}
