#!/usr/bin/env python3
"""Golden files: the C that aslc emits for every example definition.

For each examples/<dir>/<name>.asl.json, aslc is run from the source root (so
the banner holds the relative path) and its output is compared byte for byte
with generated/<name>.c. A golden that does not exist is reported MISSING and
counts as a failure, never as a pass. --update rewrites the goldens.

usage: check_golden.py ASLC SOURCE_ROOT [--update]
"""
import difflib
import glob
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    aslc, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    os.chdir(root)
    passed = failed = 0
    for definition in sorted(glob.glob("examples/*/*.asl.json")):
        name = os.path.basename(definition)[: -len(".asl.json")]
        golden = os.path.join("generated", name + ".c")
        run = subprocess.run([aslc, definition, "-o", "-"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {definition}: aslc exited {run.returncode}\n{run.stderr}")
            failed += 1
            continue
        if update:
            with open(golden, "w") as f:
                f.write(run.stdout)
            print(f"UPDATED {golden}")
            passed += 1
            continue
        if not os.path.exists(golden):
            print(f"MISSING {golden} (run: {sys.argv[0]} {aslc} {root} --update)")
            failed += 1
            continue
        with open(golden) as f:
            expected = f.read()
        if expected != run.stdout:
            diff = difflib.unified_diff(expected.splitlines(True), run.stdout.splitlines(True),
                                        golden, "aslc output")
            print(f"DIFF {golden}:\n" + "".join(list(diff)[:60]))
            failed += 1
        else:
            print(f"ok   {golden}")
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
