// SPDX-License-Identifier: Apache-2.0
/*
 * Access to the GICv3 virtual CPU interface list registers ICH_LR<n>_EL2
 * (IHI 0069, 12.5.10); the count comes from ICH_VTR_EL2.ListRegs (12.5.12).
 * The register name is part of the instruction, hence the switch.
 */
#include <asm/sysregs.h>
#include <kestrel/vgic.h>

unsigned int vgic_nr_lrs(void)
{
	static unsigned int nr;

	if (!nr)
		nr = (read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1;	/* ICH_VTR_EL2 */
	return nr > VGIC_MAX_LRS ? VGIC_MAX_LRS : nr;
}

#define FOR_EACH_LR(X) \
	X(0, C12, 0) X(1, C12, 1) X(2, C12, 2) X(3, C12, 3) X(4, C12, 4) X(5, C12, 5) \
	X(6, C12, 6) X(7, C12, 7) X(8, C13, 0) X(9, C13, 1) X(10, C13, 2) X(11, C13, 3) \
	X(12, C13, 4) X(13, C13, 5) X(14, C13, 6) X(15, C13, 7)

uint64_t vgic_read_lr(unsigned int n)
{
	switch (n) {
#define READ_LR(i, crm, op2) case i: return read_sysreg(S3_4_C12_##crm##_##op2);
	FOR_EACH_LR(READ_LR)
#undef READ_LR
	}
	return 0;
}

void vgic_write_lr(unsigned int n, uint64_t val)
{
	switch (n) {
#define WRITE_LR(i, crm, op2) case i: write_sysreg(val, S3_4_C12_##crm##_##op2); break;
	FOR_EACH_LR(WRITE_LR)
#undef WRITE_LR
	}
}

uint32_t vgic_read_elrsr(void)
{
	return (uint32_t)read_sysreg(ich_elrsr_el2);
}

void vgic_write_hcr(uint64_t val)
{
	write_sysreg(val, ich_hcr_el2);
}
