/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_GUEST_ACCESS_H
#define KESTREL_GUEST_ACCESS_H
/*
 * Copies between the hypervisor and the current vCPU's virtual address space, for every
 * hypercall argument that is a pointer. Hypercall arguments on Arm are guest virtual
 * addresses (Xen public/arch-arm.h, "guest handles"); each page is translated with
 * AT S1E1R/W and then Kestrel's p2m (arch/arm64/guest_access.c), so the guest's own
 * stage-1 permissions and Kestrel's stage 2 both apply, and only guest RAM or pages
 * Kestrel gave the guest are ever touched. Nothing else dereferences guest pointers.
 */
#include <stddef.h>
#include <stdint.h>

/**
 * copy_from_guest() - read @len bytes at guest VA @va, page by page (a buffer may cross
 * pages, aligned or not). Return: 0, or -EFAULT at the first page that fails.
 */
int copy_from_guest(void *dst, uint64_t va, size_t len);

/**
 * copy_to_guest() - write @len bytes to guest VA @va, page by page. Return: 0, or -EFAULT
 * at the first page the guest may not write (the pages before it are written by then).
 */
int copy_to_guest(uint64_t va, const void *src, size_t len);

/**
 * guest_read_in_place() - the hypervisor's view of guest VA @va for reading, without a
 * copy: translated and checked as copy_from_guest() does, for at most @len bytes up to the
 * end of @va's page (*@n of them; a guest with its caches off is met in memory first).
 * For output the guest cannot harm by changing the bytes meanwhile (console_io writes).
 * Return: the bytes, or NULL (-EFAULT).
 */
const char *guest_read_in_place(uint64_t va, size_t len, size_t *n);

/** guest_range_check() - 0 if every page of [va, va + len) is accessible, else -EFAULT. */
int guest_range_check(uint64_t va, size_t len, int write);

/**
 * guest_va_to_pa() - translate guest VA @va for reading (@write = 0) or writing.
 * Only guest RAM or hypervisor pages mapped to the guest qualify (never a device).
 * Return: 0 and *@pa, or -EFAULT.
 */
int guest_va_to_pa(uint64_t va, int write, uint64_t *pa);
#endif
