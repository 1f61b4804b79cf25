#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetch Debian's arm64 Linux kernel and busybox-static into $1 (default: cache/), using apt.
# Output: $1/Image (uncompressed arm64 Image), $1/busybox (static arm64 binary).
set -eu
out=${1:-cache}
mkdir -p "$out/deb"
out=$(cd "$out" && pwd)
[ -s "$out/Image" ] && [ -s "$out/busybox" ] && exit 0
dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64; apt-get update -q; }
cd "$out/deb"
if ! ls linux-image-*-arm64_*.deb >/dev/null 2>&1; then
	# linux-image-arm64 is the metapackage; its first dependency names the real kernel package.
	pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[^ :]*-arm64\).*/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "fetch-guest: cannot resolve linux-image-arm64 (run apt-get update)" >&2; exit 1; }
	apt-get download "$pkg:arm64"
fi
ls busybox-static_*.deb >/dev/null 2>&1 || apt-get download busybox-static:arm64
rm -rf x && mkdir x
for d in linux-image-*-arm64_*.deb busybox-static_*.deb; do dpkg-deb -x "$d" x; done
vmlinuz=$(ls x/boot/vmlinuz-* | head -n 1)
# Debian ships the arm64 Image gzip-compressed; Kestrel loads a plain Image.
zcat "$vmlinuz" > "$out/Image.tmp" 2>/dev/null || cp "$vmlinuz" "$out/Image.tmp"
mv "$out/Image.tmp" "$out/Image"
cp x/bin/busybox "$out/busybox"
basename "$vmlinuz" > "$out/kernel-version"
rm -rf x
