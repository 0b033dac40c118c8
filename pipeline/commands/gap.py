"""``linktox gap MINE COMPETITOR...``: link prospects your competitors have and you lack.

Every export is scored with the same model through the one scoring path
(:func:`pipeline.scoring.score_export`), each as its own profile; a table written by
``linktox score`` is read with its scores. Which domains are prospects, how toxic ones are left
out and how prospects are ranked is :mod:`pipeline.outputs.prospects`' business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_params
from pipeline.errors import LinktoxError
from pipeline.logs import console
from pipeline.options import ParamsOption, TrackingOption
from pipeline.scoring import ModelLoader, on_error_mode, score_export


def gap(
    mine: Annotated[Path, typer.Argument(help="Your site's export (or a table `score` wrote).")],
    competitors: Annotated[
        list[Path], typer.Argument(help="Exports of 1 to 5 competitors' sites.")
    ],
    out: Annotated[Path | None, typer.Option(help="Prospects to write (.csv or .parquet).")] = None,
    overlap: Annotated[
        Path | None, typer.Option(help="Shared-domain matrix to write (.csv or .parquet).")
    ] = None,
    min_competitors: Annotated[
        int, typer.Option(help="Keep domains linking to at least this many competitors.")
    ] = 1,
    include_toxic: Annotated[
        bool, typer.Option(help="Keep prospects labelled toxic (with their reasons).")
    ] = False,
    include_review: Annotated[
        bool, typer.Option(help="Keep prospects labelled review (with their reasons).")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(help="Bundle folder or registry URI (default: @champion, else newest)."),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Force the exports' format (default: detect).")
    ] = None,
    site: Annotated[
        str | None, typer.Option(help="Your site, if your export has no target URLs (GSC).")
    ] = None,
    on_error: Annotated[
        str, typer.Option(help="Malformed rows: 'fail' stops, 'skip' drops and counts them.")
    ] = "fail",
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Referring domains that link to your competitors and not to you, toxic and review ones
    left out."""
    from pipeline import outputs
    from pipeline.outputs import prospects

    mode = on_error_mode(on_error)
    if not 1 <= len(competitors) <= prospects.MAX_COMPETITORS:
        raise LinktoxError(
            f"give 1 to {prospects.MAX_COMPETITORS} competitor exports, not {len(competitors)}"
        )
    if not 1 <= min_competitors <= len(competitors):
        raise LinktoxError(
            f"--min-competitors must be between 1 and {len(competitors)} (the competitor "
            f"exports given), not {min_competitors}"
        )
    for path in (out, overlap):
        if path is not None:
            outputs.table_format(path)
    cfg = load_params(params)
    models = ModelLoader(model, tracking_uri)
    own = score_export(mine, models, cfg, fmt=fmt, site=site, on_error=mode)
    theirs = [score_export(path, models, cfg, fmt=fmt, on_error=mode) for path in competitors]
    seen = {own.site: mine}
    for path, export in zip(competitors, theirs, strict=True):
        if export.site in seen:
            raise LinktoxError(
                f"{path} is an export of {export.site}, as is {seen[export.site]}: give one "
                "export per site (yours first, then each competitor)"
            )
        seen[export.site] = path
    exclude = tuple(sorted({d for e in (own, *theirs) for d in e.target_domains}))
    result = prospects.backlink_gap(
        prospects.Profile(own.site, own.links),
        [prospects.Profile(e.site, e.links) for e in theirs],
        min_competitors=min_competitors,
        include_toxic=include_toxic,
        include_review=include_review,
        exclude=exclude,
    )
    if out is not None:
        outputs.write_scored(result.prospects, out)
    if overlap is not None:
        outputs.write_scored(result.overlap, overlap)
    for table in prospects.gap_tables(result):
        console().print(table)
    if result.toxic_left_out or result.review_left_out:
        console().print(
            f"Left out: {result.toxic_left_out:,} prospects labelled toxic (--include-toxic "
            f"keeps them) and {result.review_left_out:,} labelled review (--include-review)."
        )
