"""The HTML audit report: one self-contained file, readable offline, safe with hostile text.

Charts are inline SVG bars whose geometry is computed here from the numbers (deterministic, no
matplotlib). The tables (every referring domain, every toxic and review link) are drawn by one
inline vanilla script (``templates/report.js``) from JSON embedded in the page, so they sort,
filter and search offline. Nothing is loaded from the network: no external CSS, JS, fonts or
images, and the page's Content-Security-Policy allows only its own script (by hash).
Anchors, URLs and reasons are written by strangers: the template is rendered with jinja2
autoescaping, the JSON is escaped for HTML (``tojson``), the script writes text with
``textContent`` only, and URLs are shown as text, never as links.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl
from markupsafe import Markup

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
    REASON_SEPARATOR,
    REASONS,
    REF_DOMAIN,
    REVIEW,
    REVIEW_LINKS,
    SOURCE_HOST,
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
from pipeline.outputs.rollup import DOMAIN_TOXIC_SHARE, SITE, link_sites, normalised_domain
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
SCRIPT = "report.js"

HISTOGRAM_BIN = 5.0  # score points per histogram bar
TOP_ANCHOR_CLASSES = 12
TOP_DOMAINS = 25  # rows of the "top toxic referring domains" table, with their disavow marks
MAX_TABLE_ROWS = 10_000  # rows per table in the report (the scored table and rollup have all)
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
_INDEX = "__index"


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
        scored.lazy()
        .filter(pl.col(score).is_not_null())
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
        .collect(engine="streaming")
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
        scored.lazy()
        .group_by(pl.col(anchor_class).alias(_CLASS), label)
        .agg(pl.len().alias(_COUNT))
        .collect(engine="streaming")
        # Missing classes are named after counting (an existing class may bear that name).
        .with_columns(pl.col(_CLASS).cast(pl.String).fill_null(UNKNOWN))
        .group_by(_CLASS, label)
        .agg(pl.col(_COUNT).sum())
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


def _marks(frame: pl.DataFrame) -> list[str]:
    """:func:`disavow_mark` of every row of a rollup (empty when it has no disavow columns)."""
    if DISAVOW not in frame.columns:
        return [""] * frame.height
    marks = frame.select(
        *(
            (pl.col(name) if name in frame.columns else pl.lit(None)).alias(name)
            for name in (DISAVOW, DISAVOW_URLS, PROTECTED, PLATFORM)
        )
    )
    # One call per referring site (the rollup's rows), not per link.
    return [
        disavow_mark(action, urls, protected, platform or "")
        for action, urls, protected, platform in marks.iter_rows()
    ]


def _is_protected(frame: pl.DataFrame) -> pl.Expr:
    """Own and whitelisted sites: never disavowed, whatever the model thinks of their links."""
    if PROTECTED not in frame.columns:
        return pl.lit(False)
    return pl.col(PROTECTED).is_in([OWN, WHITELISTED]).fill_null(False)


def _top_domains(rollup: pl.DataFrame, domain_label: str) -> list[dict[str, Any]]:
    """The worst toxic referring sites with what the disavow file does with each; own and
    whitelisted sites are left out (:func:`_protected_toxic` names them under the table)."""
    columns = [REF_DOMAIN, LINKS, TOXIC_LINKS, WORST_SCORE, MEAN_SCORE, TOP_REASONS]
    toxic = rollup.filter((pl.col(domain_label) == TOXIC) & ~_is_protected(rollup))
    top = toxic.head(TOP_DOMAINS)
    rows = top.select([c for c in columns if c in rollup.columns]).to_dicts()
    for row, mark in zip(rows, _marks(top), strict=True):
        row["disavow_mark"] = mark
    return rows


def _protected_toxic(rollup: pl.DataFrame, domain_label: str) -> dict[str, Any]:
    """Sites the model labels toxic that the user protects (own, whitelisted): their names with
    why (at most ``TOP_DOMAINS``) and how many there are."""
    protected = rollup.filter((pl.col(domain_label) == TOXIC) & _is_protected(rollup))
    head = protected.head(TOP_DOMAINS).select(pl.col(REF_DOMAIN).cast(pl.String), PROTECTED)
    return {
        "sites": [
            {"ref_domain": name, "why": _PROTECTED_AS[why]} for name, why in head.iter_rows()
        ],
        "total": protected.height,
    }


_PROTECTED_AS: dict[str, str] = {OWN: "your own site", WHITELISTED: "whitelisted"}


def _domain_rows(rollup: pl.DataFrame, domain_label: str) -> tuple[list[str], list[list[Any]]]:
    """The referring domains, worst first (at most ``MAX_TABLE_ROWS``): the domains table.

    Columns: domain, label, links, toxic links, review links, worst score, mean score, top
    reasons, what the disavow file does with it (:func:`disavow_mark`). Returns the domain names
    too (links point to their domain by position).
    """
    wanted = [REF_DOMAIN, domain_label, LINKS, TOXIC_LINKS, REVIEW_LINKS, WORST_SCORE,
              MEAN_SCORE, TOP_REASONS]  # fmt: skip
    frame = rollup.select(
        pl.col(c) if c in rollup.columns else pl.lit(None).alias(c) for c in wanted
    ).with_columns(pl.col(REF_DOMAIN).cast(pl.String), pl.col(TOP_REASONS).fill_null(""))
    head = frame.head(MAX_TABLE_ROWS)
    marks = _marks(rollup.head(MAX_TABLE_ROWS))
    rows = [[*row, mark] for row, mark in zip(head.iter_rows(), marks, strict=True)]
    return [row[0] for row in rows], rows


def _link_rows(
    scored: pl.DataFrame,
    domains: list[str],
    *,
    columns: dict[str, str],
) -> list[list[Any]] | None:
    """Toxic and review links, worst first (at most ``MAX_TABLE_ROWS``): URL, anchor, domain,
    label, score, reasons. The domain is its position in the domains table, or its name when the
    table was cut short.

    Whitelisted links are counted in the charts, not listed: the scored table has them, and
    listing them would make the report too large to mail. None when the frame has no URLs.
    """
    source_url, anchor = columns["source_url"], columns["anchor"]
    score, label, reasons = columns["score"], columns["label"], columns["reasons"]
    if source_url not in scored.columns:
        return None
    index = pl.DataFrame(
        {REF_DOMAIN: domains, _INDEX: list(range(len(domains)))},
        schema={REF_DOMAIN: pl.String, _INDEX: pl.Int64},
    )
    domain_col = columns["domain"]
    flagged = scored.lazy().filter(pl.col(label).cast(pl.String).is_in((TOXIC, REVIEW)))
    if domain_col in scored.columns and SOURCE_HOST in scored.columns:
        # A link's domain is its referring site, as in the rollup: on a hosting platform the
        # rollup found by its subdomains, the subdomain (decided on every link, not the flagged).
        sites = link_sites(scored, domain=domain_col, quiet=True)
        flagged = flagged.join(
            sites.select(domain_col, SOURCE_HOST, SITE).lazy(),
            on=[domain_col, SOURCE_HOST], how="left", nulls_equal=True, maintain_order="left",
        ).with_columns(pl.col(SITE).alias(domain_col))  # fmt: skip
    frame = (
        flagged.select(
            pl.col(source_url).cast(pl.String).fill_null("").alias("url"),
            (pl.col(anchor).cast(pl.String) if anchor in scored.columns else pl.lit(None))
            .fill_null("")
            .alias("anchor"),
            (
                normalised_domain(domain_col)
                if domain_col in scored.columns
                else pl.lit(None, pl.String)
            ).alias(REF_DOMAIN),
            pl.col(label).cast(pl.String).alias("label"),
            pl.col(score).cast(pl.Float64).alias("score"),
            pl.col(reasons).cast(pl.String).fill_null("").alias("reasons"),
        )
        .join(index.lazy(), on=REF_DOMAIN, how="left", maintain_order="left")
        # Ties in the links' order (a page linking twice with one score lists both).
        .sort(["score", "url"], descending=[True, False], nulls_last=True, maintain_order=True)
        .head(MAX_TABLE_ROWS)
        .collect(engine="streaming")
    )
    columns_out = ("url", "anchor", _INDEX, REF_DOMAIN, "label", "score", "reasons")
    return [
        [url, text, position if position is not None else domain, *rest]
        for url, text, position, domain, *rest in frame.select(columns_out).iter_rows()
    ]


def _flagged_count(scored: pl.DataFrame, label: str) -> int:
    flagged = pl.col(label).cast(pl.String).is_in((TOXIC, REVIEW))
    return int(scored.lazy().select(flagged.sum()).collect(engine="streaming").item())


def _change_rows(changes: dict[str, Any]) -> list[list[Any]]:
    """The domain changes of a diff: status, domain, links then and now, labels, worst, reasons."""
    from pipeline.outputs import changes as diff

    frame: pl.DataFrame = changes["domains"]
    wanted = [diff.STATUS, REF_DOMAIN, diff.OLD_LINKS, diff.NEW_LINKS, diff.OLD_DOMAIN_LABEL,
              diff.NEW_DOMAIN_LABEL, diff.OLD_WORST, diff.NEW_WORST, TOP_REASONS]  # fmt: skip
    return [list(row) for row in frame.select(wanted).head(MAX_TABLE_ROWS).iter_rows()]


def _dictionary(rows: list[list[Any]], position: int, words: dict[str, int]) -> None:
    """Replace the reasons at ``position`` of every row by the indices of its single reasons.

    Reasons repeat across thousands of links, and their combinations rarely do; sending each
    distinct reason once (``texts``) and every row as a short list of indices keeps the report
    small. The script joins them back with the separator, giving the original text.
    """
    for row in rows:
        text = row[position] or ""
        row[position] = [
            words.setdefault(part, len(words)) for part in text.split(REASON_SEPARATOR) if part
        ]


_LABEL_INDEX = {label: index for index, label in enumerate(LABELS)}


def _label_indices(rows: list[list[Any]], positions: tuple[int, ...]) -> None:
    """Labels as their index in ``LABELS`` (``labels`` in the data): thousands of rows carry one."""
    for row in rows:
        for position in positions:
            if row[position] is not None:
                row[position] = _LABEL_INDEX[row[position]]


def to_json(data: dict[str, Any]) -> Markup:
    """Compact JSON safe inside ``<script>``: ``<``, ``>``, ``&`` and ``'`` are escaped."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    # U+2028/2029 are line ends to old JavaScript parsers; JSON.parse takes them either way.
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def report_data(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    *,
    changes: dict[str, Any] | None = None,
    columns: dict[str, str] | None = None,
    domain_label: str = DOMAIN_LABEL,
) -> dict[str, Any]:
    """The tables the report's script renders, as plain JSON-ready lists (tested directly)."""
    columns = {**DEFAULT_COLUMNS, **(columns or {})}
    names, domains = _domain_rows(rollup, domain_label)
    links = _link_rows(scored, names, columns=columns)
    words: dict[str, int] = {}
    _dictionary(domains, 7, words)
    _dictionary(domains, 8, words)
    _label_indices(domains, (1,))
    if links is not None:
        _dictionary(links, 5, words)
        _label_indices(links, (3,))
    change_rows = None
    if changes is not None:
        change_rows = _change_rows(changes)
        _dictionary(change_rows, 8, words)
        _label_indices(change_rows, (4, 5))
    return {
        "totals": {
            "domains": rollup.height,
            "links": None if links is None else _flagged_count(scored, columns["label"]),
            "changes": None if changes is None else changes["domains"].height,
        },
        "labels": list(LABELS),
        "texts": list(words),
        "separator": REASON_SEPARATOR,
        "domains": domains,
        "links": links,
        "changes": change_rows,
    }


DEFAULT_COLUMNS: dict[str, str] = {
    "score": TOXICITY_SCORE,
    "label": LABEL,
    "reasons": REASONS,
    "source_url": SOURCE_URL,
    "anchor": ANCHOR,
    "domain": REF_DOMAIN,
}


@functools.cache
def _script() -> tuple[str, str]:
    """The report's script and its CSP hash (the page runs this script and nothing else)."""
    text = (resources.files("pipeline.outputs") / "templates" / SCRIPT).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"sha256-{digest}"


def _tick_margin(top: int) -> int:
    """Left margin of the histogram wide enough for its largest count label (11 px digits)."""
    return 12 + 7 * len(f"{top:,}")


def render_report(
    scored: pl.DataFrame,
    rollup: pl.DataFrame,
    *,
    title: str,
    generated_at: date | datetime,
    model_version: str,
    changes: dict[str, Any] | None = None,
    score: str = TOXICITY_SCORE,
    label: str = LABEL,
    reasons: str = REASONS,
    source_url: str = SOURCE_URL,
    anchor_class: str = ANCHOR_CLASS,
    anchor: str = ANCHOR,
    domain_label: str = DOMAIN_LABEL,
    counts: RowCounts | None = None,
) -> str:
    """The audit report as one HTML page.

    Headline numbers and charts are static HTML and SVG; the tables of referring domains and of
    toxic and review links (sortable, filterable, searchable) are drawn by one inline script
    from JSON embedded in the page. ``changes`` (from
    :func:`pipeline.outputs.changes.report_section`) adds the section of ``linktox diff``.
    Optional columns (``source_url``, ``anchor_class``, ``anchor``) are used when the frame has
    them; their sections are left out otherwise. With ``counts`` the report says what happened
    to the export's rows (repeats, rows without a score); each top toxic domain says what the
    disavow file does with it (``domain:`` line, URLs, spared), and own or whitelisted sites the
    model labels toxic are named under that table, never in it.
    """
    stats = summary_stats(scored, rollup, label=label, reasons=reasons, domain_label=domain_label)
    data = report_data(
        scored,
        rollup,
        changes=changes,
        columns={"score": score, "label": label, "reasons": reasons, "source_url": source_url,
                 "anchor": anchor},
        domain_label=domain_label,
    )  # fmt: skip
    script, script_hash = _script()
    histogram = _histogram(scored, score, label)
    change_chart = None
    if changes is not None:
        change_chart = _stacked_rows(changes["status_rows"], "domains")
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
            histogram=histogram,
            tick_margin=_tick_margin(histogram["max"]),
            domain_labels=_domain_labels(rollup, domain_label),
            top_domains=_top_domains(rollup, domain_label),
            protected_toxic=_protected_toxic(rollup, domain_label),
            anchor_classes=_anchor_classes(scored, anchor_class, label),
            changes=changes,
            change_chart=change_chart,
            data=data,
            data_json=to_json(data),
            script=script,
            script_hash=script_hash,
            chart_width=CHART_WIDTH,
            domain_share_pct=f"{100 * DOMAIN_TOXIC_SHARE:g}",
            row_lines=row_lines(counts) if counts is not None else [],
            domain_level_note=DOMAIN_LEVEL_NOTE if counts and counts.level == "domain" else "",
            medium_from_pct=f"{100 * MEDIUM_FROM:g}",
            high_above_pct=f"{100 * HIGH_ABOVE:g}",
        )
    )


def check_report_path(path: Path) -> None:
    """Refuse a report name a browser would not open as a page (before any long work)."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_EXTENSIONS:
        accepted = " or ".join(REPORT_EXTENSIONS)
        raise LinktoxError(f"{path}: the HTML report must be named *{accepted}")


def write_report(html: str, path: Path) -> None:
    """Write the report atomically; the name must end in ``.html`` or ``.htm``.

    Raises:
        LinktoxError: another extension (a browser would not open it as a page).
    """
    check_report_path(path)
    write_text_atomic(Path(path), html)
