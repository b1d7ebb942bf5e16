#!/usr/bin/env bash
# Download Debian's linux-source-7.3 into the cache and commit it as the base of a git tree.
# The archive is the one this machine's apt sources already use; the package list lives in
# a private apt state under the cache, so the machine's apt configuration is not touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_dir=$CACHE/apt
debs=$CACHE/debs
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.d" "$debs"

# The Debian archive this machine installs its own release from (apt's view of its sources;
# the $(...) are apt's format fields, not shell).
release=$(. /etc/os-release && echo "$VERSION_CODENAME")
# shellcheck disable=SC2016
mirror=$(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' |
	awk -v rel="$release" '$2 == rel { print $1; exit }')
[ -n "$mirror" ] || die "no Debian archive for $release in this machine's apt sources; point KERNEL_SRC=<tree> at a kernel git tree"
cat >"$apt_dir/sources.d/base.sources" <<SRC
Types: deb
URIs: $mirror
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

# Only a complete, readable package is kept: a download lands in debs/ by a rename.
deb=$(find "$debs" -maxdepth 1 -name "${BASE_PKG}_*.deb" | head -n1)
if [ -n "$deb" ] && ! dpkg-deb -f "$deb" Version >/dev/null 2>&1; then
	rm -f "$deb"
	deb=
fi
if [ -z "$deb" ]; then
	log "fetching the $BASE_PKG package list ($BASE_SUITE from $mirror)"
	apt-get "${apt_opts[@]}" -qq update
	version=$(pick_version)
	log "downloading $BASE_PKG $version"
	rm -rf "$debs/partial"
	mkdir -p "$debs/partial"
	(cd "$debs/partial" && apt-get "${apt_opts[@]}" -qq download "$BASE_PKG=$version")
	mv "$debs"/partial/"${BASE_PKG}"_*.deb "$debs/"
	rmdir "$debs/partial"
	deb=$(find "$debs" -maxdepth 1 -name "${BASE_PKG}_*.deb" | head -n1)
fi
version=$(dpkg-deb -f "$deb" Version)

# The tree is built and committed in $KTREE.tmp and renamed into place only then: an
# interrupted run leaves no $KTREE, and the next run starts over.
tmp=$KTREE.tmp
log "unpacking $BASE_PKG $version"
rm -rf "$KTREE" "$tmp"
mkdir -p "$tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-*.tar.xz' |
	tar -xJ -C "$tmp" --strip-components=1

# Debian's .gitignore ends with a block ignoring every top-level path but debian/:
# drop it, from the comment that introduces it to the end.
n=$(grep -n '^# Debian packaging' "$tmp/.gitignore" | cut -d: -f1)
[ -n "$n" ] && sed -i "$((n - 2)),\$d" "$tmp/.gitignore"

log "committing the base tree"
git -C "$tmp" init -q -b "$BRANCH-base"
git -C "$tmp" config core.autocrlf false
git -C "$tmp" add -A -f  # every file of the tarball, dot-files too (its .gitignore ignores them)
# A fixed identity and date: every machine gets the same base commit, which the
# patches' base-commit line names.
GIT_AUTHOR_NAME=harness GIT_AUTHOR_EMAIL=harness@localhost GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
	git -C "$tmp" commit -q -m "Linux $version (Debian $BASE_PKG)"
mv "$tmp" "$KTREE"

log "base: $(kgit log --oneline -1)"
