"""``linktox score EXPORT``: read a vendor export, score every link, explain, roll up, disavow.

Everything is computed in memory first and written last, each file atomically, so a bad input or
a refused disavow file never leaves partial output behind.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from features import schema
from features.build import ANCHOR_CLASS, REF_DOMAIN, TARGET_DOMAIN, FeatureParams, build_features
from features.registry import FEATURES
from models import registry
from models.bundle import Bundle, BundleError
from models.explain import REASONS
from models.score import LABEL, TOXICITY_SCORE, score_frame
from pipeline.config import DEFAULT_PARAMS, load_params
from pipeline.errors import LinktoxError
from pipeline.featurize import feature_params
from pipeline.logs import console

log = logging.getLogger(__name__)

# Columns linktox adds to every input row of the scored table.
OUTPUT_COLUMNS: tuple[str, ...] = (REF_DOMAIN, TOXICITY_SCORE, LABEL, REASONS)


def load_bundle(model: str | None, tracking_uri: str | None) -> tuple[Bundle, str]:
    """The bundle for ``--model`` (path or registry URI; default @champion, else newest)."""
    try:
        if model is None or model.startswith("models:/"):
            registry.configure(tracking_uri)
        resolved = registry.resolve(model)
        return Bundle.load(resolved.path), resolved.description
    except (registry.RegistryError, BundleError) as exc:
        raise LinktoxError(str(exc)) from exc


def score_links(
    links: pl.DataFrame,
    bundle: Bundle,
    *,
    batch_size: int,
    n_reasons: int,
    params: FeatureParams | None = None,
    progress: bool = True,
) -> pl.DataFrame:
    """Features for the whole profile, then scores and reasons batch by batch."""
    feats = build_features(links.lazy(), params or FeatureParams()).collect()
    batches = []
    columns = [TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console(), disable=not progress, transient=True) as bar:
        task = bar.add_task("score", total=feats.height)
        for start in range(0, feats.height, batch_size):
            batch = feats.slice(start, batch_size)
            batches.append(score_frame(batch, bundle, FEATURES, n_reasons))
            bar.advance(task, batch.height)
    if not batches:
        return score_frame(feats, bundle, FEATURES, n_reasons)
    return pl.concat(batches)


def score(
    export: Annotated[Path, typer.Argument(help="Backlink export (Semrush, Ahrefs, Moz, ...).")],
    out: Annotated[Path, typer.Option(help="Scored table to write (.csv or .parquet).")],
    model: Annotated[
        str | None,
        typer.Option(help="Bundle folder or registry URI (default: @champion, else newest)."),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Force the export format (default: detect).")
    ] = None,
    site: Annotated[
        str | None, typer.Option(help="Your site, for exports without target URLs (GSC).")
    ] = None,
    domains: Annotated[Path | None, typer.Option(help="Referring-domain rollup to write.")] = None,
    disavow: Annotated[Path | None, typer.Option(help="Google disavow file to write.")] = None,
    whitelist: Annotated[
        Path | None, typer.Option(help="Domains never to disavow, one per line.")
    ] = None,
    merge: Annotated[
        Path | None, typer.Option(help="Previous disavow file to merge with (uploads replace).")
    ] = None,
    own_domain: Annotated[
        list[str] | None, typer.Option(help="Your own domains (target domains are added).")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Self-contained HTML report.")] = None,
    on_error: Annotated[
        str, typer.Option(help="Malformed rows: 'fail' stops, 'skip' drops and counts them.")
    ] = "fail",
    params: Annotated[Path, typer.Option(help="Parameters file.")] = DEFAULT_PARAMS,
    tracking_uri: Annotated[
        str | None, typer.Option(help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI).")
    ] = None,
) -> None:
    """Score every link of an export: toxicity 0–100, label and reasons."""
    from pipeline import outputs
    from pipeline.importers import read_export

    if on_error not in ("fail", "skip"):
        raise LinktoxError(f"--on-error must be 'fail' or 'skip', not {on_error!r}")
    mode: Literal["fail", "skip"] = "skip" if on_error == "skip" else "fail"
    cfg = load_params(params)
    for path, what in ((whitelist, "whitelist"), (merge, "previous disavow file")):
        if path is not None and not path.is_file():
            raise LinktoxError(f"{path}: {what} not found")
    imported = read_export(export, fmt, site=site, on_error=mode)
    if imported.skipped:
        log.warning("%s: skipped %d malformed rows", export, imported.skipped)
        for problem in imported.problems[:5]:
            log.warning("  %s", problem)
    bundle, model_name = load_bundle(model, tracking_uri)
    detail = score_links(
        imported.links,
        bundle,
        batch_size=cfg.score.batch_size,
        n_reasons=cfg.score.reasons,
        params=feature_params(cfg.featurize),
    )
    table = imported.original.with_columns(detail.select(OUTPUT_COLUMNS))
    own = sorted(
        {*(own_domain or []), *detail.get_column(TARGET_DOMAIN).drop_nulls().unique().to_list()}
    )
    view = detail.select(
        schema.SOURCE_URL, schema.ANCHOR, REF_DOMAIN, ANCHOR_CLASS, TOXICITY_SCORE, LABEL, REASONS
    )
    # Build every output in memory first: a refusal (e.g. disavow limits) writes nothing.
    rollup = outputs.domain_rollup(view)
    disavow_text = None
    if disavow is not None:
        disavow_text = outputs.build_disavow(
            rollup,
            own_domains=own,
            whitelist=_read_lines(whitelist) if whitelist else (),
            merge_with=merge.read_text(encoding="utf-8") if merge else None,
            merge_name=str(merge) if merge else None,
            generated_at=datetime.now(UTC),
            tool_version=f"linktox {package_version('linktox')}, model {model_name}",
        )
    report_html = None
    if report is not None:
        report_html = outputs.render_report(
            view,
            rollup,
            title=f"Backlink audit: {', '.join(own) or export.name}",
            generated_at=datetime.now(UTC),
            model_version=model_name,
        )
    outputs.write_scored(table, out)
    if domains is not None:
        outputs.write_rollup(rollup, domains)
    if disavow is not None and disavow_text is not None:
        outputs.write_disavow(disavow_text, disavow)
    if report is not None and report_html is not None:
        outputs.write_report(report_html, report)
    log.info("scored %d links of %s with %s", table.height, export, model_name)
    outputs.render_summary(view, rollup, console())


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LinktoxError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]
