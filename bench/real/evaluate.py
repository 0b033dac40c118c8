"""Real-data evaluation: score every real Semrush export and compare with weak labels.

Usage (from the repository root; see bench/real/README.md for fetching the sources)::

    .venv/bin/python bench/real/evaluate.py --semrush DIR --disavow FILE [--disavow FILE ...] \
        --webspam FILE --majestic FILE --bundle data/models/bundle --out bench/results/real.md

There is no ground truth for real links, so this measures what can be measured: how the model
spreads real links over its bands and scores (a model that has not learnt the real world sends
everything to review or scores whole files identically), and how it agrees with weak labels:
domains named in public disavow files (toxic), WEBSPAM-UK2006 hosts, and popular domains from the
Majestic Million (expected whitelist). Only aggregate numbers are written; no row of the data.
"""

from __future__ import annotations

import argparse
import sys
import time
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
from bench.real.report import (  # noqa: E402
    Report,
    auc,
    num,
    pct,
    text,
    withhold_values,
    write_json,
)

PATTERN = "*-backlinks.csv"
MIN_LINKS = 500

FILE_COLUMNS = [
    ("file", "file", text),
    ("links", "links", num),
    ("share_whitelist", "whitelist", pct),
    ("share_review", "review", pct),
    ("share_toxic", "toxic", pct),
    ("p10", "p10", num),
    ("p50", "p50", num),
    ("p90", "p90", num),
    ("distinct_scores", "distinct scores", num),
    ("plateau_share", "on top-3 scores", pct),
]
GROUP_COLUMNS = [
    ("group", "group", text),
    ("domains", "domains", num),
    ("links", "links", num),
    ("share_whitelist", "whitelist", pct),
    ("share_review", "review", pct),
    ("share_toxic", "toxic", pct),
]


def find_exports(folder: Path) -> list[Path]:
    """Every Semrush backlinks export under ``folder``, in a stable order."""
    return sorted(folder.rglob(PATTERN), key=lambda path: str(path.relative_to(folder)))


def distinct_files(paths: list[Path]) -> tuple[list[Path], int]:
    """The files with distinct bytes (the first path of each), and how many copies were dropped.

    The corpus holds the same export saved in several folders; scoring each copy would count its
    links twice.
    """
    seen: set[str] = set()
    keep: list[Path] = []
    for path in paths:
        digest = sources.md5(path)
        if digest not in seen:
            seen.add(digest)
            keep.append(path)
    return keep, len(paths) - len(keep)


def score_corpus(
    files: list[Path], root: Path, model: adapter.Model
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Score each file as its own profile; refused files are recorded, never fatal."""
    frames: list[pl.DataFrame] = []
    runs: list[dict[str, Any]] = []
    for index, path in enumerate(files, 1):
        name = str(path.relative_to(root))
        start = time.perf_counter()
        try:
            scored = adapter.score_export(path, model, on_error="skip")
        except adapter.ExportRefused as exc:
            # The committed report gets linktox's message without cell values or local paths.
            error = withhold_values(str(exc), str(path))
            runs.append({"file": name, "status": "refused", "error": error})
            print(f"[{index}/{len(files)}] {name}: refused: {exc}", file=sys.stderr)
            continue
        seconds = time.perf_counter() - start
        runs.append(
            {
                "file": name,
                "status": "scored",
                "format": scored.format,
                "links": scored.links.height,
                "skipped": scored.skipped,
                "first_problem": withhold_values(scored.problems[0]) if scored.problems else None,
                "problems": len(scored.problems),
                "seconds": round(seconds, 2),
            }
        )
        frames.append(scored.links.with_columns(pl.lit(name).alias("file")))
        if index % 25 == 0 or index == len(files):
            print(f"[{index}/{len(files)}] scored", file=sys.stderr)
    if not frames:
        raise SystemExit("no file could be scored")
    return pl.concat(frames).with_columns(pl.col("file").cast(pl.Categorical)), runs


def per_file_rows(links: pl.DataFrame, min_links: int) -> tuple[list[dict], dict, int]:
    """Per-file stats for files of at least ``min_links`` links, the rest pooled in one row."""
    by_file = stats.summary(links, "file").with_columns(pl.col("file").cast(pl.String))
    big = by_file.filter(pl.col("links") >= min_links).sort("links", descending=True)
    small_files = by_file.filter(pl.col("links") < min_links).get_column("file")
    pooled = stats.summary(
        links.filter(pl.col("file").cast(pl.String).is_in(small_files.implode()))
    )
    pooled_row = {
        **pooled.to_dicts()[0],
        "file": f"{small_files.len()} files with < {min_links} links (pooled)",
    }
    rows = [{**row, "file": short_name(row["file"], by_file)} for row in big.to_dicts()]
    return rows, pooled_row, small_files.len()


def short_name(name: str, files: pl.DataFrame) -> str:
    """A file's name, with its folder when another file of the corpus has the same name."""
    path = Path(name)
    same = files.filter(pl.col("file").str.ends_with("/" + path.name)).height
    return path.name if same <= 1 else f"{path.name} ({path.parent.name})"


def group_row(name: str, links: pl.DataFrame, mask: pl.Expr) -> dict[str, Any]:
    return {"group": name, **stats.label_shares(links, mask)}


def weak_label_section(
    links: pl.DataFrame, entries: pl.DataFrame, names: list[str]
) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows: per list before exclusions, per list after (with label shares), list bookkeeping."""
    before = [group_row(name, links, pl.col(f"on_{name}")) for name in names]
    before.append(group_row("any list", links, pl.col("on_any_list")))
    after = [group_row(name, links, pl.col(f"toxic_{name}")) for name in names]
    after.append(group_row("combined (weak toxic)", links, pl.col("weak_toxic")))
    book = weak.exclusion_counts(entries).to_dicts()
    return before, after, book


def top_domains(links: pl.DataFrame, mask: pl.Expr, n: int = 10) -> list[dict[str, Any]]:
    """The weak-toxic referring domains with the most links (names come from the public lists)."""
    return (
        links.filter(mask)
        .group_by("key")
        .agg(
            pl.len().alias("links"),
            pl.col("file").n_unique().alias("files"),
            pl.col("toxicity_score").mean().alias("mean_score"),
            *((pl.col("label") == name).mean().alias(f"share_{name}") for name in stats.LABELS),
        )
        .sort(["links", "key"], descending=[True, False])
        .head(n)
        .rename({"key": "group"})
        .to_dicts()
    )


LEGIT_TOP = 10_000
LEGIT_CATEGORIES = ("press", "bank", "education")


def legitimate_keys(knowledge: Path, majestic: Path, top: int) -> set[str]:
    """Registrable domains expected to be whitelisted: the press, bank and education categories
    of the knowledge (the shipped table and the held-out one) and Majestic's first ``top``."""
    shipped = pl.read_parquet(knowledge / "domains.parquet")
    held = pl.read_parquet(knowledge / "heldout.parquet")
    spam_side = [g for g in adapter.SPAM_GROUPS if g in shipped.columns]
    names = set(
        shipped.filter(
            pl.any_horizontal(pl.col(g) for g in LEGIT_CATEGORIES)
            & ~pl.any_horizontal(pl.col(g) for g in spam_side)
        )["domain"]
    )
    names |= set(held.filter(pl.col("group").is_in(LEGIT_CATEGORIES))["domain"])
    table = pl.read_csv(majestic, infer_schema_length=0)
    ranked = table.with_columns(pl.col("GlobalRank").cast(pl.Int64, strict=False)).filter(
        pl.col("GlobalRank") <= top
    )
    names |= weak.popular_domains(ranked)
    return names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--semrush", type=Path, required=True, help="folder of *-backlinks.csv")
    parser.add_argument("--disavow", type=Path, action="append", required=True)
    parser.add_argument("--webspam", type=Path, required=True, help="WEBSPAM-UK2006 host labels")
    parser.add_argument("--majestic", type=Path, required=True, help="Majestic Million CSV")
    parser.add_argument("--bundle", type=Path, default=ROOT / "data/models/bundle")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/real.md")
    parser.add_argument("--json", type=Path, default=None, help="default: --out with .json")
    parser.add_argument("--min-links", type=int, default=MIN_LINKS)
    parser.add_argument(
        "--knowledge", type=Path, default=ROOT / "data/knowledge", help="shipped knowledge tables"
    )
    parser.add_argument(
        "--keep-duplicates", action="store_true", help="score byte-identical copies again"
    )
    parser.add_argument(
        "--toxic-cutoffs",
        type=float,
        nargs="+",
        default=[40.0, 45.0, 50.0, 60.0],
        help="other toxic cut-offs to show label shares for, next to the bundle's own",
    )
    parser.add_argument(
        "--save-links",
        type=Path,
        default=None,
        help="also write the scored, weak-labelled links to this Parquet file, for local analysis "
        "(row-level real data: keep it outside the repository)",
    )
    args = parser.parse_args(argv)
    json_out = args.json or args.out.with_suffix(".json")
    started = time.perf_counter()
    adapter.quiet()

    found = find_exports(args.semrush)
    files, duplicates = (found, 0) if args.keep_duplicates else distinct_files(found)
    model = adapter.load_model(args.bundle)
    links, runs = score_corpus(files, args.semrush, model)
    scored_runs = [run for run in runs if run["status"] == "scored"]
    refused = [run for run in runs if run["status"] == "refused"]

    popular = weak.popular_domains(pl.read_csv(args.majestic, infer_schema_length=0))
    names = [sources.list_name(path) for path in args.disavow]
    entries = pl.concat(
        [
            weak.entries_frame(
                name, weak.list_entries(path.read_text(encoding="utf-8", errors="replace")), popular
            )
            for name, path in zip(names, args.disavow, strict=True)
        ]
    )
    webspam = pl.read_csv(args.webspam, infer_schema_length=0)
    links = weak.label_links(links, entries, popular, webspam)
    if args.save_links is not None:
        if args.save_links.resolve().is_relative_to(ROOT):
            raise SystemExit("--save-links must point outside the repository (row-level data)")
        links.write_parquet(args.save_links)

    overall = stats.summary(links).to_dicts()[0]
    file_rows, pooled_row, n_small = per_file_rows(links, args.min_links)
    big_review = [row["share_review"] for row in file_rows]
    before, after, book = weak_label_section(links, entries, names)
    webspam_rows = [
        group_row(f"WEBSPAM-UK2006 {cls}", links, pl.col("webspam_class") == cls)
        for cls in ("spam", "nonspam", "undecided")
    ]
    popular_row = group_row("Majestic top (popular)", links, pl.col("popular"))
    rest_row = group_row(
        "neither (no weak label)", links, ~pl.col("weak_toxic") & ~pl.col("popular")
    )
    # Issue 12's legitimate group: press, bank or education category (shipped and held-out
    # knowledge) or Majestic's top 10,000; a blog on a platform is its own registrable domain.
    legit_keys = legitimate_keys(args.knowledge, args.majestic, LEGIT_TOP)
    legit_mask = pl.col("key").is_in(list(legit_keys)).fill_null(False) & ~pl.col("weak_toxic")
    legit_row = group_row(
        f"legitimate (press, bank, education or Majestic top {LEGIT_TOP:,})", links, legit_mask
    )
    weak_toxic = pl.col("weak_toxic")
    aucs = {
        "weak_toxic_vs_popular_links": stats.roc_auc(links, weak_toxic, pl.col("popular")),
        "weak_toxic_vs_popular_domains": stats.domain_roc_auc(links, weak_toxic, pl.col("popular")),
        "weak_toxic_vs_rest_links": stats.roc_auc(links, weak_toxic, ~weak_toxic),
        "webspam_spam_vs_nonspam_links": stats.roc_auc(
            links,
            (pl.col("webspam_class") == "spam").fill_null(False),
            (pl.col("webspam_class") == "nonspam").fill_null(False),
        ),
    }
    tops = top_domains(links, weak_toxic)
    bands = adapter.cutoffs(model)
    whatif = stats.toxic_cutoff_rows(
        links,
        bands["review"],
        sorted({bands["toxic"], *(c for c in args.toxic_cutoffs if c >= bands["review"])}),
        {"weak toxic": weak_toxic, "legitimate": legit_mask},
    )
    url_hits = int(links.get_column("url_hit").sum())
    skipped_total = sum(run["skipped"] for run in scored_runs)

    bundle_md5 = adapter.bundle_md5(args.bundle)
    commit = adapter.linktox_commit()
    inputs = {
        "semrush": sources.describe(args.semrush),
        **{name: sources.describe(path) for name, path in zip(names, args.disavow, strict=True)},
        "webspam": sources.describe(args.webspam),
        "majestic": sources.describe(args.majestic),
    }
    now = datetime.now(UTC)

    report = Report("Real-data evaluation (Semrush exports, weak labels)")
    report.line(f"Measured {now:%Y-%m-%d %H:%M} UTC with linktox commit `{commit}`.")
    report.line(
        f"Bundle: `{sources.display_path(args.bundle)}`, md5 `{bundle_md5}`; review band from "
        f"{bands['review']}, toxic from {bands['toxic']}."
    )
    report.line("")
    report.line("Command:")
    report.line("")
    report.line("```sh")
    report.line(_command(args))
    report.line("```")
    report.section("Sources (local copies of public repositories; not in this repository)")
    report.table(
        [{"input": key, **value} for key, value in inputs.items()],
        [
            ("input", "input", text),
            ("repository", "local copy (owner__name)", text),
            ("commit", "commit", text),
            ("path", "path", text),
            ("md5", "md5", text),
        ],
    )
    report.section("Corpus")
    corpus = {
        "files_found": len(found),
        "byte_identical_copies_dropped": duplicates,
        "files_scored": len(scored_runs),
        "files_refused": len(refused),
        "files_with_skipped_rows": sum(1 for run in scored_runs if run["skipped"]),
        "rows_skipped": skipped_total,
        "links": links.height,
        "referring_domains": links.get_column("key").n_unique(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    report.table(
        [{"what": key.replace("_", " "), "value": value} for key, value in corpus.items()],
        [("what", "what", text), ("value", "value", num)],
    )
    if refused:
        report.line("Files the importer refused (linktox's message):")
        report.line("")
        for run in refused:
            report.line(f"- `{Path(run['file']).name}`: {run['error']}")
    problem_runs = [run for run in scored_runs if run["skipped"] or run["problems"]]
    if problem_runs:
        report.line("")
        report.line("Files with skipped rows or unparsed cells (first problem named):")
        report.line("")
        report.table(
            [{**run, "file": Path(run["file"]).name} for run in problem_runs],
            [
                ("file", "file", text),
                ("links", "links kept", num),
                ("skipped", "rows skipped", num),
                ("first_problem", "first problem", text),
            ],
        )
    report.section("Overall")
    report.table([{**overall, "file": "all files"}], FILE_COLUMNS)
    common = stats.top_scores(links)
    report.line(
        "Most common scores: "
        + ", ".join(f"{row['toxicity_score']} ({pct(row['share'])})" for row in common)
        + "."
    )
    report.line("")
    report.line(
        f"Review share: {pct(overall['share_review'])} overall; among the {len(file_rows)} files "
        f"with ≥ {args.min_links} links, max {pct(max(big_review, default=None))}, "
        f"median {pct(_median(big_review))}."
    )
    report.section(f"Per file (≥ {args.min_links} links; smaller files pooled)")
    report.table([*file_rows, pooled_row], FILE_COLUMNS)
    report.section("Weak labels")
    report.line(
        "A link's source is matched by registrable domain (Public Suffix List with its private "
        "section, plus a short list of big platforms missing from it; IP hosts by IP). "
        "`domain:` entries, bare hosts and URL entries all count by their host's registrable "
        f"domain. Exact URL matches (loosely: no scheme, `www.` or trailing slash): {url_hits:,} "
        "links."
    )
    report.line("")
    report.line("List entries and exclusions (platform: the entry is a public suffix itself; "
                "popular: on the Majestic list; invalid: no known suffix):")  # fmt: skip
    report.line("")
    report.table(
        book,
        [
            ("list", "list", text),
            ("entries", "entries", num),
            ("url_entries", "URL entries", num),
            ("excluded_platform", "platform", num),
            ("excluded_popular", "popular", num),
            ("excluded_invalid", "invalid", num),
            ("kept_domains", "domains kept", num),
        ],
    )
    report.line("Links of the corpus on each list, before exclusions:")
    report.line("")
    report.table(before, GROUP_COLUMNS)
    report.line("Weak toxic (after exclusions): how linktox labels these links:")
    report.line("")
    report.table(after, GROUP_COLUMNS)
    report.line("Other weak-label groups:")
    report.line("")
    report.table([*webspam_rows, popular_row, legit_row, rest_row], GROUP_COLUMNS)
    report.line("ROC-AUC of the score:")
    report.line("")
    report.table(
        [{"what": key.replace("_", " "), "auc": value} for key, value in aucs.items()],
        [("what", "comparison", text), ("auc", "ROC-AUC", auc)],
    )
    report.line("Weak-toxic referring domains with the most links:")
    report.line("")
    report.table(
        tops,
        [
            ("group", "domain", text),
            ("links", "links", num),
            ("files", "files", num),
            ("mean_score", "mean score", num),
            ("share_whitelist", "whitelist", pct),
            ("share_review", "review", pct),
            ("share_toxic", "toxic", pct),
        ],
    )
    report.line(
        f"If the toxic cut-off were another (the review band still from {bands['review']}; "
        f"the bundle's own is {bands['toxic']}). Exact, because the scores users see depend on "
        "the review cut-off (the never-alone policy) but not on the toxic one:"
    )
    report.line("")
    order = {"all": 0, "weak toxic": 1, "legitimate": 2}
    report.table(
        [
            {
                **row,
                "cutoff": f"{row['toxic_cutoff']:g}"
                + (" (bundle)" if row["toxic_cutoff"] == bands["toxic"] else ""),
            }
            for row in sorted(whatif, key=lambda r: (order[str(r["group"])], r["toxic_cutoff"]))
        ],
        [
            ("group", "group", text),
            ("cutoff", "toxic from", text),
            ("links", "links", num),
            ("share_whitelist", "whitelist", pct),
            ("share_review", "review", pct),
            ("share_toxic", "toxic", pct),
        ],
    )
    report.write(args.out)
    write_json(
        {
            "measured_at": now.isoformat(timespec="seconds"),
            "linktox_commit": commit,
            "bundle": {"path": sources.display_path(args.bundle), "md5": bundle_md5},
            "cutoffs": bands,
            "sources": inputs,
            "corpus": corpus,
            "refused": [{"file": r["file"], "error": r["error"]} for r in refused],
            "overall": overall,
            "most_common_scores": common,
            "review_share": overall["share_review"],
            "review_share_files_min_links": {
                "min_links": args.min_links,
                "files": len(file_rows),
                "max": max(big_review, default=None),
                "median": _median(big_review),
            },
            "per_file": file_rows,
            "pooled_small_files": {**pooled_row, "files": n_small},
            "weak_labels": {
                "lists": book,
                "on_lists_before_exclusions": before,
                "weak_toxic": after,
                "webspam": webspam_rows,
                "popular": popular_row,
                "legitimate": legit_row,
                "no_weak_label": rest_row,
                "exact_url_hits": url_hits,
            },
            "roc_auc": aucs,
            "toxic_cutoff_whatif": whatif,
        },
        json_out,
    )
    print(f"wrote {args.out} and {json_out}", file=sys.stderr)


def _median(values: list[float]) -> float | None:
    return float(pl.Series(values).median()) if values else None


def _command(args: argparse.Namespace) -> str:
    parts = [".venv/bin/python bench/real/evaluate.py", f"--semrush {args.semrush}"]
    parts += [f"--disavow {path}" for path in args.disavow]
    parts += [f"--webspam {args.webspam}", f"--majestic {args.majestic}"]
    shown = sources.display_path
    parts += [f"--bundle {shown(args.bundle)}", f"--out {shown(args.out)}"]
    return " \\\n    ".join(parts)


if __name__ == "__main__":
    main()
