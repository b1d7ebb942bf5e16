#!/usr/bin/env bash
# The overlay folders must hold exactly the files the series adds, byte for byte.
# Runs on the check tree after apply.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

base=$(base_rev)
bad=0
added=$(git -C "$CHECK_TREE" diff --name-only --diff-filter=A "$base" HEAD)
for f in $added; do
	if ! overlay_path "$f" >/dev/null; then
		echo "series adds $f outside the overlay folders ($OVERLAY_ROOTS)"
		bad=1
	elif ! cmp -s "$CHECK_TREE/$f" "$TOP/$f"; then
		echo "overlay $f differs from what the series creates (run make export)"
		bad=1
	fi
done
for root in $OVERLAY_ROOTS; do
	[ -d "$TOP/$root" ] || continue
	while read -r f; do
		f=${f#"$TOP"/}
		grep -qxF "$f" <<<"$added" || { echo "overlay $f is not created by the series"; bad=1; }
	done < <(find "$TOP/$root" -type f)
done
if [ $bad -eq 0 ]; then
	echo "result PASS overlay ($(wc -w <<<"$added") files)"
else
	echo "result FAIL overlay"
	exit 1
fi
