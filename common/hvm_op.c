// SPDX-License-Identifier: Apache-2.0
/*
 * hvm_op hypercall (number 34): HVM parameters. Linux's xenbus asks for
 * HVM_PARAM_STORE_EVTCHN/PFN (drivers/xen/xenbus/xenbus_probe.c); with no xenstore
 * running they read as 0, which dom0 takes as "start one locally".
 * Source: Xen public/hvm/hvm_op.h, public/hvm/params.h.
 */
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

long do_hvm_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;
	struct xen_hvm_param p;

	if (cmd != HVMOP_get_param && cmd != HVMOP_set_param)
		return -ENOSYS;
	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.domid != DOMID_SELF && p.domid != d->domain_id)
		return -EPERM;
	if (p.index >= HVM_NR_PARAMS)
		return -EINVAL;
	if (cmd == HVMOP_set_param)
		return p.index == HVM_PARAM_CALLBACK_IRQ ? 0 : -EPERM;	/* upcall PPI is fixed */
	p.value = 0;
	return copy_to_guest(arg, &p, sizeof(p));
}
