#!/usr/bin/env bash
# make check: install what is needed, apply the series, then overlay, checkpatch,
# per-patch W=1 builds and KUnit on arm64 and x86_64. Ends with "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

logs=$CACHE/logs
results=$logs/results
mkdir -p "$logs"
: >"$results"
start=$SECONDS

# step NAME CMD...: run CMD, keep its log, collect its "result" lines. A step that
# fails without reporting a failure of its own counts as one failure.
step() {
	local name=$1 rc
	shift
	log "$name"
	set +e
	"$@" 2>&1 | tee "$logs/$name.log" | grep --line-buffered -E '^(result|==>|error)' >&2
	rc=${PIPESTATUS[0]}
	set -e
	grep '^result ' "$logs/$name.log" >>"$results" || true
	if [ "$rc" -ne 0 ]; then
		grep -q '^result FAIL' "$logs/$name.log" || echo "result FAIL $name (exit $rc)" >>"$results"
		log "$name FAILED; the end of $logs/$name.log:"
		grep -v '^result PASS' "$logs/$name.log" | tail -n 25 >&2
	fi
	return "$rc"
}

summary() {
	local passed failed skipped
	passed=$(grep -c '^result PASS' "$results" || true)
	failed=$(grep -c '^result FAIL' "$results" || true)
	skipped=$(grep -c '^result SKIP' "$results" || true)
	grep '^result FAIL' "$results" | sed 's/^result /  /' >&2 || true
	log "took $((SECONDS - start)) s"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}
trap summary EXIT

step deps "$TOP/scripts/deps.sh"
# Nothing else can run on a series that does not apply.
step apply "$TOP/scripts/apply.sh" || exit 1
step overlay "$TOP/scripts/check-overlay.sh" || true
step checkpatch "$TOP/scripts/checkpatch.sh" || true
step cover-results "$TOP/scripts/cover-results.py" check "$PATCHES/0000-cover-letter.patch" || true
step build-arm64 "$TOP/scripts/build-series.sh" arm64 || true
step build-x86_64 "$TOP/scripts/build-series.sh" x86_64 || true
step build-riscv64 "$TOP/scripts/build-series.sh" riscv64 || true
step build-powerpc-8xx "$TOP/scripts/build-series.sh" powerpc-8xx || true
# arm64 4K without HugeTLB (kunit.py's config), with it, and the 16K and 64K granules.
step kunit-arm64 "$TOP/scripts/kunit.sh" arm64 || true
kunit_arm64() {
	KUNIT_NAME=arm64-$1 step "kunit-arm64-$1" "$TOP/scripts/kunit.sh" arm64 --kconfig_add "$2" || true
}
kunit_arm64 hugetlb CONFIG_HUGETLBFS=y
# The 4K kernel again, booted with nohugevmap: the policy case must run under the
# name that says vmap() used PTEs only, or the boot did not see the parameter.
kunit_nohugevmap() {
	local out rc=0
	out=$(KUNIT_NAME=arm64-nohugevmap KUNIT_BUILD_DIR=$BUILD/kunit-arm64 \
		"$TOP/scripts/kunit.sh" arm64 --kernel_args=nohugevmap) || rc=$?
	printf '%s\n' "$out"
	if ! grep -q '^result PASS .*vmap_follows_policy\.PTEs only$' <<<"$out"; then
		echo "result FAIL kunit/arm64-nohugevmap: no pass of the PTEs-only policy case"
		rc=1
	fi
	return "$rc"
}
step kunit-arm64-nohugevmap kunit_nohugevmap || true
kunit_arm64 16k CONFIG_ARM64_16K_PAGES=y
kunit_arm64 64k CONFIG_ARM64_64K_PAGES=y
step kunit-x86_64 "$TOP/scripts/kunit.sh" x86_64 || true
# HugeTLB's user mappings must be exactly as before: the series, and 7.3.4 alongside.
step hugetlb-series "$TOP/scripts/hugetlb.sh" series || true
step hugetlb-base "$TOP/scripts/hugetlb.sh" base || true
log "get_maintainer.pl for the series (informational):"
mapfile -t series < <(series_patches)
(cd "$CHECK_TREE" && ./scripts/get_maintainer.pl --no-rolestats "${series[@]}") >&2 || true
