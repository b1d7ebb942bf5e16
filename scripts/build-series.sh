#!/usr/bin/env bash
# Build every patch of the series in turn for one architecture (bisectability):
# build-series.sh ARCH. Each patch compiles, with W=1, every object the series touches
# up to it, and fails on a warning the base tree does not already give.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=$1
out=$BUILD/w1-$arch
# riscv64 (Svnapot HugeTLB, PMD/PUD vmap hooks) and powerpc 8xx (the PTE-level vmap
# hooks) implement what the series changes, so they build it too; powerpc64 (Book3S-64,
# whose PMD_SHIFT and PTRS_PER_PTE are variables) builds its generic code and tests.
defconfig=defconfig
case $arch in
powerpc-8xx) set_make_args powerpc; defconfig=mpc885_ads_defconfig ;;
powerpc64) set_make_args powerpc; defconfig=ppc64_defconfig ;;
*) set_make_args "$arch" ;;
esac
# The arch/ folder this build compiles; other architectures' files are theirs.
case $arch in
x86_64) srcarch=x86 ;;
riscv64) srcarch=riscv ;;
powerpc*) srcarch=powerpc ;;
*) srcarch=$arch ;;
esac
kmake() { make -s -C "$BUILD_TREE" O="$out" -j"$JOBS" "${make_args[@]}" "$@"; }

base=$(base_rev)
tip=$(git -C "$CHECK_TREE" rev-parse HEAD)
mkdir -p "$out"

# The arch's defconfig plus what the series' tests need; refreshed at each patch that
# changes a Kconfig file, since it may add the options. x86_64, which has no PTE-level
# blocks, builds without HugeTLB, so that every patch also builds the walk without the
# HugeTLB helpers of those blocks; the others build with it.
hugetlb=-e
[ "$arch" != x86_64 ] || hugetlb=-d
configure() {
	[ -f "$out/.config" ] || kmake "$defconfig" >/dev/null
	"$BUILD_TREE/scripts/config" --file "$out/.config" -e KUNIT -e VMALLOC_KUNIT_TEST \
		-m TEST_VMALLOC "$hugetlb" HUGETLBFS
	kmake olddefconfig >/dev/null
}

# Does the configuration build the C file $1? A Makefile above it that adds its object
# alone on a line, as obj-$(CONFIG_X), builds it when X is set (x86_64 has its own
# ioremap(), not mm/ioremap.c); any other object is taken as built.
configured() {
	local dir=${1%/*} rel=${1##*/} sym
	rel=${rel%.c}.o
	while :; do
		sym=$(grep -hoE '^obj-\$\(CONFIG_[A-Z0-9_]+\)[[:space:]]*[+:]?=[[:space:]]*'"${rel//./\\.}"'[[:space:]]*$' \
			"$BUILD_TREE/$dir/Makefile" 2>/dev/null | grep -oE 'CONFIG_[A-Z0-9_]+' | head -n 1) || true
		[ -z "$sym" ] || { grep -qE "^$sym=[ym]" "$out/.config"; return; }
		[ "$dir" != "${dir%/*}" ] || return 0
		rel=${dir##*/}/$rel
		dir=${dir%/*}
	done
}

# The objects of the C files the series touches up to HEAD that the configuration
# builds, plus mm/vmalloc.o (the main user of every header the series changes).
objects() {
	{
		echo mm/vmalloc.c
		git -C "$BUILD_TREE" diff --name-only "$base" HEAD -- '*.c' ':!tools' ':!Documentation'
	} | sort -u | while read -r c; do
		case $c in arch/"$srcarch"/*) ;; arch/*) continue ;; esac
		[ -f "$BUILD_TREE/$c" ] && configured "$c" && echo "${c%.c}.o"
	done
}

# Build the objects with W=1; print their warnings with line numbers dropped,
# so a warning that only moved is not new.
warnings() {
	local objs
	mapfile -t objs < <(objects)
	kmake W=1 "${objs[@]}" 2>&1 | tee "$out/build.log" | grep -E 'warning:|error:' |
		sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u
	return "${PIPESTATUS[0]}"
}

# The files of patch C that this architecture compiles: not another arch's folder, not
# tools/ or Documentation/ (a rename counts at both its ends).
compiled_changes() {
	git -C "$BUILD_TREE" diff --no-renames --name-only "$1~1" "$1" |
		grep -vE "^(arch/[^/]+/|tools/|Documentation/|MAINTAINERS)" || true
	git -C "$BUILD_TREE" diff --no-renames --name-only "$1~1" "$1" -- "arch/$srcarch/"
}

build_tree_at "$base"
configure
warnings >"$out/base-warnings" || die "$arch: the base tree does not build (see $out/build.log)"

rc=0 last=PASS
for c in $(git -C "$CHECK_TREE" rev-list --reverse "$base..$tip"); do
	build_tree_at "$c"
	name="build/$arch/$(git -C "$BUILD_TREE" log -1 --format=%s)"
	changes=$(compiled_changes "$c")
	# A patch that changes nothing this architecture compiles builds as the one before.
	if [ -z "$changes" ]; then
		echo "result $last $name (no $arch file changed: as the patch before)"
		continue
	fi
	last=FAIL
	! grep -q Kconfig <<<"$changes" || configure
	if ! warnings >"$out/warnings"; then
		grep -E 'error' "$out/build.log" | head -20
		echo "result FAIL $name (build error)"
		rc=1
	elif new=$(grep -vxFf "$out/base-warnings" "$out/warnings"); then
		printf '%s\n' "$new"
		echo "result FAIL $name (new W=1 warnings)"
		rc=1
	else
		echo "result PASS $name"
		last=PASS
	fi
done
exit $rc
