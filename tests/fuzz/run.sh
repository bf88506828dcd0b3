#!/usr/bin/env bash
# Run one fuzz target for a while:   tests/fuzz/run.sh TARGET SECONDS
#
# TARGET: load check path intrinsic input files store emit (see README.md here).
# Builds (once) the libFuzzer binaries with clang + ASan + UBSan in
# $FUZZ_BUILD (default build-fuzz), writes the seed corpus from the tests
# (seeds.py), then fuzzes for SECONDS. A crash, leak, sanitizer report or
# timeout stops the run and leaves its input in $FUZZ_BUILD/findings/TARGET/:
# fix the bug, copy the input into tests/fuzz/regressions/TARGET/ (the test
# suite replays it), rerun. `emit` fuzzes the validator and then compiles and
# runs a sample of the definitions it accepted (emit_diff.py, with the aslc
# of $EMIT_ASLC, default build-asan/compiler/aslc).
#
# libFuzzer 14's entropic schedule spends most of its time in
# UpdateFeatureFrequency on these targets (35 executions/s instead of
# thousands), so it is turned off (-entropic=0).
#
# Each run appends "target seconds executions findings" to
# $FUZZ_BUILD/fuzz-stats.tsv; `tests/fuzz/run.sh stats` sums them per target.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
targets="load check path intrinsic input files store emit"

usage() {
	echo "usage: tests/fuzz/run.sh TARGET SECONDS   (TARGET: $targets)" >&2
	echo "       tests/fuzz/run.sh stats" >&2
	exit 2
}

if [ "${1:-}" = stats ]; then
	[ -f "$build/fuzz-stats.tsv" ] || { echo "no runs yet"; exit 0; }
	awk '{ s[$1] += $2; e[$1] += $3; f[$1] += $4 }
	     END { printf "%-10s %8s %12s %8s\n", "target", "seconds", "executions", "findings";
		   for (t in s) printf "%-10s %8d %12d %8d\n", t, s[t], e[t], f[t] }' \
		"$build/fuzz-stats.tsv"
	exit 0
fi
[ $# -eq 2 ] || usage
target=$1
seconds=$2
case " $targets " in *" $target "*) ;; *) usage ;; esac

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
bin=$target
[ "$target" = emit ] && bin=check
[ -n "${FUZZ_NO_BUILD:-}" ] || ninja -C "$build" "tests/fuzz/fuzz_$bin" >/dev/null

corpus=$build/corpus/$target
findings=$build/findings/$target
mkdir -p "$corpus" "$findings" "$build/logs"
python3 "$here/seeds.py" "$target" "$build/seeds/$target" >/dev/null
# Inputs that run whole executions get slow when large (a Map over every node).
max_len=
[ "$target" = input ] && max_len=-max_len=4096
dict=
for d in "$here/dict/$target.dict" "$here/dict/$bin.dict"; do
	[ -f "$d" ] && { dict="-dict=$d"; break; }
done

log=$build/logs/$target-$(date +%Y%m%d-%H%M%S).log
before=$(find "$findings" -type f | wc -l)
extra_env=()
if [ "$target" = emit ]; then
	accepted=$build/emit-accepted
	rm -rf "$accepted"
	mkdir -p "$accepted"
	extra_env=(FUZZ_EMIT_DIR="$accepted")
fi
echo "fuzzing $target for ${seconds}s (log: $log)"
t0=$SECONDS
set +e
env ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "${extra_env[@]}" \
	"$build/tests/fuzz/fuzz_$bin" $dict $max_len -max_total_time="$seconds" -timeout=20 -entropic=0 \
	-rss_limit_mb=2560 -malloc_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$findings/" "$corpus" "$build/seeds/$target" >"$log" 2>&1
rc=$?
elapsed=$((SECONDS - t0))
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
[ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
after=$(find "$findings" -type f | wc -l)
new=$((after - before))

if [ "$target" = emit ] && [ $rc -eq 0 ]; then
	aslc=${EMIT_ASLC:-$root/build-asan/compiler/aslc}
	echo "compiling and running a sample of $(ls "$accepted" | wc -l) accepted definitions with $aslc"
	set +e
	python3 "$here/emit_diff.py" --aslc "$aslc" --work "$build/emit-work" \
		--sample "${EMIT_SAMPLE:-300}" --keep "$findings" "$accepted" | tee -a "$log"
	drc=${PIPESTATUS[0]}
	set -e
	after=$(find "$findings" -type f | wc -l)
	new=$((after - before))
	[ $drc -eq 0 ] || rc=1
fi
printf '%s\t%s\t%s\t%s\n' "$target" "$elapsed" "${execs:-0}" "$new" >>"$build/fuzz-stats.tsv"
echo "$target: ${execs:-0} executions in ${elapsed}s, $new new finding(s)"
if [ $rc -ne 0 ] || [ "$new" -ne 0 ]; then
	grep -m1 -A25 'ERROR:\|runtime error\|FINDING' "$log" || tail -30 "$log"
	echo "findings in $findings" >&2
	exit 1
fi
