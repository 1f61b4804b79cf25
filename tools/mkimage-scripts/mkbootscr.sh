#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# mkbootscr.sh - write a U-Boot script that loads Kestrel, dom0's kernel and initrd (and,
# on boards that need it, a DTB) over TFTP, describes the dom0 modules in /chosen the way
# Kestrel reads them (Xen's "multiboot,*" binding), and starts Kestrel with booti.
#
# Usage: mkbootscr.sh [options] OUTPUT.scr
#
#   -b, --board NAME        qemu (default) or zcu102; picks default addresses and DTB source
#       --kestrel-addr A    load address of Kestrel (2 MiB aligned: booti moves it otherwise)
#       --kernel-addr A     load address of dom0's kernel (uncompressed arm64 Image)
#       --initrd-addr A     load address of dom0's initrd
#       --fdt-addr A        address of the DTB handed to Kestrel (needs free room after it)
#       --kestrel-file F    name on the TFTP server (default: kestrel)
#       --kernel-file F     (default: Image)
#       --initrd-file F     (default: initramfs.cpio.gz; "none" boots dom0 without initrd)
#       --dtb-file F        DTB to fetch; "none" uses U-Boot's own ($fdtcontroladdr)
#                           (default: none on qemu, board.dtb on zcu102)
#       --dom0-mem SIZE     dom0_mem= for Kestrel (default: 512M)
#       --xen-args ARGS     whole hypervisor command line (default: "dom0_mem=SIZE")
#       --dom0-args ARGS    dom0's command line (default: "console=hvc0 earlycon=xen rdinit=/init")
#       --tftp-blocksize N  setenv tftpblocksize N before loading (default: leave U-Boot's)
#       --source FILE       where to keep the script's text (default: OUTPUT with .cmd)
#       --check DIR         check the layout against the files in DIR (see below)
#   -h, --help              print this text
#
# Every option can also come from the environment: BOARD, KESTREL_ADDR, KERNEL_ADDR,
# INITRD_ADDR, FDT_ADDR, KESTREL_FILE, KERNEL_FILE, INITRD_FILE, DTB_FILE, DOM0_MEM,
# XEN_ARGS, DOM0_ARGS, TFTP_BLOCKSIZE, SOURCE, CHECK_DIR; MKIMAGE names the mkimage to run.
# Options win over the environment.
#
# Default memory layouts (each region ends where the next one starts). Kestrel needs the
# room its Image header's image_size gives (BSS included, 0xc01000 today), not just the
# file's size: booti refuses a DTB inside that range.
#
#   qemu   (QEMU virt, RAM from 0x40000000; QEMU's DTB sits at 0x40000000 and U-Boot's
#           scriptaddr is 0x40200000, where the test loads boot.scr)
#     0x40400000  kestrel          (24 MiB)
#     0x41c00000  DTB, a copy of U-Boot's control DTB ($fdtcontroladdr)  (4 MiB)
#     0x42000000  dom0 Image       (80 MiB)
#     0x47000000  dom0 initrd      (up to the top of RAM, less what dom0 and U-Boot use)
#
#   zcu102 (DDR from 0x00000000; U-Boot is linked at 0x08000000 and then relocates
#           itself to the top of the low 2 GiB; load boot.scr at 0x20000000)
#     0x00200000  kestrel          (28 MiB)
#     0x01e00000  DTB from TFTP    (2 MiB)
#     0x02000000  dom0 Image       (96 MiB, stops short of 0x08000000)
#     0x10000000  dom0 initrd      (256 MiB, stops short of 0x20000000)
#
# With --check DIR (or CHECK_DIR), the files are looked up in DIR (the TFTP server's
# folder) and the script is refused if any two regions would overlap.
#
# The script sets fdt_high to all ones so that booti hands Kestrel the DTB at the address
# above instead of copying it to the top of RAM; booti then grows it in place, which the
# free room after it allows.
set -eu

prog=${0##*/}

usage() {
	sed -n '/^# Usage:/,/^# Options win/s/^# \{0,1\}//p' "$0"
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

BOARD=${BOARD:-qemu}
KESTREL_ADDR=${KESTREL_ADDR:-}
KERNEL_ADDR=${KERNEL_ADDR:-}
INITRD_ADDR=${INITRD_ADDR:-}
FDT_ADDR=${FDT_ADDR:-}
KESTREL_FILE=${KESTREL_FILE:-kestrel}
KERNEL_FILE=${KERNEL_FILE:-Image}
INITRD_FILE=${INITRD_FILE:-initramfs.cpio.gz}
DTB_FILE=${DTB_FILE-}
DOM0_MEM=${DOM0_MEM:-512M}
XEN_ARGS=${XEN_ARGS:-}
DOM0_ARGS=${DOM0_ARGS:-console=hvc0 earlycon=xen rdinit=/init}
TFTP_BLOCKSIZE=${TFTP_BLOCKSIZE:-}
SOURCE=${SOURCE:-}
CHECK_DIR=${CHECK_DIR:-}
MKIMAGE=${MKIMAGE:-mkimage}
dtb_file_set=${DTB_FILE:+yes}

out=
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	-b | --board | --kestrel-addr | --kernel-addr | --initrd-addr | --fdt-addr | \
	--kestrel-file | --kernel-file | --initrd-file | --dtb-file | --dom0-mem | --xen-args | \
	--dom0-args | --tftp-blocksize | --source | --check)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		-b | --board) BOARD=$2 ;;
		--kestrel-addr) KESTREL_ADDR=$2 ;;
		--kernel-addr) KERNEL_ADDR=$2 ;;
		--initrd-addr) INITRD_ADDR=$2 ;;
		--fdt-addr) FDT_ADDR=$2 ;;
		--kestrel-file) KESTREL_FILE=$2 ;;
		--kernel-file) KERNEL_FILE=$2 ;;
		--initrd-file) INITRD_FILE=$2 ;;
		--dtb-file) DTB_FILE=$2; dtb_file_set=yes ;;
		--dom0-mem) DOM0_MEM=$2 ;;
		--xen-args) XEN_ARGS=$2 ;;
		--dom0-args) DOM0_ARGS=$2 ;;
		--tftp-blocksize) TFTP_BLOCKSIZE=$2 ;;
		--source) SOURCE=$2 ;;
		--check) CHECK_DIR=$2 ;;
		esac
		shift 2 ;;
	-*) die "unknown option $1 (try --help)" ;;
	*)
		[ -z "$out" ] || die "only one output file, please"
		out=$1
		shift ;;
	esac
done
[ -n "$out" ] || { usage >&2; exit 2; }

case $BOARD in
qemu)
	: "${KESTREL_ADDR:=0x40400000}" "${FDT_ADDR:=0x41c00000}"
	: "${KERNEL_ADDR:=0x42000000}" "${INITRD_ADDR:=0x47000000}"
	[ -n "$dtb_file_set" ] || DTB_FILE=none ;;
zcu102)
	: "${KESTREL_ADDR:=0x00200000}" "${FDT_ADDR:=0x01e00000}"
	: "${KERNEL_ADDR:=0x02000000}" "${INITRD_ADDR:=0x10000000}"
	[ -n "$dtb_file_set" ] || DTB_FILE=board.dtb ;;
*) die "unknown board '$BOARD' (qemu or zcu102)" ;;
esac
[ -n "$DTB_FILE" ] || DTB_FILE=none
[ -n "$XEN_ARGS" ] || XEN_ARGS="dom0_mem=$DOM0_MEM"
[ -n "$SOURCE" ] || SOURCE=${out%.scr}.cmd
[ "$SOURCE" != "$out" ] || die "the script's text would overwrite $out; pass --source"

# Addresses: accept 0x-prefixed hex or decimal; print as 0x%08x.
hexaddr() {
	case $2 in
	0[xX][0-9a-fA-F]* | [1-9]* | 0) ;;
	*) die "$1: '$2' is not a number" ;;
	esac
	case ${2#0[xX]} in
	*[!0-9a-fA-F]*) die "$1: '$2' is not a number" ;;
	esac
	printf '0x%08x' "$(($2))"
}
KESTREL_ADDR=$(hexaddr kestrel-addr "$KESTREL_ADDR")
KERNEL_ADDR=$(hexaddr kernel-addr "$KERNEL_ADDR")
INITRD_ADDR=$(hexaddr initrd-addr "$INITRD_ADDR")
FDT_ADDR=$(hexaddr fdt-addr "$FDT_ADDR")
[ $((KESTREL_ADDR & 0x1fffff)) -eq 0 ] ||
	echo "$prog: warning: booti will move Kestrel to the next 2 MiB boundary" >&2
[ -z "$TFTP_BLOCKSIZE" ] || [ "$TFTP_BLOCKSIZE" -gt 0 ] 2>/dev/null ||
	die "tftp-blocksize: '$TFTP_BLOCKSIZE' is not a number"

# Text that lands inside a U-Boot double-quoted string: no quotes, no $ expansion.
for v in "$XEN_ARGS" "$DOM0_ARGS"; do
	case $v in
	*[\"\$\\]*) die "command lines may not contain \", \$ or \\: $v" ;;
	esac
done
for f in "$KESTREL_FILE" "$KERNEL_FILE" "$INITRD_FILE" "$DTB_FILE"; do
	case $f in
	'' | *[[:space:]\;\"\'\$\\]*) die "unusable file name '$f'" ;;
	esac
done

# --check: every region [start, start + room) against every other. Kestrel's room is the
# image_size field of its arm64 Image header (bytes 16..23, little-endian).
fsize() {
	[ -f "$CHECK_DIR/$1" ] || die "check: no $CHECK_DIR/$1"
	wc -c <"$CHECK_DIR/$1" | tr -d ' '
}
image_size() {
	od -An -tu1 -j16 -N8 -v "$CHECK_DIR/$1" |
		awk '{ for (i = NF; i >= 1; i--) v = v * 256 + $i } END { printf "%.0f", v }'
}
if [ -n "$CHECK_DIR" ]; then
	ksize=$(image_size "$KESTREL_FILE")
	[ "$ksize" -gt 0 ] || ksize=$(fsize "$KESTREL_FILE")
	regions="kestrel $KESTREL_ADDR $ksize
dom0-kernel $KERNEL_ADDR $(fsize "$KERNEL_FILE")"
	[ "$INITRD_FILE" = none ] ||
		regions="$regions
dom0-initrd $INITRD_ADDR $(fsize "$INITRD_FILE")"
	if [ "$DTB_FILE" != none ]; then
		dsize=$(($(fsize "$DTB_FILE") + 0x4000 + 0x3000))
	else
		dsize=0x100000	# QEMU's DTB is 1 MiB; booti adds its padding in place
	fi
	# fdt resize and booti grow the DTB in place, by up to a few pages each.
	regions="$regions
DTB $FDT_ADDR $dsize"
	echo "$regions" | while read -r n1 a1 s1; do
		echo "$regions" | while read -r n2 a2 s2; do
			[ "$n1" != "$n2" ] || continue
			if [ $((a1)) -lt $((a2 + s2)) ] && [ $((a2)) -lt $((a1 + s1)) ]; then
				die "$n1 ($a1, $s1 bytes) overlaps $n2 ($a2, $s2 bytes)"
			fi
		done
	done
fi

# Unit-address of a node: hex without 0x or leading zeros.
unit() { printf '%x' "$(($1))"; }
# One 64-bit number as two cells (#address-cells = #size-cells = 2 in /chosen).
cells() { printf '0x%x 0x%08x' "$(($1 >> 32))" "$(($1 & 0xffffffff))"; }

kmod=/chosen/module@$(unit "$KERNEL_ADDR")
imod=/chosen/module@$(unit "$INITRD_ADDR")

# $filesize is set by each tftpboot, in hex without 0x; the sizes are kept in kst_* so
# later loads do not overwrite them. Sizes below 4 GiB fit the low cell.
{
	cat <<EOF
# Kestrel boot script for board "$BOARD", generated by tools/mkimage-scripts/mkbootscr.sh.
# Layout: kestrel $KESTREL_ADDR, DTB $FDT_ADDR, dom0 kernel $KERNEL_ADDR, dom0 initrd $INITRD_ADDR.
echo "Kestrel boot script ($BOARD)"
EOF
	[ -z "$TFTP_BLOCKSIZE" ] || echo "setenv tftpblocksize $TFTP_BLOCKSIZE"
	cat <<EOF
tftpboot $KESTREL_ADDR $KESTREL_FILE || exit
tftpboot $KERNEL_ADDR $KERNEL_FILE || exit
setenv kst_kernel_size 0x\${filesize}
EOF
	if [ "$INITRD_FILE" != none ]; then
		cat <<EOF
tftpboot $INITRD_ADDR $INITRD_FILE || exit
setenv kst_initrd_size 0x\${filesize}
EOF
	fi
	if [ "$DTB_FILE" != none ]; then
		cat <<EOF
tftpboot $FDT_ADDR $DTB_FILE || exit
fdt addr $FDT_ADDR || exit
EOF
	else
		cat <<EOF
fdt addr \${fdtcontroladdr} || exit
fdt header get kst_fdt_size totalsize
fdt move \${fdtcontroladdr} $FDT_ADDR 0x\${kst_fdt_size} || exit
EOF
	fi
	cat <<EOF
fdt resize 0x4000
setenv fdt_high 0xffffffffffffffff
fdt set /chosen \\#address-cells <2>
fdt set /chosen \\#size-cells <2>
fdt set /chosen xen,xen-bootargs "$XEN_ARGS"
fdt set /chosen xen,dom0-bootargs "$DOM0_ARGS"
fdt mknode /chosen module@$(unit "$KERNEL_ADDR")
fdt set $kmod compatible "multiboot,kernel" "multiboot,module"
fdt set $kmod reg <$(cells "$KERNEL_ADDR") 0x0 \${kst_kernel_size}>
EOF
	if [ "$INITRD_FILE" != none ]; then
		cat <<EOF
fdt mknode /chosen module@$(unit "$INITRD_ADDR")
fdt set $imod compatible "multiboot,ramdisk" "multiboot,module"
fdt set $imod reg <$(cells "$INITRD_ADDR") 0x0 \${kst_initrd_size}>
EOF
	fi
	cat <<EOF
booti $KESTREL_ADDR - $FDT_ADDR
EOF
} >"$SOURCE"

"$MKIMAGE" -A arm64 -T script -C none -n "Kestrel boot ($BOARD)" -d "$SOURCE" "$out" >/dev/null
echo "$prog: wrote $out (text in $SOURCE)"
