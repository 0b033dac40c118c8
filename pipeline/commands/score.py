"""``linktox score EXPORT``: read a vendor export, score every link, explain, roll up, disavow.

The export is read and scored in batches (:mod:`pipeline.stream`), so its size is bounded by
disk, not memory. The scored table goes to a temporary file beside ``--out``; the rollup, disavow
file and report are built in memory; only then is anything renamed into place, each file
atomically, so a bad input or a refused disavow file never leaves partial output behind.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
import typer

from features.build import FeatureParams
from models import registry
from models.bundle import Bundle
from pipeline import paths
from pipeline.config import load_params
from pipeline.errors import LinktoxError, atomic_path
from pipeline.logs import console
from pipeline.options import ParamsOption, TrackingOption
from pipeline.stream import StreamResult, peak_mib, score_chunks

log = logging.getLogger(__name__)


def load_bundle(model: str | None, tracking_uri: str | None) -> tuple[Bundle, str]:
    """The bundle for ``--model`` (path or registry URI; default @champion, else newest)."""
    if model is None or model.startswith("models:/"):
        registry.configure(paths.tracking_uri(tracking_uri))
    resolved = registry.resolve(model)
    return Bundle.load(resolved.path), resolved.description


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
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Score every link of an export: toxicity 0–100, label and reasons."""
    from pipeline import outputs
    from pipeline.importers import open_export

    if on_error not in ("fail", "skip"):
        raise LinktoxError(f"--on-error must be 'fail' or 'skip', not {on_error!r}")
    mode: Literal["fail", "skip"] = "skip" if on_error == "skip" else "fail"
    cfg = load_params(params)
    for given, flag in ((merge, "--merge"), (whitelist, "--whitelist")):
        if given is not None and disavow is None:
            raise LinktoxError(
                f"{flag} {given} shapes the disavow file, but no --disavow FILE was given"
            )
    for path, what in ((whitelist, "whitelist"), (merge, "previous disavow file")):
        if path is not None and not path.is_file():
            raise LinktoxError(f"{path}: {what} not found")
    out_format = outputs.table_format(out)
    # Inputs that can refuse the run are checked before the (possibly long) scoring.
    merge_text = merge.read_text(encoding="utf-8") if merge else None
    if merge_text is not None:
        outputs.parse_disavow(merge_text, str(merge))
    whitelisted = _read_lines(whitelist) if whitelist else []
    if whitelisted:
        outputs.normalise_entries(whitelisted, "whitelist")
    stream = open_export(export, fmt, site=site, on_error=mode, chunk_rows=cfg.score.batch_size)
    bundle, model_name = load_bundle(model, tracking_uri)
    with atomic_path(out) as staged:
        # The scored table is appended batch by batch to a temporary file beside --out; it is
        # renamed into place only once every other output has been built, so an error on the
        # way leaves no file at all.
        result = score_chunks(
            stream.chunks(),
            bundle,
            lambda batches: outputs.append_scored(batches, staged, out_format),
            n_reasons=cfg.score.reasons,
            params=FeatureParams(burst_window_days=cfg.featurize.burst_window_days),
        )
        # The importer has already said how many rows it left out and why; the problems
        # beyond the first are listed here, once.
        for problem in stream.problems[1:5]:
            log.warning("  %s", problem)
        rollup, disavow_text, refused, report_html = _summaries(
            result,
            export=export,
            model_name=model_name,
            own_domain=own_domain,
            disavow=disavow,
            whitelist=whitelisted,
            merge=(merge, merge_text),
            report=report,
        )
    if domains is not None:
        outputs.write_rollup(rollup, domains)
    if disavow is not None and disavow_text is not None:
        outputs.write_disavow(disavow_text, disavow)
    if report is not None and report_html is not None:
        outputs.write_report(report_html, report)
    log.info("scored %d links of %s with %s (peak memory %.0f MiB)", result.rows, export,
             model_name, peak_mib())  # fmt: skip
    outputs.render_summary(result.view, rollup, console())
    if refused is not None:
        # The scoring is done and its outputs are sound; only the disavow file is refused, so
        # the rollup can guide what to whitelist or review before asking again.
        written = ", ".join(str(path) for path in (out, domains, report) if path is not None)
        raise LinktoxError(f"{refused}; not written: {disavow} (written: {written})")


def _summaries(
    result: StreamResult,
    *,
    export: Path,
    model_name: str,
    own_domain: list[str] | None,
    disavow: Path | None,
    whitelist: list[str],
    merge: tuple[Path | None, str | None],
    report: Path | None,
) -> tuple[pl.DataFrame, str | None, LinktoxError | None, str | None]:
    """The rollup, and the disavow file's and report's text when asked for, built in memory.

    A disavow file over Google's limits is returned as the error that refused it (third item).
    """
    from pipeline import outputs

    own = sorted({*(own_domain or []), *result.target_domains})
    rollup = outputs.domain_rollup(result.view)
    disavow_text, refused = None, None
    if disavow is not None:
        try:
            disavow_text = outputs.build_disavow(
                rollup,
                own_domains=own,
                whitelist=whitelist,
                merge_with=merge[1],
                merge_name=str(merge[0]) if merge[0] else None,
                generated_at=datetime.now(UTC),
                tool_version=f"linktox {package_version('linktox')}, model {model_name}",
            )
        except LinktoxError as exc:
            refused = exc
    report_html = None
    if report is not None:
        report_html = outputs.render_report(
            result.view,
            rollup,
            title=f"Backlink audit: {', '.join(own) or export.name}",
            generated_at=datetime.now(UTC),
            model_version=model_name,
        )
    return rollup, disavow_text, refused, report_html


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LinktoxError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]
