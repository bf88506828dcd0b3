#!/usr/bin/env python3
"""Write the seed corpus of one fuzz target from the project's own tests.

Usage: seeds.py TARGET OUTDIR

  load, check, emit  every definition of tests/cases, examples/ and
                     tests/fuzz/machines (as the case runner writes them:
                     json.dump, indent 2), plus a compact variant
  path               every JSONPath string of those definitions (a `.$`
                     value, *Path field, Variable) after a mode byte
                     (0 reference, 1 full)
  intrinsic          every `States.X(...)` string of those definitions
  input              every case input and mocked Return value
  files              every case's MockConfigFile (after a 0 byte) and a few
                     bindings files (after a 1 byte)
  store              the real store logs of regressions/store/log-*.bin
                     (written by store_logs.py), each cut at every record
                     boundary and one byte either side of it, and with one
                     byte flipped in each of its first records; each log
                     also with MODE_RESEAL (CRCs fixed after mutation)
Files are named by a hash of their content, so rerunning adds nothing twice.
"""

import glob
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import run_cases  # noqa: E402  (mock_config, slug_of)

PATH_FIELDS = {"InputPath", "OutputPath", "ResultPath", "ItemsPath", "Variable",
               "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
               "ErrorPath", "CausePath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
               "ToleratedFailurePercentagePath"}

BINDINGS = [
    {"arn:aws:lambda:us-east-1:123456789012:function:pay": {"command": ["./pay.sh", "--x"]}},
    {"arn:*": {"command": ["cat"], "timeout": 5, "env": {"A": "1"}}},
    {"*": {"command": ["/bin/echo", "{}"]}, "x": {"command": ["true"]}},
]


def cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "cases", "**", "*.json"),
                             recursive=True)):
        try:
            with open(path, encoding="utf-8") as f:
                case = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(case, dict) and isinstance(case.get("definition"), dict):
            yield os.path.relpath(path, os.path.join(ROOT, "tests", "cases")), case


def definitions():
    for _, case in cases():
        yield case["definition"]
    for pattern in ("examples/**/*.asl.json", "tests/fuzz/machines/*.asl.json"):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            with open(path, encoding="utf-8") as f:
                yield json.load(f)


def strings(node, key=None):
    """(key, string) for every string value in node, keys included."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield None, k
            yield from strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, key)
    elif isinstance(node, str):
        yield key, node


def seeds(target):
    if target in ("load", "check", "emit"):
        for d in definitions():
            yield json.dumps(d, indent=2).encode()
            yield json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode()
    elif target == "path":
        for d in definitions():
            for key, s in strings(d):
                if s.startswith("$") and (key in PATH_FIELDS or (key or "").endswith(".$")):
                    yield b"\x00" + s.encode()
                    yield b"\x01" + s.encode()
    elif target == "intrinsic":
        for d in definitions():
            for _, s in strings(d):
                if s.startswith("States."):
                    yield s.encode()
    elif target == "input":
        for _, case in cases():
            yield json.dumps(case.get("input", {})).encode()
            for responses in (case.get("mocks") or {}).values():
                for r in responses:
                    if isinstance(r, dict) and "Return" in r:
                        yield json.dumps(r["Return"]).encode()
    elif target == "files":
        for rel, case in cases():
            if case.get("mocks"):
                cfg = run_cases.mock_config("M", case["definition"], case["mocks"])
                cfg["StateMachines"]["M"]["TestCases"]["T"] = \
                    cfg["StateMachines"]["M"]["TestCases"].pop(run_cases.TEST_CASE)
                yield b"\x00" + json.dumps(cfg, indent=1).encode()
        for b in BINDINGS:
            yield b"\x01" + json.dumps(b).encode()
    elif target == "store":
        yield from store_seeds()
    else:
        raise SystemExit("seeds.py: unknown target %s" % target)


def store_seeds():
    """Truncations and one-byte corruptions of the live logs of the real
    store inputs (mode 0: records only; see fuzz_store.c)."""
    for path in sorted(glob.glob(os.path.join(HERE, "regressions", "store", "log-*.bin"))):
        with open(path, "rb") as f:
            data = f.read()
        yield data
        yield bytes([data[0] | 8]) + data[1:]      # MODE_RESEAL: mutations keep valid CRCs
        if data[:1] != b"\0":
            continue
        recs, at, ends = data[1:], 0, []
        while at + 8 <= len(recs):
            at += 8 + int.from_bytes(recs[at:at + 4], "little")
            ends.append(at)
        for end in ends:
            for cut in (end - 1, end, end + 1):
                if 0 < cut < len(recs):
                    yield b"\0" + recs[:cut]
        for start in [0] + ends[:8]:
            for delta in (0, 4, 9, 13):
                i = start + delta
                if i < len(recs):
                    yield b"\0" + recs[:i] + bytes([recs[i] ^ 0x20]) + recs[i + 1:]


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    target, out = argv
    os.makedirs(out, exist_ok=True)
    n = 0
    for data in seeds(target):
        name = hashlib.sha1(data).hexdigest()
        path = os.path.join(out, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            n += 1
    print("seeds.py: %d new seeds for %s in %s" % (n, target, out))


if __name__ == "__main__":
    main(sys.argv[1:])
