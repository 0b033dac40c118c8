"""Benchmark: reading a Semrush-shaped CSV into linktox's raw chunks, next to polars alone.

Three sides, each in its own process, run in turns (``bench/timing.py``, ``interleaved``):
polars ``read_csv`` of the whole file as strings (the floor), ``open_table`` of this checkout
(every chunk of text cells, positions and malformed rows) and, with ``--source``, the same from
another checkout of the code (say the commit before a change). ``--stage export`` times
``open_export(..., on_error="keep")`` instead: reading plus parsing cells and checking rows.

``--check`` (with ``--source``) first compares what both checkouts' ``open_export`` give for the
export, in each ``on_error`` mode (chunks, problems, counts, errors), so a speed-up is measured
only once it is shown to change nothing; ``--write`` only writes the export and prints its path.

Usage: ``python bench/read.py --links 1000000 [--source <checkout> [--check]] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import timing  # noqa: E402
from bench.score import make_export  # noqa: E402

POLARS = """
import sys, polars as pl
frame = pl.read_csv(sys.argv[1], infer_schema=False)
print(frame.height)
"""

READ = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
if sys.argv[3] == "table":
    from pipeline.importers.detect import KNOWN_COLUMNS
    from pipeline.importers.read import open_table
    rows = sum(c.frame.height for c in open_table(Path(sys.argv[2]), KNOWN_COLUMNS).chunks())
else:
    from pipeline.importers import open_export
    stream = open_export(Path(sys.argv[2]), on_error="keep")
    rows = sum(c.links.height for c in stream.chunks())
print(rows)
"""

# Writes, per on_error mode, every chunk (canonical links, the vendor's columns and the per-row
# fields) to <out>/<mode>.parquet and the stream's summary (or the error) to <out>/<mode>.json.
DUMP = """
import dataclasses, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import polars as pl
from pipeline.importers import open_export
path, out = Path(sys.argv[2]), Path(sys.argv[3])
for mode in ("keep", "skip", "fail"):
    try:
        stream = open_export(path, on_error=mode)
        chunks = list(stream.chunks())
    except Exception as exc:
        (out / f"{mode}.json").write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        continue
    frames = [
        pl.concat(
            [
                c.links,
                c.original.rename(lambda name: "original:" + name),
                pl.DataFrame([c.positions, c.problem, c.duplicate_of, c.scorable]).rename(
                    lambda name: "row:" + name
                ),
            ],
            how="horizontal",
        ).with_columns(pl.lit(i).alias("row:chunk"))
        for i, c in enumerate(chunks)
    ]
    pl.concat(frames).write_parquet(out / f"{mode}.parquet")
    summary = {
        "format": stream.format, "skipped": stream.skipped, "problems": list(stream.problems),
        "rows": stream.rows, "counts": dataclasses.asdict(stream.counts),
    }
    (out / f"{mode}.json").write_text(json.dumps(summary))
"""
MODES = ("keep", "skip", "fail")


def check(export: Path, source: Path) -> list[str]:
    """Where this checkout's open_export differs from ``source``'s on ``export`` (empty: same)."""
    import polars as pl

    differences: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        outs = []
        for root in (ROOT, source):
            out = Path(tmp) / str(len(outs))
            out.mkdir()
            subprocess.run(
                [sys.executable, "-c", DUMP, str(root), str(export), str(out)], check=True
            )
            outs.append(out)
        ours, theirs = outs
        for mode in MODES:
            summary = json.loads((ours / f"{mode}.json").read_text())
            if summary != json.loads((theirs / f"{mode}.json").read_text()):
                differences.append(f"{mode}: summary or error differs")
            elif "error" not in summary:
                mine = pl.read_parquet(ours / f"{mode}.parquet")
                other = pl.read_parquet(theirs / f"{mode}.parquet")
                if mine.schema != other.schema or not mine.equals(other):
                    differences.append(f"{mode}: chunks differ")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stage", choices=("table", "export"), default="table")
    parser.add_argument("--source", type=Path, default=None, help="another checkout to compare")
    parser.add_argument(
        "--check", action="store_true", help="first check open_export gives what --source gives"
    )
    parser.add_argument("--write", action="store_true", help="only write the export, print path")
    parser.add_argument("--results", type=Path, default=timing.RESULTS / "read.md")
    args = parser.parse_args()

    export = make_export(args.links, args.seed)
    if args.write:
        print(export)
        return
    identity = ""
    if args.check:
        if args.source is None:
            parser.error("--check compares with --source")
        differences = check(export, args.source)
        if differences:
            raise SystemExit(f"open_export differs from {args.source}: {'; '.join(differences)}")
        identity = (
            f"`open_export` gives the same chunks, problems and counts as {args.source} "
            f"(on_error {', '.join(MODES)}; `--check`)."
        )
    size_mb = export.stat().st_size / 1e6
    what = "open_table (raw chunks)" if args.stage == "table" else "open_export (keep)"
    sides: list[tuple[str, list[str]]] = [
        ("polars read_csv, all strings (baseline)", [sys.executable, "-c", POLARS, str(export)]),
        (
            f"{what}, this checkout",
            [sys.executable, "-c", READ, str(ROOT), str(export), args.stage],
        ),
    ]
    if args.source is not None:
        cmd = [sys.executable, "-c", READ, str(args.source), str(export), args.stage]
        sides.append((f"{what}, {args.source}", cmd))
    runs = timing.interleaved([(cmd, None, None) for _, cmd in sides], args.repeat)
    base = runs[0]
    lines = [
        f"## Reading {args.links:,} links (Semrush CSV, {size_mb:,.0f} MB), {what}",
        "",
        timing.machine() + f" Median of {args.repeat}, sides in turns.",
        "",
        f"Command: `python bench/read.py --links {args.links} --stage {args.stage}"
        + (f" --source {args.source}" if args.source else "")
        + (" --check" if args.check else "")
        + f" --repeat {args.repeat}`",
        "",
        *([identity, ""] if identity else []),
        "| run | wall (s) | CPU (s) | peak RSS (MiB) | wall vs baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for (name, _), run in zip(sides, runs, strict=True):
        ratio = run.wall / base.wall
        lines.append(
            f"| {name} | {run.wall:.2f} | {run.cpu:.2f} | {run.peak:,.0f} | {ratio:.1f}x |"
        )
    timing.append(args.results, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
