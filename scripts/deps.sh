#!/usr/bin/env bash
# Install the Debian packages the harness needs (cross compilers, QEMU, kernel build deps),
# plus any named as arguments. Idempotent: does nothing when all are installed.
set -euo pipefail

pkgs=(
	build-essential bc bison flex cpio kmod rsync ccache python3
	libssl-dev libelf-dev dwarves
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu gcc-powerpc-linux-gnu
	qemu-system-arm qemu-system-x86 qemu-system-misc ipxe-qemu qemu-efi-aarch64
	xz-utils git perl shellcheck python3-ply python3-git
	"$@"
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
