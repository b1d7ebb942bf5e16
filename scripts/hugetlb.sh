#!/usr/bin/env bash
# HugeTLB regression run: hugetlb.sh KERNEL... where KERNEL is series or base (7.3.4).
# Each is an arm64 4K kernel with page_table_check enforcing and DEBUG_VM
# (scripts/hugetlb/kernel.config); the HugeTLB selftests of tools/testing/selftests/mm and
# a small init are built once, statically, into one initramfs. Each kernel boots once per
# default huge page size (64K, 2M, 32M); the first boot also runs the KUnit suites built in
# (the series' suite on this debug configuration). Any BUG, WARNING or Oops fails a boot.
# Runs on the check tree that apply.sh made (make check runs it first).
# HUGETLB_STAGE=build only builds, boot only boots (so that builds overlap boots); all both.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- series base
here=$TOP/scripts/hugetlb
user=$BUILD/hugetlb-user
runs=$BUILD/hugetlb-runs
sizes=(64K 2M 32M)
# Enough of each size for the largest test (hugetlb-shm: 256M, hugetlb-madvise: 20 pages).
reserve="hugepagesz=64K hugepages=4200 hugepagesz=2M hugepages=140 hugepagesz=32M hugepages=24"

# The selftests and init, static, against the uapi headers of the check tree (the
# selftests are not part of the series: both kernels run the same binaries).
build_user() {
	local sel=$CHECK_TREE/tools/testing/selftests prog f
	local cc=(aarch64-linux-gnu-gcc -static -O2 -isystem "$user/usr/include"
		-I "$sel" -I "$sel/mm" -I "$user")
	rm -rf "$user"
	mkdir -p "$user/root/bin"
	make -s -C "$CHECK_TREE" O="$user/obj" ARCH=arm64 INSTALL_HDR_PATH="$user/usr" headers_install
	: >"$user/local_config.h_gen"
	mapfile -t progs < <(awk '!/^#/ { sub(".*/", "", $2); print $2 }' "$here/tests")
	for prog in "${progs[@]}"; do
		"${cc[@]}" -o "$user/root/bin/$prog" "$sel/mm/$prog.c" "$sel/mm/vm_util.c" \
			"$sel/mm/hugepage_settings.c" -lpthread 2>"$user/$prog.log" ||
			{ cat "$user/$prog.log" >&2; die "hugetlb: $prog does not build"; }
	done
	"${cc[@]}" -Wall -o "$user/root/init" "$here/init.c"
	gcc -O2 -o "$user/gen_init_cpio" "$CHECK_TREE/usr/gen_init_cpio.c"
	{
		printf '%s\n' "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" "dir /proc 0755 0 0" \
			"dir /sys 0755 0 0" "dir /tmp 1777 0 0" "dir /mnt 0755 0 0" "dir /bin 0755 0 0" \
			"file /init $user/root/init 0755 0 0" "file /tests $here/tests 0644 0 0"
		for f in "$user"/root/bin/*; do
			echo "file /bin/${f##*/} $f 0755 0 0"
		done
	} >"$user/cpio.list"
	"$user/gen_init_cpio" "$user/cpio.list" >"$user/initramfs.cpio"
}

# boot WHICH SIZE: one boot; prints its result lines, returns 1 if any failed.
boot() {
	local which=$1 size=$2 run=$runs/$1.$2.log kunit=kunit.enable=0 name
	[ "$size" = "${sizes[0]}" ] && kunit=
	log "hugetlb $which: booting, default huge page size $size (log: $run)"
	timeout 3000 qemu-system-aarch64 -machine virt -cpu max -smp 2 -m 3072 -nographic \
		-no-reboot -kernel "$BUILD/hugetlb-$which/arch/arm64/boot/Image" \
		-initrd "$user/initramfs.cpio" \
		-append "console=ttyAMA0 panic=-1 default_hugepagesz=$size $reserve $kunit" \
		</dev/null >"$run" 2>&1 || true
	{
		sed -nE "s|.*hugetlb-test: (PASS\|FAIL\|SKIP) ([^ ]+)(.*)|result \1 hugetlb/$which/$size/\2\3|p" "$run"
		# The series' KUnit suite (7.3.4 has none).
		if [ -z "$kunit" ] && [ "$which" = series ]; then
			"$CHECK_TREE/tools/testing/kunit/kunit.py" parse --json="$run.json" "$run" >/dev/null || true
			"$TOP/scripts/kunit-count.py" "arm64-debug" "$run.json" 0 || true
		fi
		name=hugetlb/$which/$size/kernel-log
		if grep -nE 'kernel BUG|BUG:|WARNING:|Oops|Unable to handle|Kernel panic|Call trace:' "$run" >&2; then
			echo "result FAIL $name (see $run)"
		elif ! grep -q 'hugetlb-test: DONE' "$run"; then
			tail -n 20 "$run" >&2
			echo "result FAIL $name (the run did not finish; see $run)"
		else
			echo "result PASS $name"
		fi
	} | tee "$run.results"
	! grep -q '^result FAIL' "$run.results"
}

stage=${HUGETLB_STAGE:-all}
if [ "$stage" != boot ]; then
	# The same binaries for every kernel and every run until init, tests or base change.
	stamp="$(cat "$here/init.c" "$here/tests" | cksum) $(base_rev)"
	[ "$(cat "$user/stamp" 2>/dev/null)" = "$stamp" ] || { build_user && echo "$stamp" >"$user/stamp"; }
	for which in "$@"; do
		case $which in
		series) commit=$(git -C "$CHECK_TREE" rev-parse HEAD) ;;
		base) commit=$(base_rev) ;;
		*) die "hugetlb.sh: series or base, not $which" ;;
		esac
		build_image "hugetlb-$which" "$commit" "$here/kernel.config"
	done
fi
[ "$stage" = build ] && exit 0
mkdir -p "$runs"
failed=0
for which in "$@"; do
	for size in "${sizes[@]}"; do
		boot "$which" "$size" || failed=1
	done
done
exit "$failed"
