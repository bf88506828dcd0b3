#!/usr/bin/env python3
"""Visibility end to end (docs/visibility.md): a small durable workflow whose
state names need escaping (<, &, quotes, non-ASCII) runs in a worker with
--metrics; then

- `PROG report` writes the HTML; headless Chromium loads it (--dump-dom, so
  the page's script has run) and each state's element must carry the
  expected data-status and data-count, with the drawing compiled into the
  program (a list for programs built without one) and with a hand-made SVG
  (--svg) that follows
  the graph_svg contract of aslrt.h; a screenshot is taken (--screenshot);
- the page fetches nothing: no http(s) URL, no src= attribute;
- a second workflow with a Parallel and a Map (run by `run --type
  standard`): the states inside the branches and iterations carry their
  counts, statuses and transitions, folded from the children's notes;
- `PROG top --once` prints the worker's last counters;
- the --metrics file is valid Prometheus text with the exact counters;
- the progress line shows on a terminal (forced: ASLRT_PROGRESS=1) and not
  when piped.

Usage: report_test.py --aslc PATH [--chromium require|skip] [--work DIR]
Prints one line per failed check, then `N passed, N failed`.
Exit status: 0 all passed, 1 some failed, 2 setup error, 77 skipped.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CHECK = 'Check <stock> & "go"'
PAY = "Pay \u00e9t\u00e9 'card'"
MACHINE = {
    "StartAt": CHECK,
    "States": {
        CHECK: {"Type": "Pass", "Next": "Route"},
        "Route": {"Type": "Choice",
                  "Choices": [{"Variable": "$.mode", "StringEquals": "skip", "Next": "Never"}],
                  "Default": PAY},
        "Never": {"Type": "Pass", "End": True},
        PAY: {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:pay",
              "ResultPath": "$.paid",
              "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err",
                         "Next": "Refund"}],
              "Next": "Done"},
        "Refund": {"Type": "Pass", "Next": "Failed"},
        "Failed": {"Type": "Fail", "Error": "Declined", "Cause": "the card <was> declined"},
        "Done": {"Type": "Succeed"},
    },
}

# mode ok: pays; flaky: fails once with Flaky (retried), then pays; decline:
# fails with Card.Declined (not retried, caught).
PAY_SH = """#!/bin/sh
in=$(cat)
dir=$(dirname "$0")
case "$in" in
*'"decline"'*) echo '{"Error":"Card.Declined","Cause":"insufficient funds"}'; exit 1;;
*'"flaky"'*)
  if [ ! -e "$dir/flaky.once" ]; then touch "$dir/flaky.once";
    echo '{"Error":"Flaky","Cause":"try again"}'; exit 1; fi;;
esac
echo '{"ok":true}'
"""

# The drawing of MACHINE after the contract of graph_svg (aslrt.h): states
# by index (document order), edges by from, to and a number.
SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="420pt" height="520pt" viewBox="0 0 420 520">
<g id="graph0" class="graph" transform="translate(4 516)">
<g id="aslc-s0" class="aslc-state aslc-pass"><title>0</title>
<rect x="110" y="-510" width="200" height="36" rx="6"/>
<text x="210" y="-487" text-anchor="middle">Check &lt;stock&gt; &amp; "go"</text></g>
<g id="aslc-s1" class="aslc-state aslc-choice"><title>1</title>
<polygon points="210,-450 290,-425 210,-400 130,-425"/>
<text x="210" y="-421" text-anchor="middle">Route</text></g>
<g id="aslc-s2" class="aslc-state aslc-pass"><title>2</title>
<rect x="10" y="-370" width="110" height="36" rx="6"/>
<text x="65" y="-347" text-anchor="middle">Never</text></g>
<g id="aslc-s3" class="aslc-state aslc-task"><title>3</title>
<rect x="180" y="-370" width="180" height="36" rx="6"/>
<text x="270" y="-347" text-anchor="middle">Pay &#233;t&#233; 'card'</text></g>
<g id="aslc-s4" class="aslc-state aslc-pass"><title>4</title>
<rect x="290" y="-270" width="110" height="36" rx="6"/>
<text x="345" y="-247" text-anchor="middle">Refund</text></g>
<g id="aslc-s5" class="aslc-state aslc-fail"><title>5</title>
<rect x="290" y="-170" width="110" height="36" rx="6"/>
<text x="345" y="-147" text-anchor="middle">Failed</text></g>
<g id="aslc-s6" class="aslc-state aslc-succeed"><title>6</title>
<rect x="140" y="-170" width="110" height="36" rx="6"/>
<text x="195" y="-147" text-anchor="middle">Done</text></g>
<g id="aslc-e0-1-0" class="aslc-edge aslc-next"><path fill="none" stroke="black" d="M210,-474 L210,-450"/></g>
<g id="aslc-e1-2-0" class="aslc-edge aslc-choice"><path fill="none" stroke="black" d="M170,-412 L65,-370"/></g>
<g id="aslc-e1-3-0" class="aslc-edge aslc-default"><path fill="none" stroke="black" d="M230,-406 L270,-370"/></g>
<g id="aslc-e3-3-0" class="aslc-edge aslc-retry"><path fill="none" stroke="black" d="M360,-360 C400,-380 400,-330 360,-345"/></g>
<g id="aslc-e3-6-0" class="aslc-edge aslc-next"><path fill="none" stroke="black" d="M250,-334 L195,-170"/></g>
<g id="aslc-e3-4-0" class="aslc-edge aslc-catch"><path fill="none" stroke="black" stroke-dasharray="5,2" d="M300,-334 L345,-270"/></g>
<g id="aslc-e4-5-0" class="aslc-edge aslc-next"><path fill="none" stroke="black" d="M345,-234 L345,-170"/></g>
<g id="aslc-e2--1-0" class="aslc-edge aslc-next"><path fill="none" stroke="black" d="M65,-334 L65,-300"/></g>
<g id="aslc-e6--1-0" class="aslc-edge aslc-next"><path fill="none" stroke="black" d="M195,-134 L195,-100"/></g>
</g></svg>
"""

# index: (name, status, count) once o1..o4 have finished and o5 only started
WANT = [
    (CHECK, "in-progress", 5),
    ("Route", "succeeded", 4),
    ("Never", "not-reached", 0),
    (PAY, "caught", 4),
    ("Refund", "succeeded", 1),
    ("Failed", "failed", 1),
    ("Done", "succeeded", 3),
]
WANT_EDGES = {"aslc-e0-1-0": 4, "aslc-e1-3-0": 4, "aslc-e1-2-0": 0, "aslc-e3-6-0": 3,
              "aslc-e3-4-0": 1, "aslc-e3-3-0": 1, "aslc-e4-5-0": 1, "aslc-e6--1-0": 3,
              "aslc-e2--1-0": 0}

# A Parallel, then a Map run one item at a time: f1 (items 1, 2, 3)
# succeeds; f2 (items 0, 2) fails in Zero inside the first iteration (the
# second never starts: MaxConcurrency 1).
FAN = {
    "StartAt": "Split",
    "States": {
        "Split": {"Type": "Parallel", "Next": "Each", "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
            {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Next": "Right2"},
                                            "Right2": {"Type": "Pass", "End": True}}}]},
        "Each": {"Type": "Map", "ItemsPath": "$[0].items", "MaxConcurrency": 1, "End": True,
                 "ItemProcessor": {
                     "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Check",
                     "States": {
                         "Check": {"Type": "Choice", "Default": "Small", "Choices": [
                             {"Variable": "$", "NumericEquals": 0, "Next": "Zero"},
                             {"Variable": "$", "NumericGreaterThan": 1, "Next": "Big"}]},
                         "Zero": {"Type": "Fail", "Error": "Zero", "Cause": "an item is 0"},
                         "Big": {"Type": "Pass", "End": True},
                         "Small": {"Type": "Pass", "End": True}}}},
    },
}
# index: (name, status, count, entries)
WANT_FAN = [
    ("Split", "succeeded", 2, 2),
    ("Each", "failed", 2, 2),
    ("Left", "succeeded", 2, 2),
    ("Right", "succeeded", 2, 2),
    ("Right2", "succeeded", 2, 2),
    ("Check", "succeeded", 2, 4),
    ("Zero", "failed", 1, 1),
    ("Big", "succeeded", 1, 2),
    ("Small", "succeeded", 1, 1),
]
WANT_FAN_EDGES = {"aslc-e0-1-0": 2, "aslc-e1--1-0": 1, "aslc-e2--1-0": 2, "aslc-e3-4-0": 2,
                  "aslc-e4--1-0": 2, "aslc-e5-6-0": 1, "aslc-e5-7-0": 2, "aslc-e5-8-0": 1,
                  "aslc-e6--1-0": 1, "aslc-e7--1-0": 2, "aslc-e8--1-0": 1}


def fan_report(t, aslc, work):
    """Compile FAN, run f1 and f2 in a store, write its report (the
    program's own drawing); returns the page's path or None."""
    src = os.path.join(work, "fan.asl.json")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(FAN, f, indent=2)
    prog = os.path.join(work, "fan")
    c = subprocess.run([aslc, src, "-o", prog], stderr=subprocess.PIPE)
    t.eq("aslc fan", (c.returncode, c.stderr.decode()), (0, ""))
    if c.returncode:
        return None
    st = os.path.join(work, "fan-store")
    for name, items, want in (("f1", [1, 2, 3], 0), ("f2", [0, 2], 1)):
        rc, out, err = run(prog, "run", "--type", "standard", "--store", st, "--name", name,
                           "--input", json.dumps({"items": items}))
        t.eq("fan %s exit" % name, rc, want)
    out_html = os.path.join(work, "report-fan.html")
    rc, out, err = run(prog, "report", "--store", st, "-o", out_html)
    t.eq("report fan exit", (rc, err), (0, ""))
    page = open(out_html, encoding="ascii").read() if rc == 0 else ""
    t.eq("fan: no state dashed", 'data-status="not-recorded"' in page, False)
    return out_html if rc == 0 else None


class T:
    def __init__(self):
        self.passed = self.failed = 0

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: got %r, want %r" % (what, got, want))


def run(prog, *args, env=None, timeout=120):
    p = subprocess.run([prog] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(exe, *args):
    """Run headless Chromium; returns (rc, stdout)."""
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--user-data-dir=" + tempfile.mkdtemp(prefix="aslrt-chr-")]
    p = subprocess.run(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def state_elements(dom):
    """{index: {attr: value}} of every element with id aslc-s<I>, from the DOM
    Chromium serialised (attributes in any order, entities decoded)."""
    out = {}
    for m in re.finditer(r'<(?:g|div)\s([^>]*\bid="aslc-s(\d+)"[^>]*)>', dom):
        attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(1))}
        out[int(m.group(2))] = attrs
    return out


def edge_elements(dom):
    out = {}
    for m in re.finditer(r'<g\s([^>]*\bid="(aslc-e[-\d]+)"[^>]*)>', dom):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
        out[m.group(2)] = attrs
    return out


PROM_LINE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*'
    r'(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})?'
    r' [-+]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|[-+]?Inf)$')


def check_prometheus(t, text):
    """The text exposition format: # HELP / # TYPE lines, samples; every
    sample's metric has a TYPE line before it, none twice."""
    typed = {}
    bad = 0
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in ("counter", "gauge") or parts[2] in typed:
                bad += 1
            typed[parts[2]] = parts[3]
            continue
        if not PROM_LINE.match(line) or line.split("{")[0].split(" ")[0] not in typed:
            print("bad Prometheus line: %r" % line)
            bad += 1
    t.eq("Prometheus syntax: bad lines", bad, 0)
    for name, kind in typed.items():
        if kind == "counter":
            t.eq("counter %s ends with _total" % name, name.endswith("_total"), True)


def sample(text, name, **labels):
    want = ",".join('%s="%s"' % (k, v) for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(name + "{") and (not want or ("," + want + "}") in line):
            return float(line.rsplit(" ", 1)[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aslc", required=True)
    ap.add_argument("--chromium", default="require", choices=("require", "skip"))
    ap.add_argument("--work")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="aslrt-vis-")
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    with open(os.path.join(work, "pay.sh"), "w") as f:
        f.write(PAY_SH)
    os.chmod(os.path.join(work, "pay.sh"), 0o755)
    bind = os.path.join(work, "bind.json")
    with open(bind, "w") as f:
        json.dump({"arn:aws:lambda:us-east-1:123456789012:function:pay":
                   {"command": ["./pay.sh"]}}, f)
    src = os.path.join(work, "shop.asl.json")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(MACHINE, f, indent=2, ensure_ascii=False)
    prog = os.path.join(work, "shop")
    c = subprocess.run([a.aslc, src, "-o", prog], stderr=subprocess.PIPE)
    if c.returncode != 0:
        print("aslc failed: " + c.stderr.decode())
        return 2
    t = T()
    st = os.path.join(work, "store")
    metrics = os.path.join(work, "metrics.prom")
    env = dict(os.environ)
    env.pop("ASLRT_PROGRESS", None)

    # a worker with --metrics runs four orders
    w = subprocess.Popen([prog, "worker", "--store", st, "--bindings", bind, "--time-scale",
                          "0", "--metrics", metrics],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # the worker owns the store once it has published its first sample (a
    # `start` before that could serve the store itself and hold it)
    end = time.monotonic() + 60
    while not os.path.exists(os.path.join(st, "metrics.prom")) and w.poll() is None and \
            time.monotonic() < end:
        time.sleep(0.05)
    if w.poll() is not None:
        print("the worker did not start: " + w.communicate()[1].decode())
        return 2
    for name, mode in (("o1", "ok"), ("o2", "ok"), ("o3", "flaky"), ("o4", "decline")):
        rc, out, err = run(prog, "start", "--store", st, "--name", name, "--input",
                           json.dumps({"mode": mode}))
        t.eq("start %s" % name, (rc, err), (0, ""))
    end = time.monotonic() + 60
    while time.monotonic() < end:
        rc, out, _ = run(prog, "list", "--store", st)
        ex = json.loads(out)["executions"] if rc == 0 else []
        if len(ex) == 4 and all(e["status"] != "RUNNING" for e in ex):
            break
        time.sleep(0.1)
    time.sleep(1.3)                     # one more published sample
    rc, out, err = run(prog, "top", "--store", st, "--once")
    t.eq("top --once exit", rc, 0)
    for want in ("started 4", "SUCCEEDED 3", "FAILED 1", "Declined"):
        t.eq("top --once shows %r" % want, want in out, True)
    t.eq("top --once has no escapes", "\033" in out, False)
    w.send_signal(signal.SIGTERM)
    _, werr = w.communicate(timeout=60)
    t.eq("worker exit", (w.returncode, werr.decode()), (0, ""))

    # the metrics file: syntax and exact counters
    text = open(metrics, encoding="utf-8").read()
    check_prometheus(t, text)
    t.eq("started_total", sample(text, "aslrt_executions_started_total"), 4)
    t.eq("finished SUCCEEDED", sample(text, "aslrt_executions_finished_total",
                                      status="SUCCEEDED"), 3)
    t.eq("finished FAILED", sample(text, "aslrt_executions_finished_total", status="FAILED"), 1)
    t.eq("failed by error", sample(text, "aslrt_executions_failed_total", error="Declined"), 1)
    t.eq("entered Pay", sample(text, "aslrt_state_entered_total", state=PAY), 4)
    t.eq("entered Done", sample(text, "aslrt_state_entered_total", state="Done"), 3)
    t.eq("entered check (escaped label)",
         sample(text, "aslrt_state_entered_total", state='Check <stock> & \\"go\\"'), 4)
    t.eq("retries Pay", sample(text, "aslrt_task_retries_total", state=PAY), 1)
    t.eq("records > 0", (sample(text, "aslrt_store_records_total") or 0) > 0, True)
    t.eq("fsyncs > 0", (sample(text, "aslrt_store_fsyncs_total") or 0) > 0, True)
    t.eq("store dir copy", os.path.exists(os.path.join(st, "metrics.prom")), True)

    # a fifth order only starts (no worker): in progress in its first state
    rc, out, err = run(prog, "start", "--store", st, "--name", "o5", "--input", '{"mode":"ok"}')
    t.eq("start o5", rc, 0)

    # reports: the program's own drawing, then a hand-made SVG
    svg = os.path.join(work, "shop.svg")
    with open(svg, "w", encoding="utf-8") as f:
        f.write(SVG)
    pages = {}
    for kind, extra in (("list", []), ("svg", ["--svg", svg])):
        out_html = os.path.join(work, "report-%s.html" % kind)
        rc, out, err = run(prog, "report", "--store", st, "-o", out_html, *extra, env=env)
        t.eq("report %s exit" % kind, (rc, err), (0, ""))
        info = json.loads(out) if rc == 0 else {}
        t.eq("report %s executions" % kind, info.get("executions"), 5)
        t.eq("report %s details" % kind, info.get("details"), 5)
        page = open(out_html, encoding="ascii").read()   # plain ASCII
        t.eq("%s: no URL fetched" % kind, re.search(r'\bsrc=|https?://(?!www\.w3\.org/)',
                                                     page) is not None, False)
        pages[kind] = out_html
    # one execution named: only it, in detail
    one = os.path.join(work, "report-o4.html")
    rc, out, err = run(prog, "report", "--store", st, "-o", one,
                       "arn:aws:states:us-east-1:123456789012:execution:shop:o4")
    t.eq("report o4", (rc, json.loads(out)["executions"] if rc == 0 else None), (0, 1))
    page = open(one, encoding="ascii").read()
    t.eq("o4 shows the caught error", "insufficient funds" in page, True)
    t.eq("o4 shows the Fail cause escaped", "the card &lt;was&gt; declined" in page, True)

    # the progress line: forced on with a pipe, off by default when piped
    mock = os.path.join(work, "mock.json")
    with open(mock, "w", encoding="utf-8") as f:
        json.dump({"StateMachines": {"shop": {"TestCases": {"T": {PAY: "Paid"}}}},
                   "MockedResponses": {"Paid": {"0": {"Return": {"ok": True}}}}}, f)
    bench = ["bench", "--input", '{"mode":"ok"}', "--mock-config", mock, "--test-case", "T"]
    rc, out, err = run(prog, *bench, "--duration", "1.6", env=dict(env, ASLRT_PROGRESS="1"))
    t.eq("bench with progress", (rc, err[:80] if rc else ""), (0, ""))
    t.eq("progress drawn", "\r  bench: executions:" in err and "\033[K" in err, True)
    rc, out, err = run(prog, *bench, "--duration", "1.2", env=env)
    t.eq("bench piped: quiet", (rc, err), (0, ""))

    fan_page = fan_report(t, a.aslc, work)

    # Chromium: every state element's status and count after the page loaded
    exe = find_chromium()
    if a.chromium == "skip" or not exe:
        if a.chromium == "require":
            print("FAIL chromium is required (Debian package chromium) and not installed")
            t.failed += 1
        print("%d passed, %d failed (Chromium checks skipped)" % (t.passed, t.failed))
        return 1 if t.failed else 77
    for kind, path in pages.items():
        rc, dom = chromium(exe, "--dump-dom", "file://" + path)
        t.eq("chromium %s exit" % kind, rc, 0)
        els = state_elements(dom)
        t.eq("%s: state elements" % kind, sorted(els), list(range(len(WANT))))
        for i, (name, status, count) in enumerate(WANT):
            e = els.get(i, {})
            t.eq("%s: state %d name" % (kind, i), e.get("data-name"), name)
            t.eq("%s: state %d status" % (kind, i), e.get("data-status"), status)
            t.eq("%s: state %d count" % (kind, i), e.get("data-count"), str(count))
        if kind == "svg":
            edges = edge_elements(dom)
            for eid, n in WANT_EDGES.items():
                t.eq("edge %s count" % eid, edges.get(eid, {}).get("data-count"), str(n))
            # the script ran: it labels each state with its count
            t.eq("count labels drawn", dom.count('class="aslc-count"'), len(WANT))
        png = os.path.join(work, "report-%s.png" % kind)
        rc, _ = chromium(exe, "--screenshot=" + png, "--window-size=1400,1000",
                         "file://" + path)
        t.eq("%s: screenshot" % kind, rc == 0 and os.path.getsize(png) > 10000, True)
    # Parallel and Map: the states inside, from the children's notes
    rc, dom = chromium(exe, "--dump-dom", "file://" + (fan_page or "/nonexistent"))
    t.eq("chromium fan exit", rc, 0)
    els = state_elements(dom)
    t.eq("fan: state elements", sorted(els), list(range(len(WANT_FAN))))
    for i, (name, status, count, entries) in enumerate(WANT_FAN):
        e = els.get(i, {})
        t.eq("fan: state %d" % i, (e.get("data-name"), e.get("data-status"),
                                   e.get("data-count"), e.get("data-entries")),
             (name, status, str(count), str(entries)))
    edges = edge_elements(dom)
    for eid, n in WANT_FAN_EDGES.items():
        t.eq("fan: edge %s count" % eid, edges.get(eid, {}).get("data-count"), str(n))
    t.eq("fan: count labels drawn", dom.count('class="aslc-count"'), len(WANT_FAN))
    print("screenshots: %s" % " ".join(os.path.join(work, "report-%s.png" % k) for k in pages))
    print("%d passed, %d failed" % (t.passed, t.failed))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
