// SPDX-License-Identifier: Apache-2.0
/*
 * Stack protector. Kestrel is built with -fstack-protector-strong and
 * -mstack-protector-guard=global: functions with arrays or address-taken locals keep a
 * copy of __stack_chk_guard below their return address and call __stack_chk_fail() if
 * it changed (GCC manual, "Instrumentation Options"). Debian's libfdt.a was compiled
 * with the protector too and uses the same two symbols.
 *
 * The guard is a constant until stack_guard_init() replaces it, first thing at boot,
 * with a value mixed from the boot entropy the platform offers: the DT's
 * /chosen/rng-seed and /chosen/kaslr-seed (Devicetree specification 0.4, 3.6 "/chosen";
 * Linux Documentation/devicetree/bindings/chosen.txt), RNDR when FEAT_RNG is present
 * (ID_AA64ISAR0_EL1.RNDR, Arm ARM D17.2.61; RNDR: C5.2.13) and the physical counter.
 * Its lowest byte is zero, so a string copy running over a canary stops at it.
 */
#include <libfdt.h>
#include <asm/sysregs.h>
#include <kestrel/lib.h>
#include <kestrel/setup.h>
#include <kestrel/symbols.h>

uintptr_t __stack_chk_guard = 0x5e7a1b4d2c3f6e00UL;

void __stack_chk_fail(void) __noreturn;

/* One round of the splitmix64 finaliser: every input bit affects every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9UL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

static uint64_t mix_bytes(uint64_t h, const void *p, int len)
{
	const uint8_t *b = p;

	for (int i = 0; i < len; i++)
		h = mix64(h ^ ((uint64_t)b[i] << ((i % 8) * 8)));
	return h;
}

/* RNDR (S3_3_C2_C4_0): a random number, or 0 with PSTATE.Z set if none was available. */
static uint64_t read_rndr(void)
{
	uint64_t v, ok;

	if (!(read_sysreg(id_aa64isar0_el1) >> 60))
		return 0;
	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(v), "=r"(ok) : : "cc");
	return ok ? v : 0;
}

__attribute__((no_stack_protector)) __init void stack_guard_init(const void *fdt)
{
	uint64_t h = mix64(read_sysreg(cntpct_el0));
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const void *seed;

	if (chosen >= 0) {
		seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
		if (seed && len > 0)
			h = mix_bytes(h, seed, len);
		seed = fdt_getprop(fdt, chosen, "kaslr-seed", &len);
		if (seed && len > 0)
			h = mix_bytes(h, seed, len);
	}
	h = mix64(h ^ read_rndr());
	__stack_chk_guard = h & ~0xffUL;
}

void __stack_chk_fail(void)
{
	uint64_t caller = (uintptr_t)__builtin_return_address(0);
	char sym[SYMBOL_BUF_LEN];

	symbol_format(caller, sym, sizeof(sym));
	panic("stack corruption detected: the stack protector's canary changed in %s", sym);
}
