// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv3 vGIC backend (struct vgic_backend): the virtual CPU interface's list registers
 * ICH_LR<n>_EL2 (IHI 0069, 12.5.10); the count comes from ICH_VTR_EL2.ListRegs (12.5.12).
 * The register name is part of the instruction, hence the switch. Kestrel's list-register
 * format (VGIC_LR_*) is ICH_LR's, so values pass unchanged. Also the rest of the CPU
 * interface a vCPU switch moves: ICH_VMCR_EL2 (12.5.13), ICH_AP<n>R<m>_EL2; the guest's
 * frames are the emulated GICD and GICR (vgic_v3_add_mmio()).
 */
#include <asm/ich.h>
#include <asm/sysregs.h>
#include <kestrel/vgic.h>

unsigned int vgic_v3_nr_lrs(void)
{
	static unsigned int nr;

	if (!nr)
		nr = (read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1;	/* ICH_VTR_EL2 */
	return nr > VGIC_MAX_LRS ? VGIC_MAX_LRS : nr;
}

static uint64_t v3_read_lr(unsigned int n)
{
	return ich_read_lr(n);
}

static void v3_write_lr(unsigned int n, uint64_t val)
{
	ich_write_lr(n, val);
}

static uint32_t v3_read_elrsr(void)
{
	return ich_read_elrsr();
}

static void v3_write_hcr(uint64_t val)
{
	ich_write_hcr(val);
}

void vgic_v3_save_cpuif(struct vgic_cpu *c)
{
	ich_save_cpuif(c);
}

void vgic_v3_restore_cpuif(const struct vgic_cpu *c)
{
	ich_restore_cpuif(c);
}

const struct vgic_backend vgic_v3_backend = {
	.name = "GICv3",
	.version = 3,
	.sysreg_cpuif = true,
	.nr_lrs = vgic_v3_nr_lrs,
	.read_lr = v3_read_lr,
	.write_lr = v3_write_lr,
	.read_elrsr = v3_read_elrsr,
	.write_hcr = v3_write_hcr,
	.save_cpuif = vgic_v3_save_cpuif,
	.restore_cpuif = vgic_v3_restore_cpuif,
	.add_mmio = vgic_v3_add_mmio,
};
