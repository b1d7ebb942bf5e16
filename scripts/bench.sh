#!/usr/bin/env bash
# make bench: build 7.3.4 + the series' measuring patches and 7.3.4 + the whole series
# with one small config per architecture (arm64: CONT_PTE and PMD; x86_64: PMD only), boot
# each under QEMU with the instruction-counting clock and the wall clock, run the
# test_vmalloc mapping cases built in, and write one table and plot (results/).
# CASES="..." runs only those cases; REPEAT=n boots each kernel n times per clock;
# EXISTING="..." names test_vmalloc's own cases that map order-0 pages, booted once more
# per kernel under -icount and tabulated from their Summary lines (EXISTING= for none);
# ARCHS="arm64 x86_64" the architectures. QUICK=1: only the working copy of the kernel
# tree (uncommitted changes included), one -icount boot per architecture, the Timing and
# Shape lines printed and nothing written: the loop for trying a change. QUICK=1
# PROFILE=1: three rounds a case, traced by QEMU, and each case's median round shown per
# function of vmalloc, ioremap and the architecture's page-table code (scripts/profile.py).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

REPEAT=${REPEAT:-5}
ARCHS=${ARCHS:-arm64 x86_64}
CASES=${CASES:-vmap_shapes_test vmalloc_sizes_test ioremap_sizes_test}
EXISTING=${EXISTING-fix_size_alloc_test random_size_alloc_test long_busy_list_alloc_test vm_map_ram_test}
RESULTS=${RESULTS:-$TOP/results}
runs=$BUILD/bench-runs

[ "${QUICK:-0}" = 1 ] || "$TOP/scripts/deps.sh" python3-matplotlib
"$TOP/scripts/apply.sh" >/dev/null
base=$(base_rev)
tip=$(git -C "$CHECK_TREE" rev-parse HEAD)

# "7.3.4" is the base plus the series' leading test-only patches, so both kernels
# measure alike.
measured=$(tests_only_rev)

# case_mask NAMES: their run_test_mask bits, from the order of test_vmalloc's case table.
case_mask() {
	awk -v cases="$1" '
	BEGIN { n = split(cases, want, /[ \n]+/); for (i = 1; i <= n; i++) if (want[i] != "") w[want[i]] = 1 }
	/^static struct test_case_desc test_case_array/ { t = 1; next }
	t && /^};/ { exit }
	t && match($0, /\{ "[a-z0-9_]+"/) { name = substr($0, RSTART + 3, RLENGTH - 4); if (name in w) { m += 2 ^ idx; delete w[name] } idx++ }
	END { for (k in w) { print "unknown case " k > "/dev/stderr"; exit 1 } printf "%d\n", m }
	' "$CHECK_TREE/lib/test_vmalloc.c"
}
mask=$(case_mask "$CASES")
existing_mask=$(case_mask "$EXISTING")

# boot ARCH KERNEL CLOCK N: one boot, its console log kept for the table; CLOCK icount,
# wall, or existing (EXISTING's cases under -icount). arm64: QEMU's
# default pointer authentication (QARMA) costs hundreds of wall-clock ns per signed call
# under TCG and would dominate the wall numbers; pauth-impdef keeps PAC, cheaply.
# ioremap_phys: a physical range the QEMU machine leaves without RAM or devices.
boot() {
	local arch=$1 kernel=$2 clock=$3 log=$runs/$1.$2.$3.$4.log qemu icount=() trace=()
	local build=$BUILD/bench-$1-$2 cases="test_vmalloc.run_test_mask=$mask test_vmalloc.map_loop_count=32"
	[ "$clock" = existing ] && cases="test_vmalloc.run_test_mask=$existing_mask test_vmalloc.test_loop_count=20000"
	# Three rounds keep the trace within a few gigabytes; nokaslr, because the trace
	# filter takes its addresses from System.map.
	if [ "${PROFILE:-0}" = 1 ]; then
		cases="test_vmalloc.run_test_mask=$mask test_vmalloc.map_loop_count=3 nokaslr"
		trace=(-d "in_asm,exec,nochain" -D "$log.trace"
			-dfilter "$(profile_ranges "$arch" "$build")")
	fi
	local params="panic=-1 test_vmalloc.sequential_test_order=1 $cases"
	[ "$clock" = wall ] || icount=(-icount "shift=0,sleep=off")
	case $arch in
	arm64) qemu=(qemu-system-aarch64 -machine virt -cpu "max,pauth-impdef=on"
		-kernel "$build/arch/arm64/boot/Image" -append "console=ttyAMA0 $params test_vmalloc.ioremap_phys=0x10000000") ;;
	x86_64) qemu=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max
		-kernel "$build/arch/x86/boot/bzImage" -append "console=ttyS0 $params test_vmalloc.ioremap_phys=0xd0000000") ;;
	esac
	log "bench: booting $arch $kernel, $clock clock, run $4"
	timeout 1200 "${qemu[@]}" -smp 1 -m 2048 -nographic -no-reboot "${icount[@]}" \
		"${trace[@]}" </dev/null >"$log" 2>&1 || true
	grep -q 'Summary: ' "$log" || die "bench: no test_vmalloc summary in $log"
	grep -E '(Timing|Shape|Summary): |skipped|not mapped|does not' "$log" |
		sed 's/^\[[^]]*\] //; s/^/    /' >&2
	if [ ${#trace[@]} -gt 0 ]; then
		/usr/bin/python3 "$TOP/scripts/profile.py" report "$build" "$log.trace" "$log"
		rm -f "$log.trace"
	fi
}

# profile_ranges ARCH BUILD: the text of the objects whose functions a profile shows, as
# QEMU -dfilter ranges.
profile_ranges() {
	local nm=nm objs=(mm/vmalloc.o mm/ioremap.o lib/test_vmalloc.o)
	case $1 in
	arm64) nm=aarch64-linux-gnu-nm objs+=(arch/arm64/mm/mmu.o arch/arm64/mm/ioremap.o) ;;
	x86_64) objs+=(arch/x86/mm/pgtable.o arch/x86/mm/ioremap.o arch/x86/mm/pat/memtype.o) ;;
	esac
	/usr/bin/python3 "$TOP/scripts/profile.py" ranges "$nm" "$2" "${objs[@]}"
}

[ "${PROFILE:-0}" != 1 ] || [ "${QUICK:-0}" = 1 ] || die "bench: PROFILE=1 needs QUICK=1"
rm -rf "$runs"
mkdir -p "$runs"
if [ "${QUICK:-0}" = 1 ]; then
	REPEAT=1
	for arch in $ARCHS; do
		build_image "bench-$arch-quick" worktree "$TOP/scripts/bench-$arch.config" "$arch"
		boot "$arch" quick icount 1
	done
	exit 0
fi

for arch in $ARCHS; do
	build_image "bench-$arch-base" "$measured" "$TOP/scripts/bench-$arch.config" "$arch"
	build_image "bench-$arch-ours" "$tip" "$TOP/scripts/bench-$arch.config" "$arch"
done
mkdir -p "$RESULTS"
for n in $(seq "$REPEAT"); do
	for arch in $ARCHS; do
		for clock in icount wall; do
			boot "$arch" base "$clock" "$n"
			boot "$arch" ours "$clock" "$n"
		done
	done
done

# One -icount boot each: their counts move by about 2% with the loop count (where the lazy
# purges fall), more than between boots.
if [ "$existing_mask" != 0 ]; then
	for arch in $ARCHS; do
		boot "$arch" base existing 1
		boot "$arch" ours existing 1
	done
fi

/usr/bin/python3 "$TOP/scripts/bench-table.py" "$runs" "$RESULTS" \
	"$(git -C "$CHECK_TREE" log -1 --format=%s "$measured")" "$REPEAT"
readme_section bench "$RESULTS/bench.md"
