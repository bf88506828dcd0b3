#!/usr/bin/env python3
"""Write the injection corpus: execution cases (shared/CASES.md format) in
tests/cases/injection/ whose state names, strings, keys, resources and
mocked values are made to break out of the C that aslc emits (quotes,
backslashes, comment ends, trigraphs, newlines, printf directives, C keywords,
reserved and runtime identifiers, names that mangle alike, non-ASCII, very
long text). Each compiles and its output must carry every string exactly, as
the definition says; a NUL escape and a 10,000-character state name are
rejected with located diagnostics. The cases are data: this script only
regenerates them (python3 tests/hardening/make_injection_cases.py).
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "cases", "injection")
SOURCE = ("issue 8 (safe code generation); AWS: Pass Result, Fail Error/Cause, Choice "
          "StringEquals and $$.State.Name pass strings through unchanged")
NOTES = "expectations computed by hand: every string comes out exactly as written"

HOSTILE = [
    'quote " and \\" escaped',
    "backslash \\ at end \\",
    "comment end */ and start /* and // line",
    "trigraphs ??/ ??= ??( ??) ??' ??< ??! ??> ??-",
    "line\nbreak\r\nand\ttab",
    "printf %s %n %d %% %x",
    "#define X 1\n#include <stdio.h>",
    "non-ASCII \u00e9 \u2603 \U0001F600 \u4e2d\u6587",
    "control \u0001\u001f\u007f",
    "\\u0000 as text, not a NUL",
    "",
]
NAMES = ["int", "return", "main", "NULL", "__LINE__", "_Bool", "__func__", "sizeof",
         "aslrt_run", "aslrt_machine", "m_machine", "errno", "exit", "default",
         'a*/b"c', "??/", "x\\y", "%s%n", "#define X", "/*", "a-b", "a_b", "a b", "a.b",
         "\u00e9\u2603\U0001F600", "0"]


def write(name, case):
    with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(case, f, indent=2, ensure_ascii=False)
        f.write("\n")


def line_col(text, needle):
    """1-based line and byte column of needle's first character in text."""
    i = text.index(needle)
    before = text[:i]
    line = before.count("\n") + 1
    col = len(before[before.rfind("\n") + 1:].encode("utf-8")) + 1
    return line, col


def main():
    os.makedirs(OUT, exist_ok=True)
    result = {s if s else "empty": s for s in HOSTILE}
    result.update({"keys " + s: i for i, s in enumerate(HOSTILE)})
    result["long"] = "*/\"\\??/\n" * 1250          # 10,000 characters
    write("pass_result_strings", {
        "name": "hostile strings and keys in a Pass Result come out unchanged",
        "source": SOURCE, "notes": NOTES,
        "definition": {"Comment": "*/ ??/ \" \\ \n" * 10, "StartAt": HOSTILE[0],
                       "States": {HOSTILE[0]: {"Type": "Pass", "Comment": "*/",
                                               "Result": result, "End": True}}},
        "input": {},
        "expect": {"status": "SUCCEEDED", "output": result}})

    states, expect = {}, {}
    for i, n in enumerate(NAMES):
        nxt = NAMES[i + 1] if i + 1 < len(NAMES) else None
        st = {"Type": "Pass", "Parameters": {"name.$": "$$.State.Name", "seen.$": "$.r%d" % (i - 1)
                                             if i else "$"},
              "ResultPath": "$.r%d" % i, "Comment": n}
        st["OutputPath"] = "$"
        if nxt:
            st["Next"] = nxt
        else:
            st["End"] = True
        states[n] = st
    # each state adds {"name": its name, "seen": what the one before added}
    doc = {}
    for i, n in enumerate(NAMES):
        doc["r%d" % i] = {"name": n, "seen": doc["r%d" % (i - 1)] if i else {}}
    write("state_names_reach_context", {
        "name": "states named like C keywords, runtime symbols and comment breakers run in "
                "order and see their exact names in $$.State.Name",
        "source": SOURCE, "notes": NOTES,
        "definition": {"StartAt": NAMES[0], "States": states},
        "input": {},
        "expect": {"status": "SUCCEEDED", "output": doc}})

    error, cause = 'E*/"\\??/\n%s', "cause " + " | ".join(HOSTILE) + " " + "x" * 10000
    write("fail_error_cause_exact", {
        "name": "a Fail state's hostile Error and 10 KB Cause reach the result unchanged",
        "source": SOURCE, "notes": NOTES,
        "definition": {"StartAt": "??/", "States": {"??/": {
            "Type": "Fail", "Error": error, "Cause": cause}}},
        "input": {},
        "expect": {"status": "FAILED", "error": error, "cause": cause}})

    choices = [{"Variable": "$.v", "StringEquals": s, "Next": "S%d" % i}
               for i, s in enumerate(HOSTILE)]
    cstates = {"Route": {"Type": "Choice", "Choices": choices + [
        {"Variable": "$.v", "StringMatches": "*\\**??/*", "Next": "Star"}],
        "Default": "None"}}
    for i, s in enumerate(HOSTILE):
        cstates["S%d" % i] = {"Type": "Pass", "Result": {"matched": i, "s": s}, "End": True}
    cstates["Star"] = {"Type": "Pass", "Result": "star", "End": True}
    cstates["None"] = {"Type": "Fail", "Error": "NoMatch"}
    for i in (0, 3, 4, 7):
        write("choice_string_equals_%d" % i, {
            "name": "Choice StringEquals matches hostile string %d exactly" % i,
            "source": SOURCE, "notes": NOTES,
            "definition": {"StartAt": "Route", "States": cstates},
            "input": {"v": HOSTILE[i]},
            "expect": {"status": "SUCCEEDED", "output": {"matched": i, "s": HOSTILE[i]}}})
    write("choice_string_matches_escapes", {
        "name": "StringMatches with an escaped star and a trigraph in the pattern",
        "source": SOURCE + "; StringMatches: \\* is a literal star", "notes": NOTES,
        "definition": {"StartAt": "Route", "States": cstates},
        "input": {"v": "x*y??/z"},
        "expect": {"status": "SUCCEEDED", "output": "star"}})

    resource = "arn:aws:lambda:us-east-1:123456789012:function:f\"*/??/\\"
    ret = {s if s else "empty": s for s in HOSTILE}
    write("task_resource_and_mock", {
        "name": "a Task whose name and resource are hostile returns its mocked hostile "
                "result unchanged through Parameters and ResultSelector",
        "source": SOURCE, "notes": NOTES,
        "definition": {"StartAt": 'Call "*/', "States": {'Call "*/': {
            "Type": "Task", "Resource": resource,
            "Parameters": {"k*/.$": "$.in", "lit??/": HOSTILE[4]},
            "ResultSelector": {"all.$": "$", "one.$": "$['" + HOSTILE[2] + "']"},
            "ResultPath": "$.out", "End": True}}},
        "input": {"in": HOSTILE[5]},
        "mocks": {resource: [{"Return": ret}]},
        "expect": {"status": "SUCCEEDED",
                   "output": {"in": HOSTILE[5], "out": {"all": ret, "one": HOSTILE[2]}}}})

    nul = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a\u0000b", "End": True}}}
    text = json.dumps(nul, indent=2)
    line, col = line_col(text, '"a\\u0000b"')
    write("nul_escape_rejected", {
        "name": "a \\u0000 escape is rejected where it stands (a C string cannot hold it)",
        "source": SOURCE, "notes": NOTES,
        "definition": nul,
        "expect": {"status": "COMPILE_ERROR", "diagnostics": [
            {"code": "INVALID_JSON_DESCRIPTION", "line": line, "col": col}]}})

    long_name = "S" * 10000
    ln = {"StartAt": long_name, "States": {long_name: {"Type": "Pass", "End": True}}}
    text = json.dumps(ln, indent=2)
    line, col = line_col(text, '"%s": {' % long_name)
    write("long_state_name_rejected", {
        "name": "a 10,000-character state name is rejected: AWS allows at most 80 characters",
        "source": "AWS Step Functions quotas: state names are at most 80 characters",
        "notes": NOTES,
        "definition": ln,
        "expect": {"status": "COMPILE_ERROR", "diagnostics": [
            {"code": "INVALID_STATE_NAME", "line": line, "col": col}]}})


if __name__ == "__main__":
    main()
