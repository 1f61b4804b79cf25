# SPDX-License-Identifier: Apache-2.0
# Test targets, included by the top-level Makefile.
#   make unit-test   host-built cmocka tests of portable code (tests/unit)
#   make guests      bare-metal test guests (tests/guests) -> build/guests/*.img
#   make boot-test   pytest + pexpect boot tests (tests/boot) on QEMU
#   make fuzz-test   libFuzzer targets of the boot-time parsers, bounded (tests/fuzz/fuzz.mk)
#   make format-check  C lines changed since the merge base with main follow .clang-format
#   make test        everything, after installing what is missing
PYTEST := $(PYTHON) -m pytest

-include tests/unit/unit.mk
-include tests/guests/guests.mk

guest-images: cache/Image cache/initramfs.cpio.gz cache/xen-evtchn.ko

cache/Image cache/busybox &:
	scripts/fetch-guest.sh cache

cache/initramfs.cpio.gz: cache/busybox scripts/mkinitramfs.sh
	scripts/mkinitramfs.sh cache/busybox $@

# Linux's /dev/xen/evtchn driver is a module in Debian's kernel (CONFIG_XEN_DEV_EVTCHN=m).
cache/xen-evtchn.ko: cache/Image
	dpkg-deb --fsys-tarfile $$(ls cache/deb/linux-image-*-arm64_*.deb | head -n 1) | \
		tar -xO --wildcards '*/xen-evtchn.ko' > $@.tmp && mv $@.tmp $@

# The dom0less tests' initramfs: the same /init, with kevtchn and the evtchn driver.
$(B)/initramfs-xen.cpio.gz: cache/busybox scripts/mkinitramfs.sh $(GUEST_B)/kevtchn cache/xen-evtchn.ko
	scripts/mkinitramfs.sh cache/busybox $@ $(GUEST_B)/kevtchn cache/xen-evtchn.ko

# A second image for the crash-report tests (tests/boot/test_hypervisor_crash.py):
# defconfig plus CONFIG_DEBUG_CRASH_TEST, built in $(B)/debug. Never ship it.
DEBUG_B := $(B)/debug
.PHONY: debug-image
debug-image: $(DEBUG_B)/.config
	@$(MAKE) --no-print-directory B=$(DEBUG_B) KCONFIG_CONFIG=$(DEBUG_B)/.config all

$(DEBUG_B)/.config: configs/defconfig Kconfig
	@mkdir -p $(dir $@)
	@{ cat configs/defconfig; echo CONFIG_DEBUG_CRASH_TEST=y; } > $(DEBUG_B)/defconfig
	@KCONFIG_CONFIG=$@ PYTHONPATH=$(KCONFIGLIB) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig \
		$(DEBUG_B)/defconfig >/dev/null

# Only the lines a branch changes are checked (scripts/format-check.py says why): on main
# itself, the uncommitted ones. FORMAT_BASE=<commit> checks the changes since another commit.
.PHONY: format-check
format-check:
	$(PYTHON) scripts/format-check.py $(FORMAT_BASE)

boot-test: all guests guest-images debug-image $(B)/initramfs-xen.cpio.gz
	$(PYTEST) -q tests/boot

test: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory check-el2
	$(MAKE) --no-print-directory format-check
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory boot-test
