// SPDX-License-Identifier: Apache-2.0
/*
 * sched_op hypercall (number 29): yield, block (wait for an event), poll (wait for one
 * of some ports, with a timeout) and shutdown. Source: Xen public/sched.h; the blocking
 * rules (SCHEDOP_block re-enables event delivery; poll returns at once if a port is
 * already pending) as Xen 4.17 implements them (xen/common/sched/core.c, do_poll).
 */
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/event.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <kestrel/vgic.h>
#include <public/sched.h>

#define POLL_MAX_PORTS	128	/* Xen's limit for SCHEDOP_poll */

/* An event or a virtual interrupt the vCPU would take at once. */
static bool work_pending(struct vcpu *v)
{
	return (v->vcpu_info && __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE)) ||
	       vgic_vcpu_pending(v);
}

/*
 * SCHEDOP_block: enable event delivery and wait for work. On Arm event delivery is the
 * upcall interrupt, so enabling it unmasks IRQs in the caller's PSTATE (Xen
 * xen/arch/arm/include/asm/event.h, local_event_delivery_enable).
 */
static long sched_block(struct vcpu *v)
{
	vcpu_block_prepare(v);
	v->regs.cpsr &= ~PSR_I;
	if (!work_pending(v))
		vcpu_block(v);
	return 0;
}

/*
 * SCHEDOP_poll: block until one of the ports is pending (masked or not), work arrives,
 * or system time (ns) reaches @timeout (0: no timeout).
 * Return: 0; -EINVAL for more than 128 ports or one out of range; -EFAULT.
 */
static long sched_poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll p;
	uint32_t port = 0;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	vcpu_block_prepare(v);
	v->sched.poll_evtchn = -1;
	__atomic_store_n(&v->sched.polling, true, __ATOMIC_SEQ_CST);	/* before the port checks */
	for (uint32_t i = 0; i < p.nr_ports; i++) {
		long rc = 0;

		if (copy_from_guest(&port, p.ports + (uint64_t)i * sizeof(port), sizeof(port)))
			rc = -EFAULT;
		else if (port >= EVTCHN_MAX_PORTS)
			rc = -EINVAL;
		else if (evtchn_is_pending(v->domain, port))
			rc = 1;
		if (rc) {
			v->sched.polling = false;
			return rc < 0 ? rc : 0;
		}
	}
	if (p.nr_ports == 1)
		v->sched.poll_evtchn = (int)port;
	if (work_pending(v)) {
		v->sched.polling = false;
		return 0;
	}
	v->sched.poll_deadline = p.timeout ? timer_ns_to_ticks(p.timeout) : TIMER_NEVER;
	vcpu_block(v);
	return 0;
}

long do_sched_op(unsigned int cmd, uint64_t arg)
{
	struct vcpu *v = current;
	struct sched_shutdown sd;

	switch (cmd) {
	case SCHEDOP_yield:
		vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		return sched_block(v);
	case SCHEDOP_poll:
		return sched_poll(v, arg);
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, arg, sizeof(sd)))
			return -EFAULT;
		if (sd.reason > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(v->domain, sd.reason);
		return 0;	/* a domU's vCPU is off now and never sees it */
	}
	return -ENOSYS;
}
