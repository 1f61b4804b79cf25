// SPDX-License-Identifier: Apache-2.0
/*
 * Choice of the host GIC driver from the host DT (struct gic_info.version, parsed by
 * common/bootinfo.c from the interrupt controller's compatible), and with it the vGIC
 * backend guests get: a GICv3 host gives GICv3 guests, a GICv2 host GICv2 guests.
 */
#include <asm/gic.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/lib.h>
#include <kestrel/vgic.h>

static const struct gic_driver *const gic_drivers[] = {
	&gic_v3_driver,
	&gic_v2_driver,
};

const struct gic_driver *gic_hw = &gic_v3_driver;
bool gic_hw_sysreg;

int gic_probe(const struct gic_info *gic)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(gic_drivers); i++) {
		if (gic_drivers[i]->version != gic->version)
			continue;
		gic_hw = gic_drivers[i];
		gic_hw_sysreg = gic_hw->version == 3;
		vgic_set_backend(gic_hw->vgic);
		return gic_hw->init(gic);
	}
	return -ENODEV;
}
