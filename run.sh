#!/usr/bin/env bash
# The project's entry points, for a fresh Debian 12 machine or any later one:
#   ./run.sh demo   install what is missing, build, replay the Black Friday rush
#   ./run.sh test   install what is missing, build, run the whole test suite
#                   (debug build, then again under AddressSanitizer+UBSan)
#   ./run.sh build  install what is missing and build only
set -euo pipefail
cd "$(dirname "$0")"

# valgrind: the suite's memcheck pass; clang, libclang-rt-dev: tests/fuzz/run.sh;
# chromium: tests/visibility/report_test.py loads the report in headless Chromium;
# libgraphviz-dev: aslc draws machines with libgvc (compiler/emit_svg.c)
PACKAGES=(build-essential pkg-config meson ninja-build flex bison libcjson-dev check python3
	valgrind clang libclang-rt-dev chromium libgraphviz-dev)

install_deps() {
	local missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "run.sh: installing ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
		"${missing[@]}"
}

# setup DIR [meson options...]: configure once, then build.
build_in() {
	local dir=$1
	shift
	[ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
	ninja -C "$dir"
}

case "${1:-}" in
build)
	install_deps
	build_in build
	;;
demo)
	install_deps
	build_in build-release --buildtype=release -Dtests=false
	shift
	build-release/examples/order/order-rush --orders 100000 "$@"
	;;
test)
	install_deps
	build_in build
	meson test -C build --print-errorlogs
	build_in build-asan -Db_sanitize=address,undefined -Db_lundef=false
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C build-asan --print-errorlogs
	;;
*)
	echo "usage: ./run.sh demo|test|build" >&2
	exit 2
	;;
esac
