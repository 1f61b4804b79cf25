// SPDX-License-Identifier: Apache-2.0
/* Each domain's emulated MMIO regions: where stage-2 data aborts are looked up. */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/mmio.h>

int domain_add_mmio(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops)
{
	if (!size || base + size < base)
		return -EINVAL;
	for (unsigned int i = 0; i < d->nr_mmio; i++)
		if (base < d->mmio[i].base + d->mmio[i].size && d->mmio[i].base < base + size)
			return -EINVAL;
	if (d->nr_mmio == DOMAIN_MAX_MMIO)
		return -ENOSPC;
	d->mmio[d->nr_mmio++] = (struct mmio_region){ base, size, ops };
	return 0;
}
