# SPDX-License-Identifier: Apache-2.0
"""Hostile guest input: the hypervisor refuses it cleanly and stays up.

Boots the bare-metal ktest guest as dom0 on two pCPUs, on QEMU virt's GICv3 and on its GICv2
(tests/guests/hostile_gicv2.c), with "ktest.hostile" on its command
line, which runs tests/guests/hostile.c instead of the ordinary checks: MMIO that cannot
be decoded, vGIC registers out of range or of the wrong width, hypercall buffers that
point nowhere or somewhere forbidden, XENMEM_add_to_physmap out of bounds, cache
maintenance, a flood of guest-triggered log lines, and a vCPU whose EL1 crashes for
good. The guest prints "KTEST <name> PASS|FAIL <details>" per check; one QEMU run serves
every test here (a module fixture). Each test is named by the class of advisory it
guards against. Needs `make all guests` first (make boot-test does it).
"""
import re

import pytest

from test_guests import run_guest

TIMEOUT = 60             # seconds: QEMU is killed after this, which bounds every log count
RATELIMIT_BURST = 10     # include/kestrel/ratelimit.h
RATELIMIT_PER_S = 2      # one line per RATELIMIT_INTERVAL_MS = 500
FLOOD_N = 1000           # tests/guests/hostile.c
MAX_LINES = RATELIMIT_BURST + RATELIMIT_PER_S * TIMEOUT

EFAULT_CALLS = [
    "xen_version_extraversion", "xen_version_get_features", "console_io_write",
    "memory_op_add_to_physmap", "memory_op_remove_from_physmap", "memory_op_current_reservation", "vcpu_op_register_runstate",
    "event_channel_op_alloc_unbound", "grant_table_op_query_size", "hvm_op_get_param",
    "sched_op_shutdown", "platform_op", "physdev_op_pci_device_add",
]
SUPPRESSED_RE = re.compile(r"^\(K\) d0: (\d+) guest-triggered messages suppressed$")


@pytest.fixture(scope="module", params=[3, 2], ids=["gicv3", "gicv2"])
def hostile(request):
    """One run per GIC version of QEMU virt: the guest picks its vGIC checks from its DT.
    sched=null: one vCPU per pCPU, so vCPU 1 runs beside vCPU 0 (the contention check needs it)."""
    gic = request.param
    run = run_guest("guest-hostile" + ("-gicv2" if gic == 2 else ""), dom0_args="ktest.hostile", smp=2,
                    timeout=TIMEOUT, gic=gic, xen_args="dom0_mem=512M sched=null")
    assert not run.timed_out, "QEMU still running after %d s; last output:\n%s" % (TIMEOUT, run.tail())
    assert "KTEST INFO hostile-input checks, GICv%d" % gic in run.lines, run.tail()
    run.gic = gic
    return run


def passed(run, *names):
    for name in names:
        if name not in run.results:
            pytest.fail("no \"KTEST %s\" line (see build/test-logs/guest-hostile.log); last output:\n%s"
                        % (name, run.tail()))
        status, line = run.results[name]
        assert status == "PASS", line


def kestrel_lines(run, pattern):
    return [l for l in run.lines if l.startswith("(K) ") and re.search(pattern, l)]


def test_mmio_without_isv_injects_abort(hostile):
    """LDP/STP and writeback accesses to the GICD (ESR_EL2.ISV = 0): a data abort, nothing emulated."""
    passed(hostile, "mmio_no_isv_ldp", "mmio_no_isv_post_index", "mmio_no_isv_pre_index", "mmio_no_isv_stp")
    assert kestrel_lines(hostile, r"^\(K\) d0 v0: MMIO read at IPA 0x8000004 \(PC 0x[0-9a-f]+\) has no "
                                  r"instruction syndrome \(ISV = 0"), "no log line for the ISV = 0 access"


def test_vgic_register_out_of_range(hostile):
    """Registers of absent INTIDs and reserved offsets are RAZ/WI; nothing past the GICD frame
    (64 KiB on GICv3, 4 KiB on GICv2); on GICv3 no GICR frame past the last vCPU; on GICv2
    the GICC is the hardware's GICV (no trap)."""
    passed(hostile, "vgic_out_of_range_raz_wi", "vgic_past_gicd_frame")
    passed(hostile, "vgic_gicr_past_last_frame" if hostile.gic == 3 else "vgic_gicc_is_gicv")


def test_vgic_access_width(hostile):
    """16-bit, byte and 64-bit accesses where the GIC forbids them, and unaligned ones, abort."""
    passed(hostile, "vgic_width_16bit_refused", "vgic_width_8bit_ctlr_refused",
           "vgic_width_64bit_ctlr_refused", "vgic_unaligned_refused", "vgic_width_allowed")
    assert kestrel_lines(hostile, r"^\(K\) d0 v0: emulated device refused a 2-byte read at IPA 0x8000004 ")


@pytest.mark.parametrize("prefix", ["", "mmu."], ids=["mmu_off", "mmu_on"])
@pytest.mark.parametrize("call", EFAULT_CALLS)
def test_hypercall_bad_guest_handle_returns_efault(hostile, prefix, call):
    """NULL, unmapped IPA, Kestrel's memory, a device, and with the MMU on: a buffer crossing
    into an unmapped page and a read-only page for a write. All -EFAULT, nothing touched."""
    passed(hostile, prefix + "efault_" + call)


def test_hypercall_buffer_crossing_pages(hostile):
    """A buffer across two physically discontiguous pages is read and written byte-exact."""
    passed(hostile, "page_crossing_write", "page_crossing_read")
    assert "KTEST-CROSSING-PAGES-OK" in hostile.lines
    assert "KTEST-READ-ONLY-PAGE-OK" in hostile.lines


def test_p2m_add_to_physmap_bounds(hostile):
    """Bad space/idx/gpfn/domid are refused (RAM untouched); the shared-info page maps where allowed."""
    passed(hostile, "add_to_physmap_bounds", "add_to_physmap_shared_info")


def test_p2m_physmap_alias_answers_as_xen(hostile):
    """A page mapped once is -EBUSY until XENMEM_remove_from_physmap takes it away (Xen 4.17);
    the removed frame is a hole (data abort); a grant frame mapped over another frees that one;
    nothing to remove is -ENOENT, another domain's p2m -EPERM, a continuation -EINVAL."""
    passed(hostile, "physmap_alias_busy", "physmap_remove_then_map", "physmap_grant_frame_alias",
           "physmap_remove_bounds")


CONTENTION_RE = re.compile(r"^KTEST INFO contention: (\d+) sends, (\d+) delivered, (\d+) failed; "
                           r"vCPU 1 stored (\d+) times meanwhile$")


def test_guest_atomic_bounded_under_contention(hostile):
    """vCPU 1 hammers an event-pending word with load/store-exclusives while vCPU 0 sends events
    whose bits live in it: every EVTCHNOP_send comes back (the pCPU is not held at EL2) and
    each event is pending afterwards, or Kestrel says it dropped one at its bound
    (GUEST_ATOMIC_TRIES). QEMU's store-exclusive is a compare-and-swap, so the bound itself is
    seldom reached here: tests/unit/test_guest_atomic.c drives it to the end."""
    passed(hostile, "guest_atomic_bounded_under_contention")
    m = [CONTENTION_RE.match(l) for l in hostile.lines if l.startswith("KTEST INFO contention")]
    assert m and m[0], "no contention figures"
    sends, delivered, failed, stores = (int(x) for x in m[0].groups())
    print("contention: %d sends, %d delivered, vCPU 1 stored %d times meanwhile" % (sends, delivered, stores))
    assert failed == 0 and stores > 0
    if delivered < sends:
        assert kestrel_lines(hostile, r"contended by its guest: update dropped"), \
            "%d events lost without a word from Kestrel" % (sends - delivered)


def test_p2m_block_split_never_aborts_another_vcpu(hostile):
    """vCPU 0 maps the shared-info page into 64 fresh 2 MiB blocks of its RAM (each split with
    break-before-make) while vCPU 1 reads those blocks: vCPU 1 never gets an abort (Kestrel
    retries a translation fault once the p2m lock shows the entry fixed)."""
    passed(hostile, "p2m_split_under_reader")  # vCPU 1 counts every abort it is given


def test_settime64_serialised(hostile):
    """XENPF_settime64 from two vCPUs at once, 2000 calls each: no version bump lost, the
    version even, the wallclock one caller's time whole (Xen's wallclock lock)."""
    passed(hostile, "settime64_serialised")


def test_guest_cache_maintenance(hostile):
    """DC by VA on own memory, set/way (trapped, done as clean+invalidate), DC ZVA in and out of RAM."""
    passed(hostile, "cache_dc_by_va", "cache_set_way", "cache_dc_zva", "cache_dc_zva_no_memory",
           "cache_dc_zva_vgic")


def test_guest_log_flood_is_rate_limited(hostile):
    """1000 bad HVCs: a few log lines, the rest counted, and the count reported exactly."""
    passed(hostile, "log_flood")
    lines = hostile.lines
    first = [i for i, l in enumerate(lines) if "HVC #0x5a4 " in l]
    last = [i for i, l in enumerate(lines) if "HVC #0x5a6 " in l]
    assert len(first) == 1 and len(last) == 1, "marker log lines missing"
    window = lines[first[0] + 1:last[0]]
    printed = sum(1 for l in window if "HVC #0x5a5 " in l)
    suppressed = sum(int(m.group(1)) for m in map(SUPPRESSED_RE.match, window) if m)
    assert printed + suppressed == FLOOD_N, "%d printed + %d suppressed" % (printed, suppressed)
    assert printed <= MAX_LINES, "%d of %d lines printed" % (printed, FLOOD_N)


def test_guest_el1_crash_does_not_take_hypervisor_down(hostile):
    """vCPU 1 loops in injected aborts for good; vCPU 0, the console and SYSTEM_OFF still work."""
    passed(hostile, "el1_crash_contained")
    assert len(kestrel_lines(hostile, r"^\(K\) d0 v1: ")) <= MAX_LINES
    assert hostile.done, "no \"KTEST DONE\"; last output:\n" + hostile.tail()
    assert "(K) d0: shutdown (poweroff)" in hostile.lines
    assert not kestrel_lines(hostile, r"PANIC|Hypervisor trap|Fatal error")
    assert hostile.exitstatus == 0 and hostile.signalstatus is None


def test_every_check_passed(hostile):
    """No check failed (including any not named above), and the guest never died."""
    failed = [line for status, line in hostile.results.values() if status != "PASS"]
    fatal = [l for l in hostile.lines if l.startswith("KTEST FATAL")]
    assert not failed and not fatal, "\n".join(failed + fatal)
