"""``linktox models list|compare|promote|unalias``: registered versions side by side, and explicit
promotion (never a side effect of ``dvc repro``).

Versions are compared on frozen rows: rows that no compared version trained on, by the row keys
each stored when it was registered (:func:`models.evaluation.shared_held_out_sets`), never on
whatever today's split says. The verdict is a paired bootstrap of the PR-AUC difference on the
primary set (:func:`models.compare.judge`).
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import polars as pl
import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from features.columns import REF_DOMAIN
from features.schema import LABEL
from models import registry
from models.bundle import Bundle
from pipeline import io, paths
from pipeline.config import Params, load_params
from pipeline.errors import LinktoxError
from pipeline.logs import console
from pipeline.options import FeaturesOption, ParamsOption, TrackingOption

if TYPE_CHECKING:
    from models.compare import Judgement
    from models.evaluation import SetEvaluation

# MLflow, scikit-learn (through the metrics) and the comparison code are imported by the commands
# that run them, so that `linktox models ... --help` does not wait for them.

log = logging.getLogger(__name__)


def _fmt(value: float | None) -> str:
    return (
        "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4f}"
    )


def _open_store(tracking_uri: str | None) -> str:
    """Point MLflow at the store (refusing one that does not exist) and say which it is."""
    uri = registry.configure(paths.tracking_uri(tracking_uri))
    console().print(f"MLflow store: {escape(uri)}", soft_wrap=True)
    return uri


def list_versions(tracking_uri: TrackingOption = None) -> None:
    """List registered versions: aliases, the set each is judged on and its held-out metrics."""
    from mlflow.exceptions import MlflowException

    from models import tracking
    from models.compare import PRIMARY_METRIC

    uri = _open_store(tracking_uri)
    try:
        versions = registry.all_versions()
    except MlflowException as exc:
        raise LinktoxError(f"cannot read the model registry at {uri}: {exc}") from exc
    if not versions:
        raise LinktoxError(
            f"no registered versions of {registry.REGISTERED_MODEL!r} in {uri}: "
            "run `make run` (or `dvc repro`) first"
        )
    table = Table(
        title=f"{registry.REGISTERED_MODEL} versions",
        caption="PR-AUC on each version's own held-out sets; `linktox models compare` and "
        "`promote` judge versions on held-out rows none of them trained on.",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # Headers wrap onto several lines so that the table fits an 80-column terminal.
    for column in (
        "version",
        "aliases",
        "created\n(UTC)",
        "reviewed\nlinks",
        "judged on",
        "PR-AUC\nthere",
        "unseen\nsite\nPR-AUC",
    ):
        left = column in ("aliases", "judged on")
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    stray: set[str] = set()
    unevaluated: list[str] = []
    for version in versions:
        info = registry.version_info(version)
        m, tags = info["metrics"], info["tags"]
        primary = tags.get(tracking.PRIMARY_SET_TAG)
        if primary is None:
            unevaluated.append(version)
        stray.update(a for a in info["aliases"] if a not in registry.ALIASES)
        created = datetime.fromtimestamp(info["created"] / 1000, UTC).strftime("%m-%d %H:%M")
        reviewed = m.get("reviewed_links")
        table.add_row(
            version,
            "\n".join(f"@{a}" for a in sorted(info["aliases"])),
            created,
            "–" if reviewed is None else f"{reviewed:,.0f}",
            primary or "–",
            _fmt(m.get(f"{primary}_{PRIMARY_METRIC}") if primary else None),
            _fmt(m.get(f"unseen_site_{PRIMARY_METRIC}")),
        )
    out = console()
    out.print(table)
    if unevaluated:
        out.print(
            f"no evaluation in the run of version(s) {', '.join(unevaluated)}: `dvc repro` "
            "attaches it (the register stage) for the bundle in data/models"
        )
    for alias in sorted(stray):
        out.print(
            f"[yellow]warning:[/yellow] @{escape(alias)} is not a linktox alias "
            f"(those are {', '.join('@' + a for a in registry.ALIASES)}); remove it with "
            f"`linktox models unalias {escape(alias)}`"
        )


def _bundles(refs: list[str]) -> dict[str, Bundle]:
    out: dict[str, Bundle] = {}
    for ref in refs:
        version = registry.version_for(ref)
        out[f"v{version}"] = Bundle.load(registry.download_version(version))
    return out


class _HeldOut(NamedTuple):
    """Registered versions evaluated on rows none of them trained on."""

    bundles: dict[str, Bundle]  # "v3" -> bundle, in the order the versions were asked for
    sets: dict[str, pl.DataFrame]  # every shared held-out set
    primary: str  # the set promotion is judged on
    evals: dict[str, dict[str, SetEvaluation]]  # version -> set name -> evaluation
    notes: list[str]  # what the reader should know about the rows


def _evaluate_held_out(
    refs: list[str],
    features: Path | None,
    cfg: Params,
    *,
    primary_only: bool = False,
) -> _HeldOut:
    """Load the versions' bundles and the held-out rows none of them trained on, and evaluate
    every version on those sets (on the primary set alone with ``primary_only``)."""
    from models import tracking
    from models.compare import evaluate_versions
    from models.evaluation import PrimaryRule, primary_reason, primary_set, shared_held_out_sets

    bundles = _bundles(refs)
    notes: list[str] = []
    keys = []
    for name in bundles:
        found = tracking.row_keys(name.removeprefix("v"))
        if found is None:
            notes.append(
                f"{name} stored no row keys (registered before linktox kept them): it may "
                "have trained on some of the rows above"
            )
        else:
            keys.append(found)
    if not keys:
        raise LinktoxError(
            f"none of {', '.join(bundles)} stored its row keys, so no rows are known to be "
            "unseen by all of them; retrain with `dvc repro` to register versions that do"
        )
    folder = paths.or_default(features, paths.FEATURES)
    sets = shared_held_out_sets(
        io.read_parquet(folder / paths.WORLD_FILE),
        io.read_parquet(folder / paths.HOLDOUT_FILE),
        io.read_parquet(folder / paths.REVIEWED_FILE),
        keys,
    )
    if not sets:
        raise LinktoxError(
            f"{folder}: no held-out set of at least a few dozen rows is shared by "
            f"{', '.join(bundles)}"
        )
    rule = PrimaryRule(**cfg.evaluate.primary.model_dump())
    primary = primary_set(sets, rule)
    if why := primary_reason(sets, rule, primary):
        notes.append(why)
    evaluated = {primary: sets[primary]} if primary_only else sets
    evals = evaluate_versions(bundles, evaluated, cfg.evaluate.calibration_bins)
    return _HeldOut(bundles, sets, primary, evals, notes)


def _judge(held: _HeldOut, candidate: str, incumbent: str, cfg: Params) -> Judgement:
    from models.compare import judge

    frame = held.sets[held.primary]
    return judge(
        held.primary,
        frame.get_column(LABEL).to_numpy(),
        frame.get_column(REF_DOMAIN).to_numpy(),
        {name: held.evals[name][held.primary].scores for name in (candidate, incumbent)},
        candidate=candidate,
        incumbent=incumbent,
        resamples=cfg.promote.bootstrap_resamples,
        confidence=cfg.promote.confidence,
        seed=cfg.base.seed,
    )


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
        typer.Argument(help="Versions (3, v3, @champion, latest); default: @champion vs newest."),
    ] = None,
    features: FeaturesOption = None,
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Evaluate versions on held-out rows none of them trained on, and give a verdict."""
    from features.catalog import FEATURES
    from models import tracking
    from models.compare import (
        PRIMARY_METRIC,
        label_changes,
        metric_table,
        reason_counts,
        reason_shift,
    )

    cfg = load_params(params)
    _open_store(tracking_uri)
    refs = list(versions) if versions else _default_refs()
    held = _evaluate_held_out(refs, features, cfg)
    bundles, sets, primary, evals = held.bundles, held.sets, held.primary, held.evals
    out = console()
    names = list(bundles)
    tables = {name: metric_table(evals, name) for name in sets}
    for set_name, frame in tables.items():
        title = f"{set_name} ({sets[set_name].height:,} links unseen by {', '.join(names)})"
        if set_name == primary:
            title += f"  ← primary set, judged on {PRIMARY_METRIC}"
        table = Table(title=title)
        for column in frame.columns:
            table.add_column(column, justify="left" if column in ("metric", "better") else "right")
        # Rows of a small summary table for display, not links: no vectorising needed.
        for row in frame.iter_rows():
            table.add_row(row[0], row[1], *(_fmt(v) for v in row[2:]))
        out.print(table)
    for note in held.notes:
        out.print(f"note: {escape(note)}", soft_wrap=True)
    shift = None
    verdict = None
    if len(names) >= 2:
        first, last = names[0], names[-1]
        changes = label_changes(evals[first], evals[last])
        table = Table(title=f"Links whose label changes from {first} to {last}")
        table.add_column("set")
        table.add_column("links changed", justify="right")
        for name, count in changes.items():
            table.add_row(name, f"{count:,} of {sets[name].height:,}")
        out.print(table)
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
        out.print(table)
        lines = []
        for name in names[1:]:
            judgement = _judge(held, name, first, cfg)
            gate = "refuse" if judgement.refused else "allow"
            lines.append(
                f"verdict: {judgement.line()}; `linktox models promote {name}` would {gate} it"
            )
        verdict = "\n".join(lines)
    run_name = tracking.log_comparison(names, tables, primary, shift, verdict)
    out.print(f"logged to MLflow as the run {run_name!r}", soft_wrap=True)
    if verdict:
        for line in verdict.splitlines():
            out.print(escape(line), soft_wrap=True)
    else:
        out.print(f"verdict: only {names[0]} was given; name two versions to compare them")


def promote(
    version: Annotated[
        str, typer.Argument(help="Version to promote (3, v3, latest, @challenger).")
    ],
    alias: Annotated[
        str, typer.Option(help="Alias to move: only @champion is moved by promotion.")
    ] = registry.CHAMPION,
    force: Annotated[
        bool, typer.Option(help="Promote even if worse on the primary metric (with a warning).")
    ] = False,
    features: FeaturesOption = None,
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Move @champion to a version, refusing one worse than the champion unless --force."""
    alias = registry.check_alias(alias)
    if alias != registry.CHAMPION:
        raise LinktoxError(
            f"@{alias} is moved by training (the register stage), not by promotion; "
            f"promote moves @{registry.CHAMPION}"
        )
    cfg = load_params(params)
    uri = _open_store(tracking_uri)
    out = console()
    candidate = registry.version_for(version)
    incumbent = registry.version_for(f"@{alias}") if registry.has_alias(alias) else None
    if incumbent == candidate:
        out.print(f"version {candidate} already holds @{alias}")
        return
    if incumbent is not None:
        try:
            held = _evaluate_held_out([incumbent, candidate], features, cfg, primary_only=True)
        except LinktoxError as exc:
            if not force:
                raise
            out.print(
                f"[yellow]warning:[/yellow] promoting without a comparison: {escape(str(exc))}",
                soft_wrap=True,
            )
        else:
            for note in held.notes:
                out.print(f"note: {escape(note)}", soft_wrap=True)
            judgement = _judge(held, f"v{candidate}", f"v{incumbent}", cfg)
            if judgement.refused and not force:
                raise LinktoxError(
                    f"refusing to promote version {candidate} to @{alias}: {judgement.line()} "
                    "(pass --force to promote anyway)"
                )
            out.print(f"verdict: {escape(judgement.line())}", soft_wrap=True)
            if judgement.refused:
                out.print(
                    f"[yellow]warning:[/yellow] --force: promoting version {candidate} although "
                    f"it is {judgement.verdict} on {judgement.set_name}",
                    soft_wrap=True,
                )
    registry.set_alias(alias, candidate)
    registry.remember_default(uri)  # the next `linktox score` need not ask MLflow
    was = f" (was version {incumbent})" if incumbent else " (the first champion)"
    out.print(f"@{alias} -> version {candidate}{was}; `linktox score` now uses it")


def unalias(
    alias: Annotated[str, typer.Argument(help="Alias to delete, e.g. a stray @Champion.")],
    tracking_uri: TrackingOption = None,
) -> None:
    """Delete an alias (any name, so that a mistyped one can go)."""
    uri = _open_store(tracking_uri)
    name = alias.removeprefix("@")
    version = registry.remove_alias(name)
    registry.remember_default(uri)
    after = {
        registry.CHAMPION: "; scoring uses the newest version until one is promoted",
        registry.CHALLENGER: "; the next registered bundle sets it again",
    }.get(name, "")
    console().print(f"removed @{escape(name)} (it pointed at version {version}){after}")
