#!/usr/bin/env bash
# make check: every step of STEPS; make check-full (scripts/check.sh full): those and
# FULL_ONLY; scripts/check.sh STEP...: only those named (each is also a make target).
# Kernels are built in the foreground while the kernels built before boot under QEMU in
# two more lanes, one for the debug kernel's long boots, one for the others. Ends with
# each step's wall time and "N passed, N failed, N skipped".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

STEPS=(deps apply overlay checkpatch cover-results hugetlb kunit-arm64-64k kunit-x86_64
	kunit-riscv64 kunit-arm64-16k build-arm64 build-x86_64 hugetlb-control)
# What make check leaves out to stay within an hour on a slow machine of CI's kind
# (README, "Measured run times"): UML's KUnit kernel and the per-patch builds of the
# architectures that do not select large vmap() entries.
FULL_ONLY=(kunit-um build-riscv64 build-powerpc-8xx build-powerpc64)

all_steps=0
if [ $# -eq 0 ]; then
	set -- "${STEPS[@]}"
	all_steps=1
elif [ "$*" = full ]; then
	set -- "${STEPS[@]}" "${FULL_ONLY[@]}"
	all_steps=1
	# The debug kernel boots once more, with 32M (CONT_PMD) as the default huge page size.
	export HUGETLB_SIZES="64K 2M 32M"
fi
declare -A want
for w in "$@"; do
	[[ " ${STEPS[*]} ${FULL_ONLY[*]} " == *" $w "* ]] ||
		die "unknown step $w; the steps: ${STEPS[*]} ${FULL_ONLY[*]}"
	want[$w]=1
done
wanted() { [ -n "${want[$1]:-}" ]; }

logs=$CACHE/logs
results=$logs/results
times=$logs/times
mkdir -p "$logs"
: >"$results"
: >"$times"
start=$SECONDS

# step NAME CMD...: run CMD, keep its log, collect its "result" lines and its wall time.
# A step that fails without reporting a failure of its own counts as one failure.
step() {
	local name=$1 rc t0=$SECONDS
	shift
	log "$name"
	set +e
	"$@" 2>&1 | tee "$logs/$name.log" | grep --line-buffered -E '^(result|==>|error)' >&2
	rc=${PIPESTATUS[0]}
	set -e
	grep '^result ' "$logs/$name.log" >>"$results" || true
	echo "$name $((SECONDS - t0))" >>"$times"
	if [ "$rc" -ne 0 ]; then
		grep -q '^result FAIL' "$logs/$name.log" || echo "result FAIL $name (exit $rc)" >>"$results"
		log "$name FAILED; the end of $logs/$name.log:"
		grep -v '^result PASS' "$logs/$name.log" | tail -n 25 >&2
	fi
	return "$rc"
}

# boot NAME CMD...: the step in the boot lane, once the lane's previous step has ended.
lane=
boot() {
	local prev=$lane
	(
		while [ -n "$prev" ] && kill -0 "$prev" 2>/dev/null; do sleep 1; done
		step "$@" || true
	) &
	lane=$!
}

summary() {
	local passed failed skipped
	wait
	passed=$(grep -c '^result PASS' "$results" || true)
	failed=$(grep -c '^result FAIL' "$results" || true)
	skipped=$(grep -c '^result SKIP' "$results" || true)
	grep '^result FAIL' "$results" | sed 's/^result /  /' >&2 || true
	{
		echo "| step | wall time |"
		echo "| --- | ---: |"
		awk '{ printf "| %s | %d min %02d s |\n", $1, $2 / 60, $2 % 60 }' "$times"
		printf '| **make check** (builds and boots overlap) | **%d min %02d s** |\n' \
			$(((SECONDS - start) / 60)) $(((SECONDS - start) % 60))
	} | tee "$logs/times.md" >&2
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}
trap summary EXIT

# kunit_kernel STEP ARCH [kunit.py args]: build in the foreground, boot in the lane.
kunit_kernel() {
	local name=$1 arch=$2
	shift 2
	KUNIT_NAME=${name#kunit-} KUNIT_STAGE=build step "$name-build" "$TOP/scripts/kunit.sh" "$arch" "$@" ||
		return 0
	KUNIT_NAME=${name#kunit-} KUNIT_STAGE=exec boot "$name" "$TOP/scripts/kunit.sh" "$arch" "$@"
}

! wanted deps || step deps "$TOP/scripts/deps.sh" || true
if [ "${!want[*]}" != deps ]; then
	# Nothing else can run on a series that does not apply.
	step apply "$TOP/scripts/apply.sh" || exit 1
fi
! wanted overlay || step overlay "$TOP/scripts/check-overlay.sh" || true
! wanted checkpatch || step checkpatch "$TOP/scripts/checkpatch.sh" || true
! wanted cover-results ||
	step cover-results "$TOP/scripts/cover-results.py" check "$PATCHES/0000-cover-letter.patch" || true

# The debug kernel first: its boots (KUnit on 4K pages, again with nohugevmap,
# test_vmalloc under ptdump and with injected allocation failures, and HugeTLB's user
# mappings exactly as before, under page_table_check) take longest, and run while the
# other kernels build.
# Its boots have a lane of their own; the short KUnit boots share the other.
if wanted hugetlb && HUGETLB_STAGE=build step hugetlb-build "$TOP/scripts/hugetlb.sh" series; then
	{ HUGETLB_STAGE=boot step hugetlb "$TOP/scripts/hugetlb.sh" series || true; } &
fi

# KUnit: arm64 64K pages, x86_64 and riscv64 (arm64 4K runs in the debug kernel above,
# booted once more with nohugevmap). Each kernel builds while the one before it boots.
# The arm64 kernels use 52-bit physical addresses (4K and 16K: LPA2, 7.3's default; 64K:
# asked for) so that the PA-bits cases cross 2^48 and 2^50 on QEMU's -cpu max.
! wanted kunit-arm64-64k || KUNIT_EXPECT_CONFIG="CONFIG_ARM64_PA_BITS_52=y" \
	kunit_kernel kunit-arm64-64k arm64 --kconfig_add CONFIG_ARM64_64K_PAGES=y \
	--kconfig_add CONFIG_ARM64_PA_BITS_52=y
# x86_64 with KASAN (generic, KASAN_VMALLOC), lockdep and DEBUG_VM: a KASAN report fails
# the case it happens in, any other report the run (kunit.sh). test_vmalloc is built in
# and runs the series' mapping cases at boot, under the same checkers.
! wanted kunit-x86_64 ||
	KUNIT_KERNEL_ARGS="test_vmalloc.run_test_mask=57344 test_vmalloc.vmap_nr_pages=4096
	test_vmalloc.map_loop_count=2 test_vmalloc.ioremap_phys=0xd0000000" \
	kunit_kernel kunit-x86_64 x86_64 --kconfig_add CONFIG_DEBUG_KERNEL=y \
	--kconfig_add CONFIG_DEBUG_VM=y --kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_VMALLOC=y \
	--kconfig_add CONFIG_PROVE_LOCKING=y --kconfig_add CONFIG_TEST_VMALLOC=y
# riscv64 with Svnapot on, which its HugeTLB uses; its vmalloc has no PTE-level blocks.
! wanted kunit-riscv64 || kunit_kernel kunit-riscv64 riscv64 --qemu_args="-cpu rv64,svnapot=on"
# arm64 16K pages: 128 entries to a CONT_PTE block, LPA2.
! wanted kunit-arm64-16k || KUNIT_EXPECT_CONFIG="CONFIG_ARM64_PA_BITS_52=y CONFIG_ARM64_LPA2=y" \
	kunit_kernel kunit-arm64-16k arm64 --kconfig_add CONFIG_ARM64_16K_PAGES=y
# make check-full: UML, kunit.py's default, where ioremap() maps nothing and no large
# entry exists.
! wanted kunit-um || kunit_kernel kunit-um um
# Every patch builds with W=1 and no new warning, on each architecture the series changes
# (riscv64: Svnapot and PMD/PUD hooks; powerpc 8xx: the PTE-level vmap hooks), and on
# powerpc64, whose page-table geometry is not constant at build time.
for arch in arm64 x86_64 riscv64 powerpc-8xx powerpc64; do
	! wanted "build-$arch" || step "build-$arch" "$TOP/scripts/build-series.sh" "$arch" || true
done
wait

# The 7.3.4 control runs when asked for by name, or, in make check, when the series'
# HugeTLB run failed (it then tells a failure 7.3.4 shares from one the series brings).
if wanted hugetlb-control && { [ "$all_steps" = 0 ] || grep -q '^result FAIL' "$logs/hugetlb.log" 2>/dev/null; }; then
	step hugetlb-control "$TOP/scripts/hugetlb.sh" base || true
fi
if [ "$all_steps" = 1 ]; then
	log "get_maintainer.pl for the series (informational):"
	mapfile -t series < <(series_patches)
	(cd "$CHECK_TREE" && ./scripts/get_maintainer.pl --no-rolestats "${series[@]}") >&2 || true
fi
