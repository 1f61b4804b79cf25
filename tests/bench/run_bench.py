#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`make bench`: Kestrel's trap paths and dom0 boot time against native, in instructions.

Under QEMU's -icount shift=0,sleep=off one instruction takes 1 ns of virtual time, so the
generic timer counts executed instructions (EL1 and EL2, every CPU) and a run's figures
are the same every time. This script

1. boots the benchmark guest (build/bench/bench.img, tests/bench/bench.c) as dom0 on Kestrel
   and directly on QEMU virt without EL2 ("native"), each twice, and requires both runs of
   each to print identical "KBENCH <row> <instructions_per_op>" lines;
2. boots Debian's kernel (cache/Image) with build/bench/boottime.cpio.gz, whose /init
   prints /proc/uptime and powers off, as dom0 on Kestrel and natively, each twice;
3. prints the tables and writes them to docs/benchmarks.md with the date, QEMU version and
   commit. Exit status 1 if a run fails or the two runs of the guest differ.

Run it through `make bench` (which builds everything first). Options: --runs N, --out PATH,
--no-boot (skip step 2), --no-write (print only).
"""
import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import kestrel_qemu  # noqa: E402  (tests/boot/kestrel_qemu.py: Kestrel's QEMU command line)

BENCH_IMG = os.path.join(kestrel_qemu.BUILD, "bench", "bench.img")
BOOT_INITRD = os.path.join(kestrel_qemu.BUILD, "bench", "boottime.cpio.gz")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
ICOUNT = ["-icount", "shift=0,sleep=off"]
# QEMU virt otherwise puts fresh random seeds (kaslr-seed, rng-seed) in the DTB on every boot.
MACHINE_OPT = "dtb-randomness=off"
SMP = 2
DOM0_MEM = "512M"

ROW_RE = re.compile(r"^KBENCH (\S+) (-?\d+\.\d|n/a)(?: (\S+))?\s*$")
INFO_RE = re.compile(r"^KBENCH-INFO (.*?)\s*$")
UPTIME_RE = re.compile(r"KBENCH-UPTIME (\d+\.\d+) (\d+\.\d+)")
CNTVCT_RE = re.compile(r"KBENCH-CNTVCT (\d+) (\d+)")
RUN_INIT_RE = re.compile(r"\[\s*(\d+\.\d+)\] Run /init as init process")
KESTREL_BOOT_RE = re.compile(r"(boot: .* ticks.*?)\s*$")
# Kestrel's boot breakdown (arch/arm64/setup.c): the total line, then one line per stage.
KESTREL_BOOT_TOTAL_RE = re.compile(r"\(K\) boot: (\d+) ticks from entry to dom0 \(counter (\d+) Hz")
KESTREL_BOOT_STAGE_RE = re.compile(r"\(K\) boot:\s+(\S+)\s+(\d+)\s*$")

# (row, what is measured on Kestrel, what natively, Xen 4.17 from the issue, target)
ROWS = [
    ("null_hypercall", "`xen_version(XENVER_version)`: HVC #0xEA1 round trip",
     "SVC #0 to an EL1 handler that only ERETs (floor of any exception)", 420, ("<=", 60)),
    ("psci_version", "`PSCI_VERSION` over SMCCC `HVC #0`", "SVC floor (QEMU's PSCI costs 0)",
     472, ("<=", 60)),
    ("gicd_read", "`ldr w` of GICD_CTLR (stage-2 abort, emulated)", "the same MMIO read",
     640, ("<=", 120)),
    ("gicd_write", "`str w` of GICD_CTLR, its own value (emulated)", "the same MMIO write",
     752, None),
] + [
    (name, desc, "the same on QEMU's GICv3", None, ("<=", 250)) for name, desc in [
        ("gicd_isenabler_1", "GICD_ISENABLER4 write, one bit (SPI 128)"),
        ("gicd_isenabler_32", "GICD_ISENABLER4 write, all 32 bits (SPIs 128-159)"),
        ("gicd_icenabler_1", "GICD_ICENABLER4 write, one bit"),
        ("gicd_icenabler_32", "GICD_ICENABLER4 write, all 32 bits"),
        ("gicd_ispendr_1", "GICD_ISPENDR4 write, one bit (disabled: nothing delivered)"),
        ("gicd_ispendr_32", "GICD_ISPENDR4 write, all 32 bits"),
        ("gicd_icpendr_1", "GICD_ICPENDR4 write, one bit"),
        ("gicd_icpendr_32", "GICD_ICPENDR4 write, all 32 bits"),
        ("gicd_isactiver_32", "GICD_ISACTIVER4 write, all 32 bits (ignored)"),
        ("gicd_icactiver_32", "GICD_ICACTIVER4 write, all 32 bits (ignored)"),
        ("gicd_isenabler_read", "GICD_ISENABLER4 read (32 interrupts)"),
        ("gicd_ipriorityr", "GICD_IPRIORITYR32 write (4 SPIs)"),
        ("gicd_icfgr", "GICD_ICFGR8 write (16 SPIs)"),
        ("gicd_irouter", "GICD_IROUTER128 64-bit write"),
        ("gicr_ctlr_read", "GICR_CTLR read"),
        ("gicr_typer_read", "GICR_TYPER 64-bit read"),
        ("gicr_waker_read", "GICR_WAKER read"),
        ("gicr_waker_write", "GICR_WAKER write (awake)"),
        ("gicr_isenabler0_1", "GICR_ISENABLER0 write, one bit (PPI 20)"),
        ("gicr_isenabler0_16", "GICR_ISENABLER0 write, all 16 PPIs"),
        ("gicr_icenabler0_1", "GICR_ICENABLER0 write, one bit"),
        ("gicr_icenabler0_16", "GICR_ICENABLER0 write, all 16 PPIs"),
        ("gicr_icpendr0_16", "GICR_ICPENDR0 write, all 16 PPIs"),
        ("gicr_ipriorityr", "GICR_IPRIORITYR5 write (PPIs 20-23)"),
        ("gicr_icfgr1", "GICR_ICFGR1 write (16 PPIs)"),
    ]
] + [
    ("sgi_write", "ICC_SGI1R_EL1 write, empty target list (the trap alone)",
     "the same write", None, None),
    ("id_reg_read", "MRS ID_AA64PFR0_EL1 (trapped by HCR_EL2.TID3: the sanitised view, "
     "docs/id-registers.md)", "the same read, not trapped", None, None),
    ("self_ipi", "SGI 1 to self, spin until the IRQ handler (IAR1, EOIR1) ran",
     "the same on QEMU's GICv3", 1115, ("<=", 250)),
    ("virq_complete", "derived: self_ipi - sgi_write (delivery, ack, EOI, eret, LR retirement)",
     "derived the same way", None, None),
    ("remote_ipi", "SGI 2 to vCPU 1 (on pCPU 1, blocked in WFI: the wake-up goes through "
     "the scheduler, its state stays loaded), spin until its handler ran; both CPUs' "
     "instructions", "the same with two CPUs", None, None),
    ("virq_latency_spin", "virtual timer deadline to the guest's IRQ handler, the vCPU spinning "
     "(trap, injection, return)", "the same, no hypervisor", None, ("native+", 300)),
    ("virq_latency_wfi", "the same with the vCPU in WFI (blocked, kept loaded, woken by the "
     "physical timer interrupt)", "the same in WFI", None, ("native+", 300)),
    ("vm_switch", "SCHEDOP_yield ping-pong, two vCPUs on one pCPU, per switch: the trap in "
     "one vCPU to the first guest instruction of the other (`fpu=eager`, the default)", "-",
     None, ("<=", 1000)),
    ("vm_switch_lazy", "the same with `fpu=lazy` (FP/SIMD trapped, loaded on first use; the "
     "ping-pong uses none)", "-", None, ("<=", 1000)),
    ("sched_yield", "`sched_op(SCHEDOP_yield)` hypercall", "SVC floor", None, None),
    ("console_write_64", "`console_io(CONSOLEIO_write, 64, buf)`",
     "64 bytes to the PL011, polling UARTFR.TXFF", 5639, ("<=", 600)),
]
# Rows measured in their own runs: two vCPUs on one pCPU (-smp 1), with these options.
SWITCH_RUNS = {"vm_switch": "fpu=eager", "vm_switch_lazy": "fpu=lazy"}
BOOT_XEN_S = 1.51
BOOT_TARGET = 1.1
WHOLE_BOOT_TARGET = 1.05


def machine(argv, extra_opt):
    """Append @extra_opt to the -M value of @argv."""
    argv = list(argv)
    i = argv.index("-M")
    argv[i + 1] += "," + extra_opt
    return argv


def kestrel_argv(kernel, initrd, dom0_args, smp=SMP, xen_extra=""):
    return machine(kestrel_qemu.qemu_argv(kernel=kernel, initrd=initrd, dom0_args=dom0_args,
                                          xen_args=("dom0_mem=" + DOM0_MEM + " " + xen_extra).strip(),
                                          smp=smp, extra=ICOUNT), MACHINE_OPT)


def switch_argv(option):
    """The benchmark guest with two vCPUs on one pCPU, measuring vm_switch only."""
    return kestrel_argv(BENCH_IMG, None, "bench.vm_switch_only", smp=1,
                        xen_extra="dom0_max_vcpus=2 " + option)


def native_argv(kernel, initrd=None, append=None):
    """QEMU virt without EL2, the same CPU model, vCPU count and RAM as dom0 on Kestrel."""
    argv = ["qemu-system-aarch64", "-M", "virt,gic-version=3," + MACHINE_OPT,
            "-cpu", "cortex-a57", "-smp", str(SMP), "-m", DOM0_MEM, "-nographic", "-no-reboot",
            "-net", "none", "-kernel", kernel]
    if initrd:
        argv += ["-initrd", initrd]
    if append:
        argv += ["-append", append]
    return argv + ICOUNT


def run(argv, logname, timeout):
    """Run QEMU to completion; return its console transcript as a list of lines."""
    qemu = kestrel_qemu.run_to_exit(argv, timeout, logname)
    if qemu.timed_out:
        raise RuntimeError("%s: QEMU still running after %d s (build/test-logs/%s.log)\n  %s"
                           % (logname, timeout, logname, kestrel_qemu.describe(argv)))
    return [l.rstrip("\r") for l in qemu.transcript.split("\n")]


def parse_bench(lines, logname, want=None):
    """The guest's rows: {row: float instructions per op, or ("n/a", reason)}, and its info."""
    rows, info = {}, []
    for line in lines:
        m = ROW_RE.match(line)
        if m and m.group(1) != "DONE":
            rows[m.group(1)] = ("n/a", m.group(3)) if m.group(2) == "n/a" else float(m.group(2))
            continue
        m = INFO_RE.match(line)
        if m:
            info.append(m.group(1))
    fatal = [l for l in lines if l.startswith("KBENCH FATAL")]
    if fatal or "KBENCH DONE" not in lines:
        raise RuntimeError("%s: the benchmark guest did not finish (build/test-logs/%s.log):\n%s"
                           % (logname, logname, "\n".join(fatal or lines[-15:])))
    want = want or [r for r, *_ in ROWS if r not in SWITCH_RUNS or r == "vm_switch"]
    missing = [r for r in want if r not in rows]
    if missing:
        raise RuntimeError("%s: no KBENCH line for %s" % (logname, ", ".join(missing)))
    return rows, info


def bench_runs(where, argv, runs, want=None):
    results = []
    for i in range(1, runs + 1):
        logname = "bench-%s%d" % (where, i)
        print("  %s run %d: %s" % (where, i, kestrel_qemu.describe(argv)), flush=True)
        results.append(parse_bench(run(argv, logname, timeout=600), logname, want))
    first = results[0][0]
    for i, (rows, _) in enumerate(results[1:], 2):
        if rows != first:
            diff = ["  %s: run 1 %r, run %d %r" % (r, first.get(r), i, rows.get(r))
                    for r in sorted(set(first) | set(rows)) if first.get(r) != rows.get(r)]
            raise RuntimeError("%s: instruction counts differ between identical runs:\n%s"
                               % (where, "\n".join(diff)))
    return results[0]


def boot_runs(where, argv, runs, first=1):
    """dom0 (or native) Linux boots: [(uptime s, printk time of "Run /init" s or None,
    virtual counter at /init's poweroff in s)], and the Kestrel "boot: ... ticks" line if
    there is one. Runs are numbered from @first in the log names."""
    out, boot_line = [], None
    for i in range(first, first + runs):
        logname = "bench-boot-%s%d" % (where, i)
        print("  %s boot %d: %s" % (where, i, kestrel_qemu.describe(argv)), flush=True)
        lines = run(argv, logname, timeout=900)
        text = "\n".join(lines)
        m = UPTIME_RE.search(text)
        if not m:
            raise RuntimeError("%s: no KBENCH-UPTIME line (build/test-logs/%s.log):\n%s"
                               % (logname, logname, "\n".join(lines[-15:])))
        r = RUN_INIT_RE.search(text)
        c = CNTVCT_RE.search(text)
        if not c:
            raise RuntimeError("%s: no KBENCH-CNTVCT line (build/test-logs/%s.log)" % (logname, logname))
        out.append((float(m.group(1)), float(r.group(1)) if r else None,
                    int(c.group(1)) / int(c.group(2))))
        stages = []
        for line in lines:
            k = KESTREL_BOOT_RE.search(line)
            if k and boot_line is None:
                boot_line = k.group(1)
            t = KESTREL_BOOT_TOTAL_RE.search(line)
            if t:
                stages.append(("total", int(t.group(1)), int(t.group(2))))
            st = KESTREL_BOOT_STAGE_RE.search(line)
            if st:
                stages.append((st.group(1), int(st.group(2)), None))
        if stages:
            boot_breakdown.append(stages)
    return out, boot_line


# Kestrel's boot breakdown of each Kestrel boot: [(stage, ticks, counter Hz or None)].
boot_breakdown = []

# The counting build (`make count-image`, CONFIG_TRAP_COUNT): its "trapcount:" lines at dom0's poweroff.
COUNT_KESTREL = os.path.join(kestrel_qemu.BUILD, "count", "kestrel")
TRAPCOUNT_RE = re.compile(r"\(K\) trapcount: (\S+) (\S+) (\d+)\s*$")
SYSREG_NAMES = {
    "S3_0_C12_C11_5": "ICC_SGI1R_EL1 (IPI)", "S2_0_C0_C2_2": "MDSCR_EL1", "S2_0_C1_C0_4": "OSLAR_EL1",
    "S2_0_C1_C3_4": "OSDLR_EL1", "S3_0_C0_C4_0": "ID_AA64PFR0_EL1", "S3_0_C0_C4_1": "ID_AA64PFR1_EL1",
    "S3_0_C0_C4_4": "ID_AA64ZFR0_EL1", "S3_0_C0_C4_5": "ID_AA64SMFR0_EL1", "S3_0_C0_C5_0": "ID_AA64DFR0_EL1",
    "S3_0_C0_C5_1": "ID_AA64DFR1_EL1", "S3_0_C0_C6_0": "ID_AA64ISAR0_EL1", "S3_0_C0_C6_1": "ID_AA64ISAR1_EL1",
    "S3_0_C0_C6_2": "ID_AA64ISAR2_EL1", "S3_0_C0_C7_0": "ID_AA64MMFR0_EL1", "S3_0_C0_C7_1": "ID_AA64MMFR1_EL1",
    "S3_0_C0_C7_2": "ID_AA64MMFR2_EL1",
}


def hypercall_names():
    """{number: name} from include/public/xen.h's __HYPERVISOR_* definitions."""
    with open(os.path.join(ROOT, "include", "public", "xen.h")) as f:
        return {int(n): name for name, n in re.findall(r"#define __HYPERVISOR_(\w+)\s+(\d+)", f.read())}


def trap_mix(argv):
    """One dom0 boot on the counting build: [(class, what, count)] in the order printed."""
    print("  trap counts: %s" % kestrel_qemu.describe(argv), flush=True)
    lines = run(argv, "bench-trapcount", timeout=900)
    mix = [(m.group(1), m.group(2), int(m.group(3))) for m in map(TRAPCOUNT_RE.search, lines) if m]
    if not mix:
        raise RuntimeError("bench-trapcount: no trapcount: lines (build/test-logs/bench-trapcount.log)")
    return mix


def group_sysregs(mix):
    """The mix with ID registers (Op0 3, CRn 0: HCR_EL2.TID3) and debug registers (Op0 2:
    MDSCR, OSLAR, DBGB/W*) each summed into one class; ICC_SGI1R_EL1 and others kept."""
    out, idregs, debug = [], 0, 0
    for cls, what, n in mix:
        if cls == "sysreg" and what.startswith("S3_0_C0_"):
            idregs += n
        elif cls == "sysreg" and what.startswith("S2_"):
            debug += n
        else:
            out.append((cls, what, n))
    return out + [("sysreg", "id", idregs), ("sysreg", "debug", debug)]


def trap_mix_estimate(mix, kestrel):
    """Instructions of the trap classes with a cost row (the figure trap_mix_text() totals)."""
    text = trap_mix_text(mix, kestrel)
    return float(re.search(r"\| \*\*all\*\* \| \d+ \| - \| (\d+)", text).group(1))


def trap_mix_text(mix, kestrel):
    """Markdown table of dom0's trap mix with each class's cost from the trap rows, and the
    estimated instructions of the classes with a row."""
    names, rows, total, est = hypercall_names(), [], 0, 0
    for cls, what, n in group_sysregs(mix):
        if not n:
            continue
        row = None
        if cls == "hypercall":
            name = names.get(int(what), what) if what.isdigit() else what
            label = "hypercall `%s`" % name
            row = "console_write_64" if name == "console_io" else "null_hypercall"
        elif cls == "smccc":
            label, row = "SMCCC call (PSCI, HVC #0)", "psci_version"
        elif cls == "mmio":
            label = {"0": "MMIO: GICD", "1": "MMIO: GICR"}.get(what, "MMIO region %s" % what)
            row = {"0": "gicd_write", "1": "gicr_waker_write"}.get(what)
        elif cls == "sysreg":
            label = {"id": "MRS of ID registers (HCR_EL2.TID3)",
                     "debug": "MSR/MRS of debug registers (MDSCR, OSLAR, OSDLR, DBGB/W*)",
                     "other": "MSR/MRS of other registers"}.get(what, "MSR/MRS `%s`" % SYSREG_NAMES.get(what, what))
            row = "sgi_write" if what == "S3_0_C12_C11_5" else "id_reg_read" if what in ("id", "debug") else None
        elif cls in ("wfi", "wfe"):
            label = cls.upper() + " (blocks the vCPU)"
        elif cls == "irq":
            label = "physical IRQ while dom0 ran"
        else:
            label = "%s %s" % (cls, what)
        cost = kestrel.get(row) if row else None
        cost = cost if isinstance(cost, float) else None
        total += n
        if cost:
            est += n * cost
        rows.append("| %s | %d | %s | %s |" % (label, n, "%.0f (`%s`)" % (cost, row) if cost else "-",
                                              "%.0f" % (n * cost) if cost else "-"))
    return ("\n### dom0's trap mix during the boot\n\n"
            "| trap class | count | instructions each (trap row) | instructions |\n|---|---:|---:|---:|\n"
            + "\n".join(rows) + "\n| **all** | %d | - | %.0f (the rows with a cost) |\n\n" % (total, est)
            + "Counted by a counting build (`make count-image`: `CONFIG_TRAP_COUNT`, "
            "arch/arm64/trap_count.c; its timings are not used) over one boot of the same kernel "
            "and initramfs, from dom0's first instruction to its poweroff. The cost of each class "
            "is the trap row that measures it (a GICD/GICR access costs about as much as the "
            "`gicd_write`/`gicr_waker_write` row; a console line's cost grows with its length); "
            "WFI and IRQ exits wait for or deliver an interrupt and have no single row.\n")


def boot_breakdown_text():
    """Markdown table of Kestrel's own boot stages (identical across runs or flagged)."""
    if not boot_breakdown:
        return ""
    first = boot_breakdown[0]
    same = all(b == first for b in boot_breakdown)
    hz = first[0][2] or 62500000
    per_tick = 1e9 / hz
    rows = ["| stage (arch/arm64/setup.c) | counter ticks | instructions | guest time (ms) |",
            "|---|---:|---:|---:|"]
    for name, ticks, _ in first[1:] + first[:1]:
        rows.append("| %s | %d | %d | %.2f |" % ("**entry to dom0**" if name == "total" else name,
                                                 ticks, ticks * per_tick, ticks * 1e3 / hz))
    note = ("identical in all %d runs" % len(boot_breakdown) if same
            else "runs differ; run 1 shown")
    return ("\n### Kestrel's own boot: first instruction to dom0's first instruction\n\n"
            + "\n".join(rows) + "\n\nPrinted by Kestrel at boot (`boot:` lines); "
            "under -icount one 62.5 MHz tick is 16 instructions (%s).\n" % note)


def fmt(v):
    if isinstance(v, tuple):
        return "n/a"
    return "%.1f" % v


def ratio(k, n):
    if isinstance(k, tuple) or isinstance(n, tuple) or n <= 0:
        return "-"
    return "%.1fx" % (k / n)


def target_cell(target, k, n=None):
    if not target:
        return "-"
    op, limit = target
    if limit == "Xen":
        return "well under Xen's"
    if op == "native+":
        if isinstance(k, tuple) or isinstance(n, tuple) or n is None:
            return "&le; native + %d" % limit
        return "&le; native + %d%s" % (limit, " (met)" if k <= n + limit else " (not met)")
    met = "" if isinstance(k, tuple) else (" (met)" if (k <= limit if op == "<=" else k < limit)
                                           else " (not met)")
    return "%s %s%s" % ("&le;" if op == "<=" else "<", limit, met)


def git(*args):
    try:
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit_id():
    """git describe --always, "-dirty" if tracked files other than the report changed."""
    rev = git("describe", "--always") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".",
                ":(exclude)docs/benchmarks.md")
    return rev + ("-dirty" if dirty else "")


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                             text=True, check=True).stdout
        return out.splitlines()[0].replace("QEMU emulator version ", "")
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def config(info):
    """The guest's "mode=... cntfrq=... n=... reps=..." line."""
    return next((i for i in info if i.startswith("mode=")), "?")


def where_it_goes(kb, nb, mix, kestrel):
    """A sentence splitting the whole-boot difference into Kestrel's own boot, dom0's traps
    (estimated from the trap mix and the trap rows) and the rest."""
    if not boot_breakdown:
        return ""
    diff = statistics.median(k[2] for k in kb) - statistics.median(n[2] for n in nb)
    total = boot_breakdown[0][0]
    own = total[1] / (total[2] or 62500000)
    text = "\nWhere the difference goes: Kestrel %.1f ms later than native; Kestrel's own boot " \
        "(first instruction to dom0's) is %.1f ms of it" % (diff * 1e3, own * 1e3)
    if mix:
        traps = trap_mix_estimate(mix, kestrel) / 1e9  # -icount shift=0: 1 ns per instruction
        text += ", dom0's traps about %.1f ms (the trap mix below), and dom0's own boot from its " \
            "first instruction to `/init` is %.1f ms %s than native's (from its first instruction" \
            ")" % (traps * 1e3, abs(diff - own - traps) * 1e3,
                   "longer" if diff - own - traps > 0 else "shorter")
    return text + ".\n"


def render(kestrel, native, kinfo, ninfo, runs, boot, mix=None):
    lines = [
        "| operation | Kestrel | native | ratio | Xen 4.17 | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row, _, _, xen, target in ROWS:
        k, n = kestrel[row], native[row]
        kcell = fmt(k) if not isinstance(k, tuple) else "n/a (%s)" % k[1]
        ncell = fmt(n) if not isinstance(n, tuple) else "n/a (%s)" % n[1]
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            row, kcell, ncell, ratio(k, n), xen if xen else "-", target_cell(target, k, n)))
    table = "\n".join(lines)
    rows_doc = "\n".join("- `%s`: Kestrel: %s; native: %s." % (r, kd, nd)
                         for r, kd, nd, _, _ in ROWS)
    boot_text = ""
    if boot:
        (kb, kline), (nb, _) = boot
        def spread(vals):
            vals = [v for v in vals if v is not None]
            if not vals:
                return "-"
            lo, hi = min(vals), max(vals)
            return "%.6f" % lo if lo == hi else "%.6f - %.6f" % (lo, hi)
        k_up, n_up = kb[0][0], nb[0][0]
        k_init, n_init = kb[0][1], nb[0][1]
        pair_ratios = [k[2] / n[2] for k, n in zip(kb, nb)]
        med = statistics.median(pair_ratios)
        bl = [
            "| dom0 boot, guest time | Kestrel | native | ratio | Xen 4.17 | target |",
            "|---|---:|---:|---:|---:|---|",
            "| **whole boot**: QEMU start to `/init`'s poweroff (s, median of %d pairs) | %.4f | %.4f "
            "| %.4fx | - | &le; %.2fx%s |" % (
                len(pair_ratios), statistics.median(k[2] for k in kb), statistics.median(n[2] for n in nb),
                med, WHOLE_BOOT_TARGET, " (met)" if med <= WHOLE_BOOT_TARGET else " (not met)"),
            "| `/proc/uptime` at `/init` (s, run 1) | %.2f | %.2f | %.2fx | %.2f | &le; %.1fx%s |" % (
                k_up, n_up, k_up / n_up, BOOT_XEN_S, BOOT_TARGET,
                " (met)" if k_up <= BOOT_TARGET * n_up else " (not met)"),
        ]
        if k_init and n_init:
            bl.append("| kernel log time of `Run /init` (s, all runs) | %s | %s | %.4fx | - | - |"
                      % (spread([b[1] for b in kb]), spread([b[1] for b in nb]), k_init / n_init))
        boot_text = "\n".join(bl) + "\n\n" + (
            "Debian's kernel (`cache/Image`) with `build/bench/boottime.cpio.gz` (its `/init` "
            "mounts `/proc`, prints `/proc/uptime` and powers off), %d vCPUs and %s of RAM in "
            "both cases: on Kestrel as dom0 with `console=hvc0 earlycon=xen rdinit=/init`, "
            "natively with `console=ttyAMA0 rdinit=/init`. Linux's uptime starts when its "
            "clock is set up early in boot, so it leaves out the hypervisor's boot and the "
            "kernel's first steps. Linux boots are not bit-for-bit repeatable under -icount "
            "(the kernel-log column shows the spread over %d runs); `/proc/uptime` has 10 ms "
            "resolution.\n\n" % (SMP, DOM0_MEM, len(kb))) + (
            "The whole boot is the virtual counter (CNTVCT_EL0, read by `build/bench/kcntvct`, "
            "tests/bench/kcntvct.S) just before `/init` powers off: it counts from QEMU's reset "
            "on both sides (Kestrel gives dom0 CNTVOFF_EL2 = 0), so it includes Kestrel's own "
            "boot, the kernel's first steps and everything up to user space. Runs alternate "
            "Kestrel, native, Kestrel, ...; the ratio is the median of the per-pair ratios "
            "(%s).\n" % ", ".join("%.4f" % r for r in pair_ratios)) + where_it_goes(kb, nb, mix, kestrel) + (
            boot_breakdown_text()) + (
            trap_mix_text(mix, kestrel) if mix else "")
    text = """<!-- SPDX-License-Identifier: Apache-2.0 -->
# Kestrel benchmarks

Generated by `make bench` (`tests/bench/run_bench.py`); do not edit by hand.

- date: {date}
- commit: `{commit}`
- QEMU: {qemu}, `-icount shift=0,sleep=off`, `-cpu cortex-a57 -smp {smp}`, `dtb-randomness=off`;
  Kestrel: `-M virt,virtualization=on,gic-version=3 -m 2G`, `dom0_mem={mem}`; native:
  `-M virt,gic-version=3 -m {mem}` (no EL2)
- guest: `build/bench/bench.img` ({kinfo}); native: {ninfo}

## Trap paths: instructions per operation

{table}

Each row is a loop of N operations minus the same loop without the operation, minimum over
the repetitions, divided by N; instructions counted by the generic timer under
`-icount shift=0` (1 ns per instruction, CNTVCT_EL0 at 62.5 MHz = 16 instructions per
tick), EL1 and EL2 together, guest instructions of the operation included. {runs} runs on
each side gave identical figures. Native is the same guest on QEMU virt without EL2: the
cost of the same operation with no hypervisor, or for hypercalls the floor of any exception
round trip. Xen 4.17 figures are from issue 4 (same QEMU, same method).

{rows_doc}

The IPI rows wait with YIELD in the loop (Linux's `cpu_relax()`); under QEMU's round-robin
TCG it is what runs the other vCPU, so `remote_ipi` counts both CPUs' instructions and no
QEMU time slice. The `vm_switch` rows come from runs of their own with two vCPUs on one
pCPU (`-smp 1`, `dom0_max_vcpus=2`, the guest's `bench.vm_switch_only`): vCPU 0 and
vCPU 1 hand a flag back and forth, each yielding (`SCHEDOP_yield`) after its move; a round
is two switches, and the row is half a round: the hypercall trap, the scheduler's pick,
`context_switch()` (EL1 system registers, virtual timer, vGIC, VTTBR_EL2, FP/SIMD by the
policy) and the return into the other vCPU with its few guest instructions.

## Boot time

{boot}""".format(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 commit=commit_id(), qemu=qemu_version(), smp=SMP, mem=DOM0_MEM, kinfo=config(kinfo),
                 ninfo=config(ninfo), table=table, runs=runs, rows_doc=rows_doc,
                 boot=boot_text or "(not measured: --no-boot)\n")
    return table, text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=2, help="runs per side (identical required)")
    ap.add_argument("--out", default=DOC, help="report path (default docs/benchmarks.md)")
    ap.add_argument("--no-boot", action="store_true", help="skip the Linux boot-time runs")
    ap.add_argument("--boot-pairs", type=int, default=5,
                    help="Kestrel/native Linux boot pairs, alternating (median ratio)")
    ap.add_argument("--no-write", action="store_true", help="print only, write no report")
    args = ap.parse_args()

    for path in (kestrel_qemu.KESTREL, BENCH_IMG) + (() if args.no_boot else
                                                     (kestrel_qemu.KERNEL, BOOT_INITRD)):
        if not os.path.exists(path):
            sys.exit("%s missing: run `make bench`" % path)
    try:
        print("benchmark guest:", flush=True)
        kestrel, kinfo = bench_runs("kestrel", kestrel_argv(BENCH_IMG, None, "x"), args.runs)
        native, ninfo = bench_runs("native", native_argv(BENCH_IMG), args.runs)
        for row, option in SWITCH_RUNS.items():
            rows, _ = bench_runs("kestrel-%s" % row, switch_argv(option), args.runs, ["vm_switch"])
            kestrel[row] = rows["vm_switch"]
            native[row] = ("n/a", "no_hypervisor")
        boot, mix = None, None
        if not args.no_boot:
            print("dom0 boot time:", flush=True)
            kargv = kestrel_argv(kestrel_qemu.KERNEL, BOOT_INITRD, "console=hvc0 earlycon=xen rdinit=/init")
            nargv = native_argv(kestrel_qemu.KERNEL, BOOT_INITRD, "console=ttyAMA0 rdinit=/init")
            kb, nb, kline = [], [], None
            for i in range(1, args.boot_pairs + 1):  # paired, alternating: drift hits both
                k, line = boot_runs("kestrel", kargv, 1, first=i)
                n, _ = boot_runs("native", nargv, 1, first=i)
                kb += k
                nb += n
                kline = kline or line
            boot = ((kb, kline), (nb, None))
            if os.path.exists(COUNT_KESTREL):
                mix = trap_mix(machine(kestrel_qemu.qemu_argv(
                    kernel=kestrel_qemu.KERNEL, initrd=BOOT_INITRD,
                    dom0_args="console=hvc0 earlycon=xen rdinit=/init", xen_args="dom0_mem=" + DOM0_MEM,
                    smp=SMP, extra=ICOUNT, kestrel=COUNT_KESTREL), MACHINE_OPT))
            else:
                print("  (no %s: no trap mix; `make count-image`)" % COUNT_KESTREL, flush=True)
    except RuntimeError as e:
        sys.exit("make bench: %s" % e)
    table, text = render(kestrel, native, kinfo, ninfo, args.runs, boot, mix)
    print()
    print(text[text.index("## Trap paths"):])
    if not args.no_write:
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
        print("written to %s" % os.path.relpath(args.out, ROOT))


if __name__ == "__main__":
    main()
