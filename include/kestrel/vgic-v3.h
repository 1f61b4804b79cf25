/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_VGIC_V3_H
#define KESTREL_VGIC_V3_H
/*
 * GICv3 SGI generation as a guest asks for it: the ICC_SGI1R_EL1 write trapped by
 * ICH_HCR_EL2.TC / the SGI trap (IHI 0069 12.2.23). Inline so the trapped write costs
 * one call into the vGIC core, as before the backends were split.
 */
#include <kestrel/vgic.h>

#define ICC_SGI1R_INTID_SHIFT	24
#define ICC_SGI1R_AFF1_SHIFT	16
#define ICC_SGI1R_IRM		(1UL << 40)
/* Aff3 [55:48], Aff2 [39:32], RS [47:44]: non-zero names no vCPU (vcpu_id_to_mpidr()). */
#define ICC_SGI1R_NO_VCPU	(0xffUL << 48 | 0xffUL << 32 | 0xfUL << 44)

/**
 * vgic_send_sgi() - emulate a trapped ICC_SGI1R_EL1 write of @value by @v: IRM = 1 is every
 * vCPU but the sender; else the TargetList bits name Aff0 values 0-15 under Aff1, i.e. vCPUs
 * Aff1 * 16 + n (vcpu_id_to_mpidr()). Aff2/Aff3/RS other than 0 name no vCPU: ignored.
 */
static inline void vgic_send_sgi(struct vcpu *v, uint64_t value)
{
	unsigned int intid = (value >> ICC_SGI1R_INTID_SHIFT) & 0xf;

	if (unlikely(value & ICC_SGI1R_IRM))
		vgic_sgi_to_others(v, intid);
	else if (!(value & ICC_SGI1R_NO_VCPU))
		vgic_sgi_to_list(v, intid, (value >> ICC_SGI1R_AFF1_SHIFT & 0xff) * 16, value & 0xffff);
}
#endif
