# SPDX-License-Identifier: Apache-2.0
# Test targets, included by the top-level Makefile.
#   make unit-test   host-built cmocka tests of portable code (tests/unit)
#   make guests      bare-metal test guests (tests/guests) -> build/guests/*.img
#   make boot-test   pytest + pexpect boot tests (tests/boot) on QEMU
#   make fuzz-test   libFuzzer targets of the boot-time parsers, bounded (tests/fuzz/fuzz.mk)
#   make test        everything, after installing what is missing
PYTEST := $(PYTHON) -m pytest

-include tests/unit/unit.mk
-include tests/guests/guests.mk

guest-images: cache/Image cache/initramfs.cpio.gz

cache/Image cache/busybox:
	scripts/fetch-guest.sh cache

cache/initramfs.cpio.gz: cache/busybox scripts/mkinitramfs.sh
	scripts/mkinitramfs.sh cache/busybox $@

boot-test: all guests guest-images
	$(PYTEST) -q tests/boot

test: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory check-el2
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory boot-test
