#!/usr/bin/env bash
# checkpatch.pl --strict on the cover letter and every patch: no error, warning or check.
# The only exceptions are the message types in scripts/checkpatch.ignore, each with its reason.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ignore=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/scripts/checkpatch.ignore" | paste -sd, -)
# checkpatch's spdxcheck.py needs Debian's python3-ply: use Debian's python3 first.
export PATH=/usr/bin:$PATH
rc=0
for p in "$PATCHES"/0000-cover-letter.patch $(series_patches); do
	name=checkpatch/$(basename "$p")
	if out=$(cd "$CHECK_TREE" && ./scripts/checkpatch.pl --strict --no-summary --quiet \
		${ignore:+--ignore "$ignore"} "$p" 2>&1) && [ -z "$out" ]; then
		echo "result PASS $name"
	else
		printf '%s\n' "$out"
		echo "result FAIL $name"
		rc=1
	fi
done
exit $rc
