# SPDX-License-Identifier: Apache-2.0
"""dom0 (Debian's kernel) with more vCPUs than pCPUs, under each scheduler, and CPU hotplug.

Each boot runs dom0 with `dom0_max_vcpus=V` on `-smp P` under `sched=S` and checks, from
dom0's shell on hvc0:
  - nproc and /sys/devices/system/cpu/online show all V vCPUs;
  - a workload pinned to every vCPU (taskset + sha256sum of one 4 MiB file, three times
    each, all at once) gives the same, correct digest everywhere;
  - steal time (from the runstate areas) where vCPUs outnumber pCPUs, none elsewhere;
  - CPU hotplug: cpu1 offline (PSCI CPU_OFF) and online again (CPU_ON), three times,
    then work runs on cpu1;
  - dom0's log has no RCU stall, soft lockup, oops or Xen driver error.
sched=null with more vCPUs than pCPUs must refuse to boot, naming the limit.
Each boot's /proc/uptime at /init goes to build/test-logs/sched-uptime.txt (the issue's
closing note compares 4 vCPUs on 2 pCPUs with 2 on 2).
"""
import os
import re

import pytest

import kestrel_qemu

PROMPT = "dom0# "
BAD_LOG = re.compile(r"rcu.*(stall|self-detected)|soft lockup|hard LOCKUP|\bBUG\b|Oops|"
                     r"WARNING|Call trace|Kernel panic")
XEN_DRIVER_ERROR = re.compile(r"^.*\b(xen|Xen|XEN)\b.*\b(fail|Fail|FAIL|error|Error|ERROR)\b.*$",
                              re.MULTILINE)
PCI_ADD_ERROR = "Failed to add - passthrough or MSI/MSI-X might fail"
UPTIME_LOG = os.path.join(kestrel_qemu.BUILD, "test-logs", "sched-uptime.txt")

# (vCPUs, pCPUs, scheduler, CPU model). With KPTI (Debian's kernel turns it on with KASLR
# on CPUs without E0PD) Linux registers no runstate area (arch/arm/xen/enlighten.c:
# xen_kernel_unmapped_at_usr()); dom0 gets no KASLR seed from Kestrel, so no KPTI, and the
# first configuration boots dom0 with kpti=0 besides; all have steal time from the areas.
CONFIGS = [
    (4, 2, "credit2", "cortex-a57"),
    (2, 1, "credit2", "cortex-a53"),
    (4, 1, "credit2", "max,pauth-impdef=on"),
    (2, 2, "credit2", "cortex-a57"),
    (2, 2, "null", "cortex-a57"),
]


class Dom0:
    def __init__(self, child):
        self.child = child
        self.count = 0

    def run(self, cmd, timeout=120):
        """Run @cmd in dom0's shell; return its output (without the echoed command)."""
        self.count += 1
        marker = "__END%d__" % self.count
        self.child.sendline('%s; echo __END""%d__' % (cmd, self.count))
        self.child.expect_exact('__END""%d__' % self.count, timeout=timeout)
        self.child.expect_exact(marker, timeout=timeout)
        out = self.child.before
        self.child.expect_exact(PROMPT, timeout=timeout)
        return out.replace("\r\n", "\n").strip()


@pytest.fixture(scope="module", params=CONFIGS, ids=["%dv-%dp-%s-%s" % c for c in CONFIGS])
def dom0(request):
    vcpus, smp, sched, cpu = request.param
    argv = kestrel_qemu.qemu_argv(smp=smp, xen_args="dom0_mem=512M dom0_max_vcpus=%d sched=%s"
                                  % (vcpus, sched), extra=["-cpu", cpu],
                                  dom0_args="console=hvc0 earlycon=xen rdinit=/init"
                                  + (" kpti=0" if request.param == CONFIGS[0] else ""))
    child = kestrel_qemu.spawn(argv, timeout=240, logname="sched_dom0_%dv_%dp_%s_%s" % request.param)
    child.expect_exact("KESTREL-DOM0-UP")
    boot_log = child.before
    child.expect_exact(PROMPT)
    d = Dom0(child)
    d.boot_log, d.vcpus, d.smp, d.sched, d.cpu = boot_log, vcpus, smp, sched, cpu
    d.runstate = request.param == CONFIGS[0]
    d.run("stty cols 1000")     # the shell must not wrap the long command lines it echoes
    uptime = d.run("cat /proc/uptime").split()[0]
    os.makedirs(os.path.dirname(UPTIME_LOG), exist_ok=True)
    with open(UPTIME_LOG, "a") as f:
        f.write("%d vCPUs on %d pCPUs, sched=%s, -cpu %s: /proc/uptime %s s at the shell\n"
                % (vcpus, smp, sched, cpu, uptime))
    yield d
    if child.isalive():
        child.terminate(force=True)


def test_boot_line_names_the_policy(dom0):
    assert "(K) starting dom0 (%d vCPU(s) on %d pCPU(s), sched=%s)" % (dom0.vcpus, dom0.smp, dom0.sched) \
        in dom0.boot_log


def test_every_vcpu_online(dom0):
    assert dom0.run("nproc") == str(dom0.vcpus)
    assert dom0.run("cat /sys/devices/system/cpu/online") == "0-%d" % (dom0.vcpus - 1)
    assert "smp: Brought up 1 node, %d CPUs" % dom0.vcpus in dom0.run("dmesg")


def pinned_sha256(dom0, cpus, reps=3):
    """sha256sum of /tmp/f on each of @cpus, @reps times each, all in parallel: the digests."""
    out = dom0.run("for c in %s; do (for r in $(seq %d); do taskset -c $c sha256sum /tmp/f | "
                   "sed \"s/ .*/ cpu$c/\"; done) & done; wait" % (" ".join(map(str, cpus)), reps),
                   timeout=600)
    return [l.split() for l in out.splitlines() if re.match(r"^[0-9a-f]{64} cpu\d+$", l)]


def test_parallel_pinned_workload(dom0):
    dom0.run("dd if=/dev/urandom of=/tmp/f bs=1024 count=4096 2>/dev/null")
    want = dom0.run("sha256sum /tmp/f").split()[0]
    assert re.fullmatch(r"[0-9a-f]{64}", want)
    got = pinned_sha256(dom0, range(dom0.vcpus))
    assert len(got) == 3 * dom0.vcpus, got
    assert all(digest == want for digest, _ in got), got
    assert sorted({cpu for _, cpu in got}) == ["cpu%d" % c for c in range(dom0.vcpus)]


def test_steal_time_from_runstate(dom0):
    """Linux reads its steal time from the runstate areas (drivers/xen/time.c), kept with
    XEN_RUNSTATE_UPDATE: with more vCPUs than pCPUs, after the pinned workload, the vCPUs
    waited for a pCPU, each of them; under KPTI Linux registers no areas: no steal time."""
    steal = [int(l.split()[8]) for l in dom0.run("grep '^cpu[0-9]' /proc/stat").splitlines()]
    kpti = "Kernel page table isolation (KPTI)" in dom0.boot_log
    assert len(steal) == dom0.vcpus
    # KPTI comes with KASLR, and dom0 gets no KASLR seed (Kestrel drops the boot loader's
    # /chosen/kaslr-seed): only a CPU with RNDR (-cpu max) has KASLR, and max needs no KPTI.
    assert not (kpti and dom0.runstate), "kpti=0 not honoured?"
    if kpti:
        assert sum(steal) == 0, steal
    elif dom0.vcpus > dom0.smp:
        assert all(s > 0 for s in steal), steal


def test_cpu_hotplug_three_times(dom0):
    online = "/sys/devices/system/cpu/cpu1/online"
    for _ in range(3):
        dom0.run("echo 0 > %s" % online)
        assert dom0.run("cat %s" % online) == "0"
        assert dom0.run("nproc") == str(dom0.vcpus - 1)
        dom0.run("echo 1 > %s" % online)
        assert dom0.run("cat %s" % online) == "1"
        assert dom0.run("nproc") == str(dom0.vcpus)
    dom0.run("[ -f /tmp/f ] || dd if=/dev/urandom of=/tmp/f bs=1024 count=4096 2>/dev/null")
    want = dom0.run("sha256sum /tmp/f").split()[0]
    got = pinned_sha256(dom0, [1], reps=2)
    assert got == [[want, "cpu1"]] * 2, got
    log = dom0.run("dmesg")
    assert log.count("CPU1: shutdown") >= 3 or log.count("psci: CPU1 killed") >= 3, log[-3000:]


def test_log_is_clean(dom0):
    log = dom0.run("dmesg")
    assert not BAD_LOG.search(log), BAD_LOG.search(log).group(0)
    errors = [l for l in XEN_DRIVER_ERROR.findall(log) if PCI_ADD_ERROR not in "".join(l)]
    assert not errors, errors
    assert not BAD_LOG.search(dom0.boot_log)


@pytest.mark.parametrize("vcpus,smp", [(2, 1), (4, 2)])
def test_null_refuses_more_vcpus_than_pcpus(vcpus, smp):
    argv = kestrel_qemu.qemu_argv(smp=smp, xen_args="dom0_mem=512M dom0_max_vcpus=%d sched=null" % vcpus)
    run = kestrel_qemu.run_to_exit(argv, timeout=60, logname="sched_null_%dv_%dp" % (vcpus, smp))
    assert not run.timed_out
    assert "sched=null: d0 v%d has no pCPU left: %d pCPU(s), one vCPU each" % (smp, smp) in run.transcript
    assert "cannot create dom0: sched=null has no pCPU for each of its vCPUs" in run.transcript
    assert "KESTREL-DOM0-UP" not in run.transcript
