#!/usr/bin/env bash
# HugeTLB regression run: hugetlb.sh [series|base]. Builds an arm64 4K kernel with
# page_table_check enforcing (scripts/hugetlb/kernel.config) from the series or from
# 7.3.4, the HugeTLB selftests of tools/testing/selftests/mm statically, and an
# initramfs with them and a small init; boots it once per default huge page size (64K,
# 2M, 32M, every size reserved on the command line) and reports each test. Any BUG,
# WARNING or Oops in a console log fails that boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

which=${1:-series}
here=$TOP/scripts/hugetlb
user=$BUILD/hugetlb-user
runs=$BUILD/hugetlb-runs
sizes=(64K 2M 32M)
# Enough of each size for the largest test (hugetlb-shm: 256M, hugetlb-madvise: 20 pages).
reserve="hugepagesz=64K hugepages=4200 hugepagesz=2M hugepages=140 hugepagesz=32M hugepages=24"

"$TOP/scripts/apply.sh" >/dev/null
case $which in
series) commit=$(git -C "$CHECK_TREE" rev-parse HEAD) ;;
base) commit=$(base_rev) ;;
*) die "hugetlb.sh: series or base, not $which" ;;
esac
build_image "hugetlb-$which" "$commit" "$here/kernel.config"

# The selftests and init, static, against the uapi headers of the tree.
sel=$CHECK_TREE/tools/testing/selftests
cc=(aarch64-linux-gnu-gcc -static -O2 -isystem "$user/usr/include"
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

mkdir -p "$runs"
failed=0
for size in "${sizes[@]}"; do
	run=$runs/$which.$size.log
	log "hugetlb $which: booting, default huge page size $size (log: $run)"
	timeout 3000 qemu-system-aarch64 -machine virt -cpu max -smp 2 -m 3072 -nographic \
		-no-reboot -kernel "$BUILD/hugetlb-$which/arch/arm64/boot/Image" \
		-initrd "$user/initramfs.cpio" \
		-append "console=ttyAMA0 panic=-1 default_hugepagesz=$size $reserve" \
		</dev/null >"$run" 2>&1 || true
	sed -nE "s|.*hugetlb-test: (PASS\|FAIL\|SKIP) ([^ ]+)(.*)|result \1 hugetlb/$which/$size/\2\3|p" \
		"$run" | tee "$run.results"
	name=hugetlb/$which/$size/kernel-log
	if grep -nE 'kernel BUG|BUG:|WARNING:|Oops|Unable to handle|Kernel panic|Call trace:' "$run" >&2; then
		echo "result FAIL $name (see $run)" | tee -a "$run.results"
	elif ! grep -q 'hugetlb-test: DONE' "$run"; then
		tail -n 20 "$run" >&2
		echo "result FAIL $name (the run did not finish; see $run)" | tee -a "$run.results"
	else
		echo "result PASS $name"
	fi
	grep -q '^result FAIL' "$run.results" && failed=1
done
exit "$failed"
