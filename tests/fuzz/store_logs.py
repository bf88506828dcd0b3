#!/usr/bin/env python3
"""Write real store logs as fuzz_store inputs (tests/fuzz/regressions/store/).

Usage: store_logs.py --aslc PATH [--out DIR]

Builds tests/fuzz/machines/store.asl.json into a program, then drives a
durable workflow through its commands in a temporary store: executions that
retry a task, wait, park on a callback token and on an activity; a callback
answered with success and one with failure, an activity claimed, heartbeated
and answered, a stop, a redrive, then a worker compacting the log (so an
archive exists). The store's files become fuzz_store inputs (see the header
of fuzz_store.c for the layout):

  log-wal.bin        mode 0: the live log before compaction, records only
  log-wal-raw.bin    mode 1: the same file whole, header included
  log-archive.bin    mode 2: archive-1 and wal-2 after compaction
  req-<op>.bin       mode 4: an inbox request next to the live log

seeds.py derives truncations and corruptions of these for the fuzzer.
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = 20 + len("fuzz_store")
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:pick"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--out", default=os.path.join(HERE, "regressions", "store"))
    a = ap.parse_args(argv)
    work = tempfile.mkdtemp(prefix="aslc-store-logs-")
    try:
        return make(os.path.abspath(a.aslc), work, a.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def make(aslc, work, out):
    prog = os.path.join(work, "prog")
    subprocess.run([aslc, os.path.join(HERE, "machines", "store.asl.json"), "-o", prog,
                    "--name", "fuzz_store"], check=True)
    with open(os.path.join(work, "mocks.json"), "w") as f:
        json.dump({"StateMachines": {"fuzz_store": {"TestCases": {"seed": {"Pay": "Pay"}}}},
                   "MockedResponses": {"Pay": {
                       "0": {"Throw": {"Error": "Busy", "Cause": "later"}},
                       "1": {"Return": {"id": "P-1"}}}}}, f)
    with open(os.path.join(work, "bindings.json"), "w") as f:
        json.dump({"arn:aws:states:::sqs:sendMessage.waitForTaskToken": {"command": ["cat"]}}, f)
    st = os.path.join(work, "st")

    def cmd(*args, ok=True):
        p = subprocess.run([prog, *args, "--store", st], capture_output=True, text=True,
                           cwd=work)
        if ok and p.returncode != 0:
            raise SystemExit("%s: %s" % (" ".join(args), p.stderr.strip()))
        return p.stdout

    def worker(*extra):
        subprocess.run(["timeout", "-s", "TERM", "3", prog, "worker", "--store", st,
                        "--time-scale", "0", "--mock-config", "mocks.json", "--test-case",
                        "seed", "--bindings", "bindings.json", "--workers", "1", *extra],
                       cwd=work, capture_output=True)

    def token(name):
        found = re.findall(r"(?<![\w-])[\w-]{43}(?![\w-])", cmd("history", "--name", name))
        return found[0] if found else ""

    for i in (1, 2, 3):
        cmd("start", "--name", "a%d" % i, "--input", json.dumps({"approve": True, "n": i}))
    for i in (1, 2):
        cmd("start", "--name", "p%d" % i, "--input", '{"approve": false, "v": [1, 2.5, "x"]}')
    worker()
    cmd("send-task-success", "--task-token", token("a1"), "--task-output", '{"ok": true}')
    cmd("send-task-failure", "--task-token", token("a2"), "--error", "Rejected", "--cause", "no")
    cmd("stop", "--name", "a3", "--error", "Halt", "--cause", "by hand")
    task = json.loads(cmd("get-activity-task", "--activity-arn", ACTIVITY, "--worker-name", "w"))
    cmd("send-task-heartbeat", "--task-token", task["taskToken"])
    cmd("send-task-success", "--task-token", task["taskToken"], "--task-output", "[1, null]")
    cmd("redrive", "--name", "a3")
    cmd("start", "--name", "f1", "--input", '{"approve": true, "deep": [[[{"k": "\\u00e9"}]]]}')
    with open(os.path.join(st, "wal-00000001.log"), "rb") as f:
        wal1 = f.read()
    parked = token("p2") or "x" * 43
    worker("--compact-bytes", "4000")
    with open(os.path.join(st, "archive-00000001.log"), "rb") as f:
        arch = f.read()[HEADER:]
    with open(os.path.join(st, "wal-00000002.log"), "rb") as f:
        wal2 = f.read()[HEADER:]

    os.makedirs(out, exist_ok=True)
    files = {
        "log-wal.bin": b"\0" + wal1[HEADER:],
        "log-wal-raw.bin": b"\1" + wal1,
        "log-archive.bin": b"\2" + struct.pack("<H", len(arch)) + arch + wal2,
    }
    requests = {
        "start": {"op": "start", "name": "n1", "input": {"approve": True}},
        "start-again": {"op": "start", "name": "f1", "input": {"approve": True}},
        "success": {"op": "send-task-success", "token": parked, "output": {"r": 1}},
        "failure": {"op": "send-task-failure", "token": parked, "error": "E", "cause": "c"},
        "heartbeat": {"op": "send-task-heartbeat", "token": parked},
        "stop": {"op": "stop", "name": "f1", "error": "E"},
        "redrive": {"op": "redrive", "name": "a2"},
        "activity": {"op": "activity-started", "token": parked, "worker": "w"},
        "unknown": {"op": "reboot"},
    }
    for op, req in requests.items():
        text = json.dumps(req).encode()
        files["req-%s.bin" % op] = b"\4" + struct.pack("<H", len(text)) + text + wal1[HEADER:]
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%s: %d bytes" % (name, len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
