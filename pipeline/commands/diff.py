"""``linktox diff OLD NEW``: what changed between two audits of one site.

Both exports are scored with the same model through the one scoring path
(:func:`pipeline.scoring.score_export`), each as its own profile, exactly as ``linktox score``
would score it; a table written by ``linktox score`` is read with its scores instead. Links and
referring domains are matched by :mod:`pipeline.outputs.changes`, which also holds the
negative-SEO alert rule. Every output is built in memory first and written atomically, so a bad
input leaves no file behind.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_params
from pipeline.errors import LinktoxError
from pipeline.logs import console
from pipeline.options import ParamsOption, TrackingOption
from pipeline.scoring import ModelLoader, on_error_mode, score_export

log = logging.getLogger(__name__)


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier export (or a table `score` wrote).")],
    new: Annotated[Path, typer.Argument(help="The later export of the same site.")],
    out: Annotated[
        Path | None, typer.Option(help="Link changes to write (.csv or .parquet).")
    ] = None,
    domains: Annotated[
        Path | None, typer.Option(help="Referring-domain changes to write (.csv or .parquet).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="HTML audit report of NEW with a changes section.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Bundle folder or registry URI (default: @champion, else newest)."),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Force the exports' format (default: detect).")
    ] = None,
    site: Annotated[
        str | None, typer.Option(help="Your site, for exports without target URLs (GSC).")
    ] = None,
    on_error: Annotated[
        str, typer.Option(help="Malformed rows: 'fail' stops, 'skip' drops and counts them.")
    ] = "fail",
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """New, lost and kept links and referring domains; the toxicity shift; a negative-SEO alert."""
    from pipeline import outputs
    from pipeline.outputs import changes
    from pipeline.outputs.rollup import shared_sites

    mode = on_error_mode(on_error)
    for path in (out, domains):
        if path is not None:
            outputs.table_format(path)
    if report is not None:
        outputs.check_report_path(report)
    cfg = load_params(params)
    models = ModelLoader(model, tracking_uri)
    then = score_export(old, models, cfg, fmt=fmt, site=site, on_error=mode)
    now = score_export(new, models, cfg, fmt=fmt, site=site, on_error=mode)
    if not set(then.target_domains) & set(now.target_domains):
        raise LinktoxError(
            f"{old} links to {then.site} and {new} to {now.site}: diff compares two "
            "exports of one site (to compare sites, use `linktox gap`)"
        )
    # Both exports keyed by the same referring sites (platforms decided on their links together).
    old_links, new_links = shared_sites([then.links, now.links])
    links, merged_old, merged_new = changes.diff_links(old_links, new_links)
    domain_changes = changes.diff_domains(old_links, new_links)
    shift = changes.toxicity_shift(links, domain_changes, merged=(merged_old, merged_new))
    for path, merged in ((old, merged_old), (new, merged_new)):
        if merged:
            log.info("%s: %d rows are the same link as another row (matching rules)", path, merged)
    generated = datetime.now(UTC)
    html = None
    if report is not None:
        rollup = outputs.domain_rollup(new_links)
        html = outputs.render_report(
            new_links,
            rollup,
            title=f"Backlink audit: {now.site}",
            generated_at=generated,
            model_version=now.scored_by,
            changes=changes.report_section(
                shift, domain_changes, old_name=old.name, old_scored_by=then.scored_by
            ),
        )
    if out is not None:
        outputs.write_scored(links, out)
    if domains is not None:
        outputs.write_scored(domain_changes, domains)
    if report is not None and html is not None:
        outputs.write_report(html, report)
    for table in changes.shift_tables(shift, old.name, new.name):
        console().print(table)
