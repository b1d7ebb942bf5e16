# shellcheck shell=bash
# Shared settings and helpers for the harness scripts; sourced, never run.
# Every path a script needs is defined here once.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-$TOP/.cache}
PATCHES=$TOP/patches
BRANCH=${BRANCH:-vmalloc-batch}

# Base: Debian's linux-source-7.3, pinned to the version the series was tested on.
BASE_PKG=linux-source-7.3
BASE_VERSION=${BASE_VERSION:-7.3.4-1~bpo13+1}
BASE_SUITE=trixie-backports

# The tree every target works on: the user's own, or the cached Debian one.
if [ -n "${KERNEL_SRC:-}" ]; then
	KTREE=$(cd "$KERNEL_SRC" && pwd)
else
	KTREE=$CACHE/linux
fi
# `make check` applies patches/ in a worktree of its own, never on the hacking branch;
# one per kernel tree, so a user's tree and the cached one do not share it.
CHECK_TREE=${CHECK_TREE:-$CACHE/check-tree-$(printf '%s' "$KTREE" | cksum | cut -d' ' -f1)}
BUILD=$CACHE/build

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
# The check tree and the hacking tree share cached objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$CACHE} CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Depend mode hashes the compiler's own dependency file instead of running the
# preprocessor first: compiling kernel/{sched,time,irq}/ for arm64 took 46 s with an
# empty cache in the default mode, 37 s in depend mode, 35 s without ccache, and 28 s
# against 6 s from a full cache (this machine, 2 cores).
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=vmalloc-batch KBUILD_BUILD_HOST=harness
JOBS=${JOBS:-$(nproc)}

# KVM for x86_64 guests: QEMU_KVM=1 or 0, else used unless this machine is itself a guest
# (nested KVM hangs x86_64 guests on the machines this was written on).
kvm_usable() {
	case ${QEMU_KVM:-auto} in
	1) return 0 ;;
	0) return 1 ;;
	esac
	[ -w /dev/kvm ] && ! grep -qw hypervisor /proc/cpuinfo
}

# What in a console log is a report of the kernel's checkers: KASAN and KFENCE report as
# "BUG:", lockdep as "WARNING:", kmemleak as suspected leaks (vmstress prints its objects).
# Warnings a KUnit case provokes on purpose are suppressed, never printed.
KERNEL_REPORTS='kernel BUG|BUG:|WARNING:|Oops|Unable to handle|Kernel panic|Call trace:|suspected memory leak|unreferenced object'

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# git in DIR; commits the harness makes get an identity where git has none configured.
git_in() {
	local dir=$1
	shift
	if [ -n "$(git -C "$dir" config user.email || true)" ]; then
		git -C "$dir" "$@"
		return
	fi
	GIT_AUTHOR_NAME=harness GIT_AUTHOR_EMAIL=harness@localhost \
	GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost git -C "$dir" "$@"
}
kgit() { git_in "$KTREE" "$@"; }

# The commit the series applies to: recorded by tree.sh as $BRANCH-base,
# else the tree's HEAD (a user's tree before `make tree`).
base_rev() {
	if kgit rev-parse -q --verify "refs/heads/$BRANCH-base" >/dev/null; then
		kgit rev-parse "refs/heads/$BRANCH-base"
	else
		kgit rev-parse HEAD
	fi
}

# The last of the series' leading test-only patches (they change nothing but tests and
# measuring code) in the check tree: 7.3.4 plus them is what the series is compared with
# wherever the series' own tests run (make bench, the debug kernel's control, mutants).
tests_only_rev() {
	local base c rev
	base=$(base_rev)
	rev=$base
	for c in $(git -C "$CHECK_TREE" rev-list --reverse "$base..HEAD"); do
		git -C "$CHECK_TREE" diff --name-only "$c~1" "$c" |
			grep -qvE '^(lib/test_vmalloc\.c|tools/testing/|mm/tests/|mm/Kconfig|mm/Makefile|MAINTAINERS)' &&
			break
		rev=$c
	done
	[ "$rev" != "$base" ] || die "the series has no test-only patches first"
	echo "$rev"
}

# The numbered patches of the series, in order (the cover letter is not one).
series_patches() {
	find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort
}

# Make the base tree exist (downloads only when KERNEL_SRC is unset).
# A tree counts only with a commit: fetch-base.sh renames a committed import into place.
ensure_tree() {
	[ -e "$KTREE/.git" ] && git -C "$KTREE" rev-parse -q --verify HEAD >/dev/null 2>&1 && return 0
	[ -n "${KERNEL_SRC:-}" ] && die "KERNEL_SRC=$KERNEL_SRC is not a git tree with a commit"
	"$TOP/scripts/fetch-base.sh"
}

# The overlay: every file the series adds or modifies under these top-level folders, as
# the last patch leaves it, so a reader sees the result without applying anything. The
# two shared indexes the series only appends a line or an entry to stay out of it.
OVERLAY_ROOTS="Documentation arch include lib mm tools"
OVERLAY_EXCLUDE="Documentation/admin-guide/kernel-parameters.txt MAINTAINERS"

# overlay_files BASE REV: the overlay's files, one a line, as REV of the kernel tree has them.
overlay_files() {
	local f root
	kgit diff --name-only --diff-filter=AM "$1" "$2" | while read -r f; do
		case " $OVERLAY_EXCLUDE " in *" $f "*) continue ;; esac
		for root in $OVERLAY_ROOTS; do
			case $f in "$root"/*) echo "$f"; break ;; esac
		done
	done
}

# The cover letter's subject and text from patches/0000-cover-letter.patch, in the form
# of a branch description (subject, blank line, text): what format-patch turns back into it.
cover_text() {
	local cover=$PATCHES/0000-cover-letter.patch
	[ -f "$cover" ] || return 1
	awk '
		!body && /^Subject: / { sub(/^Subject: (\[[^]]*\] )?/, ""); subj = $0; insubj = 1; next }
		!body && insubj && /^[ \t]/ { sub(/^[ \t]+/, " "); subj = subj $0; next }
		!body && /^$/ { body = 1; print subj; print ""; next }
		!body { insubj = 0; next }
		/^[^ ].* \([0-9]+\):$/ { exit }
		{ text[++n] = $0 }
		END { while (n > 0 && text[n] == "") n--; for (i = 1; i <= n; i++) print text[i] }
	' "$cover"
}

# Builds of other commits than the check tree's (7.3.4 kernels, each patch in turn) check
# them out in a worktree of their own, so the check tree stays at the last patch for the
# steps that read it meanwhile.
BUILD_TREE=${BUILD_TREE:-$CACHE/build-tree}
build_tree_at() {
	[ -e "$BUILD_TREE/.git" ] || { kgit worktree prune; kgit worktree add -q --detach "$BUILD_TREE" "$1"; }
	git -C "$BUILD_TREE" checkout -q -f --detach "$1"
}

# set_make_args ARCH: make_args=(the make variables that build the kernel for ARCH:
# arm64, x86_64, riscv64, powerpc) and image=(the boot image it makes).
set_make_args() {
	case $1 in
	arm64) make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc")
		image=arch/arm64/boot/Image ;;
	x86_64) make_args=(ARCH=x86_64 "CC=ccache gcc") image=arch/x86/boot/bzImage ;;
	riscv64) make_args=(ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "CC=ccache riscv64-linux-gnu-gcc")
		image=arch/riscv/boot/Image ;;
	powerpc) make_args=(ARCH=powerpc CROSS_COMPILE=powerpc-linux-gnu- "CC=ccache powerpc-linux-gnu-gcc")
		image=vmlinux ;;
	*) die "no build settings for $1" ;;
	esac
}

# build_image NAME COMMIT CONFIG [ARCH [TARGET...]]: the boot image of COMMIT (or, for
# COMMIT "worktree", of the kernel tree's working copy, uncommitted changes included) in
# $BUILD/NAME, configured from the Kconfig fragment CONFIG plus defaults; arm64 unless
# ARCH says otherwise; and the make TARGETs named (e.g. modules).
build_image() {
	local out=$BUILD/$1 src=$BUILD_TREE what make_args image
	set_make_args "${4:-arm64}"
	if [ "$2" = worktree ]; then
		src=$KTREE
		what="the working copy of $KTREE"
	else
		build_tree_at "$2"
		what=$(git -C "$src" log -1 --format='%h %s')
	fi
	log "building $1 ($what)"
	mkdir -p "$out"
	cp "$3" "$out/.config"
	make -s -C "$src" O="$out" -j"$JOBS" "${make_args[@]}" olddefconfig "${image#arch/*/boot/}" "${@:5}" \
		>"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; die "$1 does not build"; }
}

# readme_section NAME FILE: FILE replaces what README.md holds between the lines
# "<!-- NAME:start ...-->" and "<!-- NAME:end -->".
readme_section() {
	local readme=$TOP/README.md
	awk -v name="$1" -v file="$2" '
		index($0, "<!-- " name ":start") == 1 { print; while ((getline line < file) > 0) print line; skip = 1; next }
		index($0, "<!-- " name ":end -->") == 1 { skip = 0 }
		!skip
	' "$readme" >"$readme.tmp" && mv "$readme.tmp" "$readme"
}

# vmalloc_results NAME LOG: test_vmalloc's "Summary:" lines in LOG (one per case and
# thread) as one result per case, named NAME/test_vmalloc/CASE.
vmalloc_results() {
	sed -nE 's/.*Summary: ([a-z0-9_]+) passed: ([0-9]+) failed: ([0-9]+) xfailed: ([0-9]+).*/\1 \2 \3 \4/p' "$2" |
		awk -v name="$1" '{ ok[$1] += $2 + $4; bad[$1] += $3 }
			END { for (c in ok) printf "result %s %s/test_vmalloc/%s\n",
				bad[c] || !ok[c] ? "FAIL" : "PASS", name, c }' | sort
}
