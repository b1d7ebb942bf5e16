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
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=vmalloc-batch KBUILD_BUILD_HOST=harness
JOBS=${JOBS:-$(nproc)}

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

# The numbered patches of the series, in order (the cover letter is not one).
series_patches() {
	find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort
}

# Make the base tree exist (downloads only when KERNEL_SRC is unset).
ensure_tree() {
	[ -d "$KTREE/.git" ] && return 0
	[ -n "${KERNEL_SRC:-}" ] && die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	"$TOP/scripts/fetch-base.sh"
}

# Top-level folders of the overlay: the repository mirrors files the series adds there.
OVERLAY_ROOTS="Documentation arch include lib mm tools"

# Print $1 when it lies under an overlay folder.
overlay_path() {
	local root
	for root in $OVERLAY_ROOTS; do
		case $1 in "$root"/*) echo "$1"; return 0 ;; esac
	done
	return 1
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

# build_image NAME COMMIT CONFIG: the arm64 Image of COMMIT in $BUILD/NAME, configured
# from the Kconfig fragment CONFIG plus defaults, built in a worktree of its own.
IMAGE_TREE=$CACHE/image-tree
build_image() {
	local out=$BUILD/$1
	[ -e "$IMAGE_TREE/.git" ] || kgit worktree add -q --detach "$IMAGE_TREE" "$2"
	log "building $1 ($(git -C "$IMAGE_TREE" log -1 --format='%h %s' "$2"))"
	git -C "$IMAGE_TREE" checkout -q --detach "$2"
	mkdir -p "$out"
	cp "$3" "$out/.config"
	make -s -C "$IMAGE_TREE" O="$out" -j"$JOBS" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		"CC=ccache aarch64-linux-gnu-gcc" olddefconfig Image >"$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; die "$1 does not build"; }
}
