// SPDX-License-Identifier: Apache-2.0
/*
 * The ID-register policy (asm/id_regs.h, docs/id-registers.md) as pure functions on
 * register values, shared by the trap path (id_regs.c) and the host unit tests.
 * Fields are 4 bits wide, unsigned unless the row says signed (Arm ARM D19.1.3).
 */
#include <asm/id_regs.h>

const struct id_reg_policy id_reg_policy[NR_ID_REGS] = {
#define ROW(i, n, c, o, k, p, f, s) [i] = { .name = #n, .crm = c, .op2 = o, .keep = k, .pauth = p, \
					    .force = f, .sign = s },
	ID_REGS(ROW)
#undef ROW
};

uint64_t id_reg_sanitise(unsigned int idx, uint64_t hw, bool pauth)
{
	const struct id_reg_policy *p = &id_reg_policy[idx];

	return (hw & (p->keep | (pauth ? p->pauth : 0))) | p->force;
}

uint64_t id_reg_lower(unsigned int idx, uint64_t a, uint64_t b)
{
	uint64_t sign = id_reg_policy[idx].sign, out = 0;

	for (unsigned int s = 0; s < 64; s += 4) {
		uint64_t fa = (a >> s) & 0xf, fb = (b >> s) & 0xf;

		if ((sign >> s) & 0xf) {	/* 0x8-0xf are -8..-1 */
			int sa = (int)(fa ^ 8) - 8, sb = (int)(fb ^ 8) - 8;

			out |= (sa < sb ? fa : fb) << s;
		} else {
			out |= (fa < fb ? fa : fb) << s;
		}
	}
	return out;
}

uint64_t id_reg_guest_value(const uint64_t *view, unsigned int crm, unsigned int op2)
{
	for (unsigned int i = 0; i < NR_ID_REGS; i++)
		if (id_reg_policy[i].crm == crm && id_reg_policy[i].op2 == op2)
			return view[i];
	return 0;
}
