"""The scored table: CSV (safe to open in a spreadsheet) or Parquet, written all or nothing.

CSV text cells that a spreadsheet would run as formulas are guarded
(:mod:`pipeline.formulas`); Parquet is read by programs, not spreadsheets, and keeps
values as-is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl

from pipeline.errors import LinktoxError, atomic_path
from pipeline.formulas import guard_frame

CSV = ".csv"
PARQUET = ".parquet"
TABLE_EXTENSIONS: tuple[str, ...] = (CSV, PARQUET)


def table_format(path: Path) -> str:
    """The table format for ``path`` (its lower-cased extension), refusing anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        accepted = " or ".join(TABLE_EXTENSIONS)
        raise LinktoxError(
            f"{path}: cannot write a table with extension {suffix or '(none)'!r}; use {accepted}"
        )
    return suffix


def write_scored(df: pl.DataFrame, path: Path) -> None:
    """Write the scored table as CSV (formulas neutralised) or Parquet, by extension, atomically."""
    fmt = table_format(path)
    with atomic_path(Path(path)) as tmp:
        if fmt == CSV:
            guard_frame(df).write_csv(tmp)
        else:
            df.write_parquet(tmp)


def write_scored_batches(batches: Iterable[pl.DataFrame], path: Path) -> int:
    """Stream batches of the scored table into one file; return the number of rows written.

    Batches are appended to a temporary file beside ``path`` which is renamed into place only
    after the last batch, so a failure mid-way (including one raised by the iterator) leaves
    ``path`` as it was. Every batch must have the first batch's columns, in order.

    Raises:
        LinktoxError: ``path`` is neither ``.csv`` nor ``.parquet``.
        ValueError: there are no batches, or a batch has other columns than the first.
    """
    fmt = table_format(path)
    with atomic_path(Path(path)) as tmp:
        return append_scored(batches, tmp, fmt)


def append_scored(batches: Iterable[pl.DataFrame], path: Path, fmt: str) -> int:
    """Write batches of the scored table to ``path`` (not atomic: a staging file) as ``fmt``
    (``.csv`` or ``.parquet``, see :func:`table_format`); return the number of rows written."""
    if fmt == CSV:
        return _append_csv(iter(batches), path)
    return _append_parquet(iter(batches), path)


def _first_batch(batches: Iterator[pl.DataFrame]) -> pl.DataFrame:
    first = next(batches, None)
    if first is None:
        raise ValueError("write_scored_batches needs at least one batch (it may have no rows)")
    return first


def _check_columns(batch: pl.DataFrame, columns: list[str], index: int) -> None:
    if batch.columns != columns:
        raise ValueError(f"batch {index} has columns {batch.columns}, expected {columns}")


def _append_csv(batches: Iterator[pl.DataFrame], tmp: Path) -> int:
    first = _first_batch(batches)
    columns = first.columns
    rows = 0
    with tmp.open("wb") as out:
        guard_frame(first).write_csv(out)
        rows += first.height
        for index, batch in enumerate(batches, start=2):
            _check_columns(batch, columns, index)
            guard_frame(batch).write_csv(out, include_header=False)
            rows += batch.height
    return rows


def _append_parquet(batches: Iterator[pl.DataFrame], tmp: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = _first_batch(batches)
    columns = first.columns
    table = first.to_arrow()
    writer = pq.ParquetWriter(tmp, table.schema)
    # Close the writer before atomic_path renames or removes the file, success or not.
    with contextlib.closing(writer):
        writer.write_table(table)
        rows = first.height
        for index, batch in enumerate(batches, start=2):
            _check_columns(batch, columns, index)
            try:
                # A batch whose column is all null has dtype Null; give it the file's type.
                part = batch.to_arrow().cast(writer.schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                message = f"batch {index} does not fit the first batch's types: {exc}"
                raise ValueError(message) from exc
            writer.write_table(part)
            rows += batch.height
    return rows
