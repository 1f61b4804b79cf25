// SPDX-License-Identifier: Apache-2.0
/*
 * Console router: serial input has one owner, the hypervisor, dom0 or a domU with a
 * vpl011. Ctrl-a typed three times in a row moves it on: hypervisor -> dom0 -> each domU
 * with a vpl011 in domain-id order -> hypervisor, and a line says who has it now (Xen's
 * convention, xen/drivers/char/console.c). The three Ctrl-a are swallowed; one or two
 * followed by another byte are passed on with it. Input starts with dom0, as it did
 * before the router (Xen too gives it to dom0 at the end of boot).
 * Guest output: dom0's console_io is raw; a domU's console_io, and its vpl011 while it
 * does not hold input, get "(dN) " at each line start.
 */
#include <kestrel/console.h>
#include <kestrel/domain.h>
#include <kestrel/event.h>
#include <kestrel/lib.h>
#include <kestrel/spinlock.h>
#include <kestrel/vpl011.h>
#include <kestrel/vpl011_internal.h>
#include <public/xen.h>

#define CTRL_A		0x01
#define SWITCH_COUNT	3
#define OWNER_HYP	DOMID_XEN

static spinlock_t router_lock;
static uint16_t owner;			/* a domain id, or OWNER_HYP; dom0 first */
static unsigned int ctrl_a_seen;	/* Ctrl-a bytes held back, 0-2 */

/* Debug keys (common/debug_keys.c) override this; host unit tests keep it. */
__attribute__((weak)) void console_hyp_input(char c)
{
	(void)c;
}

static bool takes_input(const struct domain *d)
{
	return d->domain_id == 0 || d->vpl011;
}

/*
 * Walks of domain_list hold domlist_lock (a destruction unlinks under it); a domain found
 * stays valid while router_lock is held, as its destruction passes through
 * console_router_domain_gone() before it is freed.
 */
static struct domain *find(uint16_t domid)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != domid; d = d->next_in_list)
		;
	spin_unlock(&domlist_lock);
	return d;
}

/* The owner after @cur: the lowest id above it that takes input, else the hypervisor. */
static uint16_t next_owner(uint16_t cur)
{
	int after = cur == OWNER_HYP ? -1 : cur;
	uint16_t best = OWNER_HYP;

	spin_lock(&domlist_lock);
	for (struct domain *d = domain_list; d; d = d->next_in_list)
		if (takes_input(d) && d->domain_id > after && (best == OWNER_HYP || d->domain_id < best))
			best = d->domain_id;
	spin_unlock(&domlist_lock);
	return best;
}

static void announce(uint16_t o)
{
	console_start_line();	/* after a guest's prompt: the "(K) " line of its own */
	if (o == OWNER_HYP)
		printk("serial input: hypervisor (Ctrl-a three times to switch)\n");
	else
		printk("serial input: d%u (Ctrl-a three times to switch)\n", o);
}

uint16_t console_input_owner(void)
{
	return *(volatile uint16_t *)&owner;
}

/* One byte to the owner; returns true if dom0 got it (the caller raises VIRQ_CONSOLE). */
static bool deliver(char c)
{
	struct domain *d;

	if (owner == OWNER_HYP) {
		console_hyp_input(c);
		return false;
	}
	if (owner == 0)
		return console_queue_dom0(c);
	d = find(owner);
	if (d && d->vpl011)
		vpl011_rx(d, &c, 1);
	return false;
}

void console_input(const char *buf, size_t len)
{
	bool dom0 = false;
	uint16_t switched = 0;
	bool did_switch = false;

	spin_lock(&router_lock);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == CTRL_A && ++ctrl_a_seen == SWITCH_COUNT) {
			ctrl_a_seen = 0;
			owner = next_owner(owner);
			switched = owner;
			did_switch = true;
			continue;
		}
		if (buf[i] == CTRL_A)
			continue;
		for (; ctrl_a_seen; ctrl_a_seen--)
			dom0 |= deliver(CTRL_A);
		dom0 |= deliver(buf[i]);
	}
	spin_unlock(&router_lock);
	if (did_switch)
		announce(switched);
	if (dom0)
		evtchn_send_virq_dom0(VIRQ_CONSOLE);
}

void console_router_domain_gone(struct domain *d)
{
	uint16_t o;

	spin_lock(&router_lock);
	o = owner;
	if (o == d->domain_id)
		owner = next_owner(o);	/* @d no longer takes input: it is skipped */
	spin_unlock(&router_lock);
	if (o == d->domain_id)
		announce(owner);
}

/* @len bytes of @d's output with "(dN) " at each line start; *@line_start carries over. */
static void write_prefixed(struct domain *d, const char *buf, size_t len, bool *line_start)
{
	char out[16 + CONSOLE_LINE_SIZE];	/* "(d65535) " and a whole held line */

	while (len) {
		size_t p = 0, n = 0;

		if (*line_start)
			p = (size_t)snprintk(out, sizeof(out), "(d%u) ", d->domain_id);
		while (n < len && p + n < sizeof(out) && buf[n] != '\n')
			n++;
		if (n < len && p + n < sizeof(out) && buf[n] == '\n')
			n++;
		memcpy(out + p, buf, n);
		console_write_raw(out, p + n);
		*line_start = buf[n - 1] == '\n';
		buf += n;
		len -= n;
	}
}

void console_vpl011_write(struct domain *d, const char *buf, size_t len)
{
	struct vpl011 *u = d->vpl011;
	bool start = true;
	bool *line_start = u ? &u->line_start : &start;

	if (console_input_owner() == d->domain_id) {
		console_write_raw(buf, len);
		if (len)
			*line_start = buf[len - 1] == '\n';
		return;
	}
	write_prefixed(d, buf, len, line_start);
}

static void console_line_flush(struct domain *d, struct console_line *l)
{
	bool start = true;

	if (l->len)
		write_prefixed(d, l->buf, l->len, &start);
	l->len = 0;
}

void console_guest_write(struct domain *d, const char *buf, size_t len)
{
	struct console_line *l = &d->console_line;

	if (d->domain_id == 0) {
		console_write_raw(buf, len);
		return;
	}
	spin_lock(&l->lock);
	for (size_t i = 0; i < len; i++) {
		l->buf[l->len++] = buf[i];
		if (buf[i] == '\n' || l->len == sizeof(l->buf))
			console_line_flush(d, l);
	}
	spin_unlock(&l->lock);
}

void console_guest_flush(struct domain *d)
{
	spin_lock(&d->console_line.lock);
	console_line_flush(d, &d->console_line);
	spin_unlock(&d->console_line.lock);
}
