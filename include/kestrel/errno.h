/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ERRNO_H
#define KESTREL_ERRNO_H
/*
 * Internal error numbers. They equal the Xen ABI values (Xen public/errno.h), so a
 * hypercall handler may return them to the guest as they are.
 */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ENOSYS		38
#define ENODATA		61
#define EOPNOTSUPP	95
/* Internal: the hypercall made progress and must be re-issued (never seen by a guest). */
#define ERESTART	85
#define ENOMEM		12
#define ENODEV		19
#define EACCES		13
#endif
