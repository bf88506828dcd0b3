#!/usr/bin/env python3
"""The Standard-mode commands of a program built by aslc, end to end and
across processes (docs/cli.md): start (idempotent), worker, list,
describe, history, stop, redrive, send-task-success/-failure/-heartbeat,
get-activity-task and run --type standard, checked against exact values.

Usage: durable_cli_test.py --aslc PATH [--work DIR]
Prints one line per check that failed, then `N passed, N failed`.
Exit status: 0 all passed, 1 some failed, 2 setup error.
Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

APPROVAL = {
    "Comment": "An order above 100 waits for a person's decision.",
    "StartAt": "Big?",
    "States": {
        "Big?": {"Type": "Choice",
                 "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100,
                              "Next": "Approve"}],
                 "Default": "Ship"},
        "Approve": {"Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "approvals",
                                   "MessageBody": {"token.$": "$$.Task.Token",
                                                   "orderId.$": "$.orderId"}},
                    "ResultPath": "$.approval", "Next": "Ship"},
        "Ship": {"Type": "Task",
                 "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship",
                 "ResultPath": "$.shipment", "End": True},
    },
}

REVIEW = {
    "StartAt": "Review",
    "States": {
        "Review": {"Type": "Task",
                   "Resource": "arn:aws:states:us-east-1:123456789012:activity:review",
                   "End": True},
    },
}

SEND = """#!/bin/sh
cat >> "$(dirname "$0")/queue.jsonl"
echo >> "$(dirname "$0")/queue.jsonl"
echo '{"MessageId":"m-1"}'
"""

SHIP = """#!/bin/sh
cat > /dev/null
echo x >> "$(dirname "$0")/ship.count"
if [ -e "$(dirname "$0")/ship.ok" ]; then echo '{"tracking":"1Z"}'; exit 0; fi
echo '{"Error":"Carrier.Down","Cause":"no trucks"}'; exit 1
"""


class T:
    def __init__(self):
        self.passed = self.failed = 0

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: got %r, want %r" % (what, got, want))


def run(prog, *args, check_rc=None):
    p = subprocess.run([prog] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    out = p.stdout.decode()
    return p.returncode, out, p.stderr.decode()


def js(out):
    return json.loads(out) if out.strip() else None


def wait_status(prog, store, name, want, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rc, out, _ = run(prog, "describe", "--store", store, "--name", name)
        if rc == 0 and js(out)["status"] == want:
            return js(out)
        time.sleep(0.05)
    return js(out) if rc == 0 else None


def queue_tokens(work):
    path = os.path.join(work, "queue.jsonl")
    if not os.path.exists(path):
        return []
    return [json.loads(l)["MessageBody"]["token"] for l in open(path) if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--work")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="aslrt-cli-")
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    for name, text in (("send.sh", SEND), ("ship.sh", SHIP)):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(work, name), 0o755)
    with open(os.path.join(work, "bind.json"), "w") as f:
        json.dump({"arn:aws:states:::sqs:sendMessage.waitForTaskToken": {"command": ["./send.sh"]},
                   "arn:aws:lambda:us-east-1:123456789012:function:ship": {"command": ["./ship.sh"]}}, f)
    progs = {}
    for name, d in (("approval", APPROVAL), ("review", REVIEW)):
        src = os.path.join(work, name + ".asl.json")
        with open(src, "w") as f:
            json.dump(d, f, indent=2)
        prog = os.path.join(work, name)
        c = subprocess.run([a.aslc, src, "-o", prog], stderr=subprocess.PIPE)
        if c.returncode != 0:
            print("aslc failed: " + c.stderr.decode())
            return 2
        progs[name] = prog
    t = T()
    P = progs["approval"]
    st = os.path.join(work, "store")
    bind = os.path.join(work, "bind.json")
    open(os.path.join(work, "ship.ok"), "w").close()

    # start without a worker: the command serves the store itself
    rc, out, err = run(P, "start", "--store", st, "--name", "o1", "--input", '{"orderId":"o1","total":500}')
    t.eq("start rc", rc, 0)
    t.eq("start arn", js(out)["executionArn"], "arn:aws:states:us-east-1:123456789012:execution:approval:o1")
    rc, out2, _ = run(P, "start", "--store", st, "--name", "o1", "--input", '{"orderId":"o1","total":500}')
    t.eq("same start again: same answer", (rc, js(out2)), (0, js(out)))
    rc, _, err = run(P, "start", "--store", st, "--name", "o1", "--input", '{"orderId":"o1","total":1}')
    t.eq("other input", (rc, err.split(":")[1].strip()), (1, "ExecutionAlreadyExists"))
    rc, _, err = run(P, "start", "--store", st, "--name", "bad name", "--input", "{}")
    t.eq("bad name", rc, 2)

    worker = subprocess.Popen([P, "worker", "--store", st, "--bindings", bind],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=work)
    try:
        # the big order waits for its approval
        end = time.monotonic() + 30
        while not queue_tokens(work) and time.monotonic() < end:
            time.sleep(0.05)
        toks = queue_tokens(work)
        t.eq("one approval message", len(toks), 1)
        tok = toks[0] if toks else "none"
        d = wait_status(P, st, "o1", "RUNNING")
        t.eq("waiting for approval", d["status"], "RUNNING")
        rc, out, _ = run(P, "send-task-heartbeat", "--store", st, "--task-token", tok)
        t.eq("heartbeat", (rc, js(out)), (0, {}))
        rc, out, _ = run(P, "send-task-success", "--store", st, "--task-token", tok,
                         "--task-output", '{"approvedBy":"dana"}')
        t.eq("send-task-success", (rc, js(out)), (0, {}))
        d = wait_status(P, st, "o1", "SUCCEEDED")
        t.eq("approved order output", json.loads(d["output"]),
             {"orderId": "o1", "total": 500, "approval": {"approvedBy": "dana"},
              "shipment": {"tracking": "1Z"}})
        rc, _, err = run(P, "send-task-success", "--store", st, "--task-token", tok,
                         "--task-output", "{}")
        t.eq("token spent", (rc, err.split(":")[1].strip()), (1, "TaskDoesNotExist"))
        rc, out, _ = run(P, "history", "--store", st, "--name", "o1")
        types = [e["type"] for e in js(out)["events"]]
        t.eq("history", types, [
            "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
            "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
            "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "LambdaFunctionScheduled",
            "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
            "ExecutionSucceeded"])
        ids = [(e["id"], e["previousEventId"]) for e in js(out)["events"]]
        t.eq("event ids", ids, [(i + 1, i) for i in range(len(ids))])
        rc, out, _ = run(P, "history", "--store", st, "--name", "o1", "--reverse-order")
        t.eq("reverse order", js(out)["events"][0]["type"], "ExecutionSucceeded")

        # a rejection fails the execution
        run(P, "start", "--store", st, "--name", "o2", "--input", '{"orderId":"o2","total":900}')
        end = time.monotonic() + 30
        while len(queue_tokens(work)) < 2 and time.monotonic() < end:
            time.sleep(0.05)
        tok2 = queue_tokens(work)[-1]
        rc, out, _ = run(P, "send-task-failure", "--store", st, "--task-token", tok2,
                         "--error", "Rejected", "--cause", "over budget")
        d = wait_status(P, st, "o2", "FAILED")
        t.eq("rejected", (d["status"], d.get("error"), d.get("cause")),
             ("FAILED", "Rejected", "over budget"))

        # stop a waiting execution, then redrive it: the approval comes again
        run(P, "start", "--store", st, "--name", "o3", "--input", '{"orderId":"o3","total":700}')
        end = time.monotonic() + 30
        while len(queue_tokens(work)) < 3 and time.monotonic() < end:
            time.sleep(0.05)
        tok3 = queue_tokens(work)[-1]
        wait_status(P, st, "o3", "RUNNING")
        rc, out, _ = run(P, "stop", "--store", st, "--name", "o3", "--error", "Ops.Cancel",
                         "--cause", "called")
        t.eq("stop", (rc, sorted(js(out).keys())), (0, ["stopDate"]))
        d = wait_status(P, st, "o3", "ABORTED")
        t.eq("aborted", (d["status"], d.get("error"), d["redriveStatus"]),
             ("ABORTED", "Ops.Cancel", "REDRIVABLE"))
        rc, _, err = run(P, "send-task-success", "--store", st, "--task-token", tok3,
                         "--task-output", "{}")
        t.eq("token of a stopped execution", rc, 1)
        rc, out, _ = run(P, "redrive", "--store", st, "--name", "o3")
        t.eq("redrive", (rc, sorted(js(out).keys())), (0, ["redriveDate"]))
        end = time.monotonic() + 30
        while len(queue_tokens(work)) < 4 and time.monotonic() < end:
            time.sleep(0.05)
        run(P, "send-task-success", "--store", st, "--task-token", queue_tokens(work)[-1],
            "--task-output", '{"approvedBy":"kim"}')
        d = wait_status(P, st, "o3", "SUCCEEDED")
        t.eq("redriven", (d["status"], d["redriveCount"]), ("SUCCEEDED", 1))

        # list, newest first, and by status
        rc, out, _ = run(P, "list", "--store", st)
        t.eq("list", [(e["name"], e["status"]) for e in js(out)["executions"]],
             [("o3", "SUCCEEDED"), ("o2", "FAILED"), ("o1", "SUCCEEDED")])
        rc, out, _ = run(P, "list", "--store", st, "--status-filter", "FAILED")
        t.eq("list FAILED", [e["name"] for e in js(out)["executions"]], ["o2"])
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            rc = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            rc = -1
    t.eq("worker stops cleanly on SIGTERM", rc, 0)

    # run --type standard: a failure, then a redrive finishes it without
    # running the finished steps again
    os.remove(os.path.join(work, "ship.ok"))
    st2 = os.path.join(work, "store2")
    rc, out, _ = run(P, "run", "--type", "standard", "--store", st2, "--name", "small",
                     "--input", '{"orderId":"s","total":5}', "--bindings", bind)
    t.eq("run standard fails", (rc, js(out)),
         (1, {"Error": "Carrier.Down", "Cause": "no trucks"}))
    rc, out, _ = run(P, "run", "--type", "standard", "--store", st2, "--name", "small",
                     "--input", '{"orderId":"s","total":5}', "--bindings", bind)
    t.eq("run again reports the result", rc, 1)
    open(os.path.join(work, "ship.ok"), "w").close()
    run(P, "redrive", "--store", st2, "--name", "small")
    rc, out, _ = run(P, "run", "--type", "standard", "--store", st2, "--name", "other",
                     "--input", '{"orderId":"t","total":5}', "--bindings", bind)
    d = wait_status(P, st2, "small", "SUCCEEDED", timeout=5)
    t.eq("redriven by the next run", d["status"] if d else None, "SUCCEEDED")
    # o1, o3, small (failed), small (redriven), other: once each
    t.eq("Ship ran once per try", sum(1 for _ in open(os.path.join(work, "ship.count"))), 5)
    rc, out, _ = run(P, "run", "--type", "express", "--input", '{"orderId":"e","total":5}',
                     "--bindings", bind)
    t.eq("run --type express", (rc, js(out)["shipment"]), (0, {"tracking": "1Z"}))

    # activities: a worker of the program schedules, another process polls
    R = progs["review"]
    st3 = os.path.join(work, "store3")
    run(R, "start", "--store", st3, "--name", "doc1", "--input", '{"doc":1}')
    w = subprocess.Popen([R, "worker", "--store", st3], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        arn = "arn:aws:states:us-east-1:123456789012:activity:review"
        rc, out, _ = run(R, "get-activity-task", "--store", st3, "--activity-arn", arn,
                         "--worker-name", "bob", "--wait-seconds", "20")
        task = js(out)
        t.eq("activity input", task.get("input"), '{"doc":1}')
        rc, out, _ = run(R, "get-activity-task", "--store", st3, "--activity-arn", arn,
                         "--wait-seconds", "0.2")
        t.eq("nothing more to do", js(out), {})
        run(R, "send-task-success", "--store", st3, "--task-token", task.get("taskToken", ""),
            "--task-output", '{"verdict":"ok"}')
        d = wait_status(R, st3, "doc1", "SUCCEEDED")
        t.eq("activity result", json.loads(d["output"]), {"verdict": "ok"})
        rc, out, _ = run(R, "history", "--store", st3, "--name", "doc1")
        ev = js(out)["events"]
        t.eq("activity events", [e["type"] for e in ev][2:5],
             ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"])
        t.eq("worker name", ev[3]["activityStartedEventDetails"], {"workerName": "bob"})
    finally:
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)
    print("%d passed, %d failed" % (t.passed, t.failed))
    if not t.failed and not a.work:
        shutil.rmtree(work)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
