"""The HTML audit report: one self-contained file, readable offline, safe with hostile text.

Charts are inline SVG bars whose geometry is computed here from the numbers (deterministic, no
matplotlib, no scripts). Nothing is loaded from the network: no external CSS, JS, fonts or
images. Anchors, URLs and reasons are written by strangers, so the template is rendered with
jinja2 autoescaping and URLs are shown as text, never as links.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl

from pipeline.errors import LinktoxError, write_text_atomic
from pipeline.outputs.columns import (
    ANCHOR,
    ANCHOR_CLASS,
    BY_DOMAIN,
    BY_URLS,
    DISAVOW,
    DISAVOW_URLS,
    DOMAIN_LABEL,
    LABEL,
    LABELS,
    LINKS,
    MEAN_SCORE,
    OWN,
    PLATFORM,
    PROTECTED,
    REASONS,
    REF_DOMAIN,
    SOURCE_URL,
    SPARED,
    TOP_REASONS,
    TOXIC,
    TOXIC_LINKS,
    TOXICITY_SCORE,
    WHITELISTED,
    WORST_SCORE,
)
from pipeline.outputs.disavow import format_generated_at
from pipeline.outputs.rollup import DOMAIN_TOXIC_SHARE
from pipeline.outputs.summary import (
    DOMAIN_LEVEL_NOTE,
    HIGH_ABOVE,
    MEDIUM_FROM,
    row_lines,
    summary_stats,
)

if TYPE_CHECKING:
    from pipeline.importers.core import RowCounts

REPORT_EXTENSIONS: tuple[str, ...] = (".html", ".htm")
TEMPLATE = "report.html"

HISTOGRAM_BIN = 5.0  # score points per histogram bar
TOP_DOMAINS = 25
TOP_LINKS = 50
TOP_ANCHOR_CLASSES = 12
UNKNOWN = "(unknown)"
OTHER_CLASSES = "(other classes)"

# Chart geometry, in SVG user units.
CHART_WIDTH = 640
HIST_HEIGHT = 200
BAR_AREA = 420  # width of the bars in horizontal charts, after the name column
BAR_HEIGHT = 18
BAR_GAP = 6
MAX_NAME = 24  # characters of a bar name before it is cut (the name column is 160 units wide)

_BIN = "__bin"
_COUNT = "__count"
_CLASS = "__class"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.outputs", "templates"),
        autoescape=True,  # every template, whatever its name: hostile anchors become text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _histogram(scored: pl.DataFrame, score: str, label: str) -> dict[str, Any]:
    """Stacked bars of links per score bin (width ``HISTOGRAM_BIN``), whitelist at the bottom."""
    n_bins = int(100 / HISTOGRAM_BIN)
    counts = (
        scored.filter(pl.col(score).is_not_null())
        .select(
            (pl.col(score).cast(pl.Float64) / HISTOGRAM_BIN)
            .floor()
            .clip(0, n_bins - 1)
            .cast(pl.Int64)
            .alias(_BIN),
            pl.col(label),
        )
        .group_by(_BIN, label)
        .agg(pl.len().alias(_COUNT))
    )
    table = {(b, lab): int(c) for b, lab, c in counts.iter_rows()}
    totals = [sum(table.get((b, lab), 0) for lab in LABELS) for b in range(n_bins)]
    top = max(totals, default=0) or 1
    width = CHART_WIDTH / n_bins
    bins = []
    for b in range(n_bins):
        y = float(HIST_HEIGHT)
        segments = []
        for lab in LABELS:
            count = table.get((b, lab), 0)
            height = HIST_HEIGHT * count / top
            y -= height
            if count:
                segments.append(
                    {"label": lab, "count": count, "y": round(y, 2), "height": round(height, 2)}
                )
        low = b * HISTOGRAM_BIN
        bins.append(
            {
                "x": round(b * width + 1, 2),
                "width": round(width - 2, 2),
                "range": f"{low:g}–{low + HISTOGRAM_BIN:g}",
                "total": totals[b],
                "segments": segments,
            }
        )
    ticks = [{"x": round(CHART_WIDTH * t / 100, 2), "text": f"{t}"} for t in range(0, 101, 25)]
    return {"bins": bins, "max": max(totals, default=0), "ticks": ticks, "height": HIST_HEIGHT}


def _stacked_rows(rows: list[tuple[str, dict[str, int]]], unit: str) -> dict[str, Any]:
    """Horizontal bars, one per named row, split by label (whitelist, review, toxic)."""
    top = max((sum(parts.values()) for _, parts in rows), default=0) or 1
    bars = []
    for index, (name, parts) in enumerate(rows):
        x = 0.0
        segments = []
        for lab in LABELS:
            count = parts.get(lab, 0)
            width = BAR_AREA * count / top
            if count:
                title = f"{name}: {count:,} {unit}" if name == lab else f"{name}, {lab}: {count:,}"
                segments.append(
                    {"label": lab, "title": title, "x": round(x, 2), "width": round(width, 2)}
                )
            x += width
        bars.append(
            {
                "name": name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…",
                "total": sum(parts.values()),
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "end": round(x, 2),
                "segments": segments,
            }
        )
    return {
        "bars": bars,
        "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "area": BAR_AREA,
    }


def _domain_labels(rollup: pl.DataFrame, domain_label: str) -> dict[str, Any]:
    counts = dict(rollup.group_by(domain_label).len().iter_rows())
    rows = [(lab, {lab: int(counts.get(lab, 0))}) for lab in reversed(LABELS)]
    return _stacked_rows(rows, "domains")


def _anchor_classes(scored: pl.DataFrame, anchor_class: str, label: str) -> dict[str, Any] | None:
    """Links per anchor class split by label; the rarest classes beyond the top are pooled."""
    if anchor_class not in scored.columns:
        return None
    counts = (
        scored.select(
            pl.col(anchor_class).cast(pl.String).fill_null(UNKNOWN).alias(_CLASS), pl.col(label)
        )
        .group_by(_CLASS, label)
        .agg(pl.len().alias(_COUNT))
    )
    parts: dict[str, dict[str, int]] = {}
    for name, lab, count in counts.iter_rows():
        parts.setdefault(name, {})[lab] = int(count)
    ordered = sorted(parts.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    if len(ordered) > TOP_ANCHOR_CLASSES:
        head, tail = ordered[: TOP_ANCHOR_CLASSES - 1], ordered[TOP_ANCHOR_CLASSES - 1 :]
        pooled: dict[str, int] = {}
        for _, class_parts in tail:
            for lab, count in class_parts.items():
                pooled[lab] = pooled.get(lab, 0) + count
        ordered = [*head, (OTHER_CLASSES, pooled)]
    return _stacked_rows(ordered, "links")


# How the report names what the disavow file does with a site (``disavow`` / ``protected``).
PROTECTED_MARKS: dict[str, str] = {
    OWN: "your own site: never disavowed",
    WHITELISTED: "whitelisted: not disavowed",
    SPARED: "covers a protected site: only its toxic URLs",
}


def disavow_mark(action: str | None, urls: int | None, protected: str | None, platform: str) -> str:
    """The report's words for one site's disavow decision."""
    if protected in (OWN, WHITELISTED):
        return PROTECTED_MARKS[protected]
    on = f" (on {platform}, never disavowed whole)" if platform else ""
    if action == BY_DOMAIN:
        return f"domain: line{on}"
    if action == BY_URLS:
        count = f"{urls:,} URL{'s' if urls != 1 else ''}" if urls is not None else "URLs"
        extra = f"; {PROTECTED_MARKS[SPARED]}" if protected == SPARED else ""
        return f"{count}{on}{extra}"
    return "not disavowed"


def _top_domains(rollup: pl.DataFrame, domain_label: str) -> list[dict[str, Any]]:
    columns = [REF_DOMAIN, LINKS, TOXIC_LINKS, WORST_SCORE, MEAN_SCORE, TOP_REASONS]
    toxic = rollup.filter(pl.col(domain_label) == TOXIC)
    rows = toxic.select([c for c in columns if c in rollup.columns]).head(TOP_DOMAINS).to_dicts()
    marks = toxic.head(TOP_DOMAINS).select(
        *(
            (pl.col(name) if name in toxic.columns else pl.lit(None)).alias(name)
            for name in (DISAVOW, DISAVOW_URLS, PROTECTED, PLATFORM)
        )
    )
    for row, (action, urls, protected, platform) in zip(rows, marks.iter_rows(), strict=True):
        row["disavow_mark"] = disavow_mark(action, urls, protected, platform or "")
    return rows


def _top_links(
    scored: pl.DataFrame,
    *,
    score: str,
    label: str,
    reasons: str,
    source_url: str,
    anchor: str,
    anchor_class: str,
) -> tuple[list[dict[str, Any]], bool, bool]:
    """The highest-scored toxic links (URL, anchor when known, class, score, reasons)."""
    if source_url not in scored.columns:
        return [], False, False
    has_anchor = anchor in scored.columns
    has_class = anchor_class in scored.columns
    selected = [
        pl.col(source_url).cast(pl.String).alias("url"),
        pl.col(score).alias("score"),
        pl.col(reasons).cast(pl.String).fill_null("").alias("reasons"),
    ]
    if has_anchor:
        selected.append(pl.col(anchor).cast(pl.String).fill_null("").alias("anchor"))
    if has_class:
        selected.append(pl.col(anchor_class).cast(pl.String).fill_null(UNKNOWN).alias("cls"))
    rows = (
        scored.filter(pl.col(label) == TOXIC)
        .sort(score, descending=True, nulls_last=True, maintain_order=True)
        .head(TOP_LINKS)
        .select(selected)
        .to_dicts()
    )
    return rows, has_anchor, has_class


def render_report(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    *,
    title: str,
    generated_at: date | datetime,
    model_version: str,
    score: str = TOXICITY_SCORE,
    label: str = LABEL,
    reasons: str = REASONS,
    source_url: str = SOURCE_URL,
    anchor_class: str = ANCHOR_CLASS,
    anchor: str = ANCHOR,
    domain_label: str = DOMAIN_LABEL,
    counts: RowCounts | None = None,
) -> str:
    """The audit report as one HTML page: headline numbers, three charts, top toxic domains/links.

    Optional columns (``source_url``, ``anchor_class``, ``anchor``) are used when the frame has
    them; their sections are left out otherwise. With ``counts`` the report says what happened
    to the export's rows (repeats, rows without a score); each top toxic domain says what the
    disavow file does with it (``domain:`` line, URLs, or protected: own, whitelisted).
    """
    stats = summary_stats(scored, rollup, label=label, reasons=reasons, domain_label=domain_label)
    links, has_anchor, has_class = _top_links(
        scored,
        score=score,
        label=label,
        reasons=reasons,
        source_url=source_url,
        anchor=anchor,
        anchor_class=anchor_class,
    )
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            generated_at=format_generated_at(generated_at),
            model_version=model_version,
            stats=stats,
            labels=LABELS,
            toxic_pct=f"{100 * stats['toxic_share']:.1f}",
            histogram=_histogram(scored, score, label),
            domain_labels=_domain_labels(rollup, domain_label),
            anchor_classes=_anchor_classes(scored, anchor_class, label),
            top_domains=_top_domains(rollup, domain_label),
            top_links=links,
            has_anchor=has_anchor,
            has_class=has_class,
            chart_width=CHART_WIDTH,
            domain_share_pct=f"{100 * DOMAIN_TOXIC_SHARE:g}",
            row_lines=row_lines(counts) if counts is not None else [],
            domain_level_note=DOMAIN_LEVEL_NOTE if counts and counts.level == "domain" else "",
            medium_from_pct=f"{100 * MEDIUM_FROM:g}",
            high_above_pct=f"{100 * HIGH_ABOVE:g}",
        )
    )


def write_report(html: str, path: Path) -> None:
    """Write the report atomically; the name must end in ``.html`` or ``.htm``.

    Raises:
        LinktoxError: another extension (a browser would not open it as a page).
    """
    path = Path(path)
    if path.suffix.lower() not in REPORT_EXTENSIONS:
        accepted = " or ".join(REPORT_EXTENSIONS)
        raise LinktoxError(f"{path}: the HTML report must be named *{accepted}")
    write_text_atomic(path, html)
