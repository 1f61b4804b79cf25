# SPDX-License-Identifier: Apache-2.0
# Benchmark guest (tests/bench), included by the top-level Makefile.
#   make bench-guest   build/bench/bench.img: the guest, a raw arm64 Image (static PIE)
#   make bench         run it on Kestrel and natively, boot Linux on both, and write
#                      docs/benchmarks.md (tests/bench/run_bench.py)
# The guest reuses tests/guests' entry, runtime and MMU code and link map as they are.

BENCH_DIR := tests/bench
BENCH_B   := $(B)/bench
BENCH_OBJS := $(BENCH_B)/head.o $(BENCH_B)/lib.o $(BENCH_B)/mmu.o \
	$(BENCH_B)/bench.o $(BENCH_B)/bench_vectors.o $(BENCH_B)/bench_loops.o
# Extra guest defines, e.g. BENCH_DEFS=-DBENCH_VM_SWITCH=1 (see tests/bench/bench.c; use make -B).
BENCH_DEFS ?=
BENCH_CFLAGS := $(filter-out -MMD -MP,$(GUEST_CFLAGS)) -I$(GUEST_DIR) $(BENCH_DEFS) -MMD -MP
BENCH_ASFLAGS := $(GUEST_ASFLAGS) -I$(GUEST_DIR)

.PHONY: bench bench-guest
bench-guest: $(BENCH_B)/bench.img

$(BENCH_B)/%.o: $(BENCH_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_B)/%.o: $(BENCH_DIR)/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(BENCH_ASFLAGS) -c $< -o $@

$(BENCH_B)/%.o: $(GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_B)/%.o: $(GUEST_DIR)/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(BENCH_ASFLAGS) -c $< -o $@

$(BENCH_B)/bench.elf: $(BENCH_OBJS) $(GUEST_DIR)/ktest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_LDFLAGS) -o $@ $(BENCH_OBJS)

$(BENCH_B)/bench.img: $(BENCH_B)/bench.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

# dom0's boot time: Debian's kernel with an initramfs whose /init reads /proc/uptime first,
# then the virtual counter (kcntvct, a static arm64 Linux program) and powers off.
$(BENCH_B)/kcntvct: $(BENCH_DIR)/kcntvct.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) -nostdlib -static -Wl,--build-id=none -o $@ $<

$(BENCH_B)/boottime.cpio.gz: cache/busybox $(BENCH_DIR)/mkinitramfs-boottime.sh $(BENCH_B)/kcntvct
	@mkdir -p $(dir $@)
	$(BENCH_DIR)/mkinitramfs-boottime.sh cache/busybox $@ $(BENCH_B)/kcntvct

# The counting build of the dom0 trap mix (CONFIG_TRAP_COUNT, arch/arm64/trap_count.c):
# defconfig plus the counters, in $(B)/count. Only its counts are used, never its timings.
COUNT_B := $(B)/count
.PHONY: count-image
count-image: $(COUNT_B)/.config
	@$(MAKE) --no-print-directory B=$(COUNT_B) KCONFIG_CONFIG=$(COUNT_B)/.config all

$(COUNT_B)/.config: configs/defconfig Kconfig
	@mkdir -p $(dir $@)
	@{ cat configs/defconfig; echo CONFIG_TRAP_COUNT=y; } > $(COUNT_B)/defconfig
	@KCONFIG_CONFIG=$@ PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig \
		$(COUNT_B)/defconfig >/dev/null

bench: all count-image $(BENCH_B)/bench.img cache/Image $(BENCH_B)/boottime.cpio.gz
	$(PYTHON) $(BENCH_DIR)/run_bench.py

-include $(BENCH_OBJS:.o=.d)

# tests/boot/test_bench.py boots the guest once as a functional check.
boot-test: bench-guest
