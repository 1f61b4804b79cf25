// SPDX-License-Identifier: Apache-2.0
/*
 * vpl011's interrupt line on the vGIC: a level-sensitive SPI (GUEST_VPL011_SPI, Xen
 * public/arch-arm.h). The vGIC keeps only a pending bit, so the level is modelled by the
 * caller re-driving it after every change: pending while asserted (set again if the guest
 * has acknowledged it, so it is taken again after EOI), not pending once deasserted.
 */
#include <kestrel/domain.h>
#include <kestrel/vgic.h>
#include <kestrel/vpl011_internal.h>
#include <public/arch-arm.h>

void vpl011_set_irq_level(struct domain *d, bool level)
{
	struct vcpu *v = d->vcpu[0];
	struct vgic_irq *irq;

	if (!v || !(irq = vgic_get_irq(v, GUEST_VPL011_SPI)))
		return;
	spin_lock(&d->vgic.lock);
	if (level || irq->pending)
		vgic_irq_set_pending(v, irq, level);
	spin_unlock(&d->vgic.lock);
}
