#!/usr/bin/env python3
"""Hostile input: aslc must answer every one with the right diagnostic or a
correct program, never crash (a signal), hang, or take more than linear-ish
time. Each check prints ok/FAIL; the last line is "N passed, N failed".

  - nesting: 10^6 '[' and 10^5 '{"a":' get TOO_DEEPLY_NESTED at the bracket
    that goes past 1000 levels; templates exactly at the limit, 200 nested
    Parallels (about 800 JSON levels) and 990 nested Choice "Not" rules check
    and emit fine (bounded recursion);
  - invalid UTF-8 and \\u0000 get located INVALID_JSON_DESCRIPTION errors;
  - size: a 10^5-state machine is checked and emitted in linear-ish time
    (compared with 2*10^4 states), as are 10^5 diagnostics, a 10^5-state
    chain written backwards with variables, and a 50 MB string;
  - names: states named to break out of C strings and comments (quotes,
    backslashes, */, trigraphs, newlines, printf directives, #define, names
    that mangle alike) compile with -Wall -Wextra -Wpedantic -Werror, run, and
    report their exact names through $$.State.Name.

usage: run_hostile.py ASLC SOURCE_ROOT WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys
import time

passed = failed = 0


def result(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}: {detail}")


def aslc(args, timeout=120):
    t = time.monotonic()
    try:
        r = subprocess.run([ASLC] + args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", timeout
    return r.returncode, (r.stderr + r.stdout).decode("utf-8", "replace"), time.monotonic() - t


def write(name, data):
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def expect_diag(what, path, needle, args=()):
    rc, out, secs = aslc([path, "--check", "--max-size", "0"] + list(args))
    ok = rc == 1 and needle in out
    result(ok, f"{what} ({secs:.2f}s)", f"exit {rc}, wanted {needle!r} in {out[:300]!r}")


def expect_clean(what, path, limit):
    rc, out, secs = aslc([path, "--check", "--max-size", "0"])
    result(rc == 0 and secs < limit, f"{what} checks clean ({secs:.2f}s)", f"exit {rc} {out[:300]!r}")
    c = path + ".c"
    rc, out, secs = aslc([path, "-o", c, "--max-size", "0"])
    result(rc == 0 and secs < limit, f"{what} emits ({secs:.2f}s)", f"exit {rc} {out[:300]!r}")
    return secs


def chain(n, extra=None):
    states = {}
    for i in range(n):
        st = {"Type": "Pass", "Next": f"S{i + 1}"} if i < n - 1 else {"Type": "Succeed"}
        if extra:
            extra(i, st)
        states[f"S{i}"] = st
    return json.dumps({"StartAt": "S0", "States": states})


def nesting():
    expect_diag("10^6 nested arrays", write("arrays.json", "[" * 10**6 + "]" * 10**6),
                "1:1001: error[TOO_DEEPLY_NESTED]")
    expect_diag("10^5 nested objects", write("objects.json", '{"a":' * 10**5 + "1" + "}" * 10**5),
                "1:5001: error[TOO_DEEPLY_NESTED]")
    def parallels(levels):           # built as text: too deep for json.dumps
        text = '{"StartAt": "L0", "States": {"L0": {"Type": "Succeed"}}}'
        for k in range(1, levels):
            text = ('{"StartAt": "L%d", "States": {"L%d": {"Type": "Parallel", "Branches": [%s], '
                    '"End": true}}}' % (k, k, text))
        return text
    expect_clean("200 nested Parallels", write("parallels.json", parallels(200)), 30)
    expect_diag("260 nested Parallels", write("parallels260.json", parallels(260)),
                "error[TOO_DEEPLY_NESTED]")
    at_limit = ('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": '
                + "[" * 997 + "]" * 997 + ', "Parameters": {"a": ' + '{"b": ' * 996 + "1"
                + "}" * 996 + "}}}}")
    path = write("limit.json", at_limit)
    expect_clean("Result and Parameters nested 1000 deep", path, 30)
    r = subprocess.run([shutil.which("cc"), "-std=c11", "-fsyntax-only",
                        "-I" + os.path.join(ROOT, "runtime", "include"), path + ".c"],
                       capture_output=True, text=True)
    result(r.returncode == 0, "the C of 1000-deep templates compiles", r.stderr[:300])
    rule = {"Variable": "$.x", "IsNull": True}
    text = json.dumps(rule)
    for _ in range(990):
        text = '{"Not": ' + text + "}"
    text = ('{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Next": "Z", '
            '"And": [' + text + ']}], "Default": "Z"}, "Z": {"Type": "Succeed"}}}')
    expect_clean("990 nested Not rules", write("nots.json", text), 30)


def encoding():
    expect_diag("invalid UTF-8", write("utf8.json", b'{"StartAt": "A",\n "States": {"\xff": 1}}'),
                "utf8.json:2:14: error[INVALID_JSON_DESCRIPTION]: invalid UTF-8")
    expect_diag("NUL escape", write("nul.json", '{"StartAt": "A\\u0000", "States": {}}'),
                "nul.json:1:13: error[INVALID_JSON_DESCRIPTION]")
    expect_diag("NUL byte", write("nulbyte.json", b'{"StartAt":\n"A\x00"}'),
                "nulbyte.json:2:3: error[INVALID_JSON_DESCRIPTION]")


def size():
    t20 = expect_clean("2*10^4 states", write("s20k.json", chain(20000)), 60)
    t100 = expect_clean("10^5 states", write("s100k.json", chain(100000)), 60)
    result(t100 < 10 * t20 + 1.0, f"10^5 states in linear-ish time ({t20:.2f}s -> {t100:.2f}s)",
           "more than 10x the time for 5x the states")

    def assign(i, st):
        if i % 7 == 0:
            st["Assign"] = {f"v{i % 300}": i}
    expect_clean("10^5 states with 300 variables", write("vars.json", chain(100000, assign)), 60)
    n = 100000
    states = {f"S{i}": ({"Type": "Pass", "Next": f"S{i - 1}"} if i else
                        {"Type": "Pass", "End": True, "Parameters": {"x.$": "$v"}})
              for i in range(n)}
    states[f"S{n - 1}"]["Assign"] = {"v": 1}
    expect_clean("10^5 states chained backwards",
                 write("backwards.json", json.dumps({"StartAt": f"S{n - 1}", "States": states})), 60)
    many = {f"S{i}": {"Type": "Succeed"} for i in range(n)}
    rc, out, secs = aslc([write("unreachable.json", json.dumps({"StartAt": "S0", "States": many})),
                          "--check", "--max-size", "0"])
    result(rc == 1 and out.count("is not reachable") == n - 1 and secs < 30,
           f"10^5 diagnostics ({secs:.2f}s)", f"exit {rc}, {out.count(chr(10))} lines")
    big = json.dumps({"Comment": "x" * (50 << 20), "StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    rc, out, secs = aslc([write("big.json", big), "--check", "--max-size", "0"])
    result(rc == 0 and secs < 30, f"a 50 MB string ({secs:.2f}s)", f"exit {rc} {out[:200]!r}")


NAMES = [
    'end*/ comment', '/* open', 'quote"quote', 'back\\slash', 'tri??/graph', '??=define',
    'line\nbreak', 'tab\there', '%s%n%d', '#define X 1', 'a b', 'a-b', 'a_b', '1st',
    'caf\u00e9 \u2603', 'int', 'main', '\\', '"', 'x' * 80,
]


def names():
    states = {}
    for i, name in enumerate(NAMES):
        nxt = NAMES[i + 1] if i + 1 < len(NAMES) else None
        st = {"Type": "Pass", "Parameters": {"name.$": "$$.State.Name"}, "ResultPath": f"$.n{i}"}
        if nxt is None:
            st["End"] = True
        else:
            st["Next"] = nxt
        states[name] = st
    definition = {"Comment": "*/ #error not a comment ??/", "StartAt": NAMES[0], "States": states}
    path = write("names.asl.json", json.dumps(definition))
    c = os.path.join(WORK, "names.c")
    rc, out, _ = aslc([path, "-o", c, "--name", "hostile"])
    if rc != 0:
        result(False, "hostile names emit", out[:500])
        return
    cc = shutil.which("cc")
    r = subprocess.run([cc, "-std=c11", "-trigraphs", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                        "-fsyntax-only", "-I" + os.path.join(ROOT, "runtime", "include"), c],
                       capture_output=True, text=True)
    result(r.returncode == 0, "hostile names compile with -trigraphs -Wall -Wextra -Wpedantic "
           "-Werror", r.stderr[:500])
    prog = os.path.join(WORK, "names-prog")
    rc, out, _ = aslc([path, "-o", prog, "--name", "hostile"], timeout=300)
    if rc != 0:
        result(False, "hostile names build a program", out[:500])
        return
    r = subprocess.run([prog, "run", "--input", "{}"], capture_output=True, text=True, timeout=60)
    try:
        got = json.loads(r.stdout)
        ok = all(got[f"n{i}"]["name"] == name for i, name in enumerate(NAMES))
    except (ValueError, KeyError, TypeError):
        ok = False
    result(r.returncode == 0 and ok, "hostile names run and keep their exact names",
           f"exit {r.returncode}: {r.stdout[:300]!r} {r.stderr[:300]!r}")


def main():
    global ASLC, ROOT, WORK
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    ASLC, ROOT, WORK = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(WORK, exist_ok=True)
    for part in (nesting, encoding, size, names):
        part()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
