/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_VGIC_HW_H
#define KESTREL_ASM_VGIC_HW_H
/*
 * The vGIC core's accessors of the hardware's virtual CPU interface: through the backend
 * table (struct vgic_backend, vgic_hw), except on a GICv3 host (vgic_hw_sysreg), where the
 * ICH_* system registers are reached inline (asm/ich.h) - one byte tested instead of an
 * indirect call on every list-register access of the trap and switch paths. Host unit
 * tests (not aarch64) always go through the table, which is how they fake the hardware.
 */
#include <kestrel/vgic.h>
#ifdef __aarch64__
#include <asm/ich.h>
#define VGIC_SYSREG()	likely(vgic_hw_sysreg)
#else
#define VGIC_SYSREG()	false
#define ich_read_lr(n)		0
#define ich_write_lr(n, v)	((void)(n), (void)(v))
#define ich_read_elrsr()	0
#define ich_write_hcr(v)	((void)(v))
#define vgic_v3_nr_lrs()	0
#define ich_save_cpuif(c)	((void)(c))
#define ich_restore_cpuif(c)	((void)(c))
#endif

/*
 * Each accessor in two forms: vgic_x() tests vgic_hw_sysreg itself; vgic_x_on(sysreg, ...)
 * takes the test's result, so a function doing several accesses (a vCPU switch) tests once
 * and the compiler specialises its body for each answer (see vgic.c, VGIC_SPECIALISE).
 */
#define VGIC_HW_INLINE	static inline __attribute__((always_inline))

VGIC_HW_INLINE unsigned int vgic_nr_lrs(void)
{
	return VGIC_SYSREG() ? vgic_v3_nr_lrs() : vgic_hw->nr_lrs();
}

VGIC_HW_INLINE uint64_t vgic_read_lr_on(bool sysreg, unsigned int n)
{
	return sysreg ? ich_read_lr(n) : vgic_hw->read_lr(n);
}

VGIC_HW_INLINE void vgic_write_lr_on(bool sysreg, unsigned int n, uint64_t val)
{
	if (sysreg)
		ich_write_lr(n, val);
	else
		vgic_hw->write_lr(n, val);
}

VGIC_HW_INLINE uint32_t vgic_read_elrsr_on(bool sysreg)
{
	return sysreg ? ich_read_elrsr() : vgic_hw->read_elrsr();
}

VGIC_HW_INLINE void vgic_write_hcr_on(bool sysreg, uint64_t val)
{
	if (sysreg)
		ich_write_hcr(val);
	else
		vgic_hw->write_hcr(val);
}

VGIC_HW_INLINE void vgic_save_cpuif_on(bool sysreg, struct vgic_cpu *c)
{
	if (sysreg)
		ich_save_cpuif(c);
	else
		vgic_hw->save_cpuif(c);
}

VGIC_HW_INLINE void vgic_restore_cpuif_on(bool sysreg, const struct vgic_cpu *c)
{
	if (sysreg)
		ich_restore_cpuif(c);
	else
		vgic_hw->restore_cpuif(c);
}

#define vgic_read_lr(n)		vgic_read_lr_on(VGIC_SYSREG(), n)
#define vgic_write_lr(n, val)	vgic_write_lr_on(VGIC_SYSREG(), n, val)
#define vgic_read_elrsr()	vgic_read_elrsr_on(VGIC_SYSREG())
#define vgic_write_hcr(val)	vgic_write_hcr_on(VGIC_SYSREG(), val)
#define vgic_save_cpuif(c)	vgic_save_cpuif_on(VGIC_SYSREG(), c)
#define vgic_restore_cpuif(c)	vgic_restore_cpuif_on(VGIC_SYSREG(), c)

/*
 * VGIC_SPECIALISE(fn, args...) - call fn(true, args) on a GICv3 host, fn(false, args)
 * otherwise; @fn is always_inline, so each call is its own copy with the backend test gone.
 */
#define VGIC_SPECIALISE(fn, ...) \
	(VGIC_SYSREG() ? fn(true, __VA_ARGS__) : fn(false, __VA_ARGS__))
#endif
