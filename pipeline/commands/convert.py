"""``linktox convert EXPORT --out links.parquet``: a vendor export as canonical links.

The importers run on one machine (they detect the tool, decode its file and check every row);
engines that read Parquet from anywhere, such as ``linktox spark score``, start from their
output. The export is read and written in chunks (``score.batch_size`` rows), so its size is
bounded by disk, not memory; the file appears only once every row has been read and checked.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_params
from pipeline.errors import LinktoxError, atomic_path
from pipeline.logs import console
from pipeline.options import ParamsOption

log = logging.getLogger(__name__)


def convert(
    export: Annotated[Path, typer.Argument(help="Backlink export (Semrush, Ahrefs, Moz, ...).")],
    out: Annotated[Path, typer.Option(help="Canonical links to write (.parquet).")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="Force the export format (default: detect).")
    ] = None,
    site: Annotated[
        str | None, typer.Option(help="Your site, for exports without target URLs (GSC).")
    ] = None,
    on_error: Annotated[
        str, typer.Option(help="Malformed rows: 'fail' stops, 'skip' drops and counts them.")
    ] = "fail",
    params: ParamsOption = None,
) -> None:
    """Convert a vendor export to the canonical link table (Parquet), every row checked."""
    from pipeline import outputs
    from pipeline.importers import open_export

    cfg = load_params(params)
    if on_error not in ("fail", "skip"):
        raise LinktoxError(f"--on-error must be 'fail' or 'skip', not {on_error!r}")
    if out.suffix.lower() != ".parquet":
        raise LinktoxError(f"{out}: --out must be a .parquet file")
    stream = open_export(
        export,
        fmt,
        site=site,
        on_error="skip" if on_error == "skip" else "fail",
        chunk_rows=cfg.score.batch_size,
    )
    with atomic_path(out) as staged:
        rows = outputs.append_scored(
            (chunk.links for chunk in stream.chunks()), staged, outputs.table_format(out)
        )
    if stream.skipped:
        log.warning("%s: skipped %d malformed rows", export, stream.skipped)
        for problem in stream.problems[:5]:
            log.warning("  %s", problem)
    console().print(f"wrote {rows:,} canonical links from {export} ({stream.title}) to {out}")
