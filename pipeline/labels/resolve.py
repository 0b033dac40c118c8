"""Resolution: one label per link from every decision in the store.

One label per link key (``source_url``, ``target_url``). A link-scope decision beats a
domain-scope one (it is more specific); within a scope the latest decision wins (by
``decided_at``, then ``imported_at``, then segment name and row). Domain-scope decisions label
every link of that ``ref_domain`` in the store, and :func:`domain_decisions` /
:func:`apply_labels` let callers apply them to links the store has never seen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from pipeline.labels.schema import (
    CANONICAL,
    DECIDED_AT,
    DECISION,
    IMPORTED_AT,
    KEY,
    LABEL,
    NOT_TOXIC,
    REF_DOMAIN,
    REVIEWED_LABEL,
    REVIEWED_SCOPE,
    REVIEWER,
    ROW,
    SCOPE,
    SCOPE_DOMAIN,
    SCOPE_LINK,
    SEGMENT,
    SOURCE_FILE,
    SOURCE_URL,
    TARGET_URL,
    TIMESTAMP,
    TOXIC,
    empty,
)
from pipeline.labels.store import read_decisions


def _in_decision_order(decisions: pl.DataFrame) -> pl.DataFrame:
    """Sort so that the last row of any group is its latest decision."""
    return (
        decisions.with_row_index(ROW)
        .sort(DECIDED_AT, IMPORTED_AT, SEGMENT, ROW, nulls_last=False)
        .drop(ROW)
    )


# ---------------------------------------------------------------------------------------------
# Resolution: decisions -> labels
# ---------------------------------------------------------------------------------------------

RESOLVED_SCHEMA: dict[str, Any] = {
    **CANONICAL,
    REF_DOMAIN: pl.String(),
    LABEL: pl.Int8(),
    SCOPE: pl.String(),
    REVIEWER: pl.String(),
    DECIDED_AT: TIMESTAMP,
    SOURCE_FILE: pl.String(),
}

_DOMAIN_SCHEMA: dict[str, Any] = {
    REF_DOMAIN: pl.String(),
    LABEL: pl.Int8(),
    REVIEWER: pl.String(),
    DECIDED_AT: TIMESTAMP,
    SOURCE_FILE: pl.String(),
}

_label_expr = (pl.col(DECISION) == TOXIC).cast(pl.Int8)


def latest_domain_decisions(decisions: pl.DataFrame) -> pl.DataFrame:
    """The latest domain-scope decision per ``ref_domain`` (pure; see :func:`domain_decisions`)."""
    ordered = _in_decision_order(decisions)
    return (
        ordered.filter(pl.col(SCOPE) == SCOPE_DOMAIN, pl.col(REF_DOMAIN).is_not_null())
        .unique(REF_DOMAIN, keep="last", maintain_order=True)
        .select(
            pl.col(REF_DOMAIN),
            _label_expr.alias(LABEL),
            pl.col(REVIEWER),
            pl.col(DECIDED_AT),
            pl.col(SOURCE_FILE),
        )
        .sort(REF_DOMAIN)
        .cast(pl.Schema(_DOMAIN_SCHEMA))
    )


def resolve_decisions(decisions: pl.DataFrame) -> pl.DataFrame:
    """One label per link key from raw decisions (pure; see :func:`resolve_labels`)."""
    if decisions.is_empty():
        return empty(RESOLVED_SCHEMA)
    ordered = _in_decision_order(decisions)
    # Link attributes from the latest row of each link, whatever its scope.
    links = ordered.unique(list(KEY), keep="last", maintain_order=True).select(
        *CANONICAL, REF_DOMAIN
    )
    decided = [DECISION, REVIEWER, DECIDED_AT, SOURCE_FILE]
    by_link = (
        ordered.filter(pl.col(SCOPE) == SCOPE_LINK)
        .unique(list(KEY), keep="last", maintain_order=True)
        .select(*KEY, *(pl.col(name).alias(f"link_{name}") for name in decided))
    )
    by_domain = (
        ordered.filter(pl.col(SCOPE) == SCOPE_DOMAIN, pl.col(REF_DOMAIN).is_not_null())
        .unique(REF_DOMAIN, keep="last", maintain_order=True)
        .select(REF_DOMAIN, *(pl.col(name).alias(f"domain_{name}") for name in decided))
    )
    link_wins = pl.col(f"link_{DECISION}").is_not_null()
    resolved = (
        links.join(by_link, on=list(KEY), how="left")
        .join(by_domain, on=REF_DOMAIN, how="left")
        .with_columns(
            # Link-scope first: a reviewer who judged this very link knows better than a
            # domain-wide verdict.
            *(
                pl.when(link_wins)
                .then(pl.col(f"link_{name}"))
                .otherwise(pl.col(f"domain_{name}"))
                .alias(name)
                for name in decided
            ),
            pl.when(link_wins)
            .then(pl.lit(SCOPE_LINK))
            .otherwise(pl.lit(SCOPE_DOMAIN))
            .alias(SCOPE),
        )
        .filter(pl.col(DECISION).is_not_null())
        .with_columns(_label_expr.alias(LABEL))
        .select(list(RESOLVED_SCHEMA))
        .sort(*KEY)
    )
    return resolved.cast(pl.Schema(RESOLVED_SCHEMA))


CONFLICT_SCHEMA: dict[str, Any] = {
    SCOPE: pl.String(),
    REF_DOMAIN: pl.String(),
    SOURCE_URL: pl.String(),
    TARGET_URL: pl.String(),
    "toxic_reviewers": pl.String(),
    "not_toxic_reviewers": pl.String(),
    "latest": pl.String(),
}


def find_conflicts(decisions: pl.DataFrame) -> pl.DataFrame:
    """Links (or domains) on which reviewers disagree (pure; see :func:`conflicts`).

    Each reviewer counts with their own latest decision, so a reviewer who changed their mind to
    agree with a colleague is no longer in conflict; a reviewer disagreeing with themselves over
    time is not a conflict either (their latest decision simply wins).
    """
    if decisions.is_empty():
        return empty(CONFLICT_SCHEMA)
    ordered = _in_decision_order(decisions)

    def disagreements(scope: str, key: list[str]) -> pl.DataFrame:
        return (
            ordered.filter(pl.col(SCOPE) == scope)
            .unique([*key, REVIEWER], keep="last", maintain_order=True)
            .group_by(key, maintain_order=True)
            .agg(
                *([] if REF_DOMAIN in key else [pl.col(REF_DOMAIN).last()]),
                pl.col(DECISION).n_unique().alias("__n"),
                *(
                    pl.col(REVIEWER)
                    .filter(pl.col(DECISION) == value)
                    .unique()
                    .sort()
                    .str.join(", ")
                    .alias(f"{value}_reviewers")
                    for value in (TOXIC, NOT_TOXIC)
                ),
                pl.col(DECISION).last().alias("latest"),
            )
            .filter(pl.col("__n") > 1)
            .with_columns(pl.lit(scope).alias(SCOPE))
        )

    links = disagreements(SCOPE_LINK, list(KEY))
    domains = disagreements(SCOPE_DOMAIN, [REF_DOMAIN]).with_columns(
        pl.lit(None, pl.String).alias(SOURCE_URL), pl.lit(None, pl.String).alias(TARGET_URL)
    )
    found = pl.concat(
        [
            frame.select(list(CONFLICT_SCHEMA)).cast(pl.Schema(CONFLICT_SCHEMA))
            for frame in (links, domains)
        ]
    )
    return found.sort(SCOPE, REF_DOMAIN, SOURCE_URL, TARGET_URL, nulls_last=True)


def resolve_labels(store_dir: Path) -> pl.DataFrame:
    """One row per reviewed link key: canonical columns, ``ref_domain`` and the resolved label.

    Columns: every ``CANONICAL`` column, ``ref_domain``, ``label`` (Int8, 1 = toxic), ``scope``
    (which kind of decision decided it), ``reviewer``, ``decided_at``, ``source_file``. Links
    covered only by a domain-scope decision get that decision. Empty store -> empty frame.
    """
    return resolve_decisions(read_decisions(store_dir))


def domain_decisions(store_dir: Path) -> pl.DataFrame:
    """The latest domain-wide decision per referring domain.

    Columns: ``ref_domain``, ``label`` (Int8, 1 = toxic), ``reviewer``, ``decided_at``,
    ``source_file``. Use it (or :func:`apply_labels`) to label links the store has never seen.
    """
    return latest_domain_decisions(read_decisions(store_dir))


def conflicts(store_dir: Path) -> pl.DataFrame:
    """Where reviewers disagree: one row per link (scope ``link``) or domain (scope ``domain``).

    Columns: ``scope``, ``ref_domain``, ``source_url``, ``target_url`` (null for domains),
    ``toxic_reviewers``, ``not_toxic_reviewers`` (``", "``-joined) and ``latest`` (the decision
    that currently wins).
    """
    return find_conflicts(read_decisions(store_dir))


def apply_labels(links: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Add the reviewers' verdict to any link frame (same rows, same order).

    Args:
        links: Frame with ``source_url`` and ``target_url``; with ``ref_domain`` too, domain-wide
            decisions reach links the store has never seen.
        decisions: Raw decisions, as from :func:`read_decisions`.

    Returns:
        ``links`` plus ``reviewed_label`` (Int8, 1 = toxic, null = not reviewed) and
        ``reviewed_scope`` (``link``/``domain``/null). Link-scope decisions beat domain ones.
    """
    resolved = resolve_decisions(decisions)
    by_link = resolved.filter(pl.col(SCOPE) == SCOPE_LINK).select(
        *KEY, pl.col(LABEL).alias("__link_label")
    )
    out = links.join(by_link, on=list(KEY), how="left", maintain_order="left")
    if REF_DOMAIN in links.columns:
        by_domain = latest_domain_decisions(decisions).select(
            REF_DOMAIN, pl.col(LABEL).alias("__domain_label")
        )
        out = out.join(by_domain, on=REF_DOMAIN, how="left", maintain_order="left")
    else:
        out = out.with_columns(pl.lit(None, pl.Int8).alias("__domain_label"))
    return out.with_columns(
        pl.coalesce("__link_label", "__domain_label").alias(REVIEWED_LABEL),
        pl.when(pl.col("__link_label").is_not_null())
        .then(pl.lit(SCOPE_LINK))
        .when(pl.col("__domain_label").is_not_null())
        .then(pl.lit(SCOPE_DOMAIN))
        .alias(REVIEWED_SCOPE),
    ).drop("__link_label", "__domain_label")
