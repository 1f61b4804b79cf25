// SPDX-License-Identifier: Apache-2.0
/*
 * Trap counts per class, for the benchmarks' dom0 trap mix (CONFIG_TRAP_COUNT, a counting
 * build only: `make count-image`, tests/bench/run_bench.py). Each pCPU counts in its own
 * slot without atomics; dom0's poweroff prints the sums, one "trapcount:" line per class:
 * HVCs by Xen hypercall number (x16, Xen public/arch-arm.h) or as SMCCC calls (HVC #0),
 * data aborts by emulated region (the domain's mmio[] order: GICD, GICR, ...) or not
 * emulated, MSR/MRS traps by system register (ESR_EL2 ISS Op0/Op1/CRn/CRm/Op2, Arm ARM
 * D17.2.37), WFI and WFE, physical IRQs, and other classes by ESR_EL2.EC.
 */
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/domain.h>
#include <kestrel/hypercall.h>
#include <kestrel/lib.h>

#ifdef CONFIG_TRAP_COUNT
#define SYSREG_SLOTS	32
#define SYSREG_KEY(esr)	((uint32_t)(esr) & 0x3ffc1e)	/* ISS without Rt [9:5] and direction [0] */

static struct trap_counts {
	uint64_t ec[ESR_EC_MAX + 1];
	uint64_t hypercall[NR_HYPERCALLS], hypercall_bad, smccc;
	uint64_t mmio[DOMAIN_MAX_MMIO], dabt_other;
	uint32_t sysreg_key[SYSREG_SLOTS];
	uint64_t sysreg[SYSREG_SLOTS], sysreg_other;
	uint64_t wfi, wfe, irq;
} counts[CONFIG_NR_CPUS];

static struct trap_counts *mine(void)
{
	return &counts[this_pcpu()->id];
}

void trap_count_hvc(uint64_t esr, uint64_t nr)
{
	struct trap_counts *c = mine();

	if (esr & 0xffff)
		nr < NR_HYPERCALLS ? c->hypercall[nr]++ : c->hypercall_bad++;
	else
		c->smccc++;
}

void trap_count_sync(uint64_t esr)
{
	struct trap_counts *c = mine();
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK, i;
	const struct mmio_region *r;

	c->ec[ec]++;
	if (ec == ESR_EC_DABT_LOW) {
		uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);

		r = domain_find_mmio(current->domain, ipa);
		r ? c->mmio[r - current->domain->mmio]++ : c->dabt_other++;
	} else if (ec == ESR_EC_SYS64) {
		for (i = 0; i < SYSREG_SLOTS && c->sysreg_key[i] && c->sysreg_key[i] != SYSREG_KEY(esr); i++)
			;
		if (i == SYSREG_SLOTS) {
			c->sysreg_other++;
			return;
		}
		c->sysreg_key[i] = SYSREG_KEY(esr);
		c->sysreg[i]++;
	} else if (ec == ESR_EC_WFx) {
		esr & 1 ? c->wfe++ : c->wfi++;
	}
}

void trap_count_irq(void)
{
	mine()->irq++;
}

/* A system register as S<op0>_<op1>_C<n>_C<m>_<op2> from its ISS key. */
static void sysreg_name(uint32_t k, char *buf, size_t len)
{
	snprintk(buf, len, "S%u_%u_C%u_C%u_%u", (k >> 20) & 3, (k >> 14) & 7, (k >> 10) & 0xf, (k >> 1) & 0xf,
		 (k >> 17) & 7);
}

void trap_count_print(void)
{
	static struct trap_counts sum;
	char name[24];

	for (unsigned int p = 0; p < CONFIG_NR_CPUS; p++) {
		const struct trap_counts *c = &counts[p];

		for (unsigned int i = 0; i <= ESR_EC_MAX; i++)
			sum.ec[i] += c->ec[i];
		for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
			sum.hypercall[i] += c->hypercall[i];
		for (unsigned int i = 0; i < DOMAIN_MAX_MMIO; i++)
			sum.mmio[i] += c->mmio[i];
		for (unsigned int i = 0; i < SYSREG_SLOTS && c->sysreg_key[i]; i++) {
			unsigned int j;

			for (j = 0; j < SYSREG_SLOTS && sum.sysreg_key[j] && sum.sysreg_key[j] != c->sysreg_key[i]; j++)
				;
			if (j == SYSREG_SLOTS) {
				sum.sysreg_other += c->sysreg[i];
				continue;
			}
			sum.sysreg_key[j] = c->sysreg_key[i];
			sum.sysreg[j] += c->sysreg[i];
		}
		sum.hypercall_bad += c->hypercall_bad;
		sum.smccc += c->smccc;
		sum.dabt_other += c->dabt_other;
		sum.sysreg_other += c->sysreg_other;
		sum.wfi += c->wfi;
		sum.wfe += c->wfe;
		sum.irq += c->irq;
	}
	for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
		if (sum.hypercall[i])
			printk("trapcount: hypercall %u %lu\n", i, (unsigned long)sum.hypercall[i]);
	printk("trapcount: hypercall bad %lu\n", (unsigned long)sum.hypercall_bad);
	printk("trapcount: smccc - %lu\n", (unsigned long)sum.smccc);
	for (unsigned int i = 0; i < DOMAIN_MAX_MMIO; i++)
		if (sum.mmio[i])
			printk("trapcount: mmio %u %lu\n", i, (unsigned long)sum.mmio[i]);
	printk("trapcount: dabt other %lu\n", (unsigned long)sum.dabt_other);
	for (unsigned int i = 0; i < SYSREG_SLOTS && sum.sysreg_key[i]; i++) {
		sysreg_name(sum.sysreg_key[i], name, sizeof(name));
		printk("trapcount: sysreg %s %lu\n", name, (unsigned long)sum.sysreg[i]);
	}
	printk("trapcount: sysreg other %lu\n", (unsigned long)sum.sysreg_other);
	printk("trapcount: wfi - %lu\n", (unsigned long)sum.wfi);
	printk("trapcount: wfe - %lu\n", (unsigned long)sum.wfe);
	printk("trapcount: irq - %lu\n", (unsigned long)sum.irq);
	for (unsigned int i = 0; i <= ESR_EC_MAX; i++)
		if (sum.ec[i] && i != ESR_EC_DABT_LOW && i != ESR_EC_SYS64 && i != ESR_EC_WFx)
			printk("trapcount: ec 0x%x %lu\n", i, (unsigned long)sum.ec[i]);
}
#endif
