# SPDX-License-Identifier: Apache-2.0
# Kestrel: `make` builds build/kestrel (arm64 Image) and build/kestrel.elf.
# `make run` boots Debian's kernel as dom0 under QEMU; `make test` runs the whole suite.

CROSS_COMPILE ?= aarch64-linux-gnu-
CC      := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
NM      := $(CROSS_COMPILE)nm
# Debian's python3 (python3-kconfiglib, python3-pytest, python3-pexpect live there).
PYTHON  ?= /usr/bin/python3
KCONFIGLIB := /usr/lib/python3/dist-packages
B       := build
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
LIBFDT_A := /usr/lib/aarch64-linux-gnu/libfdt.a
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG

SRCS := $(wildcard arch/arm64/*.c arch/arm64/*.S common/*.c drivers/serial/*.c)
OBJS := $(patsubst %,$(B)/%.o,$(basename $(SRCS)))

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
	-ffreestanding -fno-common -fno-stack-protector -fno-builtin-printf \
	-mgeneral-regs-only -mcpu=cortex-a53 -mno-outline-atomics -fpie -fvisibility=hidden -fno-omit-frame-pointer \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) -isystem $(PICOLIBC)/include \
	-isystem $(B)/libfdt-include -Iinclude -Iarch/arm64/include -I$(B)/include \
	-include include/kestrel/compiler.h -include $(B)/include/generated/autoconf.h -MMD -MP
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
# Hardening: a strict warning set as errors, and the stack protector (global guard, set
# from boot entropy by common/stack_protector.c; overrides -fno-stack-protector above).
CFLAGS += -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	-Wold-style-definition -Wpointer-arith -Wundef -Wformat=2 -Wvla -Wcast-qual -Wwrite-strings \
	-Wredundant-decls -Wimplicit-fallthrough -Wlogical-op -Wduplicated-cond -Wduplicated-branches \
	-Wframe-larger-than=1536 -fstack-protector-strong -mstack-protector-guard=global
LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro -Wl,--build-id=none \
	-Wl,-T,arch/arm64/kestrel.lds -Wl,-z,max-page-size=4096 -Wl,--gc-sections -Wl,--no-warn-rwx-segments

.PHONY: all defconfig menuconfig olddefconfig run debug test unit-test boot-test check-el2 deps guest-images clean distclean cloc

all: $(B)/kestrel

deps:
	@scripts/install-deps.sh

$(KCONFIG_CONFIG):
	@$(MAKE) --no-print-directory defconfig

defconfig:
	PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig configs/defconfig

menuconfig:
	PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/menuconfig.py Kconfig

olddefconfig:
	PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/olddefconfig.py Kconfig

$(B)/include/generated/autoconf.h: $(KCONFIG_CONFIG) Kconfig
	@mkdir -p $(dir $@)
	PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/genconfig.py --header-path $@ Kconfig

# libfdt's headers live in /usr/include beside the host's libc headers; expose only them.
$(B)/libfdt-include/libfdt.h:
	@mkdir -p $(dir $@)
	ln -sf /usr/include/libfdt.h /usr/include/fdt.h /usr/include/libfdt_env.h $(dir $@)

$(OBJS): $(B)/include/generated/autoconf.h $(B)/libfdt-include/libfdt.h Makefile

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -c $< -o $@

# Two link passes embed the symbol table for crash reports (include/kestrel/symbols.h):
# pass 1 with an empty table, pass 2 with the table made from pass 1, which must list
# the same addresses again (the table lies after all code).
KLINK = $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(1) $(LIBFDT_A) $(PICOLIBC)/lib/libc.a -lgcc

$(B)/symtab-empty.S: scripts/gen-symtab.sh
	@mkdir -p $(dir $@)
	@scripts/gen-symtab.sh > $@

$(B)/kestrel.pass1.elf: $(OBJS) $(B)/symtab-empty.o arch/arm64/kestrel.lds
	@echo "  LD      $@"
	@$(call KLINK,$(B)/symtab-empty.o)

$(B)/symtab.S: $(B)/kestrel.pass1.elf scripts/gen-symtab.sh
	@echo "  SYMTAB  $@"
	@NM=$(NM) scripts/gen-symtab.sh $< > $@

$(B)/symtab.o $(B)/symtab-empty.o: $(B)/%.o: $(B)/%.S $(B)/include/generated/autoconf.h
	@$(CC) $(ASFLAGS) -c $< -o $@

$(B)/kestrel.elf: $(OBJS) $(B)/symtab.o arch/arm64/kestrel.lds
	@echo "  LD      $@"
	@$(call KLINK,$(B)/symtab.o)
	@NM=$(NM) scripts/gen-symtab.sh $@ | cmp -s - $(B)/symtab.S || \
		{ echo "symbol addresses moved between link passes" >&2; rm -f $@; exit 1; }

$(B)/kestrel: $(B)/kestrel.elf
	$(OBJCOPY) -O binary $< $@

# Boot dom0 (Debian's kernel + busybox initramfs) interactively; Ctrl-a x quits QEMU.
run: deps
	$(MAKE) --no-print-directory all guest-images
	scripts/qemu-run.sh

# Same, stopped at the first instruction with QEMU's gdbstub on :1234 (README, "Debugging"):
# prints the gdb-multiarch command line that loads Kestrel's symbols at its load address
# (and dom0's, VMLINUX=path/to/vmlinux, booted with nokaslr so they match).
KESTREL_LOAD := 0x40200000
GDB_CMD = gdb-multiarch -q -ex 'target remote :1234' -ex 'add-symbol-file $(B)/kestrel.elf -o $(KESTREL_LOAD)'$(if \
	$(VMLINUX), -ex 'add-symbol-file $(VMLINUX)') -ex 'break start_kestrel'
debug: all guest-images
	@echo "QEMU is paused, waiting for gdb on :1234. In another terminal:"
	@echo "  $(GDB_CMD)"
	QEMU_EXTRA="-s -S" $(if $(VMLINUX),DOM0_ARGS="console=hvc0 earlycon=xen rdinit=/init nokaslr") \
		scripts/qemu-run.sh

# Fails if code that can run after dom0 starts reads TPIDR_EL0 or touches FP/SIMD registers.
check-el2: $(B)/kestrel.elf
	scripts/check-el2-safe.sh $<

include tests/tests.mk
include tests/bench/bench.mk
include tools/mkimage-scripts/mkimage-scripts.mk
include tests/fuzz/fuzz.mk

# Code lines (no blanks, no comments) of the hypervisor's sources and headers: Debian's cloc
# (scripts/install-deps.sh).
cloc:
	@cloc --quiet --hide-rate $(SRCS) $(wildcard include/*/*.h include/public/*/*.h arch/arm64/include/asm/*.h)

clean:
	rm -rf $(B)

distclean: clean
	rm -rf cache $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

-include $(OBJS:.o=.d)
