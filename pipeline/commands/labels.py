"""``linktox labels import`` and ``linktox labels stats``: feed reviewers' decisions to the model.

The store logic lives in :mod:`pipeline.labels`; these commands only read arguments and
print what happened.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape
from rich.table import Table

from pipeline import labels as labelstore
from pipeline import paths
from pipeline.labels.schema import (
    DECIDED_AT,
    DECISION,
    IMPORTED_AT,
    LABEL,
    NOT_TOXIC,
    REF_DOMAIN,
    REVIEWER,
    SCOPE,
    SCOPE_DOMAIN,
    SEGMENT,
    SOURCE_FILE,
    TOXIC,
)
from pipeline.logs import console
from pipeline.options import StoreOption

# How many conflicting links to show after an import / in the stats.
SHOW_CONFLICTS_AFTER_IMPORT = 5
SHOW_CONFLICTS_IN_STATS = 10

_TIME_FORMAT = "%Y-%m-%d %H:%M"


def _conflict_table(found: pl.DataFrame, limit: int) -> Table:
    """The first ``limit`` conflicts, one line each: what, who said toxic, who said not toxic."""
    table = Table(title=f"Conflicts (first {min(limit, found.height)} of {found.height})")
    for header in ("scope", "link or domain", "toxic", "not toxic", "wins (latest)"):
        table.add_column(header)
    shown = found.head(limit).with_columns(
        pl.coalesce(
            pl.concat_str(pl.col("source_url"), pl.lit(" → "), pl.col("target_url")),
            pl.col(REF_DOMAIN),
        ).alias("__what")
    )
    # Rows of a small summary table for display, not links: no vectorising needed.
    for row in shown.iter_rows(named=True):
        table.add_row(
            row[SCOPE],
            escape(row["__what"] or ""),
            escape(row["toxic_reviewers"] or ""),
            escape(row["not_toxic_reviewers"] or ""),
            row["latest"].replace("_", " "),
        )
    return table


def import_labels(
    file: Annotated[
        Path,
        typer.Argument(
            help="A filled review queue, a scored file with a 'decision' column, or a Semrush "
            "Backlink Audit export (its Status column: Whitelist / Disavow / Remove)."
        ),
    ],
    reviewer: Annotated[
        str | None,
        typer.Option(help="Reviewer for rows without a 'reviewer' value (default: your OS user)."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Add reviewed decisions to the label store; importing the same file twice changes nothing."""
    store = paths.or_default(store, paths.LABELS)
    out = console()
    out.print(f"label store: {escape(str(store.resolve()))}", soft_wrap=True)
    outcome = labelstore.import_file(file, store_dir=store, reviewer=reviewer)
    decisions = outcome.decisions
    name = escape(outcome.source.name)
    if outcome.created:
        toxic = decisions.filter(pl.col(DECISION) == TOXIC).height
        domain_rows = decisions.filter(pl.col(SCOPE) == SCOPE_DOMAIN)
        extra = ""
        if domain_rows.height:
            # Counted as `labels stats` counts them: decisions, and the domains they cover.
            domains = domain_rows[REF_DOMAIN].n_unique()
            extra = f"; {_domain_wide(domain_rows.height, domains)}"
        out.print(
            f"Imported {decisions.height} decisions ({toxic} toxic, "
            f"{decisions.height - toxic} not toxic{extra}) from {name} into "
            f"{escape(str(outcome.segment))}.",
            soft_wrap=True,
        )
    else:
        earlier = sorted(set(decisions[SOURCE_FILE].drop_nulls()))
        when = decisions[IMPORTED_AT].min()
        on = f" on {when:{_TIME_FORMAT}} UTC" if isinstance(when, datetime) else ""
        segment = escape(outcome.segment.name)
        if outcome.source.name in earlier:
            out.print(f"{name} is already imported{on} (segment {segment}); nothing changed.")
        else:
            out.print(
                f"{name} holds the same decisions as {escape(', '.join(earlier))}, imported{on} "
                f"(segment {segment}); nothing changed.",
                soft_wrap=True,
            )
    if outcome.blank:
        out.print(f"{outcome.blank} rows had no decision and were skipped.")
    if not outcome.conflicts.is_empty():
        out.print(
            f"[yellow]warning:[/yellow] {outcome.conflicts.height} conflicts between reviewers "
            "involve links in this file; the latest decision wins until someone settles them."
        )
        out.print(_conflict_table(outcome.conflicts, SHOW_CONFLICTS_AFTER_IMPORT))


def _domain_wide(decisions: int, domains: int) -> str:
    """``22 domain-wide decisions on 20 referring domains``, one wording for import and stats."""
    noun = "decision" if decisions == 1 else "decisions"
    where = "referring domain" if domains == 1 else "referring domains"
    return f"{decisions} domain-wide {noun} on {domains} {where}"


def _count_table(title: str, key_header: str, frame: pl.DataFrame) -> Table:
    """A small table of per-group decision counts (frame: key, decisions, toxic, not_toxic, …)."""
    table = Table(title=title)
    table.add_column(key_header)
    for header in frame.columns[1:]:
        table.add_column(header.replace("_", " "), justify="right")
    # Rows of a small summary table for display, not links: no vectorising needed.
    for row in frame.iter_rows():
        table.add_row(*(escape(str(value)) if value is not None else "" for value in row))
    return table


def _per(decisions: pl.DataFrame, key: str) -> pl.DataFrame:
    """Decision counts per ``key``: total, toxic, not toxic, and the latest decision time."""
    return (
        decisions.group_by(key)
        .agg(
            pl.len().alias("decisions"),
            (pl.col(DECISION) == TOXIC).sum().alias("toxic"),
            (pl.col(DECISION) == NOT_TOXIC).sum().alias("not_toxic"),
            pl.col(DECIDED_AT).max().dt.strftime(_TIME_FORMAT).alias("last_decision"),
        )
        .sort("decisions", key, descending=[True, False])
    )


def stats(
    store: StoreOption = None,
) -> None:
    """Show what the label store holds: labels, reviewers, source files, conflicts."""
    store = paths.or_default(store, paths.LABELS)
    out = console()
    out.print(f"label store: {escape(str(store.resolve()))}", soft_wrap=True)
    decisions = labelstore.read_decisions(store)
    if decisions.is_empty():
        out.print(
            f"The label store {escape(str(store))} is empty; add reviewed files with "
            "`linktox labels import FILE`."
        )
        return
    resolved = labelstore.resolve_decisions(decisions)
    found = labelstore.find_conflicts(decisions)
    domains = labelstore.latest_domain_decisions(decisions)

    overview = Table(title=f"Label store {escape(str(store))}", show_header=False)
    overview.add_column("what")
    overview.add_column("count", justify="right")
    for what, count in (
        ("imports (segments)", decisions[SEGMENT].n_unique()),
        ("decisions", decisions.height),
        ("labelled links", resolved.height),
        ("referring domains", resolved[REF_DOMAIN].drop_nulls().n_unique()),
        ("domain-wide decisions", decisions.filter(pl.col(SCOPE) == SCOPE_DOMAIN).height),
        ("referring domains decided domain-wide", domains.height),
        ("conflicts", found.height),
    ):
        overview.add_row(what, str(count))
    out.print(overview)

    labels = (
        resolved.group_by(LABEL)
        .agg(pl.len().alias("links"))
        .join(
            decisions.group_by(pl.col(DECISION).eq(TOXIC).cast(pl.Int8).alias(LABEL)).agg(
                pl.len().alias("decisions")
            ),
            on=LABEL,
            how="full",
            coalesce=True,
        )
        .sort(LABEL, descending=True)
        .select(
            pl.when(pl.col(LABEL) == 1).then(pl.lit("toxic")).otherwise(pl.lit("not toxic")),
            pl.col("links").fill_null(0),
            pl.col("decisions").fill_null(0),
        )
    )
    out.print(_count_table("Labels (links after resolution)", "label", labels))
    out.print(_count_table("Reviewers", "reviewer", _per(decisions, REVIEWER)))
    files = (
        _per(decisions, SOURCE_FILE)
        .join(
            decisions.group_by(SOURCE_FILE).agg(
                pl.col(IMPORTED_AT).min().dt.strftime(_TIME_FORMAT).alias("imported")
            ),
            on=SOURCE_FILE,
        )
        .sort("imported", SOURCE_FILE)
    )
    out.print(_count_table("Source files", "source file", files))
    if not found.is_empty():
        out.print(_conflict_table(found, SHOW_CONFLICTS_IN_STATS))
