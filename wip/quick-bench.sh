#!/usr/bin/env bash
# Quick single-boot icount measurement of the hacking tree (not part of make bench):
# wip/quick-bench.sh MASK [name]. Builds .cache/linux's working tree with
# scripts/bench.config into .cache/build/bench-wip and prints the Timing lines.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
out=$BUILD/bench-${2:-wip}
mkdir -p "$out"
cp "$TOP/scripts/bench.config" "$out/.config"
make -s -C "$KTREE" O="$out" -j"$JOBS" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	"CC=ccache aarch64-linux-gnu-gcc" olddefconfig Image
timeout 600 qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -smp 1 -m 2048 -nographic -no-reboot \
	-icount shift=0,sleep=off -kernel "$out/arch/arm64/boot/Image" \
	-append "console=ttyAMA0 panic=-1 test_vmalloc.sequential_test_order=1 test_vmalloc.run_test_mask=$1 test_vmalloc.map_loop_count=32" \
	</dev/null 2>&1 | grep -E 'Timing:|Shape:' | sed 's/^\[[^]]*\] *//'
