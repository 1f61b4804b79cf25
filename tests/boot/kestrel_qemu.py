# SPDX-License-Identifier: Apache-2.0
"""Start Kestrel under QEMU virt (GICv3, EL2) with pexpect, for the boot tests.

Paths default to the build and cache folders of the repository; every boot runs with
-no-reboot so a hypervisor reset (panic) or a PSCI SYSTEM_OFF ends QEMU.
"""
import collections
import os
import shlex

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
CACHE = os.path.join(ROOT, "cache")
KESTREL = os.path.join(BUILD, "kestrel")
KERNEL = os.path.join(CACHE, "Image")
INITRD = os.path.join(CACHE, "initramfs.cpio.gz")

# Where QEMU's guest-loader places the boot modules (inside the default 2 GiB of RAM).
KERNEL_ADDR = 0x42000000
INITRD_ADDR = 0x47000000


def qemu_argv(kernel=KERNEL, initrd=INITRD, xen_args="dom0_mem=512M",
              dom0_args="console=hvc0 earlycon=xen rdinit=/init", mem="2G",
              kestrel=KESTREL, extra=(), smp=1, gic=3):
    """QEMU command line booting Kestrel with dom0 modules given through guest-loader.

    kernel/initrd: file paths, or None to leave the module out. gic: QEMU virt's
    gic-version (3, or 2 for a GICv2 with the virtualization extensions).
    """
    argv = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=%d" % gic,
            "-cpu", "cortex-a57", "-smp", str(smp), "-m", mem, "-nographic", "-no-reboot",
            "-net", "none", "-kernel", kestrel, "-append", xen_args]
    if kernel:
        argv += ["-device", "guest-loader,addr=0x%x,kernel=%s,bootargs=%s"
                 % (KERNEL_ADDR, kernel, dom0_args)]
    if initrd:
        argv += ["-device", "guest-loader,addr=0x%x,initrd=%s" % (INITRD_ADDR, initrd)]
    return argv + list(extra)


def spawn(argv, timeout=120, logname=None):
    """Spawn QEMU; the console transcript goes to build/test-logs/<logname>.log."""
    child = pexpect.spawn(argv[0], argv[1:], timeout=timeout, encoding="utf-8",
                          codec_errors="replace", dimensions=(50, 200))
    if logname:
        logdir = os.path.join(BUILD, "test-logs")
        os.makedirs(logdir, exist_ok=True)
        child.logfile_read = open(os.path.join(logdir, logname + ".log"), "w")
    return child


def describe(argv):
    return " ".join(shlex.quote(a) for a in argv)


QemuExit = collections.namedtuple("QemuExit", "transcript exitstatus signalstatus timed_out")


def run_to_exit(argv, timeout, logname):
    """Run QEMU until it exits by itself, or kill it after @timeout seconds.

    Return QemuExit(transcript, exitstatus, signalstatus, timed_out), the transcript being
    the whole console output (also in build/test-logs/<logname>.log).
    """
    child = spawn(argv, timeout=timeout, logname=logname)
    timed_out = False
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        timed_out = True
    transcript = child.before or ""
    child.close(force=True)
    if child.logfile_read:
        child.logfile_read.close()
    return QemuExit(transcript, child.exitstatus, child.signalstatus, timed_out)
