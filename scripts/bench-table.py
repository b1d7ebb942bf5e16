#!/usr/bin/python3
"""Tabulate make bench runs: bench-table.py RUNS RESULTS BASE_LABEL REPEAT.

RUNS holds console logs named ARCH.KERNEL.CLOCK.N.log (KERNEL base or ours, CLOCK icount,
wall, or existing: test_vmalloc's own cases under -icount, read from their Summary lines). Prints the tables and writes RESULTS/bench.md, RESULTS/cover.txt (the cover
letter's results block) and RESULTS/bench.png (one panel per architecture). Each number
is the median over the runs.
"""
import glob
import os
import re
import statistics
import sys

TIMING = re.compile(r"Timing: (\S+) pages: (\d+) map: (\d+) ns unmap: (\d+) ns")
SHAPE = re.compile(r"Shape: (\S+) pud: (\d+) pmd: (\d+) cont: (\d+) pte: (\d+)")
SUMMARY = re.compile(r"Summary: (\S+) passed: \d+ failed: (\d+) .* loops: (\d+) avg: (\d+) usec")
CLOCKS = ("icount", "wall")
ARCHS = {"arm64": "arm64, 4K pages (PMD and CONT_PTE)", "x86_64": "x86_64 (PMD only)"}


def parse(runs, arch):
    """{(kernel, clock): {case: [(map, unmap), ...]}}, {(kernel, case): shape}"""
    times, shapes, order = {}, {}, []
    for path in sorted(glob.glob(os.path.join(runs, f"{arch}.*.log"))):
        _, kernel, clock, _ = os.path.basename(path).split(".", 3)
        with open(path, errors="replace") as f:
            text = f.read()
        for m in TIMING.finditer(text):
            case = m.group(1).removesuffix("_test")
            if case not in order:
                order.append(case)
            times.setdefault((kernel, clock), {}).setdefault(case, []).append(
                (int(m.group(3)), int(m.group(4))))
        # The shapes of the boots whose instructions are counted: where the pages of an
        # array lie, and so its shape, may differ between boots.
        if clock != "icount":
            continue
        for m in SHAPE.finditer(text):
            pud, pmd, cont, pte = (int(x) for x in m.groups()[1:])
            shape = " ".join(f"{n} {k}" for n, k in ((pud, "PUD"), (pmd, "PMD"),
                                                     (cont, "CONT"), (pte, "PTE")) if n)
            seen = shapes.setdefault((kernel, m.group(1).removesuffix("_test")), [])
            if (shape or "none") not in seen:
                seen.append(shape or "none")
    return times, {k: " / ".join(v) for k, v in shapes.items()}, order


def existing(runs, arch):
    """{case: {kernel: instructions per loop}} from the EXISTING boots (-icount: 1 ns each)."""
    out = {}
    for kernel in ("base", "ours"):
        path = os.path.join(runs, f"{arch}.{kernel}.existing.1.log")
        if not os.path.exists(path):
            continue
        with open(path, errors="replace") as f:
            for m in SUMMARY.finditer(f.read()):
                if int(m.group(2)):
                    sys.exit(f"{path}: {m.group(1)} failed")
                out.setdefault(m.group(1), {})[kernel] = int(m.group(4)) * 1000 / int(m.group(3))
    return out


def existing_markdown(cases, label):
    lines = ["#### test_vmalloc's own cases: instructions per loop, one -icount boot",
             "", "Allocation and vfree() included; their lazy purges make these move by "
             "about 2% with the loop count.", "",
             f"| case | {label} | ours | ratio |", "| --- | ---: | ---: | ---: |"]
    for case, k in cases.items():
        b, o = k.get("base"), k.get("ours")
        lines.append(f"| {case} | {fmt(b)} | {fmt(o)} | {fmt(ratio(b, o), 'x')} |")
    return "\n".join(lines) + "\n"


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


def markdown(arch, times, shapes, order, label, repeat):
    lines = [f"### {ARCHS[arch]}", ""]
    for what, title in ((0, "map"), (1, "unmap")):
        lines += [f"#### {title}: median of {repeat} boots; icount = instructions, wall = ns",
                  "",
                  f"ratio = {label} / ours: above 1.00x the series is faster.",
                  "",
                  f"| case | icount {label} | icount ours | ratio | wall {label} | wall ours | ratio |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in rows(times, order, what):
            cells = [r[0]] + [fmt(v, "x" if i % 3 == 2 else "") for i, v in enumerate(r[1:])]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["#### leaf entries of each mapping", "", f"| case | {label} | ours |",
              "| --- | --- | --- |"]
    for case in order:
        lines.append(f"| {case} | {shapes.get(('base', case), '-')} | "
                     f"{shapes.get(('ours', case), '-')} |")
    return "\n".join(lines) + "\n"


def cover(arch, times, order, label):
    """A plain-text block of at most 75 columns for the cover letter, no blank line."""
    lines = [f"{ARCHS[arch] + ':':35}{'map, instructions':>20}{'unmap':>11}",
             f"{'case':24}{label:>12}{'ours':>12}{'ratio':>7}{'ratio':>11}"]
    unmap = {r[0]: r[3] for r in rows(times, order, 1)}
    for r in rows(times, order, 0):
        lines.append(f"{r[0]:24}{fmt(r[1]):>12}{fmt(r[2]):>12}{fmt(r[3], 'x'):>7}"
                     f"{fmt(unmap[r[0]], 'x'):>11}")
    return "\n".join(lines) + "\n"


def plot(data, path):
    """One panel per architecture: icount ratios, map and unmap, on a log axis."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(data), 1, figsize=(11, 4.2 * len(data)), squeeze=False)
    width = 0.4
    for ax, (arch, times, order) in zip(axes[:, 0], data):
        for k, (what, title) in enumerate(((0, "map"), (1, "unmap"))):
            vals = [r[3] for r in rows(times, order, what)]
            xs = [i + (k - 0.5) * width for i in range(len(order))]
            bars = ax.bar(xs, [v or 0 for v in vals], width, label=title)
            for bar, v in zip(bars, vals):
                if v:
                    ax.annotate(f"{v:.2f}x" if v < 10 else f"{v:.0f}x",
                                (bar.get_x() + bar.get_width() / 2, v), ha="center",
                                va="bottom", fontsize=7, rotation=90, xytext=(0, 2),
                                textcoords="offset points")
        ax.set_yscale("log")
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_ylabel("7.3.4 / ours (instructions)")
        ax.set_title(ARCHS[arch])
        ax.set_xticks(range(len(order)), order, rotation=30, ha="right")
        ax.legend(loc="upper right")
        top = max([r[3] or 1 for what in (0, 1) for r in rows(times, order, what)])
        ax.set_ylim(0.5, top * 4)
    fig.suptitle("make bench: instructions under -icount, 7.3.4 / the series "
                 "(above 1.0x the series is faster)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    runs, results, label, repeat = sys.argv[1:5]
    label = "7.3.4" if not os.environ.get("KERNEL_SRC") else "base"
    md = [f"Measured by `make bench` (REPEAT={repeat}); {label} = base + "
          f"the measuring patches up to \"{sys.argv[3]}\".\n"]
    text, data = [], []
    for arch in ARCHS:
        times, shapes, order = parse(runs, arch)
        if not order:
            continue
        md.append(markdown(arch, times, shapes, order, label, repeat))
        own = existing(runs, arch)
        if own:
            md.append(existing_markdown(own, label))
        text.append(cover(arch, times, order, label))
        data.append((arch, times, order))
    if not data:
        sys.exit(f"no Timing: lines in {runs}")
    print("\n".join(md))
    with open(os.path.join(results, "bench.md"), "w") as f:
        f.write("\n".join(md))
    with open(os.path.join(results, "cover.txt"), "w") as f:
        f.write("".join(text))
    plot(data, os.path.join(results, "bench.png"))
    print(f"written: {results}/bench.md, cover.txt, bench.png")


if __name__ == "__main__":
    main()
