# SPDX-License-Identifier: Apache-2.0
"""Boot the fuzzing guest (tests/guests/kfuzz.c) as dom0 and check the hypervisor survived it.

Each run boots Kestrel with build/guests/kfuzz.img as dom0's kernel and "seed=S ops=N" as
its command line. The guest issues N random hypercalls, SMCCC/PSCI calls, bad HVC/SMC
immediates, vGIC and unmapped-IPA accesses, system register accesses and short windows
with interrupts unmasked, checks each against the ABI (registers preserved, the right
exception or none, -ENOSYS, ...), compares checksums of memory no operation may touch,
prints a summary and powers off:

    KFUZZ seed=1 ops=100000 hypercalls=... smccc=... badimm=... mmio=... sysreg=... undef=... dabt=...
    KFUZZ checks failed=0
    KFUZZ pattern-checksum OK
    KFUZZ survived

Hypervisor bugs the fuzzer found, each caught again by every one of these seeds:
  - livelock in do_irq() on the level-sensitive vGIC maintenance interrupt (f02ce07;
    seed 3 found it): the boot hangs;
  - DC ISW/CSW/CISW answered with an undef (b833bed): "KFUZZ FAIL ... dc set/way".

build/test-logs/fuzz-summary.txt gets each run's figures and the hypervisor messages the
guest provoked, by kind (they cost most of the run time). To reproduce a failure by hand,
boot the guest with "seed=S ops=N trace=K": it prints every operation from the K-th on.
Needs `make all guests` first (make boot-test does it).
"""
import collections
import os
import re

import pytest

import kestrel_qemu

FUZZ_IMAGE = os.path.join(kestrel_qemu.BUILD, "guests", "kfuzz.img")
LOGDIR = os.path.join(kestrel_qemu.BUILD, "test-logs")
SUMMARY = os.path.join(LOGDIR, "fuzz-summary.txt")

OPS = 100000
# (seed, pCPUs, operations, GIC version): three fixed seeds of 100 000 operations on one
# pCPU, and a shorter run on two, where fuzzed CPU_ONs start dom0's second vCPU; then the
# same on QEMU virt's GICv2 (tests/guests/kfuzz_gicv2.c: GICD emulated, GICC on the GICV).
RUNS = [(1, 1, OPS, 3), (2, 1, OPS, 3), (3, 1, OPS, 3), (4, 2, 20000, 3), (5, 1, OPS, 2), (6, 2, 20000, 2)]
# QEMU CPU model per seed (cortex-a57 unless named): one run with SVE, SME, MTE, PAuth, ...
CPU = {4: "max,pauth-impdef=on"}

SUMMARY_RE = re.compile(r"^KFUZZ seed=(\d+) ops=(\d+) (.*)$")
FIELD_RE = re.compile(r"(\w+)=(\d+)")
_summaries = {}


class FuzzRun:
    """Transcript of one boot of the fuzzing guest."""

    def __init__(self, seed, smp, ops, transcript, exitstatus, signalstatus, timed_out):
        self.seed, self.smp, self.ops = seed, smp, ops
        self.transcript = transcript
        self.exitstatus = exitstatus
        self.signalstatus = signalstatus
        self.timed_out = timed_out
        self.lines = [l.rstrip("\r") for l in transcript.split("\n")]
        self.counts = {}
        for line in self.lines:
            m = SUMMARY_RE.match(line)
            if m:
                self.counts = {k: int(v) for k, v in FIELD_RE.findall(line)}

    def has(self, line):
        return line in self.lines

    def tail(self, n=30):
        return "\n".join(self.lines[-n:])

    def hypervisor_messages(self):
        """Kestrel's messages about the guest, numbers blanked, most frequent first."""
        kinds = collections.Counter()
        for line in self.lines:
            if line.startswith("(K) d0 v"):
                kinds[re.sub(r"0x[0-9a-f]+|\b\d+\b", "N", line)] += 1
        return kinds.most_common()


def boot_fuzzer(seed, smp, ops, gic=3, timeout=240):
    for path, what in ((kestrel_qemu.KESTREL, "Kestrel"), (FUZZ_IMAGE, "the kfuzz guest")):
        if not os.path.exists(path):
            pytest.fail("%s not built (%s missing): run `make all guests` first" % (what, path))
    argv = kestrel_qemu.qemu_argv(kernel=FUZZ_IMAGE, initrd=None, smp=smp, gic=gic,
                                  dom0_args="seed=%d ops=%d" % (seed, ops),
                                  extra=["-cpu", CPU.get(seed, "cortex-a57")])
    return FuzzRun(seed, smp, ops, *kestrel_qemu.run_to_exit(argv, timeout, "fuzz-seed%d" % seed))


def write_summary(run):
    _summaries[run.seed] = run
    out = ["Kestrel fuzzing guest (tests/guests/kfuzz.c), one line per boot, then the "
           "hypervisor messages each provoked"]
    for seed in sorted(_summaries):
        r = _summaries[seed]
        ticks, cntfrq = r.counts.get("ticks", 0), r.counts.get("cntfrq") or 1
        out.append("seed %d, %d pCPU(s), GICv%d, %d operations in %.1f s of guest time: %s" % (
            seed, r.smp, getattr(r, "gic", 3), r.ops, ticks / cntfrq, " ".join(
                "%s=%d" % kv for kv in r.counts.items() if kv[0] not in ("seed", "ops", "ticks", "cntfrq"))))
        out.extend("    " + l for l in r.lines if l.startswith(("KFUZZ checks failed", "KFUZZ survived")))
        for text, n in r.hypervisor_messages():
            out.append("    %6d x %s" % (n, text))
    os.makedirs(LOGDIR, exist_ok=True)
    with open(SUMMARY, "w") as f:
        f.write("\n".join(out) + "\n")


@pytest.fixture(scope="module", params=RUNS,
                ids=["seed%d-smp%d%s" % (s, c, "-gicv2" if g == 2 else "") for s, c, _, g in RUNS])
def fuzz(request):
    seed, smp, ops, gic = request.param
    run = boot_fuzzer(seed, smp, ops, gic)
    run.gic = gic
    if gic == 2:
        assert any(" GICv2 GICC 0x" in l for l in run.lines if l.startswith("KFUZZ start ")), run.tail()
    for line in run.lines:     # the figures line comes after the "time" line: merge both
        if line.startswith("KFUZZ time "):
            run.counts.update({k: int(v) for k, v in FIELD_RE.findall(line)})
    write_summary(run)
    return run


def test_survived(fuzz):
    """The guest ran every operation and printed its verdict: the hypervisor survived."""
    assert not fuzz.timed_out, "QEMU still running after the timeout (hang?); last output:\n" + fuzz.tail()
    fatal = [l for l in fuzz.lines if l.startswith("KFUZZ FATAL")]
    assert not fatal, "\n".join(fatal)
    assert fuzz.has("KFUZZ survived"), "no \"KFUZZ survived\"; last output:\n" + fuzz.tail()
    assert fuzz.counts.get("seed") == fuzz.seed and fuzz.counts.get("ops") == fuzz.ops, fuzz.counts


def test_memory_unchanged(fuzz):
    """No operation changed the pattern page/region, the guest's code or its device tree."""
    for what in ("pattern", "code", "dtb"):
        ok = [l for l in fuzz.lines if l.startswith("KFUZZ %s-checksum " % what)]
        assert ok and ok[0].startswith("KFUZZ %s-checksum OK" % what), ok or fuzz.tail()


def test_no_failed_checks(fuzz):
    """Every operation behaved as the ABI says (registers, exceptions, return values)."""
    fails = [l for l in fuzz.lines if l.startswith("KFUZZ FAIL")]
    assert fuzz.has("KFUZZ checks failed=0") and not fails, "\n".join(fails[:20]) or fuzz.tail()


def test_id_registers_agree_on_every_vcpu(fuzz):
    """Every vCPU read every ID register (no undef: that would be KFUZZ FATAL), all read the
    same values, and the hidden features (SVE, SME, MTE, AMU, PMU, SPE, TRBE, ...) read as
    zero as docs/id-registers.md says (tests/guests/kfuzz_idregs.c)."""
    line = [l for l in fuzz.lines if l.startswith("KFUZZ idregs vCPUs=")]
    assert line, fuzz.tail()
    assert line[0].startswith("KFUZZ idregs vCPUs=%d " % fuzz.smp) and line[0].endswith(" OK"), line[0]
    fails = [l for l in fuzz.lines if l.startswith("KFUZZ FAIL idregs")]
    assert not fails, "\n".join(fails)


def test_id_registers_hidden_features_registers_undef(fuzz):
    """The hidden features' own registers (SVE, SME, MTE, SPE, TRBE, AMU, RAS, LOR, IMPDEF)
    give an undef, the PMU's and debug's read 0, as docs/id-registers.md says."""
    line = [l for l in fuzz.lines if l.startswith("KFUZZ hidden registers=")]
    assert line and line[0].endswith(" failed=0"), line or fuzz.tail()
    fails = [l for l in fuzz.lines if l.startswith("KFUZZ FAIL hidden")]
    assert not fails, "\n".join(fails)


KINDS = ("hypercalls", "smccc", "badimm", "mmio", "sysreg", "irqwin")


def test_all_kinds_exercised(fuzz):
    """Each kind of operation ran; the guest took injected undefs, aborts and interrupts."""
    for kind in KINDS + ("undef", "dabt"):
        assert fuzz.counts.get(kind, 0) > fuzz.ops // 100, (kind, fuzz.counts)
    assert sum(fuzz.counts[k] for k in KINDS) == fuzz.ops, fuzz.counts
    # Windows that sent the guest an SGI: virtual interrupts must have been delivered.
    assert fuzz.counts.get("irqs", 0) > fuzz.counts["irqwin"] // 10, fuzz.counts


def test_clean_poweroff(fuzz):
    """PSCI SYSTEM_OFF ended QEMU with status 0; no panic or hypervisor trap on the way."""
    bad = [l for l in fuzz.lines if "panic" in l.lower() or "Hypervisor trap" in l]
    assert not bad, "\n".join(bad[:10])
    # -no-reboot makes a reset exit 0 too: look for dom0's poweroff.
    assert any("d0: shutdown (poweroff)" in l for l in fuzz.lines), fuzz.tail()
    assert fuzz.signalstatus is None and fuzz.exitstatus == 0, \
        "QEMU exit status %r, signal %r" % (fuzz.exitstatus, fuzz.signalstatus)
