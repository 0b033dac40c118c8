"""Benchmark: how long ``linktox --help`` and each command's start take, next to ``python -c pass``.

Goal (issue 13): ``linktox --help`` within 0.3 s. Every command runs ``--help``, which imports the
command's own module (and so everything it imports at the top) but runs nothing. Each is run
``--repeat`` times in its own process and the median is kept; the baseline, in the same run, is
the bare interpreter (``python -c pass``). ``--source DIR`` also measures another checkout of the
code with this same environment (for example the commit before a change, from ``git archive``),
so "before" and "after" come from one run.

Usage: ``python -m bench.cli [--repeat 7] [--source DIR --source-label before]``
Appends to ``bench/results/cli.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.timing import RESULTS, Run, append, linktox, machine, median_of

COMMANDS = (
    ["--help"],
    ["score", "--help"],
    ["labels", "stats", "--help"],
    ["models", "list", "--help"],
    ["pipeline", "train", "--help"],
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--source-label", default="other checkout")
    parser.add_argument("--results", type=Path, default=RESULTS / "cli.md")
    args = parser.parse_args()

    header = machine()
    rows: list[tuple[str, Run]] = []
    base = median_of([sys.executable, "-c", "pass"], args.repeat)
    rows.append(("python -c pass (baseline)", base))
    sides = [("", None)] + ([(f" ({args.source_label})", args.source)] if args.source else [])
    for label, source in sides:
        cmd, env = linktox(source)
        for command in COMMANDS:
            run = median_of([*cmd, *command], args.repeat, env)
            rows.append((f"linktox {' '.join(command)}{label}", run))

    lines = [
        f"## Command start: `linktox --help` and each command's `--help` (median of {args.repeat})",
        "",
        header,
        "",
        "| run | wall (s) | CPU (s) | peak RSS (MiB) | wall vs baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, run in rows:
        lines.append(
            f"| {name} | {run.wall:.3f} | {run.cpu:.3f} | {run.peak:,.0f} | "
            f"{run.wall / base.wall:.1f}x |"
        )
    append(args.results, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
