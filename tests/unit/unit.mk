# SPDX-License-Identifier: Apache-2.0
# Host unit tests (cmocka) of Kestrel's portable C, included by tests/tests.mk.
#   make unit-test      build build/unit/test_* with the host compiler and run them all;
#                       stops at the first failing binary (make -k unit-test runs them all)
#   make unit-tests     build only
# No cross build or Kconfig run is needed: the few CONFIG_ values the code under test
# reads are passed with -D below, and libfdt is the host's (headers in /usr/include,
# which Debian's libfdt-dev of either architecture provides; the host libfdt1 runtime).
# tests/unit/fake/include comes before arch/arm64/include: its asm/sysregs.h turns system-
# register accesses into calls to the fake arch (tests/unit/fake/fake_arch.c, fake_arch.h),
# which binaries that run code touching them link. The cross build never sees it.

HOSTCC ?= gcc
UB := $(B)/unit

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-Iinclude -Itests/unit/fake/include -Iarch/arm64/include \
	-DCONFIG_GNTTAB_MAX_FRAMES=64 -DCONFIG_MAX_VCPUS=4 -DCONFIG_MAX_DOMUS=4 -DCONFIG_NR_CPUS=4 -DCONFIG_HEAP_KB=4096 -DCONFIG_TRACE_RECORDS=256 \
	-DKESTREL_HOST_CURRENT \
	-MMD -MP
UNIT_LDFLAGS := -fsanitize=address,undefined
UNIT_LIBS := -lcmocka
# The host's libfdt.so link comes with the amd64 libfdt-dev, which Debian cannot install
# beside libfdt-dev:arm64 (the cross build's); without it, link the runtime libfdt.so.1.
UNIT_LIBFDT = $(if $(filter /%,$(shell $(HOSTCC) -print-file-name=libfdt.so)),-lfdt,-l:libfdt.so.1)

UNIT_TESTS := pgtable kimage dom0_mem cmdline dom0_fdt vgic
UNIT_TESTS += bootinfo dom0less domu_fdt
UNIT_TESTS += symbols ratelimit
UNIT_TESTS += sched trace
UNIT_TESTS += mm
UNIT_TESTS += vpl011
UNIT_TESTS += gic_v2 cadence vgic_v2 sip
UNIT_TESTS += id_regs guest_atomic
UNIT_TESTS += string
UNIT_BINS := $(addprefix $(UB)/test_,$(UNIT_TESTS))

# Code under test for each binary (besides tests/unit/test_<name>.c and tests/unit/stubs.c).
unit_src_pgtable  := common/pgtable.c
unit_src_kimage   := common/kimage.c
unit_src_dom0_mem := common/dom0_mem.c
unit_src_cmdline  := common/cmdline.c
unit_src_dom0_fdt := common/dom0_fdt.c
unit_src_bootinfo := common/bootinfo.c common/dom0less.c common/cmdline.c
unit_src_dom0less := common/dom0less.c common/bootinfo.c common/cmdline.c
unit_src_domu_fdt := common/domu_fdt.c common/domu_passthrough.c common/dom0less.c common/bootinfo.c common/cmdline.c
unit_src_symbols  := common/symbols.c
unit_src_ratelimit := common/ratelimit.c
unit_src_mm       := common/mm.c
unit_fake         := tests/unit/fake/fake_arch.c
unit_src_sched    := common/sched.c common/sched_credit2.c common/sched_null.c common/timer.c \
		     common/cmdline.c $(unit_fake)
unit_src_trace    := common/trace.c common/sched.c common/sched_credit2.c common/sched_null.c \
		     common/timer.c common/cmdline.c $(unit_fake)
unit_src_vpl011   := common/vpl011.c common/console_router.c
unit_src_gic_v2   := arch/arm64/gic-v2-layout.c
unit_src_cadence  := drivers/serial/cadence.c
unit_src_id_regs  := arch/arm64/id_policy.c
unit_src_guest_atomic := common/guest_atomic.c
unit_src_string   :=		# test_string.c includes common/string.c under other names
unit_src_vgic     := arch/arm64/vgic.c arch/arm64/vgic-regs.c arch/arm64/vgic-v3-dist.c \
		     arch/arm64/vgic-v3-redist.c common/mmio.c
unit_src_sip      := arch/arm64/sip.c common/cmdline.c
unit_src_vgic_v2  := arch/arm64/vgic.c arch/arm64/vgic-regs.c arch/arm64/vgic-v2-dist.c common/mmio.c

UNIT_SRCS := $(sort tests/unit/stubs.c $(foreach t,$(UNIT_TESTS),tests/unit/test_$(t).c $(unit_src_$(t))))
UNIT_OBJS := $(patsubst %.c,$(UB)/obj/%.o,$(UNIT_SRCS))
UNIT_RUNS := $(addprefix unit-run-,$(UNIT_TESTS))

.PHONY: unit-tests unit-test $(UNIT_RUNS)

unit-tests: $(UNIT_BINS)

unit-test: $(UNIT_RUNS)

# Each binary's run is its own target (run in UNIT_TESTS order without -j), so plain
# `make unit-test` stops at the first failure and `make -k unit-test` runs every binary.
$(UNIT_RUNS): unit-run-%: $(UB)/test_%
	@echo "  UNIT    test_$*"
	@UBSAN_OPTIONS=print_stacktrace=1 $(UB)/test_$*

$(UNIT_OBJS): $(UB)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

# The fdt test embeds a QEMU-virt-like host DTB (.incbin of the dtc output).
$(UB)/host-virt.dtb: tests/unit/host-virt.dts
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	@dtc -q -I dts -O dtb -o $@ $<

$(UB)/obj/tests/unit/test_dom0_fdt.o: $(UB)/host-virt.dtb
$(UB)/obj/tests/unit/test_dom0_fdt.o: UNIT_CFLAGS += -DHOST_DTB=\"$(abspath $(UB)/host-virt.dtb)\"

$(UB)/test_dom0_fdt: UNIT_EXTRA_LIBS = $(UNIT_LIBFDT)

# The bootinfo test parses the same DTB.
$(UB)/obj/tests/unit/test_bootinfo.o: $(UB)/host-virt.dtb
$(UB)/obj/tests/unit/test_bootinfo.o: UNIT_CFLAGS += -DHOST_DTB=\"$(abspath $(UB)/host-virt.dtb)\"
$(UB)/test_bootinfo: UNIT_EXTRA_LIBS = $(UNIT_LIBFDT)
$(UB)/test_dom0less: UNIT_EXTRA_LIBS = $(UNIT_LIBFDT)
$(UB)/test_sip: UNIT_EXTRA_LIBS = $(UNIT_LIBFDT)
# The domU DT test compares the generator's output with dts/domu-reference.dts and copies
# the /passthrough node of tests/unit/domu-partial.dts.
$(UB)/%.dtb: dts/%.dts
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	@dtc -q -I dts -O dtb -o $@ $<
$(UB)/domu-partial.dtb: tests/unit/domu-partial.dts
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	@dtc -q -I dts -O dtb -o $@ $<
$(UB)/obj/tests/unit/test_domu_fdt.o: $(UB)/domu-reference.dtb $(UB)/domu-partial.dtb
$(UB)/obj/tests/unit/test_domu_fdt.o: UNIT_CFLAGS += -DREF_DTB=\"$(abspath $(UB)/domu-reference.dtb)\" \
	-DPARTIAL_DTB=\"$(abspath $(UB)/domu-partial.dtb)\"
$(UB)/test_domu_fdt: UNIT_EXTRA_LIBS = $(UNIT_LIBFDT)
# The symbol-table test links the table scripts/gen-symtab.sh makes of a fixed nm listing.
$(UB)/symtab-test.S: tests/unit/symtab-nm.txt tests/unit/fake-nm.sh scripts/gen-symtab.sh
	@mkdir -p $(dir $@)
	@NM=tests/unit/fake-nm.sh scripts/gen-symtab.sh tests/unit/symtab-nm.txt > $@
$(UB)/symtab-test.o: $(UB)/symtab-test.S
	@$(HOSTCC) -c $< -o $@
$(UB)/test_symbols: $(UB)/symtab-test.o

$(foreach t,$(UNIT_TESTS),$(eval $(UB)/test_$(t): $(patsubst %.c,$(UB)/obj/%.o,$(unit_src_$(t)))))
$(UNIT_BINS): $(UB)/test_%: $(UB)/obj/tests/unit/test_%.o $(UB)/obj/tests/unit/stubs.o
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(UNIT_LDFLAGS) -o $@ $^ $(UNIT_LIBS) $(UNIT_EXTRA_LIBS)

-include $(UNIT_OBJS:.o=.d)
