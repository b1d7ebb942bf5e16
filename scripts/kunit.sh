#!/usr/bin/env bash
# The series' KUnit suites under QEMU for one architecture: kunit.sh ARCH [kunit.py args].
# KUNIT_STAGE=build only configures and builds the kernel, exec only boots it (so that a
# build can overlap another kernel's boot); all (the default) does both. exec prints
# "kunit NAME: P passed, F failed, S skipped" last and exits non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=$1
shift
tree=${TREE:-$CHECK_TREE}
name=${KUNIT_NAME:-$arch}
stage=${KUNIT_STAGE:-all}
out=$BUILD/kunit-$name
build_dir=${KUNIT_BUILD_DIR:-$out}
mkdir -p "$out"

# KUNIT_KERNEL_ARGS: kernel parameters for the boot only (kunit.py exec --kernel_args).
boot_args=()
for arg in ${KUNIT_KERNEL_ARGS:-}; do
	boot_args+=(--kernel_args "$arg")
done

# kunit.py's name of the architecture, its cross-compiler option, the compiler ccache runs.
case $arch in
arm64) kunit_arch=arm64 cross=(--cross_compile=aarch64-linux-gnu-) cc=aarch64-linux-gnu-gcc ;;
riscv64) kunit_arch=riscv cross=(--cross_compile=riscv64-linux-gnu-) cc=riscv64-linux-gnu-gcc ;;
x86_64 | um) kunit_arch=$arch cross=() cc=gcc ;;
*) die "kunit.sh: unsupported arch $arch" ;;
esac
kunit() {
	local cmd=$1
	shift
	"$tree/tools/testing/kunit/kunit.py" "$cmd" --arch="$kunit_arch" "${cross[@]}" \
		--kunitconfig="$tree/mm/tests" --build_dir="$build_dir" "$@"
}

if [ "$stage" != exec ]; then
	log "kunit $name: build (log: $out.build.log)"
	if ! { kunit config "$@" && kunit build --make_options="CC=ccache $cc" --jobs="$JOBS" "$@"; } \
		>"$out.build.log" 2>&1; then
		grep -E 'error:|ERROR|Not all Kconfig' "$out.build.log" | head -n 20 >&2 || true
		echo "result FAIL kunit/$name (the kernel does not build; see $out.build.log)"
		exit 1
	fi
	# KUNIT_EXPECT_CONFIG: options the configuration must have ended up with.
	for opt in ${KUNIT_EXPECT_CONFIG:-}; do
		if grep -qxF "$opt" "$build_dir/.config"; then
			echo "result PASS kunit/$name/config: $opt"
		else
			echo "result FAIL kunit/$name/config: $opt missing"
		fi
	done
fi
[ "$stage" = build ] && exit 0

log "kunit $name: boot (log: $out.log)"
# kunit.py offers QEMU "-accel kvm" first; scripts/qemu drops it where KVM is unusable.
qemu_path=$PATH
kvm_usable || qemu_path=$TOP/scripts/qemu:$PATH
# kunit.py rewrites its raw console log (test.log) at each boot; none is read from before.
raw=$build_dir/test.log
rm -f "$out.json" "$raw"
rc=0
PATH=$qemu_path kunit exec --json="$out.json" --timeout=900 "${boot_args[@]}" "$@" >"$out.log" 2>&1 || rc=$?
# The page size and physical-address layout of the kernel, for the record.
grep -ohE '^CONFIG_(ARM64_[0-9]+K_PAGES|ARM64_PA_BITS_52|ARM64_LPA2|X86_64|RISCV_ISA_SVNAPOT|UML)=y' "$build_dir/.config" |
	paste -sd' ' | sed "s/^/kunit $name: /" >&2 || true
# Failed cases and what kunit.py said about a kernel that did not boot.
grep -E 'FAILED|CRASHED|error:|ERROR|Expected|Unknown|not ok' "$out.log" | head -n 40 >&2 || true
# A report of the kernel's checkers fails the run.
clean=0
if grep -nE "$KERNEL_REPORTS" "$out.log" >&2; then
	echo "result FAIL kunit/$name/kernel-log (see $out.log)"
	clean=1
fi
# test_vmalloc built in (x86_64) runs its cases at boot, outside KUnit: kunit.py's raw
# console log has their Summary lines and any report they caused.
if grep -q 'Summary: ' "$raw" 2>/dev/null; then
	vmalloc_results "kunit/$name" "$raw"
	if grep -nE "$KERNEL_REPORTS" "$raw" >&2; then
		echo "result FAIL kunit/$name/test_vmalloc/kernel-log (see $raw)"
		clean=1
	fi
fi
"$TOP/scripts/kunit-count.py" "$name" "$out.json" "$rc" && exit "$clean"
