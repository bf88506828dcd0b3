#!/usr/bin/env python3
"""Replay the whole-execution cases of aslc (format: shared/CASES.md).

Usage: run_cases.py --aslc PATH --cases DIR --work DIR [-j N] [-k FILTER]
                    [--sample N] [--wrap COMMAND]

For each DIR/**/*.json case file:
  1. check the case file's shape (a malformed file is a failure naming it);
  2. write the definition to WORK/<slug>/<slug>.asl.json (json.dump, indent 2,
     keys in case-file order: the line/col of COMPILE_ERROR diagnostics refer
     to that layout), so the machine's name is <slug>, a C-identifier-safe
     form of the case's path (e.g. retry/max_attempts_zero -> retry_max_attempts_zero);
  3. turn the resource-keyed "mocks" into a Step Functions Local
     MockConfigFile (StateMachines.<slug>.TestCases.case.<State> ->
     MockedResponses.<id>, invocation keys "0", "1", ...);
  4. run `aslc DEF -o WORK/<slug>/prog`, then
     `prog run --input @input.json --time-scale 0 [--mock-config F --test-case case]`;
  5. compare: status by exit code (0 SUCCEEDED, 1 FAILED); the output, deep-equal
     with numbers compared by value, after removing "ignore_paths" from both
     sides; or the Error (and Cause when given) of a FAILED run. A case may also
     expect {"status": "COMPILE_ERROR", "diagnostics": [{"code", "line", "col"}]}.
An optional "env" object of a case adds environment variables for its run;
in their values {cases_dir} and {work_dir} stand for those directories.
Directories named "data" hold files cases read, not cases.

Prints one line per failing case, then `N passed, N failed` alone on the last
line. Exit status: 0 all passed, 1 some failed, 2 bad usage.
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

CASE_KEYS = {"name", "source", "notes", "definition", "input", "mocks",
             "expect", "ignore_paths", "env"}
REQUIRED_KEYS = ("name", "source", "definition", "expect")
STATUSES = ("SUCCEEDED", "FAILED", "COMPILE_ERROR")
TEST_CASE = "case"
COMPILE_TIMEOUT = 300
RUN_TIMEOUT = 120
STDERR_LINES = 3
WRAP = []  # --wrap: a command the programs run under (e.g. valgrind)


class CaseError(Exception):
    """A malformed case file; the message says what is wrong with it."""


# ------------------------------------------------------------ case files

def slug_of(relpath):
    """Machine name for a case: its path without .json, non-alphanumerics
    turned into '_', never starting with a digit."""
    stem = relpath[:-len(".json")] if relpath.endswith(".json") else relpath
    slug = re.sub(r"[^A-Za-z0-9]", "_", stem)
    if not slug or slug[0].isdigit():
        slug = "c_" + slug
    return slug


def parse_simple_path(path):
    """Split a simple path like $.a.b[0]['c d'] into keys (str) and indexes
    (int). Raises ValueError for anything else."""
    if not isinstance(path, str) or not path.startswith("$"):
        raise ValueError("path must start with $: %r" % (path,))
    token = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\['([^']*)'\]")
    segs, pos = [], 1
    while pos < len(path):
        m = token.match(path, pos)
        if not m:
            raise ValueError("unsupported path syntax at %d in %r" % (pos, path))
        if m.group(1) is not None:
            segs.append(m.group(1))
        elif m.group(2) is not None:
            segs.append(int(m.group(2)))
        else:
            segs.append(m.group(3))
        pos = m.end()
    return segs


def check_mocks(mocks):
    if not isinstance(mocks, dict):
        raise CaseError('"mocks" must be an object keyed by Resource ARN')
    for arn, responses in mocks.items():
        if not isinstance(responses, list) or not responses:
            raise CaseError('mocks["%s"] must be a non-empty array' % arn)
        for i, r in enumerate(responses):
            ok = isinstance(r, dict) and len(r) == 1 and (
                "Return" in r or
                ("Throw" in r and isinstance(r["Throw"], dict)
                 and isinstance(r["Throw"].get("Error"), str)))
            if not ok:
                raise CaseError('mocks["%s"][%d] must be {"Return": ...} or '
                                '{"Throw": {"Error": ..., "Cause": ...}}' % (arn, i))


def check_expect(expect):
    if not isinstance(expect, dict):
        raise CaseError('"expect" must be an object')
    status = expect.get("status")
    if status not in STATUSES:
        raise CaseError('expect.status must be one of %s' % ", ".join(STATUSES))
    if status == "SUCCEEDED" and "output" not in expect:
        raise CaseError('a SUCCEEDED expectation needs "output"')
    if status == "FAILED" and not isinstance(expect.get("error"), str):
        raise CaseError('a FAILED expectation needs a string "error"')
    if "cause" in expect and not isinstance(expect["cause"], str):
        raise CaseError('expect.cause must be a string')
    if status == "COMPILE_ERROR":
        diags = expect.get("diagnostics", [])
        if not isinstance(diags, list) or not all(
                isinstance(d, dict) and "code" in d for d in diags):
            raise CaseError('expect.diagnostics must be an array of {"code", "line", "col"}')


def load_case(path):
    """Read and check one case file; returns its dict or raises CaseError."""
    try:
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
    except (OSError, ValueError) as e:
        raise CaseError("unreadable JSON: %s" % e)
    if not isinstance(case, dict):
        raise CaseError("a case file must hold a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in case]
    if missing:
        raise CaseError("missing key(s): %s" % ", ".join(missing))
    unknown = sorted(set(case) - CASE_KEYS)
    if unknown:
        raise CaseError("unknown key(s): %s" % ", ".join(unknown))
    if not isinstance(case["name"], str) or not isinstance(case["source"], str):
        raise CaseError('"name" and "source" must be strings')
    d = case["definition"]
    if not (isinstance(d, dict) and isinstance(d.get("States"), dict)
            and isinstance(d.get("StartAt"), str)):
        raise CaseError('"definition" must be a state machine with StartAt and States')
    check_expect(case["expect"])
    if "mocks" in case:
        check_mocks(case["mocks"])
    env = case.get("env", {})
    if not (isinstance(env, dict) and all(isinstance(v, str) for v in env.values())):
        raise CaseError('"env" must be an object of strings')
    paths = case.get("ignore_paths", [])
    if not isinstance(paths, list):
        raise CaseError('"ignore_paths" must be an array')
    for p in paths:
        try:
            parse_simple_path(p)
        except ValueError as e:
            raise CaseError("ignore_paths: %s" % e)
    return case


# --------------------------------------------------------------- mocks

def task_states(states):
    """Yield (name, state) for every Task state, including those nested in
    Parallel branches and Map processors."""
    for name, st in states.items():
        if not isinstance(st, dict):
            continue
        if st.get("Type") == "Task":
            yield name, st
        for branch in st.get("Branches", []) or []:
            yield from task_states(branch.get("States", {}))
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(st.get(key), dict):
                yield from task_states(st[key].get("States", {}))


def mock_config(machine, definition, mocks):
    """The MockConfigFile for one case: each Task state whose Resource has
    mocks gets its own MockedResponses entry, invocations numbered from 0."""
    test_case, responses = {}, {}
    for name, st in task_states(definition["States"]):
        resource = st.get("Resource")
        if resource not in mocks:
            continue
        rid = "MockedResponse%d" % len(responses)
        responses[rid] = {str(i): r for i, r in enumerate(mocks[resource])}
        test_case[name] = rid
    return {"StateMachines": {machine: {"TestCases": {TEST_CASE: test_case}}},
            "MockedResponses": responses}


# ----------------------------------------------------------- comparison

def json_equal(a, b):
    """Deep equality where numbers compare by value (1 == 1.0) but booleans
    are never numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def remove_path(doc, segs):
    """Remove the node at segs from doc in place; returns True if it was there."""
    node = doc
    for seg in segs[:-1]:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            return False
    last = segs[-1] if segs else None
    if isinstance(node, dict) and isinstance(last, str) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = None  # keep the other indexes stable
        return True
    return False


def strip_ignored(expected, actual, paths):
    """Remove each ignored path from both sides. A path present on one side
    only is a difference: its value may vary, its presence may not."""
    problems = []
    for p in paths:
        segs = parse_simple_path(p)
        if not segs:
            continue
        if remove_path(expected, segs) != remove_path(actual, segs):
            problems.append("%s present on one side only" % p)
    return problems


def short(value, limit=300):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= limit else text[:limit] + "..."


def with_stderr(message, stderr):
    """message, followed by the first lines of stderr when there are any."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    if not lines:
        return message
    return "%s; stderr: %s" % (message, " | ".join(lines[:STDERR_LINES]))


# -------------------------------------------------------------- running

def run(cmd, cwd, timeout, env=None):
    """Run cmd (with env added to the environment); returns (exit code or
    None on timeout, stdout, stderr)."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, env=dict(os.environ, **env) if env else None)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err
    except OSError as e:
        return 127, "", str(e)


def check_diagnostics(expect, stderr):
    """Each expected {"code", "line", "col"} must appear in aslc's stderr as
    FILE:LINE:COL: ... [CODE]."""
    problems = []
    for d in expect.get("diagnostics", []):
        pat = r":%s:%s:[^\n]*\[%s\]" % (
            d.get("line", r"\d+"), d.get("col", r"\d+"), re.escape(str(d["code"])))
        if not re.search(pat, stderr):
            problems.append("missing diagnostic %s" % short(d))
    return problems


def run_case(aslc, cases_dir, work_root, relpath):
    """Run one case; returns None when it passed, else a one-line report."""
    path = os.path.join(cases_dir, relpath)
    try:
        case = load_case(path)
    except CaseError as e:
        return "%s: malformed case file: %s" % (relpath, e)

    slug = slug_of(relpath)
    work = os.path.join(work_root, slug)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    def_file = os.path.join(work, slug + ".asl.json")
    prog = os.path.join(work, "prog")
    with open(def_file, "w", encoding="utf-8") as f:
        json.dump(case["definition"], f, indent=2)
    expect = case["expect"]

    code, _, err = run([aslc, def_file, "-o", prog], work, COMPILE_TIMEOUT)
    if expect["status"] == "COMPILE_ERROR":
        if code == 0:
            return "%s: expected COMPILE_ERROR, aslc succeeded" % relpath
        problems = check_diagnostics(expect, err)
        if problems:
            return with_stderr("%s: %s" % (relpath, "; ".join(problems)), err)
        return None
    if code != 0:
        why = "timed out" if code is None else "exit %s" % code
        return with_stderr("%s: aslc failed (%s)" % (relpath, why), err)

    input_file = os.path.join(work, "input.json")
    with open(input_file, "w", encoding="utf-8") as f:
        json.dump(case.get("input", {}), f)
    cmd = WRAP + [prog, "run", "--input", "@" + input_file, "--time-scale", "0"]
    if case.get("mocks"):
        mock_file = os.path.join(work, "mocks.json")
        with open(mock_file, "w", encoding="utf-8") as f:
            json.dump(mock_config(slug, case["definition"], case["mocks"]), f, indent=2)
        cmd += ["--mock-config", mock_file, "--test-case", TEST_CASE]
    env = {k: v.replace("{cases_dir}", cases_dir).replace("{work_dir}", work)
           for k, v in case.get("env", {}).items()}
    code, out, err = run(cmd, work, RUN_TIMEOUT, env)

    status = {0: "SUCCEEDED", 1: "FAILED"}.get(code, "timeout" if code is None else "exit %s" % code)
    if status != expect["status"]:
        detail = ""
        if status in ("SUCCEEDED", "FAILED"):
            detail = " with %s" % out.strip()[:300]
        return with_stderr("%s: expected %s, got %s%s" % (
            relpath, expect["status"], status, detail), err)
    try:
        actual = json.loads(out)
    except ValueError:
        return with_stderr("%s: stdout is not JSON: %r" % (relpath, out[:200]), err)

    if status == "FAILED":
        if not isinstance(actual, dict):
            return "%s: FAILED output is not an object: %s" % (relpath, short(actual))
        diffs = []
        if actual.get("Error") != expect["error"]:
            diffs.append("error: expected %s, got %s" % (
                short(expect["error"]), short(actual.get("Error"))))
        if "cause" in expect and actual.get("Cause") != expect["cause"]:
            diffs.append("cause: expected %s, got %s" % (
                short(expect["cause"]), short(actual.get("Cause"))))
        if diffs:
            return with_stderr("%s: %s" % (relpath, "; ".join(diffs)), err)
        return None

    expected = json.loads(json.dumps(expect["output"]))  # a copy to strip
    problems = strip_ignored(expected, actual, case.get("ignore_paths", []))
    if not json_equal(expected, actual):
        problems.append("output: expected %s, got %s" % (short(expected), short(actual)))
    if problems:
        return with_stderr("%s: %s" % (relpath, "; ".join(problems)), err)
    return None


def find_cases(cases_dir, pattern):
    found = []
    for root, dirs, files in os.walk(cases_dir):
        dirs[:] = sorted(d for d in dirs if d != "data")  # input files of cases
        for name in sorted(files):
            if name.endswith(".json"):
                found.append(os.path.relpath(os.path.join(root, name), cases_dir))
    selected = [p for p in found if not pattern or pattern in p]
    return found, selected


def main(argv):
    ap = argparse.ArgumentParser(description="Replay aslc execution cases.")
    ap.add_argument("--aslc", required=True, help="path to the aslc compiler")
    ap.add_argument("--cases", required=True, help="directory of case files")
    ap.add_argument("--work", required=True, help="scratch directory")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1,
                    help="cases run at once (default: number of CPUs)")
    ap.add_argument("-k", default="", help="run only cases whose path contains this")
    ap.add_argument("--sample", type=int, default=1,
                    help="run only every Nth selected case (default 1: all)")
    ap.add_argument("--wrap", default="",
                    help="run each program under this command (split at spaces)")
    args = ap.parse_args(argv)  # exits 2 on bad usage
    WRAP[:] = args.wrap.split()
    if args.j < 1:
        ap.error("-j must be at least 1")
    if not os.path.isdir(args.cases):
        ap.error("no such cases directory: %s" % args.cases)
    aslc = os.path.abspath(args.aslc)
    if not os.access(aslc, os.X_OK):
        ap.error("aslc is not an executable file: %s" % args.aslc)
    found, selected = find_cases(args.cases, args.k)
    selected = selected[::max(1, args.sample)]
    if not found:
        ap.error("no case files under %s" % args.cases)
    cases_dir = os.path.abspath(args.cases)
    work_root = os.path.abspath(args.work)
    os.makedirs(work_root, exist_ok=True)

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        futures = {pool.submit(run_case, aslc, cases_dir, work_root, p): p
                   for p in selected}
        for fut in concurrent.futures.as_completed(futures):
            try:
                report = fut.result()
            except Exception as e:  # a runner bug must not hide other results
                report = "%s: runner error: %r" % (futures[fut], e)
            if report:
                failures.append(report)
    for line in sorted(failures):
        print("FAIL " + line.replace("\n", " "))
    print("%d passed, %d failed" % (len(selected) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
