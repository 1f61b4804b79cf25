#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# mkbootscr.sh - write a U-Boot script that loads Kestrel, dom0's kernel and initrd (and,
# on boards that need it, a DTB) over TFTP, describes the dom0 modules in /chosen the way
# Kestrel reads them (Xen's "multiboot,*" binding), and starts Kestrel with booti.
#
# Usage: mkbootscr.sh [options] OUTPUT.scr
#
#   -b, --board NAME|FILE   boards/NAME.conf beside this script (qemu, the default, or
#                           zcu102), or a board file of your own; it holds every address
#                           and size (see boards/qemu.conf)
#       --kestrel-addr A    override the board's load address of Kestrel (2 MiB aligned)
#       --kernel-addr A     ... of dom0's kernel (an uncompressed arm64 Image)
#       --initrd-addr A     ... of dom0's initrd
#       --fdt-addr A        ... of the DTB handed to Kestrel (needs free room after it)
#       --kestrel-file F    name on the TFTP server (default: kestrel)
#       --kernel-file F     (default: Image)
#       --initrd-file F     (default: initramfs.cpio.gz; "none" boots dom0 without initrd)
#       --dtb-file F        DTB to fetch; "none" uses U-Boot's own ($fdtcontroladdr)
#                           (default: the board's DTB_FILE)
#       --dom0-mem SIZE     dom0_mem= for Kestrel (default: 512M)
#       --xen-args ARGS     whole hypervisor command line (default: "dom0_mem=SIZE")
#       --dom0-args ARGS    dom0's command line (default: "console=hvc0 earlycon=xen rdinit=/init")
#       --tftp-blocksize N  setenv tftpblocksize N before loading (default: leave U-Boot's)
#       --source FILE       where to keep the script's text (default: OUTPUT with .cmd)
#       --check DIR         check that the files in DIR (the TFTP folder) fit their rooms
#   -h, --help              print this text
#
#   dom0less domUs (docs/dom0less.md), each a /chosen node with compatible "xen,domain";
#   the options after --domu NAME describe that domU, until the next --domu:
#       --domu NAME         a domU node /chosen/NAME (letters, digits, '-', '_')
#       --domu-kernel F     its kernel on the TFTP server (required)
#       --domu-ramdisk F    its initrd
#       --domu-dtb F        its partial device tree (passthrough), a DTB
#       --domu-memory KIB   its RAM in KiB (default: 262144)
#       --domu-cpus N       its vCPUs (default: 1)
#       --domu-args ARGS    its kernel's command line (default: none)
#       --domu-vpl011       give it a vpl011 UART (its console: ttyAMA0)
#       --domu-enhanced V   xen,enhanced = "V" (enabled or no-xenstore)
#   The script loads every domU file one after the other into the board's DOMU_ADDR
#   region (each 2 MiB aligned; the script refuses to run past DOMU_ROOM).
#
# Every option can also come from the environment: BOARD, KESTREL_ADDR, KERNEL_ADDR,
# INITRD_ADDR, FDT_ADDR, KESTREL_FILE, KERNEL_FILE, INITRD_FILE, DTB_FILE, DOM0_MEM,
# XEN_ARGS, DOM0_ARGS, TFTP_BLOCKSIZE, SOURCE, CHECK_DIR; MKIMAGE names the mkimage to run.
# Options win over the environment.
#
# The layout is always checked: every region [ADDR, ADDR + ROOM) of the board file
# (boot.scr, kestrel, DTB, dom0 kernel, dom0 initrd) must lie in one RAM bank, clear of
# the board's RESERVED ranges and of the other regions. With --check DIR each file must
# also fit its room; Kestrel's room must hold its Image header's image_size (BSS
# included), not just the file. The script itself checks every loaded size on the target
# again, so a file that grew since does not silently overwrite its neighbour.
#
# U-Boot 2023.01 (Debian's) ignores `exit` in a script, so a failed step only records its
# name in $kst_failed and the script runs booti only if nothing failed.
#
# The script sets fdt_high to all ones so that booti hands Kestrel the DTB at FDT_ADDR
# instead of copying it to the top of RAM; booti grows it in place (by up to 12 KiB).
set -eu

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)

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
DTB_FILE=${DTB_FILE:-}
DOM0_MEM=${DOM0_MEM:-512M}
XEN_ARGS=${XEN_ARGS:-}
DOM0_ARGS=${DOM0_ARGS:-console=hvc0 earlycon=xen rdinit=/init}
TFTP_BLOCKSIZE=${TFTP_BLOCKSIZE:-}
SOURCE=${SOURCE:-}
CHECK_DIR=${CHECK_DIR:-}
MKIMAGE=${MKIMAGE:-mkimage}

# domUs: NAME|kernel|ramdisk|dtb|memory|cpus|args|vpl011|enhanced, one line each.
domus=
domu_set() { # FIELD VALUE: set a field of the last domU
	[ -n "$domus" ] || die "--domu-$1 before any --domu NAME"
	last=$(printf '%s\n' "$domus" | tail -n 1)
	rest=$(printf '%s\n' "$domus" | sed '$d')
	case $1 in
	kernel) i=2 ;; ramdisk) i=3 ;; dtb) i=4 ;; memory) i=5 ;; cpus) i=6 ;; args) i=7 ;;
	vpl011) i=8 ;; enhanced) i=9 ;;
	esac
	case $2 in *'|'*) die "--domu-$1: '$2' may not contain |" ;; esac
	last=$(printf '%s\n' "$last" | awk -F'|' -v OFS='|' -v i="$i" -v v="$2" '{ $i = v; print }')
	domus=$(printf '%s%s%s' "$rest" "${rest:+
}" "$last")
}

out=
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--domu-vpl011) domu_set vpl011 yes; shift; continue ;;
	--domu | --domu-kernel | --domu-ramdisk | --domu-dtb | --domu-memory | --domu-cpus | --domu-args | \
	--domu-enhanced)
		[ $# -ge 2 ] || die "$1 needs a value"
		if [ "$1" = --domu ]; then
			case $2 in
			'' | *[!A-Za-z0-9_-]*) die "--domu: '$2' is not a node name (letters, digits, - and _)" ;;
			esac
			! printf '%s\n' "$domus" | cut -d'|' -f1 | grep -qx -- "$2" || die "--domu: $2 given twice"
			domus=$(printf '%s%s%s||||262144|1|||' "$domus" "${domus:+
}" "$2")
		else
			domu_set "${1#--domu-}" "$2"
		fi
		shift 2
		continue ;;
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
		--dtb-file) DTB_FILE=$2 ;;
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

# --- the board file -------------------------------------------------------------------
case $BOARD in
*/*) board_file=$BOARD ;;
*) board_file=$here/boards/$BOARD.conf ;;
esac
[ -f "$board_file" ] ||
	die "unknown board '$BOARD' (no $board_file; boards: $(cd "$here/boards" && ls | sed -n 's/\.conf$//p' | paste -sd ' '))"
board=$(basename "$board_file" .conf)

# NAME=VALUE lines; every name must be known, every value one word.
b_DESCRIPTION= b_RAM= b_RESERVED= b_DTB_FILE=none b_DTB_SOURCE= b_DOMU_ADDR= b_DOMU_ROOM=
for k in SCRIPT KESTREL FDT KERNEL INITRD; do
	eval "b_${k}_ADDR= b_${k}_ROOM="
done
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in '' | '#'*) continue ;; esac
	key=${line%%=*}
	val=${line#*=}
	[ "$key" != "$line" ] || die "$board_file:$lineno: expected NAME=VALUE"
	case $key in
	DESCRIPTION | RAM | RESERVED | DTB_FILE | DTB_SOURCE) ;;
	SCRIPT_ADDR | SCRIPT_ROOM | KESTREL_ADDR | KESTREL_ROOM | FDT_ADDR | FDT_ROOM) ;;
	KERNEL_ADDR | KERNEL_ROOM | INITRD_ADDR | INITRD_ROOM | DOMU_ADDR | DOMU_ROOM) ;;
	*) die "$board_file:$lineno: unknown name $key" ;;
	esac
	if [ "$key" = DESCRIPTION ]; then
		b_DESCRIPTION=$val
		continue
	fi
	case $val in
	'' | *[[:space:]]*) die "$board_file:$lineno: $key needs one word, no spaces" ;;
	esac
	eval "b_$key=\$val"
done <"$board_file"
for k in SCRIPT KESTREL FDT KERNEL INITRD; do
	for f in ADDR ROOM; do
		eval "[ -n \"\$b_${k}_$f\" ]" || die "$board_file: no ${k}_$f"
	done
done
[ -n "$b_RAM" ] || die "$board_file: no RAM"
if [ -n "$domus" ]; then
	[ -n "$b_DOMU_ADDR" ] && [ -n "$b_DOMU_ROOM" ] ||
		die "$board_file: no DOMU_ADDR/DOMU_ROOM: this board has no room for domU files"
fi

: "${KESTREL_ADDR:=$b_KESTREL_ADDR}" "${KERNEL_ADDR:=$b_KERNEL_ADDR}"
: "${INITRD_ADDR:=$b_INITRD_ADDR}" "${FDT_ADDR:=$b_FDT_ADDR}" "${DTB_FILE:=$b_DTB_FILE}"
[ -n "$XEN_ARGS" ] || XEN_ARGS="dom0_mem=$DOM0_MEM"
[ -n "$SOURCE" ] || SOURCE=${out%.scr}.cmd
[ "$SOURCE" != "$out" ] || die "the script's text would overwrite $out; pass --source"

# Numbers: accept 0x-prefixed hex or decimal; print as 0x%08x.
hex() {
	case $2 in
	0[xX][0-9a-fA-F]* | [1-9]* | 0) ;;
	*) die "$1: '$2' is not a number" ;;
	esac
	case ${2#0[xX]} in
	*[!0-9a-fA-F]*) die "$1: '$2' is not a number" ;;
	esac
	printf '0x%08x' "$(($2))"
}
KESTREL_ADDR=$(hex kestrel-addr "$KESTREL_ADDR")
KERNEL_ADDR=$(hex kernel-addr "$KERNEL_ADDR")
INITRD_ADDR=$(hex initrd-addr "$INITRD_ADDR")
FDT_ADDR=$(hex fdt-addr "$FDT_ADDR")
SCRIPT_ADDR=$(hex SCRIPT_ADDR "$b_SCRIPT_ADDR")
for k in SCRIPT KESTREL FDT KERNEL INITRD; do
	eval "${k}_ROOM=\$(hex ${k}_ROOM \"\$b_${k}_ROOM\")"
done
[ -z "$TFTP_BLOCKSIZE" ] || [ "$TFTP_BLOCKSIZE" -gt 0 ] 2>/dev/null ||
	die "tftp-blocksize: '$TFTP_BLOCKSIZE' is not a number"

# Text that lands inside a U-Boot double-quoted string: no quotes, no $ expansion.
for v in "$XEN_ARGS" "$DOM0_ARGS"; do
	case $v in
	*[\"\$\\]*) die "command lines may not contain \", \$ or \\: $v" ;;
	esac
done
# The domUs: every kernel given, numbers numbers, text quotable.
domu_files=
while IFS='|' read -r n k r t m c a v e; do
	[ -n "$n" ] || continue
	[ -n "$k" ] || die "--domu $n: no --domu-kernel"
	case $m in '' | *[!0-9]*) die "--domu $n: memory '$m' is not a number of KiB" ;; esac
	[ "$m" -gt 0 ] && [ $((m % 4)) -eq 0 ] || die "--domu $n: memory $m KiB is not a positive multiple of 4 KiB"
	case $c in '' | *[!0-9]*) die "--domu $n: cpus '$c' is not a number" ;; esac
	[ "$c" -gt 0 ] || die "--domu $n: cpus is 0"
	case $e in '' | enabled | no-xenstore) ;; *) die "--domu $n: enhanced '$e' is not enabled or no-xenstore" ;; esac
	case $a in *[\"\$\\]*) die "command lines may not contain \", \$ or \\: $a" ;; esac
	domu_files="$domu_files $k $r $t"
done <<EOF
$domus
EOF
for f in "$KESTREL_FILE" "$KERNEL_FILE" "$INITRD_FILE" "$DTB_FILE" $domu_files; do
	case $f in
	'' | *[[:space:]\;\"\'\$\\]*) die "unusable file name '$f'" ;;
	esac
done

# --- the layout -----------------------------------------------------------------------
# "start+size,start+size" -> lines "start size".
ranges() {
	echo "$2" | tr ',' '\n' | while IFS=+ read -r a s; do
		[ -n "$a" ] && [ -n "$s" ] || die "$board_file: $1: '$2' is not start+size[,start+size...]"
		a=$(hex "$1" "$a")
		s=$(hex "$1" "$s")
		echo "$a $s"
	done
}
ram=$(ranges RAM "$b_RAM")
reserved=
[ -z "$b_RESERVED" ] || reserved=$(ranges RESERVED "$b_RESERVED")

regions="boot.scr $SCRIPT_ADDR $SCRIPT_ROOM
kestrel $KESTREL_ADDR $KESTREL_ROOM
DTB $FDT_ADDR $FDT_ROOM
dom0-kernel $KERNEL_ADDR $KERNEL_ROOM"
[ "$INITRD_FILE" = none ] || regions="$regions
dom0-initrd $INITRD_ADDR $INITRD_ROOM"
if [ -n "$domus" ]; then
	DOMU_ADDR=$(hex DOMU_ADDR "$b_DOMU_ADDR")
	DOMU_ROOM=$(hex DOMU_ROOM "$b_DOMU_ROOM")
	[ $((DOMU_ADDR & 0x1fffff)) -eq 0 ] || die "DOMU_ADDR $DOMU_ADDR is not 2 MiB aligned"
	[ $((DOMU_ADDR + DOMU_ROOM)) -le $((0x100000000)) ] ||
		die "DOMU_ADDR+DOMU_ROOM ends above 4 GiB (the script's module cells are 32-bit)"
	regions="$regions
domU-files $DOMU_ADDR $DOMU_ROOM"
fi

[ $((KESTREL_ADDR & 0x1fffff)) -eq 0 ] ||
	die "kestrel: $KESTREL_ADDR is not 2 MiB aligned (booti would move it)"
span() { printf '[0x%x, 0x%x)' "$(($1))" "$(($1 + $2))"; }
echo "$regions" | while read -r n a s; do
	inram=
	while read -r ra rs; do
		if [ $((a)) -ge $((ra)) ] && [ $((a + s)) -le $((ra + rs)) ]; then inram=yes; fi
	done <<EOF
$ram
EOF
	[ -n "$inram" ] || die "layout: $n $(span "$a" "$s") is not inside one RAM bank ($b_RAM)"
	printf '%s\n' "$reserved" | while read -r ra rs; do
		[ -n "$ra" ] || continue
		if [ $((a)) -lt $((ra + rs)) ] && [ $((ra)) -lt $((a + s)) ]; then
			die "layout: $n $(span "$a" "$s") overlaps reserved $(span "$ra" "$rs")"
		fi
	done
	echo "$regions" | while read -r n2 a2 s2; do
		[ "$n" != "$n2" ] || continue
		if [ $((a)) -lt $((a2 + s2)) ] && [ $((a2)) -lt $((a + s)) ]; then
			die "layout: $n $(span "$a" "$s") overlaps $n2 $(span "$a2" "$s2")"
		fi
	done
done

# --check: each file fits its room. Kestrel's room holds the image_size field of its
# arm64 Image header (bytes 16..23, little-endian; Linux Documentation/arch/arm64/booting.rst).
# The DTB also needs `fdt resize 0x4000` and booti's padding (0x3000), page-rounded.
DTB_GROWTH=0x8000
QEMU_CONTROL_DTB=0x100000	# U-Boot's control DTB on QEMU virt (bdinfo: fdt_size)
fsize() {
	[ -f "$CHECK_DIR/$1" ] || die "check: no $CHECK_DIR/$1"
	wc -c <"$CHECK_DIR/$1" | tr -d ' '
}
image_size() {
	od -An -tu1 -j16 -N8 -v "$CHECK_DIR/$1" |
		awk '{ for (i = NF; i >= 1; i--) v = v * 256 + $i } END { printf "%.0f", v }'
}
fits() {
	[ $(($3)) -le $(($4)) ] ||
		die "check: $1 ($2) needs $(($3)) bytes, more than its room of $(($4)) bytes in $board_file"
}
if [ -n "$CHECK_DIR" ]; then
	ksize=$(fsize "$KESTREL_FILE")
	kimg=$(image_size "$KESTREL_FILE")
	[ "$kimg" -le "$ksize" ] || ksize=$kimg
	fits kestrel "$KESTREL_FILE" "$ksize" "$KESTREL_ROOM"
	fits dom0-kernel "$KERNEL_FILE" "$(fsize "$KERNEL_FILE")" "$KERNEL_ROOM"
	[ "$INITRD_FILE" = none ] ||
		fits dom0-initrd "$INITRD_FILE" "$(fsize "$INITRD_FILE")" "$INITRD_ROOM"
	if [ "$DTB_FILE" != none ]; then
		fits DTB "$DTB_FILE + growth" $(($(fsize "$DTB_FILE") + DTB_GROWTH)) "$FDT_ROOM"
	else
		fits DTB "U-Boot's control DTB + growth" $((QEMU_CONTROL_DTB + DTB_GROWTH)) "$FDT_ROOM"
	fi
	if [ -n "$domus" ]; then	# each file 2 MiB aligned, one after the other
		total=0
		for f in $domu_files; do
			total=$(((total + $(fsize "$f") + 0x1fffff) / 0x200000 * 0x200000))
		done
		fits domU-files "$domu_files" "$total" "$DOMU_ROOM"
	fi
fi

# --- the script -----------------------------------------------------------------------
# Unit-address of a node: hex without 0x or leading zeros.
unit() { printf '%x' "$(($1))"; }
# One 64-bit number as two cells (#address-cells = #size-cells = 2 in /chosen).
cells() { printf '0x%x 0x%08x' "$(($1 >> 32))" "$(($1 & 0xffffffff))"; }
# A step that failed: U-Boot printed why; remember its name.
fail() { printf 'setenv kst_failed "${kst_failed} %s"' "$1"; }
# Refuse a size (an env variable holding 0x...) larger than a room.
room_check() {
	printf 'if itest ${%s} -gt %s; then echo "%s is ${%s} bytes, more than its room of %s bytes at %s"; %s; fi\n' \
		"$1" "$3" "$2" "$1" "$3" "$4" "$(fail "$2")"
}

kmod=/chosen/module@$(unit "$KERNEL_ADDR")
imod=/chosen/module@$(unit "$INITRD_ADDR")

# $filesize is set by each tftpboot, in hex without 0x; the sizes are kept in kst_* so
# later loads do not overwrite them. Sizes below 4 GiB fit the low cell.
{
	cat <<EOF
# Kestrel boot script for board "$board" ($b_DESCRIPTION),
# generated by tools/mkimage-scripts/mkbootscr.sh from $(basename "$board_file").
# Layout (address, room): boot.scr $SCRIPT_ADDR $SCRIPT_ROOM, kestrel $KESTREL_ADDR $KESTREL_ROOM,
# DTB $FDT_ADDR $FDT_ROOM, dom0 kernel $KERNEL_ADDR $KERNEL_ROOM, dom0 initrd $INITRD_ADDR $INITRD_ROOM.
# A failed step adds its name to kst_failed; booti runs only if none failed.
echo "Kestrel boot script ($board)"
setenv kst_failed
EOF
	[ -z "$TFTP_BLOCKSIZE" ] || echo "setenv tftpblocksize $TFTP_BLOCKSIZE"
	cat <<EOF
tftpboot $KESTREL_ADDR $KESTREL_FILE || $(fail "$KESTREL_FILE")
setenv kst_kestrel_size 0x\${filesize}
$(room_check kst_kestrel_size "$KESTREL_FILE" "$KESTREL_ROOM" "$KESTREL_ADDR")
tftpboot $KERNEL_ADDR $KERNEL_FILE || $(fail "$KERNEL_FILE")
setenv kst_kernel_size 0x\${filesize}
$(room_check kst_kernel_size "$KERNEL_FILE" "$KERNEL_ROOM" "$KERNEL_ADDR")
EOF
	if [ "$INITRD_FILE" != none ]; then
		cat <<EOF
tftpboot $INITRD_ADDR $INITRD_FILE || $(fail "$INITRD_FILE")
setenv kst_initrd_size 0x\${filesize}
$(room_check kst_initrd_size "$INITRD_FILE" "$INITRD_ROOM" "$INITRD_ADDR")
EOF
	fi
	# The DTB's room must also hold what fdt resize and booti add.
	dtb_max=$(hex dtb-max $((FDT_ROOM - DTB_GROWTH)))
	if [ "$DTB_FILE" != none ]; then
		cat <<EOF
tftpboot $FDT_ADDR $DTB_FILE || $(fail "$DTB_FILE")
setenv kst_fdt_size 0x\${filesize}
$(room_check kst_fdt_size "$DTB_FILE" "$dtb_max" "$FDT_ADDR")
fdt addr $FDT_ADDR || $(fail fdt-addr)
EOF
	else
		cat <<EOF
fdt addr \${fdtcontroladdr} || $(fail fdt-addr)
fdt header get kst_fdt_size totalsize
setenv kst_fdt_size 0x\${kst_fdt_size}
$(room_check kst_fdt_size U-Boot-DTB "$dtb_max" "$FDT_ADDR")
fdt move \${fdtcontroladdr} $FDT_ADDR \${kst_fdt_size} || $(fail fdt-move)
EOF
	fi
	cat <<EOF
fdt resize 0x4000 || $(fail fdt-resize)
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
	# domUs: files at ${kst_next}, rounded up to 2 MiB after each (setexpr works in hex).
	if [ -n "$domus" ]; then
		echo "setenv kst_next $(unit "$DOMU_ADDR")"
	fi
	domu_load() { # NODE ROLE FILE [BOOTARGS]: load FILE, add NODE/module@ADDR for it
		cat <<EOF
setenv kst_addr \${kst_next}
tftpboot 0x\${kst_addr} $3 || $(fail "$3")
setenv kst_size 0x\${filesize}
setexpr kst_next \${kst_addr} + \${filesize}
setexpr kst_next \${kst_next} + 1fffff
setexpr kst_next \${kst_next} / 200000
setexpr kst_next \${kst_next} * 200000
if itest 0x\${kst_next} -gt $(hex end $((DOMU_ADDR + DOMU_ROOM))); then echo "domU files run past DOMU_ROOM at $3"; $(fail "$3"); fi
fdt mknode $1 module@\${kst_addr}
fdt set $1/module@\${kst_addr} compatible "multiboot,$2" "multiboot,module"
fdt set $1/module@\${kst_addr} reg <0x0 0x\${kst_addr} 0x0 \${kst_size}>
EOF
		[ -z "${4:-}" ] || echo "fdt set $1/module@\${kst_addr} bootargs \"$4\""
	}
	printf '%s\n' "$domus" | while IFS='|' read -r n k r t m c a v e; do
		[ -n "$n" ] || continue
		node=/chosen/$n
		cat <<EOF
fdt mknode /chosen $n
fdt set $node compatible "xen,domain"
fdt set $node \\#address-cells <2>
fdt set $node \\#size-cells <2>
fdt set $node memory <0x0 $(printf '0x%x' "$m")>
fdt set $node cpus <$c>
EOF
		[ -z "$v" ] || echo "fdt set $node vpl011"
		[ -z "$e" ] || echo "fdt set $node xen,enhanced \"$e\""
		domu_load "$node" kernel "$k" "$a"
		[ -z "$r" ] || domu_load "$node" ramdisk "$r"
		[ -z "$t" ] || domu_load "$node" device-tree "$t"
	done
	cat <<EOF
fdt print /chosen
if test -n "\${kst_failed}"; then echo "Kestrel boot script: not starting Kestrel; failed:\${kst_failed}"; else booti $KESTREL_ADDR - $FDT_ADDR; fi
EOF
} >"$SOURCE"

"$MKIMAGE" -A arm64 -T script -C none -n "Kestrel boot ($board)" -d "$SOURCE" "$out" >/dev/null
ssize=$(wc -c <"$out" | tr -d ' ')
[ "$ssize" -le $((SCRIPT_ROOM)) ] || die "$out is $ssize bytes, more than its room of $((SCRIPT_ROOM))"
echo "$prog: wrote $out (text in $SOURCE)"
