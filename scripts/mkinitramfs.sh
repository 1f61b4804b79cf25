#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build dom0's initramfs from busybox-static: $1 = busybox binary, $2 = output .cpio.gz.
# /init mounts /proc, /sys and /dev, reports "KESTREL-DOM0-UP" on the console and runs a
# shell on it (hvc0), as the boot tests and `make run` expect.
set -eu
busybox=$1
out=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for applet in sh mount cat echo ls poweroff dmesg grep uname sleep setsid cttyhack; do
	ln -s busybox "$root/bin/$applet"
done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "KESTREL-DOM0-UP $(cat /sys/hypervisor/type 2>/dev/null) $(uname -r)"
export PS1='dom0# '
while true; do
	setsid cttyhack sh
done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out"
