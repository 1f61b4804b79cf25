// SPDX-License-Identifier: Apache-2.0
/*
 * Stack-protector symbols that Debian's libfdt.a was compiled to use. Kestrel's own
 * code is built without the protector; libfdt runs only at boot.
 */
#include <kestrel/lib.h>

uintptr_t __stack_chk_guard = 0x5e7a1b4d2c3f6e9aUL;

void __stack_chk_fail(void) __noreturn;

void __stack_chk_fail(void)
{
	panic("stack smashing detected in libfdt");
}
