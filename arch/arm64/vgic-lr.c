// SPDX-License-Identifier: Apache-2.0
/*
 * Access to the GICv3 virtual CPU interface list registers ICH_LR<n>_EL2
 * (IHI 0069, 12.5.10); the count comes from ICH_VTR_EL2.ListRegs (12.5.12).
 * The register name is part of the instruction, hence the switch. Also the rest of
 * the CPU interface a vCPU switch moves: ICH_VMCR_EL2 (12.5.13), ICH_AP<n>R<m>_EL2.
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

/*
 * Active-priority registers ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2 (IHI 0069 12.5.1-12.5.2):
 * one per 32 preemption levels, 2^(ICH_VTR_EL2.PREbits + 1) levels, so 1, 2 or 4 of each.
 */
static unsigned int nr_aprs(void)
{
	static unsigned int nr;

	if (!nr) {
		unsigned int pre = ((read_sysreg(S3_4_C12_C11_1) >> 26) & 7) + 1;	/* PREbits + 1 */

		nr = pre >= 7 ? 4 : pre == 6 ? 2 : 1;
	}
	return nr;
}

#define FOR_EACH_APR(X) X(0) X(1) X(2) X(3)

void vgic_save_cpuif(struct vgic_cpu *c)
{
	unsigned int nr = nr_aprs();

	c->vmcr = read_sysreg(S3_4_C12_C11_7);	/* ICH_VMCR_EL2 */
#define SAVE_APR(i) if (i < nr) { \
		c->ap0r[i] = (uint32_t)read_sysreg(S3_4_C12_C8_##i); \
		c->ap1r[i] = (uint32_t)read_sysreg(S3_4_C12_C9_##i); }
	FOR_EACH_APR(SAVE_APR)
#undef SAVE_APR
}

void vgic_restore_cpuif(const struct vgic_cpu *c)
{
	unsigned int nr = nr_aprs();

	write_sysreg(c->vmcr, S3_4_C12_C11_7);
#define RESTORE_APR(i) if (i < nr) { \
		write_sysreg(c->ap0r[i], S3_4_C12_C8_##i); \
		write_sysreg(c->ap1r[i], S3_4_C12_C9_##i); }
	FOR_EACH_APR(RESTORE_APR)
#undef RESTORE_APR
}


/*
 * The virtual CPU interface at pCPU start: the architecture leaves ICH_LR<n>_EL2,
 * ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2 and ICH_VMCR_EL2 UNKNOWN at reset (IHI 0069, 12.5.1,
 * 12.5.2, 12.5.10), and a stale valid list register or active priority would reach the
 * first vCPU loaded here (Kestrel writes back only the list registers a vCPU uses).
 */
void vgic_cpuif_reset_pcpu(void)
{
	static const struct vgic_cpu zero;

	write_sysreg(0, ich_hcr_el2);
	for (unsigned int n = 0; n < vgic_nr_lrs(); n++)
		vgic_write_lr(n, 0);
	vgic_restore_cpuif(&zero);
}
