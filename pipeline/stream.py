"""Score an export of any size in bounded memory: chunks in, batches out.

Profile-level features need the whole profile, so scoring goes in three passes:

1. **read and prepare**: the export is read chunk by chunk; each chunk's links get their row-wise
   columns (parsed URLs, keys; :func:`features.build.prepare_base`) and are spilled to Parquet
   in a temporary folder, with the vendor's original columns beside them;
2. **profile tables**: the lookup tables (per profile, day, anchor, referring domain, network
   key, word) are computed once from all spilled chunks, reading only the columns they need;
3. **score**: each chunk is read back, joined with the tables into its features, scored and
   explained, and appended to the scored table; only a slim per-link view (domain, class, score,
   label, reasons) stays in memory for the rollup, summary and report.

The result is the same, value for value, as featurizing the whole export at once.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from features import schema
from features.build import (
    ANCHOR_CLASS,
    REF_DOMAIN,
    TARGET_DOMAIN,
    FeatureParams,
    collecting,
    link_rows,
    prepare_base,
    profile_tables,
)
from features.catalog import FEATURES
from models.bundle import Bundle
from models.cutoffs import REVIEW, TOXIC
from models.explain import REASONS
from models.score import LABEL, TOXICITY_SCORE, score_frame
from pipeline.logs import console

if TYPE_CHECKING:
    from pipeline.importers import ImportChunk

log = logging.getLogger(__name__)


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Columns linktox adds to every input row of the scored table.
OUTPUT_COLUMNS: tuple[str, ...] = (REF_DOMAIN, TOXICITY_SCORE, LABEL, REASONS)
# The per-link view kept for the rollup, summary and report. URL and anchor are kept for toxic
# and review links only: the report lists the links to act on, and nothing else reads them.
VIEW_COLUMNS: tuple[str, ...] = (
    schema.SOURCE_URL,
    schema.ANCHOR,
    REF_DOMAIN,
    ANCHOR_CLASS,
    TOXICITY_SCORE,
    LABEL,
    REASONS,
)

_BASE = "base-{:06d}.parquet"
_ORIGINAL = "original-{:06d}.parquet"
_VIEW = "view-{:06d}.parquet"
_KEPT = "kept-{:06d}.parquet"


@dataclass(frozen=True)
class StreamResult:
    """What the batches left behind for the summary outputs.

    Attributes:
        rows: Links scored (and written).
        view: One row per link, ``VIEW_COLUMNS``, in input order.
        target_domains: The registrable domains the links point to (the site's own).
        kept: The ``keep`` columns of every scored link, in input order (None without ``keep``).
    """

    rows: int
    view: pl.DataFrame
    target_domains: tuple[str, ...]
    kept: pl.DataFrame | None = None


def _progress(enabled: bool) -> Progress:
    columns = [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    return Progress(*columns, console=console(), disable=not enabled, transient=True)


def _spill(chunks: Iterable[ImportChunk], folder: Path, progress: Progress) -> list[int]:
    """Pass 1: prepare each chunk's links and write them, and the original columns, to Parquet.

    Returns the number of links in each spilled chunk.
    """
    task = progress.add_task("reading", total=None)
    sizes: list[int] = []
    offset = 0
    for index, chunk in enumerate(chunks):
        if chunk.links.height == 0:
            continue
        prepared = prepare_base(chunk.links.lazy(), row_offset=offset).collect()
        prepared.write_parquet(folder / _BASE.format(len(sizes)))
        chunk.original.write_parquet(folder / _ORIGINAL.format(len(sizes)))
        sizes.append(chunk.links.height)
        offset += chunk.links.height
        progress.update(
            task, advance=chunk.links.height, description=f"reading (chunk {index + 1})"
        )
    progress.remove_task(task)
    return sizes


def _view(scored: pl.DataFrame) -> pl.DataFrame:
    flagged = pl.col(LABEL).is_in((TOXIC, REVIEW))
    return scored.select(
        pl.when(flagged).then(pl.col(schema.SOURCE_URL)).alias(schema.SOURCE_URL),
        pl.when(flagged).then(pl.col(schema.ANCHOR)).alias(schema.ANCHOR),
        pl.col(REF_DOMAIN).cast(pl.Categorical),
        pl.col(ANCHOR_CLASS).cast(pl.Categorical),
        TOXICITY_SCORE,
        pl.col(LABEL).cast(pl.Categorical),
        REASONS,
    )


def score_chunks(
    chunks: Iterable[ImportChunk],
    bundle: Bundle,
    write: Callable[[Iterator[pl.DataFrame]], int],
    *,
    n_reasons: int,
    params: FeatureParams | None = None,
    progress: bool = True,
    spill_dir: Path | None = None,
    keep: tuple[str, ...] = (),
) -> StreamResult:
    """Score every link of ``chunks`` with whole-profile features, a chunk at a time.

    Args:
        chunks: The export, as the importer yields it (links and original columns).
        bundle: The model.
        write: Consumes the scored batches (original columns + ``OUTPUT_COLUMNS``) in order,
            e.g. appending them to a file; returns the rows written.
        n_reasons: Reasons per flagged link.
        params: Feature settings.
        progress: Show progress bars.
        spill_dir: Where the temporary chunk files go (default: the system's temp folder).
        keep: Columns of the scored links (canonical or key columns) to keep whole for every
            link in :attr:`StreamResult.kept` (``diff`` and ``gap`` match links on them).
    """
    params = params or FeatureParams()
    targets: set[str] = set()
    with (
        tempfile.TemporaryDirectory(prefix="linktox-", dir=spill_dir) as tmp,
        _progress(progress) as bar,
    ):
        folder = Path(tmp)
        start = time.perf_counter()
        sizes = _spill(chunks, folder, bar)
        if not sizes:
            raise ValueError("no links to score")
        log.info("read and prepared %d links in %d chunks (%.0f s, peak %.0f MiB)", sum(sizes),
                 len(sizes), time.perf_counter() - start, peak_mib())  # fmt: skip
        start = time.perf_counter()
        task = bar.add_task("profile tables", total=None)
        spilled = pl.scan_parquet([folder / _BASE.format(index) for index in range(len(sizes))])
        tables = profile_tables(spilled, params, stage=collecting("streaming"))
        bar.remove_task(task)
        table_rows = sum(t.select(pl.len()).collect().item() for t in tables.frames.values())
        log.info("profile tables: %d rows (%.0f s, peak %.0f MiB)", table_rows,
                 time.perf_counter() - start, peak_mib())  # fmt: skip
        start = time.perf_counter()
        task = bar.add_task("scoring", total=sum(sizes))

        def batches() -> Iterator[pl.DataFrame]:
            for index, size in enumerate(sizes):
                features = link_rows(pl.scan_parquet(folder / _BASE.format(index)), tables)
                scored = score_frame(features.collect(), bundle, FEATURES, n_reasons)
                # Spilled too: a view selected from the batch would keep the batch's whole
                # string buffers alive; read back at the end, it holds just its own values.
                _view(scored).write_parquet(folder / _VIEW.format(index))
                if keep:
                    scored.select(keep).write_parquet(folder / _KEPT.format(index))
                targets.update(scored.get_column(TARGET_DOMAIN).drop_nulls().unique().to_list())
                original = pl.read_parquet(folder / _ORIGINAL.format(index))
                yield original.with_columns(scored.select(OUTPUT_COLUMNS))
                bar.advance(task, size)

        rows = write(batches())
        view = pl.read_parquet([folder / _VIEW.format(index) for index in range(len(sizes))])
        kept = (
            pl.read_parquet([folder / _KEPT.format(index) for index in range(len(sizes))])
            if keep
            else None
        )
        log.info("scored, explained and wrote %d links (%.0f s, peak %.0f MiB)", rows,
                 time.perf_counter() - start, peak_mib())  # fmt: skip
    return StreamResult(rows=rows, view=view, target_domains=tuple(sorted(targets)), kept=kept)
