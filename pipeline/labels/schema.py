"""Columns, values and aliases of the reviewed-label store, shared by its three modules."""

from __future__ import annotations

import re

import polars as pl

from features.columns import REF_DOMAIN
from features.schema import CANONICAL, SOURCE_URL, TARGET_URL

SEGMENTS_DIR = "segments"
SEGMENT_SUFFIX = ".parquet"

# Stored decision columns (besides the canonical link columns).
SCOPE = "scope"
DECISION = "decision"
REVIEWER = "reviewer"
DECIDED_AT = "decided_at"
SOURCE_FILE = "source_file"
IMPORTED_AT = "imported_at"

# Added when reading or resolving.
SEGMENT = "segment"
LABEL = "label"  # Int8, 1 = toxic, as features.schema.LABEL
REVIEWED_LABEL = "reviewed_label"
REVIEWED_SCOPE = "reviewed_scope"
ROW = "__row"

# Columns of a filled queue / scored file / Semrush Audit export that carry decisions.
STATUS = "status"  # Semrush Backlink Audit
LEVEL_NAMES = ("level", "disavow level", "disavow type", "disavow scope")

TOXIC = "toxic"
NOT_TOXIC = "not_toxic"
SCOPE_LINK = "link"
SCOPE_DOMAIN = "domain"

KEY: tuple[str, ...] = (SOURCE_URL, TARGET_URL)
TIMESTAMP = pl.Datetime("us", "UTC")

SEGMENT_SCHEMA: dict[str, pl.DataType] = {
    **CANONICAL,
    REF_DOMAIN: pl.String(),
    SCOPE: pl.String(),
    DECISION: pl.String(),
    REVIEWER: pl.String(),
    DECIDED_AT: TIMESTAMP,
    SOURCE_FILE: pl.String(),
    IMPORTED_AT: TIMESTAMP,
}

# Decision aliases, matched case-insensitively with runs of space, "_" and "-" folded to one space.
TOXIC_ALIASES: tuple[str, ...] = (
    "toxic", "disavow", "remove", "delete", "bad", "spam", "1", "yes", "true", "thumbs down", "👎",
)  # fmt: skip
NOT_TOXIC_ALIASES: tuple[str, ...] = (
    "not_toxic", "not toxic", "keep", "whitelist", "ok", "good", "clean", "safe", "0", "no",
    "false", "thumbs up", "👍",
)  # fmt: skip


def fold(text: str) -> str:
    """The normalized form of a token; :func:`_normalize_token` is its vectorized twin."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


ALIASES: dict[str, str] = {
    **{fold(alias): TOXIC for alias in TOXIC_ALIASES},
    **{fold(alias): NOT_TOXIC for alias in NOT_TOXIC_ALIASES},
}

# Semrush Backlink Audit statuses, matched by prefix; the neutral ones mean "not decided yet".
SEMRUSH_TOXIC_PREFIXES = ("disavow", "remove", "delete")
SEMRUSH_KEEP_PREFIXES = ("whitelist", "keep")
SEMRUSH_UNDECIDED = ("for review", "review", "new", "not reviewed", "none", "all links")

SCOPES: dict[str, str] = {
    "link": SCOPE_LINK,
    "url": SCOPE_LINK,
    "page": SCOPE_LINK,
    "domain": SCOPE_DOMAIN,
    "site": SCOPE_DOMAIN,
}

DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
)

HASH_VERSION = b"linktox-labels-v1\n"
HASH_CHARS = 32


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform_segment(frame: pl.DataFrame) -> pl.DataFrame:
    """Give a segment the current schema, so segments written by older versions still read."""
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in SEGMENT_SCHEMA.items()
    )
