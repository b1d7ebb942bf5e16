#!/usr/bin/env bash
# Download Debian's linux-source-7.3 into the cache and commit it as the base of a git tree.
# Uses a private apt state under the cache; the machine's apt configuration is not touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_dir=$CACHE/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.d" "$CACHE/debs"
cat >"$apt_dir/sources.d/base.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $BASE_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-trixie-automatic.gpg
SRC

apt_opts=(
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
	-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.d"
	-o "Dir::State::Status=/var/lib/dpkg/status" -o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root" -o "APT::Architecture=amd64" -o "APT::Architectures::=amd64"
)

# The pinned version when the archive still has it, else the newest 7.3.y.
pick_version() {
	local versions
	versions=$(apt-cache "${apt_opts[@]}" madison "$BASE_PKG" 2>/dev/null | awk '{print $3}')
	[ -n "$versions" ] || die "no $BASE_PKG in $BASE_SUITE any more; point KERNEL_SRC=<tree> at a kernel git tree"
	if grep -qxF "$BASE_VERSION" <<<"$versions"; then
		echo "$BASE_VERSION"
		return
	fi
	log "WARNING: $BASE_PKG $BASE_VERSION is gone from the archive; using the newest 7.3.y instead"
	head -n1 <<<"$versions"
}

deb=$(find "$CACHE/debs" -name "${BASE_PKG}_*.deb" | head -n1)
if [ -z "$deb" ]; then
	log "fetching the $BASE_PKG package list ($BASE_SUITE)"
	apt-get "${apt_opts[@]}" -qq update
	version=$(pick_version)
	log "downloading $BASE_PKG $version"
	(cd "$CACHE/debs" && apt-get "${apt_opts[@]}" -qq download "$BASE_PKG=$version")
	deb=$(find "$CACHE/debs" -name "${BASE_PKG}_*.deb" | head -n1)
fi
version=$(dpkg-deb -f "$deb" Version)

log "unpacking $BASE_PKG $version into $KTREE"
rm -rf "$KTREE" "$KTREE.tmp"
mkdir -p "$KTREE.tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-*.tar.xz' | tar -xJ -C "$KTREE.tmp"
mv "$KTREE.tmp"/linux-source-* "$KTREE"
rmdir "$KTREE.tmp"

# Debian's .gitignore ends with a block ignoring every top-level path but debian/:
# drop it, from the comment that introduces it to the end.
n=$(grep -n '^# Debian packaging' "$KTREE/.gitignore" | cut -d: -f1)
[ -n "$n" ] && sed -i "$((n - 2)),\$d" "$KTREE/.gitignore"

log "committing the base tree"
git -C "$KTREE" init -q -b "$BRANCH-base"
git -C "$KTREE" config core.autocrlf false
kgit add -A -f  # every file of the tarball, dot-files too (its .gitignore ignores them)
# A fixed identity and date: every machine gets the same base commit, which the
# patches' base-commit line names.
GIT_AUTHOR_NAME=harness GIT_AUTHOR_EMAIL=harness@localhost GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
	git -C "$KTREE" commit -q -m "Linux $version (Debian $BASE_PKG)"

log "base: $(kgit log --oneline -1)"
