#!/usr/bin/python3
"""Keep the cover letter's results table equal to the latest `make bench` results.

cover-results.py update FILE   rewrite, in FILE, the block that starts with the first
                               line of results/cover.txt (up to the next blank line)
                               with results/cover.txt
cover-results.py check FILE    exit 1 unless FILE holds results/cover.txt verbatim
"""
import os
import sys

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results",
                       "cover.txt")


def main():
    mode, path = sys.argv[1], sys.argv[2]
    with open(RESULTS) as f:
        table = f.read().rstrip("\n").split("\n")
    with open(path) as f:
        text = f.read().split("\n")
    if mode == "check":
        n = len(table)
        found = any(text[i:i + n] == table for i in range(len(text)))
        print(f"result {'PASS' if found else 'FAIL'} cover letter quotes results/cover.txt")
        return 0 if found else 1
    try:
        start = text.index(table[0])
    except ValueError:
        print(f"{path}: no results table to update (its first line: {table[0]!r})",
              file=sys.stderr)
        return 1
    end = start
    while end < len(text) and text[end].strip():
        end += 1
    text[start:end] = table
    with open(path, "w") as f:
        f.write("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
