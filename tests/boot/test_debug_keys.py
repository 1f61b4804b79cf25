# SPDX-License-Identifier: Apache-2.0
"""Debug keys on the serial console (common/debug_keys.c) and the trace buffer (common/trace.c).

Two boots:
- dom0 (Linux, 2 vCPUs) and a Linux domU with 2 vCPUs on 2 pCPUs, trace=on: serial input is
  switched to the hypervisor (Ctrl-a three times, twice: dom0 -> d1 -> hypervisor) and every
  key is typed; each output must name what it shows (domains with their VMID and vCPUs, each
  pCPU's run queue, the SPI routing, heap and p2m pools, event channels, grant frames, trap
  counts that grow by the hypercalls a dom0 command makes, trace records, registers and a
  symbolised backtrace); dom0 still works afterwards.
- dom0 alone on `-cpu max` (FEAT_VHE), trace off: 't' and 'T' say tracing is off, 'd' shows
  CONTEXTIDR_EL2 = VMID << 16 | vCPU id, an unknown key gets a hint, 'R' resets the machine.
trace=on also on a GICv2 host. A bad trace= value stops boot naming it.
"""
import os
import re
import socket
import subprocess

import pexpect
import pytest

import dom0less
import kestrel_qemu

CTRL_A3 = "\x01\x01\x01"
WORK = os.path.join(kestrel_qemu.BUILD, "debug-keys")
KEYS = "hdqrimegtTR*"


def switch_input(child, who):
    child.send(CTRL_A3)
    child.expect(r"serial input: " + who)


def key(child, k, timeout=60):
    """Type debug key @k; return its output (up to its "done" line), with \\r removed."""
    child.send(k)
    child.expect(r"\(K\) debug key '%s' done: (\d+) counter ticks" % re.escape(k), timeout=timeout)
    return child.before.replace("\r", "")


def trap_count(out, name):
    m = re.search(r"hypercall +\d+ %s +(\d+)" % name, out)
    return int(m.group(1)) if m else 0


@pytest.fixture(scope="module")
def two_domains():
    for p in (kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, kestrel_qemu.INITRD):
        if not os.path.exists(p):
            pytest.fail("%s missing: run `make all guest-images`" % p)
    domus = [dict(name="domU1", kernel=kestrel_qemu.KERNEL, ramdisk=kestrel_qemu.INITRD, memory_kib=128 * 1024,
                  cpus=2, bootargs="console=ttyAMA0 rdinit=/init kestrel.name=domU1")]
    argv = dom0less.build(os.path.join(WORK, "two"), domus, xen_args="dom0_mem=512M trace=on", smp=2)
    child = kestrel_qemu.spawn(argv, timeout=180, logname="debug-keys")
    child.expect(r"trace=on: trap counters and a ring of \d+ records per pCPU")
    ups = set()
    while len(ups) < 2:
        child.expect(r"KESTREL-(DOM0|DOMU1)-UP")
        ups.add(child.match.group(1))
    child.sendline("")
    child.expect("dom0# ")
    switch_input(child, "d1 ")
    switch_input(child, "hypervisor")
    yield child
    child.close(force=True)


def test_help_lists_every_key(two_domains):
    out = key(two_domains, "h")
    for k in KEYS:
        assert re.search(r"\(K\)   %s  \S" % re.escape(k), out), (k, out)


def test_domains_with_vmid_and_vcpus(two_domains):
    out = key(two_domains, "q")
    assert re.search(r"d0: VMID 1, 512 MiB RAM \(1:1\), 2 vCPU\(s\), privileged", out), out
    assert re.search(r"d1: VMID 2, 128 MiB RAM, 2 vCPU\(s\), vpl011", out), out
    for v in ("d0v0", "d0v1", "d1v0", "d1v1"):
        assert re.search(r"%s: (running|runnable|blocked) +pCPU [01], runtime [1-9]\d* us" % v, out), (v, out)


def test_run_queues_of_each_pcpu(two_domains):
    out = key(two_domains, "r")
    assert "run queues (scheduler credit2)" in out
    for cpu in (0, 1):
        assert re.search(r"pCPU %d: current (d[01]v[01]|idle), \d+ queued:" % cpu, out), out


def test_run_queues_hold_busy_vcpus(two_domains):
    """Four busy vCPUs on two pCPUs: each pCPU runs one, and r shows the others queued."""
    child = two_domains
    for who, prompt in (("d0 ", "dom0# "), ("d1 ", "domU1# ")):
        switch_input(child, who)
        child.sendline("yes >/dev/null & yes >/dev/null & echo SPIN-$((1+1))")
        child.expect("SPIN-2")
        child.expect(prompt)
    switch_input(child, "hypervisor")
    try:
        out = key(child, "r")
        queued = re.findall(r"pCPU [01]: current d[01]v[01], ([1-9]\d*) queued:((?: d[01]v[01])+)", out)
        assert queued, out
        assert sum(int(n) for n, _ in queued) >= 2, out
    finally:
        for who, prompt in (("d0 ", "dom0# "), ("d1 ", "domU1# ")):
            switch_input(child, who)
            child.sendline("killall yes; echo STOP-$((2+2))")
            child.expect("STOP-4")
            child.expect(prompt)
        switch_input(child, "hypervisor")


def test_interrupts(two_domains):
    out = key(two_domains, "i")
    assert re.search(r"hypervisor timer PPI 26, virtual timer PPI 27 .*UART SPI 33", out), out
    assert re.search(r"SPI 34-\d+ -> d0 as vIRQ 34-\d+", out), out
    assert re.search(r"\(K\) d0: \d+ SPIs", out) and re.search(r"\(K\) d1: \d+ SPIs", out), out
    for v in ("d0v0", "d0v1", "d1v0", "d1v1"):
        assert re.search(r"%s: list registers in use 0x[0-9a-f]+" % v, out), (v, out)


def test_memory(two_domains):
    out = key(two_domains, "m")
    m = re.search(r"heap: (\d+) of (\d+) pages free", out)
    assert m and 0 < int(m.group(1)) < int(m.group(2)), out
    assert re.search(r"d0: RAM 512 MiB in 1 bank\(s\), p2m pool [1-9]\d* of \d+ pages used", out), out
    assert re.search(r"d1: RAM 128 MiB in \d bank\(s\), p2m pool [1-9]\d* of \d+ pages used", out), out


def test_event_channels_and_grants(two_domains):
    out = key(two_domains, "e")
    assert re.search(r"d0 port \d+: virq 2, vCPU 0", out), out	# VIRQ_CONSOLE (hvc0)
    assert re.search(r"d0: [1-9]\d* port\(s\) in use", out) and "d1: 0 port(s) in use" in out, out
    out = key(two_domains, "g")
    assert re.search(r"d0: [1-9]\d* grant frame\(s\) of 64, version 1", out), out
    assert re.search(r"d1: \d+ grant frame\(s\) of 64, version not set", out), out	# not Xen-aware


def test_trap_counts_follow_hypercalls(two_domains):
    child = two_domains
    before = key(child, "t")
    assert re.search(r"EC 0x16 HVC64 +[1-9]", before) and re.search(r"SMCCC calls +[1-9]", before), before
    assert re.search(r"EC 0x18 SYS64 +[1-9]", before) and re.search(r"EC 0x24 DABT_LOW +[1-9]", before)
    switch_input(child, "d0 ")
    # Each read of /sys/hypervisor/version/minor is a xen_version hypercall (Linux
    # drivers/xen/sys-hypervisor.c).
    child.sendline("for i in 1 2 3 4 5 6 7 8 9 10; do cat /sys/hypervisor/version/minor; done >/dev/null; echo DONE-$((6*7))")
    child.expect("DONE-42")
    child.expect("dom0# ")
    switch_input(child, "d1 ")
    switch_input(child, "hypervisor")
    after = key(child, "t")
    assert trap_count(after, "xen_version") >= trap_count(before, "xen_version") + 10, (before, after)


def test_trace_records(two_domains):
    out = key(two_domains, "T", timeout=120)
    for cpu in (0, 1):
        assert re.search(r"trace pCPU %d: records \d+-\d+ of [1-9]\d*" % cpu, out), out
    assert re.search(r"p[01] d0v[01] +hypercall 18 console_io pc 0x", out), out
    assert re.search(r"p[01] d[01]v[01] +irq \d+ pc 0x", out), out
    assert re.search(r"p[01] d[01]v[01] +switch \(from (d[01]v[01]|-)\)", out), out
    times = [int(t) for t in re.findall(r"\(K\) +(\d+) p0 ", out)]
    assert times and times == sorted(times), "pCPU 0's records are in time order"


def test_registers_and_backtrace(two_domains):
    out = key(two_domains, "d")
    for v in ("d0v0", "d0v1", "d1v0", "d1v1"):
        assert re.search(r"%s \((running|runnable|blocked|offline) on pCPU [01]\) registers:" % v, out), (v, out)
    assert re.search(r"pc 0xffff[0-9a-f]{12} cpsr 0x[0-9a-f]{8}", out), out
    assert re.search(r"x0  0x[0-9a-f]{16} x1  0x[0-9a-f]{16}", out), out
    assert re.search(r"pCPU [01] \(this one, in the debug key handler\)", out), out
    assert re.search(r"0x[0-9a-f]{16} debug_key\+0x[0-9a-f]+/0x[0-9a-f]+", out), out
    assert re.search(r"0x[0-9a-f]{16} console_input\+0x", out), out


def test_all_keys_then_guests_still_run(two_domains):
    child = two_domains
    out = key(child, "*", timeout=120)
    for k in "dqrimegt":
        assert "--- '%s'" % k in out, (k, out)
    switch_input(child, "d0 ")
    child.sendline("echo ALIVE-$((40+2))")
    child.expect("ALIVE-42")
    child.expect("dom0# ")
    switch_input(child, "d1 ")
    child.sendline("echo ALIVE-$((40+3))")
    child.expect("ALIVE-43")
    child.expect("domU1# ")


def test_keys_with_tracing_off_contextidr_and_reboot():
    argv = kestrel_qemu.qemu_argv(smp=1)
    argv[argv.index("-cpu") + 1] = "max,pauth-impdef=on"
    child = kestrel_qemu.spawn(argv, timeout=120, logname="debug-keys-off")
    try:
        child.expect("dom0# ")
        switch_input(child, "hypervisor")
        assert "trap counts: off (boot with trace=counts or trace=on)" in key(child, "t")
        assert "trace buffer: off (boot with trace=on)" in key(child, "T")
        out = key(child, "d")
        # FEAT_VHE on -cpu max: d0v0 runs with CONTEXTIDR_EL2 = VMID 1 << 16 | vCPU 0.
        assert "CONTEXTIDR_EL2 0x00010000" in out, out
        child.send("x")
        child.expect(r"no debug key 'x' \('h' lists them\)")
        child.send("R")
        child.expect(r"rebooting the machine \(debug key 'R'\)")
        child.expect(pexpect.EOF)	# -no-reboot: QEMU exits on the reset
    finally:
        child.close(force=True)



def test_trace_on_gicv2():
    """trace=on on QEMU virt's GICv2 (GICC_HPPIR names each IRQ): dom0's virtual timer
    interrupts (PPI 27) are recorded, and its hypercalls counted."""
    argv = kestrel_qemu.qemu_argv(xen_args="dom0_mem=512M trace=on", smp=2, gic=2)
    child = kestrel_qemu.spawn(argv, timeout=120, logname="debug-keys-gicv2")
    try:
        child.expect("dom0# ")
        switch_input(child, "hypervisor")
        out = key(child, "T")
        assert re.search(r"p[01] d0v[01] +irq 27 pc 0x", out), out
        assert "irq 1023" not in out, out
        assert re.search(r"hypercall +18 console_io +[1-9]", key(child, "t"))
    finally:
        child.close(force=True)

def test_bad_trace_option_stops_boot():
    argv = kestrel_qemu.qemu_argv(xen_args="dom0_mem=512M trace=sometimes")
    res = kestrel_qemu.run_to_exit(argv, timeout=60, logname="debug-keys-bad-trace")
    assert "trace=sometimes: expected off, counts or on" in res.transcript, res.transcript
    # The panic() call ends trace_init(): the backtrace names the caller, not the next function.
    assert re.search(r"Call trace \(return addresses\):\r?\r?\n\(K\)   0x[0-9a-f]{16} trace_init\+0x", res.transcript), \
        res.transcript


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gdb_breaks_in_hypercall_and_steps_from_guest_hvc():
    """README "Debugging": gdb with Kestrel's symbols at its load address stops in
    do_hypercall() for dom0's console_io (x16 = 18), then a hardware breakpoint on the guest's
    HVC and one stepi land in Kestrel's lower-EL synchronous vector (el2_vectors + 0x400)."""
    port = free_port()
    argv = kestrel_qemu.qemu_argv(extra=["-gdb", "tcp:127.0.0.1:%d" % port, "-S"])
    qemu = kestrel_qemu.spawn(argv, timeout=60, logname="debug-gdb")
    try:
        gdb = subprocess.run(
            ["gdb-multiarch", "-q", "-batch", "-ex", "target remote 127.0.0.1:%d" % port,
             "-ex", "add-symbol-file %s -o 0x40200000" % os.path.join(kestrel_qemu.BUILD, "kestrel.elf"),
             "-ex", "break do_hypercall if regs->x[16] == 18", "-ex", "continue", "-ex", "delete",
             "-ex", "hbreak *(regs->pc - 4)", "-ex", "continue", "-ex", "x/i $pc", "-ex", "p $x16",
             "-ex", "stepi", "-ex", "info symbol $pc", "-ex", "kill"],
            capture_output=True, text=True, timeout=60)
    finally:
        qemu.close(force=True)
    out = gdb.stdout
    assert re.search(r"Breakpoint 1, do_hypercall \(regs=", out), out + gdb.stderr
    assert re.search(r"hvc\s+#0xea1", out) and "$1 = 18" in out, out
    assert "el2_vectors + 1024 in section .text" in out, out

