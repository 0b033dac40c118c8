"""The reviewed-label store: reviewers' decisions, kept forever, turned into training labels.

Layout: ``<store>/segments/<content-hash>.parquet``. Every import writes ONE new immutable
segment holding that file's normalized decisions; nothing is ever rewritten or deleted, so a
reviewed label cannot be lost, and there is no index that an interrupted import could leave
half-updated:

- a segment appears atomically (temporary ``.``-prefixed file, then ``os.replace``) or not at all;
  the reader only sees ``*.parquet`` names not starting with ``.``;
- the segment name is a hash of the normalized decisions (without the import time, the file name,
  or a decision time that was defaulted to the import time), so importing the same file twice
  finds the segment already there and changes nothing.

Reading reviewed files is :mod:`pipeline.labels.reviewed_file`'s job; turning decisions into one
label per link is :mod:`pipeline.labels.resolve`'s.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipeline.errors import InputError, atomic_path
from pipeline.labels.schema import (
    DECIDED_AT,
    HASH_CHARS,
    HASH_VERSION,
    IMPORTED_AT,
    KEY,
    REF_DOMAIN,
    SCOPE,
    SCOPE_DOMAIN,
    SCOPE_LINK,
    SEGMENT,
    SEGMENT_SCHEMA,
    SEGMENT_SUFFIX,
    SEGMENTS_DIR,
    SOURCE_FILE,
    TIMESTAMP,
    conform_segment,
    empty,
)

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Reading the store
# ---------------------------------------------------------------------------------------------


def segment_paths(store_dir: Path) -> list[Path]:
    """The segment files, in name order; temporary (`.`-prefixed) files never count."""
    directory = Path(store_dir) / SEGMENTS_DIR
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob(f"*{SEGMENT_SUFFIX}")
        if not path.name.startswith(".") and path.is_file()
    )


def read_decisions(store_dir: Path) -> pl.DataFrame:
    """Every decision in the store (all segments), plus the ``segment`` name each came from.

    An absent or empty store gives an empty frame with the right schema. An unreadable segment is
    an error, never skipped: silently dropping it would lose reviewed labels.
    """
    frames = []
    for path in segment_paths(store_dir):
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:
            raise InputError(
                f"{path}: unreadable label segment ({exc}); restore it from git, do not delete it"
            ) from exc
        frames.append(conform_segment(frame).with_columns(pl.lit(path.stem).alias(SEGMENT)))
    if not frames:
        return empty({**SEGMENT_SCHEMA, SEGMENT: pl.String()})
    return pl.concat(frames, how="vertical")


# ---------------------------------------------------------------------------------------------
# Importing into the store
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did, for the CLI to report."""

    source: Path
    segment: Path
    created: bool  # False: the same decisions were imported before, nothing changed
    decisions: pl.DataFrame  # the file's normalized decisions (as stored)
    blank: int
    conflicts: pl.DataFrame  # store-wide conflicts that involve this file's links or domains


def content_hash(decisions: pl.DataFrame) -> str:
    """A hash of what was decided, independent of row order, file name and import time.

    ``decided_at`` counts only where the file gave it (the caller passes null elsewhere), so
    importing the same file again yields the same hash.
    """
    content = decisions.select([name for name in SEGMENT_SCHEMA if name not in _UNHASHED])
    canonical = content.sort(content.columns, nulls_last=True).write_csv()
    digest = hashlib.sha256(HASH_VERSION + canonical.encode("utf-8")).hexdigest()
    return digest[:HASH_CHARS]


_UNHASHED = (SOURCE_FILE, IMPORTED_AT)


def import_file(
    path: Path,
    *,
    store_dir: Path,
    reviewer: str | None = None,
    now: datetime | None = None,
) -> ImportOutcome:
    """Add a reviewed file's decisions to the store as one new immutable segment.

    Args:
        path: Filled review queue, scored file with ``decision``, or Semrush Audit export.
        store_dir: The label store directory (created if absent).
        reviewer: Reviewer for rows without a ``reviewer`` value (default: the OS user).
        now: Import time (tests pin it); also the decision time where the file gives none.

    Raises:
        InputError: See :func:`load_reviewed_file`.
    """
    from pipeline.labels.resolve import find_conflicts
    from pipeline.labels.reviewed_file import load_reviewed_file

    reviewed = load_reviewed_file(path, reviewer=reviewer)
    digest = content_hash(reviewed.decisions)
    segment = Path(store_dir) / SEGMENTS_DIR / f"{digest}{SEGMENT_SUFFIX}"
    created = not segment.exists()
    if created:
        stamp = (now or datetime.now(UTC)).astimezone(UTC)
        stored = reviewed.decisions.with_columns(
            pl.col(DECIDED_AT).fill_null(pl.lit(stamp, TIMESTAMP)),
            pl.lit(stamp, TIMESTAMP).alias(IMPORTED_AT),
        )
        # All or nothing: a crash or Ctrl-C here leaves only a hidden temporary file (removed
        # on the way out when Python gets the chance), never a partial segment.
        with atomic_path(segment) as tmp:
            stored.write_parquet(tmp)
        log.info("wrote label segment %s (%d decisions)", segment, stored.height)
    else:
        stored = conform_segment(pl.read_parquet(segment))

    found = find_conflicts(read_decisions(store_dir))
    involved = pl.concat(
        [
            found.filter(pl.col(SCOPE) == SCOPE_LINK).join(
                stored.select(KEY).unique(), on=list(KEY), how="semi"
            ),
            found.filter(pl.col(SCOPE) == SCOPE_DOMAIN).join(
                stored.select(REF_DOMAIN).drop_nulls().unique(), on=REF_DOMAIN, how="semi"
            ),
        ]
    )
    return ImportOutcome(
        source=Path(path),
        segment=segment,
        created=created,
        decisions=stored,
        blank=reviewed.blank,
        conflicts=involved,
    )
