#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fail if code that can run after dom0 starts touches guest-owned state:
#  - an FP/SIMD register (q/d/s/h/b/v0-31, FPCR, FPSR): guests own FP/SIMD at EL2;
#  - a read of TPIDR_EL0: the guest's thread pointer (picolibc keeps errno in TLS there);
#    writing it (resetting a vCPU) is fine.
# Boot-only code lives in .init.text (libfdt and __init functions) and is exempt; it
# finishes before the first guest instruction and is made non-executable after that.
# Also exempt, by name, the vCPU context switch's own save and restore of that state
# (arch/arm64/fpsimd.S, el1_sysregs_save() in arch/arm64/context.c): moving it is
# their purpose.
set -eu
elf=${1:-build/kestrel.elf}
objdump=${OBJDUMP:-aarch64-linux-gnu-objdump}
out=$("$objdump" -d --no-show-raw-insn "$elf" | awk '
	/^Disassembly of section/ { sec = $4; sub(":", "", sec); next }
	/^[0-9a-f]+ <.*>:$/ { fn = $2; next }
	sec == ".init.text" { next }
	fn == "<fpsimd_save>:" || fn == "<fpsimd_restore>:" || fn == "<el1_sysregs_save>:" { next }
	/^ *[0-9a-f]+:\t/ {
		n = split($0, f, "\t")
		ops = (n >= 3) ? f[3] : ""
		sub(/\/\/.*/, "", ops); gsub(/[0-9a-f]+ <[^>]*>/, "", ops)
		if (ops ~ /(^|[^a-z0-9_])[qdshbv]([0-9]|[12][0-9]|3[01])([^a-z0-9_]|$)/ ||
		    ops ~ /(fpcr|fpsr)/ || (f[2] ~ /^mrs/ && ops ~ /tpidr_el0/))
			bad[fn] = bad[fn] "\n    " f[2] " " ops
	}
	END { for (k in bad) printf "%s%s\n", k, bad[k] }')
if [ -n "$out" ]; then
	echo "check-el2: FP/SIMD or TPIDR_EL0 use in code that runs after boot:" >&2
	echo "$out" >&2
	exit 1
fi
n=$("$objdump" -d "$elf" | grep -c '^ *[0-9a-f]*:' || true)
echo "check-el2: OK ($n instructions checked; none outside .init.text uses FP/SIMD or TPIDR_EL0)"
