"""World versus real: the synthetic world's marginal distributions next to real Semrush exports.

Usage (from the repository root)::

    .venv/bin/python bench/real/world_vs_real.py --semrush DIR \
        --world before=data/raw/world.parquet [--world after=OTHER.parquet ...] \
        --out bench/results/world_vs_real.md

A model trained on a world that is cleaner than real profiles leans on signals that are exact
there and noisy in reality (issue 12). This puts a number on "cleaner": per column, the
two-sample Kolmogorov-Smirnov statistic for numbers and the total variation distance for
categories and flags (0 = same distribution, 1 = disjoint). Both sides are measured with
linktox's own importer, URL parser, anchor classifier and text helpers, so a difference is the
world's, not the ruler's. Only aggregates are written (medians, shares, distances); no row.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from scipy.stats import ks_2samp

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``bench.real`` importable
    sys.path.insert(0, str(ROOT))

from bench.real import linktox_adapter as adapter  # noqa: E402
from bench.real import sources  # noqa: E402
from bench.real.evaluate import PATTERN, distinct_files, find_exports  # noqa: E402
from bench.real.report import Report, num, pct, text, withhold_values, write_json  # noqa: E402

MAX_ROWS = 200_000
SEED = 12
MIN_VALUES = 100  # fewer non-null values than this on a side: the column is "not available"
TOP_CATEGORIES = 2  # categories shown in the table (the JSON has them all)
PROFILE = "_profile"  # one real export file, or one world site

KS, TV = "KS", "TV"
NUMERIC, SHARE, CATEGORY = "numeric", "share", "category"

# TLD groups: com, org, net apart (most links), then kinds of TLD rather than single ones.
_GROUPS = {"com": "com", "org": "org", "net": "net", "info": "info/biz", "biz": "info/biz"}
_INSTITUTIONAL = frozenset({"edu", "gov", "mil", "int"})


@dataclass(frozen=True)
class Measure:
    """One row of the table: a per-link value, its kind and the canonical columns it needs."""

    name: str
    kind: str  # NUMERIC (KS), SHARE (Bernoulli TV = |p1 - p2|) or CATEGORY (TV)
    needs: tuple[str, ...]
    expr: Callable[[], pl.Expr]
    about: str

    @property
    def distance(self) -> str:
        return KS if self.kind == NUMERIC else TV


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days().cast(pl.Float64)


def tld_group(tld: pl.Expr) -> pl.Expr:
    """The source TLD's group: com / org / net / info/biz / edu/gov, ccTLD, other gTLD, IP/none.

    A two-letter TLD is a country code; an IDN TLD (``xn--...``) or any longer one counts as
    other gTLD; numeric (an IP host) or missing is IP/none.
    """
    tld = tld.str.to_lowercase()
    grouped = pl.lit(None, dtype=pl.String)
    for value, group in reversed(list(_GROUPS.items())):
        grouped = pl.when(tld == value).then(pl.lit(group)).otherwise(grouped)
    return (
        pl.when(tld.is_null() | tld.str.contains(r"^[0-9]+$"))
        .then(pl.lit("IP/none"))
        .when(tld.is_in(list(_INSTITUTIONAL)))
        .then(pl.lit("edu/gov"))
        .when(grouped.is_not_null())
        .then(grouped)
        .when(tld.str.contains(r"^[a-z]{2}$"))
        .then(pl.lit("ccTLD"))
        .otherwise(pl.lit("other gTLD"))
    )


MEASURES: tuple[Measure, ...] = (
    Measure("page authority", NUMERIC, ("page_authority",), lambda: pl.col("page_authority"),
            "page_authority (Semrush Page ascore)"),
    Measure("domain authority", NUMERIC, ("domain_authority",),
            lambda: pl.col("domain_authority"), "domain_authority"),
    Measure("domain traffic", NUMERIC, ("domain_traffic",), lambda: pl.col("domain_traffic"),
            "domain_traffic"),
    Measure("external links", NUMERIC, ("external_links",), lambda: pl.col("external_links"),
            "outbound links on the linking page"),
    Measure("internal links", NUMERIC, ("internal_links",), lambda: pl.col("internal_links"),
            "internal links on the linking page"),
    Measure("title length", NUMERIC, ("source_title",),
            lambda: pl.col("source_title").str.len_chars(), "characters of source_title"),
    Measure("title words", NUMERIC, ("source_title",), lambda: pl.col("title_words"),
            "words (letter/digit runs) of source_title"),
    Measure("anchor length", NUMERIC, ("anchor",), lambda: pl.col("anchor_length"),
            "characters of the normalised anchor (0 = empty)"),
    Measure("anchor words", NUMERIC, ("anchor",), lambda: pl.col("anchor_words"),
            "words of the anchor"),
    Measure("URL path length", NUMERIC, ("source_url",), lambda: pl.col("path_length"),
            "characters of the source URL's path"),
    Measure("URL path depth", NUMERIC, ("source_url",), lambda: pl.col("path_depth"),
            "non-empty path segments of the source URL"),
    Measure("first-seen age", NUMERIC, ("first_seen",),
            lambda: _days(pl.col("first_seen").max().over(PROFILE), pl.col("first_seen")),
            "days from a link's first_seen to the newest first_seen of its profile (export "
            "file / world site): how a profile's links spread over time"),
    Measure("seen span", NUMERIC, ("first_seen", "last_seen"),
            lambda: _days(pl.col("last_seen"), pl.col("first_seen")),
            "days from first_seen to last_seen"),
    Measure("nofollow", SHARE, ("nofollow",), lambda: pl.col("nofollow"), "share nofollow"),
    Measure("ugc", SHARE, ("ugc",), lambda: pl.col("ugc"), "share ugc"),
    Measure("sponsored", SHARE, ("sponsored",), lambda: pl.col("sponsored"), "share sponsored"),
    Measure("sitewide", SHARE, ("sitewide",), lambda: pl.col("sitewide"), "share sitewide"),
    Measure("query present", SHARE, ("source_url",), lambda: pl.col("query_params") > 0,
            "share of source URLs with a query string"),
    Measure("https", SHARE, ("source_url",), lambda: pl.col("https"),
            "share of https source URLs"),
    Measure("anchor class", CATEGORY, ("anchor",), lambda: pl.col("anchor_class"),
            "linktox's anchor classifier (brand, url, money_exact, generic, other, ...)"),
    Measure("link type", CATEGORY, ("link_type",), lambda: pl.col("link_type"), "link_type"),
    Measure("language", CATEGORY, ("source_language",), lambda: pl.col("source_language"),
            "source_language"),
    Measure("title script", CATEGORY, ("source_title",), lambda: pl.col("title_script"),
            "writing script of source_title (linktox's add_script): the language proxy that "
            "Semrush exports allow"),
    Measure("TLD group", CATEGORY, ("source_url",), lambda: tld_group(pl.col("source_tld")),
            "com / org / net / info/biz / edu/gov / ccTLD / other gTLD / IP/none"),
)  # fmt: skip


def ks_distance(a: pl.Series, b: pl.Series) -> float:
    """Two-sample KS statistic of two numeric samples (nulls dropped)."""
    return float(ks_2samp(a.drop_nulls().to_numpy(), b.drop_nulls().to_numpy()).statistic)


def distribution(values: pl.Series) -> dict[str, float]:
    """Category -> share of the non-null values, most common first."""
    counts = values.drop_nulls().cast(pl.String).value_counts(sort=True, name="n")
    total = counts["n"].sum()
    return {row[values.name]: row["n"] / total for row in counts.iter_rows(named=True)}


def tv_distance(p: dict[str, float], q: dict[str, float]) -> float:
    """Total variation distance of two category distributions: half the L1 distance."""
    return 0.5 * sum(abs(p.get(key, 0.0) - q.get(key, 0.0)) for key in set(p) | set(q))


def share(values: pl.Series) -> float:
    """Share of True among the non-null values."""
    mean = values.drop_nulls().cast(pl.Float64).mean()
    return float("nan") if mean is None else float(mean)  # type: ignore[arg-type]


def summarise(measure: Measure, values: pl.Series) -> dict[str, Any]:
    """What the table and the JSON show of one side: n, and median/quantiles, share or shares."""
    present = values.drop_nulls()
    out: dict[str, Any] = {"n": present.len()}
    if measure.kind == NUMERIC:
        floats = present.cast(pl.Float64)
        for q in (0.1, 0.5, 0.9):
            out[f"p{int(q * 100)}"] = floats.quantile(q, "nearest")
    elif measure.kind == SHARE:
        out["share"] = share(present)
    else:
        out["shares"] = distribution(present)
    return out


def compare(
    measure: Measure, real: pl.Series, world: pl.Series, real_summary: dict[str, Any]
) -> tuple[dict[str, Any], float | None]:
    """The world's summary and its distance to the real side (None when it has no data)."""
    summary = summarise(measure, world)
    if summary["n"] < MIN_VALUES:
        return summary, None
    if measure.kind == NUMERIC:
        return summary, ks_distance(real, world)
    if measure.kind == SHARE:
        return summary, abs(real_summary["share"] - summary["share"])
    return summary, tv_distance(real_summary["shares"], summary["shares"])


def measure_frame(links: pl.DataFrame) -> pl.DataFrame:
    """Every measure's per-link value, from canonical links with ``PROFILE`` and link shapes.

    A measure whose canonical columns are all null gives a null column (not available).
    """
    columns = []
    for measure in MEASURES:
        filled = all(links[name].null_count() < links.height for name in measure.needs)
        expr = measure.expr() if filled else pl.lit(None)
        columns.append(expr.alias(measure.name))
    return links.select(columns)


def sample(frame: pl.DataFrame, max_rows: int, seed: int) -> pl.DataFrame:
    """At most ``max_rows`` rows, drawn with a fixed seed (all rows when fewer)."""
    return frame if frame.height <= max_rows else frame.sample(max_rows, seed=seed)


def measured(links: pl.DataFrame, max_rows: int, seed: int) -> pl.DataFrame:
    """Sample canonical links (``PROFILE`` added), then measure them with linktox's features.

    The first-seen age needs the whole profile's newest date, so it is taken before sampling.
    """
    links = links.with_columns(
        _days(pl.col("first_seen").max().over(PROFILE), pl.col("first_seen")).alias("_age")
    )
    links = sample(links, max_rows, seed)
    shapes = adapter.link_shapes(links.select(adapter.canonical_columns()))
    frame = measure_frame(pl.concat([links, shapes], how="horizontal"))
    if links["first_seen"].null_count() < links.height:
        frame = frame.with_columns(links["_age"].alias("first-seen age"))
    return frame


def coverage(links: pl.DataFrame) -> dict[str, float]:
    """Per canonical column, the share of links where it is filled."""
    return {
        name: 1 - links[name].null_count() / max(links.height, 1)
        for name in adapter.canonical_columns()
    }


def read_real(folder: Path) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Every distinct real export through linktox's importer, one profile per file."""
    found = find_exports(folder)
    files, duplicates = distinct_files(found)
    frames: list[pl.DataFrame] = []
    refused: list[str] = []
    skipped = 0
    formats: dict[str, int] = {}
    for index, path in enumerate(files):
        try:
            read = adapter.read_links(path, on_error="skip")
        except adapter.ExportRefused as exc:
            refused.append(withhold_values(str(exc), str(path)))
            continue
        skipped += read.skipped
        formats[read.format] = formats.get(read.format, 0) + 1
        frames.append(adapter.conform(read.links.with_columns(pl.lit(index).alias(PROFILE))))
    links = pl.concat(frames) if frames else pl.DataFrame()
    corpus = {
        "pattern": PATTERN,
        "files_found": len(found),
        "duplicates_dropped": duplicates,
        "files_read": len(frames),
        "files_refused": len(refused),
        "refusals": refused,
        "formats": formats,
        "rows_skipped": skipped,
        "links": links.height,
    }
    return links, corpus


def read_world(path: Path) -> pl.DataFrame:
    """A world parquet file (canonical columns), one profile per synthetic site."""
    world = pl.read_parquet(path)
    key = (
        pl.col("site")
        if "site" in world.columns
        else pl.col("target_url").str.extract(r"^[A-Za-z][A-Za-z0-9+.\-]*://([^/?#:]+)", 1)
    )
    return adapter.conform(world.with_columns(key.cast(pl.String).alias(PROFILE)))


def world_arg(value: str) -> tuple[str, Path]:
    """``label=path`` of a ``--world`` argument."""
    label, sep, path = value.partition("=")
    if not sep or not label or not path:
        raise argparse.ArgumentTypeError(f"expected LABEL=PATH, got {value!r}")
    return label, Path(path)


def build_rows(
    real: pl.DataFrame, worlds: dict[str, pl.DataFrame]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the table (measures with data on the real side) and the measures left out."""
    rows: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for measure in MEASURES:
        real_summary = summarise(measure, real[measure.name])
        if real_summary["n"] < MIN_VALUES:
            missing.append({"column": measure.name, "needs": list(measure.needs), "side": "real"})
            continue
        row: dict[str, Any] = {
            "column": measure.name,
            "measure": measure.distance,
            "about": measure.about,
            "real": real_summary,
            "worlds": {},
        }
        for label, world in worlds.items():
            summary, distance = compare(
                measure, real[measure.name], world[measure.name], real_summary
            )
            row["worlds"][label] = {**summary, "distance": distance}
        if all(side["distance"] is None for side in row["worlds"].values()):
            missing.append({"column": measure.name, "needs": list(measure.needs), "side": "world"})
            continue
        rows.append(row)
    return rows, missing


def cell(kind: str, summary: dict[str, Any], categories: Sequence[str]) -> str:
    """A side's value in the table: median, share, or the shares of the real top categories."""
    if summary["n"] < MIN_VALUES:
        return "n/a"
    if kind == NUMERIC:
        return num(summary["p50"])
    if kind == SHARE:
        return pct(summary["share"])
    shares = summary["shares"]
    return " · ".join(f"{key} {pct(shares.get(key, 0.0))}" for key in categories)


def distance_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table_rows(rows: list[dict[str, Any]], labels: list[str]) -> list[dict[str, Any]]:
    """Flat rows for the markdown table, plus a last row with each world's mean distance."""
    kinds = {measure.name: measure.kind for measure in MEASURES}
    flat: list[dict[str, Any]] = []
    for row in rows:
        kind = kinds[row["column"]]
        top = list(row["real"].get("shares", {}))[:TOP_CATEGORIES]
        entry = {
            "column": row["column"],
            "measure": row["measure"],
            "real": cell(kind, row["real"], top),
        }
        for label in labels:
            side = row["worlds"][label]
            entry[f"{label}_value"] = cell(kind, side, top)
            entry[f"{label}_distance"] = distance_text(side["distance"])
        flat.append(entry)
    mean = {"column": "**mean distance**", "measure": "", "real": ""}
    for label in labels:
        values = [row["worlds"][label]["distance"] for row in rows]
        known = [value for value in values if value is not None]
        mean[f"{label}_value"] = f"{len(known)} columns"
        mean[f"{label}_distance"] = distance_text(sum(known) / len(known) if known else None)
    flat.append(mean)
    return flat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semrush", type=Path, required=True, help="folder of *-backlinks.csv")
    parser.add_argument(
        "--world", type=world_arg, action="append", required=True, metavar="LABEL=PATH"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/world_vs_real.md")
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, help="rows sampled per side")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    command = "python bench/real/world_vs_real.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    labels = [label for label, _ in args.world]
    if len(set(labels)) != len(labels):
        parser.error("--world labels must be distinct")
    adapter.quiet()

    real_links, corpus = read_real(args.semrush)
    if real_links.height == 0:
        raise SystemExit(f"no readable {PATTERN} under {args.semrush}")
    world_links = {label: read_world(path) for label, path in args.world}
    filled = {"real": coverage(real_links)}
    filled.update({label: coverage(links) for label, links in world_links.items()})
    real = measured(real_links, args.max_rows, args.seed)
    worlds = {
        label: measured(links, args.max_rows, args.seed) for label, links in world_links.items()
    }
    rows, missing = build_rows(real, worlds)

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = adapter.linktox_commit()
    semrush = sources.describe(args.semrush)
    world_info = [
        {
            "label": label,
            **sources.describe(path),
            "links": world_links[label].height,
            "sampled": worlds[label].height,
        }
        for label, path in args.world
    ]
    report = Report("World versus real: marginal distributions, column by column")
    report.line(f"Measured {date} with linktox commit `{commit}`.")
    report.line()
    report.line("Command:")
    report.line()
    report.parts += ["```sh", command, "```", ""]
    report.console.print(command, markup=False, highlight=False)
    report.line(
        f"Real side: {corpus['files_read']} distinct Semrush Backlinks exports "
        f"({corpus['files_found']} found, {corpus['duplicates_dropped']} byte-identical copies "
        f"dropped, {corpus['files_refused']} refused by the importer, "
        f"{corpus['rows_skipped']:,} rows skipped) from `{semrush['repository']}` at "
        f"`{semrush['commit']}`: {corpus['links']:,} links, {real.height:,} sampled "
        f"(seed {args.seed}). Each file is one profile, read through linktox's importer."
    )
    report.line()
    for info in world_info:
        report.line(
            f"World `{info['label']}`: `{info['path']}` (checkout `{info['repository']}` at "
            f"`{info['commit']}`, md5 `{info['md5']}`), {info['links']:,} links, "
            f"{info['sampled']:,} measured; one profile per site."
        )
    report.line()
    report.line(
        "Distance: **KS** = two-sample Kolmogorov-Smirnov statistic (numbers; the real cell is "
        "the median); **TV** = total variation distance (categories: the real cell is its two "
        "most common, each world cell the same categories; flags: |p_real − p_world|, the cell "
        "the share). 0 = same distribution, 1 = disjoint. Nulls are left out on both sides."
    )

    report.section("Distances")
    columns: list[tuple[str, str, Callable[[Any], str]]] = [
        ("column", "column", text),
        ("measure", "measure", text),
        ("real", "real", text),
    ]
    for label in labels:
        columns += [
            (f"{label}_value", label, text),
            (f"{label}_distance", f"{label} distance", text),
        ]
    report.table(table_rows(rows, labels), columns, "world versus real")

    report.section("Columns not compared")
    for item in missing:
        where = "the real exports" if item["side"] == "real" else "every world"
        report.line(f"- {item['column']}: `{', '.join(item['needs'])}` is empty in {where}.")
    report.line()
    report.line(
        f"A column is compared where both sides have at least {MIN_VALUES} non-null values. "
        "Semrush Backlinks exports carry no domain authority, traffic, language, IP, country or "
        "link context; the title script stands in for the language."
    )

    report.section("Filled share of each canonical column")
    fill_columns: list[tuple[str, str, Callable[[Any], str]]] = [
        ("column", "canonical column", text),
        ("real", "real", pct),
        *((label, label, pct) for label in labels),
    ]
    fill_rows = [
        {"column": name, **{side: shares[name] for side, shares in filled.items()}}
        for name in adapter.canonical_columns()
    ]
    report.table(fill_rows, fill_columns, "filled share")

    report.section("Measures")
    for measure in MEASURES:
        report.line(f"- **{measure.name}** ({measure.distance}): {measure.about}.")
    report.write(args.out)
    write_json(
        {
            "command": command,
            "date": date,
            "linktox_commit": commit,
            "seed": args.seed,
            "max_rows": args.max_rows,
            "min_values": MIN_VALUES,
            "semrush": {**semrush, **corpus, "sampled": real.height},
            "worlds": world_info,
            "filled": filled,
            "rows": rows,
            "not_compared": missing,
        },
        args.out.with_suffix(".json"),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
