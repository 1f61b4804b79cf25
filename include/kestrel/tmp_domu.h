/* SPDX-License-Identifier: Apache-2.0 */
/* TEMPORARY until the domufdt branch merges. */
#include <kestrel/bootinfo.h>
struct domu_fdt_params {
	const struct membank *mem; unsigned int nr_mem, nr_vcpus, gic_version; bool vpl011, enhanced;
	const char *bootargs; uint64_t initrd_start, initrd_size;
};
int domu_build_fdt(const struct domu_fdt_params *p, void *buf, uint32_t size);
unsigned int domu_ram_layout(uint64_t mem_size, struct membank out[2]);
