/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_SYMBOLS_H
#define KESTREL_SYMBOLS_H
/*
 * Kestrel's own symbol table, embedded in the image for crash reports. The build links
 * twice: the first link carries an empty table; scripts/gen-symtab.sh turns `nm` of it
 * into the table the second link embeds (the table lies after all code, so no code
 * address moves; the build checks that).
 */
#include <stddef.h>
#include <stdint.h>

/**
 * struct symtab - text symbols sorted by address.
 * @count:   number of symbols.
 * @names:   byte offset, from the start of the table, of the NUL-terminated names.
 * @entry:   @count + 1 pairs {address offset from _text, name offset in the names};
 *           the last pair only marks the end of the text (its name is unused).
 */
struct symtab {
	uint32_t count;
	uint32_t names;
	struct {
		uint32_t addr, name;
	} entry[];
};

/** struct symbol - what symtab_lookup() found: a name, the offset into it and its size. */
struct symbol {
	const char *name;
	uint64_t offset, size;
};

/** Enough for "name+0x1234/0x5678" with names up to 40 characters. */
#define SYMBOL_BUF_LEN	64

/**
 * symtab_lookup() - the symbol of @table containing text offset @off (an address
 * minus the image base): the last symbol at or before @off, if @off is before the end
 * of the text. The size of a symbol is the distance to the next one.
 * Return: 0 and *@sym, or -1 if @off is outside the text or the table is empty.
 */
int symtab_lookup(const struct symtab *table, uint64_t off, struct symbol *sym);

/**
 * symtab_format() - write "name+0xoff/0xsize" for runtime address @addr of an image
 * loaded at @base into @buf (@size bytes, NUL-terminated, truncated if needed), or
 * "?" if no symbol covers it. Return: the length snprintk() reports.
 */
int symtab_format(const struct symtab *table, uint64_t base, uint64_t addr, char *buf, size_t size);

/** symbol_format() - symtab_format() with Kestrel's embedded table and load address. */
int symbol_format(uint64_t addr, char *buf, size_t size);

/** The table scripts/gen-symtab.sh generated for this image. */
extern const struct symtab kestrel_symtab;
#endif
