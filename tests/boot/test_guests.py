# SPDX-License-Identifier: Apache-2.0
"""Boot the bare-metal ktest guest (tests/guests) as dom0's kernel and check its report.

The guest runs every check twice, first as booted (MMU off) and then with a stage-1
identity map on (check names prefixed "mmu."), printing one line per check:
"KTEST <name> PASS" or "KTEST <name> FAIL <details>", then "KTEST DONE", and powers
the machine off with PSCI SYSTEM_OFF. One QEMU run serves all the check tests (a
module-scoped fixture). Trap-path benchmarks live in tests/bench (make bench).
Needs `make all guests` first (make boot-test does it).
"""
import os
import re

import pytest

import kestrel_qemu

GUEST_IMAGE = os.path.join(kestrel_qemu.BUILD, "guests", "ktest.img")

# Check names in the order the guest prints them (tests/guests/ktest.c, run_checks()).
CHECKS = [
    "console",           # console_io CONSOLEIO_write reaches the console
    "dtb",               # x0 at entry points at a flattened device tree
    "undef_hvc",         # HVC #1 -> Undefined Instruction at EL1, ELR = the HVC
    "dabt_load",         # load from an unmapped IPA -> data abort EC 0x25, FAR = address
    "dabt_store",        # same for a store, ESR.WnR set
    "hcall_enosys",      # hypercall 1000 (past the table) and 0 (unimplemented) -> -ENOSYS
    "hcall_nop",         # hypercall 63 (CONFIG_BENCHMARK_HYPERCALL) -> 0
    "console_efault",    # console_io with an unmapped buffer -> -EFAULT
    "console_long",      # a 3002-byte write spans several traps (continuation), returns 0
    "fpsimd",            # q0..q31, FPCR, FPSR survive hypercalls, undef, abort, PSCI, MMIO
    "gicd_typer",        # emulated GICD_TYPER.ITLinesNumber != 0
    "gicd_pidr2",        # emulated GICD_PIDR2.ArchRev == the DT's GIC version (3, or 2)
    "xen_version",       # XENVER_version -> 4.17
    "xen_extraversion",  # XENVER_extraversion fills the buffer with "...kestrel..."
    "psci_version",      # PSCI_VERSION over HVC #0 -> 1.1
    "smccc_sip_not_supported",      # SiP calls (Xilinx EEMI IDs), HVC and SMC -> NOT_SUPPORTED
    "psci_cpu_suspend_ext_format",  # CPU_SUSPEND: extended power_state, reserved bits refused
    "psci_cpu_suspend_powerdown_wakes",  # CPU_SUSPEND(power down) blocks until the timer, returns 0
    "vcpu_info_move",    # register_vcpu_info re-announces events (then -EINVAL a second time)
    "bind_vcpu_virq",    # EVTCHNOP_bind_vcpu moves a global VIRQ's port, refuses a per-vCPU one
    "max_ram_page",      # XENMEM_maximum_ram_page -> the host's last RAM frame + 1 (Xen's max_page)
]
PASSES = ["", "mmu."]   # MMU off (as booted), then MMU on

RESULT_RE = re.compile(r"^KTEST (\S+) (PASS|FAIL)(?: (.*))?$")


class GuestRun:
    """Transcript of one QEMU boot of the ktest guest, split into what the tests need."""

    def __init__(self, argv, transcript, exitstatus, signalstatus, timed_out):
        self.argv = argv
        self.transcript = transcript
        self.exitstatus = exitstatus
        self.signalstatus = signalstatus
        self.timed_out = timed_out
        self.lines = [l.rstrip("\r") for l in transcript.split("\n")]
        self.results = {}       # name -> (PASS/FAIL, line)
        for line in self.lines:
            m = RESULT_RE.match(line)
            if m:
                self.results.setdefault(m.group(1), (m.group(2), line))
                continue

    @property
    def done(self):
        return "KTEST DONE" in self.lines

    def tail(self, n=40):
        return "\n".join(self.lines[-n:])


def run_guest(logname, extra=(), timeout=120, dom0_args="x", smp=1, xen_args="dom0_mem=512M", gic=3):
    """Boot Kestrel with the guest as dom0's kernel on QEMU virt's GICv@gic; wait for QEMU to exit."""
    for path, what in ((kestrel_qemu.KESTREL, "Kestrel"), (GUEST_IMAGE, "the ktest guest")):
        if not os.path.exists(path):
            pytest.fail("%s not built (%s missing): run `make all guests` first" % (what, path))
    argv = kestrel_qemu.qemu_argv(kernel=GUEST_IMAGE, initrd=None, dom0_args=dom0_args, extra=extra, smp=smp,
                                  xen_args=xen_args, gic=gic)
    return GuestRun(argv, *kestrel_qemu.run_to_exit(argv, timeout, logname))


@pytest.fixture(scope="module", params=[3, 2], ids=["gicv3", "gicv2"])
def ktest(request):
    """One run on QEMU virt's GICv3, one on its GICv2 (the guest reads which from its DT)."""
    return run_guest("guest-ktest" + ("-gicv2" if request.param == 2 else ""), gic=request.param)


@pytest.mark.parametrize("prefix", PASSES, ids=["mmu_off", "mmu_on"])
@pytest.mark.parametrize("check", CHECKS)
def test_check(ktest, prefix, check):
    name = prefix + check
    if name not in ktest.results:
        pytest.fail("no \"KTEST %s\" line from the guest (see build/test-logs/guest-ktest.log); "
                    "last output:\n%s" % (name, ktest.tail()))
    status, line = ktest.results[name]
    assert status == "PASS", line


def test_vcpu_info_move_keeps_events(ktest):
    """VCPUOP_register_vcpu_info sets upcall_pending and every selector bit in the new
    vcpu_info (an event sent into the old copy meanwhile is found), as Xen does."""
    status, line = ktest.results.get("vcpu_info_move", ("missing", ktest.tail()))
    assert status == "PASS", line


def test_no_unknown_results(ktest):
    """Every KTEST result line is one of the known checks, and the guest never died."""
    known = {p + c for p in PASSES for c in CHECKS}
    unknown = [line for name, (_, line) in ktest.results.items() if name not in known]
    fatal = [l for l in ktest.lines if l.startswith("KTEST FATAL")]
    assert not fatal, "\n".join(fatal)
    assert not unknown, "unexpected KTEST lines:\n" + "\n".join(unknown)


def test_done_and_system_off(ktest):
    """The guest finished ("KTEST DONE") and PSCI SYSTEM_OFF powered QEMU off (status 0)."""
    assert not ktest.timed_out, "QEMU still running after the timeout; last output:\n" + ktest.tail()
    assert ktest.done, "no \"KTEST DONE\"; last output:\n" + ktest.tail()
    # -no-reboot makes a reset (e.g. a hypervisor panic) exit 0 as well: look for the poweroff.
    assert any("d0: shutdown (poweroff)" in l for l in ktest.lines), ktest.tail()
    assert not any("panic" in l.lower() for l in ktest.lines if l.startswith("(K)")), ktest.tail()
    assert ktest.signalstatus is None and ktest.exitstatus == 0, \
        "QEMU exit status %r, signal %r" % (ktest.exitstatus, ktest.signalstatus)


def test_long_console_write_arrives_whole(ktest):
    """The 3000-byte line written in one console_io call appears intact, in both passes."""
    line = "<" + "L" * 2998 + ">"
    assert ktest.transcript.count(line) == 2
