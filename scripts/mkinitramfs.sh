#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build a guest's initramfs from busybox-static: $1 = busybox binary, $2 = output .cpio.gz,
# then optional extra files: programs go to /bin, kernel modules (*.ko) are loaded at start.
# /init mounts /proc, /sys and /dev, reports "KESTREL-<NAME>-UP" on the console and runs a
# shell on it (hvc0 for dom0, ttyAMA0 for a domU), as the boot tests and `make run` expect;
# <name> is kestrel.name= of the kernel command line (default dom0), also the prompt.
set -eu
busybox=$1
out=$2
shift 2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for applet in sh mount cat echo ls poweroff dmesg grep uname sleep setsid cttyhack; do
	ln -s busybox "$root/bin/$applet"
done
mkdir -p "$root/lib/modules"
for f in "$@"; do
	case "$f" in
	*.ko) cp "$f" "$root/lib/modules/" ;;
	*) cp "$f" "$root/bin/" ;;
	esac
done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /lib/modules/*.ko; do [ -e "$m" ] && insmod "$m"; done
name=$(sed -n 's/.*kestrel\.name=\([a-zA-Z0-9]*\).*/\1/p' /proc/cmdline)
name=${name:-dom0}
echo "KESTREL-$(echo "$name" | tr a-z A-Z)-UP $(cat /sys/hypervisor/type 2>/dev/null) $(uname -r)"
export PS1="$name# "
while true; do
	setsid cttyhack sh
done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out"
