// SPDX-License-Identifier: Apache-2.0
/*
 * console_io hypercall (number 18): CONSOLEIO_write prints guest bytes on the
 * hypervisor console, CONSOLEIO_read hands over queued serial input (dom0 only).
 * Linux uses it for earlycon=xen and dom0's hvc0 (drivers/tty/hvc/hvc_xen.c).
 * Source: Xen public/xen.h (CONSOLEIO_*), xen/drivers/char/console.c semantics:
 * write returns 0, read returns the byte count.
 */
#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/errno.h>
#include <kestrel/guest_access.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>

#define CHUNK 128
#define WRITE_PER_TRAP 1024	/* bytes printed per trap; the rest continues */

/* A chunk that crosses a page: copied first, so that it is printed whole or not at all. */
static __attribute__((noinline)) int write_copied(uint64_t buffer, unsigned int n)
{
	char buf[CHUNK];

	if (copy_from_guest(buf, buffer, n))
		return -EFAULT;
	console_guest_write(current->domain, buf, n);
	return 0;
}

/*
 * Printed CHUNK bytes at a time, each chunk whole or not at all (-EFAULT, nothing of it
 * printed), as Xen's guest_console_write() does. A chunk within one page goes to the
 * console from where it is (guest_read_in_place()), without a copy: a guest changing it
 * meanwhile changes only what is printed.
 */
static long consoleio_write(unsigned int count, uint64_t buffer)
{
	unsigned int done = 0;

	while (count) {
		unsigned int n = MIN(count, CHUNK);
		size_t in_page;
		const char *p = guest_read_in_place(buffer, n, &in_page);

		if (p && in_page == n)
			console_guest_write(current->domain, p, n);
		else if (write_copied(buffer, n))
			return -EFAULT;
		buffer += n;
		count -= n;
		done += n;
		if (count && done >= WRITE_PER_TRAP)
			return hypercall_continue(1, count, 2, buffer);
	}
	return 0;
}

static long consoleio_read(unsigned int count, uint64_t buffer)
{
	char buf[CHUNK];
	size_t n = MIN(MIN(count, CHUNK), console_input_pending());

	if (!n)
		return 0;
	/* Check the destination first so a bad buffer loses no input. */
	if (guest_range_check(buffer, n, 1))
		return -EFAULT;
	n = console_read(buf, n);
	if (copy_to_guest(buffer, buf, n))
		return -EFAULT;
	return (long)n;
}

long do_console_io(unsigned int cmd, unsigned int count, uint64_t buffer)
{
	switch (cmd) {
	case CONSOLEIO_write:
		return consoleio_write(count, buffer);
	case CONSOLEIO_read:
		if (!current->domain->is_privileged)
			return -EPERM;
		return consoleio_read(count, buffer);
	}
	return -ENOSYS;
}
