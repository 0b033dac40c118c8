"""Which tool wrote an export: scored by the header's column names, then by shape.

Every format lists the column names its tool writes (its signature). A file is scored by how
many of a format's names its header has, and the best score wins, ties going to the earlier
format in :data:`SPECS`. Extra columns (a user's notes, a scored file's toxicity_score/label,
a review queue's decision) match no signature, so they never change the verdict. Exports whose
headers are localized beyond the known names are recognised by their shape.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import InputError
from pipeline.importers import ahrefs, canonical, gsc, majestic, moz, refdomains, semrush
from pipeline.importers.read import RawTable, load_table, normalize_name
from pipeline.importers.spec import FormatSpec

logger = logging.getLogger(__name__)

# In tie-break order: the more specific or more common format first.
SPECS: tuple[FormatSpec, ...] = (
    canonical.SPEC,
    semrush.SPEC,
    semrush.LEGACY_SPEC,
    semrush.AUDIT_SPEC,
    ahrefs.SPEC,
    moz.SPEC,
    majestic.SPEC,
    gsc.LINKS_SPEC,
    gsc.SITES_SPEC,
    refdomains.SEMRUSH_SPEC,
    refdomains.AHREFS_SPEC,
    refdomains.MAJESTIC_SPEC,
)
FORMATS: tuple[str, ...] = tuple(spec.name for spec in SPECS)
BY_NAME: dict[str, FormatSpec] = {spec.name: spec for spec in SPECS}

# Every column name any format writes: how read.py recognises the header line.
KNOWN_COLUMNS: frozenset[str] = frozenset().union(*(spec.normalized_signature for spec in SPECS))

# A header must share at least this many names with a format to be taken for it.
MIN_MATCHES = 2
_LISTED_COLUMNS = 8


def scores(columns: Iterable[str]) -> dict[str, int]:
    """How many of each format's signature names the header has."""
    header = {normalize_name(name) for name in columns}
    return {spec.name: len(header & spec.normalized_signature) for spec in SPECS}


def best_match(columns: Iterable[str]) -> str | None:
    """The format whose signature the header matches best, or None below MIN_MATCHES."""
    scored = scores(columns)
    name = max(FORMATS, key=lambda fmt: (scored[fmt], -FORMATS.index(fmt)))
    return name if scored[name] >= MIN_MATCHES else None


def detect(table: RawTable) -> str:
    """The format of a table already read; an InputError naming the closest format and the
    columns it lacks when none fits."""
    name = best_match(table.frame.columns)
    if name is None:
        name = next(
            (spec.name for spec in SPECS if spec.fits_shape and spec.fits_shape(table.frame)),
            None,
        )
    if name is None:
        raise InputError(
            f"{table.path}: unknown export format "
            f"(columns: {describe_columns(table.frame.columns)}); {closest(table.frame.columns)}"
            f"; known formats: {', '.join(FORMATS)}; pass --format NAME to choose one"
        )
    logger.debug("%s: detected format %s", table.path, name)
    return name


def closest(columns: Iterable[str]) -> str:
    """Words for the known format the header is closest to, and what it lacks."""
    from pipeline.importers.spec import Fields, MissingColumn

    names = list(columns)
    scored = scores(names)
    best = max(FORMATS, key=lambda fmt: (scored[fmt], -FORMATS.index(fmt)))
    spec = BY_NAME[best]
    if not scored[best]:
        return "no column name of any known format was found"
    header = {normalize_name(name) for name in names}
    have = [name for name in spec.signature if normalize_name(name) in header]
    lacking = ""
    try:
        spec.to_links(Fields(tuple(names)), "https://example.com/")
    except MissingColumn as exc:
        lacking = f"; it lacks {exc.aliases[0]!r} ({exc.canonical})"
    return (
        f"closest known format: {spec.title} (--format {spec.name}), which has "
        f"{', '.join(repr(name) for name in have[:4])} but not enough of its columns{lacking}"
    )


def detect_format(path: Path) -> str:
    """Read ``path`` and return the name of its format (one of :data:`FORMATS`)."""
    return detect(load_table(Path(path), KNOWN_COLUMNS))


def spec_for(fmt: str, path: Path) -> FormatSpec:
    """The spec for a format name given by the user (case and ``-``/``_`` forgiven)."""
    key = fmt.strip().lower().replace("-", "_")
    if key not in BY_NAME:
        raise InputError(
            f"{path}: unknown format {fmt!r} given with --format; known formats: "
            f"{', '.join(FORMATS)}"
        )
    return BY_NAME[key]


def describe_columns(columns: Iterable[str]) -> str:
    """A short, quoted list of a header's names for messages."""
    names = list(columns)
    shown = ", ".join(repr(name) for name in names[:_LISTED_COLUMNS])
    return shown + (f", … ({len(names)} in all)" if len(names) > _LISTED_COLUMNS else "")
