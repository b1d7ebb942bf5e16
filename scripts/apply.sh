#!/usr/bin/env bash
# Apply patches/ with git am on the base, in the check worktree (never the hacking branch).
# Any reject fails. The check tree then sits at the last patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_tree
base=$(base_rev)
if [ ! -e "$CHECK_TREE/.git" ]; then
	log "creating the check worktree $CHECK_TREE"
	kgit worktree prune
	kgit worktree add -q --detach "$CHECK_TREE" "$base"
fi
git_in "$CHECK_TREE" am --abort >/dev/null 2>&1 || true
git_in "$CHECK_TREE" checkout -q -f --detach "$base"
git_in "$CHECK_TREE" clean -q -fdx

mapfile -t series < <(series_patches)
[ ${#series[@]} -gt 0 ] || die "no patches in $PATCHES"
for p in "${series[@]}"; do
	if git_in "$CHECK_TREE" am -q "$p"; then
		echo "result PASS apply/$(basename "$p")"
	else
		echo "result FAIL apply/$(basename "$p")"
		git_in "$CHECK_TREE" am --abort
		exit 1
	fi
done
log "check tree: $(git -C "$CHECK_TREE" log --oneline -1) on $(git -C "$CHECK_TREE" log --oneline -1 "$base")"
