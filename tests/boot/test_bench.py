# SPDX-License-Identifier: Apache-2.0
"""Functional check of the benchmark guest (tests/bench): one boot as dom0 on Kestrel.

`make bench` (tests/bench/run_bench.py) is the measurement; here the guest runs once under
-icount with two pCPUs and must finish, print every row as a positive number, and have
taken every IPI it sent; and once per FP policy with two vCPUs on one pCPU, where it
measures the vm_switch ping-pong alone. No figure is compared with a threshold. Needs
`make all bench-guest` (make boot-test does it).
"""
import os
import re
import sys

import pytest

import kestrel_qemu

sys.path.insert(0, os.path.join(kestrel_qemu.ROOT, "tests", "bench"))
import run_bench  # noqa: E402  (row list and QEMU command lines of `make bench`)

NA_ROWS = {"vm_switch"}     # measured by test_vm_switch_on_one_pcpu's runs
CONFIG_RE = re.compile(r"^KBENCH-INFO mode=(\S+) cntfrq=(\d+) n=(\d+) console_n=(\d+) reps=(\d+)")
IRQ_RE = re.compile(r"^KBENCH-INFO irq_count self=(\d+) remote=(\d+) other=(\d+)")


@pytest.fixture(scope="module")
def bench():
    for path in (kestrel_qemu.KESTREL, run_bench.BENCH_IMG):
        if not os.path.exists(path):
            pytest.fail("%s missing: run `make all bench-guest` first" % path)
    argv = run_bench.kestrel_argv(run_bench.BENCH_IMG, None, "x")
    qemu = kestrel_qemu.run_to_exit(argv, 300, "bench-functional")
    lines = [l.rstrip("\r") for l in qemu.transcript.split("\n")]
    rows = {}
    for line in lines:
        m = run_bench.ROW_RE.match(line)
        if m and m.group(1) != "DONE":
            rows[m.group(1)] = (m.group(2), m.group(3))
    return {"lines": lines, "rows": rows, "timed_out": qemu.timed_out,
            "exitstatus": qemu.exitstatus, "signalstatus": qemu.signalstatus}


def tail(run, n=30):
    return "\n".join(run["lines"][-n:])


def test_bench_completes(bench):
    """The guest printed "KBENCH DONE" and powered the machine off cleanly."""
    assert not bench["timed_out"], "QEMU still running after the timeout:\n" + tail(bench)
    assert not [l for l in bench["lines"] if l.startswith("KBENCH FATAL")], tail(bench)
    assert "KBENCH DONE" in bench["lines"], "no KBENCH DONE; last output:\n" + tail(bench)
    assert any("d0: shutdown (poweroff)" in l for l in bench["lines"]), tail(bench)
    assert bench["signalstatus"] is None and bench["exitstatus"] == 0, \
        "QEMU exit status %r, signal %r" % (bench["exitstatus"], bench["signalstatus"])


def test_bench_ran_on_kestrel(bench):
    """The guest saw EL2 (so it used Kestrel's interfaces) and QEMU's 62.5 MHz counter."""
    config = [CONFIG_RE.match(l) for l in bench["lines"] if CONFIG_RE.match(l)]
    assert config, "no KBENCH-INFO configuration line:\n" + tail(bench)
    assert config[0].group(1) == "kestrel"
    assert int(config[0].group(2)) == 62500000


def test_bench_every_ipi_delivered(bench):
    """Each of the n x reps SGIs to self and to vCPU 1 reached the IRQ handler once."""
    config = next(CONFIG_RE.match(l) for l in bench["lines"] if CONFIG_RE.match(l))
    irqs = [IRQ_RE.match(l) for l in bench["lines"] if IRQ_RE.match(l)]
    assert irqs, "no KBENCH-INFO irq_count line:\n" + tail(bench)
    sent = int(config.group(3)) * int(config.group(5))
    assert (int(irqs[0].group(1)), int(irqs[0].group(2)), int(irqs[0].group(3))) == (sent, sent, 0)


@pytest.mark.parametrize("row", [r[0] for r in run_bench.ROWS if r[0] not in run_bench.SWITCH_RUNS
                                 or r[0] == "vm_switch"])
def test_bench_row(bench, row):
    """Every row is printed: a positive instruction count, or n/a where it must be."""
    assert row in bench["rows"], "no \"KBENCH %s\" line:\n%s" % (row, tail(bench))
    value, reason = bench["rows"][row]
    if row in NA_ROWS:
        assert value == "n/a" and reason, "KBENCH %s %s" % (row, value)
    else:
        assert value != "n/a", "KBENCH %s n/a %s" % (row, reason)
        assert float(value) > 0, "KBENCH %s %s" % (row, value)


def test_bench_derived_row(bench):
    """virq_complete is documented as self_ipi - sgi_write."""
    r = {k: float(v) for k, (v, _) in bench["rows"].items() if v != "n/a"}
    assert abs(r["virq_complete"] - (r["self_ipi"] - r["sgi_write"])) < 0.05


@pytest.mark.parametrize("row", sorted(run_bench.SWITCH_RUNS))
def test_vm_switch_on_one_pcpu(row):
    """Two vCPUs on one pCPU, each FP policy: the ping-pong finishes and costs something."""
    argv = run_bench.switch_argv(run_bench.SWITCH_RUNS[row])
    qemu = kestrel_qemu.run_to_exit(argv, 300, "bench-functional-" + row)
    lines = [l.rstrip("\r") for l in qemu.transcript.split("\n")]
    assert not qemu.timed_out, "\n".join(lines[-30:])
    assert "KBENCH DONE" in lines, "\n".join(lines[-30:])
    assert any("on 1 pCPU(s)" in l for l in lines)
    rows = {m.group(1): m.group(2) for m in map(run_bench.ROW_RE.match, lines) if m}
    assert rows.get("vm_switch", "n/a") != "n/a", "\n".join(lines[-30:])
    assert float(rows["vm_switch"]) > 0

