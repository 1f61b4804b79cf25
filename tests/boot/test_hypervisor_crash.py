# SPDX-License-Identifier: Apache-2.0
"""A hypervisor crash is reported clearly on the serial line, then the machine resets.

These boots use build/debug/kestrel, an image built with CONFIG_DEBUG_CRASH_TEST
(`make debug-image`; never shipped): its boot argument crash_test=<kind> crashes Kestrel
on purpose just before dom0 would start (common/crash_test.c). Each report must name the
cause, print ESR/FAR/ELR and the registers for an exception, and a backtrace symbolised
from the symbol table embedded in the image; then "PANIC: ...", a reset, and QEMU exits
(-no-reboot). The ktest guest serves as dom0's kernel; it never runs.
"""
import os
import re

import pexpect
import pytest

import kestrel_qemu

DEBUG_KESTREL = os.path.join(kestrel_qemu.BUILD, "debug", "kestrel")
GUEST_IMAGE = os.path.join(kestrel_qemu.BUILD, "guests", "ktest.img")
UNMAPPED = 0x7e00dead00     # CRASH_TEST_UNMAPPED in common/crash_test.c
SYMBOLISED = re.compile(r"^\(K\)   0x[0-9a-f]{16} (\S+)\+0x[0-9a-f]+/0x[0-9a-f]+$")


def crash(kind, smp=1):
    """Boot the debug image with crash_test=<kind>; return the transcript lines after the trigger."""
    for path in (DEBUG_KESTREL, GUEST_IMAGE):
        if not os.path.exists(path):
            pytest.fail("%s missing: run `make debug-image guests` first" % path)
    argv = kestrel_qemu.qemu_argv(kernel=GUEST_IMAGE, initrd=None, dom0_args="x", kestrel=DEBUG_KESTREL,
                                  xen_args="dom0_mem=512M crash_test=" + kind, smp=smp)
    child = kestrel_qemu.spawn(argv, timeout=60, logname="crash-" + kind)
    child.expect(pexpect.EOF)   # the reset ends QEMU: nothing hangs
    child.close()
    lines = [l.rstrip("\r") for l in child.before.split("\n")]
    assert child.exitstatus == 0, "QEMU exit status %r" % child.exitstatus
    assert not any("starting dom0" in l for l in lines), "dom0 started: the crash did not happen"
    assert lines.count("(K) Resetting the system.") == 1, "\n".join(lines)
    return lines


def trace(lines):
    """Function names of the symbolised backtrace, innermost first."""
    start = lines.index("(K) Call trace (return addresses):")
    names = []
    for line in lines[start + 1:]:
        m = SYMBOLISED.match(line)
        if m:
            names.append(m.group(1))
        elif not line.startswith("(K)   ("):
            break
    return names


def field(lines, name):
    for line in lines:
        m = re.search(r"\b%s 0x([0-9a-f]{16})\b" % name, line)
        if m:
            return int(m.group(1), 16)
    pytest.fail("no %s in the report" % name)


def test_el2_data_abort_report():
    """A load from an unmapped address at EL2: cause, ESR/FAR/ELR, registers, symbolised trace."""
    lines = crash("fault")
    assert "(K) Hypervisor trap on pCPU 0: Synchronous exception at EL2, data abort (EC 0x25)" in lines
    esr = field(lines, "ESR_EL2")
    assert esr >> 26 == 0x25, "ESR_EL2 0x%x is not a data abort taken at EL2" % esr
    assert field(lines, "FAR_EL2") == UNMAPPED
    elr = field(lines, "ELR_EL2")
    assert any(re.match(r"\(K\) PC 0x%016x crash_test_fault\+0x[0-9a-f]+/0x" % elr, l) for l in lines)
    regs = re.findall(r"\bx(\d+) +0x[0-9a-f]{16}\b", "\n".join(lines))
    assert sorted(map(int, regs)) == list(range(31)), "registers printed: %s" % regs
    assert trace(lines)[:2] == ["crash_test", "start_kestrel"], trace(lines)
    assert lines[-3:-1] == ["(K) PANIC: exception in the hypervisor", "(K) Resetting the system."]


def test_stack_overflow_hits_the_guard_page():
    """Unbounded recursion faults on the guard page; the report says so, from the emergency stack."""
    lines = crash("stack")
    assert "(K) Hypervisor trap on pCPU 0: Synchronous exception at EL2, data abort (EC 0x25)" in lines
    over = [l for l in lines if l.startswith("(K) STACK OVERFLOW: ")]
    assert len(over) == 1, "\n".join(lines)
    m = re.search(r"\(stack 0x([0-9a-f]+)-0x([0-9a-f]+), guard page below it\)", over[0])
    lo, hi = int(m.group(1), 16), int(m.group(2), 16)
    assert hi - lo == 16384
    far = field(lines, "FAR_EL2")
    assert lo - 4096 <= far < lo, "FAR 0x%x is not in the guard page below 0x%x" % (far, lo)
    names = trace(lines)
    assert names[0].startswith("crash_test_recurse") and names[1:3] == ["crash_test", "start_kestrel"], names
    assert any(re.match(r"\(K\)   \(the same \d+ more times\)", l) for l in lines)
    assert "(K) PANIC: exception in the hypervisor" in lines


def test_stack_protector_catches_an_overrun():
    """A stack buffer overrun trips the canary; the panic names the function and has a trace."""
    lines = crash("canary")
    msg = [l for l in lines if l.startswith("(K) PANIC: ")]
    assert len(msg) == 1 and re.match(r"\(K\) PANIC: stack corruption detected: the stack protector's "
                                      r"canary changed in crash_test_canary\+0x", msg[0]), msg
    assert trace(lines)[:2] == ["__stack_chk_fail", "crash_test_canary"], trace(lines)


def test_panic_prints_a_backtrace():
    lines = crash("panic")
    assert "(K) Fatal error on pCPU 0: crash_test=panic" in lines
    assert trace(lines)[:2] == ["crash_test", "start_kestrel"], trace(lines)
    assert lines[-3:-1] == ["(K) PANIC: crash_test=panic", "(K) Resetting the system."]


def test_production_image_has_no_crash_hook():
    """The image `make` builds ignores crash_test= (the hook exists only in the debug image)."""
    with open(kestrel_qemu.KESTREL, "rb") as f:
        image = f.read()
    with open(DEBUG_KESTREL, "rb") as f:
        debug = f.read()
    assert b"crash_test" in debug
    assert b"crash_test" not in image


@pytest.mark.parametrize("kind,ec", [("write_text", 0x25), ("exec_data", 0x21), ("exec_init", 0x21)])
def test_el2_mappings_are_w_xor_x(kind, ec):
    """Writing Kestrel's code, running its data, or running boot-only code once sealed: a
    permission fault at EL2 (DFSC/IFSC 0b0011xx), at the address tried."""
    lines = crash(kind)
    target = [re.search(r"^\(K\) crash_test: .* at (0x[0-9a-f]+)$", l) for l in lines]
    addr = int([m for m in target if m][0].group(1), 16)
    esr = field(lines, "ESR_EL2")
    assert esr >> 26 == ec, "ESR_EL2 0x%x: EC 0x%x, want 0x%x" % (esr, esr >> 26, ec)
    assert esr & 0x3c == 0x0c, "ESR_EL2 0x%x: not a permission fault" % esr
    assert field(lines, "FAR_EL2") == addr
    assert "(K) PANIC: exception in the hypervisor" in lines
