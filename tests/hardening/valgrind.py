#!/usr/bin/env python3
"""The test suite once under valgrind (memcheck): every unit test, and a sample
of the execution cases with their programs run under valgrind.

Usage: valgrind.py --aslc PATH --cases DIR --work DIR [--sample N] [-j N] UNIT_TEST...

Each unit test runs as `valgrind --error-exitcode=97 --leak-check=full
--errors-for-leak-kinds=definite TEST` with CK_FORK=no (check runs the tests
in one process, so memcheck sees them all); any invalid access, use of
uninitialised memory or definite leak fails it. Then run_cases.py replays every
Nth case (default 8) with `--wrap` valgrind: a memcheck error makes the
program exit 97, which the case runner reports as a failure. (The runtime's
small-block cache, alloc.c, recycles freed blocks itself, so memcheck cannot
see a use after free of a cached block; the ASan build, which turns the cache
off, does.) Prints one line per unit test and the case runner's report; exit
status 1 when anything failed.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys

VALGRIND = ["valgrind", "-q", "--error-exitcode=97", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--track-origins=no"]
HERE = os.path.dirname(os.path.abspath(__file__))


def unit(test):
    env = dict(os.environ, CK_FORK="no")
    try:
        p = subprocess.run(VALGRIND + [test], env=env, capture_output=True, text=True,
                           errors="replace", timeout=1200)
    except subprocess.TimeoutExpired:
        return test, None, "timed out"
    return test, p.returncode, (p.stdout + p.stderr).strip()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sample", type=int, default=8)
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("tests", nargs="*")
    a = ap.parse_args(argv)
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        for test, rc, out in pool.map(unit, a.tests):
            name = os.path.basename(test)
            if rc == 0:
                print("ok   %s" % name)
            else:
                bad += 1
                print("FAIL %s (exit %s):\n%s" % (name, rc, out[-3000:]))
    rc = subprocess.call([sys.executable, os.path.join(os.path.dirname(HERE), "run_cases.py"),
                          "--aslc", a.aslc, "--cases", a.cases, "--work", a.work,
                          "-j", str(a.j), "--sample", str(a.sample),
                          "--wrap", " ".join(VALGRIND)])
    return 1 if bad or rc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
