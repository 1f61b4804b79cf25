// SPDX-License-Identifier: Apache-2.0
/*
 * Command-line helpers. Our own digit parsing: picolibc's strtoul keeps errno in
 * TLS (TPIDR_EL0), which at EL2 would be a guest-controlled pointer.
 */
#include <kestrel/bootinfo.h>
#include <kestrel/lib.h>

static int digit_value(char c, unsigned int base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v >= 0 && (unsigned int)v < base ? v : -1;
}

uint64_t parse_ulong(const char *s, const char **end)
{
	unsigned int base = 10;
	const char *p = s;
	uint64_t v = 0;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2], 16) >= 0) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p, base) < 0) {
		*end = s;
		return 0;
	}
	while ((d = digit_value(*p, base)) >= 0) {
		if (v > (~0UL - (uint64_t)d) / base)
			v = ~0UL;	/* saturate: too large for anything, and reported as such */
		else
			v = v * base + (uint64_t)d;
		p++;
	}
	*end = p;
	return v;
}

uint64_t parse_size(const char *s, const char **end)
{
	uint64_t v = parse_ulong(s, end);
	unsigned int shift = 0;

	if (*end == s)
		return 0;
	switch (**end) {
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	}
	if (shift) {
		(*end)++;
		if (v > (~0UL >> shift))
			v = ~0UL;	/* saturate: reported as too large by the caller */
		else
			v <<= shift;
	}
	return v;
}

/* Find word @name at a word boundary; return a pointer just past it, or NULL. */
static const char *find_word(const char *cmdline, const char *name, char term)
{
	size_t n = strlen(name);

	for (const char *p = cmdline; p && *p; ) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, name, n) && (p[n] == term || (!term && (p[n] == ' ' || !p[n]))))
			return p + n + (term ? 1 : 0);
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

const char *cmdline_get(const char *cmdline, const char *name, char *buf, unsigned int len)
{
	const char *v = find_word(cmdline, name, '=');
	unsigned int i = 0;

	if (!v || !len)
		return NULL;
	while (v[i] && v[i] != ' ' && i + 1 < len) {
		buf[i] = v[i];
		i++;
	}
	buf[i] = '\0';
	return buf;
}

int cmdline_has(const char *cmdline, const char *name)
{
	return find_word(cmdline, name, 0) != NULL;
}
