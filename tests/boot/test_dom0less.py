# SPDX-License-Identifier: Apache-2.0
"""dom0less: domUs built at boot from the host DT beside dom0 (issue "Run domUs beside dom0").

Two boots (tests/boot/dom0less.py makes each host DTB):
- linux: dom0 and two domUs, all Debian's kernel with a busybox initramfs, on 2 pCPUs.
  Each domU has a vpl011 (ttyAMA0); domU2 has xen,enhanced = "no-xenstore". Checked: each
  domU's System RAM starts at GUEST_RAM0_BASE with its configured size, its prompt shows on
  ttyAMA0, Ctrl-a three times moves serial input hypervisor -> dom0 -> d1 -> d2 -> hypervisor
  and a command typed into d2 runs there, d2 sees /sys/hypervisor/type = xen and exchanges an
  interdomain event with dom0 (kevtchn on /dev/xen/evtchn), dom0 stays healthy.
- isolation: dom0 (Linux), d1 a Linux domU that keeps running, d2 the bare-metal isolation
  guest (tests/guests/isolation.c): every access outside its map aborts, every privileged
  hypercall is refused; it powers off, is destroyed while d1 keeps running, and the heap's
  free pages come back to their value from before d2 was built.
- passthrough: dom0 (Linux) and the ktest guest as a domU given QEMU virt's PL031 RTC by
  its partial DT (dts/passthrough-pl031.dts): the domU reads the device at its guest
  address and takes its SPI twice; dom0's DT has no RTC. A partial DT naming the
  hypervisor's UART stops boot with a message naming it.
- fuzz: dom0 (Linux) and three domUs running the fuzzing guest (tests/guests/kfuzz.c), seeds
  1-3 with 100 000 operations each, on the domU map: each survives with every check passed
  and its memory unchanged, is destroyed when it powers off, and dom0 is healthy after.
Needs `make all guests guest-images build/initramfs-xen.cpio.gz` (make boot-test does it).
"""
import os
import re
import subprocess

import pexpect
import pytest

import dom0less
import kestrel_qemu

XEN_INITRD = os.path.join(kestrel_qemu.BUILD, "initramfs-xen.cpio.gz")
KTEST = os.path.join(kestrel_qemu.BUILD, "guests", "ktest.img")
KFUZZ = os.path.join(kestrel_qemu.BUILD, "guests", "kfuzz.img")
WORK = os.path.join(kestrel_qemu.BUILD, "dom0less")
CTRL_A3 = "\x01\x01\x01"
GUEST_RAM0_BASE = 0x40000000
DOMU_ARGS = "console=ttyAMA0 rdinit=/init kestrel.name=%s"


def need(*paths):
    for p in paths:
        if not os.path.exists(p):
            pytest.fail("%s missing: run `make all guests guest-images %s`" % (p, XEN_INITRD))


def iomem_ram(child, name, prompt):
    """Ask the focused guest for its System RAM ranges; return [(start, end)]."""
    child.sendline("grep 'System RAM' /proc/iomem; echo IOMEM-$((1 + 1))")
    child.expect(r"IOMEM-2\s")
    text = child.before
    child.expect(prompt)
    return [(int(a, 16), int(b, 16)) for a, b in re.findall(r"([0-9a-f]+)-([0-9a-f]+) : System RAM", text)]


def switch_input(child, who):
    """Ctrl-a three times; Kestrel says who has serial input now (@who: regex)."""
    child.send(CTRL_A3)
    child.expect(r"serial input[^\n]*" + who)


@pytest.fixture(scope="module")
def linux():
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, XEN_INITRD)
    domus = [
        dict(name="domU1", kernel=kestrel_qemu.KERNEL, ramdisk=kestrel_qemu.INITRD, memory_kib=192 * 1024,
             bootargs=DOMU_ARGS % "domU1"),
        dict(name="domU2", kernel=kestrel_qemu.KERNEL, ramdisk=XEN_INITRD, memory_kib=256 * 1024,
             enhanced="no-xenstore", bootargs=DOMU_ARGS % "domU2"),
    ]
    argv = dom0less.build(os.path.join(WORK, "linux"), domus, dom0_initrd=XEN_INITRD, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=180, logname="dom0less-linux")
    yield child
    child.close(force=True)


def test_domus_and_dom0_reach_their_shells(linux):
    ups = {}
    for _ in range(3):
        linux.expect(r"KESTREL-(DOM0|DOMU1|DOMU2)-UP ([^\r\n]*)\r")	# /init: type, then uname -r
        ups[linux.match.group(1)] = "xen" if linux.match.group(2).startswith("xen ") else ""
    assert set(ups) == {"DOM0", "DOMU1", "DOMU2"}
    assert ups["DOM0"] == "xen"
    assert ups["DOMU2"] == "xen", "domU2 has xen,enhanced: /sys/hypervisor/type should say xen"
    assert ups["DOMU1"] == "", "domU1 has no xen,enhanced: it is a plain Arm guest"


def test_console_switching_and_guest_ram(linux):
    linux.sendline("")
    linux.expect("dom0# ")
    switch_input(linux, r"d1 ")
    ram = iomem_ram(linux, "domU1", "domU1# ")
    assert ram and ram[0][0] == GUEST_RAM0_BASE, ram
    assert sum(b - a + 1 for a, b in ram) == 192 << 20, ram
    switch_input(linux, r"d2 ")
    ram = iomem_ram(linux, "domU2", "domU2# ")
    assert ram and ram[0][0] == GUEST_RAM0_BASE, ram
    assert sum(b - a + 1 for a, b in ram) == 256 << 20, ram
    linux.sendline("cat /proc/cmdline")
    linux.expect("kestrel.name=domU2")
    linux.expect("domU2# ")
    switch_input(linux, r"hypervisor")
    switch_input(linux, r"d0 ")
    linux.sendline("")
    linux.expect("dom0# ")


def dom0_binds_offered_port(child, domid):
    """The domU @domid, holding input and the last one Ctrl-a reaches, ran `kevtchn listen 0`:
    read the port it offers, move input on to dom0, bind the port there, send, and wait for
    the domU's reply (tests/guests/kevtchn.c)."""
    child.expect(r"kevtchn: port (\d+)")
    port = int(child.match.group(1))
    switch_input(child, r"hypervisor")
    switch_input(child, r"d0 ")
    child.sendline("kevtchn connect %d %d" % (domid, port))
    child.expect(r"kevtchn: bound, local port (\d+)")
    child.expect(r"kevtchn: reply on port")
    child.expect("dom0# ")


def test_interdomain_event_dom0_and_domu2(linux):
    # d2 offers a port to dom0 and waits; dom0 binds it, sends, and waits for d2's reply.
    switch_input(linux, r"d1 ")
    switch_input(linux, r"d2 ")
    linux.sendline("kevtchn listen 0")
    dom0_binds_offered_port(linux, 2)


def test_dom0_healthy_beside_domus(linux):
    linux.sendline("nproc; cat /sys/hypervisor/type; dmesg | grep -ci -e 'bug:' -e 'oops' -e 'call trace'")
    linux.expect(r"\n(\d+)\s+xen\s+(\d+)\s")
    assert int(linux.match.group(1)) == 2
    assert int(linux.match.group(2)) == 0
    linux.expect("dom0# ")


# Not anchored: a domU's line, printed whole, may start in the middle of one of dom0's.
RESULT_RE = re.compile(r"\(d(\d+)\) KTEST (\S+) (PASS|FAIL) ?([^\r\n]*)")
ISOLATION_CHECKS = [
    "isolation_read_outside_map", "isolation_write_outside_map", "isolation_write_past_ram",
    "isolation_read_past_ram", "isolation_gicd_not_emulated", "isolation_gicr_beyond_vcpus",
    "priv_platform_op", "priv_physdev_op", "priv_sysctl", "priv_domctl", "priv_add_to_physmap_dom0",
    "priv_reservation_dom0", "priv_alloc_unbound_in_dom0", "priv_evtchn_status_dom0",
    "priv_hvm_param_dom0", "evtchn_bind_dom0_port_not_offered", "priv_console_read",
    "physmap_vcpu_info_page_kept", "physmap_domu_ram_removed",
    "smccc_sip_not_supported", "psci_cpu_suspend_ext_format", "psci_cpu_suspend_powerdown_wakes",
]


@pytest.fixture(scope="module")
def isolation():
    """dom0 Linux; d1 Linux (kept running); d2 the isolation guest, which powers off."""
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, KTEST)
    domus = [
        dict(name="domU1", kernel=kestrel_qemu.KERNEL, ramdisk=kestrel_qemu.INITRD, memory_kib=128 * 1024,
             bootargs=DOMU_ARGS % "domU1"),
        dict(name="domU2", kernel=KTEST, memory_kib=64 * 1024, enhanced="enabled",
             bootargs="ktest.isolation"),
    ]
    argv = dom0less.build(os.path.join(WORK, "isolation"), domus, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=180, logname="dom0less-isolation")
    # d2 probes dom0's RAM by IPA while dom0 boots (dom0 reaching a healthy shell is one
    # witness); dom0 then keeps a pattern file across d2's destruction (the other).
    child.expect("KESTREL-DOM0-UP")
    child.sendline("")
    child.expect("dom0# ")
    child.sendline("seq 1 100000 > /tmp/pattern; sha256sum /tmp/pattern")
    child.expect(r"([0-9a-f]{64})  /tmp/pattern")
    sha = child.match.group(1)
    child.expect("dom0# ")
    log = child.logfile_read.name
    for _ in range(120):
        child.expect([pexpect.TIMEOUT], timeout=1)
        text = open(log).read()
        m = re.search(r"\(K\) d2: destroyed; heap now (\d+) free pages", text)
        if m:
            break
    assert m, "d2 was not destroyed"
    after = int(m.group(1))
    yield child, sha, after, text
    child.close(force=True)


@pytest.mark.parametrize("check", ISOLATION_CHECKS)
def test_domu_isolation(isolation, check):
    child, sha, after, text = isolation
    results = {m.group(2): (m.group(3), m.group(4)) for m in RESULT_RE.finditer(text) if m.group(1) == "2"}
    assert check in results, "no result for %s" % check
    assert results[check][0] == "PASS", results[check][1]


def test_domu_poweroff_gives_heap_back(isolation):
    child, sha, after, text = isolation
    m = re.search(r"/chosen/domU2: building d2; heap (\d+) free pages", text)
    assert m, "no heap figure before d2 was built"
    assert int(m.group(1)) == after, "heap %s free pages before d2, %d after its destruction" % (m.group(1), after)
    assert "KTEST DONE" in text


def test_other_domains_keep_running_after_destroy(isolation):
    child, sha, after, text = isolation
    child.sendline("sha256sum /tmp/pattern")
    child.expect(r"([0-9a-f]{64})  /tmp/pattern")
    assert child.match.group(1) == sha, "dom0's pattern changed"
    child.expect("dom0# ")
    switch_input(child, r"d1 ")
    child.sendline("echo d1-$((6 * 7))")
    child.expect("d1-42")
    child.expect("domU1# ")
    switch_input(child, r"hypervisor")
    switch_input(child, r"d0 ")


def test_domu_reset_rebuilds_it_and_gives_memory_back():
    """PSCI SYSTEM_RESET from a domU ends that domU alone: it is destroyed and built again
    from its boot description, each time with the heap back to the same free-page count,
    while dom0 keeps running."""
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, KTEST)
    domus = [dict(name="domU1", kernel=KTEST, memory_kib=32 * 1024, vpl011=False, bootargs="ktest.reset")]
    argv = dom0less.build(os.path.join(WORK, "reset"), domus, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=120, logname="dom0less-reset")
    try:
        built = []
        for _ in range(3):
            child.expect(r"/chosen/domU1: building d1; heap (\d+) free pages")
            built.append(int(child.match.group(1)))
            child.expect(r"\(K\) d1: destroyed; heap now (\d+) free pages")
            assert int(child.match.group(1)) == built[0], "d1 did not give all its memory back"
            child.expect_exact("(K) d1: rebuilt (reboot)")
        assert len(set(built)) == 1, built
        child.expect("KESTREL-DOM0-UP")
        child.sendline("")
        child.expect("dom0# ")
        child.sendline("echo alive-$((6 * 7))")
        child.expect("alive-42")
    finally:
        child.close(force=True)


FUZZ_SEEDS = (1, 2, 3)
FUZZ_OPS = 100000


@pytest.fixture(scope="module")
def fuzz():
    """dom0 Linux beside three fuzzing domUs (d1-d3: seeds 1-3); yields (child, transcript)
    once all three are destroyed."""
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, KFUZZ)
    domus = [dict(name="domU%d" % s, kernel=KFUZZ, memory_kib=64 * 1024, vpl011=False,
                  bootargs="seed=%d ops=%d" % (s, FUZZ_OPS)) for s in FUZZ_SEEDS]
    argv = dom0less.build(os.path.join(WORK, "fuzz"), domus, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=300, logname="dom0less-fuzz")
    try:
        dom0less.expect_all(child, {r"\(K\) d\d: destroyed": len(FUZZ_SEEDS), "KESTREL-DOM0-UP": 1})
        child.sendline("")
        child.expect("dom0# ")
        yield child, open(child.logfile_read.name).read()
    finally:
        child.close(force=True)


def domu_lines(text, domid):
    """The console_io lines of domain @domid (Kestrel prints each whole, prefixed, possibly
    in the middle of a line of dom0's)."""
    return re.findall(r"\(d%d\) ([^\r\n]*)" % domid, text)


@pytest.mark.parametrize("seed", FUZZ_SEEDS)
def test_fuzzing_domu_survives(fuzz, seed):
    """The fuzzing guest as a domU (d<seed>): every operation behaved as the ABI says, its
    pattern, code and DT are unchanged, and it powered off by itself (PSCI SYSTEM_OFF)."""
    child, text = fuzz
    lines = domu_lines(text, seed)
    assert any(l.startswith("KFUZZ start seed=%d ops=%d RAM 0x40000000-" % (seed, FUZZ_OPS)) for l in lines)
    fails = [l for l in lines if l.startswith(("KFUZZ FAIL", "KFUZZ FATAL"))]
    assert not fails, "\n".join(fails[:10])
    for want in ("KFUZZ checks failed=0", "KFUZZ survived"):
        assert want in lines, (want, lines[-10:])
    for what in ("pattern", "code", "dtb"):
        assert any(l.startswith("KFUZZ %s-checksum OK" % what) for l in lines), what
    summary = [l for l in lines if l.startswith("KFUZZ seed=%d ops=%d " % (seed, FUZZ_OPS))]
    assert summary, lines[-10:]
    counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", summary[0])}
    for kind in ("hypercalls", "smccc", "badimm", "mmio", "sysreg", "irqwin", "undef", "dabt"):
        assert counts.get(kind, 0) > FUZZ_OPS // 100, (kind, counts)
    assert "(K) d%d: shutdown (poweroff)" % seed in text


def test_dom0_healthy_after_fuzzing_domus(fuzz):
    child, text = fuzz
    assert not re.search(r"panic|Hypervisor trap", text, re.I)
    child.sendline("nproc; cat /sys/hypervisor/type; dmesg | grep -ci -e 'bug:' -e 'oops' -e 'call trace'")
    child.expect(r"\n(\d+)\s+xen\s+(\d+)\s")
    assert int(child.match.group(1)) == 2
    assert int(child.match.group(2)) == 0
    child.expect("dom0# ")
    child.sendline("seq 1 20000 | sha256sum")	# dom0 computes right after the fuzzing
    child.expect(r"([0-9a-f]{64})")
    assert child.match.group(1) == "f6351f5ead9a700e34275480b3856ea738122a7c57bdeb744a631251c069587a"
    child.expect("dom0# ")


PARTIAL_DTS = os.path.join(kestrel_qemu.ROOT, "dts", "passthrough-pl031.dts")
PASSTHROUGH_CHECKS = ["passthrough_id_registers", "passthrough_rtc_counts", "passthrough_spi_delivered",
                      "passthrough_spi_again_after_eoi", "passthrough_spi_cleared", "passthrough_only_its_range"]


def partial_dtb(workdir, edit=None):
    """dts/passthrough-pl031.dts compiled with dtc, after @edit(source) if given."""
    os.makedirs(workdir, exist_ok=True)
    src = open(PARTIAL_DTS).read()
    if edit:
        src = edit(src)
    dts, dtb = os.path.join(workdir, "partial.dts"), os.path.join(workdir, "partial.dtb")
    with open(dts, "w") as f:
        f.write(src)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts], check=True)
    return dtb


@pytest.fixture(scope="module")
def passthrough():
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, KTEST)
    work = os.path.join(WORK, "passthrough")
    domus = [dict(name="domU1", kernel=KTEST, memory_kib=32 * 1024, vpl011=False, bootargs="ktest.passthrough",
                  partial_dtb=partial_dtb(work))]
    argv = dom0less.build(work, domus, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=120, logname="dom0less-passthrough")
    try:
        dom0less.expect_all(child, {r"\(d1\) KTEST DONE": 1, "KESTREL-DOM0-UP": 1})
        child.sendline("")
        child.expect("dom0# ")
        yield child, open(child.logfile_read.name).read()
    finally:
        child.close(force=True)


@pytest.mark.parametrize("check", PASSTHROUGH_CHECKS)
def test_passthrough_device_in_domu(passthrough, check):
    child, text = passthrough
    results = {m.group(2): (m.group(3), m.group(4)) for m in RESULT_RE.finditer(text) if m.group(1) == "1"}
    assert check in results, "no result for %s" % check
    assert results[check][0] == "PASS", results[check][1]


def test_passthrough_device_left_out_of_dom0(passthrough):
    """dom0's DT has no PL031 (nor does its RTC class), and dom0 runs on."""
    child, text = passthrough
    child.sendline("ls /proc/device-tree | grep -c pl031; ls /sys/class/rtc | wc -l; echo pt-$((6 * 7))")
    child.expect(r"\n(\d+)\s+(\d+)\s+pt-42")
    assert (child.match.group(1), child.match.group(2)) == ("0", "0")
    child.expect("dom0# ")


def test_passthrough_of_hypervisor_uart_stops_boot():
    """A partial DT that names the hypervisor's console UART stops boot, naming it."""
    need(kestrel_qemu.KESTREL, KTEST)
    work = os.path.join(WORK, "passthrough-bad")
    bad = partial_dtb(work, lambda s: s.replace('"/pl031@9010000"', '"/pl011@9000000"'))
    domus = [dict(name="domU1", kernel=KTEST, memory_kib=32 * 1024, vpl011=False, partial_dtb=bad)]
    argv = dom0less.build(work, domus, smp=1, mem="2G")
    out = kestrel_qemu.run_to_exit(argv, 60, "dom0less-passthrough-bad").transcript
    assert re.search(r"/chosen/domU1/module@[0-9a-f]+: /passthrough/rtc@10000000: xen,path "
                     r"\"/pl011@9000000\" is or holds the hypervisor's console UART", out), out[-2000:]
    assert "starting dom0" not in out


def test_domu_on_gicv2():
    """On QEMU virt's GICv2 a domU gets a vGICv2 (an "arm,gic-400" node: GICD emulated at
    GUEST_GICD, GICC the host's GICV window at GUEST_GICC): a Linux domU with xen,enhanced
    reaches its shell beside dom0, its timer ticks, and an event channel from dom0 reaches it."""
    need(kestrel_qemu.KESTREL, kestrel_qemu.KERNEL, XEN_INITRD)
    domus = [dict(name="domU1", kernel=kestrel_qemu.KERNEL, ramdisk=XEN_INITRD, memory_kib=256 * 1024,
                  enhanced="no-xenstore", bootargs=DOMU_ARGS % "domU1")]
    argv = dom0less.build(os.path.join(WORK, "gicv2"), domus, dom0_initrd=XEN_INITRD, smp=2, mem="2G", gic=2)
    child = kestrel_qemu.spawn(argv, timeout=180, logname="dom0less-gicv2")
    try:
        dom0less.expect_all(child, {"KESTREL-DOM0-UP ": 1, "KESTREL-DOMU1-UP ": 1})
        child.sendline("")
        child.expect("dom0# ")
        switch_input(child, r"d1 ")
        child.sendline("cat /proc/device-tree/interrupt-controller*/compatible | tr '\\0' ' '; echo; "
                       "awk '/arch_timer/ {print \"ticks\", $2}' /proc/interrupts; kevtchn listen 0")
        child.expect(r"arm,gic-400\s+ticks (\d+)\s")
        assert int(child.match.group(1)) > 0
        dom0_binds_offered_port(child, 1)
    finally:
        child.close(force=True)


def test_passthrough_spi_comes_back_after_reboot_with_it_active():
    """A domU that reboots while it holds its passed-through SPI active (taken, never
    EOIed): Kestrel clears the SPI when it destroys the domU, so the rebuilt domU gets
    the device's interrupts again."""
    need(kestrel_qemu.KESTREL, KTEST)
    work = os.path.join(WORK, "passthrough-reboot")
    domus = [dict(name="domU1", kernel=KTEST, memory_kib=32 * 1024, vpl011=False,
                  bootargs="ktest.passthrough-reboot", partial_dtb=partial_dtb(work))]
    argv = dom0less.build(work, domus, smp=2, mem="2G")
    child = kestrel_qemu.spawn(argv, timeout=60, logname="dom0less-passthrough-reboot")
    try:
        for run in range(2):
            child.expect(r"\(d1\) KTEST passthrough_spi_delivered (PASS|FAIL)[^\n]*")
            assert child.match.group(1) == "PASS", (run, child.match.group(0))
            child.expect(r"\(d1\) KTEST passthrough_spi_again_after_eoi (PASS|FAIL)[^\n]*")
            assert child.match.group(1) == "PASS", (run, child.match.group(0))
            child.expect_exact("(d1) KTEST passthrough: rebooting with the SPI active")
            child.expect_exact("(K) d1: rebuilt (reboot)")
    finally:
        child.close(force=True)
