# SPDX-License-Identifier: Apache-2.0
"""Boot the SMP scheduling guest (tests/guests/ksched.c) as dom0 and check every vCPU's report.

Each run boots Kestrel with "dom0_max_vcpus=V sched=S" on QEMU with P pCPUs and
build/guests/ksched.img as dom0's kernel, its command line "ksched.vcpus=V ...". vCPU0
starts the others with PSCI CPU_ON; each vCPU then fills x0..x30, q0..q31, FPCR, FPSR,
NZCV and its EL1 system registers with patterns of its own, spins, yields, calls
xen_version or waits in WFI, and compares them all (registers lost or swapped while it
was descheduled); between those it runs virtual-timer rounds (CVAL a few ms ahead, a
wait in WFI or a busy spin) and checks each interrupt came neither before CVAL nor
later than the tolerance (time slice + margin). vCPU0 prints, per vCPU:

    KSCHED vcpu<N> regs PASS iters=<i> preempt_checks=<n> desched=<d> ...
    KSCHED vcpu<N> timer PASS rounds=<r> max_late_us=<x> early=0 ...

then "KSCHED DONE vcpus=<V> failures=<f>" and powers off. Cases with V > P need a
scheduler that time-shares pCPUs; "sched=" selects it (credit2 for all, null only where
every vCPU has a pCPU of its own). For V > P the margin grows by one slice per further
vCPU sharing a pCPU: a vCPU whose timer fires while it waits for a pCPU runs only when
its turn comes.

QEMU runs with -icount shift=0,sleep=off: the guest's time is its instruction count, so
a busy host cannot make an interrupt late (without it, a spinning vCPU's timer waited for
QEMU's main loop thread behind the vCPU threads, 4 ms to 70 ms on a loaded 2-core host,
and the run failed), and every run gives the same figures. The margin and LATE_OK stay
as a bound on what a correct scheduler may do (a vCPU waiting for its pCPU). A scheduler that
forgets a vCPU's timer, or restores the wrong CNTVOFF/CVAL, shows up as early or
never-arriving interrupts (always failures) or as late ones in most rounds.
Transcripts: build/test-logs/sched-<id>.log; "ksched.verbose=1" in the guest's command
line prints every interrupt's lateness.
Needs `make all guests` first (make boot-test does it).
"""
import os
import re

import pytest

import kestrel_qemu

SCHED_IMAGE = os.path.join(kestrel_qemu.BUILD, "guests", "ksched.img")

ITERS = 4000        # register rounds per vCPU: about 1 s of guest time each
ROUNDS = 20         # timer rounds per vCPU
SLICE_US = 1000     # the hypervisor's default time slice
MARGIN_US = 5000    # on top of it: QEMU TCG's timer jitter (see above)
LATE_OK = 2         # timer interrupts per vCPU that may come later than that
TIMEOUT = 60        # seconds of wall time per boot

# (vCPUs, pCPUs, sched, cpu): cpu None = kestrel_qemu's default model.
CASES = [
    (1, 1, "credit2", None),
    (2, 2, "credit2", None),
    (2, 2, "null", "max"),
    (4, 2, "credit2", None),
    (2, 1, "credit2", "cortex-a53"),
    (4, 1, "credit2", None),
]
# The same guest on QEMU virt's GICv2 (GICC on the GICV; the vGICv2 backend saves and
# restores GICH's list registers, VMCR and APR as vCPUs share a pCPU).
GICV2_CASES = [(3, 1, "credit2", None)]
CASES += GICV2_CASES

REGS_RE = re.compile(r"^KSCHED vcpu(\d+) regs (PASS|FAIL) iters=(\d+) preempt_checks=(\d+) desched=(\d+)")
TIMER_RE = re.compile(r"^KSCHED vcpu(\d+) timer (PASS|FAIL) rounds=(\d+) max_late_us=(\d+) early=(\d+)")
DONE_RE = re.compile(r"^KSCHED DONE vcpus=(\d+) failures=(\d+)")


def case_id(case):
    vcpus, smp, sched, cpu = case
    return "%d-%d-%s%s%s" % (vcpus, smp, sched, "-" + cpu if cpu else "",
                             "-gicv2" if case in GICV2_CASES else "")


class SchedRun:
    """Transcript of one boot of the ksched guest."""

    def __init__(self, argv, transcript, exitstatus, signalstatus, timed_out):
        self.argv = argv
        self.exitstatus, self.signalstatus, self.timed_out = exitstatus, signalstatus, timed_out
        self.lines = [l.rstrip("\r") for l in transcript.split("\n")]
        self.regs, self.timer, self.desched, self.done = {}, {}, {}, None
        for line in self.lines:
            m = REGS_RE.match(line)
            if m:
                self.regs[int(m.group(1))] = (m.group(2), int(m.group(3)), line)
                self.desched[int(m.group(1))] = int(m.group(5))
            m = TIMER_RE.match(line)
            if m:
                self.timer[int(m.group(1))] = (m.group(2), int(m.group(3)), int(m.group(5)), line)
            m = DONE_RE.match(line)
            if m:
                self.done = (int(m.group(1)), int(m.group(2)))

    def tail(self, n=40):
        return "\n".join(self.lines[-n:])

    def problems(self):
        return "\n".join(l for l in self.lines if " FAIL" in l or "FATAL" in l or "panic" in l.lower())


def boot(case):
    vcpus, smp, sched, cpu = case
    for path, what in ((kestrel_qemu.KESTREL, "Kestrel"), (SCHED_IMAGE, "the ksched guest")):
        if not os.path.exists(path):
            pytest.fail("%s not built (%s missing): run `make all guests` first" % (what, path))
    share = -(-vcpus // smp)        # vCPUs per pCPU, rounded up
    margin = MARGIN_US + SLICE_US * (share - 1)
    dom0_args = ("ksched.vcpus=%d ksched.iters=%d ksched.rounds=%d ksched.slice_us=%d ksched.margin_us=%d "
                 "ksched.late_ok=%d" % (vcpus, ITERS, ROUNDS, SLICE_US, margin, LATE_OK))
    argv = kestrel_qemu.qemu_argv(kernel=SCHED_IMAGE, initrd=None, smp=smp, dom0_args=dom0_args,
                                  xen_args="dom0_mem=512M dom0_max_vcpus=%d sched=%s" % (vcpus, sched),
                                  gic=2 if case in GICV2_CASES else 3)
    if cpu:
        argv[argv.index("-cpu") + 1] = cpu
    argv += ["-icount", "shift=0,sleep=off"]
    return SchedRun(argv, *kestrel_qemu.run_to_exit(argv, TIMEOUT, "sched-" + case_id(case)))


@pytest.fixture(scope="module", params=CASES, ids=[case_id(c) for c in CASES])
def run(request):
    return request.param, boot(request.param)


def test_all_vcpus_started(run):
    """dom0 got every vCPU asked for, and each one came up through PSCI CPU_ON."""
    (vcpus, _, _, _), r = run
    assert not any(l.startswith("KSCHED FAIL cpu_on") or l.startswith("KSCHED FAIL vcpus")
                   for l in r.lines), r.problems() or r.tail()
    assert sorted(r.regs) == list(range(vcpus)), "vCPUs reporting: %s\n%s" % (sorted(r.regs), r.tail())


def test_registers_kept(run):
    """Every vCPU's general, FP/SIMD and EL1 system registers survived every round."""
    (vcpus, _, _, _), r = run
    for n in range(vcpus):
        assert n in r.regs, "no regs line for vcpu%d:\n%s" % (n, r.tail())
        status, iters, line = r.regs[n]
        assert status == "PASS" and iters == ITERS, line + "\n" + r.problems()


def test_timer_on_time(run):
    """Every vCPU's virtual timer interrupts came, never early, none later than the tolerance."""
    (vcpus, _, _, _), r = run
    for n in range(vcpus):
        assert n in r.timer, "no timer line for vcpu%d:\n%s" % (n, r.tail())
        status, rounds, early, line = r.timer[n]
        assert status == "PASS" and rounds == ROUNDS and early == 0, line + "\n" + r.problems()


def test_preempted(run):
    """With more vCPUs than pCPUs, every vCPU saw itself descheduled in the middle of a spin.

    The guest counts steps of more than 200 us between two CNTVCT readings in its spin
    loops ("desched="): a time-sharing scheduler preempts each of them many times per
    run; one that only switches at yield/WFI never does.
    """
    (vcpus, smp, _, _), r = run
    if vcpus <= smp:
        pytest.skip("every vCPU has a pCPU of its own")
    assert sorted(r.desched) == list(range(vcpus)), "vCPUs reporting: %s\n%s" % (sorted(r.desched), r.tail())
    assert all(r.desched[n] > 0 for n in range(vcpus)), \
        "\n".join(r.regs[n][2] for n in range(vcpus))


def test_done_and_system_off(run):
    """vCPU0 printed "KSCHED DONE vcpus=<V> failures=0" and SYSTEM_OFF ended QEMU cleanly."""
    (vcpus, _, _, _), r = run
    assert not r.timed_out, "QEMU still running after %d s; last output:\n%s" % (TIMEOUT, r.tail())
    fatal = [l for l in r.lines if "FATAL" in l]
    assert not fatal, "\n".join(fatal)
    assert r.done == (vcpus, 0), "KSCHED DONE %r, want (vcpus=%d, failures=0):\n%s" % (
        r.done, vcpus, r.problems() or r.tail())
    assert any("d0: shutdown (poweroff)" in l for l in r.lines), r.tail()
    bad = [l for l in r.lines if l.startswith("(K)") and ("panic" in l.lower() or "Hypervisor trap" in l)]
    assert not bad, "\n".join(bad[:10])
    assert r.signalstatus is None and r.exitstatus == 0, \
        "QEMU exit status %r, signal %r" % (r.exitstatus, r.signalstatus)
