"""Score an export of any size in bounded memory: chunks in, batches out.

Profile-level features need the whole profile, so scoring goes in three passes:

1. **read and prepare**: the export is read chunk by chunk; each chunk's links get their row-wise
   columns (parsed URLs, keys; :func:`features.build.prepare_base`) and are spilled to Parquet
   in a temporary folder, with the vendor's original columns beside them;
2. **profile tables**: the lookup tables (per profile, day, anchor, referring domain, network
   key, word) are computed once from all spilled chunks, reading only the columns they need;
3. **score**: each chunk is read back, joined with the tables into its features, scored and
   explained, and appended to the scored table; only a slim per-link view (domain, class, score,
   label, reasons) stays in memory for the rollup, summary and report. A feature row explained
   in one chunk is not explained again in a later one (:class:`models.explain.ReasonCache`),
   nor scored again (:class:`models.score.ScoreCache`).

The result is the same, value for value, as featurizing the whole export at once.

Every row the importer yields is written, in input order. Only *fresh* rows (scorable, and not
an exact repeat of an earlier row) are featurized, so a repeated row counts once in every
profile-level feature; a repeat is written with its first copy's score, label and reasons, and
a row that cannot be scored with an empty score, the label ``unscored`` and its problem. The
per-link view holds fresh rows only: the rollup, summary and report count each link once.
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
    NAME_SCORES,
    REF_DOMAIN,
    SOURCE_HOST,
    SOURCE_SUFFIX,
    TARGET_DOMAIN,
    EngineName,
    FeatureParams,
    ProfileTables,
    collecting,
    knowledge_tables,
    link_rows,
    name_score_table,
    prepare_base,
    profile_tables,
)
from features.catalog import FEATURES
from models.bundle import Bundle
from models.cutoffs import REVIEW, TOXIC
from models.explain import REASONS, ReasonCache
from models.score import LABEL, TOXICITY_SCORE, ScoreCache, score_frame
from pipeline import cleanup
from pipeline.logs import console
from pipeline.outputs.columns import PROBLEM, REPEAT_NOTE, UNSCORED

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
SCORE_COLUMNS: tuple[str, ...] = (REF_DOMAIN, TOXICITY_SCORE, LABEL, REASONS)
OUTPUT_COLUMNS: tuple[str, ...] = (*SCORE_COLUMNS, PROBLEM)
# The per-link view kept for the rollup, summary, report and disavow file. The URL is kept where
# something reads it: toxic and review links (the report lists the links to act on; URL-level
# disavow entries) and links of sites disavowed by their URLs (path-based platform sites, bare
# platform hosts); the anchor for toxic and review links.
VIEW_COLUMNS: tuple[str, ...] = (
    schema.SOURCE_URL,
    schema.ANCHOR,
    REF_DOMAIN,
    SOURCE_HOST,
    ANCHOR_CLASS,
    TOXICITY_SCORE,
    LABEL,
    REASONS,
)

_BASE = "base-{:06d}.parquet"
_ORIGINAL = "original-{:06d}.parquet"
_STATUS = "status-{:06d}.parquet"
_VIEW = "view-{:06d}.parquet"
_POSITION = "__lt_position"  # not a scratch name (_lt_): it must survive link_rows
_FIRST = "__lt_first"
_FRESH = "__lt_fresh"
_KEPT = "kept-{:06d}.parquet"
# Exports up to this many rows get their profile tables from polars' in-memory engine.
_IN_MEMORY_ROWS = 100_000


@dataclass(frozen=True)
class StreamResult:
    """What the batches left behind for the summary outputs.

    Attributes:
        rows: Rows written (every row of the export).
        view: One row per fresh link (scored, not a repeat), ``VIEW_COLUMNS``, in input order.
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


@dataclass(frozen=True)
class _Spilled:
    rows: int  # rows of the chunk (all written)
    fresh: int  # rows featurized and scored


def _spill(
    chunks: Iterable[ImportChunk], folder: Path, progress: Progress
) -> tuple[list[_Spilled], pl.Series]:
    """Pass 1: prepare each chunk's fresh links and write them, the original columns and each
    row's status to Parquet.

    Returns each spilled chunk's sizes and the positions that later rows repeat.
    """
    task = progress.add_task("reading", total=None)
    sizes: list[_Spilled] = []
    repeated: list[pl.Series] = []
    offset = 0
    for index, chunk in enumerate(chunks):
        if chunk.links.height == 0:
            continue
        status = pl.DataFrame(
            {
                _POSITION: chunk.positions,
                PROBLEM: chunk.problem,
                _FIRST: chunk.duplicate_of,
                _FRESH: chunk.scorable & chunk.duplicate_of.is_null(),
            }
        )
        fresh = chunk.links.with_columns(chunk.positions.alias(_POSITION)).filter(status[_FRESH])
        number = len(sizes)
        if fresh.height:
            prepared = prepare_base(fresh.lazy(), row_offset=offset).collect()
            prepared.write_parquet(folder / _BASE.format(number))
        chunk.original.write_parquet(folder / _ORIGINAL.format(number))
        status.write_parquet(folder / _STATUS.format(number))
        repeated.append(chunk.duplicate_of.drop_nulls())
        sizes.append(_Spilled(rows=chunk.links.height, fresh=fresh.height))
        offset += fresh.height
        progress.update(
            task, advance=chunk.links.height, description=f"reading (chunk {index + 1})"
        )
    progress.remove_task(task)
    firsts = pl.concat(repeated).unique() if repeated else pl.Series(_FIRST, [], pl.Int64)
    return sizes, firsts


def kept_url() -> pl.Expr:
    """A scored link's source URL where the per-link view keeps it (``VIEW_COLUMNS``), else
    null: shared by ``linktox score`` and ``linktox spark score``, whose disavow files list the
    same URLs."""
    flagged = pl.col(LABEL).is_in((TOXIC, REVIEW))
    # Sites disavowed by their URLs: path-based sites and hosts that are themselves a suffix.
    by_urls = pl.col(REF_DOMAIN).str.contains("/", literal=True) | (
        pl.col(REF_DOMAIN) == pl.col(SOURCE_SUFFIX)
    )
    return pl.when(flagged | by_urls.fill_null(False)).then(pl.col(schema.SOURCE_URL))


def _view(scored: pl.DataFrame) -> pl.DataFrame:
    flagged = pl.col(LABEL).is_in((TOXIC, REVIEW))
    return scored.select(
        kept_url().alias(schema.SOURCE_URL),
        pl.when(flagged).then(pl.col(schema.ANCHOR)).alias(schema.ANCHOR),
        pl.col(REF_DOMAIN).cast(pl.Categorical),
        pl.col(SOURCE_HOST).cast(pl.Categorical),
        pl.col(ANCHOR_CLASS).cast(pl.Categorical),
        TOXICITY_SCORE,
        pl.col(LABEL).cast(pl.Categorical),
        # Categorical too: flagged links share a few thousand distinct reasons strings, which
        # as plain strings were half the view (about 0.5 GiB at ten million links).
        pl.col(REASONS).cast(pl.Categorical),
    )


def _written(
    original: pl.DataFrame,
    status: pl.DataFrame,
    scored: pl.DataFrame | None,
    remembered: pl.DataFrame,
    unit: str,
) -> pl.DataFrame:
    """A chunk as written: every original row, its fresh score, its first copy's score if it is
    a repeat, or no score and the label ``unscored``."""
    empty = pl.DataFrame(
        schema={
            _POSITION: pl.Int64,
            REF_DOMAIN: pl.String,
            TOXICITY_SCORE: pl.Float64,
            LABEL: pl.String,
            REASONS: pl.String,
        }
    )
    own = empty if scored is None else scored.select(_POSITION, *SCORE_COLUMNS)
    rows = status.join(own, on=_POSITION, how="left", maintain_order="left").join(
        remembered.rename({_POSITION: _FIRST, **{c: f"{c}:first" for c in SCORE_COLUMNS}}),
        on=_FIRST,
        how="left",
        maintain_order="left",
    )
    filled = rows.select(
        *(pl.coalesce(column, f"{column}:first").alias(column) for column in SCORE_COLUMNS),
        pl.col(PROBLEM),
        pl.col(_FIRST),
    ).with_columns(
        pl.col(LABEL).fill_null(UNSCORED),
        pl.col(REASONS).fill_null(""),
        pl.when(pl.col(_FIRST).is_not_null())
        .then(pl.format(REPEAT_NOTE.replace("{} {}", f"{unit} {{}}"), pl.col(_FIRST)))
        .otherwise(pl.col(PROBLEM).fill_null(""))
        .alias(PROBLEM),
    )
    return original.with_columns(filled.select(OUTPUT_COLUMNS))


def score_prepared(
    base: pl.LazyFrame,
    tables: ProfileTables,
    bundle: Bundle,
    n_reasons: int,
    cache: ReasonCache | None = None,
    score_cache: ScoreCache | None = None,
) -> pl.DataFrame:
    """Features, score, label and reasons of a batch of prepared links (:func:`prepare_base`),
    from the whole profiles' tables: the one scoring step of ``linktox score`` and of
    ``linktox spark score``. ``cache`` keeps the reasons of rows already explained in earlier
    batches of the same export, ``score_cache`` the model's outputs of rows already scored."""
    features = link_rows(base, tables)
    return score_frame(
        features.collect(), bundle, FEATURES, n_reasons, cache=cache, score_cache=score_cache
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
    unit: str = "line",
    keep: tuple[str, ...] = (),
) -> StreamResult:
    """Score every link of ``chunks`` with whole-profile features, a chunk at a time.

    Args:
        chunks: The export, as the importer yields it (links and original columns).
        bundle: The model.
        write: Consumes the scored batches (original columns + ``OUTPUT_COLUMNS``, every input
            row in input order) in order, e.g. appending them to a file; returns the rows
            written.
        n_reasons: Reasons per flagged link.
        params: Feature settings.
        progress: Show progress bars.
        spill_dir: Where the temporary chunk files go (default: the system's temp folder).
        unit: How the importer names positions (``line``), for the repeat notes.
        keep: Columns of the scored links (canonical or key columns) to keep whole for every
            link in :attr:`StreamResult.kept` (``diff`` and ``gap`` match links on them).
    """
    params = params or FeatureParams()
    bundle.warm_explainer()  # its trees are read while the export is
    targets: set[str] = set()
    with (
        tempfile.TemporaryDirectory(prefix="linktox-", dir=spill_dir) as tmp,
        _progress(progress) as bar,
    ):
        folder = Path(tmp)
        cleanup.register(folder)
        start = time.perf_counter()
        sizes, firsts = _spill(chunks, folder, bar)
        fresh = [index for index, size in enumerate(sizes) if size.fresh]
        if not fresh:
            raise ValueError("no links to score")
        total = sum(size.rows for size in sizes)
        log.info("read and prepared %d links in %d chunks (%.0f s, peak %.0f MiB)", total,
                 len(sizes), time.perf_counter() - start, peak_mib())  # fmt: skip
        start = time.perf_counter()
        task = bar.add_task("profile tables", total=None)
        spilled = pl.scan_parquet([folder / _BASE.format(index) for index in fresh])
        # Streaming keeps a large export's tables within memory; a small one's are quicker to
        # compute in memory (a tenth of a second of a 1,000-link export), with the same values.
        engine: EngineName = "streaming" if total > _IN_MEMORY_ROWS else "in-memory"
        tables = profile_tables(spilled, params, stage=collecting(engine))
        # The referring domains' names are scored once here, not again in every batch.
        names = name_score_table(spilled, params.knowledge).collect(engine=engine)
        tables = ProfileTables({**tables.frames, NAME_SCORES: names.lazy()})
        bar.remove_task(task)
        # The shipped knowledge tables pass through (hundreds of thousands of rows, whatever
        # the export); the count says what was built from the export's own links.
        shipped = set(knowledge_tables(params.knowledge))
        rows_of = {name: t.select(pl.len()).collect().item() for name, t in tables.frames.items()}
        log.info("profile tables: %d rows (%.0f s, peak %.0f MiB), besides %d rows of shipped "
                 "knowledge", sum(n for name, n in rows_of.items() if name not in shipped),
                 time.perf_counter() - start, peak_mib(),
                 sum(n for name, n in rows_of.items() if name in shipped))  # fmt: skip
        start = time.perf_counter()
        task = bar.add_task("scoring", total=total)
        remembered: list[pl.DataFrame] = []
        # A feature row explained (or scored) in one batch is not explained (scored) again.
        reasons = ReasonCache()
        scores = ScoreCache()

        def batches() -> Iterator[pl.DataFrame]:
            for index, size in enumerate(sizes):
                scored = None
                if size.fresh:
                    scored = score_prepared(
                        pl.scan_parquet(folder / _BASE.format(index)),
                        tables,
                        bundle,
                        n_reasons,
                        cache=reasons,
                        score_cache=scores,
                    )
                    # Spilled too: a view selected from the batch would keep the batch's whole
                    # string buffers alive; read back at the end, it holds just its own values.
                    _view(scored).write_parquet(folder / _VIEW.format(index))
                    if keep:
                        scored.select(keep).write_parquet(folder / _KEPT.format(index))
                    targets.update(scored.get_column(TARGET_DOMAIN).drop_nulls().unique().to_list())
                    # Rows that later rows repeat: their scores, for the repeats.
                    remembered.append(
                        scored.filter(pl.col(_POSITION).is_in(firsts.implode())).select(
                            _POSITION, *SCORE_COLUMNS
                        )
                    )
                status = pl.read_parquet(folder / _STATUS.format(index))
                original = pl.read_parquet(folder / _ORIGINAL.format(index))
                first_rows = (
                    pl.concat(remembered)
                    if remembered
                    else _written_schema().select(_POSITION, *SCORE_COLUMNS)
                )
                yield _written(original, status, scored, first_rows, unit)
                bar.advance(task, size.rows)

        rows = write(batches())
        view = pl.read_parquet([folder / _VIEW.format(index) for index in fresh])
        kept = pl.read_parquet([folder / _KEPT.format(index) for index in fresh]) if keep else None
        log.info("scored, explained and wrote %d links (%.0f s, peak %.0f MiB)", rows,
                 time.perf_counter() - start, peak_mib())  # fmt: skip
        cleanup.unregister(folder)
    return StreamResult(rows=rows, view=view, target_domains=tuple(sorted(targets)), kept=kept)


def _written_schema() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            _POSITION: pl.Int64,
            REF_DOMAIN: pl.String,
            TOXICITY_SCORE: pl.Float64,
            LABEL: pl.String,
            REASONS: pl.String,
        }
    )
