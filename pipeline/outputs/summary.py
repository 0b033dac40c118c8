"""The one-screen summary printed after ``linktox score``: labels, profile toxicity, top reasons.

The profile level follows Semrush's convention so that users can compare: the share of links
labelled toxic is *low* below 3%, *medium* from 3% to 10% inclusive, and *high* above 10%.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from models.explain import reason_pattern
from pipeline.outputs.columns import DOMAIN_LABEL, LABEL, LABELS, REASONS, TOXIC
from pipeline.outputs.rollup import split_reasons

if TYPE_CHECKING:
    from pipeline.importers.core import RowCounts

LOW, MEDIUM, HIGH = "low", "medium", "high"
MEDIUM_FROM = 0.03  # toxic share at which a profile becomes medium (inclusive)
HIGH_ABOVE = 0.10  # toxic share above which a profile is high (exclusive)
TOP_REASONS_SHOWN = 10

LABEL_STYLES: dict[str, str] = {"whitelist": "green", "review": "yellow", "toxic": "red"}
LEVEL_STYLES: dict[str, str] = {LOW: "green", MEDIUM: "yellow", HIGH: "bold red"}

_REASON = "__reason"
_COUNT = "__count"


class SummaryStats(TypedDict):
    """The numbers behind the summary (also logged and tested)."""

    links: int
    domains: int
    links_by_label: dict[str, int]  # every label present, zero when absent
    domains_by_label: dict[str, int]
    toxic_share: float  # share of links labelled toxic, 0-1
    level: str  # low / medium / high
    top_reasons: list[tuple[str, int]]  # (reason, toxic links citing it), most frequent first


def profile_level(toxic_share: float) -> str:
    """Semrush's profile level for a share (0-1) of toxic links: low, medium or high.

    Raises:
        ValueError: the share is outside 0-1 (a percentage passed by mistake).
    """
    if not 0.0 <= toxic_share <= 1.0:
        raise ValueError(f"toxic share must be between 0 and 1, got {toxic_share}")
    if toxic_share < MEDIUM_FROM:
        return LOW
    if toxic_share <= HIGH_ABOVE:
        return MEDIUM
    return HIGH


def _counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    counts = dict(frame.lazy().group_by(column).len().collect(engine="streaming").iter_rows())
    return {label: int(counts.get(label, 0)) for label in LABELS}


def top_reasons(
    scored: pl.DataFrame, *, label: str = LABEL, reasons: str = REASONS, limit: int | None = None
) -> list[tuple[str, int]]:
    """Individual reasons among toxic links with how many links cite them, most frequent first.

    Numbers are masked ("N other referring domains share this /24 subnet"), so one kind of
    reason is counted once whatever its value.
    """
    # Toxic links repeat a few reason strings: each distinct string is split once and counted
    # as often as it occurs (the same counts as splitting every link's, in far less memory).
    counted = (
        scored.lazy()
        .filter(pl.col(label) == TOXIC)
        .group_by(reasons)
        .agg(pl.len().alias(_COUNT))
        .collect(engine="streaming")
        .select(split_reasons(reasons).alias(_REASON), _COUNT)
        .explode(_REASON)
        .with_columns(reason_pattern(pl.col(_REASON).str.strip_chars()))
        .filter(pl.col(_REASON).is_not_null() & (pl.col(_REASON) != ""))
        .group_by(_REASON)
        .agg(pl.col(_COUNT).sum())
        .sort([_COUNT, _REASON], descending=[True, False])
    )
    if limit is not None:
        counted = counted.head(limit)
    return [(reason, int(count)) for reason, count in counted.iter_rows()]


def summary_stats(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    *,
    label: str = LABEL,
    reasons: str = REASONS,
    domain_label: str = DOMAIN_LABEL,
) -> SummaryStats:
    """Links and domains per label, the toxic share and level, the top reasons of toxic links."""
    links_by_label = _counts(scored, label)
    share = links_by_label[TOXIC] / scored.height if scored.height else 0.0
    return SummaryStats(
        links=scored.height,
        domains=rollup.height,
        links_by_label=links_by_label,
        domains_by_label=_counts(rollup, domain_label),
        toxic_share=share,
        level=profile_level(share),
        top_reasons=top_reasons(scored, label=label, reasons=reasons, limit=TOP_REASONS_SHOWN),
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


DOMAIN_LEVEL_NOTE = (
    "This export lists referring domains, not links: link-level signals (anchors, link "
    "attributes, the linking page) were absent, so each domain was scored as a link from its "
    "home page with the domain-level data the export has."
)


def row_lines(counts: RowCounts) -> list[tuple[str, str]]:
    """What happened to the export's rows, as (what, how many and where) pairs for the summary
    and the report: repeats counted once, rows kept without a score, cells left empty."""
    lines = [("Rows in the export", f"{counts.read:,}")]
    if counts.repeated:
        first = "; ".join(counts.repeated_examples[:3])
        lines.append(
            ("Repeated rows (counted once, scored as the first copy)",
             f"{counts.repeated:,} (first: {first})")
        )  # fmt: skip
    if counts.unscored:
        first = "; ".join(counts.unscored_examples[:2])
        lines.append(
            ("Rows kept without a score (label 'unscored')", f"{counts.unscored:,} ({first})")
        )
    if counts.skipped:
        first = "; ".join(counts.unscored_examples[:2])
        lines.append(("Rows left out (--on-error skip)", f"{counts.skipped:,} ({first})"))
    if counts.cells:
        lines.append(("Cells not understood (left empty)", f"{counts.cells:,}"))
    return lines


def summary_tables(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    *,
    label: str = LABEL,
    reasons: str = REASONS,
    domain_label: str = DOMAIN_LABEL,
    counts: RowCounts | None = None,
) -> list[Table]:
    """Three small tables that fit one screen: headline, labels, top reasons of toxic links.

    With ``counts`` (the importer's row accounting) the headline also says how many rows the
    export had, which repeated an earlier row and which could not be scored, and a
    domain-level export is said to lack link-level signals.
    """
    stats = summary_stats(scored, rollup, label=label, reasons=reasons, domain_label=domain_label)

    headline = Table(title="Backlink profile", show_header=False, title_justify="left")
    headline.add_column("what")
    headline.add_column("value", justify="right")
    if counts is not None:
        for what, value in row_lines(counts):
            headline.add_row(what, Text(value))
    headline.add_row("Links", f"{stats['links']:,}")
    headline.add_row("Referring domains", f"{stats['domains']:,}")
    headline.add_row("Toxic links", f"{100 * stats['toxic_share']:.1f}%")
    level = stats["level"]
    headline.add_row("Profile toxicity", Text(level.capitalize(), style=LEVEL_STYLES[level]))

    by_label = Table(title="By label", title_justify="left")
    by_label.add_column("Label")
    by_label.add_column("Links", justify="right")
    by_label.add_column("%", justify="right")
    by_label.add_column("Domains", justify="right")
    by_label.add_column("%", justify="right")
    for value in reversed(LABELS):  # toxic first: what the user acts on
        links = stats["links_by_label"][value]
        domains = stats["domains_by_label"][value]
        by_label.add_row(
            Text(value, style=LABEL_STYLES[value]),
            f"{links:,}",
            _pct(links, stats["links"]),
            f"{domains:,}",
            _pct(domains, stats["domains"]),
        )

    reasons_table = Table(title="Top reasons among toxic links", title_justify="left")
    reasons_table.add_column("Reason")
    reasons_table.add_column("Links", justify="right")
    reasons_table.add_column("% of toxic", justify="right")
    toxic_links = stats["links_by_label"][TOXIC]
    for reason, count in stats["top_reasons"]:
        # Text(), not a str: reasons may quote anchors, and rich would parse "[...]" as markup.
        reasons_table.add_row(Text(reason), f"{count:,}", _pct(count, toxic_links))
    if not stats["top_reasons"]:
        reasons_table.add_row(Text("no toxic links", style="dim"), "", "")
    if counts is not None and counts.level == "domain":
        headline.caption = DOMAIN_LEVEL_NOTE
        headline.caption_justify = "left"
    return [headline, by_label, reasons_table]


def render_summary(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    console: Console | None = None,
    *,
    label: str = LABEL,
    reasons: str = REASONS,
    domain_label: str = DOMAIN_LABEL,
    counts: RowCounts | None = None,
) -> None:
    """Print the summary tables (default: the stdout console of :mod:`pipeline.logs`)."""
    if console is None:
        from pipeline.logs import console as default_console

        console = default_console()
    for table in summary_tables(
        scored, rollup, label=label, reasons=reasons, domain_label=domain_label, counts=counts
    ):
        console.print(table)
