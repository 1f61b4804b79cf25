// SPDX-License-Identifier: Apache-2.0
/*
 * Address-to-symbol lookup in the embedded symbol table (include/kestrel/symbols.h),
 * for crash reports. Portable C: the unit tests run it on tables of their own.
 */
#include <kestrel/lib.h>
#include <kestrel/symbols.h>

extern char _text[];

int symtab_lookup(const struct symtab *table, uint64_t off, struct symbol *sym)
{
	uint32_t lo = 0, hi = table->count;

	if (!table->count || off < table->entry[0].addr || off >= table->entry[table->count].addr)
		return -1;
	/* Invariant: entry[lo].addr <= off < entry[hi].addr. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (table->entry[mid].addr <= off)
			lo = mid;
		else
			hi = mid;
	}
	sym->name = (const char *)table + table->names + table->entry[lo].name;
	sym->offset = off - table->entry[lo].addr;
	sym->size = table->entry[lo + 1].addr - table->entry[lo].addr;
	return 0;
}

int symtab_format(const struct symtab *table, uint64_t base, uint64_t addr, char *buf, size_t size)
{
	struct symbol sym;

	if (addr < base || symtab_lookup(table, addr - base, &sym))
		return snprintk(buf, size, "?");
	return snprintk(buf, size, "%s+0x%lx/0x%lx", sym.name, (unsigned long)sym.offset,
			(unsigned long)sym.size);
}

int symbol_format(uint64_t addr, char *buf, size_t size)
{
	return symtab_format(&kestrel_symtab, (uintptr_t)_text, addr, buf, size);
}
