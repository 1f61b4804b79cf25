// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual CPU interface at pCPU start, whichever backend (GICv3 ICH_*_EL2 or GICv2
 * GICH): the architecture leaves the list registers, the active-priority registers and the
 * VMCR UNKNOWN at reset (IHI 0069 12.5.1, 12.5.2, 12.5.10; IHI 0048B 5.3), and a stale
 * valid list register or active priority would reach the first vCPU loaded here (Kestrel
 * writes back only the list registers a vCPU uses).
 */
#include <asm/vgic-hw.h>
#include <kestrel/vgic.h>

void vgic_cpuif_reset_pcpu(void)
{
	static const struct vgic_cpu zero;

	vgic_write_hcr(0);
	for (unsigned int n = 0; n < (unsigned int)vgic_nr_lrs(); n++)
		vgic_write_lr(n, 0);
	vgic_restore_cpuif(&zero);
}
