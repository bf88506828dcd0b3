#!/usr/bin/env python3
"""bench.py - aslc's benchmark (started by bench/run.sh, which documents the options).

For each workflow of bench/workflows/ it measures, in one run and
interleaved so that every ratio compares figures taken side by side:
  - the program aslc builds (Express type), with its `bench` command: one
    execution at a time, then N in flight;
  - the peer, aws-local-stepfunctions (pinned in bench/peer/), the same way;
  - for order and choice_loop, the hand-written C baseline (bench/baseline/);
  - choice_loop_jsonata and order_jsonata, the same work written in JSONata: the
    aslc program only (the peer has no JSONata), compared with the JSONPath twin
    and with the twin's hand-written baseline;
then cold start (one order execution from process start to output) and aslc's
compile time for a generated 1,000-state definition. Every figure is the median
of --repeat runs. Prints a table on stdout and appends JSON lines to a results
file. Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
CACHE = os.path.join(BENCH, ".cache")
WORKFLOWS_DIR = os.path.join(BENCH, "workflows")
WORKFLOWS = ["pass_chain", "choice_loop", "choice_loop_jsonata", "order", "order_jsonata",
             "map_items", "parallel_fanout"]
BASELINES = ["order", "choice_loop"]
# JSONata versions of JSONPath workflows: the same work, the same output (checked),
# compared with their JSONPath twin's hand-written baseline. The peer has no
# JSONata, so it is skipped for them.
JSONATA = {"choice_loop_jsonata": "choice_loop", "order_jsonata": "order"}
PEER_SKIP = "peer: skipped (no JSONata support)"
HANDLERS = {"order": [os.path.join(ROOT, "examples", "order", "handlers.c")],
            "order_jsonata": [os.path.join(ROOT, "examples", "order", "handlers.c")]}
PEER_VERSION = "3.0.0"
CFLAGS = ["-O2"]   # what aslc compiles generated programs with (ASLC_CFLAGS default)


# ------------------------------------------------------------------ output

class Progress:
    """One self-overwriting line on stderr, only when stderr is a terminal."""

    def __init__(self, total):
        self.total, self.done = total, 0
        self.tty = sys.stderr.isatty()

    def show(self, what):
        if self.tty:
            sys.stderr.write(f"\r\033[K[{self.done}/{self.total}] {what}")
            sys.stderr.flush()

    def step(self):
        self.done += 1

    def clear(self):
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def note(msg):
    """A message for the person running the benchmark (stderr)."""
    sys.stderr.write(f"bench: {msg}\n")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def first_line(text):
    """The line of a tool's stderr that says what went wrong: the first that
    mentions an error, else the first."""
    lines = [l.strip() for l in (text or "").strip().splitlines() if l.strip()]
    for l in lines:
        if "error" in l.lower() or "undefined reference" in l:
            return l
    return lines[0] if lines else ""


# ------------------------------------------------------------------- build

def build_aslc(builddir):
    """meson buildtype=release in builddir; returns the path of aslc."""
    if not os.path.exists(os.path.join(builddir, "build.ninja")):
        r = run(["meson", "setup", builddir, "--buildtype=release", "-Dtests=false"], cwd=ROOT)
        if r.returncode:
            sys.exit(f"bench: meson setup failed:\n{r.stdout}{r.stderr}")
    # Only what the benchmark links: aslc and the static runtime.
    r = run(["ninja", "-C", builddir, "compiler/aslc", "runtime/libaslrt.a"], cwd=ROOT)
    if r.returncode:
        sys.exit(f"bench: building aslc failed:\n{r.stdout[-4000:]}{r.stderr[-4000:]}")
    return os.path.join(builddir, "compiler", "aslc")


def durable(builddir, repeat, prog):
    """Standard (durable) mode: examples/order's order-rush with --compare,
    Standard and Express orders in the same run, at 1, 100 and 10,000 in
    flight (group commit, --sync batch, approvals off). Medians of repeat
    runs: {in_flight: {"standard": orders/s, "express": orders/s,
    "records_per_fsync": r}}, or None when it cannot be built."""
    r = run(["ninja", "-C", builddir, "examples/order/order-rush"], cwd=ROOT)
    if r.returncode:
        note("Standard mode skipped: order-rush does not build")
        return None
    rush = os.path.join(builddir, "examples", "order", "order-rush")
    env = dict(os.environ, ASLRT_PROGRESS="0")
    out = {}
    for k in (1, 100, 10000):
        prog.show(f"Standard mode, {k} in flight")
        runs = []
        for _ in range(repeat):
            p = run([rush, "--orders", "2000" if k == 1 else "20000", "--compare",
                     "--in-flight", str(k), "--approval-limit", "0", "--no-report"], env=env)
            m = re.search(r"Standard vs Express: (\d+) vs (\d+) orders/s", p.stdout)
            f = re.search(r"records per fsync\s+([\d.]+)", p.stdout)
            if p.returncode or not m:
                note(f"Standard mode, {k} in flight: order-rush failed:\n{p.stdout[-2000:]}")
                break
            runs.append((int(m.group(1)), int(m.group(2)), float(f.group(1)) if f else 0.0))
        if runs:
            out[k] = {"standard": statistics.median(x[0] for x in runs),
                      "express": statistics.median(x[1] for x in runs),
                      "records_per_fsync": statistics.median(x[2] for x in runs),
                      "runs": len(runs)}
        prog.step()
    return out


def compile_workflows(aslc, bindir):
    """Programs by workflow name; workflows that do not compile are skipped
    with a message (returned in skipped)."""
    progs, skipped = {}, {}
    for w in WORKFLOWS:
        out = os.path.join(bindir, w)
        cmd = [aslc, os.path.join(WORKFLOWS_DIR, w + ".asl.json"), "--type", "express",
               "-o", out] + HANDLERS.get(w, [])
        r = run(cmd)
        if r.returncode:
            skipped[w] = first_line(r.stderr) or f"aslc exited {r.returncode}"
            note(f"SKIP {w}: aslc cannot compile it: {skipped[w]}")
        else:
            progs[w] = out
    return progs, skipped


def compile_baselines(bindir):
    progs = {}
    cc = os.environ.get("CC") or "cc"
    inc = os.path.join(ROOT, "runtime", "include")
    for w in BASELINES:
        out = os.path.join(bindir, "baseline_" + w)
        srcs = [os.path.join(BENCH, "baseline", w + ".c"), os.path.join(BENCH, "baseline", "harness.c")]
        cmd = [cc, "-std=c11"] + CFLAGS + ["-Wall", "-Wextra", "-Wpedantic", "-Werror",
                                           "-I" + inc, "-o", out] + srcs + HANDLERS.get(w, []) + \
            ["-lcjson", "-lm", "-pthread"]
        r = run(cmd)
        if r.returncode:
            note(f"SKIP baseline {w}: it does not compile: {first_line(r.stderr)}")
        else:
            progs[w] = out
    return progs


def compile_coldstart(bindir):
    out = os.path.join(bindir, "coldstart")
    r = run([os.environ.get("CC") or "cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out,
             os.path.join(BENCH, "coldstart.c")])
    if r.returncode:
        sys.exit(f"bench: cannot build bench/coldstart.c: {first_line(r.stderr)}")
    return out


def install_peer():
    """The directory of the installed aws-local-stepfunctions, or None with a
    message saying why the peer is skipped."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        note("SKIP peer: node and npm are needed to run aws-local-stepfunctions "
             f"(node: {node or 'missing'}, npm: {npm or 'missing'})")
        return None
    peer = os.path.join(CACHE, "peer")
    mod = os.path.join(peer, "node_modules", "aws-local-stepfunctions")
    try:
        with open(os.path.join(mod, "package.json")) as f:
            if json.load(f).get("version") == PEER_VERSION:
                return mod
    except (OSError, ValueError):
        pass
    os.makedirs(peer, exist_ok=True)
    for f in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(BENCH, "peer", f), peer)
    note(f"installing aws-local-stepfunctions {PEER_VERSION} into {peer}")
    r = run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=peer)
    if r.returncode:
        note(f"SKIP peer: npm ci failed: {first_line(r.stderr)}")
        return None
    return mod


# ----------------------------------------------------------------- engines

def peer_cmd(args):
    return ["node", os.path.join(BENCH, "peer", "bench_peer.js")] + args


def input_file(w):
    return os.path.join(WORKFLOWS_DIR, w + ".input.json")


def run_cmd(engine, w, progs):
    """The command that runs one execution of w and prints its output."""
    if engine == "peer":
        return peer_cmd(["run", WORKFLOWS_DIR, w])
    return [progs[engine][w], "run", "--input", "@" + input_file(w)]


def bench_cmd(engine, w, progs, seconds, in_flight):
    if engine == "peer":
        return peer_cmd(["bench", WORKFLOWS_DIR, w, str(seconds), str(in_flight)])
    return [progs[engine][w], "bench", "--input", "@" + input_file(w), "--duration",
            str(seconds), "--in-flight", str(in_flight)]


def measure(cmd, env):
    """Run a bench command; its JSON line, or None with a message."""
    r = run(cmd, env=env)
    try:
        line = json.loads(r.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        line = None
    if r.returncode or not line:
        note(f"measurement failed ({' '.join(cmd[:3])}...): exit {r.returncode}: "
             f"{first_line(r.stderr)}")
        return None
    return line


def cold(coldstart, runs, cmd, env):
    """cmd run `runs` times by bench/coldstart.c, each from process start to
    exit: {"runs", "failures", "ms_median", "ms_min", "peak_rss_kb"} or None."""
    r = run([coldstart, str(runs)] + cmd, env=env)
    try:
        c = json.loads(r.stdout)
    except ValueError:
        c = None
    if r.returncode or not c:
        note(f"cold start of {' '.join(cmd[:2])}... failed: {first_line(r.stderr)}")
        return None
    return c


# ------------------------------------------------------- 1,000-state machine

def generate_machine(n):
    """A definition of n states in a chain, cycling through Pass with
    Parameters, Task with Retry/Catch/ResultSelector, Choice, and Pass with a
    Result; a Fail state catches every Task."""
    states = {}
    name = lambda i: f"S{i:04d}"
    for i in range(n - 2):
        nxt = name(i + 1) if i < n - 3 else "Done"
        kind = i % 4
        if kind == 0:
            s = {"Type": "Pass", "Parameters": {"step": i, "value.$": "$.value",
                                                "prev.$": "$.last.step"},
                 "ResultPath": "$.last", "Next": nxt}
        elif kind == 1:
            s = {"Type": "Task",
                 "Resource": f"arn:aws:lambda:us-east-1:123456789012:function:f{i % 50}",
                 "Parameters": {"orderId.$": "$.orderId", "n": i},
                 "ResultSelector": {"ok.$": "$.ok"}, "ResultPath": "$.task",
                 "TimeoutSeconds": 30,
                 "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1,
                            "MaxAttempts": 2, "BackoffRate": 2.0}],
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                            "Next": "Failed"}],
                 "Next": nxt}
        elif kind == 2:
            s = {"Type": "Choice",
                 "Choices": [{"Variable": "$.value", "NumericGreaterThan": i, "Next": nxt},
                             {"And": [{"Variable": "$.tag", "StringEquals": f"t{i}"},
                                      {"Variable": "$.flag", "BooleanEquals": True}],
                              "Next": nxt}],
                 "Default": nxt}
        else:
            s = {"Type": "Pass", "Result": {"at": i, "tags": ["a", "b"]},
                 "ResultPath": "$.result", "Next": nxt}
        states[name(i)] = s
    states["Done"] = {"Type": "Succeed"}
    states["Failed"] = {"Type": "Fail", "Error": "Failed", "Cause": "a task failed"}
    return {"Comment": f"generated: {n} states", "StartAt": name(0), "States": states}


# ------------------------------------------------------------------ report

def rate(m):
    return {"executions_per_s": m["executions"] / m["seconds"],
            "transitions_per_s": m["transitions"] / m["seconds"],
            "ns_per_transition": m["seconds"] * 1e9 / m["transitions"] if m["transitions"] else None,
            "peak_rss_kb": m["peak_rss_kb"]}


def median_of(samples):
    """Median figures of several measurements of one engine (peak RSS: the
    largest)."""
    rated = [rate(m) for m in samples]
    tps = statistics.median(r["transitions_per_s"] for r in rated)
    return {"executions_per_s": statistics.median(r["executions_per_s"] for r in rated),
            "transitions_per_s": tps,
            "ns_per_transition": 1e9 / tps if tps else None,
            "peak_rss_kb": max(r["peak_rss_kb"] for r in rated),
            "runs": len(rated),
            "transitions_per_s_all": [round(r["transitions_per_s"]) for r in rated]}


def fmt_int(v):
    return f"{v:,.0f}" if v is not None else "-"


def fmt_ns(v):
    return f"{v:,.0f}" if v is not None and v >= 100 else (f"{v:.1f}" if v is not None else "-")


def table(rows, header):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                       for i, (c, w) in enumerate(zip(r, widths))) for r in [header] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def same_json(a, b):
    try:
        return json.loads(a) == json.loads(b)
    except ValueError:
        return False


# -------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(prog="bench/run.sh", description="aslc's benchmark")
    ap.add_argument("--duration", type=float, default=2.0,
                    help="seconds per measurement (default 2)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="measurements per figure; the median is reported (default 3)")
    ap.add_argument("--in-flight", type=int, default=os.cpu_count() or 2,
                    help="executions in flight for the concurrent runs (default: cores)")
    ap.add_argument("--only", default=",".join(WORKFLOWS),
                    help="comma-separated workflows (default: all)")
    ap.add_argument("--no-peer", action="store_true", help="skip aws-local-stepfunctions")
    ap.add_argument("--no-durable", action="store_true",
                    help="skip the Standard (durable) mode figures")
    ap.add_argument("--cold-runs", type=int, default=20,
                    help="cold starts of aslc's order program (peer: a quarter); default 20")
    ap.add_argument("--builddir", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--results", default=None,
                    help="JSON lines file to append to (default bench/results/DATE.jsonl)")
    a = ap.parse_args()
    only = [w for w in a.only.split(",") if w]
    for w in only:
        if w not in WORKFLOWS:
            sys.exit(f"bench: unknown workflow {w} (one of {', '.join(WORKFLOWS)})")

    now = datetime.datetime.now().astimezone()
    cores = os.cpu_count()
    results = a.results or os.path.join(BENCH, "results", now.strftime("%Y%m%d-%H%M%S") + ".jsonl")
    os.makedirs(os.path.dirname(os.path.abspath(results)), exist_ok=True)
    bindir = os.path.join(CACHE, "bin")
    os.makedirs(bindir, exist_ok=True)

    note(f"building aslc and the runtime (release) in {a.builddir}")
    aslc = build_aslc(a.builddir)
    aslc_progs, skipped = compile_workflows(aslc, bindir)
    baselines = compile_baselines(bindir)
    progs = {"aslc": {w: p for w, p in aslc_progs.items() if w in only},
             "baseline": {w: p for w, p in baselines.items() if w in only}}
    for w, twin in JSONATA.items():
        # A JSONata workflow is compared with its twin's baseline: measured
        # under the twin's name when the twin is measured, else under its own.
        if w in only and twin not in only and twin in baselines:
            progs["baseline"][w] = baselines[twin]
    peer = None if a.no_peer else install_peer()
    if a.no_peer:
        note("SKIP peer: --no-peer")
    env = dict(os.environ)
    if peer:
        env["ASLC_BENCH_PEER"] = peer
        progs["peer"] = {w: None for w in only if w not in JSONATA}
        for w in only:
            if w in JSONATA:
                note(f"SKIP {w}: {PEER_SKIP}")
    with open(os.path.join(WORKFLOWS_DIR, "transitions.json")) as f:
        expected = json.load(f)

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    node_version = first_line(run(["node", "--version"]).stdout) if peer else None
    meta = {"kind": "machine", "date": now.isoformat(timespec="seconds"), "cores": cores,
            "cpu": cpu, "kernel": platform.release(), "node": node_version,
            "peer": f"aws-local-stepfunctions {PEER_VERSION}" if peer else None,
            "duration_s": a.duration, "repeat": a.repeat, "in_flight": a.in_flight,
            "cflags": " ".join(CFLAGS), "skipped": skipped}
    records = [meta]

    # Same work: every engine's output must be the same JSON.
    for w in only:
        outs = {}
        for engine in ("aslc", "baseline", "peer"):
            if w in progs.get(engine, {}):
                r = run(run_cmd(engine, w, progs), env=env)
                outs[engine] = r.stdout if r.returncode == 0 else None
                if r.returncode:
                    note(f"{engine} {w}: run failed: {first_line(r.stderr) or first_line(r.stdout)}")
        ref = outs.get("aslc")
        for engine, out in outs.items():
            if engine != "aslc" and ref is not None and out is not None and not same_json(ref, out):
                note(f"WARNING {w}: the {engine} output differs from aslc's")
        twin = JSONATA.get(w)
        if twin in aslc_progs and ref is not None:   # JSONata: the JSONPath twin's output
            r = run([aslc_progs[twin], "run", "--input", "@" + input_file(twin)], env=env)
            if r.returncode or not same_json(ref, r.stdout):
                note(f"WARNING {w}: its output differs from the JSONPath version's ({twin})")

    # Throughput: repeat x workflows x engines x (1, N in flight), interleaved.
    plan = []
    for _ in range(a.repeat):
        for w in only:
            for engine in ("aslc", "baseline", "peer"):
                if w not in progs.get(engine, {}):
                    continue
                for n in ([1] if engine == "baseline" else [1, a.in_flight]):
                    plan.append((w, engine, n))
    total = len(plan) + 2 + (0 if a.no_durable else 3)
    prog = Progress(total)
    samples = {}
    for w, engine, n in plan:
        prog.show(f"{w}: {engine}, {n} in flight, {a.duration:g} s")
        m = measure(bench_cmd(engine, w, progs, a.duration, n), env)
        prog.step()
        if m:
            if m.get("failed"):
                note(f"WARNING {w}: {engine} had {m['failed']} failed executions")
            samples.setdefault((w, engine, n), []).append(m)
            if engine == "aslc" and m["executions"] and w in expected and \
                    m["transitions"] != m["executions"] * expected[w]:
                note(f"WARNING {w}: aslc counted {m['transitions'] / m['executions']:g} "
                     f"transitions per execution, transitions.json says {expected[w]}")
            if engine == "aslc" and w in JSONATA and m["executions"] and \
                    expected.get(w) != expected.get(JSONATA[w]):
                note(f"WARNING {w}: transitions.json counts differ from {JSONATA[w]}'s")

    # Cold start: one order execution, process start to output.
    coldstart = compile_coldstart(bindir)
    colds = {}
    for engine, runs in (("aslc", a.cold_runs), ("peer", max(3, a.cold_runs // 4))):
        if "order" not in progs.get(engine, {}):
            continue
        prog.show(f"cold start: {engine} order x{runs}")
        c = cold(coldstart, runs, run_cmd(engine, "order", progs), env)
        if c:
            colds[engine] = c
    prog.step()

    # aslc compile time, 1,000 states, C only (no cc).
    prog.show("aslc compile time, 1,000 states")
    gen = os.path.join(CACHE, "gen1000.asl.json")
    with open(gen, "w") as f:
        json.dump(generate_machine(1000), f, indent=1)
    compile_1000 = cold(coldstart, max(5, a.repeat), [aslc, gen, "-o", os.path.join(CACHE, "gen1000.c")], env)
    prog.step()
    dur = None if a.no_durable else durable(a.builddir, a.repeat, prog)
    prog.clear()

    # ------------------------------------------------------------- report
    print(f"aslc benchmark, {meta['date']}, {cores} cores ({cpu}), "
          f"{a.repeat} x {a.duration:g} s per figure, medians")
    rows = []
    fig = {}
    for w in only:
        if w in skipped:
            rows.append([w, "aslc", "-", "skipped", "(does not compile)", "", ""])
        for engine in ("aslc", "baseline", "peer"):
            for n in (1, a.in_flight):
                s = samples.get((w, engine, n))
                if not s:
                    continue
                f_ = median_of(s)
                fig[(w, engine, n)] = f_
                rows.append([w, "hand-written C" if engine == "baseline" else
                             ("aws-local-stepfunctions" if engine == "peer" else "aslc"),
                             n, fmt_int(f_["executions_per_s"]), fmt_int(f_["transitions_per_s"]),
                             fmt_ns(f_["ns_per_transition"]), f"{f_['peak_rss_kb'] / 1024:.1f}"])
                records.append({"kind": "throughput", "date": meta["date"], "cores": cores,
                                "workflow": w, "engine": engine, "in_flight": n, **f_})
        if w in JSONATA and not a.no_peer:
            rows.append([w, "aws-local-stepfunctions", "-", PEER_SKIP, "", "", ""])
    print()
    print(table(rows, ["workflow", "engine", "in flight", "exec/s", "transitions/s",
                       "ns/transition", "peak RSS MiB"]))

    rrows = []
    for w in only:
        twin = JSONATA.get(w)
        a1, p1, b1 = fig.get((w, "aslc", 1)), fig.get((w, "peer", 1)), fig.get((w, "baseline", 1))
        if twin and not b1:
            b1 = fig.get((twin, "baseline", 1))       # the twin's hand-written C
        t1 = fig.get((twin, "aslc", 1)) if twin else None
        vs_twin = t1["transitions_per_s"] / a1["transitions_per_s"] if a1 and t1 else None
        an, pn = fig.get((w, "aslc", a.in_flight)), fig.get((w, "peer", a.in_flight))
        vs_peer = a1["transitions_per_s"] / p1["transitions_per_s"] if a1 and p1 else None
        vs_peer_n = an["transitions_per_s"] / pn["transitions_per_s"] if an and pn else None
        vs_base = b1["transitions_per_s"] / a1["transitions_per_s"] if a1 and b1 else None
        skip = "skipped (no JSONata)" if twin else "-"
        rrows.append([w, f"{vs_peer:,.0f}x" if vs_peer else skip,
                      f"{vs_peer_n:,.0f}x" if vs_peer_n else skip,
                      f"{vs_base:.2f}x" if vs_base else "-",
                      f"{vs_twin:.2f}x" if vs_twin else "-"])
        records.append({"kind": "ratio", "date": meta["date"], "cores": cores, "workflow": w,
                        "aslc_over_peer_1": vs_peer, "aslc_over_peer_n": vs_peer_n,
                        "generated_over_handwritten_time": vs_base,
                        **({"jsonpath_twin": twin, "jsonata_over_jsonpath_time": vs_twin,
                            "peer": PEER_SKIP} if twin else {})})
    print()
    print(table(rrows, ["workflow", "aslc/peer (1 in flight)", f"aslc/peer ({a.in_flight} in flight)",
                        "generated/hand-written time", "JSONata/JSONPath time"]))

    print()
    crow = []
    for engine in ("aslc", "peer"):
        if engine in colds:
            c = colds[engine]
            crow.append(["order cold start", "aslc" if engine == "aslc" else "aws-local-stepfunctions",
                         f"{c['ms_median']:.2f} ms", f"{c['peak_rss_kb'] / 1024:.1f} MiB", c["runs"]])
            records.append({"kind": "cold_start", "date": meta["date"], "cores": cores,
                            "workflow": "order", "engine": engine, **c})
    if compile_1000:
        c = compile_1000
        crow.append(["compile 1,000 states", "aslc (C only, no cc)", f"{c['ms_median']:.1f} ms",
                     f"{c['peak_rss_kb'] / 1024:.1f} MiB", c["runs"]])
        records.append({"kind": "compile", "date": meta["date"], "cores": cores, "states": 1000, **c})
    print(table(crow, ["what", "engine", "time (median)", "peak RSS", "runs"]))
    if dur:
        drow = []
        for k, d in sorted(dur.items()):
            drow.append([k, fmt_int(d["standard"]), fmt_int(d["express"]),
                         f"{100.0 * d['standard'] / d['express']:.1f}%",
                         f"{d['records_per_fsync']:.1f}", d["runs"]])
            records.append({"kind": "durable", "date": meta["date"], "cores": cores,
                            "workflow": "order", "in_flight": k, **d})
        print("\nStandard (durable) mode: order-rush --compare (fsync group commit, approvals off)")
        print(table(drow, ["in flight", "Standard orders/s", "Express orders/s",
                           "Standard/Express", "records per fsync", "runs"]))

    with open(results, "a") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    print(f"\nJSON lines appended to {os.path.relpath(results)}")


if __name__ == "__main__":
    main()
