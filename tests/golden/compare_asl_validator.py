#!/usr/bin/env python3
"""aslc against asl-validator (npm) on the diagnostics corpus.

Every definition of tests/golden/diagnostics is judged by both: aslc --check
(with the entry's options) rejects it or accepts it; asl-validator 4.0.0 says
valid or invalid. Where they disagree, tests/golden/diagnostics/asl-validator.json
must explain why, citing the AWS documentation, which decides. The test fails
on a disagreement that is not explained, and on an explanation whose
disagreement is gone (so the data stays true).

asl-validator is installed with npm into SOURCE_ROOT/.cache/asl-validator
(ignored by git) the first time. Without npm or node, or when the install
fails (no registry), the test is skipped (exit 77) with a message.

usage: compare_asl_validator.py ASLC SOURCE_ROOT [-v]
"""
import glob
import json
import os
import shutil
import subprocess
import sys

VERSION = "4.0.0"


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def install(cache):
    modules = os.path.join(cache, "node_modules")
    if os.path.exists(os.path.join(modules, "asl-validator", "package.json")):
        return modules
    if not shutil.which("npm") or not shutil.which("node"):
        skip("npm/node not found: the asl-validator comparison needs them")
    os.makedirs(cache, exist_ok=True)
    run = subprocess.run(["npm", "install", "--prefix", cache, "--no-audit", "--no-fund",
                          "--loglevel=error", f"asl-validator@{VERSION}"],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        skip(f"npm install asl-validator@{VERSION} failed: {run.stderr.strip()[:300]}")
    return modules


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    aslc, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    verbose = "-v" in sys.argv[3:]
    here = os.path.join(root, "tests", "golden", "diagnostics")
    modules = install(os.path.join(os.path.abspath(root), ".cache", "asl-validator"))
    files = sorted(glob.glob(os.path.join(here, "*.asl.json")))
    run = subprocess.run(["node", os.path.join(root, "tests", "golden", "asl_validator_run.js"),
                          modules] + files, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        print(f"FAIL: asl-validator driver exited {run.returncode}: {run.stderr[:500]}")
        print("0 passed, 1 failed")
        return 1
    theirs = {}
    for line in run.stdout.splitlines():
        r = json.loads(line)
        theirs[r["file"][: -len(".asl.json")]] = r
    with open(os.path.join(here, "asl-validator.json")) as f:
        explained = json.load(f)["disagreements"]
    passed = failed = 0
    for path in files:
        name = os.path.basename(path)[: -len(".asl.json")]
        args = []
        if os.path.exists(os.path.join(here, name + ".args")):
            with open(os.path.join(here, name + ".args")) as f:
                args = f.read().splitlines()
        ours = subprocess.run([aslc, os.path.basename(path), "--check"] + args, cwd=here,
                              capture_output=True, timeout=60)
        we_reject = ours.returncode != 0
        they_reject = not theirs[name]["valid"]
        why = explained.get(name)
        if we_reject == they_reject:
            if why:
                print(f"FAIL {name}: explained as a disagreement, but both "
                      f"{'reject' if we_reject else 'accept'} it now")
                failed += 1
            else:
                passed += 1
            continue
        verdict = (f"aslc {'rejects' if we_reject else 'accepts'}, asl-validator "
                   f"{'rejects' if they_reject else 'accepts'}")
        if not why:
            print(f"FAIL {name}: unexplained disagreement ({verdict}); asl-validator said "
                  f"{theirs[name]['errors'][:3]}")
            failed += 1
            continue
        if verbose:
            print(f"ok   {name}: {verdict}: {why}")
        passed += 1
    for name in explained:
        if name not in theirs:
            print(f"FAIL {name}: explained, but there is no such definition")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
