"""Benchmark: ``linktox score`` next to a practitioner's pandas + per-row tldextract script.

Goal (issue 13): on a 200,000-link export, linktox end to end is at least 20 times faster than
the peer (``bench/peers/pandas_tldextract.py``: pandas, a per-row ``tldextract`` call for the
referring domain, a handful of rules applied row by row, a scored CSV and a disavow list). Both
read the same Semrush CSV and write a scored CSV and a disavow file, each in its own process, in
the same run, in turns; linktox also writes the rollup and computes 120 features, a model score
and reasons in words. ``--source DIR`` also measures another checkout of linktox in the same run.

Usage: ``python -m bench.peer [--links 200000] [--repeat 1] [--model DIR] [--source DIR]``
Appends to ``bench/results/peer.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.score import make_export
from bench.timing import (
    RESULTS,
    ROOT,
    WORK,
    Run,
    append,
    interleaved,
    linktox,
    machine,
    versus,
)

PEER = ROOT / "bench" / "peers" / "pandas_tldextract.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--model", default=str(ROOT / "data" / "models" / "bundle"))
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--source-label", default="other checkout")
    parser.add_argument("--results", type=Path, default=RESULTS / "peer.md")
    args = parser.parse_args()

    export = make_export(args.links, args.seed)
    out = WORK / "peer"
    out.mkdir(parents=True, exist_ok=True)
    header = machine()
    commands: list[tuple[list[str], dict[str, str] | None, Path | None]] = [
        ([sys.executable, str(PEER), str(export), str(out / "peer.csv"), str(out / "peer.txt")],
         None, None)
    ]  # fmt: skip
    sides = [("", None)] + ([(f" ({args.source_label})", args.source)] if args.source else [])
    for _, source in sides:
        cmd, env = linktox(source)
        score = [
            *cmd, "score", str(export), "--out", str(out / "scored.csv"), "--model", args.model,
            "--domains", str(out / "domains.csv"), "--disavow", str(out / "disavow.txt"),
        ]  # fmt: skip
        commands.append((score, env, out / f"score{'_source' if source else ''}.log"))
    # In turns (peer, linktox, other checkout, peer, ...): each side meets the same load.
    runs = interleaved(commands, args.repeat)
    peer = runs[0]
    rows: list[tuple[str, Run]] = [("pandas + per-row tldextract script (peer)", peer)]
    rows += [
        (f"linktox score{label}", run) for (label, _), run in zip(sides, runs[1:], strict=True)
    ]

    lines = [
        f"## {args.links:,} links: linktox next to a pandas + per-row tldextract script",
        "",
        header,
        "",
        "| run | wall (s) | CPU (s) | peak RSS (MiB) | peer's wall / this wall |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, run in rows:
        lines.append(
            f"| {name} | {run.wall:.1f} | {run.cpu:.1f} | {run.peak:,.0f} | "
            f"{peer.wall / run.wall:.1f}x |"
        )
    if args.source:
        lines += versus(runs[1], runs[2], args.source_label)
    append(args.results, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
