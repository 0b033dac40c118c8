"""Benchmark: what ``linktox score`` builds after scoring (rollup, disavow file, console summary,
HTML report) from the per-link view of a large export, this checkout against another.

Scoring ten million links takes minutes; the summary outputs read only the per-link view it
leaves (``pipeline.stream.StreamResult.view``). So the view of one scored export is saved once
(``--links``, default 2,000,000, 50 pages per link, as the ten-million-link run) and repeated
``--copies`` times, each copy's referring domains and hosts renamed (``.r1``, ``.r2`` ...) so
that every copy is a set of sites of its own, as in a bigger profile. Each side then builds the
outputs from that view in its own process (``bench/timing.py``, in turns); a side's peak memory
includes the view itself, which is also reported alone.

Before timing, both checkouts' outputs are compared (rollup CSV, disavow file, summary text,
report HTML, by MD5): the benchmark stops unless they are identical.

Usage: ``python bench/summaries.py --source <checkout> [--links 2000000] [--copies 5]
[--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import timing  # noqa: E402
from bench.score import make_export  # noqa: E402

# Scores an export (this checkout) and saves its per-link view and target domains.
SAVE_VIEW = """
import json, sys
from pathlib import Path
from pipeline.config import load_params
from pipeline.importers import open_export
from pipeline.scoring import feature_params, load_bundle
from pipeline.stream import score_chunks
export, model, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
cfg = load_params(None)
bundle, _ = load_bundle(model, None)
stream = open_export(export, None, site=None, on_error="keep", chunk_rows=cfg.score.batch_size)
result = score_chunks(stream.chunks(), bundle, lambda batches: sum(b.height for b in batches),
                      n_reasons=cfg.score.reasons, params=feature_params(cfg, bundle),
                      progress=False, unit=stream.unit)
result.view.write_parquet(out)
out.with_suffix(".targets.json").write_text(json.dumps(list(result.target_domains)))
"""

# Builds every summary output from the repeated view with the checkout given first; prints
# the view's own size and the outputs' MD5s as JSON.
SUMMARIES = """
import hashlib, io, json, resource, sys
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import polars as pl
from rich.console import Console
from pipeline import outputs
view_path, copies = Path(sys.argv[2]), int(sys.argv[3])
targets = json.loads(view_path.with_suffix(".targets.json").read_text())
base = pl.read_parquet(view_path)
parts = [base]
for k in range(1, copies):
    parts.append(base.with_columns(
        (pl.col("ref_domain").cast(pl.String) + f".r{k}").cast(pl.Categorical),
        (pl.col("source_host").cast(pl.String) + f".r{k}").cast(pl.Categorical),
        pl.col("source_url").str.replace(r"^([a-z]+://[^/]+)", "${1}" + f".r{k}"),
    ))
view = pl.concat(parts)
del parts, base
view_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
when = datetime(2026, 1, 1, tzinfo=UTC)
rollup = outputs.domain_rollup(view, own_domains=targets, whitelist=[])
try:
    disavow = outputs.build_disavow(rollup, own_domains=targets, whitelist=[], merge_with=None,
                                    merge_name=None, generated_at=when, tool_version="bench",
                                    links=view)
except Exception as exc:  # over Google's limits: the refusal is compared instead
    disavow = f"refused: {exc}"
text = io.StringIO()
outputs.render_summary(view, rollup, Console(file=text, width=120))
report = outputs.render_report(view, rollup, title="bench", generated_at=when,
                               model_version="bench", counts=None)
md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
print(json.dumps({"links": view.height, "sites": rollup.height, "view_peak": view_peak,
                  "rollup": md5(rollup.write_csv()), "disavow": md5(disavow),
                  "summary": md5(text.getvalue()), "report": md5(report)}))
"""


def _outputs(source: Path, view: Path, copies: int) -> dict:
    cmd = [sys.executable, "-c", SUMMARIES, str(source), str(view), str(copies)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{source}: the summaries failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the other checkout")
    parser.add_argument("--links", type=int, default=2_000_000)
    parser.add_argument("--pages-per-link", type=int, default=50)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=str(ROOT / "data" / "models" / "bundle"))
    parser.add_argument("--results", type=Path, default=timing.RESULTS / "summaries.md")
    args = parser.parse_args()

    export = make_export(args.links, 99, args.pages_per_link)
    view = timing.WORK / f"view_{export.stem}.parquet"
    if not view.is_file():
        subprocess.run([sys.executable, "-c", SAVE_VIEW, str(export), args.model, str(view)],
                       check=True, cwd=ROOT)  # fmt: skip
    this, other = _outputs(ROOT, view, args.copies), _outputs(args.source, view, args.copies)
    keys = ("links", "sites", "rollup", "disavow", "summary", "report")
    if {k: this[k] for k in keys} != {k: other[k] for k in keys}:
        raise SystemExit(f"the outputs differ:\n this:  {this}\n other: {other}")
    sides = [
        ([sys.executable, "-c", SUMMARIES, str(source), str(view), str(args.copies)], None, None)
        for source in (ROOT, args.source)
    ]
    mine, theirs = timing.interleaved(sides, args.repeat)
    lines = [
        f"## Summary outputs of {this['links']:,} links ({this['sites']:,} referring sites): "
        f"rollup, disavow file, console summary, HTML report",
        "",
        timing.machine(),
        f"The view of `{export.name}` repeated {args.copies} times; medians of {args.repeat} "
        f"runs in turns. The view alone peaks at {this['view_peak']:,.0f} MiB. Outputs identical "
        f"(MD5 of the rollup {this['rollup'][:8]}, disavow {this['disavow'][:8]}, "
        f"report {this['report'][:8]}).",
        "",
        "| checkout | wall (s) | CPU (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|",
        f"| this ({ROOT.name}) | {mine.wall:.1f} | {mine.cpu:.1f} | {mine.peak:,.0f} |",
        f"| {args.source} | {theirs.wall:.1f} | {theirs.cpu:.1f} | {theirs.peak:,.0f} |",
        *timing.versus(mine, theirs, str(args.source)),
        "",
    ]
    timing.append(args.results, "\n".join(lines))


if __name__ == "__main__":
    main()
