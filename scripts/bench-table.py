#!/usr/bin/python3
"""Tabulate make bench runs: bench-table.py RUNS RESULTS BASE_LABEL REPEAT.

RUNS holds console logs named KERNEL.CLOCK.N.log (KERNEL base or ours, CLOCK icount or
wall). Prints the table and writes RESULTS/bench.md, RESULTS/cover.txt (the cover letter's
results block) and RESULTS/bench.png. Each number is the median over the runs.
"""
import glob
import os
import re
import statistics
import sys

TIMING = re.compile(r"Timing: (\S+) pages: (\d+) map: (\d+) ns unmap: (\d+) ns")
SHAPE = re.compile(r"Shape: (\S+) pud: (\d+) pmd: (\d+) cont: (\d+) pte: (\d+)")
CLOCKS = ("icount", "wall")


def parse(runs):
    """{(kernel, clock): {case: [(map, unmap), ...]}}, {(kernel, case): shape}"""
    times, shapes, order = {}, {}, []
    for path in sorted(glob.glob(os.path.join(runs, "*.log"))):
        kernel, clock, _ = os.path.basename(path).split(".", 2)
        with open(path, errors="replace") as f:
            text = f.read()
        for m in TIMING.finditer(text):
            case = m.group(1).removesuffix("_test")
            if case not in order:
                order.append(case)
            times.setdefault((kernel, clock), {}).setdefault(case, []).append(
                (int(m.group(3)), int(m.group(4))))
        for m in SHAPE.finditer(text):
            pud, pmd, cont, pte = (int(x) for x in m.groups()[1:])
            parts = [f"{n} {k}" for n, k in ((pud, "PUD"), (pmd, "PMD"), (cont, "CONT"),
                                             (pte, "PTE")) if n]
            shapes[(kernel, m.group(1).removesuffix("_test"))] = " ".join(parts) or "none"
    return times, shapes, order


def median(times, kernel, clock, case, i):
    vals = [t[i] for t in times.get((kernel, clock), {}).get(case, [])]
    return statistics.median(vals) if vals else None


def ratio(a, b):
    return a / b if a and b else None


def fmt(x, unit=""):
    if x is None:
        return "-"
    return f"{x:.2f}x" if unit == "x" else f"{x:,.0f}"


def rows(times, order, what):
    """(case, base, ours, ratio) per clock for map (what=0) or unmap (what=1)."""
    out = []
    for case in order:
        row = [case]
        for clock in CLOCKS:
            b = median(times, "base", clock, case, what)
            o = median(times, "ours", clock, case, what)
            row += [b, o, ratio(b, o)]
        out.append(row)
    return out


def markdown(times, shapes, order, label, repeat):
    lines = []
    for what, title in ((0, "map"), (1, "unmap")):
        lines += [f"### {title}: median of {repeat} boots; icount = instructions, wall = ns",
                  "",
                  f"ratio = {label} / ours: above 1.00x the series is faster.",
                  "",
                  f"| case | icount {label} | icount ours | ratio | wall {label} | wall ours | ratio |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in rows(times, order, what):
            cells = [r[0]] + [fmt(v, "x" if i % 3 == 2 else "") for i, v in enumerate(r[1:])]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["### leaf entries of each mapping", "", f"| case | {label} | ours |",
              "| --- | --- | --- |"]
    for case in order:
        lines.append(f"| {case} | {shapes.get(('base', case), '-')} | "
                     f"{shapes.get(('ours', case), '-')} |")
    return "\n".join(lines) + "\n"


def cover(times, order, label):
    """A plain-text block of at most 75 columns for the cover letter."""
    lines = [f"{'':24}{'map, instructions':>31}{'unmap':>11}",
             f"{'case':24}{label:>12}{'ours':>12}{'ratio':>7}{'ratio':>11}"]
    unmap = {r[0]: r[3] for r in rows(times, order, 1)}
    for r in rows(times, order, 0):
        lines.append(f"{r[0]:24}{fmt(r[1]):>12}{fmt(r[2]):>12}{fmt(r[3], 'x'):>7}"
                     f"{fmt(unmap[r[0]], 'x'):>11}")
    return "\n".join(lines) + "\n"


def plot(times, order, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    width = 0.38
    for ax, what, title in ((axes[0], 0, "map"), (axes[1], 1, "unmap")):
        data = rows(times, order, what)
        for k, clock in enumerate(CLOCKS):
            vals = [r[3 + 3 * k] or 0 for r in data]
            ax.bar([i + (k - 0.5) * width for i in range(len(data))], vals, width,
                   label=f"{clock} clock")
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_ylabel(f"{title}: base / ours")
        ax.legend()
    axes[1].set_xticks(range(len(order)), order, rotation=30, ha="right")
    fig.suptitle("make bench: speed-up of the series over its base (higher is better)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def readme(path, bench_md):
    """Copy bench.md between the README's bench markers."""
    with open(path) as f:
        text = f.read()
    start = text.find("<!-- bench:start")
    end = text.find("<!-- bench:end -->")
    if start < 0 or end < 0:
        return
    start = text.index("\n", start) + 1
    with open(bench_md) as f:
        table = f.read()
    with open(path, "w") as f:
        f.write(text[:start] + table + text[end:])


def main():
    runs, results, label, repeat = sys.argv[1:5]
    label = "7.3.4" if not os.environ.get("KERNEL_SRC") else "base"
    times, shapes, order = parse(runs)
    if not order:
        sys.exit(f"no Timing: lines in {runs}")
    md = markdown(times, shapes, order, label, repeat)
    print(md)
    with open(os.path.join(results, "bench.md"), "w") as f:
        f.write(f"Measured by `make bench` (REPEAT={repeat}); {label} = base + "
                f"the measuring patches up to \"{sys.argv[3]}\".\n\n" + md)
    with open(os.path.join(results, "cover.txt"), "w") as f:
        f.write(cover(times, order, label))
    plot(times, order, os.path.join(results, "bench.png"))
    readme(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md"),
           os.path.join(results, "bench.md"))
    print(f"written: {results}/bench.md, cover.txt, bench.png")


if __name__ == "__main__":
    main()
