# SPDX-License-Identifier: Apache-2.0
"""QEMU command lines for dom0less boots: dom0 and domUs described in the host DT.

QEMU's guest-loader can only add /chosen/module@ nodes, so the host DTB is made here:
QEMU dumps its own (-machine dumpdtb=), dtc turns it into source, a /chosen fragment
with dom0's modules and one "xen,domain" node per domU (Xen 4.17
docs/misc/arm/device-tree/booting.txt) is appended, and dtc compiles it back; QEMU then
boots with -dtb and places each module with -device loader at the address its node says.
"""
import os
import subprocess

import kestrel_qemu

MODULE_BASE = 0x49000000     # first module (QEMU puts its DTB at 0x48000000); then each 2 MiB aligned
ALIGN = 0x200000


def _machine(smp, mem, cpu, gic):
    return ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=%d" % gic,
            "-cpu", cpu, "-smp", str(smp), "-m", mem, "-nographic", "-echr", "20", "-no-reboot", "-net", "none"]


def _node(name, compat, addr, size, bootargs=None):
    lines = ["%s@%x {" % (name, addr),
             '\tcompatible = %s, "multiboot,module";' % compat,
             "\treg = <0x%x 0x%x 0x%x 0x%x>;" % (addr >> 32, addr & 0xffffffff, size >> 32, size & 0xffffffff)]
    if bootargs is not None:
        lines.append('\tbootargs = "%s";' % bootargs)
    return "\n".join(lines) + "\n};\n"


def build(workdir, domus, dom0_args="console=hvc0 earlycon=xen rdinit=/init",
          dom0_kernel=kestrel_qemu.KERNEL, dom0_initrd=kestrel_qemu.INITRD,
          xen_args="dom0_mem=512M", smp=2, mem="2G", cpu="cortex-a57", gic=3, extra=()):
    """Return the QEMU argv booting Kestrel with dom0 and @domus.

    domus: list of dicts with keys name, kernel, and optionally ramdisk, bootargs, memory_kib
    (default 262144), cpus (1), vpl011 (True), enhanced (None = absent, else the string),
    extra_props (list of raw DTS lines for the domU node), partial_dtb (a partial device
    tree for passthrough: its "multiboot,device-tree" module).
    """
    os.makedirs(workdir, exist_ok=True)
    base_dtb = os.path.join(workdir, "base.dtb")
    machine = _machine(smp, mem, cpu, gic)
    m = list(machine)
    m[2] += ",dumpdtb=" + base_dtb
    subprocess.run(m + ["-kernel", kestrel_qemu.KESTREL], check=True, capture_output=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base_dtb], check=True,
                         capture_output=True, text=True).stdout

    loaders, addr = [], MODULE_BASE

    def place(path):
        nonlocal addr
        at, size = addr, os.path.getsize(path)
        loaders.extend(["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path, at)])
        addr = (at + size + ALIGN - 1) // ALIGN * ALIGN
        return at, size

    chosen = ["/ {", "chosen {", "#address-cells = <2>;", "#size-cells = <2>;"]
    if dom0_kernel:
        chosen.append(_node("module", '"multiboot,kernel"', *place(dom0_kernel), bootargs=dom0_args))
    if dom0_initrd:
        chosen.append(_node("module", '"multiboot,ramdisk"', *place(dom0_initrd)))
    for d in domus:
        mem_kib = d.get("memory_kib", 262144)
        props = ['compatible = "xen,domain";', "#address-cells = <2>;", "#size-cells = <2>;",
                 "memory = <0x%x 0x%x>;" % (mem_kib >> 32, mem_kib & 0xffffffff),
                 "cpus = <%d>;" % d.get("cpus", 1)]
        if d.get("vpl011", True):
            props.append("vpl011;")
        if d.get("enhanced") is not None:
            props.append('xen,enhanced = "%s";' % d["enhanced"])
        props += d.get("extra_props", [])
        body = "\n".join(props) + "\n"
        body += _node("module", '"multiboot,kernel"', *place(d["kernel"]), bootargs=d.get("bootargs", ""))
        if d.get("ramdisk"):
            body += _node("module", '"multiboot,ramdisk"', *place(d["ramdisk"]))
        if d.get("partial_dtb"):
            body += _node("module", '"multiboot,device-tree"', *place(d["partial_dtb"]))
        chosen.append("%s {\n%s};" % (d["name"], body))
    chosen += ["};", "};"]
    dts_path = os.path.join(workdir, "host.dts")
    with open(dts_path, "w") as f:
        f.write(dts + "\n" + "\n".join(chosen) + "\n")
    dtb = os.path.join(workdir, "host.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts_path], check=True)
    return machine + ["-kernel", kestrel_qemu.KESTREL, "-append", xen_args, "-dtb", dtb] + loaders + list(extra)


def expect_all(child, wanted, timeout=-1):
    """Wait until every regex of @wanted ({regex: times}) has matched that many times, in
    whatever order the domains print them; return the text read, matches included."""
    left, text = dict(wanted), ""
    while any(left.values()):
        pats = [p for p, n in left.items() if n]
        i = child.expect(pats, timeout=timeout)
        text += child.before + child.after
        left[pats[i]] -= 1
    return text
