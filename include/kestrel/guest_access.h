/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_GUEST_ACCESS_H
#define KESTREL_GUEST_ACCESS_H
/*
 * Copies between the hypervisor and the current vCPU's virtual address space.
 * Hypercall arguments on Arm are guest virtual addresses (Xen public/arch-arm.h,
 * "guest handles"); each page is translated with AT S12E1R/W, so the guest's own
 * stage-1 permissions and Kestrel's stage 2 both apply.
 */
#include <stddef.h>
#include <stdint.h>

/** copy_from_guest() - read @len bytes at guest VA @va. Return 0 or -EFAULT. */
int copy_from_guest(void *dst, uint64_t va, size_t len);

/** copy_to_guest() - write @len bytes to guest VA @va. Return 0 or -EFAULT. */
int copy_to_guest(uint64_t va, const void *src, size_t len);

/** guest_range_check() - 0 if every page of [va, va + len) is accessible, else -EFAULT. */
int guest_range_check(uint64_t va, size_t len, int write);

/**
 * guest_va_to_pa() - translate guest VA @va for reading (@write = 0) or writing.
 * Only guest RAM or hypervisor pages mapped to the guest qualify (never a device).
 * Return: 0 and *@pa, or -EFAULT.
 */
int guest_va_to_pa(uint64_t va, int write, uint64_t *pa);
#endif
