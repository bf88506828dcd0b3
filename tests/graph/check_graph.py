#!/usr/bin/env python3
"""Drawings (issue 10): aslc --emit dot|mermaid|svg and the graph_svg
embedded in compiled programs.

For examples/order, tests/graph/nested.asl.json (Parallel holding a Map,
Map, two Retry rows, Catch, Choice with a compound rule and Default, End)
and a machine of hostile names:
  - the SVG is well-formed XML; every state has <g id="aslc-s<I>"> with
    classes "aslc-state aslc-<type>"; every transition listed in the DOT
    has <g id="aslc-e<F>-<T>-<K>"> with "aslc-edge aslc-<kind>"; start/end
    nodes "aslc-start", "aslc-end" (nested: "-<StartAt index>");
  - nested.asl.json's ids and classes are asserted exactly;
  - each state's drawn text is its name (control characters shown as
    Unicode control pictures), in the SVG and in the Mermaid text, and no
    name breaks Mermaid's quoting;
  - the C compiles with -Wall -Wextra -Wpedantic -Werror
    -Woverlength-strings and its machine's graph_svg is byte for byte the
    --emit svg document; --no-graph leaves it NULL.

usage: check_graph.py ASLC SOURCE_ROOT WORKDIR LIBASLRT SANITIZE
(LIBASLRT: the runtime library to link; SANITIZE: meson's b_sanitize)
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}: {detail}")


def aslc(*args):
    r = subprocess.run([ASLC, *args], capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"aslc {' '.join(args)} exited {r.returncode}: {r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def display(name):
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 else "\u2421" if c == "\x7f" else c
                   for c in name)


def states_in_order(definition):
    """State names and types in the IR's order (check.c): a machine's states
    in document order, then, state by state, each nested machine's the same
    way (depth first)."""
    out = []

    def walk(m):
        out.extend((name, st["Type"].lower()) for name, st in m["States"].items())
        for st in m["States"].values():
            for sub in st.get("Branches", []) + [st[k] for k in ("ItemProcessor", "Iterator")
                                                  if k in st]:
                walk(sub)
    walk(definition)
    return out


def groups(svg_text):
    root = ET.fromstring(svg_text.encode("utf-8"))
    return {g.get("id"): g for g in root.iter(SVG + "g")}


def draw(path, label):
    with open(path, encoding="utf-8") as f:
        definition = json.load(f)
    svg = aslc(path, "--emit", "svg", "-o", "-")
    dot = aslc(path, "--emit", "dot", "-o", "-")
    mermaid = aslc(path, "--emit", "mermaid", "-o", "-")
    try:
        g = groups(svg)
    except ET.ParseError as e:
        check(False, f"{label}: SVG is well-formed XML", str(e))
        return None
    check(True, f"{label}: SVG is well-formed XML")
    states = states_in_order(definition)
    bad = []
    for i, (name, typ) in enumerate(states):
        node = g.get(f"aslc-s{i}")
        if node is None:
            bad.append(f"no aslc-s{i}")
            continue
        classes = node.get("class").split()
        if "aslc-state" not in classes or f"aslc-{typ}" not in classes:
            bad.append(f"aslc-s{i} class {classes}")
        text = "".join(t.text or "" for t in node.iter(SVG + "text")).replace("\u2060", "")
        want = display(name)
        if len(want) > 40:
            want = want[:40] + "\u2026"
        if text != want:
            bad.append(f"aslc-s{i} text {text!r} != {want!r}")
        if f'\ns{i}' not in mermaid and f' s{i}' not in mermaid:
            bad.append(f"mermaid has no s{i}")
    check(not bad, f"{label}: every state has its id, classes and name", "; ".join(bad[:5]))
    edges = re.findall(r'id="(aslc-e-?\d+--?\d+-\d+)", class="aslc-edge aslc-(\w+)"', dot)
    missing = [e for e, kind in edges
               if e not in g or g[e].get("class").split()[1:] != ["aslc-edge", f"aslc-{kind}"]]
    check(edges and not missing, f"{label}: all {len(edges)} transitions have id and classes",
          str(missing[:5]))
    check("aslc-start" in g and ("aslc-end" in g or not any("--1-" in e for e, _ in edges)),
          f"{label}: start and end nodes")
    # Mermaid: one link per DOT edge, and no quote inside a quoted label.
    links = [l for l in mermaid.splitlines() if re.match(r"\s+s\d+ (-->|-\.->)", l)]
    check(len(links) == len(edges), f"{label}: Mermaid has every transition",
          f"{len(links)} links, {len(edges)} edges")
    labels_ok = all(l.count('"') % 2 == 0 for l in mermaid.splitlines())
    quoted = re.findall(r'"([^"]*)"', mermaid)
    check(labels_ok and all("<" not in q and ">" not in q and "|" not in q for q in quoted),
          f"{label}: Mermaid labels are quoted and escaped")
    return svg, g, mermaid


def nested_exact(root):
    svg, g, mermaid = draw(os.path.join(root, "tests/graph/nested.asl.json"), "nested")
    want = {
        "aslc-s0": "aslc-state aslc-parallel", "aslc-s1": "aslc-state aslc-choice",
        "aslc-s2": "aslc-state aslc-map", "aslc-s3": "aslc-state aslc-succeed",
        "aslc-s4": "aslc-state aslc-fail", "aslc-s5": "aslc-state aslc-pass",
        "aslc-s6": "aslc-state aslc-map", "aslc-s7": "aslc-state aslc-succeed",
        "aslc-s8": "aslc-state aslc-wait", "aslc-s9": "aslc-state aslc-task",
        "aslc-e0-1-0": "aslc-edge aslc-next", "aslc-e0-4-0": "aslc-edge aslc-catch",
        "aslc-e0-0-0": "aslc-edge aslc-retry", "aslc-e0-0-1": "aslc-edge aslc-retry",
        "aslc-e1-2-0": "aslc-edge aslc-choice", "aslc-e1-2-1": "aslc-edge aslc-choice",
        "aslc-e1-4-0": "aslc-edge aslc-default", "aslc-e2-3-0": "aslc-edge aslc-next",
        "aslc-e3--1-0": "aslc-edge aslc-next", "aslc-e4--1-0": "aslc-edge aslc-next",
        "aslc-e5-6-0": "aslc-edge aslc-next", "aslc-e6--1-0": "aslc-edge aslc-next",
        "aslc-e7--1-0": "aslc-edge aslc-next", "aslc-e8--1-0": "aslc-edge aslc-next",
        "aslc-e9--1-0": "aslc-edge aslc-next", "aslc-e9-9-0": "aslc-edge aslc-retry",
        "aslc-start": "aslc-start", "aslc-end": "aslc-end",
        "aslc-start-5": "aslc-start", "aslc-end-5": "aslc-end",
        "aslc-start-7": "aslc-start", "aslc-end-7": "aslc-end",
        "aslc-start-8": "aslc-start", "aslc-end-8": "aslc-end",
        "aslc-start-9": "aslc-start", "aslc-end-9": "aslc-end",
        "aslc-m5": "aslc-cluster", "aslc-m7": "aslc-cluster", "aslc-m8": "aslc-cluster",
        "aslc-m9": "aslc-cluster",
    }
    got = {k: " ".join(v.get("class").split()[1:]) for k, v in g.items() if k.startswith("aslc-")
           and not k.startswith(("aslc-entry", "aslc-link"))}
    check(got == want, "nested: exact ids and classes",
          f"extra {sorted(set(got) - set(want))}, missing {sorted(set(want) - set(got))}, "
          f"wrong {[k for k in want if k in got and got[k] != want[k]]}")
    labels = {k: "".join(t.text or "" for t in g[k].iter(SVG + "text"))
              for k in ("aslc-e0-0-0", "aslc-e0-0-1", "aslc-e0-4-0", "aslc-e1-2-0",
                        "aslc-e1-2-1", "aslc-e1-4-0")}
    check(labels == {
        "aslc-e0-0-0": "retry \u00d72: States.Timeout, Custom.Error",
        "aslc-e0-0-1": "retry \u00d73: States.ALL",
        "aslc-e0-4-0": "catch States.ALL",
        "aslc-e1-2-0": "$.total > 100",
        "aslc-e1-2-1": '!($.name == "a"b|#c" || $.t < 2024-01-02\u2026',
        "aslc-e1-4-0": "Default"}, "nested: edge labels", str(labels))
    check('s0[["Fan #34;out#34; #60;#38;#62;"]]:::parallel' in mermaid and
          'subgraph m_7["B1 items: item processor"]' in mermaid and
          's1 -->|"!($.name == #34;a#34;b#124;#35;c#34; #124;#124; $.t < 2024-01-02\u2026"| s2'
          .replace("<", "#60;") in mermaid,
          "nested: Mermaid nodes, subgraphs and escaped labels")


def hostile(work):
    names = ['q"uote', "back\\slash \\N \\G \\l", "new\nline\ttab\x01", "<b>&amp;</b>",
             "caf\u00e9 \u65e5\u672c \U0001F600", "end", "a*/b/*c", "#quot; `tick` |pipe|",
             "[brackets]{braces}(parens)", "x" * 80]
    states = {}
    for i, n in enumerate(names):
        states[n] = {"Type": "Pass", "Next": names[i + 1]} if i + 1 < len(names) \
            else {"Type": "Succeed"}
    path = os.path.join(work, "hostile.asl.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"StartAt": names[0], "States": states}, f)
    draw(path, "hostile names")
    return path


def embedded(path, label, work):
    c = os.path.join(work, label + ".c")
    aslc(path, "-o", c, "--no-main", "--name", "m")
    driver = os.path.join(work, label + "_driver.c")
    with open(driver, "w") as f:
        f.write('#include <stdio.h>\n#include <aslrt.h>\nextern const struct aslrt_machine '
                'm_machine;\nint main(void) { if (!m_machine.graph_svg) return 3; '
                'fputs(m_machine.graph_svg, stdout); return 0; }\n')
    exe = os.path.join(work, label)
    r = subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                        "-Woverlength-strings", "-I", os.path.join(ROOT, "runtime/include"),
                        "-I/usr/include/cjson", "-c", c, "-o", exe + ".o"], capture_output=True)
    check(r.returncode == 0, f"{label}: C with graph_svg compiles cleanly", r.stderr.decode()[:500])
    san = [f"-fsanitize={SANITIZE}"] if SANITIZE not in ("", "none") else []
    r2 = subprocess.run(["cc", "-std=c11", *san, "-I", os.path.join(ROOT, "runtime/include"),
                         "-I/usr/include/cjson", driver, exe + ".o", RUNTIME,
                         "-Wl,-rpath," + os.path.dirname(os.path.abspath(RUNTIME)), "-o", exe],
                        capture_output=True)
    out = subprocess.run([exe], capture_output=True) if r.returncode == 0 and r2.returncode == 0 \
        else None
    want = aslc(path, "--emit", "svg", "-o", "-", "--name", "m").encode("utf-8")
    check(out is not None and out.returncode == 0 and out.stdout == want,
          f"{label}: graph_svg is the --emit svg document", r2.stderr.decode()[:300])
    aslc(path, "-o", c, "--no-main", "--name", "m", "--no-graph")
    with open(c) as f:
        text = f.read()
    check("graph_svg" not in text, f"{label}: --no-graph leaves graph_svg out")


def main():
    global ASLC, ROOT, RUNTIME, SANITIZE
    ASLC, ROOT, work = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    RUNTIME, SANITIZE = sys.argv[4], sys.argv[5]
    os.makedirs(work, exist_ok=True)
    draw(os.path.join(ROOT, "examples/order/order.asl.json"), "order")
    nested_exact(ROOT)
    h = hostile(work)
    embedded(os.path.join(ROOT, "examples/order/order.asl.json"), "order", work)
    embedded(os.path.join(ROOT, "tests/graph/nested.asl.json"), "nested", work)
    embedded(h, "hostile", work)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
