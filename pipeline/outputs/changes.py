"""What changed between two audits of one site: new, lost and kept links and referring domains.

The pure policy behind ``linktox diff``: frames in, frames and numbers out, no I/O.

**Matching.** Two exports rarely spell a link the same way (Semrush writes ``http://www.``,
Ahrefs ``https://``, a crawler appends ``?utm_source=``), so links are matched on a normalised
``(source URL, target URL)`` pair (:func:`url_key`) in which these are ignored:

* the scheme (``http``/``https``) and any port;
* the letter case of the host, a leading ``www.`` and a trailing dot;
* the fragment (``#...``);
* a trailing slash of the path (``/a/`` is ``/a``; an empty path is the root ``/``);
* tracking parameters (:data:`TRACKING_PARAMETERS`: ``utm_*``, ``gclid``, ``fbclid`` ...) and the
  order of the other query parameters.

The path's letter case and every other parameter count: ``/Page`` and ``/page`` are two pages.
Rows of one export that normalise to the same pair are one link (the worst-scored row speaks for
it). Referring domains are matched on the referring site of the rollup (the registrable domain,
or a subdomain on a hosting platform), the platforms decided on both exports' links together.

**Negative-SEO alert.** New toxic links arriving in a burst are the mark of an attack (a real
site gains links slowly, or in bursts of clean links after a launch). The alert fires when the new
links labelled toxic whose *first seen* dates fall within any :data:`ALERT_WINDOW_DAYS`
consecutive days number at least ``max(ALERT_MIN_LINKS, ALERT_MIN_SHARE × links of the old
profile)``. New toxic links without a first-seen date count as one window of their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
from rich.table import Table
from rich.text import Text

from features.schema import ANCHOR, FIRST_SEEN, SOURCE_URL, TARGET_URL
from features.urls import UrlParts, split_url
from pipeline.outputs.columns import (
    DOMAIN_LABEL,
    LABEL,
    LABELS,
    LINKS,
    REASONS,
    REF_DOMAIN,
    TOP_REASONS,
    TOXIC,
    TOXICITY_SCORE,
    WORST_SCORE,
)
from pipeline.outputs.rollup import domain_rollup, normalised_domain, shared_sites
from pipeline.outputs.summary import LABEL_STYLES, profile_level, top_reasons

# Link and domain statuses.
NEW, LOST, KEPT = "new", "lost", "kept"
STATUSES: tuple[str, ...] = (NEW, LOST, KEPT)

# Columns of the link and domain change tables.
STATUS = "status"
OLD_SCORE, NEW_SCORE = "old_score", "new_score"
OLD_LABEL, NEW_LABEL = "old_label", "new_label"
OLD_LINKS, NEW_LINKS = "old_links", "new_links"
OLD_WORST, NEW_WORST = "old_worst_score", "new_worst_score"
OLD_DOMAIN_LABEL, NEW_DOMAIN_LABEL = "old_domain_label", "new_domain_label"
LINK_CHANGE_COLUMNS: tuple[str, ...] = (
    STATUS,
    SOURCE_URL,
    TARGET_URL,
    REF_DOMAIN,
    ANCHOR,
    FIRST_SEEN,
    OLD_SCORE,
    OLD_LABEL,
    NEW_SCORE,
    NEW_LABEL,
    REASONS,
)
DOMAIN_CHANGE_COLUMNS: tuple[str, ...] = (
    STATUS,
    REF_DOMAIN,
    OLD_LINKS,
    NEW_LINKS,
    OLD_WORST,
    NEW_WORST,
    OLD_DOMAIN_LABEL,
    NEW_DOMAIN_LABEL,
    TOP_REASONS,
)

# Query parameters that only track a visit; they never make another page.
TRACKING_PARAMETERS: tuple[str, ...] = (
    "utm_*", "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "srsltid",
)  # fmt: skip
_TRACKING_RE = (
    "^(?:"
    + "|".join(p.replace("*", ".*") if p.endswith("*") else p for p in TRACKING_PARAMETERS)
    + ")$"
)

# The negative-SEO alert rule.
ALERT_WINDOW_DAYS = 7
ALERT_MIN_LINKS = 25
ALERT_MIN_SHARE = 0.02  # of the old profile's links

SOURCE_KEY = "_lt_source_key"
TARGET_KEY = "_lt_target_key"
_KEYS = (SOURCE_KEY, TARGET_KEY)
_ROWS = "_lt_rows"
_N = "_lt_n"


def url_key(lf: pl.LazyFrame, url: str, alias: str) -> pl.LazyFrame:
    """Add ``alias``: ``url`` normalised for matching (see the module docstring for the rules).

    ``HTTP://WWW.Example.com:80/a/?utm_source=x&b=2&a=1#top`` becomes ``example.com/a?a=1&b=2``.
    A URL without a host keeps its trimmed, lower-cased text.
    """
    parts = UrlParts(f"_lt_mk{alias}")
    lf = split_url(lf, url, parts)
    query = (
        pl.col(parts.query)
        .str.split("&")
        .list.eval(
            pl.element().filter(
                (pl.element() != "")
                & ~pl.element()
                .str.extract(r"^([^=]*)")
                .str.to_lowercase()
                .str.contains(_TRACKING_RE)
            )
        )
        .list.sort()
        .list.join("&")
    )
    host = pl.col(parts.host).str.replace(r"^www\.", "")
    path = pl.col(parts.path).str.strip_chars_end("/")
    key = host + path + pl.when(query.str.len_bytes() > 0).then("?" + query).otherwise(pl.lit(""))
    fallback = pl.col(url).cast(pl.String).str.strip_chars().str.to_lowercase()
    scratch = [parts.scheme, parts.host, parts.path, parts.query, parts.is_ip]
    return lf.with_columns(pl.coalesce(key, fallback).alias(alias)).drop(scratch)


def link_keys(links: pl.DataFrame) -> pl.DataFrame:
    """``links`` with the two matching keys (``SOURCE_KEY``, ``TARGET_KEY``) added."""
    lf = url_key(links.lazy(), SOURCE_URL, SOURCE_KEY)
    return url_key(lf, TARGET_URL, TARGET_KEY).collect()


def _one_row_per_link(keyed: pl.DataFrame) -> pl.DataFrame:
    """Rows that normalise to one link become one: the worst-scored row, and how many there were."""
    return (
        keyed.with_columns(pl.len().over(_KEYS).alias(_ROWS))
        .sort(TOXICITY_SCORE, descending=True, nulls_last=True, maintain_order=True)
        .unique(subset=list(_KEYS), keep="first", maintain_order=True)
    )


def diff_links(old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, int, int]:
    """One row per link of either export: ``LINK_CHANGE_COLUMNS``, new first, worst first.

    Both frames need ``source_url``, ``target_url``, ``ref_domain``, ``toxicity_score``, ``label``
    and ``reasons`` (``anchor``, ``first_seen`` and ``source_host`` are used when present). A
    kept link shows NEW's URLs, anchor and reasons; a lost one OLD's. ``ref_domain`` is the
    link's referring site, as in :func:`diff_domains`.

    Returns:
        The table, and how many rows of OLD and of NEW were merged into another by the matching
        rules (0 when every row is its own link).
    """
    sides = []
    merged = []
    for frame in shared_sites([old, new]):
        frame = frame.with_columns(
            *(pl.lit(None).alias(c) for c in (ANCHOR, FIRST_SEEN) if c not in frame.columns)
        )
        keyed = _one_row_per_link(link_keys(frame))
        merged.append(frame.height - keyed.height)
        sides.append(
            keyed.select(
                *_KEYS,
                SOURCE_URL,
                TARGET_URL,
                normalised_domain(REF_DOMAIN).alias(REF_DOMAIN),
                pl.col(ANCHOR).cast(pl.String),
                pl.col(FIRST_SEEN).cast(pl.Date),
                pl.col(TOXICITY_SCORE).cast(pl.Float64),
                pl.col(LABEL).cast(pl.String),
                pl.col(REASONS).cast(pl.String).fill_null(""),
            )
        )
    then, now = sides
    joined = then.join(now, on=list(_KEYS), how="full", coalesce=True, suffix="_new")

    def pick(column: str) -> pl.Expr:
        return pl.coalesce(pl.col(f"{column}_new"), pl.col(column)).alias(column)

    in_old = pl.col(LABEL).is_not_null()
    in_new = pl.col(f"{LABEL}_new").is_not_null()
    status = pl.when(in_old & in_new).then(pl.lit(KEPT)).when(in_new).then(pl.lit(NEW))
    table = joined.select(
        status.otherwise(pl.lit(LOST)).alias(STATUS),
        *(pick(c) for c in (SOURCE_URL, TARGET_URL, REF_DOMAIN, ANCHOR, FIRST_SEEN)),
        pl.col(TOXICITY_SCORE).alias(OLD_SCORE),
        pl.col(LABEL).alias(OLD_LABEL),
        pl.col(f"{TOXICITY_SCORE}_new").alias(NEW_SCORE),
        pl.col(f"{LABEL}_new").alias(NEW_LABEL),
        pl.when(in_new).then(pl.col(f"{REASONS}_new")).otherwise(pl.col(REASONS)).alias(REASONS),
    )
    order = pl.col(STATUS).replace_strict({s: i for i, s in enumerate(STATUSES)})
    # A total order (the target URL breaks ties between links of one page): the full join's row
    # order is not fixed, and the same exports must give the same table every time.
    table = table.sort(
        [order, pl.coalesce(NEW_SCORE, OLD_SCORE), SOURCE_URL, TARGET_URL],
        descending=[False, True, False, False],
        nulls_last=True,
    )
    return table.select(LINK_CHANGE_COLUMNS), merged[0], merged[1]


def diff_domains(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """One row per referring domain of either export (``DOMAIN_CHANGE_COLUMNS``).

    Each side is rolled up as ``linktox score`` rolls it up (its domain label and top reasons),
    then matched on the referring site (:func:`~pipeline.outputs.rollup.shared_sites`: the
    registrable domain, or a subdomain of a hosting platform). New first, then lost, then kept;
    worst first.
    """
    wanted = [LINKS, WORST_SCORE, DOMAIN_LABEL, TOP_REASONS]
    old, new = shared_sites([old, new])
    then = domain_rollup(old).select(REF_DOMAIN, *wanted)
    now = domain_rollup(new).select(REF_DOMAIN, *wanted)
    joined = then.join(now, on=REF_DOMAIN, how="full", coalesce=True, suffix="_new")
    in_old = pl.col(LINKS).is_not_null()
    in_new = pl.col(f"{LINKS}_new").is_not_null()
    table = joined.select(
        pl.when(in_old & in_new)
        .then(pl.lit(KEPT))
        .when(in_new)
        .then(pl.lit(NEW))
        .otherwise(pl.lit(LOST))
        .alias(STATUS),
        REF_DOMAIN,
        pl.col(LINKS).fill_null(0).alias(OLD_LINKS),
        pl.col(f"{LINKS}_new").fill_null(0).alias(NEW_LINKS),
        pl.col(WORST_SCORE).alias(OLD_WORST),
        pl.col(f"{WORST_SCORE}_new").alias(NEW_WORST),
        pl.col(DOMAIN_LABEL).alias(OLD_DOMAIN_LABEL),
        pl.col(f"{DOMAIN_LABEL}_new").alias(NEW_DOMAIN_LABEL),
        pl.coalesce(pl.col(f"{TOP_REASONS}_new"), pl.col(TOP_REASONS)).alias(TOP_REASONS),
    )
    order = pl.col(STATUS).replace_strict({s: i for i, s in enumerate(STATUSES)})
    return table.sort(
        [order, pl.coalesce(NEW_WORST, OLD_WORST), REF_DOMAIN],
        descending=[False, True, False],
        nulls_last=True,
    ).select(DOMAIN_CHANGE_COLUMNS)


@dataclass(frozen=True)
class BurstAlert:
    """The busiest window of new toxic links, and whether it crosses the alert threshold.

    ``start``/``end`` are None when the window is the new toxic links without a first-seen date.
    """

    fired: bool
    toxic_links: int
    toxic_domains: int
    threshold: int
    start: date | None
    end: date | None
    top_reasons: tuple[tuple[str, int], ...]

    @property
    def window(self) -> str:
        if self.start is None or self.end is None:
            return "first-seen date unknown"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def alert_threshold(old_links: int) -> int:
    """New toxic links within one window that raise the alert for a profile of ``old_links``."""
    return max(ALERT_MIN_LINKS, math.ceil(ALERT_MIN_SHARE * old_links))


def burst_alert(links: pl.DataFrame, old_links: int) -> BurstAlert | None:
    """The negative-SEO check on a :func:`diff_links` table (None: no new toxic link at all)."""
    threshold = alert_threshold(old_links)
    fresh = links.filter((pl.col(STATUS) == NEW) & (pl.col(NEW_LABEL) == TOXIC))
    if fresh.height == 0:
        return None
    dated = fresh.filter(pl.col(FIRST_SEEN).is_not_null())
    undated = fresh.height - dated.height
    best: tuple[int, date | None, date | None] = (undated, None, None)
    if dated.height:
        daily = (
            dated.group_by(FIRST_SEEN)
            .agg(pl.len().alias(_N))
            .sort(FIRST_SEEN)
            .with_columns(pl.col(_N).rolling_sum_by(FIRST_SEEN, f"{ALERT_WINDOW_DAYS}d"))
        )
        count, end = (
            daily.sort([_N, FIRST_SEEN], descending=[True, False]).select(_N, FIRST_SEEN).row(0)
        )
        if count >= best[0]:
            best = (int(count), end - timedelta(days=ALERT_WINDOW_DAYS - 1), end)
    count, start, end = best
    if start is None:
        window = fresh.filter(pl.col(FIRST_SEEN).is_null())
    else:
        window = dated.filter(pl.col(FIRST_SEEN).is_between(start, end))
    reasons = top_reasons(window, label=NEW_LABEL, limit=3)
    return BurstAlert(
        fired=count >= threshold,
        toxic_links=count,
        toxic_domains=window.get_column(REF_DOMAIN).drop_nulls().n_unique(),
        threshold=threshold,
        start=start,
        end=end,
        top_reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class ToxicityShift:
    """The headline of a diff: counts then and now, what came, what went, and the alert."""

    old_links: int
    new_links: int
    old_toxic_links: int
    new_toxic_links: int
    links_by_status: dict[str, int]
    toxic_links_by_status: dict[str, int]  # new: toxic now; lost: toxic then; kept: toxic now
    old_domains: int
    new_domains: int
    old_toxic_domains: int
    new_toxic_domains: int
    domains_by_status: dict[str, int]
    new_toxic_domain_count: int  # new referring domains labelled toxic
    lost_toxic_domain_count: int  # toxic referring domains gone: good news
    turned_toxic: int  # kept domains toxic now, not then
    no_longer_toxic: int  # kept domains toxic then, not now
    merged_old: int
    merged_new: int
    alert: BurstAlert | None

    @property
    def old_share(self) -> float:
        return self.old_toxic_links / self.old_links if self.old_links else 0.0

    @property
    def new_share(self) -> float:
        return self.new_toxic_links / self.new_links if self.new_links else 0.0


def _count(frame: pl.DataFrame, condition: pl.Expr) -> int:
    return frame.filter(condition).height


def toxicity_shift(
    links: pl.DataFrame, domains: pl.DataFrame, *, merged: tuple[int, int] = (0, 0)
) -> ToxicityShift:
    """The numbers of a diff, from :func:`diff_links` and :func:`diff_domains` tables."""
    status = pl.col(STATUS)
    in_old, in_new = status.is_in((LOST, KEPT)), status.is_in((NEW, KEPT))
    old_toxic, new_toxic = pl.col(OLD_LABEL) == TOXIC, pl.col(NEW_LABEL) == TOXIC
    dom_old_toxic = pl.col(OLD_DOMAIN_LABEL) == TOXIC
    dom_new_toxic = pl.col(NEW_DOMAIN_LABEL) == TOXIC
    old_links = _count(links, in_old)
    return ToxicityShift(
        old_links=old_links,
        new_links=_count(links, in_new),
        old_toxic_links=_count(links, in_old & old_toxic),
        new_toxic_links=_count(links, in_new & new_toxic),
        links_by_status={s: _count(links, status == s) for s in STATUSES},
        toxic_links_by_status={
            NEW: _count(links, (status == NEW) & new_toxic),
            LOST: _count(links, (status == LOST) & old_toxic),
            KEPT: _count(links, (status == KEPT) & new_toxic),
        },
        old_domains=_count(domains, in_old),
        new_domains=_count(domains, in_new),
        old_toxic_domains=_count(domains, in_old & dom_old_toxic),
        new_toxic_domains=_count(domains, in_new & dom_new_toxic),
        domains_by_status={s: _count(domains, status == s) for s in STATUSES},
        new_toxic_domain_count=_count(domains, (status == NEW) & dom_new_toxic),
        lost_toxic_domain_count=_count(domains, (status == LOST) & dom_old_toxic),
        turned_toxic=_count(domains, (status == KEPT) & dom_new_toxic & ~dom_old_toxic),
        no_longer_toxic=_count(domains, (status == KEPT) & dom_old_toxic & ~dom_new_toxic),
        merged_old=merged[0],
        merged_new=merged[1],
        alert=burst_alert(links, old_links),
    )


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%"


def alert_text(alert: BurstAlert | None) -> str:
    """One sentence on the negative-SEO check, for the summary and the report."""
    rule = (
        f"alert at {ALERT_MIN_LINKS}+ new toxic links (or {_pct(ALERT_MIN_SHARE)} of the old "
        f"profile) first seen within {ALERT_WINDOW_DAYS} days"
    )
    if alert is None:
        return f"No new toxic links ({rule})."
    what = (
        f"{alert.toxic_links:,} new toxic links from {alert.toxic_domains:,} referring domains, "
        f"first seen {alert.window}"
    )
    if alert.fired:
        return f"Possible negative-SEO attack: {what} (threshold {alert.threshold:,})."
    return f"No burst: at most {what} (threshold {alert.threshold:,}; {rule})."


def shift_tables(shift: ToxicityShift, old_name: str, new_name: str) -> list[Table]:
    """The one-screen summary of ``linktox diff``: then and now, what changed, the alert."""
    headline = Table(title="Toxicity shift", title_justify="left")
    headline.add_column("")
    headline.add_column(f"Then ({old_name})", justify="right")
    headline.add_column(f"Now ({new_name})", justify="right")
    headline.add_row("Links", f"{shift.old_links:,}", f"{shift.new_links:,}")
    headline.add_row("Toxic links", _pct(shift.old_share), _pct(shift.new_share))
    old_level, new_level = profile_level(shift.old_share), profile_level(shift.new_share)
    headline.add_row("Profile toxicity", old_level.capitalize(), new_level.capitalize())
    headline.add_row("Referring domains", f"{shift.old_domains:,}", f"{shift.new_domains:,}")
    headline.add_row(
        "Toxic referring domains", f"{shift.old_toxic_domains:,}", f"{shift.new_toxic_domains:,}"
    )

    changes = Table(title="Changes", title_justify="left")
    changes.add_column("")
    changes.add_column("Links", justify="right")
    changes.add_column("of them toxic", justify="right")
    changes.add_column("Referring domains", justify="right")
    for name in STATUSES:
        changes.add_row(
            name.capitalize(),
            f"{shift.links_by_status[name]:,}",
            f"{shift.toxic_links_by_status[name]:,}",
            f"{shift.domains_by_status[name]:,}",
        )
    changes.add_row(
        Text("New toxic domains", style=LABEL_STYLES[TOXIC]),
        "",
        "",
        f"{shift.new_toxic_domain_count:,}",
    )
    changes.add_row(
        Text("Lost toxic domains (good news)", style="green"),
        "",
        "",
        f"{shift.lost_toxic_domain_count:,}",
    )
    changes.add_row("Kept domains turned toxic", "", "", f"{shift.turned_toxic:,}")
    changes.add_row("Kept domains no longer toxic", "", "", f"{shift.no_longer_toxic:,}")

    alert = Table(title="Negative-SEO check", title_justify="left", show_header=False)
    alert.add_column("")
    fired = shift.alert is not None and shift.alert.fired
    alert.add_row(Text(alert_text(shift.alert), style="bold red" if fired else "green"))
    return [headline, changes, alert]


def report_section(
    shift: ToxicityShift, domains: pl.DataFrame, *, old_name: str, old_scored_by: str
) -> dict[str, Any]:
    """What the HTML report shows of a diff (the template's ``changes``)."""
    rows: list[tuple[str, dict[str, int]]] = []
    for name in STATUSES:
        label = OLD_DOMAIN_LABEL if name == LOST else NEW_DOMAIN_LABEL
        counts = dict(domains.filter(pl.col(STATUS) == name).group_by(label).len().iter_rows())
        rows.append((name, {lab: int(counts.get(lab, 0)) for lab in LABELS}))
    return {
        "old_name": old_name,
        "old_scored_by": old_scored_by,
        "shift": shift,
        "old_pct": _pct(shift.old_share),
        "new_pct": _pct(shift.new_share),
        "old_level": profile_level(shift.old_share),
        "new_level": profile_level(shift.new_share),
        "alert_text": alert_text(shift.alert),
        "alert_fired": shift.alert is not None and shift.alert.fired,
        "status_rows": rows,
        "domains": domains,
    }
