/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_FAKE_ASM_SYSREGS_H
#define KESTREL_FAKE_ASM_SYSREGS_H
/*
 * Host unit tests' stand-in for arch/arm64/include/asm/sysregs.h (tests/unit/fake, on
 * the include path before arch/arm64/include). The register constants are the real
 * header's (#include_next); only the accessors change: read_sysreg()/write_sysreg() go
 * to the fake register file in tests/unit/fake/fake_arch.c instead of MRS/MSR, and the
 * barriers and WFI become compiler barriers. So the real asm/pcpu.h works unchanged on
 * the host: its this_pcpu() reads TPIDR_EL2, which the fake answers with
 * &pcpu_table[fake_cpu] (one struct pcpu definition for both builds).
 */
#include_next <asm/sysregs.h>

#ifndef __ASSEMBLY__
#include <stdint.h>

#undef read_sysreg
#undef write_sysreg
#undef isb
#undef dsb
#undef wfi

/** fake_read_sysreg() - the fake value of system register @name ("tpidr_el2", ...). */
uint64_t fake_read_sysreg(const char *name);
/** fake_write_sysreg() - store @val in the fake register @name of the fake current pCPU. */
void fake_write_sysreg(const char *name, uint64_t val);

#define read_sysreg(r)		fake_read_sysreg(#r)
#define write_sysreg(v, r)	fake_write_sysreg(#r, (uint64_t)(v))
#define isb()			__asm__ volatile("" ::: "memory")
#define dsb(opt)		__asm__ volatile("" ::: "memory")
#define wfi()			__asm__ volatile("" ::: "memory")
#endif
#endif
