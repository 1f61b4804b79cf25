# SPDX-License-Identifier: Apache-2.0
"""Boot Debian's own arm64 Linux as dom0 on Kestrel and check it from its shell on hvc0.

One QEMU boot serves the whole module: the kernel log and every command's output are
read from the single serial line, where Kestrel's own messages carry "(K) ".
"""
import os
import re

import pytest

import dom0less
import kestrel_qemu

PROMPT = "dom0# "
# Markers of trouble in dom0's kernel log (the issue's list), and errors from Xen drivers.
BAD_LOG = re.compile(r"\bBUG\b|Oops|WARNING|Call trace|Kernel panic")
XEN_DRIVER_ERROR = re.compile(r"^.*\b(xen|Xen|XEN)\b.*\b(fail|Fail|FAIL|error|Error|ERROR)\b.*$",
                              re.MULTILINE)
PCI_ADD_ERROR = "Failed to add - passthrough or MSI/MSI-X might fail"
# A line a domU printed: Kestrel prints a domU's output that does not hold input a whole
# line at a time, prefixed, possibly in the middle of one of dom0's (dom0's hvc0 output is
# raw, as on Xen); cutting these out leaves dom0's own output whole.
DOMU_LINE = re.compile(r"\(d[1-9]\d*\) [^\n]*\n")


class Dom0:
    def __init__(self, child):
        self.child = child
        self.boot_log = ""

    def run(self, cmd, timeout=90):
        """Run @cmd in dom0's shell; return its output (without the echoed command)."""
        self.count = getattr(self, "count", 0) + 1
        marker = "__END%d__" % self.count
        # The shell echoes '__END""N__'; only the command's output has the joined marker.
        self.child.sendline('%s; echo __END""%d__' % (cmd, self.count))
        self.child.expect_exact('__END""%d__' % self.count, timeout=timeout)
        self.child.expect_exact(marker, timeout=timeout)
        out = self.child.before
        self.child.expect_exact(PROMPT, timeout=timeout)
        return DOMU_LINE.sub("", out.replace("\r\n", "\n")).strip()

    def quiet_console(self):
        """Keep kernel messages that come later (a late "hrtimer: interrupt took ...", a
        deferred-probe timeout) off the console, where they would land inside a command's
        output; they stay in the kernel log, which `dmesg` reads."""
        assert self.run("dmesg -n 1") == ""


# (pCPUs, GIC, QEMU CPU model): Kestrel's ID-register policy (docs/id-registers.md) must let
# dom0 boot on any Armv8 CPU: cortex-a57, cortex-a53 (the ZCU102's core), and -cpu max with
# SVE, SME, MTE, pointer authentication, AMU, SPE (pauth-impdef: QEMU's fast PAC algorithm);
# on a GICv3, on QEMU virt's GICv2 (vGICv2: GICD emulated, GICC = GICV), and on QEMU's ZCU102
# (GIC-400 with 64 KiB aliases, Cadence UART) with the board's own DTB and the files and
# addresses of `make tftproot BOARD=zcu102`; and beside two Linux domUs (dom0less, each
# with a vpl011), which share dom0's two pCPUs.
CONFIGS = [(1, 3, "cortex-a57"), (2, 3, "cortex-a57"), (2, 3, "max,pauth-impdef=on"), (1, 3, "cortex-a53"),
           (2, 2, "cortex-a57"), (4, "zcu102", "cortex-a53"), (2, "domus", "cortex-a57")]
DOMUS = 2


@pytest.fixture(scope="module", params=CONFIGS,
                ids=["1cpu", "2cpu", "max-2cpu", "a53-1cpu", "gicv2-2cpu", "zcu102-4cpu", "beside-2-domus"])
def dom0(request):
    """dom0 on one pCPU, and on two (one vCPU per pCPU, the second started by PSCI CPU_ON)."""
    cpus, gic, cpu = request.param
    domus = 0
    if gic == "zcu102":
        # The README's real-board setting: dom0's EEMI calls forwarded if firmware answers.
        argv = kestrel_qemu.zcu102_argv(smp=cpus, xen_args="dom0_mem=512M dom0_sip=forward",
                                        dom0_args="console=hvc0 earlycon=xen rdinit=/init clk_ignore_unused")
        logname = "dom0_linux_zcu102"
    elif gic == "domus":
        domus = DOMUS
        argv = dom0less.build(os.path.join(kestrel_qemu.BUILD, "dom0less", "dom0-checks"), [
            dict(name="domU%d" % i, kernel=kestrel_qemu.KERNEL, ramdisk=kestrel_qemu.INITRD, memory_kib=192 * 1024,
                 bootargs="console=ttyAMA0 rdinit=/init kestrel.name=domU%d" % i) for i in range(1, domus + 1)],
            smp=cpus, mem="2G", cpu=cpu)
        logname = "dom0_linux_beside_domus"
    else:
        argv = kestrel_qemu.qemu_argv(smp=cpus, gic=gic, extra=["-cpu", cpu])
        logname = "dom0_linux_%dcpu_gicv%d_%s" % (cpus, gic, cpu.split(",")[0])
    child = kestrel_qemu.spawn(argv, timeout=180, logname=logname)
    if not domus:
        child.expect_exact("KESTREL-DOM0-UP")
        boot_log = child.before
        child.expect_exact(PROMPT)
    else:       # dom0 and every domU at their shells, in any order, before dom0 is checked
        ups = {"KESTREL-DOM0-UP": 1}
        ups.update({"KESTREL-DOMU%d-UP" % i: 1 for i in range(1, domus + 1)})
        boot_log = DOMU_LINE.sub("", dom0less.expect_all(child, ups))
        child.sendline("")
        child.expect_exact(PROMPT)
    d = Dom0(child)
    d.quiet_console()
    d.boot_log = boot_log
    d.cpus, d.gic, d.cpu, d.domus = cpus, gic, cpu, domus
    yield d
    if child.isalive():
        child.terminate(force=True)


def test_hypervisor_banner_is_prefixed(dom0):
    assert "(K) Kestrel" in dom0.boot_log
    assert "(K) starting dom0" in dom0.boot_log
    # dom0's own console output is not prefixed.
    assert re.search(r"^\[ +0\.000000\] Booting Linux", dom0.boot_log, re.MULTILINE)


def test_zcu102_boots_at_the_boot_scripts_addresses(dom0):
    """On the ZCU102 model, Kestrel runs from KESTREL_ADDR with the DTB at FDT_ADDR of
    boards/zcu102.conf (booti's layout, kestrel_qemu.zcu102_argv()), and finds dom0's
    modules at the script's addresses and the board's two DDR banks."""
    if dom0.gic != "zcu102":
        return
    conf = kestrel_qemu.board_conf()
    assert "(K) Kestrel %s hypervisor, EL2, loaded at 0x%x, DTB at 0x%x" % (
        "0.1", int(conf["KESTREL_ADDR"], 16), int(conf["FDT_ADDR"], 16)) in dom0.boot_log, dom0.boot_log[:600]
    assert re.search(r"\(K\) heap: RAM 0x8[0-9a-f]{8}-", dom0.boot_log), "no RAM in the 0x800000000 bank"


def test_uptime_at_init_is_reported(dom0):
    """dom0's uptime when it starts /init (a figure for the report, not a timed check)."""
    m = re.search(r"\[\s*(\d+\.\d+)\] Run /init as init process", dom0.boot_log)
    assert m, "no 'Run /init' line"
    print("dom0 uptime at /init: %s s" % m.group(1))


def test_init_runs_on_hvc0(dom0):
    consoles = dom0.run("cat /proc/consoles")
    assert re.search(r"^hvc0\b", consoles, re.MULTILINE), consoles


def test_sys_hypervisor(dom0):
    assert dom0.run("cat /sys/hypervisor/type") == "xen"
    assert dom0.run("cat /sys/hypervisor/version/major") == "4"
    assert dom0.run("cat /sys/hypervisor/version/minor") == "17"
    assert "kestrel" in dom0.run("cat /sys/hypervisor/version/extra")
    # XENFEAT_dom0 (11), auto_translated (2), writable_page_tables (0), SMCCC (14), direct_mapped (17)
    features = int(dom0.run("cat /sys/hypervisor/properties/features"), 16)
    for bit in (0, 2, 11, 14, 17):
        assert features & (1 << bit), hex(features)


def test_every_vcpu_is_up(dom0):
    assert dom0.run("grep -c ^processor /proc/cpuinfo") == str(dom0.cpus)
    log = dom0.run("dmesg")
    assert "smp: Brought up 1 node, %d CPU" % dom0.cpus in log
    for cpu in range(dom0.cpus):
        assert "Xen: initializing cpu%d" % cpu in log
    if dom0.cpus > 1:
        assert "(K) pCPU 1 up" in dom0.boot_log
        # Work on every CPU: IPIs (virtual SGIs) and the timer flow on all of them.
        out = dom0.run("for c in $(seq 0 %d); do (taskset -c $c sh -c 'i=0; while [ $i -lt 2000 ]; "
                       "do i=$((i+1)); done' && echo cpu$c-done) & done; wait" % (dom0.cpus - 1))
        for cpu in range(dom0.cpus):
            assert "cpu%d-done" % cpu in out
        ipis = [l for l in dom0.run("cat /proc/interrupts").splitlines() if "IPI0:" in l]
        counts = ipis[0].split()[1:1 + dom0.cpus]
        assert all(int(c) > 0 for c in counts), ipis


def test_typing_reaches_the_shell(dom0):
    assert dom0.run("echo $((6 * 7))") == "42"
    assert dom0.run("uname -m") == "aarch64"


def cpu_features(dom0):
    """The Features line of each CPU in /proc/cpuinfo, as sets of hwcap names."""
    lines = dom0.run("grep ^Features /proc/cpuinfo").splitlines()
    assert len(lines) == dom0.cpus, lines
    return [set(l.split(":", 1)[1].split()) for l in lines]


def test_id_registers_hide_sve(dom0):
    """SVE, SME and MTE (not switched by Kestrel) are hidden from every vCPU; the same
    features on every vCPU; pointer authentication (keys switched) stays on -cpu max."""
    feats = cpu_features(dom0)
    assert all(f == feats[0] for f in feats), feats
    hidden = {"sve", "sve2", "sme", "sme2", "mte", "mte3", "svei8mm", "svebf16"}
    assert not feats[0] & hidden, feats[0] & hidden
    assert {"fp", "asimd", "cpuid"} <= feats[0]
    if dom0.cpu.startswith("max"):
        assert {"paca", "pacg", "bti", "atomics", "sb"} <= feats[0], feats[0]
        log = dom0.run("dmesg")
        assert "SVE: maximum available vector length" not in log and "Memory Tagging" not in log


def test_id_registers_no_undef_in_boot(dom0):
    """No ID, debug or PMU register access by dom0 ends in an undef (Kestrel logs each)."""
    assert "unhandled" not in dom0.boot_log, re.findall(r"\(K\).*unhandled.*", dom0.boot_log)


def test_boot_entropy_not_handed_to_dom0(dom0):
    """QEMU's /chosen/kaslr-seed and rng-seed are the host's: dom0's device tree has
    neither, so Linux finds no KASLR seed there (only -cpu max has RNDR to seed it)."""
    chosen = dom0.run("ls /proc/device-tree/chosen/").split()
    assert "bootargs" in chosen, chosen
    assert "kaslr-seed" not in chosen and "rng-seed" not in chosen, chosen
    if not dom0.cpu.startswith("max"):
        assert "KASLR disabled due to lack of seed" in dom0.run("dmesg")


def test_serial_input_keeps_flowing(dom0):
    """Many commands in a row: no input byte may be lost between UART interrupts
    (regression: acknowledging the PL011 after draining it lost the next byte's IRQ)."""
    for i in range(25):
        assert dom0.run("echo line-%d-$((%d * 3))" % (i, i)) == "line-%d-%d" % (i, i * 3)


def test_xen_drivers_initialised(dom0):
    log = dom0.run("dmesg")
    for line in ("Xen 4.17 support found", "xen:grant_table: Grant tables using version 1 layout",
                 "xen:events: Using 2-level ABI", "Xen: initializing cpu0",
                 "xen:balloon: Initialising balloon driver", "psci: PSCIv1.1 detected"):
        assert line in log
    interrupts = dom0.run("cat /proc/interrupts")
    assert "hvc_console" in interrupts and "xenbus" in interrupts, interrupts


def test_cpuidle_accepts_the_boards_idle_state(dom0):
    """The ZCU102 DT's idle state (cpu-sleep-0: PSCI power_state 0x40000000, a power-down
    state in the extended StateID format Kestrel's PSCI_FEATURES announces) passes Linux's
    cpuidle-psci parsing (it refused it in the original format). Linux running on Xen then
    turns cpuidle off itself (arch/arm/xen/enlighten.c, xen_guest_init(): disable_cpuidle()),
    so the driver's registration fails and dom0 idles in WFI; CPU_SUSPEND to that state is
    checked by the ktest guest (psci_cpu_suspend_powerdown_wakes, test_guests.py)."""
    log = dom0.run("dmesg")
    assert "Invalid PSCI power state" not in log
    assert "failed to PSCI idle" not in log
    if dom0.gic == "zcu102":
        assert "failed to register cpuidle driver" in log
        assert dom0.run("cat /proc/device-tree/cpus/idle-states/cpu-sleep-0/arm,psci-suspend-param "
                        "| od -An -tx1 | tr -d ' '") == "40000000"


def test_zynqmp_firmware_refused_without_hang(dom0):
    """On the ZCU102 with dom0_sip=forward, Kestrel probes the EEMI firmware the DT names;
    QEMU's model has none (an unknown SMC returns -1), so dom0's SiP calls stay refused
    (NOT_SUPPORTED, arch/arm64/sip.c): Linux's zynqmp firmware driver fails its probe
    cleanly and boot goes on (this shell)."""
    if dom0.gic != "zcu102":
        return
    assert "(K) dom0_sip=forward: no EEMI firmware (PM_GET_API_VERSION -> 0xffffffffffffffff); " \
           "SiP calls refused" in dom0.boot_log
    assert dom0.run("ls /proc/device-tree/firmware/zynqmp-firmware/compatible") \
        == "/proc/device-tree/firmware/zynqmp-firmware/compatible"
    bound = dom0.run("ls /sys/bus/platform/drivers/zynqmp_firmware/ 2>&1")
    assert "firmware:zynqmp-firmware" not in bound, bound


def test_kernel_log_is_clean(dom0):
    log = dom0.run("dmesg")
    assert not BAD_LOG.search(log), BAD_LOG.search(log).group(0)
    assert PCI_ADD_ERROR not in log
    errors = [m.group(0) for m in XEN_DRIVER_ERROR.finditer(log)]
    assert not errors, errors


def test_ctrl_a_switches_serial_input(dom0):
    """Ctrl-a three times moves serial input on (to each domU with a vpl011, if any) to the
    hypervisor and back to dom0 (docs/console.md); what is typed meanwhile never reaches dom0
    (it goes to the debug keys: none of these bytes is one, so each gets a one-line hint at
    once, and no key's output comes later), and one Ctrl-a before other bytes is forwarded
    (busybox's line editor takes it as start-of-line)."""
    child = dom0.child
    for domid in range(1, getattr(dom0, "domus", 0) + 1):     # each domU with a vpl011 first
        child.send("\x01\x01\x01")
        child.expect_exact("(K) serial input: d%d (Ctrl-a three times to switch)" % domid)
    child.send("\x01\x01\x01")
    child.expect_exact("(K) serial input: hypervisor (Ctrl-a three times to switch)")
    child.send("xyz-$((20 + 1))\r")
    child.expect_exact("(K) no debug key ')' ('h' lists them)")
    child.send("\x01\x01\x01")
    child.expect_exact("(K) serial input: d0 (Ctrl-a three times to switch)")
    assert dom0.run("\x01echo partial-$((2 * 3))") == "partial-6"
    assert "xyz-21" not in child.before
    assert dom0.run("echo back-$((5 + 5))") == "back-10"


def test_poweroff_ends_qemu_with_status_0(dom0):
    child = dom0.child
    child.sendline("poweroff -f")
    child.expect_exact("(K) d0: shutdown (poweroff)")
    child.expect(kestrel_qemu.pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0, (child.exitstatus, child.signalstatus)
