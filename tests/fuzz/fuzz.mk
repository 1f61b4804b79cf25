# SPDX-License-Identifier: Apache-2.0
# Host libFuzzer targets for Kestrel's boot-time parsers (tests/fuzz), included by the Makefile.
#   make fuzz-targets   build build/fuzz/fuzz_<target> (clang, ASan + UBSan + libFuzzer)
#   make fuzz-test      for each target: replay its corpus (tests/fuzz/corpus/<target>, the
#                       seeds and every past crash), then fuzz FUZZ_TEST_SECONDS (default 20)
#                       from that corpus alone; run by `make test`
#   make fuzz           the same, FUZZ_SECONDS (default 600) per target; FUZZ_TARGETS=... to
#                       pick targets, FUZZ_SEED=... for another reproducible run
# Inputs libFuzzer finds go to build/fuzz/corpus/<target>, crashes to
# build/fuzz/artifacts/<target>/; neither touches the source tree. A crash fails the run;
# fix it, then copy the input into tests/fuzz/corpus/<target>/ as a regression test.
# Like tests/unit/unit.mk: no cross build or Kconfig run; the few CONFIG_ values are -D
# flags; libfdt is the host's runtime libfdt1 (uninstrumented: fdt_mutator.c says why
# that is enough).

FUZZ_CC ?= clang
FB := $(B)/fuzz
FUZZ_TARGETS ?= bootinfo dom0_fdt kimage cmdline dom0less
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 20
FUZZ_SEED ?= 1
# Options for every run: fixed seed, a hang is a finding after 10 s, DTB-sized inputs.
FUZZ_FLAGS ?= -seed=$(FUZZ_SEED) -timeout=10 -max_len=16384 -print_final_stats=1

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -fno-omit-frame-pointer \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link -Iinclude -Iarch/arm64/include \
	-DCONFIG_GNTTAB_MAX_FRAMES=64 -DCONFIG_MAX_VCPUS=4 -DCONFIG_MAX_DOMUS=4 -DCONFIG_NR_CPUS=4 -DCONFIG_HEAP_KB=4096 \
	-MMD -MP
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer
# Host libfdt as in tests/unit/unit.mk: the -dev link if present, else the runtime .so.1.
FUZZ_LIBFDT = $(if $(filter /%,$(shell $(FUZZ_CC) -print-file-name=libfdt.so)),-lfdt,-l:libfdt.so.1)

# Code under test for each target (besides tests/fuzz/fuzz_<name>.c and tests/fuzz/stubs.c).
fuzz_src_bootinfo := common/bootinfo.c common/dom0less.c common/cmdline.c common/dom0_mem.c common/kimage.c \
		     tests/fuzz/fdt_mutator.c
fuzz_src_dom0_fdt := common/bootinfo.c common/dom0less.c common/cmdline.c common/dom0_fdt.c tests/fuzz/fdt_mutator.c
fuzz_src_kimage   := common/kimage.c common/dom0_mem.c
fuzz_src_cmdline  := common/cmdline.c
fuzz_src_dom0less := common/dom0less.c common/domu_passthrough.c common/domu_fdt.c common/bootinfo.c \
		     common/cmdline.c tests/fuzz/fdt_mutator.c
fuzz_libs_bootinfo := fdt
fuzz_libs_dom0_fdt := fdt
fuzz_libs_dom0less := fdt

FUZZ_BINS := $(addprefix $(FB)/fuzz_,$(FUZZ_TARGETS))
FUZZ_SRCS := $(sort tests/fuzz/stubs.c $(foreach t,$(FUZZ_TARGETS),tests/fuzz/fuzz_$(t).c $(fuzz_src_$(t))))
FUZZ_OBJS := $(patsubst %.c,$(FB)/obj/%.o,$(FUZZ_SRCS))

.PHONY: fuzz fuzz-test fuzz-targets

fuzz-targets: $(FUZZ_BINS)

$(FUZZ_OBJS): $(FB)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(foreach t,$(FUZZ_TARGETS),$(eval $(FB)/fuzz_$(t): $(patsubst %.c,$(FB)/obj/%.o,$(fuzz_src_$(t)))))
$(foreach t,$(FUZZ_TARGETS),$(eval $(FB)/fuzz_$(t): FUZZ_EXTRA_LIBS = $(if $(fuzz_libs_$(t)),$$(FUZZ_LIBFDT))))
$(FUZZ_BINS): $(FB)/fuzz_%: $(FB)/obj/tests/fuzz/fuzz_%.o $(FB)/obj/tests/fuzz/stubs.o
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(FUZZ_EXTRA_LIBS)

# Failure report: the sanitizer's or invariant's own line, where the input was saved, the log.
FUZZ_REPORT = { grep '^Running: ' $(1) | tail -n 1; \
	grep -E -m 5 'invariant broken|ERROR: |SUMMARY: |Test unit written' $(1); } >&2; \
	echo "fuzz: full log in $(1)" >&2

# $(1): seconds per target; $(2): "fresh" to start from the committed corpus alone, so that
# a run depends only on the tree and the seed (fuzz-test), else build/fuzz/corpus grows from
# run to run (fuzz). Targets run one after the other, one libFuzzer job each (the machine is
# shared); the corpus replay (each file once) comes first, so a regression is named by its file.
define fuzz_run
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(if $(2),rm -rf $(FB)/corpus/$$t;) mkdir -p $(FB)/corpus/$$t $(FB)/artifacts/$$t; \
		echo "  FUZZ    $$t: replaying tests/fuzz/corpus/$$t"; \
		$(FB)/fuzz_$$t $(FUZZ_FLAGS) -artifact_prefix=$(FB)/artifacts/$$t/ tests/fuzz/corpus/$$t/* \
			> $(FB)/$$t-replay.log 2>&1 || \
			{ $(call FUZZ_REPORT,$(FB)/$$t-replay.log); echo "fuzz: $$t fails on its corpus" >&2; exit 1; }; \
		echo "  FUZZ    $$t: $(1) s, seed $(FUZZ_SEED)"; \
		$(FB)/fuzz_$$t $(FUZZ_FLAGS) -max_total_time=$(1) \
			-artifact_prefix=$(FB)/artifacts/$$t/ $(FB)/corpus/$$t tests/fuzz/corpus/$$t \
			> $(FB)/$$t.log 2>&1 || \
			{ $(call FUZZ_REPORT,$(FB)/$$t.log); echo "fuzz: $$t found a crash" >&2; exit 1; }; \
		echo "          $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FB)/$$t.log) executions," \
			"$$(ls $(FB)/corpus/$$t | wc -l) new inputs kept in $(FB)/corpus/$$t"; \
	done
endef

fuzz-test: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_TEST_SECONDS),fresh)

fuzz: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SECONDS))

-include $(FUZZ_OBJS:.o=.d)
