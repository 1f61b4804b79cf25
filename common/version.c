// SPDX-License-Identifier: Apache-2.0
/*
 * xen_version hypercall (number 17). Kestrel reports the Xen ABI level Linux
 * expects, 4.17, and names itself in the extraversion (shown by Linux in
 * /sys/hypervisor/version/extra). Sub-ops and buffer sizes: Xen public/version.h;
 * feature bits: Xen public/features.h.
 */
#include <kestrel/bootinfo.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>
#include <kestrel/setup.h>
#include <public/features.h>
#include <public/version.h>

#define XEN_ABI_MAJOR		4
#define XEN_ABI_MINOR		17
#define KESTREL_EXTRAVERSION	"-kestrel-" KESTREL_VERSION

/**
 * xen_features() - XENFEAT_* submap 0 for @d: every guest is auto-translated with
 * writable page tables and may use SMCCC; dom0 is also XENFEAT_dom0 and direct-mapped
 * (IPA == PA, so Linux can DMA without swiotlb bouncing through the hypervisor).
 */
static uint32_t xen_features(const struct domain *d)
{
	uint32_t f = 1U << XENFEAT_writable_page_tables | 1U << XENFEAT_auto_translated_physmap |
		     1U << XENFEAT_ARM_SMCCC_supported;

	if (d->is_privileged)
		f |= 1U << XENFEAT_dom0;
	f |= 1U << (d->direct_map ? XENFEAT_direct_mapped : XENFEAT_not_direct_mapped);
	return f;
}

static long copy_string(uint64_t arg, const char *s, size_t size)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];

	memset(buf, 0, size);
	strncpy(buf, s, size - 1);
	return copy_to_guest(arg, buf, size);
}

static long get_features(const struct domain *d, uint64_t arg)
{
	struct xen_feature_info fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)))
		return -EFAULT;
	fi.submap = fi.submap_idx == 0 ? xen_features(d) : 0;
	return copy_to_guest(arg, &fi, sizeof(fi));
}

/* Every sub-op but XENVER_version: they copy to the guest and need a stack frame. */
static __attribute__((noinline)) long xen_version_info(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case XENVER_extraversion:
		return copy_string(arg, KESTREL_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		struct xen_compile_info ci;

		memset(&ci, 0, sizeof(ci));
		strncpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler) - 1);
		strncpy(ci.compile_by, "kestrel", sizeof(ci.compile_by) - 1);
		strncpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date) - 1);
		return copy_to_guest(arg, &ci, sizeof(ci));
	}
	case XENVER_capabilities:
		return copy_string(arg, "xen-3.0-aarch64 ", XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return copy_string(arg, "kestrel " KESTREL_VERSION, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp;

		memset(&pp, 0, sizeof(pp));	/* no hypervisor hole in guest VA on Arm */
		return copy_to_guest(arg, &pp, sizeof(pp));
	}
	case XENVER_get_features:
		return get_features(d, arg);
	case XENVER_pagesize:
		return 4096;
	case XENVER_guest_handle: {
		uint8_t handle[16] = { 0 };	/* domains have no UUID yet */

		return copy_to_guest(arg, handle, sizeof(handle));
	}
	case XENVER_commandline:
		if (!d->is_privileged)
			return -EPERM;
		return copy_string(arg, bootinfo.cmdline, XEN_COMMANDLINE_LEN);
	case XENVER_build_id:
		return -ENODATA;	/* built with --build-id=none */
	}
	return -ENOSYS;
}

long do_xen_version(unsigned int cmd, uint64_t arg)
{
	/* The guest's "null hypercall": answered without a frame or a guest access. */
	if (likely(cmd == XENVER_version))
		return XEN_ABI_MAJOR << 16 | XEN_ABI_MINOR;
	return xen_version_info(cmd, arg);
}
