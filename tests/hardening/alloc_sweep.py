#!/usr/bin/env python3
"""Allocation-failure sweep: a whole execution of each machine, failing the
Nth runtime allocation (ASLRT_FAIL_ALLOC_AT=N) for every N from 1 to the
number of allocations the execution makes.

Usage: alloc_sweep.py --aslc PATH --root SOURCE_ROOT --work DIR [--stride K] [NAME...]

Machines live in tests/hardening/sweep/: NAME.asl.json (order: the example's
examples/order/order.asl.json), NAME.input.json and, when it has Task
states, NAME.mocks.json (test case "sweep"). For each machine:
  1. `aslc DEF -o PROG --name NAME` (in a sanitizer build the program gets
     ASan+UBSan+LSan, so a leak or a bad access is reported);
  2. a normal run with ASLRT_ALLOC_COUNT=1: its output and the number of
     allocations T ("PROG: T allocations" on stderr);
  3. for N = 1, 1+K, ... T (K = --stride, default 1: every N), a run with
     ASLRT_FAIL_ALLOC_AT=N must end in one of these ways:
       - exit 0 with exactly the normal output (the failure was absorbed);
       - exit 1 with {"Error": "States.Runtime", "Cause": "...out of memory..."};
       - exit 2 with "out of memory" on stderr;
     never a signal, a sanitizer report, a hang, or any other result.
Prints one line per bad run (at most 20 per machine), then per machine
"NAME: T allocations, N runs, F bad"; exit status 1 when any run was bad.
"""

import argparse
import json
import os
import re
import subprocess
import sys

RUN_TIMEOUT = 60
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
MACHINES = ["order", "map", "parallel", "intrinsics", "variables"]


def sources(root, name):
    here = os.path.join(root, "tests", "hardening", "sweep")
    if name == "order":
        definition = os.path.join(root, "examples", "order", "order.asl.json")
    else:
        definition = os.path.join(here, name + ".asl.json")
    mocks = os.path.join(here, name + ".mocks.json")
    return definition, os.path.join(here, name + ".input.json"), (
        mocks if os.path.exists(mocks) else None)


def run(cmd, env, cwd):
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                           errors="replace", timeout=RUN_TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", ""


def judge(code, out, err, normal):
    """None when the run ended acceptably, else why not."""
    if any(m in err for m in SANITIZER):
        lines = [l for l in err.splitlines() if any(m in l for m in SANITIZER) or "#" in l]
        return "sanitizer: " + " | ".join(lines[:6])
    if code is None:
        return "timed out"
    if code < 0:
        return "killed by signal %d" % -code
    if code == 0:
        try:
            if json.loads(out) == normal:
                return None
        except ValueError:
            pass
        return "SUCCEEDED with another output: %s" % out.strip()[:200]
    if code == 1:
        try:
            res = json.loads(out)
        except ValueError:
            return "FAILED without JSON: %r" % out[:200]
        if (isinstance(res, dict) and res.get("Error") == "States.Runtime"
                and "out of memory" in str(res.get("Cause", ""))):
            return None
        return "FAILED with %s" % out.strip()[:240]
    if code == 2 and "out of memory" in err:
        return None
    return "exit %d: %s" % (code, err.strip()[:240])


def sweep(aslc, root, work, name, stride):
    definition, input_file, mocks = sources(root, name)
    wdir = os.path.join(work, name)
    os.makedirs(wdir, exist_ok=True)
    prog = os.path.join(wdir, name)
    p = subprocess.run([aslc, definition, "-o", prog, "--name", name], capture_output=True,
                       text=True)
    if p.returncode != 0:
        print("%s: aslc failed: %s" % (name, p.stderr.strip()[:400]))
        return 1
    cmd = [prog, "run", "--input", "@" + input_file, "--time-scale", "0", "--name", "sweep"]
    if mocks:
        cmd += ["--mock-config", mocks, "--test-case", "sweep"]
    base = dict(os.environ)
    base["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=86:" + base.get("ASAN_OPTIONS", "")
    base["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    base.pop("ASLRT_FAIL_ALLOC_AT", None)
    code, out, err = run(cmd, dict(base, ASLRT_ALLOC_COUNT="1"), wdir)
    m = re.search(r": (\d+) allocations", err)
    if code not in (0, 1) or not m:
        print("%s: the normal run failed (exit %s): %s" % (name, code, err.strip()[:400]))
        return 1
    normal = json.loads(out)
    total = int(m.group(1))
    bad = runs = 0
    for n in range(1, total + 1, stride):
        runs += 1
        code, out, err = run(cmd, dict(base, ASLRT_FAIL_ALLOC_AT=str(n)), wdir)
        why = judge(code, out, err, normal)
        if why:
            bad += 1
            if bad <= 20:
                print("%s: ASLRT_FAIL_ALLOC_AT=%d: %s" % (name, n, why))
    print("%s: %d allocations, %d runs, %d bad" % (name, total, runs, bad))
    return 1 if bad else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("names", nargs="*")
    a = ap.parse_args(argv)
    rc = 0
    for name in a.names or MACHINES:
        rc |= sweep(os.path.abspath(a.aslc), os.path.abspath(a.root), os.path.abspath(a.work),
                    name, max(1, a.stride))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
