/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_ASM_SYSREGS_H
#define KESTREL_ASM_SYSREGS_H
/*
 * System-register accessors and the EL2 control bits Kestrel programs.
 * Bit positions: Arm ARM (DDI 0487) D13/D17 register descriptions.
 */

#ifdef __ASSEMBLY__
#define BIT(n)			(1 << (n))
#else
#define BIT(n)			(1UL << (n))
#endif

/* SCTLR_EL2 (Arm ARM D17.2.120): RES1 bits for the non-VHE layout, and the enables. */
#define SCTLR_EL2_RES1		0x30C50830
#define SCTLR_EL2_M		BIT(0)
#define SCTLR_EL2_C		BIT(2)
#define SCTLR_EL2_SA		BIT(3)
#define SCTLR_EL2_I		BIT(12)
#define SCTLR_EL2_WXN		BIT(19)

/* SCTLR_EL1 reset value Kestrel gives a new vCPU: RES1 bits, MMU and caches off. */
#define SCTLR_EL1_RESET		0x30C50838

/* HCR_EL2 (Arm ARM D17.2.48). */
#define HCR_VM			BIT(0)
#define HCR_SWIO		BIT(1)
#define HCR_FMO			BIT(3)
#define HCR_IMO			BIT(4)
#define HCR_AMO			BIT(5)
#define HCR_VSE			BIT(8)
#define HCR_FB			BIT(9)
#define HCR_BSU_IS		(1UL << 10)
#define HCR_TWI			BIT(13)
#define HCR_TWE			BIT(14)
#define HCR_TSC			BIT(19)
#define HCR_TID3		BIT(18)	/* ID registers trapped: id_regs.c */
#define HCR_TIDCP		BIT(20)	/* IMPLEMENTATION DEFINED registers trapped */
#define HCR_TACR		BIT(21)	/* ACTLR_EL1 trapped */
#define HCR_TSW			BIT(22)
#define HCR_RW			BIT(31)
#define HCR_TLOR		BIT(35)	/* LORegion registers trapped (FEAT_LOR only) */
#define HCR_TERR		BIT(36)	/* RAS error-record registers trapped (FEAT_RAS only) */
#define HCR_APK			BIT(40)	/* pointer-authentication key registers not trapped */
#define HCR_API			BIT(41)	/* pointer-authentication instructions not trapped */
/*
 * What every guest runs with: stage 2, interrupts to EL2, WFI/WFE, SMC and set/way
 * trapped, and the ID, IMPLEMENTATION DEFINED and ACTLR registers (docs/id-registers.md).
 */
#define HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | \
			 HCR_TWI | HCR_TWE | HCR_TSC | HCR_TSW | HCR_RW | HCR_TID3 | HCR_TIDCP | HCR_TACR)

/* MDCR_EL2 (Arm ARM D17.2.107): PMU and debug registers trapped (E2PB, E2TB = 0 trap SPE, TRBE). */
#define MDCR_TPMCR		BIT(5)
#define MDCR_TPM		BIT(6)
#define MDCR_TDA		BIT(9)
#define MDCR_TDOSA		BIT(10)
#define MDCR_TDRA		BIT(11)
#define MDCR_GUEST		(MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

/* SPSR/PSTATE values: EL1h with D, A, I, F masked (Arm ARM C5.2.19). */
#define PSR_MODE_EL0t		0x0
#define PSR_MODE_EL1t		0x4
#define PSR_MODE_EL1h		0x5
#define PSR_MODE_MASK		0xf
#define PSR_MODE_32BIT		BIT(4)
#define PSR_DAIF_MASK		(0xfUL << 6)
#define PSR_I			BIT(7)	/* IRQs masked */
#define PSR_GUEST64_INIT	(PSR_DAIF_MASK | PSR_MODE_EL1h)

/* ESR_ELx (Arm ARM D17.2.37). */
#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3f
#define ESR_IL			BIT(25)
#define ESR_ISS_MASK		0x1ffffff
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFx		0x01
#define ESR_EC_FP_ASIMD		0x07
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SERROR		0x2f
#define ESR_EC_MAX		0x3f

/* CNTHCTL_EL2: EL1 may read the physical counter; physical timer traps (Arm ARM D17.2.27). */
#define CNTHCTL_EL1PCTEN	BIT(0)
#define CNTHCTL_EL1PCEN		BIT(1)

/* CPTR_EL2 (non-VHE): RES1 bits; TFP clear so guests own FP/SIMD (Arm ARM D17.2.30). */
#define CPTR_EL2_RES1		0x33ff
#define CPTR_EL2_TFP		BIT(10)	/* trap FP/SIMD (EC 0x07): the lazy FP policy */
#define CPTR_EL2_TTA		BIT(20)	/* trap trace registers (RES0 without them: Xen sets it always) */
#define CPTR_EL2_TAM		BIT(30)	/* trap activity monitors (FEAT_AMUv1 only) */

/* MAIR_EL2 attribute indices used in EL2 stage-1 descriptors. */
#define MT_DEVICE_nGnRnE	0
#define MT_DEVICE_nGnRE		1
#define MT_NORMAL		2
#define MT_NORMAL_NC		3
#define MAIR_EL2_VALUE		(0x00UL | (0x04UL << 8) | (0xffUL << 16) | (0x44UL << 24))

#ifdef __ASSEMBLY__

/* PC-relative address of a symbol anywhere in +-4 GiB (PIE-safe). */
.macro adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
.endm

#else

#include <stdint.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

#endif /* __ASSEMBLY__ */
#endif
