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

# Callbacks inside a Map's iterations (docs/durable.md, "Inside Parallel and
# Map"): the whole Map parks until every line has its answer.
BATCH = {
    "Comment": "Every line of an order waits for its own approval.",
    "StartAt": "Lines",
    "States": {
        "Lines": {"Type": "Map", "ItemsPath": "$.lines", "ResultPath": "$.approvals",
                  "Next": "Ship",
                  "ItemProcessor": {
                      "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Ask",
                      "States": {
                          "Ask": {"Type": "Task",
                                  "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                  "Parameters": {"QueueUrl": "approvals",
                                                 "MessageBody": {"token.$": "$$.Task.Token",
                                                                 "orderId.$": "$.sku"}},
                                  "Next": "Note"},
                          "Note": {"Type": "Pass", "End": True}}}},
        "Ship": {"Type": "Task",
                 "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship",
                 "ResultPath": "$.shipment", "End": True},
    },
}

# A branch's callback parks while its sibling fails the Parallel: the
# state is caught at once, and the parked task's token is closed.
SIBLING = {
    "StartAt": "Both",
    "States": {
        "Both": {"Type": "Parallel", "Next": "Done",
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught",
                            "Next": "Done"}],
                 "Branches": [
                     {"StartAt": "Ask", "States": {"Ask": {
                         "Type": "Task",
                         "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                         "Parameters": {"MessageBody": {"token.$": "$$.Task.Token",
                                                        "orderId": "s1"}},
                         "End": True}}},
                     {"StartAt": "Boom", "States": {"Boom": {
                         "Type": "Fail", "Error": "Boom", "Cause": "no"}}}]},
        "Done": {"Type": "Pass", "End": True},
    },
}

# Activity tasks inside Map iterations: each offered to pollers on its own.
REVIEWS = {
    "StartAt": "Docs",
    "States": {
        "Docs": {"Type": "Map", "ItemsPath": "$.docs", "End": True,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Review",
                                   "States": {"Review": {
                                       "Type": "Task",
                                       "Resource": "arn:aws:states:us-east-1:123456789012:activity:review",
                                       "End": True}}}},
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

# $$.Execution.RedriveTime: present only once the execution was redriven
# ("Accessing execution data from the Context object")
REDRIVE_CTX = {
    "StartAt": "Before",
    "States": {
        "Before": {"Type": "Pass", "Parameters": {"ctx.$": "$$.Execution"},
                   "ResultPath": "$.before", "Next": "Ship"},
        "Ship": {"Type": "Task",
                 "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship",
                 "ResultPath": "$.shipment", "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"ctx.$": "$$.Execution"},
                  "ResultPath": "$.after", "End": True},
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


def map_callbacks(t, work, B):
    """Callback tasks in three Map iterations, answered one by one by
    send-task-success from other processes while the worker is killed
    (-9) and restarted twice: nothing is sent twice, the Map goes on only
    when every line has its answer, Ship runs once, and the history shows
    the iterations as AWS does."""
    bw = os.path.join(work, "batch.d")
    os.makedirs(bw)
    for name, text in (("send.sh", SEND), ("ship.sh", SHIP)):
        with open(os.path.join(bw, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(bw, name), 0o755)
    open(os.path.join(bw, "ship.ok"), "w").close()
    bind = os.path.join(bw, "bind.json")
    with open(bind, "w") as f:
        json.dump({"arn:aws:states:::sqs:sendMessage.waitForTaskToken": {"command": ["./send.sh"]},
                   "arn:aws:lambda:us-east-1:123456789012:function:ship": {"command": ["./ship.sh"]}}, f)
    st = os.path.join(bw, "store")
    run(B, "start", "--store", st, "--name", "b1", "--input",
        '{"lines":[{"sku":"a"},{"sku":"b"},{"sku":"c"}]}')

    def worker():
        """A worker, once it owns the store: a command sent before would
        serve the store itself, and the worker starting meanwhile would find
        it taken (/proc/locks lists the flock of DIR/LOCK)."""
        w = subprocess.Popen([B, "worker", "--store", st, "--bindings", bind],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=bw)
        end = time.monotonic() + 30
        while time.monotonic() < end and w.poll() is None:
            try:
                ino = os.stat(os.path.join(st, "LOCK")).st_ino
                if any(l.split()[5].endswith(":%d" % ino) for l in open("/proc/locks")
                       if len(l.split()) > 5):
                    break
            except OSError:
                pass
            time.sleep(0.02)
        return w

    def queued():
        path = os.path.join(bw, "queue.jsonl")
        if not os.path.exists(path):
            return {}
        return {json.loads(l)["MessageBody"]["orderId"]: json.loads(l)["MessageBody"]["token"]
                for l in open(path) if l.strip()}

    def crash(w):
        w.kill()
        w.wait()

    w = worker()
    end = time.monotonic() + 30
    while len(queued()) < 3 and time.monotonic() < end:
        time.sleep(0.05)
    toks = queued()
    t.eq("one message per line", sorted(toks), ["a", "b", "c"])
    time.sleep(0.3)                  # the park records are durable
    crash(w)
    w = worker()
    try:
        d = wait_status(B, st, "b1", "RUNNING")
        t.eq("parked across a crash", d["status"] if d else None, "RUNNING")
        for sku in ("c", "a"):
            rc, out, _ = run(B, "send-task-success", "--store", st, "--task-token",
                             toks.get(sku, "none"), "--task-output", '{"ok":"%s"}' % sku)
            t.eq("send-task-success " + sku, (rc, js(out)), (0, {}))
        time.sleep(0.3)
        d = wait_status(B, st, "b1", "RUNNING")
        t.eq("waits for the last line", d["status"] if d else None, "RUNNING")
        crash(w)
        w = worker()
        rc, _, err = run(B, "send-task-success", "--store", st, "--task-token",
                         toks.get("a", "none"), "--task-output", "{}")
        t.eq("an answered token is spent", (rc, err.split(":")[1].strip() if err else ""),
             (1, "TaskDoesNotExist"))
        rc, out, _ = run(B, "send-task-success", "--store", st, "--task-token",
                         toks.get("b", "none"), "--task-output", '{"ok":"b"}')
        t.eq("send-task-success b", (rc, js(out)), (0, {}))
        d = wait_status(B, st, "b1", "SUCCEEDED")
        t.eq("Map output in item order",
             json.loads(d["output"]) if d and "output" in d else d,
             {"lines": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}],
              "approvals": [{"ok": "a"}, {"ok": "b"}, {"ok": "c"}],
              "shipment": {"tracking": "1Z"}})
        t.eq("no message sent twice", len([l for l in open(os.path.join(bw, "queue.jsonl"))
                                            if l.strip()]), 3)
        t.eq("Ship ran once", sum(1 for _ in open(os.path.join(bw, "ship.count"))), 1)
        rc, out, _ = run(B, "history", "--store", st, "--name", "b1")
        ev = js(out)["events"]
        types = [e["type"] for e in ev]
        t.eq("history starts", types[:3], ["ExecutionStarted", "MapStateEntered", "MapStateStarted"])
        t.eq("history ends", types[-9:], [
            "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited",
            "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
            "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"])
        counts = {k: types.count(k) for k in (
            "MapIterationStarted", "MapIterationSucceeded", "TaskScheduled", "TaskStarted",
            "TaskSubmitted", "TaskSucceeded", "PassStateEntered", "PassStateExited")}
        t.eq("inner events, once each", counts, {
            "MapIterationStarted": 3, "MapIterationSucceeded": 3, "TaskScheduled": 3,
            "TaskStarted": 3, "TaskSubmitted": 3, "TaskSucceeded": 3,
            "PassStateEntered": 3, "PassStateExited": 3})
        t.eq("TaskStateEntered, Exited", (types.count("TaskStateEntered"),
                                          types.count("TaskStateExited")), (4, 4))
        it = [e["mapIterationStartedEventDetails"] for e in ev
              if e["type"] == "MapIterationStarted"]
        t.eq("iteration details", sorted(it, key=lambda d: d["index"]),
             [{"name": "Lines", "index": i} for i in range(3)])
        t.eq("event ids", [(e["id"], e["previousEventId"]) for e in ev],
             [(i + 1, i) for i in range(len(ev))])
        t.eq("length", ev[2]["mapStateStartedEventDetails"], {"length": 3})
    finally:
        w.send_signal(signal.SIGTERM)
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()


def redrive_context(t, work, R):
    """RedriveCount and RedriveTime in $$.Execution across a redrive."""
    st = os.path.join(work, "store-rctx")
    bind = os.path.join(work, "bind.json")
    ok = os.path.join(work, "ship.ok")
    if os.path.exists(ok):
        os.remove(ok)
    rc, _, _ = run(R, "run", "--type", "standard", "--store", st, "--name", "r",
                   "--input", "{}", "--bindings", bind)
    t.eq("redrive ctx: first try fails", rc, 1)
    open(ok, "w").close()
    rc, out, _ = run(R, "redrive", "--store", st, "--name", "r")
    redrive_date = js(out)["redriveDate"] if rc == 0 else None
    run(R, "run", "--type", "standard", "--store", st, "--name", "r2", "--input", "{}",
        "--bindings", bind)
    d = wait_status(R, st, "r", "SUCCEEDED", timeout=10)
    o = json.loads(d["output"]) if d else {}
    before = o.get("before", {}).get("ctx", {})
    after = o.get("after", {}).get("ctx", {})
    t.eq("redrive ctx: before", ("RedriveTime" in before, before.get("RedriveCount")),
         (False, 0))
    # the same instant as describe's redriveDate, in the context's format
    want = redrive_date.replace("+00:00", "Z") if redrive_date else None
    got = after.get("RedriveTime")
    if got and want:   # trailing fractional zeros are dropped in $$
        frac = want.split(".")[1].rstrip("Z").rstrip("0") if "." in want else ""
        want = want.split(".")[0] + ("." + frac if frac else "") + "Z"
    t.eq("redrive ctx: after", (got, after.get("RedriveCount")), (want, 1))


def map_activities(t, work, R):
    """Activity tasks in two Map iterations: two pollers each get one, the
    Map ends when both have answered, outputs in item order."""
    st = os.path.join(work, "store5")
    run(R, "start", "--store", st, "--name", "d1", "--input", '{"docs":[{"doc":1},{"doc":2}]}')
    w = subprocess.Popen([R, "worker", "--store", st], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        arn = "arn:aws:states:us-east-1:123456789012:activity:review"
        tasks = []
        for who in ("ann", "bob"):
            rc, out, _ = run(R, "get-activity-task", "--store", st, "--activity-arn", arn,
                             "--worker-name", who, "--wait-seconds", "20")
            tasks.append(js(out) or {})
        t.eq("each poller gets one", sorted(x.get("input", "") for x in tasks),
             ['{"doc":1}', '{"doc":2}'])
        for x in tasks:
            doc = json.loads(x.get("input", '{"doc":0}'))["doc"]
            run(R, "send-task-success", "--store", st, "--task-token", x.get("taskToken", ""),
                "--task-output", '{"verdict":%d}' % doc)
        d = wait_status(R, st, "d1", "SUCCEEDED")
        t.eq("activities in a Map", json.loads(d["output"]) if d and "output" in d else d,
             [{"verdict": 1}, {"verdict": 2}])
        rc, out, _ = run(R, "history", "--store", st, "--name", "d1")
        types = [e["type"] for e in js(out)["events"]]
        t.eq("activity events", [types.count(k) for k in (
            "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "MapIterationSucceeded")],
            [2, 2, 2, 2])
    finally:
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)


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
    for name, d in (("approval", APPROVAL), ("review", REVIEW), ("batch", BATCH),
                    ("sibling", SIBLING), ("reviews", REVIEWS), ("redrivectx", REDRIVE_CTX)):
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
    map_callbacks(t, work, progs["batch"])
    S = progs["sibling"]
    st4 = os.path.join(work, "store4")
    rc, out, _ = run(S, "run", "--type", "standard", "--store", st4, "--name", "s1",
                     "--bindings", bind)
    t.eq("a failing branch beats a parked one", (rc, js(out)),
         (0, {"caught": {"Error": "Boom", "Cause": "no"}}))
    tok = [tk for tk in queue_tokens(work)][-1:]
    rc, _, err = run(S, "send-task-success", "--store", st4, "--task-token",
                     tok[0] if tok else "none", "--task-output", "{}")
    t.eq("its token is closed", (rc, err.split(":")[1].strip() if err else ""),
         (1, "TaskDoesNotExist"))
    map_activities(t, work, progs["reviews"])
    redrive_context(t, work, progs["redrivectx"])
    print("%d passed, %d failed" % (t.passed, t.failed))
    if not t.failed and not a.work:
        shutil.rmtree(work)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
