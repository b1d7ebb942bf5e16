#!/usr/bin/env bash
# The overlay folders must hold exactly the files the series adds or modifies (lib.sh:
# overlay_files), byte for byte as the last patch leaves them. Runs after apply.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

base=$(base_rev)
tip=$(git -C "$CHECK_TREE" rev-parse HEAD)
bad=0
files=$(overlay_files "$base" "$tip")
# A touched file outside the overlay folders and not excluded would go unseen.
while read -r f; do
	grep -qxF "$f" <<<"$files" && continue
	case " $OVERLAY_EXCLUDE " in *" $f "*) continue ;; esac
	echo "series touches $f outside the overlay folders ($OVERLAY_ROOTS)"
	bad=1
done < <(kgit diff --name-only "$base" "$tip")
for f in $files; do
	if ! cmp -s "$CHECK_TREE/$f" "$TOP/$f"; then
		echo "overlay $f differs from what the series leaves (run make export)"
		bad=1
	fi
done
for root in $OVERLAY_ROOTS; do
	[ -d "$TOP/$root" ] || continue
	while read -r f; do
		f=${f#"$TOP"/}
		grep -qxF "$f" <<<"$files" || { echo "overlay $f is not touched by the series"; bad=1; }
	done < <(find "$TOP/$root" -type f)
done
if [ $bad -eq 0 ]; then
	echo "result PASS overlay ($(wc -w <<<"$files") files)"
else
	echo "result FAIL overlay"
	exit 1
fi
