"""Loading the shipped knowledge tables (the I/O half of :class:`features.knowledge.Knowledge`)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from features.knowledge import DOMAINS_SCHEMA, POPULARITY_SCHEMA, Knowledge
from features.names import WEIGHTS_SCHEMA
from models.bundle import KNOWLEDGE_FILES
from pipeline.errors import InputError

DOMAINS_FILE = KNOWLEDGE_FILES["domains"]
POPULARITY_FILE = KNOWLEDGE_FILES["popularity"]
HELDOUT_FILE = "heldout.parquet"
NAME_MODEL_FILE = KNOWLEDGE_FILES["name_weights"]

DEFAULT_DIR = Path("data/knowledge")


def _scan(path: Path, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    if not path.is_file():
        raise InputError(f"{path}: missing (build it with `linktox knowledge build`)")
    found = pl.read_parquet_schema(path)
    missing = [name for name in schema if name not in found]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return pl.scan_parquet(path).select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def load_knowledge(directory: Path = DEFAULT_DIR) -> Knowledge:
    """The three tables of ``directory`` as LazyFrames (read when a query collects)."""
    directory = Path(directory)
    return Knowledge(
        domains=_scan(directory / DOMAINS_FILE, DOMAINS_SCHEMA),
        popularity=_scan(directory / POPULARITY_FILE, POPULARITY_SCHEMA),
        name_weights=_scan(directory / NAME_MODEL_FILE, WEIGHTS_SCHEMA),
    )


def load_heldout(directory: Path = DEFAULT_DIR) -> pl.DataFrame:
    """The held-out evaluation domains (``domain``, ``side``, ``group``)."""
    schema: dict[str, pl.DataType] = {
        "domain": pl.String(),
        "side": pl.String(),
        "group": pl.String(),
    }
    return _scan(Path(directory) / HELDOUT_FILE, schema).collect()
