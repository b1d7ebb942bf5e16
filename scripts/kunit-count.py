#!/usr/bin/env python3
"""Turn a kunit.py --json result into result lines: kunit-count.py NAME JSON KUNIT_RC.

Prints "result PASS|FAIL|SKIP kunit/NAME/suite.case" for every case (parameters of a
parameterised case count one each), then "kunit NAME: P passed, F failed, S skipped".
A skipped case is never a pass; a run that produced no result (build or boot failure,
crash) counts as a failure. Exits 1 when anything failed.
"""
import json
import sys

WORDS = {"PASS": "PASS", "SKIP": "SKIP"}


def walk(group, path, out):
    for case in group.get("test_cases", []):
        out.append((WORDS.get(case["status"], "FAIL"), f"{path}.{case['name']}"))
    for sub in group.get("sub_groups", []):
        walk(sub, f"{path}.{sub['name']}" if path else sub["name"], out)


def main():
    name, path, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cases = []
    try:
        with open(path) as f:
            walk(json.load(f), "", cases)
    except (OSError, ValueError) as e:
        print(f"no KUnit result in {path}: {e}", file=sys.stderr)
    for status, case in cases:
        print(f"result {status} kunit/{name}/{case.lstrip('.')}")
    count = {s: sum(1 for c in cases if c[0] == s) for s in ("PASS", "FAIL", "SKIP")}
    if (rc != 0 or not cases) and count["FAIL"] == 0:
        print(f"result FAIL kunit/{name} (kunit.py exited {rc}, {len(cases)} cases)")
        count["FAIL"] = 1
    print(f"kunit {name}: {count['PASS']} passed, {count['FAIL']} failed, "
          f"{count['SKIP']} skipped")
    return 1 if count["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
