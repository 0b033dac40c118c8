"""Benchmark: ``linktox spark score`` in local mode against ``linktox score`` on the same links.

Both score the same canonical Parquet file (a Semrush-shaped export of one attacked profile,
converted once with ``linktox convert``; the conversion is timed and reported apart) with the same
model, writing the scored links, the referring-domain rollup and the disavow file. The baseline
is the single-machine path in the same run. The two outputs are then compared link by link
(score, label, reasons) and the rollups row by row: a run whose results differ is reported as
such, never as a speed.

Usage: ``python bench/spark.py --links 1000000 [--pages-per-link 10] [--master local[2]]``

Peak memory is the peak of the summed resident memory of the command's whole process tree,
sampled every half second (for Spark: the driver, the JVM and every Python worker).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.score import WORK, make_export, measured  # noqa: E402

KEY = ("source_url", "target_url", "anchor")


def tree_measured(cmd: list[str], log: Path) -> tuple[float, float]:
    """Run ``cmd``; its wall time and the peak of its process tree's summed RSS (MiB)."""
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as err:
        proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        while proc.poll() is None:
            total = 0
            for member in [proc, *proc.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += member.memory_info().rss
            peak = max(peak, total)
            time.sleep(0.5)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed:\n{log.read_text()[-3000:]}")
    return wall, peak / 2**20


def _fingerprint(path: str) -> pl.LazyFrame:
    """Per link: a hash of its key, its score, label and a hash of its reasons (small to sort)."""
    return (
        pl.scan_parquet(path)
        .select(
            pl.struct(list(KEY)).hash(seed=7).alias("key"),
            pl.col("toxicity_score"),
            pl.col("label").cast(pl.String),
            pl.col("reasons").hash(seed=7).alias("reasons"),
        )
        .sort("key", "toxicity_score", "label", "reasons")
    )


def compare(single: Path, spark: Path, single_domains: Path, spark_domains: Path) -> str:
    """Which results differ between the two runs (``"identical"`` when none do)."""
    left = _fingerprint(str(single)).collect()
    right = _fingerprint(str(spark / "*.parquet")).collect()
    problems = []
    if left.height != right.height:
        problems.append(f"{left.height:,} vs {right.height:,} links")
    elif not left.equals(right):
        differ = pl.any_horizontal(pl.col(c).ne_missing(right[c]) for c in left.columns)
        problems.append(f"{left.filter(differ).height:,} links differ")
    if not pl.read_csv(single_domains).equals(pl.read_csv(spark_domains)):
        problems.append("rollups differ")
    return "; ".join(problems) or "identical"


def _passes(log: Path, patterns: dict[str, str]) -> str:
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    found = []
    for name, pattern in patterns.items():
        match = re.search(pattern, text)
        if match:
            found.append(f"{name} {match.group(1)} s")
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--pages-per-link", type=int, default=10)
    parser.add_argument("--model", default=str(ROOT / "data" / "models" / "bundle"))
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="8g")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "spark.md")
    args = parser.parse_args()
    os.environ["COLUMNS"] = "400"  # linktox's log lines unwrapped, so the passes can be read

    t0 = time.perf_counter()
    export = make_export(args.links, args.seed, args.pages_per_link)
    gen_s = time.perf_counter() - t0
    linktox = str(Path(sys.executable).with_name("linktox"))
    tag = f"{args.links}_{args.pages_per_link}"
    links = WORK / f"links_{tag}.parquet"
    convert_s = None
    if not links.exists():
        convert_s, _ = measured([linktox, "convert", str(export), "--out", str(links)])

    out = {name: WORK / f"{name}_{tag}" for name in ("single", "spark")}
    single_out, spark_out = out["single"].with_suffix(".parquet"), out["spark"]
    shutil.rmtree(spark_out, ignore_errors=True)
    domains = {name: WORK / f"{name}_{tag}_domains.csv" for name in out}
    disavow = {name: WORK / f"{name}_{tag}_disavow.txt" for name in out}
    common = ["--model", args.model]
    single_cmd = [
        linktox, "score", str(links), "--out", str(single_out), *common,
        "--domains", str(domains["single"]), "--disavow", str(disavow["single"]),
    ]  # fmt: skip
    spark_cmd = [
        linktox, "spark", "score", str(links), "--out", str(spark_out), *common,
        "--master", args.master, "--conf", f"spark.driver.memory={args.driver_memory}",
        "--conf", "spark.ui.showConsoleProgress=false",
        "--domains", str(domains["spark"]), "--disavow", str(disavow["spark"]),
    ]  # fmt: skip
    logs = {name: WORK / f"{name}_{tag}.log" for name in out}
    single_wall, single_peak = tree_measured(single_cmd, logs["single"])
    spark_wall, spark_peak = tree_measured(spark_cmd, logs["spark"])
    verdict = compare(single_out, spark_out, domains["single"], domains["spark"])
    entries = [
        [line for line in disavow[name].read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
        for name in ("single", "spark")
    ]
    if entries[0] != entries[1]:
        verdict += "; disavow entries differ"

    single_passes = _passes(
        logs["single"],
        {"read and prepare": r"prepared \d+ links in \d+ chunks \((\d+) s",
         "tables": r"profile tables: \d+ rows \((\d+) s",
         "score and write": r"wrote \d+ links \((\d+) s"},
    )  # fmt: skip
    spark_passes = _passes(
        logs["spark"],
        {"prepare": r"prepared \d+ links in \d+ partitions \((\d+) s",
         "tables": r"profile tables: \d+ rows, broadcast \((\d+) s",
         "score and write": r"wrote \d+ links to .* \((\d+) s",
         "rollup": r"rollup: \d+ referring domains \((\d+) s"},
    )  # fmt: skip
    converted = f"converted in {convert_s:.0f} s" if convert_s is not None else "converted earlier"
    lines = [
        f"## {args.links:,} links: Spark {args.master} vs one machine "
        f"(each link on {args.pages_per_link} pages of its source)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.1f} at the end; export generated in {gen_s:.0f} s and "
        f"{converted} (`linktox convert`, not counted). Results: **{verdict}**.",
        "",
        "| run | wall time (s) | links / s | peak RSS, process tree (MiB) | time vs baseline |",
        "|---|---:|---:|---:|---:|",
        f"| `linktox score` (baseline) | {single_wall:.1f} | {args.links / single_wall:,.0f} | "
        f"{single_peak:,.0f} | 1.0x |",
        f"| `linktox spark score --master {args.master}` | {spark_wall:.1f} | "
        f"{args.links / spark_wall:,.0f} | {spark_peak:,.0f} | {spark_wall / single_wall:.2f}x |",
        "",
        f"Passes (linktox's logs): one machine: {single_passes}; Spark: {spark_passes}.",
    ]
    text = "\n".join(lines) + "\n"
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    sys.stdout.write(text)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
