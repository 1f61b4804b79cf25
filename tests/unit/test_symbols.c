// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the embedded symbol table: scripts/gen-symtab.sh turned the nm
 * listing tests/unit/symtab-nm.txt into the kestrel_symtab linked into this binary
 * (see unit.mk), and common/symbols.c looks addresses up in it. Covered: the table the
 * script builds (text symbols only, sorted, linker markers and local labels dropped,
 * the first of several names at one address, the end at _etext), lookups at a
 * symbol's first and last byte, outside the text, in an empty table, and the
 * "name+0xoff/0xsize" format with its truncation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kestrel/symbols.h>

/* The image base symbol_format() subtracts; its value does not matter here. */
char _text[16];

static const char *name_at(uint64_t off)
{
	struct symbol sym;

	return symtab_lookup(&kestrel_symtab, off, &sym) ? NULL : sym.name;
}

static void test_generated_table(void **state)
{
	static const struct { uint32_t addr; const char *name; } want[] = {
		{ 0x0, "_head" }, { 0x40, "primary_entry" }, { 0x100, "el2_vectors" },
		{ 0x900, "guest_exit" }, { 0x1000, "do_trap_dabt" }, { 0x1200, "bootinfo_parse" },
	};
	const char *names = (const char *)&kestrel_symtab + kestrel_symtab.names;

	(void)state;
	assert_int_equal(kestrel_symtab.count, 6);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(kestrel_symtab.entry[i].addr, want[i].addr);
		assert_string_equal(names + kestrel_symtab.entry[i].name, want[i].name);
	}
	assert_int_equal(kestrel_symtab.entry[6].addr, 0x2000);	/* _etext */
}

static void test_lookup_boundaries(void **state)
{
	struct symbol sym;

	(void)state;
	assert_string_equal(name_at(0), "_head");
	assert_string_equal(name_at(0x3f), "_head");
	assert_string_equal(name_at(0x40), "primary_entry");
	assert_string_equal(name_at(0x8ff), "el2_vectors");
	assert_string_equal(name_at(0x1fff), "bootinfo_parse");
	assert_null(name_at(0x2000));		/* _etext: past the text */
	assert_null(name_at(0x3000));
	assert_null(name_at(~0UL));
	assert_int_equal(symtab_lookup(&kestrel_symtab, 0x1010, &sym), 0);
	assert_string_equal(sym.name, "do_trap_dabt");
	assert_int_equal(sym.offset, 0x10);
	assert_int_equal(sym.size, 0x200);
}

static void test_lookup_empty_and_offset_tables(void **state)
{
	static const struct { uint32_t count, names, entry[4]; char strings[8]; } empty = { 0, 16, { 0, 0 }, "" },
		late = { 1, 24, { 0x100, 0, 0x180, 0 }, "f" };
	struct symbol sym;

	(void)state;
	assert_int_equal(symtab_lookup((const struct symtab *)&empty, 0, &sym), -1);
	assert_int_equal(symtab_lookup((const struct symtab *)&late, 0xff, &sym), -1);
	assert_int_equal(symtab_lookup((const struct symtab *)&late, 0x17f, &sym), 0);
	assert_string_equal(sym.name, "f");
	assert_int_equal(sym.offset, 0x7f);
	assert_int_equal(symtab_lookup((const struct symtab *)&late, 0x180, &sym), -1);
}

static void test_format(void **state)
{
	uint64_t base = (uintptr_t)_text;
	char buf[SYMBOL_BUF_LEN], small[8];

	(void)state;
	symbol_format(base + 0x1010, buf, sizeof(buf));
	assert_string_equal(buf, "do_trap_dabt+0x10/0x200");
	symbol_format(base + 0x40, buf, sizeof(buf));
	assert_string_equal(buf, "primary_entry+0x0/0xc0");
	symbol_format(base + 0x2000, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	symtab_format(&kestrel_symtab, 0x40000000, 0x3fffffff, buf, sizeof(buf));	/* below the image */
	assert_string_equal(buf, "?");
	assert_int_equal(symtab_format(&kestrel_symtab, 0, 0x904, small, sizeof(small)),
			 (int)strlen("guest_exit+0x4/0x700"));
	assert_string_equal(small, "guest_e");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_table),
		cmocka_unit_test(test_lookup_boundaries),
		cmocka_unit_test(test_lookup_empty_and_offset_tables),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
