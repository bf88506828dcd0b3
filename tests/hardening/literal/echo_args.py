#!/usr/bin/env python3
"""A bindings program for literal_exec.py: answers with its own name, its
arguments, $TRICKY and the task input it read on stdin, as one JSON object."""
import json
import os
import sys

print(json.dumps({"program": os.path.basename(sys.argv[0]), "argv": sys.argv[1:],
                  "env": os.environ.get("TRICKY"), "input": json.load(sys.stdin)}))
