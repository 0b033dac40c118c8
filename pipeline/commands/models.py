"""``linktox models list|compare|promote``: registered versions side by side, and explicit
promotion (never a side effect of ``dvc repro``)."""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NamedTuple

import mlflow
import polars as pl
import typer
from rich.table import Table

from features.catalog import FEATURES
from models import registry, tracking
from models.bundle import Bundle
from models.compare import (
    PRIMARY_METRIC,
    evaluate_versions,
    is_worse,
    label_changes,
    metric_table,
    reason_counts,
    reason_shift,
)
from models.evaluation import SetEvaluation, held_out_sets, primary_set
from pipeline import io, paths
from pipeline.config import load_params
from pipeline.errors import LinktoxError
from pipeline.logs import console
from pipeline.options import FeaturesOption, ParamsOption, SplitOption, TrackingOption

log = logging.getLogger(__name__)


def _fmt(value: float) -> str:
    return (
        "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4f}"
    )


def list_versions(tracking_uri: TrackingOption = None) -> None:
    """List registered versions with their aliases and held-out metrics."""
    registry.configure(paths.tracking_uri(tracking_uri))
    try:
        versions = registry.all_versions()
    except mlflow.exceptions.MlflowException as exc:
        raise LinktoxError(f"cannot read the model registry: {exc}") from exc
    if not versions:
        raise LinktoxError("no registered versions yet: run `dvc repro` first")
    table = Table(title=f"{registry.REGISTERED_MODEL} versions")
    for column in ("version", "aliases", "created", "unseen_site PR-AUC", "test PR-AUC", "ECE"):
        table.add_column(column)
    for version in versions:
        info = registry.version_info(version)
        m = info["metrics"]
        created = datetime.fromtimestamp(info["created"] / 1000, UTC).strftime("%Y-%m-%d %H:%M")
        table.add_row(
            version,
            ", ".join(f"@{a}" for a in info["aliases"]),
            created,
            _fmt(m.get("unseen_site_pr_auc", float("nan"))),
            _fmt(m.get("test_pr_auc", float("nan"))),
            _fmt(m.get("unseen_site_ece", float("nan"))),
        )
    console().print(table)


def _load_sets(features: Path | None, split: Path | None) -> dict[str, pl.DataFrame]:
    features = paths.or_default(features, paths.FEATURES)
    sets = held_out_sets(
        io.read_parquet(features / paths.WORLD_FILE),
        io.read_parquet(features / paths.HOLDOUT_FILE),
        io.read_parquet(features / paths.REVIEWED_FILE),
        io.read_parquet(paths.or_default(split, paths.SPLIT)),
    )
    if not sets:
        raise LinktoxError(f"{features}: no held-out data to compare on")
    return sets


def _bundles(refs: list[str]) -> dict[str, Bundle]:
    out: dict[str, Bundle] = {}
    for ref in refs:
        version = registry.version_for(ref)
        out[f"v{version}"] = Bundle.load(registry.download_version(version))
    return out


class _HeldOut(NamedTuple):
    """Registered versions evaluated on the same held-out data."""

    bundles: dict[str, Bundle]  # "v3" -> bundle, in the order the versions were asked for
    sets: dict[str, pl.DataFrame]  # every held-out set
    primary: str  # the set promotion is judged on
    evals: dict[str, dict[str, SetEvaluation]]  # version -> set name -> evaluation


def _evaluate_held_out(
    refs: list[str],
    features: Path | None,
    split: Path | None,
    bins: int,
    *,
    primary_only: bool = False,
) -> _HeldOut:
    """Load the versions' bundles and the held-out sets, and evaluate every version on the sets
    (on the primary set alone with ``primary_only``)."""
    bundles = _bundles(refs)
    sets = _load_sets(features, split)
    primary = primary_set(sets)
    evaluated = {primary: sets[primary]} if primary_only else sets
    return _HeldOut(bundles, sets, primary, evaluate_versions(bundles, evaluated, bins))


def _default_refs() -> list[str]:
    newest = registry.latest_version()
    if registry.has_alias(registry.CHAMPION):
        champion = registry.version_for(f"@{registry.CHAMPION}")
        if champion != newest:
            return [champion, newest]
        return [champion]
    versions = registry.all_versions()
    return versions[-2:]


def compare(
    versions: Annotated[
        list[str] | None,
        typer.Argument(help="Versions (3, @champion, latest); default: @champion vs newest."),
    ] = None,
    features: FeaturesOption = None,
    split: SplitOption = None,
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Evaluate versions on the same held-out data and print them side by side."""
    registry.configure(paths.tracking_uri(tracking_uri))
    cfg = load_params(params)
    refs = list(versions) if versions else _default_refs()
    bundles, sets, primary, evals = _evaluate_held_out(
        refs, features, split, cfg.evaluate.calibration_bins
    )
    names = list(bundles)
    tables = {name: metric_table(evals, name) for name in sets}
    for set_name, frame in tables.items():
        title = f"{set_name} ({sets[set_name].height:,} links)"
        if set_name == primary:
            title += f"  ← primary set, judged on {PRIMARY_METRIC}"
        table = Table(title=title)
        for column in frame.columns:
            table.add_column(column, justify="left" if column in ("metric", "better") else "right")
        # Rows of a small summary table for display, not links: no vectorising needed.
        for row in frame.iter_rows():
            table.add_row(row[0], row[1], *(_fmt(v) for v in row[2:]))
        console().print(table)
    shift = None
    if len(names) >= 2:
        first, last = names[0], names[-1]
        changes = label_changes(evals[first], evals[last])
        table = Table(title=f"Links whose label changes from {first} to {last}")
        table.add_column("set")
        table.add_column("links changed", justify="right")
        for name, count in changes.items():
            table.add_row(name, f"{count:,} of {sets[name].height:,}")
        console().print(table)
        frame = sets[primary]
        counts = [
            reason_counts(frame, bundles[v], evals[v][primary].labels, FEATURES, seed=cfg.base.seed)
            for v in (first, last)
        ]
        shift = reason_shift(counts[0], counts[1])
        table = Table(title=f"Reasons that changed most among flagged links ({primary})")
        for column in ("reason", f"share {first}", f"share {last}", "change"):
            table.add_column(column, justify="left" if column == "reason" else "right")
        # Rows of a small summary table for display, not links: no vectorising needed.
        for reason, before, after, change in shift.iter_rows():
            table.add_row(reason, f"{before:.1%}", f"{after:.1%}", f"{change:+.1%}")
        console().print(table)
    tracking.log_comparison(names, tables, primary, shift)


def promote(
    version: Annotated[str, typer.Argument(help="Version to promote (3, latest, @challenger).")],
    alias: Annotated[str, typer.Option(help="Alias to move.")] = registry.CHAMPION,
    force: Annotated[
        bool, typer.Option(help="Promote even if worse on the primary metric.")
    ] = False,
    features: FeaturesOption = None,
    split: SplitOption = None,
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Move an alias (default @champion) to a version, refusing a worse model unless --force."""
    registry.configure(paths.tracking_uri(tracking_uri))
    cfg = load_params(params)
    candidate = registry.version_for(version)
    incumbent = registry.version_for(f"@{alias}") if registry.has_alias(alias) else None
    if incumbent == candidate:
        console().print(f"version {candidate} already holds @{alias}")
        return
    if incumbent is not None and not force:
        _, _, primary, evals = _evaluate_held_out(
            [incumbent, candidate],
            features,
            split,
            cfg.evaluate.calibration_bins,
            primary_only=True,
        )
        old = evals[f"v{incumbent}"][primary].metrics[PRIMARY_METRIC]
        new = evals[f"v{candidate}"][primary].metrics[PRIMARY_METRIC]
        if is_worse(new, old):
            raise LinktoxError(
                f"refusing to promote version {candidate} to @{alias}: {PRIMARY_METRIC} on "
                f"{primary} is {new:.4f}, below version {incumbent}'s {old:.4f} "
                "(pass --force to promote anyway)"
            )
        log.info(
            "%s on %s: v%s %.4f -> v%s %.4f",
            PRIMARY_METRIC,
            primary,
            incumbent,
            old,
            candidate,
            new,
        )
    registry.set_alias(alias, candidate)
    was = f" (was version {incumbent})" if incumbent else ""
    console().print(f"@{alias} -> version {candidate}{was}")
