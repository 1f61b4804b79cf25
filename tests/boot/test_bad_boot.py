# SPDX-License-Identifier: Apache-2.0
"""Bad boot input stops Kestrel with a message naming the problem, and QEMU exits.

Kestrel resets the machine after a boot-time panic (QEMU runs with -no-reboot, so
the reset ends it): nothing hangs. Each case checks the message and the exit.
"""
import gzip
import os
import shutil
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
    line = boot_expect_panic("no dom0 kernel", "bad_no_module", kernel=None, initrd=None)
    assert "multiboot,kernel" in line


def test_module_is_not_an_arm64_image():
    # busybox is an ELF executable, not an Image.
    line = boot_expect_panic("is not an arm64 Image", "bad_not_image",
                             kernel=os.path.join(kestrel_qemu.CACHE, "busybox"), initrd=None)
    assert "dom0 kernel module at 0x42000000" in line


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
    boot_expect_panic('no "arm,gic-v3" interrupt controller', "bad_dtb_gic",
                      initrd=None, extra=["-dtb", str(host_dtb)])


def test_dtb_module_without_reg(host_dtb):
    subprocess.run(["fdtput", "-c", str(host_dtb), "/chosen/module@1"], check=True)
    subprocess.run(["fdtput", "-t", "s", str(host_dtb), "/chosen/module@1", "compatible",
                    "multiboot,ramdisk", "multiboot,module"], check=True)
    boot_expect_panic('boot module module@1 has no valid "reg"', "bad_dtb_module",
                      initrd=None, extra=["-dtb", str(host_dtb)])
