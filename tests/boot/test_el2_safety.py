# SPDX-License-Identifier: Apache-2.0
"""The EL2-safety build check (scripts/check-el2-safe.sh) accepts Kestrel and rejects
what it exists to catch: FP/SIMD registers or a TPIDR_EL0 read outside .init.text."""
import os
import subprocess

import pytest

import kestrel_qemu

SCRIPT = os.path.join(kestrel_qemu.ROOT, "scripts", "check-el2-safe.sh")
ELF = os.path.join(kestrel_qemu.BUILD, "kestrel.elf")


def check(path):
    return subprocess.run([SCRIPT, path], capture_output=True, text=True)


def assemble(tmp_path, name, body):
    src, obj = tmp_path / (name + ".S"), tmp_path / (name + ".o")
    src.write_text(body)
    subprocess.run(["aarch64-linux-gnu-gcc", "-c", str(src), "-o", str(obj)], check=True)
    return str(obj)


def test_kestrel_passes():
    r = check(ELF)
    assert r.returncode == 0, r.stderr
    assert "check-el2: OK" in r.stdout


@pytest.mark.parametrize("insn", ["mov v0.16b, v1.16b", "fmov d0, x1", "str q3, [sp]",
                                  "mrs x0, tpidr_el0", "msr fpcr, x0"])
def test_rejects_guest_state_use(tmp_path, insn):
    obj = assemble(tmp_path, "bad", "\t.text\n\t.global f\nf:\n\t%s\n\tret\n" % insn)
    r = check(obj)
    assert r.returncode == 1
    assert "<f>:" in r.stderr and insn.split()[0] in r.stderr


def test_init_text_is_exempt(tmp_path):
    obj = assemble(tmp_path, "init", '\t.section .init.text, "ax"\n\t.global f\nf:\n'
                   "\tmov v0.16b, v1.16b\n\tret\n")
    assert check(obj).returncode == 0


def test_writing_tpidr_el0_is_allowed(tmp_path):
    obj = assemble(tmp_path, "reset", "\t.text\n\t.global f\nf:\n\tmsr tpidr_el0, xzr\n\tret\n")
    assert check(obj).returncode == 0
