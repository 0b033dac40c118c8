"""Benchmark: ``linktox score`` end to end on a 1,000-link export, next to ``python -c pass``.

Goal (issue 13): a small audit export scores in 1.5 s and 300 MiB, everything included: the
interpreter, imports, reading, features, predictions, reasons, the scored CSV, the rollup, the
disavow file and the HTML report. The export is one site's profile drawn from the synthetic world
(shop-under-attack, the site under a negative-SEO attack, so many links are flagged and need
reasons); the model is a bundle folder, so no registry is read, unless ``--model registry``:
then ``--model`` is left out, as a user scoring with the project's registered model runs it
(``@champion``, else the newest version, from the project's MLflow store). Each side runs
``--repeat`` times in its own process, the sides in turns; medians are kept, and the largest
peak memory.
``--source DIR`` also measures another checkout of the code (say the commit before a change) in
the same run.

Usage: ``python -m bench.score_small [--links 1000] [--repeat 5] [--model DIR|registry]
[--source DIR]``
Appends to ``bench/results/score_small.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def make_export(links: int, seed: int) -> Path:
    """A Semrush Backlinks export of one site's profile (cached)."""
    path = WORK / f"semrush_small_{links}_{seed}.csv"
    if path.exists():
        return path
    from pipeline.world import generate_world
    from pipeline.world.exports import write_semrush_csv

    WORK.mkdir(parents=True, exist_ok=True)
    write_semrush_csv(generate_world(links, seed, sites=["shop-under-attack"]), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--model",
        default=str(ROOT / "data" / "models" / "bundle"),
        help="a bundle folder, or 'registry' to leave --model out (the project's MLflow store)",
    )
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--source-label", default="other checkout")
    parser.add_argument("--results", type=Path, default=RESULTS / "score_small.md")
    args = parser.parse_args()

    export = make_export(args.links, args.seed)
    out = WORK / "small"
    out.mkdir(parents=True, exist_ok=True)
    model = [] if args.model == "registry" else ["--model", args.model]
    score_args = [
        "score", str(export), "--out", str(out / "scored.csv"), *model,
        "--domains", str(out / "domains.csv"), "--disavow", str(out / "disavow.txt"),
        "--report", str(out / "report.html"),
    ]  # fmt: skip
    header = machine()
    sides = [("", None)] + ([(f" ({args.source_label})", args.source)] if args.source else [])
    commands: list[tuple[list[str], dict[str, str] | None, Path | None]] = [
        ([sys.executable, "-c", "pass"], None, None)
    ]
    for _, source in sides:
        cmd, env = linktox(source)
        commands.append(([*cmd, *score_args], env, out / f"score{'_source' if source else ''}.log"))
    # In turns, so that the baseline and every side meet the same load.
    runs = interleaved(commands, args.repeat)
    base = runs[0]
    rows: list[tuple[str, Run]] = [("python -c pass (baseline)", base)]
    rows += [
        (f"linktox score{label}", run) for (label, _), run in zip(sides, runs[1:], strict=True)
    ]

    lines = [
        f"## Scoring a {args.links:,}-link Semrush export end to end (median of {args.repeat})"
        + (", the model from the project's MLflow store" if not model else ""),
        "",
        header,
        "",
        "| run | wall (s) | CPU (s) | peak RSS (MiB) | wall vs baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, run in rows:
        lines.append(
            f"| {name} | {run.wall:.2f} | {run.cpu:.2f} | {run.peak:,.0f} | "
            f"{run.wall / base.wall:.0f}x |"
        )
    if args.source:
        lines += versus(runs[1], runs[2], args.source_label)
    append(args.results, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
