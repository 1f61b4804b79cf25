#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install every Debian package Kestrel's build, `make run` and `make test` use, if missing.
# Run as root on Debian bookworm (the project's reference machine).
# libfdt: the arm64 -dev package gives the cross build its libfdt.a and the (shared)
# headers; the host unit tests link the host runtime libfdt1. Debian will not co-install
# libfdt-dev for both architectures.
set -eu
PACKAGES="make gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
libfdt-dev:arm64 libfdt1 libcmocka-dev device-tree-compiler u-boot-tools u-boot-qemu
qemu-system-arm python3 python3-kconfiglib python3-pytest python3-pexpect gdb-multiarch
cpio gzip dpkg-dev cloc"
# Host libFuzzer targets (tests/fuzz): clang with its sanitizer and fuzzer runtimes.
PACKAGES="$PACKAGES clang libclang-rt-14-dev"
# make format-check (scripts/format-check.py): git clang-format with clang-format 14.
PACKAGES="$PACKAGES git clang-format-14"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
