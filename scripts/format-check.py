#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check that the C lines a branch changes are formatted as .clang-format says.

Usage: scripts/format-check.py [BASE]   (default: the merge base of HEAD and main; on main
itself, HEAD: the uncommitted changes). Runs `git clang-format --diff BASE` on the C files of
Kestrel (tools/ and include/public, Xen's layout, are left out) and reports every block of
changed lines clang-format would lay out differently. Only the whitespace inside a line is
free: today's code puts one tab before a trailing comment and aligns #define values with tabs,
which clang-format 14 cannot express, so runs of blanks after the indentation compare equal.
Indentation, line breaks, braces and the spacing between tokens must be clang-format's.
Exit status: 0 clean, 1 with a report, 2 when git or clang-format fails.
"""
import re
import subprocess
import sys

PATHS = ["arch", "common", "drivers", "include/kestrel", "tests/guests", "tests/unit", "tests/fuzz"]
CLANG_FORMAT = "clang-format-14"


def git(*args):
    return subprocess.run(["git"] + list(args), capture_output=True, text=True, check=True).stdout.strip()


def normalise(line):
    """Leading whitespace as it is, every later run of blanks as one space, no trailing blanks."""
    m = re.match(r"^([ \t]*)(.*)$", line)
    return m.group(1) + re.sub(r"[ \t]+", " ", m.group(2)).rstrip()


def hunks(diff):
    """(file, first new line, removed lines, added lines) for each hunk of a unified diff."""
    name, out, cur = None, [], None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[6:] if line.startswith("+++ b/") else line[4:]
        elif line.startswith("@@"):
            m = re.match(r"^@@ -(\d+)", line)
            cur = (name, int(m.group(1)), [], [])
            out.append(cur)
        elif cur and line.startswith("-") and not line.startswith("---"):
            cur[2].append(line[1:])
        elif cur and line.startswith("+"):
            cur[3].append(line[1:])
    return out


def main():
    try:
        if len(sys.argv) > 1:
            base = sys.argv[1]
        else:
            try:
                base = git("merge-base", "HEAD", "main")
            except subprocess.CalledProcessError:
                base = git("rev-parse", "HEAD")  # no main branch (a lone clone): the uncommitted changes
        diff = subprocess.run(["git", "clang-format-14", "--binary", CLANG_FORMAT, "--diff", "--extensions",
                               "c,h", base, "--"] + PATHS, capture_output=True, text=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        print("format-check: %s" % e, file=sys.stderr)
        return 2
    if diff.returncode not in (0, 1):
        print("format-check: git clang-format failed:\n" + diff.stderr, file=sys.stderr)
        return 2
    bad = [h for h in hunks(diff.stdout) if [normalise(l) for l in h[2]] != [normalise(l) for l in h[3]]]
    for name, line, old, new in bad:
        print("%s:%d: clang-format would write:\n%s\n  instead of:\n%s\n" %
              (name, line, "\n".join("  + " + l for l in new), "\n".join("  - " + l for l in old)))
    if bad:
        print("format-check: %d block(s) of changed lines differ from .clang-format (base %s); "
              "`git clang-format %s` rewrites them" % (len(bad), base[:12], base[:12]))
        return 1
    print("format-check: the lines changed since %s follow .clang-format" % base[:12])
    return 0


if __name__ == "__main__":
    sys.exit(main())
