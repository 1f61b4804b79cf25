# SPDX-License-Identifier: Apache-2.0
"""Boot Kestrel the way a board does: U-Boot fetches a boot script over TFTP, the script
fetches Kestrel, dom0's kernel and initrd, adds the /chosen module nodes and runs booti.

The script comes from tools/mkimage-scripts/mkbootscr.sh (qemu profile). QEMU runs
Debian's U-Boot as its firmware, with user networking whose built-in TFTP server serves a
temporary folder. The first tests only check the generated script text; the boot tests
share one QEMU run, and a last test boots again with the DTB fetched from a file, as a
ZCU102 does.

Time limits: pytest-timeout is not among the test dependencies, so every wait is bounded
by a pexpect timeout instead. Fetching the ~33 MiB kernel took 1.2-1.6 s (about
21 MiB/s) over virtio-net and slirp when this test was written, and the whole boot from
`dhcp` to the dom0 prompt about 4.5 s; LOAD_TIMEOUT and BOOT_TIMEOUT leave a wide margin
for slow or busy hosts.
"""
import os
import re
import shutil
import subprocess
import time

import pexpect
import pytest

import kestrel_qemu

MKBOOTSCR = os.path.join(kestrel_qemu.ROOT, "tools", "mkimage-scripts", "mkbootscr.sh")
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
PROMPT = "dom0# "
UBOOT_PROMPT = "=> "
LOAD_TIMEOUT = 300      # from `dhcp` to booti's "Starting kernel ..."
BOOT_TIMEOUT = 180      # from there to dom0's shell
# The qemu profile's layout (see mkbootscr.sh).
KESTREL_ADDR, FDT_ADDR, KERNEL_ADDR, INITRD_ADDR = 0x40400000, 0x41c00000, 0x42000000, 0x47000000


def mkbootscr(out, *args, check=True, **env):
    """Run mkbootscr.sh; return the CompletedProcess (text output)."""
    e = dict(os.environ)
    e.update(env)
    return subprocess.run([MKBOOTSCR, *args, str(out)], env=e, capture_output=True,
                          text=True, check=check)


def script_lines(path):
    with open(path) as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def check_filesize_capture(lines, addr, name, var):
    """The load of @name at @addr is followed at once by saving ${filesize} to @var."""
    i = lines.index("tftpboot 0x%08x %s || exit" % (addr, name))
    assert lines[i + 1] == "setenv %s 0x${filesize}" % var, lines[i:i + 2]


# --- the generated script -------------------------------------------------------------

def test_qemu_script_text(tmp_path):
    out = tmp_path / "boot.scr"
    mkbootscr(out, "--board", "qemu")
    lines = script_lines(tmp_path / "boot.cmd")
    check_filesize_capture(lines, KERNEL_ADDR, "Image", "kst_kernel_size")
    check_filesize_capture(lines, INITRD_ADDR, "initramfs.cpio.gz", "kst_initrd_size")
    assert "tftpboot 0x%08x kestrel || exit" % KESTREL_ADDR in lines
    # No DTB file: U-Boot's own is copied to a known address, then given room.
    assert not any(ln.startswith("tftpboot 0x%08x" % FDT_ADDR) for ln in lines)
    mv = lines.index("fdt move ${fdtcontroladdr} 0x%08x 0x${kst_fdt_size} || exit" % FDT_ADDR)
    assert lines.index("fdt resize 0x4000") > mv
    for ln in (r"fdt set /chosen \#address-cells <2>", r"fdt set /chosen \#size-cells <2>",
               'fdt set /chosen xen,xen-bootargs "dom0_mem=512M"',
               'fdt set /chosen xen,dom0-bootargs "console=hvc0 earlycon=xen rdinit=/init"',
               "fdt mknode /chosen module@42000000",
               'fdt set /chosen/module@42000000 compatible "multiboot,kernel" "multiboot,module"',
               "fdt set /chosen/module@42000000 reg <0x0 0x42000000 0x0 ${kst_kernel_size}>",
               "fdt mknode /chosen module@47000000",
               'fdt set /chosen/module@47000000 compatible "multiboot,ramdisk" "multiboot,module"',
               "fdt set /chosen/module@47000000 reg <0x0 0x47000000 0x0 ${kst_initrd_size}>"):
        assert ln in lines, ln
    assert lines[-1] == "booti 0x%08x - 0x%08x" % (KESTREL_ADDR, FDT_ADDR)
    listing = subprocess.run(["mkimage", "-l", str(out)], capture_output=True, text=True,
                             check=True).stdout
    assert "AArch64 Linux Script" in listing, listing


def test_zcu102_script_fetches_the_board_dtb(tmp_path):
    mkbootscr(tmp_path / "boot.scr", "--board", "zcu102", "--dom0-mem", "1G",
              "--dom0-args", "console=hvc0 root=/dev/mmcblk0p2 rw rootwait")
    lines = script_lines(tmp_path / "boot.cmd")
    assert lines.index("tftpboot 0x01e00000 board.dtb || exit") < lines.index(
        "fdt addr 0x01e00000 || exit") < lines.index("fdt resize 0x4000")
    assert not any("fdtcontroladdr" in ln for ln in lines)
    check_filesize_capture(lines, 0x02000000, "Image", "kst_kernel_size")
    check_filesize_capture(lines, 0x10000000, "initramfs.cpio.gz", "kst_initrd_size")
    assert 'fdt set /chosen xen,xen-bootargs "dom0_mem=1G"' in lines
    assert "fdt set /chosen/module@2000000 reg <0x0 0x02000000 0x0 ${kst_kernel_size}>" in lines
    assert lines[-1] == "booti 0x00200000 - 0x01e00000"


def test_options_and_environment(tmp_path):
    # Environment gives defaults, options win; no initrd leaves out its module.
    mkbootscr(tmp_path / "a.scr", "--kernel-addr", "0x50000000", "--initrd-file", "none",
              "--xen-args", "dom0_mem=256M loglvl=all", KERNEL_ADDR="0x60000000",
              KERNEL_FILE="vmlinux-dom0", TFTP_BLOCKSIZE="1468")
    lines = script_lines(tmp_path / "a.cmd")
    assert lines[1] == "setenv tftpblocksize 1468"
    check_filesize_capture(lines, 0x50000000, "vmlinux-dom0", "kst_kernel_size")
    assert 'fdt set /chosen xen,xen-bootargs "dom0_mem=256M loglvl=all"' in lines
    assert not any("multiboot,ramdisk" in ln or "initramfs" in ln for ln in lines)


@pytest.mark.parametrize("args, message", [
    (["--board", "rpi4"], "unknown board"),
    (["--fdt-addr", "0x40800000"], "kestrel (0x40400000"),     # inside Kestrel's image_size
    (["--initrd-addr", "0x43000000"], "dom0-kernel (0x42000000"),
    (["--kernel-addr", "zero"], "not a number"),
    (["--dom0-args", 'console="hvc0"'], "may not contain"),
])
def test_bad_input_is_refused(tmp_path, tftp_dir, args, message):
    r = mkbootscr(tmp_path / "x.scr", "--check", str(tftp_dir), *args, check=False)
    assert r.returncode != 0 and message in r.stderr, r.stderr
    assert not (tmp_path / "x.scr").exists()


# --- booting through U-Boot -----------------------------------------------------------

@pytest.fixture(scope="module")
def tftp_dir(tmp_path_factory):
    """The TFTP server's folder: Kestrel, dom0's kernel and initrd, and boot.scr."""
    d = tmp_path_factory.mktemp("tftp")
    for src, name in ((kestrel_qemu.KESTREL, "kestrel"), (kestrel_qemu.KERNEL, "Image"),
                      (kestrel_qemu.INITRD, "initramfs.cpio.gz")):
        assert os.path.exists(src), "%s is missing (make all guest-images)" % src
        shutil.copyfile(src, d / name)
    mkbootscr(d / "boot.scr", "--board", "qemu", "--check", str(d))
    return d


def uboot_argv(tftp):
    return ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
            "-cpu", "cortex-a57", "-m", "2G", "-smp", "1", "-nographic", "-no-reboot",
            "-bios", UBOOT,
            "-netdev", "user,id=net0,tftp=%s,bootfile=boot.scr" % tftp,
            # romfile= : QEMU's iPXE option ROM (efi-virtio.rom) is not needed by U-Boot.
            "-device", "virtio-net-pci,netdev=net0,romfile="]


class Boot:
    child = None
    uboot_log = ""      # U-Boot's output from the load command to "Starting kernel"
    kestrel_log = ""    # everything after that, up to dom0's marker line
    marker = ""         # the rest of that marker line
    load_seconds = 0.0
    boot_seconds = 0.0


def boot_to_dom0(tftp, logname):
    """Start QEMU, stop U-Boot's autoboot, run boot.scr from TFTP; wait for dom0's shell."""
    assert os.path.exists(UBOOT), "%s is missing (Debian package u-boot-qemu)" % UBOOT
    b = Boot()
    b.child = child = kestrel_qemu.spawn(uboot_argv(tftp), timeout=60, logname=logname)
    try:
        child.expect_exact("Hit any key to stop autoboot")
        child.send(" ")
        child.expect_exact(UBOOT_PROMPT)
        t0 = time.monotonic()
        # autoload=no: dhcp only configures the network; it would otherwise fetch the
        # bootfile (boot.scr) to $loadaddr on its own.
        child.sendline("setenv autoload no; dhcp && tftpboot ${scriptaddr} boot.scr && "
                       "source ${scriptaddr}")
        child.expect_exact("Starting kernel ...", timeout=LOAD_TIMEOUT)
        b.load_seconds = time.monotonic() - t0
        b.uboot_log = child.before
        # Up to the line end: the tail may not have arrived when the marker has.
        child.expect(r"KESTREL-DOM0-UP ([^\r\n]*)\r*\n", timeout=BOOT_TIMEOUT)
        b.kestrel_log = child.before
        b.marker = child.match.group(1)
        child.expect_exact(PROMPT, timeout=BOOT_TIMEOUT)
        b.boot_seconds = time.monotonic() - t0
        print("\n%s: U-Boot loads in %.1f s, dom0's prompt after %.1f s"
              % (logname, b.load_seconds, b.boot_seconds))
    except BaseException:
        child.terminate(force=True)
        raise
    return b


def poweroff(child):
    child.sendline("poweroff -f")
    child.expect_exact("(K) d0: shutdown (poweroff)", timeout=60)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0, (child.exitstatus, child.signalstatus)


@pytest.fixture(scope="module")
def boot(tftp_dir):
    """One boot with U-Boot's own DTB (the qemu profile), shared by the tests below."""
    b = boot_to_dom0(tftp_dir, "uboot")
    yield b
    if b.child.isalive():
        b.child.terminate(force=True)


def run(child, cmd, timeout=30):
    """Run @cmd in dom0's shell and return its output."""
    child.sendline('%s; echo __E""ND__' % cmd)
    child.expect_exact('__E""ND__')          # the echoed command line
    child.expect_exact("__END__", timeout=timeout)
    out = child.before
    child.expect_exact(PROMPT, timeout=timeout)
    return out.replace("\r\n", "\n").strip()


def test_uboot_loads_every_file_over_tftp(boot, tftp_dir):
    log = boot.uboot_log
    assert "Kestrel boot script (qemu)" in log
    for name in ("kestrel", "Image", "initramfs.cpio.gz"):
        assert "Filename '%s'." % name in log, name
        size = os.path.getsize(tftp_dir / name)
        assert "Bytes transferred = %d (%x hex)" % (size, size) in log, name
    # fdt_high = all ones: booti passes the DTB where the script built it.
    assert "Using Device Tree in place at %016x" % FDT_ADDR in log
    assert "ERROR" not in log


def test_kestrel_reads_the_script_built_dtb(boot, tftp_dir):
    log = boot.kestrel_log
    assert "(K) Kestrel" in log
    m = re.search(r"\(K\) Kestrel .* loaded at (0x[0-9a-f]+), DTB at (0x[0-9a-f]+)", log)
    assert m and int(m.group(1), 16) == KESTREL_ADDR and int(m.group(2), 16) == FDT_ADDR, m
    assert '(K) command line: "dom0_mem=512M"' in log
    # The initrd's size came from ${filesize} through the module's reg.
    isize = os.path.getsize(tftp_dir / "initramfs.cpio.gz")
    assert re.search(r"\(K\) dom0: kernel at 0x[0-9a-f]+, initrd at 0x[0-9a-f]+ \(%d bytes\)"
                     % isize, log), log
    assert '(K) dom0: command line "console=hvc0 earlycon=xen rdinit=/init"' in log
    assert "(K) starting dom0" in log
    assert "PANIC" not in log


def test_dom0_runs_on_xen_abi(boot):
    # dom0's /init prints "KESTREL-DOM0-UP <hypervisor type> <kernel release>".
    assert boot.marker.split()[0] == "xen", boot.marker
    assert run(boot.child, "cat /sys/hypervisor/type") == "xen"
    assert run(boot.child, "echo $((6 * 7))") == "42"


def test_poweroff_ends_qemu_with_status_0(boot):
    poweroff(boot.child)


def test_boot_with_a_dtb_file(tftp_dir, tmp_path):
    """The ZCU102 way: the script fetches the board's DTB instead of using U-Boot's.

    The DTB is QEMU's own, dumped with the very same machine options: without -bios
    QEMU describes a PL061 GPIO at 0x9030000 that a -bios machine lacks, and dom0 would
    take an external abort probing it.
    """
    for name in ("kestrel", "Image", "initramfs.cpio.gz"):
        try:
            os.link(tftp_dir / name, tmp_path / name)
        except OSError:
            shutil.copyfile(tftp_dir / name, tmp_path / name)
    argv = uboot_argv(tmp_path)
    argv[2] += ",dumpdtb=%s" % (tmp_path / "board.dtb")
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    mkbootscr(tmp_path / "boot.scr", "--board", "qemu", "--dtb-file", "board.dtb",
              "--check", str(tmp_path))
    b = boot_to_dom0(tmp_path, "uboot_dtb_file")
    try:
        size = os.path.getsize(tmp_path / "board.dtb")
        assert "Filename 'board.dtb'." in b.uboot_log
        assert "Bytes transferred = %d (%x hex)" % (size, size) in b.uboot_log
        assert "DTB at 0x%x" % FDT_ADDR in b.kestrel_log
        assert b.marker.split()[0] == "xen", b.marker
        assert run(b.child, "cat /sys/hypervisor/type") == "xen"
        poweroff(b.child)
    finally:
        if b.child.isalive():
            b.child.terminate(force=True)
