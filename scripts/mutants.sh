#!/usr/bin/env bash
# make mutants: proof that the KUnit suite bites. Each scripts/mutants/NN-name.patch breaks
# the series' own code in one small way (its first line says how); applied on the series,
# it must make named KUnit cases fail. The suite runs on arm64 4K pages with DEBUG_VM, so
# that no case skips; before the mutants it must pass on the series as it is, and after
# them the tests of the series' leading test-only patches must pass on the base (7.3.4).
# Writes results/mutants.md, copies it into the README, ends with one result line each.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build=$BUILD/kunit-mutants
md=$TOP/results/mutants.md
start=$SECONDS

"$TOP/scripts/apply.sh" >"$BUILD/mutants-apply.log" 2>&1 || die "the series does not apply"
series=$(git -C "$CHECK_TREE" rev-parse HEAD)
tests_only=$(tests_only_rev)

# suite NAME: the KUnit suite on the build tree as it stands; its failed cases, one a line.
# A kernel that does not build is an error of the harness, not a caught mutant.
suite() {
	local out=$BUILD/kunit-$1.results
	TREE=$BUILD_TREE KUNIT_NAME=$1 KUNIT_BUILD_DIR=$build "$TOP/scripts/kunit.sh" arm64 \
		--kconfig_add CONFIG_DEBUG_KERNEL=y --kconfig_add CONFIG_DEBUG_VM=y >"$out" 2>"$BUILD/kunit-$1.stderr" || true
	grep -q 'does not build' "$out" && die "$1: the kernel does not build (see $BUILD/kunit-$1.build.log)"
	sed -n "s|^result FAIL kunit/$1/\(vmalloc\.\)\{0,1\}||p" "$out" | grep -v '^kernel-log' || true
	# A run that failed as a whole (a hang, a crash) names no case: say so.
	sed -n "s|^result FAIL kunit/$1 (\(.*\))\$|(the whole run: \1)|p" "$out"
	grep -q '^result PASS' "$out" || echo "(no case passed: see $BUILD/kunit-$1.log)"
}

build_tree_at "$series"
log "mutants: the suite on the series as it is"
failed=$(suite series)
[ -z "$failed" ] || die "the suite fails on the series itself: $failed"
echo "result PASS mutants/series-unchanged"

{
	echo "Measured by \`make mutants\`: KUnit, arm64 4K pages, DEBUG_VM, under QEMU."
	echo
	echo "| mutant | what it breaks | KUnit cases that fail |"
	echo "| --- | --- | --- |"
} >"$md.tmp"
for patch in "$TOP"/scripts/mutants/*.patch; do
	name=$(basename "$patch" .patch)
	what=$(sed -n '1s/^Mutant: //p' "$patch")
	log "mutant $name: $what"
	git -C "$BUILD_TREE" checkout -q -f "$series"
	git -C "$BUILD_TREE" apply "$patch" || die "$name does not apply"
	failed=$(suite "mutant-$name")
	git -C "$BUILD_TREE" checkout -q -f "$series"
	if [ -n "$failed" ]; then
		echo "result PASS mutants/$name caught by $(wc -l <<<"$failed") cases"
	else
		echo "result FAIL mutants/$name: no KUnit case fails"
	fi
	# The table names the first four cases that caught it.
	caught=$(head -n 4 <<<"$failed" | paste -sd, | sed 's/,/, /g')
	[ "$(wc -l <<<"$failed")" -le 4 ] || caught="$caught and $(($(wc -l <<<"$failed") - 4)) more"
	echo "| $name | $what | ${caught:-**none**} |" >>"$md.tmp"
done

log "mutants: the tests of the test-only patches on the base"
build_tree_at "$tests_only"
failed=$(suite tests-on-base)
if [ -z "$failed" ]; then
	echo "result PASS mutants/tests-on-base"
else
	echo "result FAIL mutants/tests-on-base: $failed"
fi
{
	echo
	echo "The suite passes on the series unchanged; the tests of its leading test-only"
	echo "patches pass on the base (${failed:-no case fails}). \`make mutants\` took" \
		"$(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s."
} >>"$md.tmp"
mv "$md.tmp" "$md"
readme_section mutants "$md"
