#!/usr/bin/env bash
# The debug kernel run: hugetlb.sh KERNEL... where KERNEL is series or base (7.3.4 with
# the series' test-only patches, so that both run the same test_vmalloc cases).
# Each is an arm64 4K kernel with page_table_check enforcing, DEBUG_VM, DEBUG_VIRTUAL and
# KFENCE (scripts/hugetlb/kernel.config);
# the HugeTLB selftests of tools/testing/selftests/mm, a small init, vmstress and
# uring-rings (io_uring rings in huge pages, mapped with vmap()) are built once,
# statically, into one initramfs, to which each kernel adds its test_vmalloc.ko.
# Each kernel boots once per default huge page size in HUGETLB_SIZES (make check: 64K and
# 2M; make check-full adds 32M) on two CPUs. The first
# boot also runs the selftests that try every size (tests-once), the KUnit suites built in
# (the series' suite on this configuration) and
# the stress step (scripts/hugetlb/stress: the series' test_vmalloc cases in two threads
# while ptdump reads the page tables, then again with allocation failures injected); the
# series' kernel boots once more with nohugevmap, for KUnit alone. HUGETLB_STRESS=full
# (make stress) adds lockdep,
# KASAN with KASAN_VMALLOC, kmemleak and debug_pagealloc (scripts/hugetlb/debug.config)
# and boots once, with every test_vmalloc case and a kmemleak scan instead of the HugeTLB
# selftests (scripts/hugetlb/stress-full). The figures go to $CACHE/logs/ and, for the
# series, to results/ and the README.
# Any BUG, WARNING, Oops, KASAN, KFENCE, lockdep or kmemleak report fails a boot.
# Runs on the check tree that apply.sh made (make check runs it first).
# HUGETLB_STAGE=build only builds, boot only boots (so that builds overlap boots); all both.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- series base
here=$TOP/scripts/hugetlb
user=$BUILD/hugetlb-user
runs=$BUILD/hugetlb-runs
read -ra sizes <<<"${HUGETLB_SIZES:-64K 2M}"
# A boot that hangs ends after its time limit (seconds), a failure.
stress=stress kdir=hugetlb config=$here/kernel.config cmdline='' limit=1800 once=tests-once
if [ "${HUGETLB_STRESS:-}" = full ]; then
	sizes=(64K)
	stress="stress-full" kdir="stress" config=$BUILD/stress.config cmdline=debug_pagealloc=on limit=5400 once=''
	mkdir -p "$BUILD"
	cat "$here/kernel.config" "$here/debug.config" >"$config"
fi
# Enough of each size for the largest test (hugetlb-shm: 256M, hugetlb-madvise: 20 pages).
reserve="hugepagesz=64K hugepages=4200 hugepagesz=2M hugepages=140 hugepagesz=32M hugepages=24"

# The selftests and init, static, against the uapi headers of the check tree (the
# selftests are not part of the series: both kernels run the same binaries).
build_user() {
	local sel=$CHECK_TREE/tools/testing/selftests prog src f
	local cc=(aarch64-linux-gnu-gcc -static -O2 -isystem "$user/usr/include"
		-I "$sel" -I "$sel/mm" -I "$user")
	rm -rf "$user"
	mkdir -p "$user/root/bin"
	make -s -C "$CHECK_TREE" O="$user/obj" ARCH=arm64 INSTALL_HDR_PATH="$user/usr" headers_install
	: >"$user/local_config.h_gen"
	# The programs the lists run: mm selftests, or ours in scripts/hugetlb.
	mapfile -t progs < <(awk '!/^#/ { sub(".*/", "", $2); print $2 }' "$here/tests" "$here/tests-once" \
		"$here/stress")
	for prog in "${progs[@]}"; do
		src=$sel/mm/$prog.c
		[ -f "$here/$prog.c" ] && src=$here/$prog.c
		"${cc[@]}" -o "$user/root/bin/$prog" "$src" "$sel/mm/vm_util.c" \
			"$sel/mm/hugepage_settings.c" -lpthread 2>"$user/$prog.log" ||
			{ cat "$user/$prog.log" >&2; die "hugetlb: $prog does not build"; }
	done
	"${cc[@]}" -Wall -o "$user/root/init" "$here/init.c"
	gcc -O2 -o "$user/gen_init_cpio" "$CHECK_TREE/usr/gen_init_cpio.c"
	{
		printf '%s\n' "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" "dir /proc 0755 0 0" \
			"dir /sys 0755 0 0" "dir /tmp 1777 0 0" "dir /mnt 0755 0 0" "dir /bin 0755 0 0" \
			"file /init $user/root/init 0755 0 0" "file /tests $here/tests 0644 0 0" \
			"file /tests-once $here/tests-once 0644 0 0" \
			"file /stress $here/stress 0644 0 0" "file /stress-full $here/stress-full 0644 0 0"
		for f in "$user"/root/bin/*; do
			echo "file /bin/${f##*/} $f 0755 0 0"
		done
	} >"$user/cpio.list"
	"$user/gen_init_cpio" "$user/cpio.list" >"$user/initramfs.cpio"
}

# The kernel log of a boot up to its fault-injection run (vmstress --faults), whose
# test_vmalloc cases fail on purpose.
before_faults() {
	sed '/vmstress: fault injection on/q' "$1"
}

# The checkers' reports in a kernel log. warn_alloc() prints an allocation failure with
# a call trace, which injected faults and test_vmalloc's expected failure
# (align_shift_alloc_test, xfail) provoke: that trace is not a report; a warning, BUG or
# checker report still is.
reports() {
	awk '/vmalloc error: |page allocation failure: / { alloc = 1 }
		/Call trace:/ && alloc { alloc = 0; next } { print }' "$1" | grep -nE "$KERNEL_REPORTS"
}

# boot WHICH NAME ARGS...: one boot, called NAME, with ARGS on the kernel command line;
# prints its result lines, returns 1 if any failed.
boot() {
	local which=$1 name=hugetlb/$1/$2 run=$runs/$kdir-$1.$2.log kunit=arm64-debug cases
	shift 2
	log "hugetlb $which: booting with $* (log: $run)"
	timeout "$limit" qemu-system-aarch64 -machine virt -cpu max -smp 2 -m 3072 -nographic \
		-no-reboot -kernel "$BUILD/$kdir-$which/arch/arm64/boot/Image" \
		-initrd "$BUILD/$kdir-$which/initramfs.cpio" \
		-append "console=ttyAMA0 panic=-1 $cmdline $reserve $*" \
		</dev/null >"$run" 2>&1 || true
	{
		sed -nE "s|.*hugetlb-test: (PASS\|FAIL\|SKIP) ([^ \r]+)([^\r]*).*|result \1 $name/\2\3|p" "$run"
		[[ " $* " != *" $stress "* ]] || vmalloc_results "$name" <(before_faults "$run")
		# The KUnit suite (on 7.3.4: the one of the series' test-only patches), unless
		# this boot disabled KUnit.
		if [[ " $* " != *" kunit.enable=0 "* ]]; then
			[ "$which" = series ] || kunit=arm64-debug-base
			[[ " $* " != *" nohugevmap "* ]] || kunit=arm64-debug-nohugevmap
			"$CHECK_TREE/tools/testing/kunit/kunit.py" parse --json="$run.json" "$run" >/dev/null || true
			cases=$("$TOP/scripts/kunit-count.py" "$kunit" "$run.json" 0) || true
			printf '%s\n' "$cases"
			# With nohugevmap the policy case passes and logs that vmap() used
			# PTEs only, or the boot did not see the parameter.
			if [ "$kunit" = arm64-debug-nohugevmap ] &&
				! { grep -q '^result PASS .*vmap_follows_policy$' <<<"$cases" &&
					grep -q '# vmap_follows_policy: policy: PTEs only' "$run"; }; then
				echo "result FAIL $name/no pass of the policy case with PTEs only"
			fi
		fi
		if reports "$run" >&2; then
			echo "result FAIL $name/kernel-log (see $run)"
		elif ! grep -q 'hugetlb-test: DONE' "$run"; then
			tail -n 20 "$run" >&2
			echo "result FAIL $name/kernel-log (the run did not finish; see $run)"
		else
			echo "result PASS $name/kernel-log"
		fi
	} | tee "$run.results"
	! grep -q '^result FAIL' "$run.results"
}

# vmstress_value NAME: the value of vmstress's first "vmstress: NAME VALUE" line on
# standard input, without the console's carriage return.
vmstress_value() {
	sed -n "s/.*vmstress: $1 \([^\r]*\).*/\1/p" | head -n 1
}

# figures WHICH: what the boots of a kernel did, as a Markdown table.
figures() {
	local logs=("$runs/$kdir-$1".*.log) first=$runs/$kdir-$1.${sizes[0]}.log f
	local nohuge=$runs/$kdir-$1.nohugevmap.log.results
	echo "| $1 kernel, $stress, ${#logs[@]} boots | |"
	echo "| --- | ---: |"
	echo "| KUnit cases passed (debug configuration) | $(grep -c '^result PASS kunit/' "$first.results" || true) |"
	[ ! -f "$nohuge" ] ||
		echo "| KUnit cases passed, booted with nohugevmap | $(grep -c '^result PASS kunit/' "$nohuge" || true) |"
	echo "| test_vmalloc cases passed, 2 threads on 2 CPUs | $(grep -c '^result PASS .*/test_vmalloc/' "$first.results" || true) |"
	echo "| test_vmalloc case runs (case x thread) | $(before_faults "$first" | grep -c 'Summary: ' || true) |"
	echo "| test_vmalloc module loads (each runs the cases in both threads) | $(vmstress_value module_loads <"$first") |"
	echo "| ptdump reads of the kernel page tables meanwhile | $(vmstress_value ptdump_reads_during_loads <"$first") |"
	echo "| kmemleak reports after the stress step | $(vmstress_value kmemleak_reports <"$first") |"
	if grep -q 'vmstress: fault injection on' "$first"; then
		echo "| with faults injected: test_vmalloc case runs, of them failed (expected) | $(sed -n \
			'/vmstress: fault injection on/,$s/.*Summary: .*passed: \([0-9]*\) failed: \([0-9]*\).*/\1 \2/p' "$first" |
			awk '{ runs += $1 + $2; bad += $2 } END { print runs + 0 ", " bad + 0 }') |"
		echo "| allocation failures injected into the test threads (page, slab) | $(vmstress_value \
			page_faults_injected <"$first"), $(vmstress_value slab_faults_injected <"$first") |"
		echo "| areas of test_vmalloc left mapped after the failures | $(vmstress_value areas_left_mapped <"$first") |"
	fi
	echo "| io_uring NOPs through rings in huge pages | $(cat "${logs[@]}" |
		sed -n 's/.*uring-rings: round [0-9]*: \([0-9]*\) NOPs.*/\1/p' | awk '{ n += $1 } END { print n + 0 }') |"
	echo "| io_uring ring areas, of them with large entries (vmallocinfo \"huge\") | $(cat "${logs[@]}" |
		grep -c 'uring-rings: area' || true), $(cat "${logs[@]}" | grep -c 'uring-rings: area.* huge' || true) |"
	echo "| HugeTLB selftests and uring-rings passed (${sizes[*]} huge pages) | $(cat "${logs[@]/%/.results}" |
		grep '^result PASS hugetlb/' | grep -cv '/kernel-log$\|/test_vmalloc/\|/vmstress$\|/vmfaults$' || true) |"
	echo "| BUG, WARNING, Oops, KASAN, KFENCE, lockdep or kmemleak reports | $(for f in "${logs[@]}"; do
		reports "$f" || true; done | wc -l) |"
}

stage=${HUGETLB_STAGE:-all}
if [ "$stage" != boot ]; then
	# The same binaries for every kernel and every run until they or the base change.
	stamp="$(cat "$here"/* | cksum) $(base_rev)"
	[ "$(cat "$user/stamp" 2>/dev/null)" = "$stamp" ] || { build_user && echo "$stamp" >"$user/stamp"; }
	for which in "$@"; do
		case $which in
		series) commit=$(git -C "$CHECK_TREE" rev-parse HEAD) ;;
		base) commit=$(tests_only_rev) ;;
		*) die "hugetlb.sh: series or base, not $which" ;;
		esac
		build_image "$kdir-$which" "$commit" "$config" arm64 modules
		# Every option asked for, or the boots would not test what they say.
		if missing=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$config" | grep -vxFf "$BUILD/$kdir-$which/.config"); then
			die "hugetlb: $kdir-$which lacks $(paste -sd' ' <<<"$missing")"
		fi
		# The shared initramfs plus this kernel's test_vmalloc.ko (archives concatenate).
		out=$BUILD/$kdir-$which
		echo "file /test_vmalloc.ko $out/lib/test_vmalloc.ko 0644 0 0" >"$out/module.list"
		{ cat "$user/initramfs.cpio"; "$user/gen_init_cpio" "$out/module.list"; } >"$out/initramfs.cpio"
	done
fi
[ "$stage" = build ] && exit 0
mkdir -p "$runs"
failed=0
for which in "$@"; do
	# The figures count this run's boots only.
	rm -f "$runs/$kdir-$which".*
	# KUnit, the stress step and the selftests that try every size at the first boot;
	# the other HugeTLB selftests at every boot.
	boot "$which" "${sizes[0]}" "default_hugepagesz=${sizes[0]}" "$stress" ${once:+"$once"} || failed=1
	for size in "${sizes[@]:1}"; do
		boot "$which" "$size" "default_hugepagesz=$size" kunit.enable=0 || failed=1
	done
	# make check: the series' KUnit suite once more, with vmap() limited to PTEs.
	if [ "$which" = series ] && [ "$stress" = stress ]; then
		boot series nohugevmap nohugevmap notests || failed=1
	fi
	figures "$which" >"$CACHE/logs/$stress-$which.md"
	cat "$CACHE/logs/$stress-$which.md" >&2
done
# The series' figures are the README's.
if [[ " $* " == *" series "* ]]; then
	cp "$CACHE/logs/$stress-series.md" "$TOP/results/$stress.md"
	readme_section "$stress" "$TOP/results/$stress.md"
fi
exit "$failed"
