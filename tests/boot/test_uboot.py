# SPDX-License-Identifier: Apache-2.0
"""Boot Kestrel the way a board does: U-Boot fetches a boot script over TFTP, the script
fetches Kestrel, dom0's kernel and initrd, adds the /chosen module nodes and runs booti.

What is booted is what users get: `make tftproot BOARD=qemu` (run by the `tftproot`
fixture) builds build/tftproot/qemu/ with tools/mkimage-scripts/mkbootscr.sh and the
addresses of tools/mkimage-scripts/boards/qemu.conf, and QEMU's user-mode network serves
that folder over TFTP to Debian's U-Boot (u-boot-qemu 2023.01, QEMU's firmware).

The main boot types nothing: U-Boot's distro boot runs by itself after its 2 s
bootdelay. Debian's qemu_arm64 environment has boot_targets "qfw usb0 scsi0 virtio0
nvme0 dhcp"; the first four find nothing on this machine and the dhcp target runs
`dhcp ${scriptaddr} boot.scr.uimg` and `source ${scriptaddr}`. That fetched the script
and booted dom0 in all 14 runs made while writing this test, with virtio-net-pci and
virtio-net-device alike (about 2.3 s from power-on to the script, 6-11 s to dom0's
prompt on a busy 2-core host). The board flow (a DTB file fetched over TFTP, as on a ZCU102) is tested by
typing the two commands of README's "Booting on a ZCU102" section at the prompt; wrong
boot scripts (a module's size from the wrong ${filesize}, a missing module node) must
stop Kestrel with a message naming the bad /chosen node.

Time limits: pytest-timeout is not among the test dependencies, so every wait is bounded
by a pexpect timeout instead, with a wide margin for slow or busy hosts.
"""
import os
import re
import shutil
import subprocess
import time

import pexpect
import pytest

import kestrel_qemu
import test_dom0_linux as direct

TOOLS = os.path.join(kestrel_qemu.ROOT, "tools", "mkimage-scripts")
MKBOOTSCR = os.path.join(TOOLS, "mkbootscr.sh")
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
PROMPT = "dom0# "
UBOOT_PROMPT = "=> "
LOAD_TIMEOUT = 300      # from U-Boot's start to booti's "Starting kernel ..."
BOOT_TIMEOUT = 180      # from there to dom0's shell
# Environment variables mkbootscr.sh or the make rules read: not inherited by the tests.
TOOL_ENV = ("BOARD", "BOARD_DTB", "KESTREL_ADDR", "KERNEL_ADDR", "INITRD_ADDR", "FDT_ADDR",
            "KESTREL_FILE", "KERNEL_FILE", "INITRD_FILE", "DTB_FILE", "DOM0_MEM", "XEN_ARGS",
            "DOM0_ARGS", "TFTP_BLOCKSIZE", "SOURCE", "CHECK_DIR", "MAKEFLAGS", "MFLAGS",
            "MAKELEVEL")


def read_board(name):
    """NAME=VALUE pairs of boards/<name>.conf; numbers as ints, ranges as (start, size) lists."""
    values = {}
    with open(os.path.join(TOOLS, "boards", name + ".conf")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                if key in ("RAM", "RESERVED"):
                    value = [tuple(int(x, 16) for x in r.split("+")) for r in value.split(",")]
                elif key.endswith(("_ADDR", "_ROOM")):
                    value = int(value, 16)
                values[key] = value
    return values


QEMU = read_board("qemu")
ZCU102 = read_board("zcu102")
KESTREL_ADDR, FDT_ADDR = QEMU["KESTREL_ADDR"], QEMU["FDT_ADDR"]
KERNEL_ADDR, INITRD_ADDR = QEMU["KERNEL_ADDR"], QEMU["INITRD_ADDR"]


def tool_env(**env):
    e = {k: v for k, v in os.environ.items() if k not in TOOL_ENV}
    e.update(env)
    return e


def mkbootscr(out, *args, check=True, **env):
    """Run mkbootscr.sh; return the CompletedProcess (text output)."""
    return subprocess.run([MKBOOTSCR, *args, str(out)], env=tool_env(**env), capture_output=True,
                          text=True, check=check)


def make(*targets):
    """Run make in the repository (the rules users run), with no tool settings inherited."""
    r = subprocess.run(["make", "--no-print-directory", "-C", kestrel_qemu.ROOT, *targets],
                       env=tool_env(), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def script_lines(path):
    with open(path) as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def check_load(lines, addr, name, var, room):
    """@name is loaded at @addr, its size saved in @var at once and checked against @room."""
    i = lines.index('tftpboot 0x%08x %s || setenv kst_failed "${kst_failed} %s"' % (addr, name, name))
    assert lines[i + 1] == "setenv %s 0x${filesize}" % var, lines[i:i + 2]
    assert lines[i + 2].startswith("if itest ${%s} -gt 0x%08x; then echo " % (var, room)), lines[i + 2]
    assert lines[i + 2].endswith('setenv kst_failed "${kst_failed} %s"; fi' % name), lines[i + 2]


def booti_line(kestrel, fdt):
    return ('if test -n "${kst_failed}"; then echo "Kestrel boot script: not starting Kestrel; '
            'failed:${kst_failed}"; else booti 0x%08x - 0x%08x; fi' % (kestrel, fdt))


# --- the board files and the generated script ------------------------------------------

@pytest.mark.parametrize("board", [QEMU, ZCU102], ids=["qemu", "zcu102"])
def test_board_layout_is_consistent(board):
    """Independently of mkbootscr.sh: every region in one RAM bank, clear of the reserved
    ranges and of each other; Kestrel 2 MiB aligned."""
    regions = [(board[k + "_ADDR"], board[k + "_ROOM"]) for k in
               ("SCRIPT", "KESTREL", "FDT", "KERNEL", "INITRD")]
    for a, s in regions:
        assert any(r <= a and a + s <= r + rs for r, rs in board["RAM"]), hex(a)
        for r, rs in board["RESERVED"] + [x for x in regions if x != (a, s)]:
            assert a + s <= r or r + rs <= a, (hex(a), hex(r))
    assert board["KESTREL_ADDR"] % 0x200000 == 0


def test_zcu102_ram_is_the_boards():
    """The board file's DDR map is the memory node of the ZCU102's own DTB, the one
    `make tftproot BOARD=zcu102` takes from Debian's kernel package."""
    make("tftproot", "BOARD=zcu102")
    root = os.path.join(kestrel_qemu.BUILD, "tftproot", "zcu102")
    for name in ("kestrel", "Image", "initramfs.cpio.gz", "board.dtb", "boot.scr", "boot.scr.uimg"):
        assert os.path.getsize(os.path.join(root, name)) > 0, name
    dtb = os.path.join(root, "board.dtb")
    model = subprocess.run(["fdtget", dtb, "/", "model"], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert model.startswith("ZynqMP ZCU102"), model
    cells = [int(c, 16) for c in subprocess.run(["fdtget", "-tx", dtb, "/memory@0", "reg"],
                                            capture_output=True, text=True,
                                            check=True).stdout.split()]
    banks = [((cells[i] << 32 | cells[i + 1]), (cells[i + 2] << 32 | cells[i + 3]))
             for i in range(0, len(cells), 4)]
    assert banks == ZCU102["RAM"] == [(0, 0x80000000), (0x800000000, 0x80000000)]
    lines = script_lines(os.path.join(root, "boot.cmd"))
    assert lines.index("tftpboot 0x01e00000 board.dtb || "
                       'setenv kst_failed "${kst_failed} board.dtb"') < lines.index(
        'fdt addr 0x01e00000 || setenv kst_failed "${kst_failed} fdt-addr"')
    assert not any("fdtcontroladdr" in ln for ln in lines)
    check_load(lines, 0x02000000, "Image", "kst_kernel_size", 0x06000000)
    check_load(lines, 0x10000000, "initramfs.cpio.gz", "kst_initrd_size", 0x10000000)
    assert "fdt set /chosen/module@2000000 reg <0x0 0x02000000 0x0 ${kst_kernel_size}>" in lines
    assert lines[-1] == booti_line(0x00200000, 0x01e00000)


def test_qemu_script_text(tmp_path):
    out = tmp_path / "boot.scr"
    mkbootscr(out, "--board", "qemu")
    lines = script_lines(tmp_path / "boot.cmd")
    assert lines[:2] == ['echo "Kestrel boot script (qemu)"', "setenv kst_failed"]
    check_load(lines, KESTREL_ADDR, "kestrel", "kst_kestrel_size", QEMU["KESTREL_ROOM"])
    check_load(lines, KERNEL_ADDR, "Image", "kst_kernel_size", QEMU["KERNEL_ROOM"])
    check_load(lines, INITRD_ADDR, "initramfs.cpio.gz", "kst_initrd_size", QEMU["INITRD_ROOM"])
    # No DTB file: U-Boot's own is copied to a known address, then given room.
    assert not any(ln.startswith("tftpboot 0x%08x" % FDT_ADDR) for ln in lines)
    mv = lines.index('fdt move ${fdtcontroladdr} 0x%08x ${kst_fdt_size} || '
                     'setenv kst_failed "${kst_failed} fdt-move"' % FDT_ADDR)
    assert lines[mv - 1].startswith("if itest ${kst_fdt_size} -gt 0x%08x;" % (QEMU["FDT_ROOM"] - 0x8000))
    assert lines.index('fdt resize 0x4000 || setenv kst_failed "${kst_failed} fdt-resize"') > mv
    chosen = [r"fdt set /chosen \#address-cells <2>", r"fdt set /chosen \#size-cells <2>",
              'fdt set /chosen xen,xen-bootargs "dom0_mem=512M"',
              'fdt set /chosen xen,dom0-bootargs "console=hvc0 earlycon=xen rdinit=/init"',
              "fdt mknode /chosen module@42000000",
              'fdt set /chosen/module@42000000 compatible "multiboot,kernel" "multiboot,module"',
              "fdt set /chosen/module@42000000 reg <0x0 0x42000000 0x0 ${kst_kernel_size}>",
              "fdt mknode /chosen module@47000000",
              'fdt set /chosen/module@47000000 compatible "multiboot,ramdisk" "multiboot,module"',
              "fdt set /chosen/module@47000000 reg <0x0 0x47000000 0x0 ${kst_initrd_size}>",
              "fdt print /chosen"]
    i = lines.index(chosen[0])
    assert lines[i:i + len(chosen)] == chosen
    assert lines[-1] == booti_line(KESTREL_ADDR, FDT_ADDR)
    listing = subprocess.run(["mkimage", "-l", str(out)], capture_output=True, text=True,
                             check=True).stdout
    assert "AArch64 Linux Script" in listing, listing


def test_options_and_environment(tmp_path):
    # Environment gives defaults, options win; no initrd leaves out its module.
    mkbootscr(tmp_path / "a.scr", "--kernel-addr", "0x50000000", "--initrd-file", "none",
              "--xen-args", "dom0_mem=256M loglvl=all", KERNEL_ADDR="0x60000000",
              KERNEL_FILE="vmlinux-dom0", TFTP_BLOCKSIZE="1468")
    lines = script_lines(tmp_path / "a.cmd")
    assert lines[2] == "setenv tftpblocksize 1468"
    check_load(lines, 0x50000000, "vmlinux-dom0", "kst_kernel_size", QEMU["KERNEL_ROOM"])
    assert 'fdt set /chosen xen,xen-bootargs "dom0_mem=256M loglvl=all"' in lines
    assert not any("multiboot,ramdisk" in ln or "initramfs" in ln for ln in lines)


def write_board(path, **changes):
    """A copy of boards/qemu.conf with some NAME=VALUE lines replaced or added."""
    with open(os.path.join(TOOLS, "boards", "qemu.conf")) as f:
        text = f.read()
    for key, value in changes.items():
        text, n = re.subn(r"(?m)^%s=.*$" % key, "%s=%s" % (key, value), text)
        text += "" if n else "%s=%s\n" % (key, value)
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("args, message", [
    (["--board", "rpi4"], "unknown board 'rpi4'"),
    (["--fdt-addr", "0x41000000"],
     "layout: kestrel [0x40400000, 0x41c00000) overlaps DTB [0x41000000, 0x41400000)"),
    (["--initrd-addr", "0x43000000"], "layout: dom0-kernel [0x42000000, 0x47000000) overlaps"),
    (["--initrd-addr", "0xb0000000"], "overlaps reserved [0xbc000000, 0xc0000000)"),
    (["--kernel-addr", "0x30000000"], "is not inside one RAM bank"),
    (["--kestrel-addr", "0x40500000"], "not 2 MiB aligned"),
    (["--kernel-addr", "zero"], "not a number"),
    (["--dom0-args", 'console="hvc0"'], "may not contain"),
])
def test_bad_input_is_refused(tmp_path, tftproot, args, message):
    r = mkbootscr(tmp_path / "x.scr", "--check", tftproot, *args, check=False)
    assert r.returncode != 0 and message in r.stderr, r.stderr
    assert not (tmp_path / "x.scr").exists()


def test_bad_board_files_are_refused(tmp_path):
    cases = [({"KERNEL_ROOM": "0x05000001"}, "dom0-kernel [0x42000000, 0x47000001) overlaps "
              "dom0-initrd"),
             ({"FDT_ROOM": "4M"}, "FDT_ROOM: '4M' is not a number"),
             ({"RAM": "0x40000000"}, "is not start+size"),
             ({"LOADADDR": "0x40000000"}, "unknown name LOADADDR"),
             ({"SCRIPT_ADDR": "0x40200000 # scriptaddr"}, "needs one word")]
    for i, (changes, message) in enumerate(cases):
        board = write_board(tmp_path / ("b%d.conf" % i), **changes)
        r = mkbootscr(tmp_path / "x.scr", "--board", board, check=False)
        assert r.returncode != 0 and message in r.stderr, (changes, r.stderr)


def test_files_must_fit_their_rooms(tmp_path, tftproot):
    """--check: Kestrel's room must hold its Image header's image_size, not just the file."""
    for name in ("Image", "initramfs.cpio.gz"):
        os.link(os.path.join(tftproot, name), tmp_path / name)
    with open(os.path.join(tftproot, "kestrel"), "rb") as f:
        kestrel = bytearray(f.read())
    kestrel[16:24] = (QEMU["KESTREL_ROOM"] + 1).to_bytes(8, "little")    # image_size
    (tmp_path / "kestrel").write_bytes(kestrel)
    r = mkbootscr(tmp_path / "x.scr", "--check", str(tmp_path), check=False)
    assert "check: kestrel (kestrel) needs %d bytes, more than its room of %d bytes" % (
        QEMU["KESTREL_ROOM"] + 1, QEMU["KESTREL_ROOM"]) in r.stderr, r.stderr
    r = mkbootscr(tmp_path / "x.scr", "--check", str(tmp_path), "--kestrel-file", "Image",
                  check=False)       # 33 MiB in 24 MiB
    assert "check: kestrel (Image) needs" in r.stderr, r.stderr


# --- booting through U-Boot -----------------------------------------------------------

@pytest.fixture(scope="module")
def tftproot():
    """`make tftproot BOARD=qemu`: the folder a user copies to a TFTP server."""
    make("tftproot", "BOARD=qemu")
    root = os.path.join(kestrel_qemu.BUILD, "tftproot", "qemu")
    for src, name in ((kestrel_qemu.KESTREL, "kestrel"), (kestrel_qemu.KERNEL, "Image"),
                      (kestrel_qemu.INITRD, "initramfs.cpio.gz")):
        with open(src, "rb") as a, open(os.path.join(root, name), "rb") as b:
            assert a.read() == b.read(), name
    with open(os.path.join(root, "boot.scr"), "rb") as a, \
            open(os.path.join(root, "boot.scr.uimg"), "rb") as b:
        assert a.read() == b.read()
    return root


def tftp_copy(src, dst, names):
    """Put @names from @src into @dst (hard links where possible)."""
    for name in names:
        try:
            os.link(os.path.join(src, name), dst / name)
        except OSError:
            shutil.copyfile(os.path.join(src, name), dst / name)


def uboot_argv(tftp, nic="virtio-net-device"):
    return ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
            "-cpu", "cortex-a57", "-m", "2G", "-smp", "1", "-nographic", "-echr", "20", "-no-reboot",
            "-bios", UBOOT, "-netdev", "user,id=net0,tftp=%s" % tftp,
            "-device", "%s,netdev=net0" % nic]


class Boot:
    child = None
    uboot_log = ""      # U-Boot's output from the script's start to "Starting kernel"
    kestrel_log = ""    # everything after that, up to dom0's marker line
    marker = ""         # the rest of that marker line
    boot_seconds = 0.0


def uboot_start(tftp, logname, commands=(), nic="virtio-net-device"):
    """Start QEMU with U-Boot. With @commands, stop autoboot and type them; else let
    distro boot find boot.scr.uimg. Return the pexpect child once the script runs."""
    assert os.path.exists(UBOOT), "%s is missing (Debian package u-boot-qemu)" % UBOOT
    child = kestrel_qemu.spawn(uboot_argv(tftp, nic), timeout=60, logname=logname)
    try:
        child.expect_exact("Hit any key to stop autoboot")
        if commands:
            child.send(" ")
            for cmd in commands:
                child.expect_exact(UBOOT_PROMPT)
                child.sendline(cmd)
        child.expect_exact("Kestrel boot script (qemu)", timeout=LOAD_TIMEOUT)
    except BaseException:
        child.terminate(force=True)
        raise
    return child


def boot_to_dom0(tftp, logname, commands=(), nic="virtio-net-device"):
    """U-Boot runs boot.scr from TFTP; wait for dom0's shell."""
    b = Boot()
    t0 = time.monotonic()
    b.child = child = uboot_start(tftp, logname, commands, nic)
    try:
        child.expect_exact("Starting kernel ...", timeout=LOAD_TIMEOUT)
        b.uboot_log = child.before
        # Up to the line end: the tail may not have arrived when the marker has.
        child.expect(r"KESTREL-DOM0-UP ([^\r\n]*)\r*\n", timeout=BOOT_TIMEOUT)
        b.kestrel_log = child.before
        b.marker = child.match.group(1)
        child.expect_exact(PROMPT, timeout=BOOT_TIMEOUT)
        b.boot_seconds = time.monotonic() - t0
        print("\n%s: dom0's prompt %.1f s after QEMU started" % (logname, b.boot_seconds))
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
def boot(tftproot):
    """One distro boot of the `make tftproot` folder, nothing typed, shared by the tests below."""
    b = boot_to_dom0(tftproot, "uboot")
    b.dom0 = direct.Dom0(b.child)
    b.dom0.quiet_console()
    b.dom0.boot_log = b.kestrel_log
    b.dom0.cpus = 1
    yield b
    if b.child.isalive():
        b.child.terminate(force=True)


def test_distro_boot_loads_every_file_over_tftp(boot, tftproot):
    log = boot.uboot_log
    for name in ("kestrel", "Image", "initramfs.cpio.gz"):
        assert "Filename '%s'." % name in log, name
        size = os.path.getsize(os.path.join(tftproot, name))
        assert "Bytes transferred = %d (%x hex)" % (size, size) in log, name
    # fdt_high = all ones: booti passes the DTB where the script built it.
    assert "Using Device Tree in place at %016x" % FDT_ADDR in log
    assert "ERROR" not in log and "more than its room" not in log and "not starting" not in log


def chosen_printed(log):
    """The /chosen node as the script's `fdt print /chosen` showed it: {path: {prop: value}}."""
    m = re.search(r"^chosen \{\r*\n(.*?)^\};", log, re.MULTILINE | re.DOTALL)
    assert m, log
    nodes, path = {"/chosen": {}}, "/chosen"
    for line in m.group(1).splitlines():
        line = line.strip()
        if line.endswith("{"):
            path = "/chosen/" + line[:-1].strip()
            nodes[path] = {}
        elif line == "};":
            path = "/chosen"
        elif "=" in line:
            key, value = line.rstrip(";").split(" = ", 1)
            nodes[path][key] = value
    return nodes


def test_chosen_is_what_kestrel_reads(boot, tftproot):
    """The /chosen the script built (U-Boot's own print of it) holds exactly the entries
    of Kestrel's binding (dts/kestrel-chosen-example.dtsi), the sizes are the files', and
    Kestrel reports those very modules."""
    nodes = chosen_printed(boot.uboot_log)
    ksize = os.path.getsize(os.path.join(tftproot, "Image"))
    isize = os.path.getsize(os.path.join(tftproot, "initramfs.cpio.gz"))
    chosen = nodes["/chosen"]
    assert chosen["#address-cells"] == chosen["#size-cells"] == "<0x00000002>"
    assert chosen["xen,xen-bootargs"] == '"dom0_mem=512M"'
    assert chosen["xen,dom0-bootargs"] == '"console=hvc0 earlycon=xen rdinit=/init"'
    assert nodes["/chosen/module@42000000"] == {
        "compatible": '"multiboot,kernel", "multiboot,module"',
        "reg": "<0x00000000 0x42000000 0x00000000 0x%08x>" % ksize}
    assert nodes["/chosen/module@47000000"] == {
        "compatible": '"multiboot,ramdisk", "multiboot,module"',
        "reg": "<0x00000000 0x47000000 0x00000000 0x%08x>" % isize}
    assert sorted(p for p in nodes if p != "/chosen") == ["/chosen/module@42000000",
                                                          "/chosen/module@47000000"]
    log = boot.kestrel_log
    m = re.search(r"\(K\) Kestrel .* loaded at (0x[0-9a-f]+), DTB at (0x[0-9a-f]+)", log)
    assert m and int(m.group(1), 16) == KESTREL_ADDR and int(m.group(2), 16) == FDT_ADDR, m
    assert '(K) command line: "dom0_mem=512M"' in log
    assert re.search(r"\(K\) dom0: kernel at 0x[0-9a-f]+, initrd at 0x[0-9a-f]+ \(%d bytes\)"
                     % isize, log), log
    assert '(K) dom0: command line "console=hvc0 earlycon=xen rdinit=/init"' in log
    assert "PANIC" not in log


def test_hypervisor_version_on_hvc0(boot):
    assert boot.marker.split()[0] == "xen", boot.marker
    assert boot.dom0.run("cat /sys/hypervisor/version/major") == "4"


# The direct-boot test's checks of dom0 (test_dom0_linux.py), on this boot.
@pytest.mark.parametrize("check", [
    direct.test_hypervisor_banner_is_prefixed, direct.test_init_runs_on_hvc0,
    direct.test_sys_hypervisor, direct.test_every_vcpu_is_up,
    direct.test_typing_reaches_the_shell, direct.test_serial_input_keeps_flowing,
    direct.test_xen_drivers_initialised, direct.test_kernel_log_is_clean,
], ids=lambda f: f.__name__[len("test_"):])
def test_dom0_as_in_direct_boot(boot, check):
    check(boot.dom0)


def test_poweroff_ends_qemu_with_status_0(boot):
    poweroff(boot.child)


# The two commands of README's "Booting on a ZCU102" (QEMU's DHCP server is the TFTP server).
BOARD_COMMANDS = ("setenv autoload no; dhcp; setenv serverip 10.0.2.2",
                  "tftpboot ${scriptaddr} boot.scr; source ${scriptaddr}")


def test_board_flow_with_a_dtb_file(tftproot, tmp_path):
    """The ZCU102 way: the two README commands typed, and the script fetches the board's
    DTB (board.dtb) instead of using U-Boot's.

    The DTB is QEMU's own, dumped with the very same machine options: without -bios
    QEMU describes a PL061 GPIO at 0x9030000 that a -bios machine lacks, and dom0 would
    take an external abort probing it.
    """
    tftp_copy(tftproot, tmp_path, ("kestrel", "Image", "initramfs.cpio.gz"))
    argv = uboot_argv(tmp_path, "virtio-net-pci,romfile=")
    argv[2] += ",dumpdtb=%s" % (tmp_path / "board.dtb")
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    mkbootscr(tmp_path / "boot.scr", "--board", "qemu", "--dtb-file", "board.dtb",
              "--check", str(tmp_path))
    b = boot_to_dom0(tmp_path, "uboot_dtb_file", BOARD_COMMANDS, "virtio-net-pci,romfile=")
    try:
        size = os.path.getsize(tmp_path / "board.dtb")
        assert "Filename 'board.dtb'." in b.uboot_log
        assert "Bytes transferred = %d (%x hex)" % (size, size) in b.uboot_log
        assert "DTB at 0x%x" % FDT_ADDR in b.kestrel_log
        assert b.marker.split()[0] == "xen", b.marker
        assert direct.Dom0(b.child).run("cat /sys/hypervisor/version/major") == "4"
        poweroff(b.child)
    finally:
        if b.child.isalive():
            b.child.terminate(force=True)


KERNEL_REG = "fdt set /chosen/module@42000000 reg <0x0 0x42000000 0x0 ${kst_kernel_size}>"


@pytest.mark.parametrize("old, new, message", [
    # The kernel's reg takes the size saved from another load: a truncated kernel.
    (KERNEL_REG, KERNEL_REG.replace("kst_kernel_size", "kst_initrd_size"),
     "/chosen/module@42000000: dom0 kernel truncated: reg size 0x{initramfs.cpio.gz:x}, "
     "Image file 0x"),
    (KERNEL_REG, KERNEL_REG.replace("kst_kernel_size", "kst_kestrel_size"),
     "/chosen/module@42000000: dom0 kernel truncated: reg size 0x{kestrel:x}, Image file 0x"),
    # One address and one size cell, as in a script for a /chosen with cells of 1.
    (KERNEL_REG, "fdt set /chosen/module@42000000 reg <0x42000000 ${kst_kernel_size}>",
     '/chosen/module@42000000: no valid "reg"'),
    # No kernel module node at all (only the initrd's).
    ("fdt mknode /chosen module@42000000\n", "", "/chosen: no dom0 kernel"),
], ids=["initrd_size", "kestrel_size", "reg_cells", "no_kernel_node"])
def test_wrong_script_stops_kestrel_naming_the_node(tftproot, tmp_path, request, old, new,
                                                   message):
    """A boot script gone wrong, run by distro boot: Kestrel stops with a message that
    starts with the bad node, and resets (QEMU exits) instead of starting a broken dom0."""
    tftp_copy(tftproot, tmp_path, ("kestrel", "Image", "initramfs.cpio.gz"))
    with open(os.path.join(tftproot, "boot.cmd")) as f:
        text = f.read()
    assert old in text
    if not new:     # the node's other lines go with it
        text = "\n".join(ln for ln in text.splitlines() if "module@42000000" not in ln)
    (tmp_path / "boot.cmd").write_text(text.replace(old, new))
    subprocess.run(["mkimage", "-A", "arm64", "-T", "script", "-C", "none", "-d",
                    str(tmp_path / "boot.cmd"), str(tmp_path / "boot.scr.uimg")],
                   check=True, capture_output=True)
    sizes = {n: os.path.getsize(os.path.join(tftproot, n)) for n in ("kestrel", "initramfs.cpio.gz")}
    message = message.replace("{initramfs.cpio.gz:x}", "%x" % sizes["initramfs.cpio.gz"]).replace(
        "{kestrel:x}", "%x" % sizes["kestrel"])
    child = uboot_start(tmp_path, "uboot_bad_script_" + request.node.callspec.id)
    try:
        child.expect(r"\(K\) PANIC: ([^\r\n]*)\r*\n", timeout=LOAD_TIMEOUT)
        line = child.match.group(1)
        assert line.startswith(message), line
        child.expect_exact("(K) Resetting the system.")
        child.expect(pexpect.EOF, timeout=60)
        assert "KESTREL-DOM0-UP" not in child.before
    finally:
        if child.isalive():
            child.terminate(force=True)


def test_distro_boot_with_a_domu(tftproot, tmp_path):
    """The script generator's --domu options: U-Boot loads a domU's kernel and partial DT
    (dts/passthrough-pl031.dts) over TFTP into the board's DOMU_ADDR region, writes its
    /chosen/domU1 node, and Kestrel builds it beside dom0 (the ktest guest: it reads and
    takes the interrupts of the PL031 passed through to it, then powers off)."""
    tftp_copy(tftproot, tmp_path, ("kestrel", "Image", "initramfs.cpio.gz"))
    shutil.copyfile(os.path.join(kestrel_qemu.BUILD, "guests", "ktest.img"), tmp_path / "ktest.img")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(tmp_path / "partial.dtb"),
                    os.path.join(kestrel_qemu.ROOT, "dts", "passthrough-pl031.dts")], check=True)
    mkbootscr(tmp_path / "boot.scr.uimg", "--board", "qemu", "--check", str(tmp_path),
              "--source", str(tmp_path / "boot.cmd"), "--domu", "domU1", "--domu-kernel", "ktest.img",
              "--domu-dtb", "partial.dtb", "--domu-memory", "32768", "--domu-args", "ktest.passthrough")
    domu_addr = read_board("qemu")["DOMU_ADDR"]
    b = boot_to_dom0(tmp_path, "uboot_domu")
    try:
        size = os.path.getsize(tmp_path / "ktest.img")
        assert "Filename 'ktest.img'." in b.uboot_log and "Filename 'partial.dtb'." in b.uboot_log
        assert "Bytes transferred = %d (%x hex)" % (size, size) in b.uboot_log
        # U-Boot's `fdt print /chosen`: the domU node with its modules where the script put them.
        node = re.search(r"domU1 \{([^}]*)", b.uboot_log)
        assert node, b.uboot_log[-3000:]
        assert 'compatible = "xen,domain";' in node.group(1) and "memory = <0x00000000 0x00008000>;" in node.group(1)
        assert "module@%x {" % domu_addr in b.uboot_log
        assert "module@%x {" % (domu_addr + 0x200000) in b.uboot_log       # the next 2 MiB
        log = b.kestrel_log
        assert "/chosen/domU1: passthrough rtc@10000000: 1 range(s) from 0x9010000 at IPA 0x10000000, " \
               "1 SPI(s)" in log, log[-3000:]
        text = b.kestrel_log
        if "(d1) KTEST DONE" not in text:       # the domU may finish after dom0 is up
            b.child.expect_exact("(d1) KTEST DONE", timeout=BOOT_TIMEOUT)
            text += b.child.before
        for check in ("passthrough_id_registers", "passthrough_spi_delivered", "passthrough_only_its_range"):
            assert "(d1) KTEST %s PASS" % check in text, check
        b.child.sendline("")
        b.child.expect_exact(PROMPT)
        assert direct.Dom0(b.child).run("cat /sys/hypervisor/version/major") == "4"
        poweroff(b.child)
    finally:
        if b.child.isalive():
            b.child.terminate(force=True)


def test_domu_options_are_checked(tmp_path):
    for args, message in (
            (["--domu-kernel", "x"], "--domu-kernel before any --domu NAME"),
            (["--domu", "d/1"], "is not a node name"),
            (["--domu", "domU1"], "--domu domU1: no --domu-kernel"),
            (["--domu", "domU1", "--domu-kernel", "k", "--domu-memory", "5"], "not a positive multiple of 4 KiB"),
            (["--domu", "domU1", "--domu-kernel", "k", "--domu-cpus", "0"], "cpus is 0"),
            (["--domu", "domU1", "--domu-kernel", "k", "--domu-enhanced", "yes"], "is not enabled or no-xenstore"),
            (["--domu", "domU1", "--domu-kernel", "k", "--domu", "domU1"], "domU1 given twice")):
        r = mkbootscr(tmp_path / "x.scr", "--board", "qemu", *args, check=False)
        assert r.returncode != 0 and message in r.stderr, (args, r.stderr)
