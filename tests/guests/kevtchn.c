// SPDX-License-Identifier: Apache-2.0
/*
 * kevtchn: a tiny static arm64 Linux program for the interdomain event-channel test,
 * put in the initramfs. It drives Linux's /dev/xen/evtchn (drivers/xen/evtchn.c):
 *   kevtchn listen <domid>        allocate a port <domid> may bind, print "kevtchn: port N",
 *                                 wait for one event on it, send one back, exit
 *   kevtchn connect <domid> <port> bind to <domid>'s port, take the event the bind itself
 *                                 raises, send one, wait for the reply, exit
 * ioctl numbers and structs: Linux include/uapi/xen/evtchn.h (_IOC(_IOC_NONE, 'E', nr,
 * size)); a read() returns the ports that fired (4 bytes each), which stay masked until
 * written back. Raw system calls (arm64 Linux: include/uapi/asm-generic/unistd.h), no
 * libc: Debian's cross compiler ships none for static arm64 Linux binaries.
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_ioctl	29
#define SYS_openat	56
#define SYS_read	63
#define SYS_write	64
#define SYS_exit	93
#define AT_FDCWD	-100
#define O_RDWR		2

#define EVTCHN_IOC(nr, size)	((uint32_t)(size) << 16 | 'E' << 8 | (nr))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN	EVTCHN_IOC(1, 8)
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT	EVTCHN_IOC(2, 4)
#define IOCTL_EVTCHN_NOTIFY		EVTCHN_IOC(4, 4)

static long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

static size_t len_of(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys3(SYS_write, 1, (long)s, (long)len_of(s));
}

static void say_num(const char *what, long v)
{
	char buf[24], *p = buf + sizeof(buf);

	*--p = '\0';
	*--p = '\n';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	say(what);
	say(p);
}

static __attribute__((noreturn)) void die(const char *why, long err)
{
	say_num(why, -err);
	sys3(SYS_exit, 1, 0, 0);
	__builtin_unreachable();
}

static unsigned int number(const char *s)
{
	unsigned int v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned int)(*s++ - '0');
	return v;
}

/* Wait for one event, unmask it again and return its port. */
static unsigned int wait_event(int fd)
{
	uint32_t port;
	long n = sys3(SYS_read, fd, (long)&port, sizeof(port));

	if (n != sizeof(port))
		die("kevtchn: read failed, errno ", n);
	sys3(SYS_write, fd, (long)&port, sizeof(port));
	return port;
}

static void notify(int fd, unsigned int port)
{
	uint32_t arg = port;
	long r = sys3(SYS_ioctl, fd, IOCTL_EVTCHN_NOTIFY, (long)&arg);

	if (r < 0)
		die("kevtchn: notify failed, errno ", r);
}

static int run(int argc, char **argv)
{
	long fd, port;

	if (argc < 3)
		die("usage: kevtchn listen <domid> | connect <domid> <port>; argc ", argc);
	fd = sys3(SYS_openat, AT_FDCWD, (long)"/dev/xen/evtchn", O_RDWR);
	if (fd < 0)
		die("kevtchn: cannot open /dev/xen/evtchn, errno ", fd);
	if (argv[1][0] == 'l') {
		uint32_t remote = number(argv[2]);

		port = sys3(SYS_ioctl, fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, (long)&remote);
		if (port < 0)
			die("kevtchn: alloc_unbound failed, errno ", port);
		say_num("kevtchn: port ", port);
		say_num("kevtchn: event on port ", wait_event((int)fd));
		notify((int)fd, (unsigned int)port);
		say("kevtchn: replied\n");
		return 0;
	}
	if (argc < 4)
		die("kevtchn connect needs <domid> <port>; argc ", argc);
	{
		uint32_t bind[2] = { number(argv[2]), number(argv[3]) };

		port = sys3(SYS_ioctl, fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, (long)bind);
		if (port < 0)
			die("kevtchn: bind_interdomain failed, errno ", port);
	}
	say_num("kevtchn: bound, local port ", port);
	wait_event((int)fd);	/* the bind raises one event on the new port (Xen semantics) */
	notify((int)fd, (unsigned int)port);
	say_num("kevtchn: reply on port ", wait_event((int)fd));
	return 0;
}

/* Entry: sp points at argc, then argv[] (Linux arm64 ELF start-up). */
__attribute__((noreturn, used)) void kevtchn_start(long *sp)
{
	sys3(SYS_exit, run((int)sp[0], (char **)(sp + 1)), 0, 0);
	__builtin_unreachable();
}

__asm__(".global _start\n_start:\n\tmov x0, sp\n\tbl kevtchn_start\n");
