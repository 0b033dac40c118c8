"""URL-only evaluation: can linktox tell spam domains from legitimate ones from a URL alone?

A Google Search Console "Latest links" export carries nothing but the linking page and the day
Google last crawled it, so everything the model knows must come from the URL (and from the
profile the URLs form together). This writes such an export for two lists of domains, one page
per domain, scores it as ``linktox score --site example.com`` would, and reports ROC-AUC and label
shares for the two halves.

Usage::

    .venv/bin/python bench/real/url_only.py --spam FILE [--spam FILE ...] \
        --legit FILE [--legit FILE ...] --bundle data/models/bundle --out bench/results/url_only.md

A list file is plain text (one domain per line; ``domain:`` lines, URLs and ``#`` comments of a
disavow file are understood), Parquet or CSV with a ``domain`` column (any case: the Majestic
Million's ``Domain`` works). Domains are reduced to registrable domains as in ``weak_labels``;
hosting platforms and hosts with no known suffix are dropped, and a domain on both sides is kept
on the legitimate side only (as the weak labels leave popular domains out of the toxic ones).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``bench.real`` importable
    sys.path.insert(0, str(ROOT))

from bench.real import linktox_adapter as adapter  # noqa: E402
from bench.real import sources, stats  # noqa: E402
from bench.real import weak_labels as weak  # noqa: E402
from bench.real.report import Report, auc, num, pct, text, write_json  # noqa: E402

SITE = "example.com"
CRAWLED = "2026-08-01"
HEADER = ("Linking page", "Last crawled")
# Paths drawn for each page, the same way for both halves: the path must not give the class away.
# Generic paths are shared by many domains, as in a real export; an article's slug is the page's
# own ({slug}: a word pair drawn per row), since unrelated sites do not publish the same article.
PATHS: tuple[str, ...] = (
    "",
    "blog/",
    "about/",
    "resources/",
    "links/",
    "news/2026/07/{slug}/",
    "category/general/",
    "partners.html",
    "index.php?page=2",
)
SLUG_WORDS: tuple[str, ...] = (
    "spring", "update", "notes", "review", "guide", "week", "photos", "event", "results", "team",
    "travel", "recipe", "season", "report", "tips", "story", "market", "garden", "music", "plans",
)  # fmt: skip
SPAM, LEGIT = "spam", "legit"


def read_domains(path: Path) -> list[str]:
    """The domain names in a list file (text, disavow file, Parquet or CSV with a domain column)."""
    if path.suffix.lower() in (".parquet", ".csv"):
        frame = (
            pl.read_parquet(path)
            if path.suffix.lower() == ".parquet"
            else pl.read_csv(path, infer_schema_length=0)
        )
        column = next((c for c in frame.columns if c.lower() == "domain"), None)
        if column is None:
            raise SystemExit(f"{path}: no 'domain' column (columns: {', '.join(frame.columns)})")
        return frame.get_column(column).cast(pl.String).drop_nulls().to_list()
    return weak.list_entries(path.read_text(encoding="utf-8", errors="replace"))


def domain_sides(spam: list[str], legit: list[str]) -> pl.DataFrame:
    """Distinct registrable domains with their side (``spam`` or ``legit``), overlaps legit.

    Columns: ``key``, ``side``. Platforms (entries that are a public suffix) and entries with no
    known suffix are dropped; so are IP addresses (a GSC export names pages on sites).
    """
    frames = []
    for side, names in ((SPAM, spam), (LEGIT, legit)):
        entries = weak.entries_frame(side, names, popular=set())
        frames.append(
            entries.filter(
                pl.col(weak.EXCLUDED).is_null() & ~pl.col(weak.KEY).str.contains(r"^[\d.]+$")
            ).select(pl.col(weak.KEY).alias("key"), pl.lit(side).alias("side"))
        )
    both = pl.concat(frames).unique()
    legit_keys = both.filter(pl.col("side") == LEGIT).get_column("key")
    return both.filter((pl.col("side") == LEGIT) | ~pl.col("key").is_in(legit_keys.implode())).sort(
        "side", "key"
    )


def sample_sides(sides: pl.DataFrame, max_per_side: int | None, seed: int) -> pl.DataFrame:
    """At most ``max_per_side`` domains per side, drawn with ``seed`` (all when None)."""
    if max_per_side is None:
        return sides
    parts = []
    for side in (SPAM, LEGIT):
        mine = sides.filter(pl.col("side") == side)
        parts.append(
            mine.sample(min(max_per_side, mine.height), seed=seed) if mine.height else mine
        )
    return pl.concat(parts).sort("side", "key")


def gsc_links(sides: pl.DataFrame, seed: int) -> pl.DataFrame:
    """One linking page per domain, ``https://<domain>/<path>``, rows shuffled; deterministic.

    The path is drawn per row from :data:`PATHS` with the same odds on both sides.
    """
    rng = random.Random(seed)
    ordered = sides.sort("side", "key")
    picks = [
        PATHS[rng.randrange(len(PATHS))].replace(
            "{slug}", f"{rng.choice(SLUG_WORDS)}-{rng.choice(SLUG_WORDS)}"
        )
        for _ in range(ordered.height)
    ]
    pages = ordered.with_columns(
        (pl.lit("https://") + pl.col("key") + pl.lit("/") + pl.Series("path", picks)).alias(
            HEADER[0]
        ),
        pl.lit(CRAWLED).alias(HEADER[1]),
    )
    return pages.sample(fraction=1.0, shuffle=True, seed=seed)


def write_gsc_csv(pages: pl.DataFrame, path: Path) -> None:
    """The GSC "Latest links" CSV: ``Linking page,Last crawled``, UTF-8 as Search Console writes."""
    pages.select(HEADER).write_csv(path)


def evaluate(scored: pl.DataFrame, pages: pl.DataFrame) -> dict[str, Any]:
    """ROC-AUC of the score for spam vs legit, and label shares and spread per side."""
    joined = scored.join(
        pages.select(pl.col(HEADER[0]).alias("source_url"), "side"), on="source_url", how="left"
    )
    unmatched = joined.filter(pl.col("side").is_null()).height
    joined = joined.filter(pl.col("side").is_not_null())
    per_side = stats.summary(joined, "side").to_dicts()
    return {
        "roc_auc": stats.roc_auc(joined, pl.col("side") == SPAM, pl.col("side") == LEGIT),
        "links": joined.height,
        "unmatched_rows": unmatched,
        "per_side": per_side,
        "overall": stats.summary(joined).to_dicts()[0],
        "common": stats.top_scores(joined),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spam", type=Path, action="append", required=True)
    parser.add_argument("--legit", type=Path, action="append", required=True)
    parser.add_argument("--bundle", type=Path, default=ROOT / "data/models/bundle")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/url_only.md")
    parser.add_argument("--json", type=Path, default=None, help="default: --out with .json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-lookups",
        action="store_true",
        help="score without the category/popularity lookups (the name model stays)",
    )
    parser.add_argument("--max-per-side", type=int, default=None, help="sample domains per side")
    parser.add_argument("--label", default="current main", help="what is measured, for the header")
    parser.add_argument(
        "--write-csv",
        type=Path,
        default=None,
        help="also keep the generated GSC CSV here, to inspect it (keep it outside the repo)",
    )
    args = parser.parse_args(argv)
    json_out = args.json or args.out.with_suffix(".json")
    adapter.quiet()

    spam = [name for path in args.spam for name in read_domains(path)]
    legit = [name for path in args.legit for name in read_domains(path)]
    sides = sample_sides(domain_sides(spam, legit), args.max_per_side, args.seed)
    counts = dict(sides.group_by("side").len().iter_rows())
    if not counts.get(SPAM) or not counts.get(LEGIT):
        raise SystemExit(f"need domains on both sides, have {counts}")
    pages = gsc_links(sides, args.seed)
    model = adapter.load_model(args.bundle, lookups=not args.no_lookups)
    with tempfile.TemporaryDirectory(prefix="linktox-url-only-") as tmp:
        csv_path = Path(tmp) / "gsc_latest_links.csv"
        write_gsc_csv(pages, csv_path)
        if args.write_csv is not None:
            if args.write_csv.resolve().is_relative_to(ROOT):
                raise SystemExit("--write-csv must point outside the repository (real domains)")
            args.write_csv.write_bytes(csv_path.read_bytes())
        scored = adapter.score_export(csv_path, model, site=SITE, on_error="skip")
    result = evaluate(scored.links, pages)

    now = datetime.now(UTC)
    commit = adapter.linktox_commit()
    bundle_md5 = adapter.bundle_md5(args.bundle)
    inputs = [
        {"side": side, **sources.describe(path)}
        for side, paths in ((SPAM, args.spam), (LEGIT, args.legit))
        for path in paths
    ]
    report = Report(f"URL-only evaluation (GSC Latest links, --site {SITE}): {args.label}")
    report.line(f"Measured {now:%Y-%m-%d %H:%M} UTC with linktox commit `{commit}`.")
    bundle = sources.display_path(args.bundle)
    bands = adapter.cutoffs(model)
    report.line(
        f"Bundle: `{bundle}`, md5 `{bundle_md5}`; review band from {bands['review']}, toxic "
        f"from {bands['toxic']}. Seed {args.seed}."
    )
    report.line("")
    report.line("```sh")
    report.line(_command(args))
    report.line("```")
    report.section("Inputs")
    report.table(
        inputs,
        [
            ("side", "side", text),
            ("repository", "local copy (owner__name)", text),
            ("commit", "commit", text),
            ("path", "path", text),
            ("md5", "md5", text),
        ],
    )
    report.line(
        f"Domains: {counts[SPAM]:,} spam, {counts[LEGIT]:,} legit (one page each, format "
        f"detected as `{scored.format}`, {scored.skipped} rows skipped, "
        f"{result['unmatched_rows']} scored rows not matched back)."
    )
    report.section("Result")
    report.line(f"ROC-AUC (spam vs legit, score): {auc(result['roc_auc'])}")
    report.line("")
    report.line(
        "Most common scores: "
        + ", ".join(f"{row['toxicity_score']} ({pct(row['share'])})" for row in result["common"])
        + "."
    )
    report.line("")
    rows = [{**row, "file": row["side"]} for row in result["per_side"]]
    report.table(
        [*rows, {**result["overall"], "file": "both"}],
        [
            ("file", "side", text),
            ("links", "links", num),
            ("share_whitelist", "whitelist", pct),
            ("share_review", "review", pct),
            ("share_toxic", "toxic", pct),
            ("p10", "p10", num),
            ("p50", "p50", num),
            ("p90", "p90", num),
            ("distinct_scores", "distinct scores", num),
            ("plateau_share", "on top-3 scores", pct),
        ],
    )
    report.write(args.out)
    write_json(
        {
            "measured_at": now.isoformat(timespec="seconds"),
            "label": args.label,
            "linktox_commit": commit,
            "bundle": {"path": sources.display_path(args.bundle), "md5": bundle_md5},
            "cutoffs": bands,
            "seed": args.seed,
            "site": SITE,
            "inputs": inputs,
            "domains": counts,
            "format": scored.format,
            "skipped": scored.skipped,
            **result,
        },
        json_out,
    )
    print(f"wrote {args.out} and {json_out}", file=sys.stderr)


def _command(args: argparse.Namespace) -> str:
    parts = [".venv/bin/python bench/real/url_only.py"]
    parts += [f"--spam {path}" for path in args.spam]
    parts += [f"--legit {path}" for path in args.legit]
    parts += [f"--bundle {sources.display_path(args.bundle)}", f"--seed {args.seed}"]
    if args.max_per_side is not None:
        parts.append(f"--max-per-side {args.max_per_side}")
    parts.append(f"--out {sources.display_path(args.out)}")
    return " \\\n    ".join(parts)


if __name__ == "__main__":
    main()
