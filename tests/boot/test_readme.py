# SPDX-License-Identifier: Apache-2.0
"""The README's own QEMU commands, run as a new user would (from the repository root, after
`make run` fetched cache/): every `qemu-system-aarch64` command in a ```sh block names its
network (QEMU's default NIC needs the ipxe-qemu romfile "efi-virtio.rom", which the
install step does not bring), and the "Booting on QEMU" command boots dom0 to its shell.
"""
import os
import re
import shlex

import kestrel_qemu

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "README.md")


def readme_qemu_commands():
    """Each qemu-system-aarch64 command of the README's ```sh blocks, continuation lines joined."""
    text = open(README).read()
    cmds = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        cmds += [l.strip() for l in joined.splitlines() if l.strip().startswith("qemu-system-aarch64")]
    return cmds


def test_readme_qemu_commands_name_their_network():
    cmds = readme_qemu_commands()
    assert len(cmds) >= 2, cmds
    for cmd in cmds:
        argv = shlex.split(cmd)
        assert ("-net" in argv and argv[argv.index("-net") + 1] == "none") or "-netdev" in argv, cmd


def test_readme_boot_command_reaches_dom0_shell():
    cmd = readme_qemu_commands()[0]
    assert "kernel=cache/Image" in cmd, cmd
    argv = shlex.split(cmd)
    cwd = os.getcwd()
    os.chdir(ROOT)      # the README's paths are relative to the repository root
    try:
        child = kestrel_qemu.spawn(argv, timeout=180, logname="readme_boot")
    finally:
        os.chdir(cwd)
    try:
        child.expect_exact("KESTREL-DOM0-UP")
        child.expect_exact("dom0# ")
    finally:
        child.terminate(force=True)
