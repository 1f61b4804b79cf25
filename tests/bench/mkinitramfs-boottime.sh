#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the initramfs `make bench` boots Debian's kernel with to time a boot:
# $1 = busybox-static binary, $2 = output .cpio.gz, $3 = kcntvct (tests/bench/kcntvct.S).
# Its /init mounts /proc, prints "KBENCH-UPTIME <uptime> <idle>" (the kernel's /proc/uptime
# as /init starts) and "KBENCH-CNTVCT <count> <Hz>" (the virtual counter, counting from
# QEMU's reset: the whole boot) on the console and powers off at once (busybox poweroff -f:
# reboot(2), PSCI SYSTEM_OFF).
set -eu
busybox=$1
out=$2
kcntvct=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc"
cp "$busybox" "$root/bin/busybox"
cp "$kcntvct" "$root/bin/kcntvct"
ln -s busybox "$root/bin/sh"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
read -r up idle < /proc/uptime
echo "KBENCH-UPTIME $up $idle"
/bin/kcntvct
/bin/busybox poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out"
