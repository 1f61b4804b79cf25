# SPDX-License-Identifier: Apache-2.0
"""Start Kestrel under QEMU virt (GICv3, EL2) with pexpect, for the boot tests.

Paths default to the build and cache folders of the repository; every boot runs with
-no-reboot so a hypervisor reset (panic) or a PSCI SYSTEM_OFF ends QEMU.
"""
import collections
import os
import shlex
import struct
import subprocess

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
            "-cpu", "cortex-a57", "-smp", str(smp), "-m", mem, "-nographic", "-echr", "20", "-no-reboot",
            "-net", "none", "-kernel", kestrel, "-append", xen_args]
    if kernel:
        argv += ["-device", "guest-loader,addr=0x%x,kernel=%s,bootargs=%s"
                 % (KERNEL_ADDR, kernel, dom0_args)]
    if initrd:
        argv += ["-device", "guest-loader,addr=0x%x,initrd=%s" % (INITRD_ADDR, initrd)]
    return argv + list(extra)


ZCU102_CONF = os.path.join(ROOT, "tools", "mkimage-scripts", "boards", "zcu102.conf")


def board_conf(path=ZCU102_CONF):
    """The KEY=value lines of a tools/mkimage-scripts board file, as a dict of strings."""
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, val = line.split("=", 1)
                conf[key] = val
    return conf


# Where booti_shim() is loaded: RAM no region of boards/zcu102.conf uses (the shim is gone
# once Kestrel runs; Kestrel then takes it as free RAM).
BOOTI_SHIM_ADDR = 0x30000000


def _movz_movk(rd, value):
    """MOVZ/MOVK (64-bit; Arm ARM C6.2) putting the 32-bit @value in X@rd."""
    return [0xd2800000 | (value & 0xffff) << 5 | rd, 0xf2800000 | 1 << 21 | (value >> 16 & 0xffff) << 5 | rd]


def booti_shim(path, kestrel_addr, fdt_addr):
    """Write an arm64 Image (Linux Documentation/arch/arm64/booting.rst header, text_offset =
    BOOTI_SHIM_ADDR) that does what U-Boot's `booti kestrel - fdt` does at the end of the
    boot script: x0 = the DTB's address, x1..x3 = 0, jump to Kestrel at EL2, MMU off. QEMU's
    -kernel puts the DTB where it likes (128 MiB in); this shim lets the test place the
    script's DTB at the script's address instead."""
    code = _movz_movk(0, fdt_addr) + [0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3]     # mov x1..x3, xzr
    code += _movz_movk(4, kestrel_addr) + [0xd61f0080]                          # br x4
    size = 64 + 4 * len(code)
    header = struct.pack("<IIQQQQQQI", 0x14000010, 0, BOOTI_SHIM_ADDR, size, 0xa, 0, 0, 0, 0x644d5241)
    header += b"\0" * (64 - len(header))
    with open(path, "wb") as f:
        f.write(header + b"".join(struct.pack("<I", w) for w in code))


def zcu102_argv(smp=4, xen_args="dom0_mem=512M", dom0_args="console=hvc0 earlycon=xen rdinit=/init"):
    """QEMU xlnx-zcu102 booting the files of `make tftproot BOARD=zcu102` where the boot
    script (build/tftproot/zcu102/boot.cmd) puts them on a real board (boards/zcu102.conf):
    Kestrel, dom0's Image and initrd, and the board's DTB from Debian's kernel package
    edited as the script edits it (/chosen only; `fdt resize 0x4000`), at FDT_ADDR; then
    booti's entry state (booti_shim()). 4 GiB of RAM, the board's: the two banks of its DT's
    memory node, which nothing fixes up. guest-loader does not work with -dtb on this model:
    every file is a raw loader image."""
    subprocess.run(["make", "-s", "-C", ROOT, "tftproot", "BOARD=zcu102", "XEN_ARGS=" + xen_args,
                    "DOM0_ARGS=" + dom0_args], check=True, stdout=subprocess.DEVNULL)
    conf = board_conf()
    tftp = os.path.join(BUILD, "tftproot", "zcu102")
    image, initrd = os.path.join(tftp, "Image"), os.path.join(tftp, "initramfs.cpio.gz")
    kestrel = os.path.join(tftp, "kestrel")
    kaddr, iaddr = int(conf["KERNEL_ADDR"], 16), int(conf["INITRD_ADDR"], 16)
    xaddr, faddr = int(conf["KESTREL_ADDR"], 16), int(conf["FDT_ADDR"], 16)
    logs = os.path.join(BUILD, "test-logs")
    os.makedirs(logs, exist_ok=True)
    dtb, shim = os.path.join(logs, "zcu102-chosen.dtb"), os.path.join(logs, "zcu102-booti-shim.img")
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-p", "0x4000", "-o", dtb,
                    os.path.join(tftp, conf["DTB_FILE"])], check=True)
    kmod, imod = "/chosen/module@%x" % kaddr, "/chosen/module@%x" % iaddr
    for cmd in (["-t", "i", dtb, "/chosen", "#address-cells", "2"],
                ["-t", "i", dtb, "/chosen", "#size-cells", "2"],
                ["-t", "s", dtb, "/chosen", "xen,xen-bootargs", xen_args],
                ["-t", "s", dtb, "/chosen", "xen,dom0-bootargs", dom0_args],
                ["-c", dtb, kmod, imod],
                ["-t", "s", dtb, kmod, "compatible", "multiboot,kernel", "multiboot,module"],
                ["-t", "x", dtb, kmod, "reg", "0", "%x" % kaddr, "0", "%x" % os.path.getsize(image)],
                ["-t", "s", dtb, imod, "compatible", "multiboot,ramdisk", "multiboot,module"],
                ["-t", "x", dtb, imod, "reg", "0", "%x" % iaddr, "0", "%x" % os.path.getsize(initrd)]):
        subprocess.run(["fdtput"] + cmd, check=True)
    assert os.path.getsize(dtb) <= int(conf["FDT_ROOM"], 16)
    booti_shim(shim, xaddr, faddr)
    return ["qemu-system-aarch64", "-M", "xlnx-zcu102,virtualization=on", "-m", "4G",
            "-smp", str(smp), "-nographic", "-echr", "20", "-no-reboot", "-net", "none", "-audiodev", "none,id=snd0",
            "-kernel", shim, "-dtb", dtb,      # QEMU's copy (with -m 4G it needs one) goes unused
            "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (kestrel, xaddr),
            "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (dtb, faddr),
            "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, kaddr),
            "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (initrd, iaddr)]


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
