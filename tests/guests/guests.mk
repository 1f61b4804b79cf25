# SPDX-License-Identifier: Apache-2.0
# Bare-metal test guests (tests/guests), booted as dom0's kernel by tests/boot/test_guests.py.
# `make guests` builds $(B)/guests/ktest.img, a raw arm64 Image (position independent:
# linked at 0 as a static PIE, relocating itself at entry).

GUEST_DIR := tests/guests
GUEST_B   := $(B)/guests
GUEST_SRCS := $(GUEST_DIR)/head.S $(GUEST_DIR)/vectors.S $(GUEST_DIR)/fpsimd.S \
	$(GUEST_DIR)/lib.c $(GUEST_DIR)/mmu.c $(GUEST_DIR)/ktest.c
GUEST_SRCS += $(GUEST_DIR)/hostile.c $(GUEST_DIR)/hostile_gicv2.c $(GUEST_DIR)/isolation.c \
	$(GUEST_DIR)/passthrough.c $(GUEST_DIR)/firmware.c
GUEST_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_B)/%.o,$(basename $(GUEST_SRCS)))

# MMU off means every data access is Device memory: no unaligned accesses (-mstrict-align).
# C stays out of FP/SIMD registers; fpsimd.S uses them on purpose.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -nostdlib -fno-builtin \
	-fno-stack-protector -fno-common -fpie -fno-plt -mstrict-align -mgeneral-regs-only \
	-mcpu=cortex-a57 -fno-tree-loop-distribute-patterns -MMD -MP
GUEST_ASFLAGS := -g -fpie -mcpu=cortex-a57 -MMD -MP
GUEST_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments \
	-Wl,-T,$(GUEST_DIR)/ktest.lds

.PHONY: guests
guests: $(GUEST_B)/ktest.img

$(GUEST_B)/%.o: $(GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_B)/%.o: $(GUEST_DIR)/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_B)/ktest.elf: $(GUEST_OBJS) $(GUEST_DIR)/ktest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

$(GUEST_B)/ktest.img: $(GUEST_B)/ktest.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(GUEST_OBJS:.o=.d)

# The fuzzing guest (kfuzz.c, kfuzz_asm.S) on the same runtime; it reads the Xen ABI
# structures from include/public. Booted by tests/boot/test_fuzz_guest.py.
KFUZZ_SRCS := $(GUEST_DIR)/head.S $(GUEST_DIR)/vectors.S $(GUEST_DIR)/lib.c $(GUEST_DIR)/mmu.c \
	$(GUEST_DIR)/kfuzz.c $(GUEST_DIR)/kfuzz_idregs.c $(GUEST_DIR)/kfuzz_gicv2.c $(GUEST_DIR)/kfuzz_asm.S
KFUZZ_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_B)/%.o,$(basename $(KFUZZ_SRCS)))
$(GUEST_B)/kfuzz.o: GUEST_CFLAGS += -Iinclude

guests: $(GUEST_B)/kfuzz.img

$(GUEST_B)/kfuzz.elf: $(KFUZZ_OBJS) $(GUEST_DIR)/ktest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_LDFLAGS) -o $@ $(KFUZZ_OBJS)

$(GUEST_B)/kfuzz.img: $(GUEST_B)/kfuzz.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(KFUZZ_OBJS:.o=.d)

# The SMP scheduling guest (ksched.c, ksched_asm.S): registers and the virtual timer of
# every vCPU across preemption. Booted by tests/boot/test_sched_guest.py.
KSCHED_SRCS := $(GUEST_DIR)/head.S $(GUEST_DIR)/vectors.S $(GUEST_DIR)/lib.c $(GUEST_DIR)/mmu.c \
	$(GUEST_DIR)/ksched.c $(GUEST_DIR)/ksched_asm.S
KSCHED_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_B)/%.o,$(basename $(KSCHED_SRCS)))

guests: $(GUEST_B)/ksched.img

$(GUEST_B)/ksched.elf: $(KSCHED_OBJS) $(GUEST_DIR)/ktest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_LDFLAGS) -o $@ $(KSCHED_OBJS)

$(GUEST_B)/ksched.img: $(GUEST_B)/ksched.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(KSCHED_OBJS:.o=.d)

# kevtchn: a static arm64 Linux program (raw system calls, no libc) for the interdomain
# event-channel test, put in $(B)/initramfs-xen.cpio.gz (tests/tests.mk).
$(GUEST_B)/kevtchn: $(GUEST_DIR)/kevtchn.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall -Wextra -o $@ $<
