#!/usr/bin/env bash
# make tree: the base tree with patches/ applied as commits on branch $BRANCH, ready to hack.
# An existing branch is left alone unless FORCE=1 (then it is rebuilt from patches/).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_tree
if kgit rev-parse -q --verify "refs/heads/$BRANCH" >/dev/null; then
	if [ "${FORCE:-0}" != 1 ]; then
		kgit checkout -q "$BRANCH"
		log "$KTREE: branch $BRANCH exists; left as it is (FORCE=1 rebuilds it from patches/)"
		exit 0
	fi
	kgit checkout -q --detach
	kgit branch -q -D "$BRANCH"
fi

# A user's tree: its HEAD now is the base the series goes on.
kgit rev-parse -q --verify "refs/heads/$BRANCH-base" >/dev/null || kgit branch "$BRANCH-base" HEAD
kgit checkout -q -b "$BRANCH" "$BRANCH-base"
mapfile -t series < <(series_patches)
[ ${#series[@]} -eq 0 ] || kgit am -q --committer-date-is-author-date "${series[@]}"
cover_text >"$CACHE/cover.txt" && kgit config "branch.$BRANCH.description" "$(cat "$CACHE/cover.txt")"
log "$KTREE: branch $BRANCH = $BRANCH-base + ${#series[@]} patches"
log "hack, commit, then 'make export' writes patches/ and the overlay back"
