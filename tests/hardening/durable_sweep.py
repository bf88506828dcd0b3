#!/usr/bin/env python3
"""Allocation-failure sweep of a whole Standard-mode execution.

Usage: durable_sweep.py --prog PATH --root SOURCE_ROOT --work DIR
                        [--stride K | --max-runs M] [--from N] [--to N]

PROG is the sweep's program (durable_main.c with the machine of
tests/hardening/sweep/durable.asl.json: a task that is retried, a Wait, a
task whose error a Catch handles, variables). The command swept is

  PROG run --type standard --store STORE --name sweep --input @durable.input.json
       --mock-config durable.mocks.json --test-case sweep --time-scale 0 --workers 1

which opens a store in a temporary directory, starts the execution, runs it
to its end through the scheduler (worker thread, committer, timers) and
closes the store: every allocation of start, steps, records, recovery and
shutdown is in it.

  1. A normal run with ASLRT_ALLOC_COUNT=1 gives the output and the number
     of allocations T.
  2. For N = 1, 1+K, ... T (K = --stride; --max-runs M picks K so that at
     most M values of N run; default: every N), in a fresh store, a run with
     ASLRT_FAIL_ALLOC_AT=N must end with
       - exit 0 and exactly the normal output, or
       - exit 1 and {"Error": "States.Runtime", "Cause": ...} (the execution
         failed, recorded as FAILED), or
       - exit 1, nothing on stdout and one line "PROG: ServiceFailure: ..."
         on stderr (StartExecution was refused), or
       - exit 2 and a one-line message "PROG: ..." on stderr (the program
         stopped; the store keeps what was durable);
     never a signal, a sanitizer report (leaks included in an ASan build), a
     hang or any other result.
  3. Then the same command without the failure, a fresh process on the same
     store, must recover it and print exactly the normal output (exit 0) or,
     when the execution was recorded as failed, exit 1 with the same
     {"Error", "Cause"} the failed run printed: never a crash, a different
     output (a corrupt store), or a refusal to open the store.
Prints one line per bad N (at most 20), then "durable: T allocations, R runs
of N (K stride), B bad"; exit status 1 when any was bad.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

RUN_TIMEOUT = 20
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def run(cmd, env, cwd):
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                           errors="replace", timeout=RUN_TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", ""


def sanitizer(err):
    if any(m in err for m in SANITIZER):
        lines = [l for l in err.splitlines() if any(m in l for m in SANITIZER) or "#" in l]
        return "sanitizer: " + " | ".join(lines[:8])
    return None


def judge_failed(code, out, err, normal, prog):
    """None when the run that failed allocation N ended acceptably."""
    why = sanitizer(err)
    if why:
        return why
    if code is None:
        return "timed out"
    if code < 0:
        return "killed by signal %d" % -code
    if code == 0:
        return None if parse(out) == normal else "SUCCEEDED with another output: %s" % (
            out.strip()[:200])
    lines = [l for l in err.splitlines() if l.strip() and "allocations" not in l]
    message = len(lines) == 1 and lines[0].startswith(os.path.basename(prog) + ": ")
    if code == 1:
        res = parse(out)
        if isinstance(res, dict) and res.get("Error") == "States.Runtime" and res.get("Cause"):
            return None
        if not out.strip() and message:
            return None            # the start was refused: "PROG: ServiceFailure: ..."
        return "exit 1 with %r %r" % (out.strip()[:240], err.strip()[:240])
    if code == 2 and message:
        return None
    return "exit %d: %r" % (code, err.strip()[:240])


def judge_recovery(code, out, err, normal, failed):
    """None when the fresh run on the same store ended acceptably."""
    why = sanitizer(err)
    if why:
        return "recovery: " + why
    if code == 0 and parse(out) == normal:
        return None
    if code == 1 and failed is not None and parse(out) == failed:
        return None
    if code == 1 and failed is None:
        res = parse(out)
        # the failed run stopped (exit 2) after the FAILED record was durable
        if isinstance(res, dict) and res.get("Error") == "States.Runtime":
            return None
    return "recovery: exit %s: %s %s" % (code, out.strip()[:200], err.strip()[:200])


def parse(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prog", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--stride", type=int, default=0)
    ap.add_argument("--max-runs", type=int, default=0)
    ap.add_argument("--from", dest="lo", type=int, default=1)
    ap.add_argument("--to", dest="hi", type=int, default=0)
    a = ap.parse_args(argv)
    prog = os.path.abspath(a.prog)
    here = os.path.join(os.path.abspath(a.root), "tests", "hardening", "sweep")
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    store = os.path.join(work, "store")
    cmd = [prog, "run", "--type", "standard", "--store", store, "--name", "sweep",
           "--input", "@" + os.path.join(here, "durable.input.json"),
           "--mock-config", os.path.join(here, "durable.mocks.json"), "--test-case", "sweep",
           "--time-scale", "0", "--workers", "1", "--sync", "none"]
    base = dict(os.environ)
    base["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=86:" + base.get("ASAN_OPTIONS", "")
    base["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    base.pop("ASLRT_FAIL_ALLOC_AT", None)
    base.pop("ASLRT_ALLOC_COUNT", None)

    shutil.rmtree(store, ignore_errors=True)
    code, out, err = run(cmd, dict(base, ASLRT_ALLOC_COUNT="1"), work)
    m = re.search(r": (\d+) allocations", err)
    if code != 0 or not m:
        print("durable: the normal run failed (exit %s): %s %s" % (code, out.strip()[:300],
                                                                   err.strip()[:300]))
        return 1
    normal = parse(out)
    total = int(m.group(1))
    hi = min(a.hi, total) if a.hi else total
    lo = max(1, a.lo)
    stride = a.stride
    if stride <= 0:
        stride = max(1, -(-(hi - lo + 1) // a.max_runs)) if a.max_runs > 0 else 1
    bad = runs = 0
    for n in range(lo, hi + 1, stride):
        runs += 1
        shutil.rmtree(store, ignore_errors=True)
        code, out, err = run(cmd, dict(base, ASLRT_FAIL_ALLOC_AT=str(n)), work)
        why = judge_failed(code, out, err, normal, prog)
        if not why:
            failed = parse(out) if code == 1 else None
            code, out, err = run(cmd, base, work)
            why = judge_recovery(code, out, err, normal, failed)
        if why:
            bad += 1
            if bad <= 20:
                print("durable: ASLRT_FAIL_ALLOC_AT=%d: %s" % (n, why), flush=True)
    print("durable: %d allocations, %d runs of N in [%d, %d] (stride %d), %d bad"
          % (total, runs, lo, hi, stride, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
