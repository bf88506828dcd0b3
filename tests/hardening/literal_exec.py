#!/usr/bin/env python3
"""External programs run literally: a bindings file whose program name, arguments
and environment values are full of shell metacharacters, for a Task whose
resource and input are too, runs exactly that program with exactly those
arguments, environment and input: never through a shell.

Usage: literal_exec.py ASLC WORKDIR

The program (a copy of echo_args.py under a name with metacharacters) answers
with {"argv": its arguments, "env": $TRICKY, "input": the task input}; the
execution's output must be exactly that, and no command hidden in the
metacharacters may have run (each would create a file named PWNED*).
Prints ok/FAIL lines, then "N passed, N failed"; exit 1 on any failure.
"""

import json
import os
import shutil
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

PROGRAM = "prog $(touch PWNED1);`touch PWNED2`|&<>*?'\"\\ #!{x,y}~"
ARGS = ["$(touch PWNED3)", "`touch PWNED4`", "a;touch PWNED5", "| touch PWNED6", "*", "~",
        "$HOME", "'single'", "\"double\"", "back\\slash", "new\nline", "", "  spaced  ",
        "&& touch PWNED7", "> PWNED8", "%s%n%x", "\u00e9\u2603"]
TRICKY = "$(touch PWNED9); `touch PWNED10` | & ; > PWNED11"
RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:lit-$(touch PWNED12)"
INPUT = {"cmd": "$(touch PWNED13)", "quote": "';\"`", "nl": "a\nb"}

passed = failed = 0


def result(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL %s: %s" % (what, detail))


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    aslc, work = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    prog = os.path.join(work, PROGRAM)
    shutil.copy(os.path.join(HERE, "literal", "echo_args.py"), prog)
    os.chmod(prog, os.stat(prog).st_mode | stat.S_IXUSR)
    definition = {
        "Comment": "a Task bound to a program whose name, arguments and environment "
                   "are shell metacharacters",
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": RESOURCE, "End": True}},
    }
    with open(os.path.join(work, "literal.asl.json"), "w") as f:
        json.dump(definition, f)
    with open(os.path.join(work, "bindings.json"), "w") as f:
        json.dump({RESOURCE: {"command": ["./" + PROGRAM] + ARGS, "env": {"TRICKY": TRICKY}}},
                  f)
    with open(os.path.join(work, "input.json"), "w") as f:
        json.dump(INPUT, f)
    p = subprocess.run([aslc, "literal.asl.json", "-o", "literal"], cwd=work,
                       capture_output=True, text=True)
    result(p.returncode == 0, "aslc builds the program", p.stderr[:400])
    if p.returncode != 0:
        return 1
    r = subprocess.run(["./literal", "run", "--input", "@input.json", "--bindings",
                        "bindings.json", "--name", "literal"], cwd=work, capture_output=True,
                       text=True, timeout=60)
    result(r.returncode == 0, "the execution succeeds", "exit %d: %s %s" % (
        r.returncode, r.stdout[:300], r.stderr[:300]))
    try:
        out = json.loads(r.stdout)
    except ValueError:
        out = None
    want = {"argv": ARGS, "env": TRICKY, "input": INPUT,
            "program": os.path.basename(PROGRAM)}
    result(out == want, "the program got exactly its arguments, environment and input",
           "got %r" % (out,))
    pwned = sorted(n for n in os.listdir(work) if n.startswith("PWNED")) + sorted(
        n for n in os.listdir(os.path.dirname(work)) if n.startswith("PWNED"))
    result(not pwned, "no hidden command ran", " ".join(pwned))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
