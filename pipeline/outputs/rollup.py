"""Referring-domain rollup: one row per referring domain, the unit of a disavow decision.

Domain label rule (documented for users in the report and the README):

* ``toxic`` — at least half (``DOMAIN_TOXIC_SHARE``) of the domain's links are labelled toxic.
  A spam domain links with every page it has; a real site with one bad comment link does not
  deserve a ``domain:`` line that would also discard all its good links.
* ``review`` — otherwise, if any of its links is toxic or review (its worst link is not clean):
  a human decides, possibly disavowing single URLs.
* ``whitelist`` — every link is whitelisted.
"""

from __future__ import annotations

import logging
from pathlib import Path

import polars as pl

from pipeline.errors import LinktoxError
from pipeline.outputs.columns import (
    DOMAIN_LABEL,
    LABEL,
    LABEL_COUNT_COLUMNS,
    LABELS,
    LINKS,
    MEAN_SCORE,
    REASON_SEPARATOR,
    REASONS,
    REF_DOMAIN,
    REVIEW,
    REVIEW_LINKS,
    ROLLUP_COLUMNS,
    TOP_REASONS,
    TOXIC,
    TOXIC_LINKS,
    TOXIC_SHARE,
    TOXICITY_SCORE,
    WHITELIST,
    WORST_SCORE,
)
from pipeline.outputs.table import write_scored

log = logging.getLogger(__name__)

DOMAIN_TOXIC_SHARE = 0.5  # a domain is toxic when at least this share of its links is toxic
TOP_REASONS_PER_DOMAIN = 3

_REASON = "__reason"
_COUNT = "__count"


def check_labels(scored: pl.DataFrame, label: str = LABEL) -> None:
    """Refuse a frame whose label column holds anything but the three linktox labels."""
    if label not in scored.columns:
        raise LinktoxError(f"scored table has no {label!r} column")
    unknown = (
        scored.select(pl.col(label).cast(pl.String).unique())
        .filter(pl.col(label).is_null() | ~pl.col(label).is_in(LABELS))
        .get_column(label)
        .to_list()
    )
    if unknown:
        raise LinktoxError(
            f"scored table: column {label!r} holds {unknown!r}; expected one of {', '.join(LABELS)}"
        )


def normalised_domain(column: str) -> pl.Expr:
    """Lower-case, trimmed domain without a trailing dot (``Spam.XYZ.`` and ``spam.xyz`` meet)."""
    text = pl.col(column).cast(pl.String)
    return text.str.strip_chars().str.to_lowercase().str.strip_chars_end(".")


def split_reasons(reasons: str = REASONS) -> pl.Expr:
    """The individual reasons of a ``"; "``-joined reasons column, as a list per row."""
    return pl.col(reasons).fill_null("").str.split(REASON_SEPARATOR)


def domain_rollup(
    scored: pl.DataFrame,
    *,
    domain: str = REF_DOMAIN,
    score: str = TOXICITY_SCORE,
    label: str = LABEL,
    reasons: str = REASONS,
    toxic_share: float = DOMAIN_TOXIC_SHARE,
) -> pl.DataFrame:
    """One row per referring domain (columns ``ROLLUP_COLUMNS``), worst score first.

    Links without a referring domain (unparseable URLs) cannot be disavowed by domain and are
    left out (logged). ``top_reasons`` holds the most frequent individual reasons among the
    domain's toxic and review links, at most three, ties broken alphabetically.
    """
    check_labels(scored, label)
    links = scored.select(
        normalised_domain(domain).alias(REF_DOMAIN),
        pl.col(score).cast(pl.Float64).alias(TOXICITY_SCORE),
        pl.col(label).cast(pl.String).alias(LABEL),
        pl.col(reasons).cast(pl.String).alias(REASONS),
    )
    usable = pl.col(REF_DOMAIN).is_not_null() & (pl.col(REF_DOMAIN) != "")
    missing = links.height - links.filter(usable).height
    if missing:
        log.warning("%d links have no referring domain and are left out of the rollup", missing)
    links = links.filter(usable)

    per_domain = links.group_by(REF_DOMAIN).agg(
        pl.len().cast(pl.Int64).alias(LINKS),
        pl.col(TOXICITY_SCORE).max().alias(WORST_SCORE),
        pl.col(TOXICITY_SCORE).mean().round(1).alias(MEAN_SCORE),
        *[
            (pl.col(LABEL) == value).sum().cast(pl.Int64).alias(column)
            for value, column in LABEL_COUNT_COLUMNS.items()
        ],
    )
    is_toxic = (pl.col(TOXIC_LINKS) > 0) & (pl.col(TOXIC_LINKS) >= pl.col(LINKS) * toxic_share)
    flagged = (pl.col(TOXIC_LINKS) + pl.col(REVIEW_LINKS)) > 0
    per_domain = per_domain.with_columns(
        (pl.col(TOXIC_LINKS) / pl.col(LINKS)).round(4).alias(TOXIC_SHARE),
        pl.when(is_toxic)
        .then(pl.lit(TOXIC))
        .when(flagged)
        .then(pl.lit(REVIEW))
        .otherwise(pl.lit(WHITELIST))
        .alias(DOMAIN_LABEL),
    )
    return sort_rollup(
        per_domain.join(_top_reasons(links), on=REF_DOMAIN, how="left")
        .with_columns(pl.col(TOP_REASONS).fill_null(""))
        .select(ROLLUP_COLUMNS)
    )


def sort_rollup(rollup: pl.DataFrame) -> pl.DataFrame:
    """The rollup's order, worst score first: also that of rollups built in parts and joined
    (one part per group of referring domains, as Spark builds it)."""
    return rollup.sort(
        [WORST_SCORE, LINKS, REF_DOMAIN], descending=[True, True, False], nulls_last=True
    )


def _top_reasons(links: pl.DataFrame) -> pl.DataFrame:
    """Per domain, its most frequent reasons among toxic and review links, ``"; "``-joined."""
    return (
        links.filter(pl.col(LABEL).is_in((TOXIC, REVIEW)))
        .select(REF_DOMAIN, split_reasons().alias(_REASON))
        .explode(_REASON)
        .with_columns(pl.col(_REASON).str.strip_chars())
        .filter(pl.col(_REASON).is_not_null() & (pl.col(_REASON) != ""))
        .group_by(REF_DOMAIN, _REASON)
        .agg(pl.len().alias(_COUNT))
        .sort([REF_DOMAIN, _COUNT, _REASON], descending=[False, True, False])
        .group_by(REF_DOMAIN, maintain_order=True)
        .head(TOP_REASONS_PER_DOMAIN)
        .group_by(REF_DOMAIN, maintain_order=True)
        .agg(pl.col(_REASON).str.join(REASON_SEPARATOR).alias(TOP_REASONS))
    )


def write_rollup(rollup: pl.DataFrame, path: Path) -> None:
    """Write the rollup as CSV (formulas neutralised) or Parquet, by extension, atomically."""
    write_scored(rollup, path)
