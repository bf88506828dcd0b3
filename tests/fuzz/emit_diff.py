#!/usr/bin/env python3
"""The emitter's differential check: every definition the validator accepts
must give C that compiles cleanly and a program that runs.

Usage: emit_diff.py --aslc PATH --work DIR [--all | --sample N] [--seed S]
                    [--keep DIR] DEF_DIR_OR_FILE...

For each chosen *.asl.json (all of them, or a random sample of N):
  1. `aslc DEF -o WORK/prog` with ASLC_CFLAGS="-O0 -Wall -Wextra -Wpedantic
     -Werror" (aslc adds -std=c11 and, in a sanitizer build, the sanitizers):
     aslc must accept it (the fuzzer saw asl_check accept it) and cc must
     compile it without a single warning;
  2. `prog run --input {} --time-scale 0 --bindings B`, where B binds every
     resource ("*") to `cat` (the task's result is its input): the run must
     end SUCCEEDED (0) or FAILED (1) with JSON on stdout, or still be running
     after the time limit (a definition may loop forever, as ASL allows);
     a crash, a sanitizer report or exit 2 is a finding.
Findings are printed one a line (and copied to --keep DIR when given); the
last line is `N checked, N findings, N timeouts`. Exit status 1 on findings.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

RUN_TIMEOUT = 10
COMPILE_TIMEOUT = 120
CFLAGS = "-O0 -Wall -Wextra -Wpedantic -Werror"
SANITIZER_MARKS = ("runtime error:", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "ERROR: UndefinedBehaviorSanitizer")


def collect(paths):
    found = []
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(".json"):
                    found.append(os.path.join(p, name))
        elif os.path.isfile(p):
            found.append(p)
    return found


def tail(text, n=6):
    lines = [l for l in text.splitlines() if l.strip()]
    return " | ".join(lines[:n])


def check_one(aslc, definition, work):
    """Returns None, "timeout", or a finding message."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    prog = os.path.join(work, "prog")
    env = dict(os.environ, ASLC_CFLAGS=CFLAGS, ASAN_OPTIONS="detect_leaks=1:exitcode=86",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    try:
        p = subprocess.run([aslc, definition, "-o", prog, "--name", "m"], cwd=work, env=env,
                           capture_output=True, text=True, errors="replace",
                           timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "aslc timed out"
    if p.returncode != 0 or not os.path.exists(prog):
        return "aslc/cc failed (exit %d): %s" % (p.returncode, tail(p.stderr))
    bindings = os.path.join(work, "bindings.json")
    with open(bindings, "w") as f:
        json.dump({"*": {"command": ["cat"]}}, f)
    try:
        r = subprocess.run([prog, "run", "--input", "{}", "--time-scale", "0", "--name", "fuzz",
                            "--bindings", bindings], cwd=work, env=env, capture_output=True,
                           text=True, errors="replace", timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout"
    if any(m in r.stderr for m in SANITIZER_MARKS):
        return "sanitizer report: %s" % tail(r.stderr, 12)
    if r.returncode < 0:
        return "killed by signal %d: %s" % (-r.returncode, tail(r.stderr))
    if r.returncode not in (0, 1):
        return "exit %d: %s" % (r.returncode, tail(r.stderr))
    try:
        out = json.loads(r.stdout)
    except ValueError:
        return "stdout is not JSON: %r" % r.stdout[:200]
    if r.returncode == 1 and not (isinstance(out, dict) and isinstance(out.get("Error"), str)):
        return "FAILED without an Error: %r" % r.stdout[:200]
    return None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", help="copy each finding's definition here")
    ap.add_argument("defs", nargs="+")
    a = ap.parse_args(argv)
    defs = collect(a.defs)
    if not a.all and len(defs) > a.sample:
        defs = random.Random(a.seed).sample(defs, a.sample)
    aslc = os.path.abspath(a.aslc)
    findings = timeouts = 0
    for i, d in enumerate(defs):
        work = os.path.join(os.path.abspath(a.work), "w%d" % (i % 4))
        res = check_one(aslc, os.path.abspath(d), work)
        if res == "timeout":
            timeouts += 1
        elif res:
            findings += 1
            print("FINDING %s: %s" % (d, res.replace("\n", " ")))
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                shutil.copy(d, a.keep)
    print("%d checked, %d findings, %d timeouts" % (len(defs), findings, timeouts))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
