#!/usr/bin/env bash
# Run the series' KUnit suites under QEMU for one architecture: kunit.sh ARCH [kunit.py args].
# Prints "kunit ARCH: P passed, F failed, S skipped" last; exits non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=$1
shift
tree=${TREE:-$CHECK_TREE}
name=${KUNIT_NAME:-$arch}
out=$BUILD/kunit-$name
mkdir -p "$out"

case $arch in
arm64) cross=(--cross_compile=aarch64-linux-gnu-) cc=aarch64-linux-gnu-gcc ;;
x86_64) cross=() cc=gcc ;;
*) die "kunit.sh: unsupported arch $arch" ;;
esac

log "kunit $name: build and boot under QEMU (log: $out.log)"
rm -f "$out.json"
rc=0
PATH=$TOP/scripts/qemu:$PATH "$tree/tools/testing/kunit/kunit.py" run \
	--arch="$arch" "${cross[@]}" --make_options="CC=ccache $cc" --jobs="$JOBS" \
	--kunitconfig="$tree/mm/tests" --build_dir="${KUNIT_BUILD_DIR:-$out}" --json="$out.json" \
	--timeout=900 "$@" >"$out.log" 2>&1 || rc=$?
# Failed cases and what kunit.py said about a kernel that did not build or boot.
grep -E 'FAILED|CRASHED|error:|ERROR|Expected|Unknown|not ok' "$out.log" | head -n 40 >&2 || true
"$TOP/scripts/kunit-count.py" "$name" "$out.json" "$rc"
