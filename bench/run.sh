#!/usr/bin/env bash
# bench/run.sh - aslc's benchmark, in one command:
#   bench/run.sh [--duration S] [--repeat R] [--in-flight N] [--only w1,w2]
#                [--no-peer] [--cold-runs N] [--results FILE]
# Builds aslc and libaslrt optimised (meson buildtype=release in build-bench),
# compiles the five workflows of bench/workflows/ (Express type), the
# hand-written C baselines and, when node and npm are there, installs the peer
# (aws-local-stepfunctions, pinned in bench/peer/) into bench/.cache; then
# measures them side by side and prints a table (JSON lines go to
# bench/results/). See docs/bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/bench.py "$@"
