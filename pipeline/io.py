"""File I/O shared by stages and commands: Parquet and CSV read and write, an atomic folder swap.

Every write is all or nothing (:func:`pipeline.errors.atomic_path`), and Parquet is written with
fixed settings so that the same frame always gives the same bytes (DVC compares hashes).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from pipeline.errors import InputError, atomic_path, write_text_atomic

__all__ = [
    "read_parquet",
    "replace_dir",
    "write_csv",
    "write_parquet",
    "write_text_atomic",
]


def read_parquet(path: Path) -> pl.DataFrame:
    """Read a stage's Parquet input; a missing file is a one-line error naming it."""
    if not path.is_file():
        raise InputError(f"{path}: file not found (run the previous DVC stage first)")
    return pl.read_parquet(path)


def write_parquet(frame: pl.DataFrame, path: Path, compression_level: int | None = None) -> None:
    """Write Parquet atomically and reproducibly (same frame, same bytes)."""
    with atomic_path(path) as tmp:
        frame.write_parquet(
            tmp, compression="zstd", compression_level=compression_level, statistics=True
        )


def write_csv(frame: pl.DataFrame, path: Path, float_precision: int | None = 6) -> None:
    """Write a small table (metrics, plot data) as CSV, atomically."""
    with atomic_path(path) as tmp:
        frame.write_csv(tmp, float_precision=float_precision)


@contextlib.contextmanager
def replace_dir(path: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``path`` whole.

    The staging folder sits beside ``path`` (same file system), so the swap is two renames: an
    error inside the block leaves ``path`` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as tmp:
        staged = Path(tmp) / path.name
        staged.mkdir()
        yield staged
        old = Path(tmp) / f"{path.name}.old"
        if path.exists():
            path.rename(old)
        staged.rename(path)
        shutil.rmtree(old, ignore_errors=True)
