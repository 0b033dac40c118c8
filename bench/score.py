"""Benchmark: score a Semrush-shaped export end to end, next to polars reading and writing it.

End to end means what a user runs: ``linktox score EXPORT --out scored.csv --domains ...
--disavow ...`` (read, features, predict, reasons, write scored CSV, rollup and disavow). The
baseline, in the same run and on the same file, is polars alone reading the CSV and writing it
back: the floor any scorer of this file pays. Each side runs in its own process, and peak memory
is that process's maximum resident set size.

Usage: ``python bench/score.py --links 1000000 [--pages-per-link 10] [--model DIR]``

``--pages-per-link`` sets how many links each referring page of the drawn world carries (see
``make_export``): 10 gives about 20 links per referring domain; large profiles have more. At ten
million links even 150 leaves a disavow file over Google's 2 MB (measured: 4,457,060 bytes with
50, 3,307,526 bytes with 150), so ``linktox score`` refuses to write it and says so, and exits
non-zero; ``--no-disavow`` leaves the disavow file out of the run (the scored table and the
rollup are still written), so that the ten-million-link step of ``make bench`` records its row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "tmp"

BASELINE = """
import sys, polars as pl
frame = pl.read_csv(sys.argv[1], infer_schema_length=10000)
frame.write_csv(sys.argv[2])
"""


def measured(cmd: list[str], log: Path | None = None) -> tuple[float, float]:
    """Run ``cmd`` inside a small wrapper process that reports its own child's peak RSS.

    ``log`` receives the command's stderr (linktox logs how long each pass took there).
    """
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(p.stderr)\n"
        "print(json.dumps({'wall': wall, 'peak': peak, 'rc': p.returncode}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True)
    if log is not None:
        log.write_text(proc.stderr, encoding="utf-8")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed:\n{proc.stderr[-3000:]}")
    return out["wall"], out["peak"]


def make_export(links: int, seed: int, pages_per_link: int = 10) -> Path:
    """A Semrush Backlinks export of ``links`` rows (cached).

    A world of ``links / pages_per_link`` links is drawn, and each link repeated on that many
    pages of its source (``/page/N``): real large profiles have many links per referring
    domain (about 20 on average here), whereas the world gives each link a fresh page.
    """
    suffix = "" if pages_per_link == 10 else f"_p{pages_per_link}"
    path = WORK / f"semrush_{links}_{seed}{suffix}.csv"
    if path.exists():
        return path
    import polars as pl

    from pipeline.world import generate_world
    from pipeline.world.exports import write_semrush_csv

    WORK.mkdir(parents=True, exist_ok=True)
    base = generate_world(links // pages_per_link, seed, sites=["shop-under-attack"])
    pages = [
        base.with_columns(pl.col("source_url") + f"/page/{k}" if k else pl.col("source_url"))
        for k in range(pages_per_link)
    ]
    write_semrush_csv(pl.concat(pages), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--pages-per-link", type=int, default=10)
    parser.add_argument("--model", default=str(ROOT / "data" / "models" / "bundle"))
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--source", type=Path, default=None, help="score with another checkout of the code"
    )
    parser.add_argument(
        "--no-disavow",
        action="store_true",
        help="leave --disavow out (at ten million links the file is over Google's 2 MB)",
    )
    parser.add_argument("--label", default=None)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "score.md")
    args = parser.parse_args()

    t0 = time.perf_counter()
    export = make_export(args.links, args.seed, args.pages_per_link)
    gen_s = time.perf_counter() - t0
    size_mb = export.stat().st_size / 1e6
    linktox = [str(Path(sys.executable).with_name("linktox"))]
    if args.source is not None:  # python -c puts the current folder first: the source goes first
        code = "import sys; sys.path.insert(0, {!r}); sys.argv[0] = 'linktox'; "
        entry = "entry" if (args.source / "pipeline" / "entry.py").is_file() else "cli"
        code += f"from pipeline.{entry} import main; main()"
        linktox = [sys.executable, "-c", code.format(str(args.source))]
    out = WORK / "scored.csv"
    score_cmd = [
        *linktox, "score", str(export), "--out", str(out), "--model", args.model,
        "--domains", str(WORK / "domains.csv"),
    ]  # fmt: skip
    if not args.no_disavow:
        score_cmd += ["--disavow", str(WORK / "disavow.txt")]
    if args.label is None:
        args.label = "linktox score (end to end" + (
            ", no disavow file)" if args.no_disavow else ")"
        )
    rows = []
    if not args.skip_baseline:
        base_wall, base_peak = measured(
            [sys.executable, "-c", BASELINE, str(export), str(WORK / "baseline.csv")]
        )
        rows.append(("polars read_csv + write_csv (baseline)", base_wall, base_peak))
    wall, peak = measured(score_cmd, log=WORK / f"score_{args.links}.log")
    rows.append((args.label, wall, peak))

    lines = [
        f"## Scoring {args.links:,} links (Semrush CSV, {size_mb:,.0f} MB, "
        f"each link on {args.pages_per_link} pages of its source)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"export generated in {gen_s:.0f} s (not counted).",
        "",
        "| run | wall time (s) | links / s | peak RSS (MiB) | time vs baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    base = rows[0][1] if not args.skip_baseline else None
    for name, w, p in rows:
        ratio = f"{w / base:.1f}x" if base else "–"
        lines.append(f"| {name} | {w:.1f} | {args.links / w:,.0f} | {p:,.0f} | {ratio} |")
    text = "\n".join(lines) + "\n"
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    sys.stdout.write(text)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
