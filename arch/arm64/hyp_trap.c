// SPDX-License-Identifier: Apache-2.0
/*
 * Exceptions taken at EL2 from EL2 (hypervisor bugs) and backtraces.
 *
 * The report names the exception and its cause (ESR_EL2.EC, Arm ARM D17.2.37, Table
 * D17-7), prints ESR/FAR/ELR/SPSR, the registers and a backtrace symbolised with the
 * embedded symbol table, then panics. Kestrel is built with -fno-omit-frame-pointer,
 * so x29 points at a frame record {caller's x29, return address} (AAPCS64 6.2.3,
 * "The Frame Pointer"); leaf functions keep none, so LR is printed as well.
 */
#include <asm/backtrace.h>
#include <asm/pcpu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <kestrel/lib.h>
#include <kestrel/symbols.h>

#define BACKTRACE_MAX	32

static const char *const kind_names[] = { "Synchronous", "IRQ", "FIQ", "SError" };

/* The exception classes a Kestrel bug is likely to raise (Arm ARM D17.2.37). */
static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x0e: return "illegal execution state";
	case 0x18: return "trapped system register access";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK instruction";
	}
	return "other";
}

bool backtrace_stack_of(uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	uint64_t base = (uintptr_t)pcpu_stacks, end = base + (uint64_t)CONFIG_NR_CPUS * PCPU_SLOT_SIZE;

	if (sp < base || sp >= end)
		return false;
	*hi = ALIGN_DOWN(sp, PCPU_SLOT_SIZE) + PCPU_SLOT_SIZE;
	*lo = *hi - PCPU_STACK_SIZE;
	return true;
}

static void print_addr(const char *what, uint64_t addr)
{
	char sym[SYMBOL_BUF_LEN];

	symbol_format(addr, sym, sizeof(sym));
	printk("%s0x%016lx %s\n", what, (unsigned long)addr, sym);
}

/*
 * A return address, named after the call before it (@ra - 4): a call to a noreturn function
 * (panic()) can be a function's last instruction, and its return address is then already
 * in the next function. The offset printed is the return address's.
 */
static void print_return_addr(uint64_t ra)
{
	extern char _text[];
	struct symbol sym;

	if (ra < (uintptr_t)_text + 4 || symtab_lookup(&kestrel_symtab, ra - 4 - (uintptr_t)_text, &sym)) {
		print_addr("  ", ra);
		return;
	}
	printk("  0x%016lx %s+0x%lx/0x%lx\n", (unsigned long)ra, sym.name, (unsigned long)(sym.offset + 4),
	       (unsigned long)sym.size);
}

void backtrace_print(uint64_t fp, uint64_t sp)
{
	uint64_t lo, hi, last = 0;
	unsigned int lines = 0, repeats = 0;

	printk("Call trace (return addresses):\n");
	if (!backtrace_stack_of(sp, &lo, &hi)) {
		printk("  (SP 0x%lx is in no pCPU stack)\n", (unsigned long)sp);
		return;
	}
	/* Records lie strictly upwards in one 16 KiB stack: the walk ends. */
	while (fp) {
		const uint64_t *record = (const uint64_t *)(uintptr_t)fp;

		/* Only frame records inside this stack are read: nothing else may be mapped. */
		if ((fp & 7) || fp < lo || fp > hi - 16) {
			printk("  (frame pointer 0x%lx outside the stack 0x%lx-0x%lx)\n", (unsigned long)fp,
			       (unsigned long)lo, (unsigned long)hi);
			break;
		}
		if (record[1] == last) {
			repeats++;	/* recursion: one line for the run */
		} else {
			if (repeats)
				printk("  (the same %u more times)\n", repeats);
			repeats = 0;
			if (++lines > BACKTRACE_MAX) {
				printk("  (more frames)\n");
				return;
			}
			print_return_addr(record[1]);
			last = record[1];
		}
		if (record[0] && record[0] <= fp) {
			printk("  (frame chain goes down at 0x%lx)\n", (unsigned long)record[0]);
			break;
		}
		fp = record[0];
	}
	if (repeats)
		printk("  (the same %u more times)\n", repeats);
}

static __noreturn void report(const struct cpu_user_regs *regs, unsigned int kind, uint64_t sp,
			      const char *why)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	/* A fault while reporting one: say so once, then stop without touching more state. */
	switch (panic_enter()) {
	case 1:
		break;
	case 2:
		printk("nested %s exception at EL2 (ESR 0x%lx ELR 0x%lx) while panicking\n",
		       kind < 4 ? kind_names[kind] : "?", (unsigned long)esr, (unsigned long)regs->pc);
		panic_stop();
	default:
		panic_stop();
	}
	printk("Hypervisor trap on pCPU %u: %s exception at EL2", this_pcpu()->id,
	       kind < 4 ? kind_names[kind] : "?");
	if (kind == EXIT_SYNC)
		printk(", %s (EC 0x%x)", ec_name(ec), ec);
	printk("\n");
	if (why)
		printk("%s\n", why);
	printk("ESR_EL2 0x%016lx  FAR_EL2 0x%016lx\n", (unsigned long)esr, (unsigned long)read_sysreg(far_el2));
	printk("ELR_EL2 0x%016lx  SPSR_EL2 0x%016lx  SP 0x%016lx\n", (unsigned long)regs->pc,
	       (unsigned long)regs->cpsr, (unsigned long)sp);
	for (unsigned int i = 0; i < 30; i += 2)
		printk("x%-2u 0x%016lx  x%-2u 0x%016lx\n", i, (unsigned long)regs->x[i], i + 1,
		       (unsigned long)regs->x[i + 1]);
	printk("x30 0x%016lx\n", (unsigned long)regs->x[30]);
	print_addr("PC ", regs->pc);
	print_addr("LR ", regs->x[30]);
	backtrace_print(regs->x[29], sp);
	panic_report("exception in the hypervisor");
}

void hyp_trap(struct cpu_user_regs *regs, unsigned int kind, uint64_t sp)
{
	report(regs, kind, sp, NULL);
}

void hyp_trap_bad_stack(struct cpu_user_regs *regs, unsigned int kind, uint64_t sp)
{
	uint64_t lo, hi;
	char why[160];

	/* Below the stack proper but in its slot: in (or past) the guard page. */
	if (backtrace_stack_of(sp - REGS_SIZE, &lo, &hi) && sp - REGS_SIZE < lo)
		snprintk(why, sizeof(why), "STACK OVERFLOW: SP 0x%lx has no room for the exception frame "
			 "(stack 0x%lx-0x%lx, guard page below it)", (unsigned long)sp,
			 (unsigned long)lo, (unsigned long)hi);
	else
		snprintk(why, sizeof(why), "SP 0x%lx is not in a hypervisor stack", (unsigned long)sp);
	report(regs, kind, sp, why);
}
