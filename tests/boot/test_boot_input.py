# SPDX-License-Identifier: Apache-2.0
"""Boot input Kestrel must take as it comes: a host DTB edited the ways real firmware writes it.

QEMU virt's own DTB (-machine dumpdtb=, with guest-loader's /chosen module nodes) is edited
with fdtput, then booted with -dtb on two pCPUs; one boot serves the module:
- the boot CPU (MPIDR 0) is the second /cpus node (the first one's "reg" is 1): pCPU 0 is
  the CPU Kestrel started on, and PSCI CPU_ON starts the other one;
- the GICv3 has two redistributor regions ("#redistributor-regions" 2, one frame each, as
  QEMU's one region split): each pCPU finds its own frame, and dom0 is given the one region
  Kestrel emulates (a frame per vCPU at the host's first);
dom0 must reach its shell with both vCPUs up. (RAM above the EL2 map is a unit test,
tests/unit/test_bootinfo.c: QEMU replaces a -dtb's memory nodes by its own.)
"""
import subprocess

import pytest

import kestrel_qemu

PROMPT = "dom0# "
GIC = "/intc@8000000"


class Shell:
    """dom0's shell on hvc0, read with pexpect."""

    def __init__(self, child, boot_log):
        self.child = child
        self.boot_log = boot_log
        self.count = 0

    def run(self, cmd, timeout=90):
        """Run @cmd in dom0's shell; return its output (without the echoed command)."""
        self.count += 1
        self.child.sendline('%s; echo; echo __END""%d__' % (cmd, self.count))
        self.child.expect_exact('__END""%d__' % self.count, timeout=timeout)
        self.child.expect_exact("__END%d__" % self.count, timeout=timeout)
        out = self.child.before
        self.child.expect_exact(PROMPT, timeout=timeout)
        return out.replace("\r\n", "\n").strip()


def fdtput(dtb, *args):
    subprocess.run(["fdtput"] + [str(a) for a in args], check=True)


def edited_dtb(path):
    """QEMU virt's two-CPU DTB with the edits this module's tests look at."""
    argv = kestrel_qemu.qemu_argv(smp=2) + ["-machine", "dumpdtb=%s" % path]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    # The boot CPU, MPIDR 0, listed second.
    subprocess.run(["fdtput", "-t", "x", path, "/cpus/cpu@0", "reg", "1"], check=True)
    subprocess.run(["fdtput", "-t", "x", path, "/cpus/cpu@1", "reg", "0"], check=True)
    # Two redistributor regions: QEMU's frames of CPU 0 and CPU 1.
    subprocess.run(["fdtput", "-t", "x", path, GIC, "reg", "0", "8000000", "0", "10000",
                    "0", "80a0000", "0", "20000", "0", "80c0000", "0", "20000"], check=True)
    subprocess.run(["fdtput", "-t", "x", path, GIC, "#redistributor-regions", "2"], check=True)
    return path


@pytest.fixture(scope="module")
def dom0(tmp_path_factory):
    dtb = edited_dtb(str(tmp_path_factory.mktemp("boot_input") / "edited.dtb"))
    argv = kestrel_qemu.qemu_argv(smp=2, extra=["-dtb", dtb])
    child = kestrel_qemu.spawn(argv, timeout=180, logname="boot_input")
    child.expect_exact(PROMPT)
    shell = Shell(child, child.before)
    yield shell
    if child.isalive():
        child.terminate(force=True)


def test_boot_cpu_not_the_first_cpus_node(dom0):
    """Kestrel starts the CPU listed first (MPIDR 1) as pCPU 1, never its own CPU again."""
    assert "(K) pCPU 1 up" in dom0.boot_log
    assert "PSCI CPU_ON failed" not in dom0.boot_log
    assert dom0.run("nproc") == "2"
    assert dom0.run("grep -c ^processor /proc/cpuinfo") == "2"
    out = dom0.run("for c in 0 1; do taskset -c $c sh -c \"echo cpu\\$(cut -d' ' -f39 /proc/self/stat)-ran\"; done")
    assert out.split() == ["cpu0-ran", "cpu1-ran"], out
    assert dom0.run("echo $((6 * 7))") == "42"


def test_gic_with_two_redistributor_regions(dom0):
    """Both pCPUs came up (each found its frame, pCPU 1 in the second region); dom0's GIC node
    has one region, of two frames at 0x80a0000, where Linux finds both vCPUs' redistributors."""
    assert "(K) pCPU 1 up" in dom0.boot_log
    dom0.run("cd /proc/device-tree" + GIC)
    assert dom0.run("od -An -tx1 '#redistributor-regions' | tr -d ' '") == "00000001"
    reg = dom0.run("od -An -tx1 -v reg | tr -d ' \\n'")
    assert reg == ("0000000008000000" "0000000000010000" "00000000080a0000" "0000000000040000"), reg
    log = dom0.run("dmesg | grep 'found redistributor'")
    assert "CPU0: found redistributor 0 region 0:0x00000000080a0000" in log, log
    assert "CPU1: found redistributor 1 region 0:0x00000000080c0000" in log, log
