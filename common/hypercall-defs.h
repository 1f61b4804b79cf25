/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every hypercall Kestrel implements, in one list:
 *   HYPERCALL(number, handler, number of arguments, who may call it)
 * Numbers: Xen public/xen.h. Anything not listed returns -ENOSYS.
 * ALL = any domain; PRIV = dom0 only (-EPERM for others).
 */
HYPERCALL(__HYPERVISOR_platform_op, platform_op, 1, PRIV)
HYPERCALL(__HYPERVISOR_memory_op, memory_op, 2, ALL)
HYPERCALL(__HYPERVISOR_xen_version, xen_version, 2, ALL)
HYPERCALL(__HYPERVISOR_console_io, console_io, 3, ALL)
HYPERCALL(__HYPERVISOR_grant_table_op, grant_table_op, 3, ALL)
HYPERCALL(__HYPERVISOR_vm_assist, vm_assist, 2, ALL)
HYPERCALL(__HYPERVISOR_vcpu_op, vcpu_op, 3, ALL)
HYPERCALL(__HYPERVISOR_sched_op, sched_op, 2, ALL)
HYPERCALL(__HYPERVISOR_event_channel_op, event_channel_op, 2, ALL)
HYPERCALL(__HYPERVISOR_physdev_op, physdev_op, 2, PRIV)
HYPERCALL(__HYPERVISOR_hvm_op, hvm_op, 2, ALL)
/* The toolstack's: not offered (-ENOSYS to dom0), and -EPERM to everyone else. */
HYPERCALL(__HYPERVISOR_sysctl, sysctl, 1, PRIV)
HYPERCALL(__HYPERVISOR_domctl, domctl, 1, PRIV)
#ifdef CONFIG_BENCHMARK_HYPERCALL
HYPERCALL(KESTREL_HYPERCALL_NOP, nop, 0, ALL)
#endif
