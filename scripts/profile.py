#!/usr/bin/env python3
"""Where the instructions of a test_vmalloc timing case go (make bench QUICK=1 PROFILE=1).

  profile.py ranges NM BUILD OBJ...        QEMU -dfilter ranges: the text of those objects
  profile.py report BUILD TRACE CONSOLE    per case, the instructions of its median round
                                           per function, from QEMU's in_asm,exec,nochain log

A round is what runs from the entry to a map_*() helper of lib/test_vmalloc.c until
time_rounds() runs again; only the objects given to "ranges" are seen, so the report
also gives the round's -icount time, which counts everything.
"""
import bisect
import collections
import os
import re
import subprocess
import sys


def system_map(build):
    """(address, type, name) of each symbol System.map lists."""
    return [(int(a, 16), t, n) for a, t, n in
            (line.split()[:3] for line in open(f'{build}/System.map'))]


def symbols(build):
    """(addresses, names) of the text symbols of System.map, sorted by address."""
    syms = sorted((a, n) for a, t, n in system_map(build) if t in 'tTwW')
    return [a for a, _ in syms], [n for _, n in syms]


def ranges(nm, build, objs):
    """The span of each object's text: its functions that System.map names only once,
    outside the init text."""
    syms = system_map(build)
    where = {n: a for a, _, n in syms}
    count = collections.Counter(n for _, t, n in syms if t in 'tTwW')
    unique = {n for n, c in count.items()
              if c == 1 and where['_stext'] <= where[n] < where['_etext']}
    spans = []
    for obj in objs:
        if not os.path.exists(f'{build}/{obj}'):
            continue
        for line in subprocess.run([nm, '-S', '--defined-only', f'{build}/{obj}'],
                                   capture_output=True, text=True, check=True).stdout.splitlines():
            f = line.split()
            if len(f) == 4 and f[2] in 'tT' and f[3] in unique:
                spans.append([where[f[3]], where[f[3]] + int(f[1], 16)])
    # An object's functions lie together, but for those in other sections (noinstr):
    # spans closer than 64K are one range.
    spans.sort()
    out = spans[:1]
    for lo, hi in spans[1:]:
        if lo - out[-1][1] < 0x10000:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    print(','.join(f'0x{lo:x}..0x{hi:x}' for lo, hi in out))


def rounds(build, trace):
    """Each round's instructions per function, in the order the rounds ran."""
    addrs, names = symbols(build)
    size = {}
    new_tb = None
    inside = None
    out = []
    tb = re.compile(r'^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]')
    for line in open(trace, errors='replace'):
        if line.startswith('IN:'):
            new_tb = 0
        elif line.startswith('0x') and new_tb is not None:
            new_tb += 1
        elif line.startswith('Trace'):
            m = tb.match(line)
            if not m:
                continue
            pc, key = int(m.group(1), 16), (m.group(1), m.group(2))
            if new_tb:
                size[key] = new_tb
            new_tb = None
            fn = names[bisect.bisect_right(addrs, pc) - 1]
            if fn.startswith('map_') and inside is None:
                inside = collections.Counter()
                out.append(inside)
            elif fn == 'time_rounds':
                inside = None
            elif inside is not None:
                inside[fn] += size.get(key, 0)
    return out


def report(build, trace, console):
    timing = re.compile(r'Timing: (\S+) pages: \d+ map: (\d+) ns .* loops: (\d+)')
    cases = [m.groups() for m in map(timing.search, open(console, errors='replace')) if m]
    done = rounds(build, trace)
    for name, icount, loops in cases:
        mine, done = done[:int(loops)], done[int(loops):]
        if not mine:
            break
        median = sorted(mine, key=lambda c: sum(c.values()))[len(mine) // 2]
        seen = sum(median.values())
        print(f'{name}: {icount} instructions (median of {loops}), '
              f'{seen} in the traced objects')
        for fn, n in median.most_common(8):
            print(f'    {n:>9,} {100 * n / int(icount):5.1f}%  {fn}')


if __name__ == '__main__':
    if sys.argv[1] == 'ranges':
        ranges(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        report(*sys.argv[2:5])
