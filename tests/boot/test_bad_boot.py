# SPDX-License-Identifier: Apache-2.0
"""Bad boot input stops Kestrel with a message naming the problem, and QEMU exits.

Kestrel resets the machine after a boot-time panic (QEMU runs with -no-reboot, so
the reset ends it): nothing hangs. Each case checks the message and the exit.
"""
import gzip
import os
import shutil
import struct
import subprocess

import pexpect
import pytest

import kestrel_qemu


def boot_expect_panic(message, logname, **kw):
    child = kestrel_qemu.spawn(kestrel_qemu.qemu_argv(**kw), timeout=60, logname=logname)
    child.expect(r"\(K\) PANIC: ([^\r\n]*)\r*\n")
    line = child.match.group(1)
    assert message in line, line
    child.expect_exact("(K) Resetting the system.")
    child.expect(pexpect.EOF)  # QEMU exits: no hang
    child.close()
    return line


def test_no_dom0_module():
    # A /chosen without any module@* node.
    line = boot_expect_panic("no dom0 kernel", "bad_no_module", kernel=None, initrd=None)
    assert line.startswith("/chosen: ") and "multiboot,kernel" in line, line


def test_module_is_not_an_arm64_image():
    # busybox is an ELF executable, not an Image.
    line = boot_expect_panic("is not an arm64 Image", "bad_not_image",
                             kernel=os.path.join(kestrel_qemu.CACHE, "busybox"), initrd=None)
    assert line.startswith("/chosen/module@0x42000000: dom0 kernel at 0x42000000 "), line


def test_gzip_compressed_kernel_is_named(tmp_path):
    gz = tmp_path / "Image.gz"
    with open(kestrel_qemu.KERNEL, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
    boot_expect_panic("gzip-compressed", "bad_gzip", kernel=str(gz), initrd=None)


def test_dom0_mem_larger_than_ram():
    line = boot_expect_panic("is larger than the machine's RAM", "bad_dom0_mem",
                             xen_args="dom0_mem=4G", initrd=None)
    assert "dom0_mem=4096M" in line and "2048M" in line


def test_dom0_mem_not_a_size():
    boot_expect_panic("dom0_mem=lots: expected a size", "bad_dom0_mem_syntax",
                      xen_args="dom0_mem=lots", initrd=None)


def test_dom0_max_vcpus_not_a_number():
    boot_expect_panic("dom0_max_vcpus=0: expected a number of vCPUs from 1", "bad_dom0_vcpus",
                      xen_args="dom0_max_vcpus=0", initrd=None)


def test_dom0_mem_too_small_for_the_kernel():
    boot_expect_panic("is too small for the kernel", "bad_dom0_mem_small",
                      xen_args="dom0_mem=16M")


@pytest.fixture
def host_dtb(tmp_path):
    """QEMU virt's own DTB, dumped, for editing with fdtput."""
    dtb = tmp_path / "virt.dtb"
    argv = kestrel_qemu.qemu_argv(initrd=None) + ["-machine", "dumpdtb=%s" % dtb]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    return dtb


def test_dtb_without_gic(host_dtb):
    subprocess.run(["fdtput", "-r", str(host_dtb), "/intc@8000000"], check=True)
    boot_expect_panic('no "arm,gic-v3" or GICv2', "bad_dtb_gic",
                      initrd=None, extra=["-dtb", str(host_dtb)])


def test_gicv2_node_without_gich_gicv(tmp_path):
    """A GICv2 node whose "reg" lacks GICH and GICV (no virtualization extensions): a clear stop."""
    dtb = tmp_path / "virt-gicv2.dtb"
    argv = kestrel_qemu.qemu_argv(initrd=None, gic=2) + ["-machine", "dumpdtb=%s" % dtb]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    subprocess.run(["fdtput", "-t", "x", str(dtb), "/intc@8000000", "reg",
                    "0", "8000000", "0", "10000", "0", "8010000", "0", "10000"], check=True)
    boot_expect_panic('GICv2 node intc@8000000 lacks "reg" entry 2 (GICD, GICC, GICH, GICV)',
                      "bad_dtb_gicv2", initrd=None, extra=["-dtb", str(dtb)], gic=2)


def test_dtb_module_without_reg(host_dtb):
    subprocess.run(["fdtput", "-c", str(host_dtb), "/chosen/module@1"], check=True)
    subprocess.run(["fdtput", "-t", "s", str(host_dtb), "/chosen/module@1", "compatible",
                    "multiboot,ramdisk", "multiboot,module"], check=True)
    boot_expect_panic('/chosen/module@1: no valid "reg"', "bad_dtb_module",
                      initrd=None, extra=["-dtb", str(host_dtb)])


# --- module nodes a wrong boot script writes ---------------------------------------------
# QEMU's guest-loader names its nodes module@0x<address>; a U-Boot script, module@<address>.
KMOD = "/chosen/module@0x%x" % kestrel_qemu.KERNEL_ADDR
IMOD = "/chosen/module@0x%x" % kestrel_qemu.INITRD_ADDR


@pytest.fixture
def modules_dtb(tmp_path):
    """QEMU virt's DTB with guest-loader's kernel and initrd module nodes, for fdtput.

    Booted with -dtb, QEMU still loads the files at their addresses but leaves the
    given DTB's /chosen as it is.
    """
    dtb = tmp_path / "modules.dtb"
    argv = kestrel_qemu.qemu_argv() + ["-machine", "dumpdtb=%s" % dtb]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    return dtb


def set_reg(dtb, node, addr, size):
    """Write @node's reg as two address and two size cells (QEMU virt's /chosen inherits 2/2)."""
    cells = [addr >> 32, addr & 0xffffffff, size >> 32, size & 0xffffffff]
    subprocess.run(["fdtput", "-t", "x", str(dtb), node, "reg"] + ["%x" % c for c in cells],
                   check=True)


def image_file_end(path):
    """End of the raw data of the PE/COFF sections of an EFI-stub arm64 Image (PE format:
    COFF header after "PE\\0\\0" at the offset in header byte 60; 40-byte section headers)."""
    with open(path, "rb") as f:
        b = f.read(4096)
    pe = struct.unpack_from("<I", b, 60)[0]
    assert b[pe:pe + 4] == b"PE\0\0"
    nsec, optsz = struct.unpack_from("<H", b, pe + 6)[0], struct.unpack_from("<H", b, pe + 20)[0]
    sec = pe + 24 + optsz
    return max(sum(struct.unpack_from("<II", b, sec + 40 * i + 16)) for i in range(nsec))


def boot_edited(dtb, message, logname):
    line = boot_expect_panic(message, logname, extra=["-dtb", str(dtb)])
    assert line.startswith("/chosen"), line
    return line


def test_module_size_zero(modules_dtb):
    set_reg(modules_dtb, KMOD, kestrel_qemu.KERNEL_ADDR, 0)
    boot_edited(modules_dtb, KMOD + ": reg size is 0", "bad_size_zero")


def test_kernel_size_smaller_than_its_header(modules_dtb):
    set_reg(modules_dtb, KMOD, kestrel_qemu.KERNEL_ADDR, 0x20)
    boot_edited(modules_dtb, KMOD + ": dom0 kernel at 0x42000000 (0x20 bytes) is too small to "
                "hold an arm64 Image header", "bad_size_header")


@pytest.mark.parametrize("size", [0x1000, os.path.getsize(kestrel_qemu.INITRD)],
                         ids=["4KiB", "initrd_size"])
def test_kernel_size_smaller_than_the_image(modules_dtb, size):
    """The kernel's reg holds a size that is not the Image's: say, the initrd's, as a
    script that saves the wrong ${filesize} writes. Kestrel finds the Image's length in
    its PE/COFF header and refuses the truncated kernel."""
    set_reg(modules_dtb, KMOD, kestrel_qemu.KERNEL_ADDR, size)
    boot_edited(modules_dtb, "%s: dom0 kernel truncated: reg size 0x%x, Image file 0x%x bytes"
                % (KMOD, size, image_file_end(kestrel_qemu.KERNEL)), "bad_size_truncated_%x" % size)


def test_module_size_past_the_end_of_ram(modules_dtb):
    set_reg(modules_dtb, IMOD, kestrel_qemu.INITRD_ADDR, 0x80000000)
    boot_edited(modules_dtb, IMOD + ": 0x47000000+0x80000000 runs past the end of its RAM "
                "bank (0x40000000-0xc0000000)", "bad_size_past_ram")


def test_module_size_overlapping_the_next_module(modules_dtb):
    size = kestrel_qemu.INITRD_ADDR - kestrel_qemu.KERNEL_ADDR + 1
    set_reg(modules_dtb, KMOD, kestrel_qemu.KERNEL_ADDR, size)
    line = boot_edited(modules_dtb, " overlaps /chosen/module@", "bad_size_overlap")
    # Both nodes named (the first in tree order first), and the wrong size shown.
    assert line.startswith((KMOD + ": ", IMOD + ": ")), line
    assert KMOD in line and IMOD in line and "0x42000000+0x%x" % size in line, line


def test_module_node_without_compatible(modules_dtb):
    subprocess.run(["fdtput", "-d", str(modules_dtb), IMOD, "compatible"], check=True)
    boot_edited(modules_dtb, IMOD + ': no "multiboot,kernel", "multiboot,ramdisk" or '
                '"multiboot,module" in its compatible', "bad_module_compatible")


def test_only_a_ramdisk_module(modules_dtb):
    subprocess.run(["fdtput", "-r", str(modules_dtb), KMOD], check=True)
    boot_edited(modules_dtb, "/chosen: no dom0 kernel", "bad_only_ramdisk")


def add_domu(dtb, memory_kib=0x20000, kernel=(0x50000000, 0x1000000)):
    """A dom0less /chosen/domU1 node (Xen docs/misc/arm/device-tree/booting.txt) with a kernel
    module child at @kernel (address, size); docs/dom0less.md."""
    node, mod = "/chosen/domU1", "/chosen/domU1/module@k"

    def put(*args):
        subprocess.run(["fdtput", str(dtb)] + list(args), check=True)
    put("-c", node)
    put("-t", "s", node, "compatible", "xen,domain")
    put("-t", "x", node, "#address-cells", "2")
    put("-t", "x", node, "#size-cells", "2")
    put("-t", "x", node, "memory", "0", "%x" % memory_kib)
    put("-t", "x", node, "cpus", "1")
    put("-c", mod)
    subprocess.run(["fdtput", "-t", "s", str(dtb), mod, "compatible", "multiboot,kernel",
                    "multiboot,module"], check=True)
    set_reg(dtb, mod, *kernel)


def test_domu_memory_zero(modules_dtb):
    add_domu(modules_dtb, memory_kib=0)
    boot_edited(modules_dtb, "/chosen/domU1: memory is 0", "bad_domu_memory_zero")


def test_domu_module_overlapping_dom0_kernel(modules_dtb):
    add_domu(modules_dtb, kernel=(kestrel_qemu.KERNEL_ADDR + 0x1000, 0x1000))
    boot_edited(modules_dtb, "/chosen/domU1/module@k: 0x%x+0x1000 overlaps %s"
                % (kestrel_qemu.KERNEL_ADDR + 0x1000, KMOD), "bad_domu_overlap")
