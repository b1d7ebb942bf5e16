#!/usr/bin/env bash
# make export: write branch $BRANCH back to patches/ (format-patch, cover letter text kept)
# and mirror the files the series adds or modifies into the overlay folders.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

base=$(kgit rev-parse "refs/heads/$BRANCH-base")
desc=$(kgit config "branch.$BRANCH.description" || true)
if [ -z "$desc" ]; then
	desc=$(cover_text) || die "no cover letter text: git branch --edit-description $BRANCH"
	kgit config "branch.$BRANCH.description" "$desc"
fi

# The results table in the cover letter follows the latest make bench.
if [ -f "$TOP/results/cover.txt" ]; then
	printf '%s\n' "$desc" >"$CACHE/cover.desc"
	if "$TOP/scripts/cover-results.py" update "$CACHE/cover.desc"; then
		desc=$(cat "$CACHE/cover.desc")
		kgit config "branch.$BRANCH.description" "$desc"
	fi
fi

rm -f "$PATCHES"/*.patch
mkdir -p "$PATCHES"
# The cover letter is from whoever wrote the newest patch, not from this machine's git user.
kgit -c user.name="$(kgit log -1 --format=%an "$BRANCH")" \
	-c user.email="$(kgit log -1 --format=%ae "$BRANCH")" format-patch -q --zero-commit --no-signature --base="$base" --cover-letter \
	--cover-from-description=subject --subject-prefix="${PREFIX:-PATCH}" \
	-o "$PATCHES" "$base..$BRANCH"
# The cover letter carries the date of the newest patch, so an unchanged series
# exports to unchanged files.
date=$(kgit log -1 --format=%aD "$BRANCH")
sed -i "0,/^Date: /s/^Date: .*/Date: $date/" "$PATCHES/0000-cover-letter.patch"
# The overlay folders mirror every file the series adds or modifies (lib.sh).
for root in $OVERLAY_ROOTS; do
	rm -rf "${TOP:?}/$root"
done
overlay_files "$base" "$BRANCH" | while read -r f; do
	mkdir -p "$TOP/$(dirname "$f")"
	kgit show "$BRANCH:$f" >"$TOP/$f"
done
log "exported $(series_patches | wc -l) patches and the overlay; now commit the project"
