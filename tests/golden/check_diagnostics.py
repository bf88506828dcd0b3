#!/usr/bin/env python3
"""Golden diagnostics: what aslc says about each definition of the corpus.

For each tests/golden/diagnostics/<name>.asl.json, aslc runs with --check (and
the options listed one per line in <name>.args, if any) from that directory,
so messages name the file as <name>.asl.json. Its stderr followed by its
stdout must equal <name>.expected byte for byte, and its exit status must be
1 when any error is printed (or, with -Werror, any warning), else 0. An
expected file that does not exist is reported MISSING and counts as a
failure. --update writes the expected files (review them before committing).

usage: check_diagnostics.py ASLC SOURCE_ROOT [--update] [NAME ...]
"""
import difflib
import glob
import os
import subprocess
import sys


def expected_exit(args, output):
    if "error[" in output or '"severity": "ERROR"' in output:
        return 1
    if "-Werror" in args and ("warning[" in output or '"severity": "WARNING"' in output):
        return 1
    return 0


def main():
    argv = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    aslc, root, only = os.path.abspath(argv[0]), argv[1], set(argv[2:])
    update = "--update" in sys.argv
    here = os.path.join(root, "tests", "golden", "diagnostics")
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(here, "*.asl.json"))):
        file = os.path.basename(path)
        name = file[: -len(".asl.json")]
        if only and name not in only:
            continue
        args = []
        if os.path.exists(os.path.join(here, name + ".args")):
            with open(os.path.join(here, name + ".args")) as f:
                args = f.read().splitlines()
        run = subprocess.run([aslc, file, "--check"] + args, cwd=here, capture_output=True,
                             timeout=60)
        output = (run.stderr + run.stdout).decode("utf-8", "replace")
        golden = os.path.join(here, name + ".expected")
        want_rc = expected_exit(args, output)
        if run.returncode != want_rc:
            print(f"FAIL {name}: exit {run.returncode}, expected {want_rc}\n{output}")
            failed += 1
            continue
        if update:
            with open(golden, "w") as f:
                f.write(output)
            print(f"UPDATED {name}.expected")
            passed += 1
            continue
        if not os.path.exists(golden):
            print(f"MISSING {name}.expected (run: {sys.argv[0]} {aslc} {root} --update {name})")
            failed += 1
            continue
        with open(golden) as f:
            expected = f.read()
        if expected != output:
            diff = difflib.unified_diff(expected.splitlines(True), output.splitlines(True),
                                        name + ".expected", "aslc output")
            print(f"DIFF {name}:\n" + "".join(list(diff)[:40]))
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
