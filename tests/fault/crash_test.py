#!/usr/bin/env python3
"""Crash test of Standard mode (docs/durable.md): kill -9 the worker at
random moments, restart it each time, then check that every execution
finished exactly once with the outputs of an uncrashed run and that no task
whose result was recorded was invoked again (crash_driver.c verifies).

Usage: crash_test.py --driver PATH --orders N --kills K [--seed S]
                     [--work DIR] [--min-delay SEC] [--max-delay SEC]

The acceptance run is --orders 10000 --kills 50; tests/meson.build runs a
quick one. When every order has finished before a run is killed, the next
runs get N more orders, so the K kills always land in running work. Exit status: 0 pass, 1 fail, 2 usage or setup error.
Python 3 standard library only.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--orders", type=int, required=True)
    ap.add_argument("--kills", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work")
    ap.add_argument("--min-delay", type=float, default=0.005)
    ap.add_argument("--max-delay", type=float, default=0.08)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = a.work or tempfile.mkdtemp(prefix="aslrt-crash-")
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    store = os.path.join(work, "store")
    log = os.path.join(work, "invocations.log")
    pids, kills, orders = [], 0, a.orders
    started = time.monotonic()
    while kills < a.kills:
        p = subprocess.Popen([a.driver, "run", store, str(orders), log],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        pids.append(p.pid)
        # one kill in five lands while the run recovers and starts orders,
        # the others while executions are stepping
        if rng.random() >= 0.2:
            p.stdout.readline()
        time.sleep(rng.uniform(a.min_delay, a.max_delay))
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
            kills += 1
            continue
        err = p.stderr.read().decode(errors="replace")
        if p.returncode != 0:
            print("run %d failed (exit %d): %s" % (len(pids), p.returncode, err))
            return 1
        # every order finished before the kill: give the next runs more
        # orders (starting an order that finished does nothing)
        orders += a.orders
    p = subprocess.Popen([a.driver, "run", store, str(orders), log],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pids.append(p.pid)
    _, err = p.communicate()
    if p.returncode != 0:
        print("the final run failed (exit %d): %s" % (p.returncode,
                                                      err.decode(errors="replace")))
        return 1
    elapsed = time.monotonic() - started
    v = subprocess.run([a.driver, "verify", store, str(orders), log] +
                       [str(x) for x in pids], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    sys.stdout.write(v.stdout.decode())
    sys.stderr.write(v.stderr.decode())
    print("%d kills (kill -9 at random moments), %d runs, %.1f s" % (kills, len(pids),
                                                                     elapsed))
    if v.returncode == 0 and not a.work:
        shutil.rmtree(work)
    return 0 if v.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
