#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boot Kestrel with dom0 under QEMU virt (GICv3, EL2). Environment overrides:
#   KESTREL (build/kestrel), KERNEL (cache/Image), INITRD (cache/initramfs.cpio.gz; "none" to omit),
#   XEN_ARGS (hypervisor command line), DOM0_ARGS (dom0 command line), MEM (2G), SMP (2), QEMU_EXTRA.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
KESTREL=${KESTREL:-$here/build/kestrel}
KERNEL=${KERNEL:-$here/cache/Image}
INITRD=${INITRD:-$here/cache/initramfs.cpio.gz}
XEN_ARGS=${XEN_ARGS:-dom0_mem=512M}
DOM0_ARGS=${DOM0_ARGS:-console=hvc0 earlycon=xen rdinit=/init}
MEM=${MEM:-2G}
SMP=${SMP:-2}
set -- -device "guest-loader,addr=0x42000000,kernel=$KERNEL,bootargs=$DOM0_ARGS"
if [ "$INITRD" != none ]; then
	set -- "$@" -device "guest-loader,addr=0x47000000,initrd=$INITRD"
fi
exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp "$SMP" -m "$MEM" \
	-nographic -echr 20 -no-reboot -net none -kernel "$KESTREL" -append "$XEN_ARGS" "$@" ${QEMU_EXTRA:-}
