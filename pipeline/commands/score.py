"""``linktox score EXPORT``: read a vendor export, score every link, explain, roll up, disavow.

The export is read and scored in batches (:mod:`pipeline.stream`), so its size is bounded by
disk, not memory. The scored table goes to a temporary file beside ``--out``; the rollup, disavow
file and report are built in memory; only then is anything renamed into place, each file
atomically, so a bad input or a refused disavow file never leaves partial output behind.

Every row of the export is in the scored table, in input order (``--on-error keep``, the
default): rows that cannot be scored carry an empty score, the label ``unscored`` and their
problem in the ``problem`` column; exact repeats carry their first copy's score and say so. The
summary, report and log give the counts and the first lines. A Ctrl-C or SIGTERM stops within a
second, removes the temporary files and says which outputs were not written
(:mod:`pipeline.cleanup`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import polars as pl
import typer

from pipeline.config import load_params
from pipeline.errors import LinktoxError, atomic_path
from pipeline.logs import console
from pipeline.options import ParamsOption, TrackingOption
from pipeline.scoring import feature_params, load_bundle
from pipeline.stream import StreamResult, peak_mib, score_chunks

if TYPE_CHECKING:
    from pipeline.importers import OnError
    from pipeline.importers.core import RowCounts

log = logging.getLogger(__name__)


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
        str,
        typer.Option(
            help="Rows that cannot be scored: 'keep' writes them unscored with their problem "
            "(default), 'skip' drops and counts them, 'fail' refuses the export (also for "
            "repeated links)."
        ),
    ] = "keep",
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Score every link of an export: toxicity 0–100, label and reasons."""
    from pipeline import cleanup, outputs
    from pipeline.importers import open_export
    from pipeline.importers.core import ON_ERROR_CHOICES

    if on_error not in ON_ERROR_CHOICES:
        choices = ", ".join(repr(choice) for choice in ON_ERROR_CHOICES)
        raise LinktoxError(f"--on-error must be one of {choices}, not {on_error!r}")
    mode = cast("OnError", on_error)
    cleanup.reset()
    cleanup.plan([out, domains, disavow, report])
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
            params=feature_params(cfg, bundle),
            unit=stream.unit,
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
            counts=stream.counts,
        )
    if domains is not None:
        outputs.write_rollup(rollup, domains)
    if disavow is not None and disavow_text is not None:
        outputs.write_disavow(disavow_text, disavow)
    if report is not None and report_html is not None:
        outputs.write_report(report_html, report)
    log.info("scored %d links of %s with %s (peak memory %.0f MiB)", result.rows, export,
             model_name, peak_mib())  # fmt: skip
    outputs.render_summary(result.view, rollup, console(), counts=stream.counts)
    console().print(
        _written_line(
            out=out,
            rows=result.rows,
            domains=domains,
            rollup=rollup,
            disavow=disavow if refused is None else None,
            disavow_text=disavow_text,
            report=report,
        ),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
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
    counts: RowCounts,
) -> tuple[pl.DataFrame, str | None, LinktoxError | None, str | None]:
    """The rollup, and the disavow file's and report's text when asked for, built in memory.

    A disavow file over Google's limits is returned as the error that refused it (third item).
    """
    from pipeline import outputs

    own = sorted({*(own_domain or []), *result.target_domains})
    rollup = outputs.domain_rollup(result.view, own_domains=own, whitelist=whitelist)
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
                links=result.view,
            )
        except LinktoxError as exc:
            refused = exc
    report_html = None
    if report is not None:
        report_html = outputs.render_report(
            result.view,
            rollup,
            title=f"Backlink audit: {', '.join(result.target_domains) or export.name}",
            generated_at=datetime.now(UTC),
            model_version=model_name,
            counts=counts,
        )
    return rollup, disavow_text, refused, report_html


def _written_line(
    *,
    out: Path,
    rows: int,
    domains: Path | None,
    rollup: pl.DataFrame,
    disavow: Path | None,
    disavow_text: str | None,
    report: Path | None,
) -> str:
    """One line naming every file written and what it holds."""
    parts = [f"{out} ({rows:,} rows)"]
    if domains is not None:
        parts.append(f"{domains} ({rollup.height:,} referring sites)")
    if disavow is not None and disavow_text is not None:
        entries = [line for line in disavow_text.splitlines() if not line.startswith("#")]
        lines = sum(line.startswith("domain:") for line in entries)
        parts.append(f"{disavow} ({lines:,} domain: lines, {len(entries) - lines:,} URLs)")
    if report is not None:
        parts.append(str(report))
    return "Written: " + ", ".join(parts)


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LinktoxError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]
