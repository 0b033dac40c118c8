"""Reading a reviewed file (a filled queue, a scored file with decisions, a Semrush Audit
export) into the store's decision schema, with one-line errors naming file, line and value."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from features.schema import CANONICAL, SOURCE_URL, conform
from pipeline.errors import InputError
from pipeline.formulas import unguard_frame
from pipeline.labels.schema import (
    ALIASES,
    DATETIME_FORMATS,
    DECIDED_AT,
    DECISION,
    IMPORTED_AT,
    KEY,
    LEVEL_NAMES,
    NOT_TOXIC,
    NOT_TOXIC_ALIASES,
    REF_DOMAIN,
    REVIEWER,
    ROW,
    SCOPE,
    SCOPE_DOMAIN,
    SCOPE_LINK,
    SCOPES,
    SEMRUSH_KEEP_PREFIXES,
    SEMRUSH_TOXIC_PREFIXES,
    SEMRUSH_UNDECIDED,
    SOURCE_FILE,
    STATUS,
    TIMESTAMP,
    TOXIC,
    TOXIC_ALIASES,
    conform_segment,
    fold,
)

# ---------------------------------------------------------------------------------------------
# Normalizing a reviewed file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedFile:
    """A reviewed file's decisions, normalized to the segment schema."""

    path: Path
    decisions: pl.DataFrame  # SEGMENT_SCHEMA; decided_at null where the file gave none
    blank: int  # rows without a decision (skipped)


def _normalize_token(expr: pl.Expr) -> pl.Expr:
    """Lower-case, trim, and fold runs of space, ``_`` and ``-`` to one space."""
    return (
        expr.cast(pl.String)
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace_all(r"[\s_\-]+", " ")
        .fill_null("")
    )


def _location(path: Path, row: int) -> str:
    """Where a data row lives in the file, as the user would look for it."""
    if path.suffix.lower() in {".csv", ".tsv", ".txt"}:
        return f"{path}: line {row + 2}"  # 1-based, after the header line
    return f"{path}: row {row + 1}"


def _first_bad(frame: pl.DataFrame, mask: pl.Expr, value: pl.Expr) -> tuple[int, str] | None:
    bad = frame.with_row_index(ROW).filter(mask).select(ROW, value.alias("__value")).head(1)
    if bad.is_empty():
        return None
    return int(bad[ROW][0]), str(bad["__value"][0])


class _Columns:
    """Find a file's columns by name, ignoring case, spaces, ``_`` and ``-`` ("Decided at")."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._names: dict[str, str] = {}
        for name in frame.columns:
            self._names.setdefault(fold(name), name)  # first one wins

    def get(self, name: str) -> str | None:
        return self._names.get(fold(name))


def registrable_domains(urls: pl.Series) -> pl.Series:
    """The referring domain of each source URL, for files that do not carry ``ref_domain``.

    Uses the feature code's own definition (:mod:`features.urls`: Public Suffix List with private
    suffixes and free hosts; an IP stands for itself), so a domain-wide decision imported from a
    Semrush Audit export keys the same domain that scoring and training compute. A Google
    disavow-style ``domain:`` prefix is accepted.
    """
    from features.urls import UrlParts, parse_urls  # lazy: builds the suffix table on first use

    parts = UrlParts("__ref")
    frame = pl.DataFrame(
        {"__url": urls.cast(pl.String).str.strip_chars().str.replace(r"^(?i:domain:)", "")}
    )
    parsed = parse_urls(frame.lazy(), "__url", parts).collect()
    return parsed[parts.site].alias(REF_DOMAIN)


def _read_source(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Canonical links and original columns of a reviewed file, via the importers."""
    from pipeline.importers import read_export

    result = read_export(path)
    return result.links, result.original


def _decisions_from_column(path: Path, original: pl.DataFrame, column: str) -> pl.DataFrame:
    """Map a ``decision`` column through the aliases; blank -> null; unknown -> InputError."""
    token = _normalize_token(pl.col(column))
    decision = token.replace_strict(ALIASES, default=None, return_dtype=pl.String)
    bad = _first_bad(original, (token != "") & decision.is_null(), pl.col(column).cast(pl.String))
    if bad is not None:
        row, value = bad
        raise InputError(
            f"{_location(path, row)}: column {column!r}: unknown decision {value!r}; accepted "
            f"(any case): {', '.join(TOXIC_ALIASES)} (= toxic), "
            f"{', '.join(NOT_TOXIC_ALIASES)} (= not_toxic), "
            "or blank (no decision)"
        )
    return original.select(
        decision.alias(DECISION), pl.lit(None, pl.String).alias("__status_domain")
    )


def _decisions_from_semrush_status(path: Path, original: pl.DataFrame, column: str) -> pl.DataFrame:
    """Map Semrush Backlink Audit statuses: Whitelist -> not_toxic, Disavow/Remove -> toxic.

    A status or level column mentioning "domain" marks a domain-wide decision (Semrush lets you
    disavow or whitelist a whole referring domain).
    """
    token = _normalize_token(pl.col(column))
    toxic = pl.any_horizontal(token.str.starts_with(prefix) for prefix in SEMRUSH_TOXIC_PREFIXES)
    keep = pl.any_horizontal(token.str.starts_with(prefix) for prefix in SEMRUSH_KEEP_PREFIXES)
    undecided = (token == "") | token.is_in(SEMRUSH_UNDECIDED)
    decision = (
        pl.when(toxic)
        .then(pl.lit(TOXIC))
        .when(keep)
        .then(pl.lit(NOT_TOXIC))
        .otherwise(pl.lit(None, pl.String))
    )
    bad = _first_bad(
        original, ~toxic & ~keep & ~undecided, pl.col(column).cast(pl.String).fill_null("")
    )
    if bad is not None:
        row, value = bad
        raise InputError(
            f"{_location(path, row)}: column {column!r}: unknown Semrush status {value!r}; "
            "accepted: Whitelist (= not_toxic), Disavow or Remove (= toxic), or blank / "
            "For review (no decision)"
        )
    columns = _Columns(original)
    domain_level = token.str.contains("domain")
    for level in LEVEL_NAMES:
        if (name := columns.get(level)) is not None:
            domain_level = domain_level | _normalize_token(pl.col(name)).str.contains("domain")
    return original.select(
        decision.alias(DECISION),
        pl.when(domain_level)
        .then(pl.lit(SCOPE_DOMAIN))
        .otherwise(pl.lit(None, pl.String))
        .alias("__status_domain"),
    )


def _scopes(path: Path, original: pl.DataFrame, columns: _Columns) -> pl.Expr:
    """The ``scope`` column (``link`` by default, reviewers may write ``domain``)."""
    column = columns.get(SCOPE)
    if column is None:
        return pl.lit(None, pl.String)
    token = _normalize_token(pl.col(column))
    scope = token.replace_strict(SCOPES, default=None, return_dtype=pl.String)
    bad = _first_bad(original, (token != "") & scope.is_null(), pl.col(column).cast(pl.String))
    if bad is not None:
        row, value = bad
        raise InputError(
            f"{_location(path, row)}: column {column!r}: unknown scope {value!r}; accepted: "
            "link (this link only), domain (every link of its referring domain), or blank (link)"
        )
    return scope


def _decided_at(path: Path, original: pl.DataFrame, columns: _Columns) -> pl.Expr:
    """Decision times given by the file (UTC); null where blank, to be filled at import."""
    column = columns.get(DECIDED_AT)
    if column is None:
        return pl.lit(None, TIMESTAMP)
    dtype = original.schema[column]
    if dtype.is_temporal():
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            return pl.col(column).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        return pl.col(column).cast(TIMESTAMP)
    text = pl.col(column).cast(pl.String).str.strip_chars()
    parsed = pl.coalesce(
        *(text.str.to_datetime(fmt, time_zone="UTC", strict=False) for fmt in DATETIME_FORMATS),
        text.str.to_date("%Y-%m-%d", strict=False).cast(TIMESTAMP),
    )
    bad = _first_bad(original, (text.fill_null("") != "") & parsed.is_null(), text)
    if bad is not None:
        row, value = bad
        raise InputError(
            f"{_location(path, row)}: column {column!r}: cannot read date {value!r}; expected "
            "ISO 8601 such as 2024-05-31 or 2024-05-31T14:05:00Z"
        )
    return parsed.cast(TIMESTAMP)


def default_reviewer() -> str:
    """The OS user, the last resort for who made a decision."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


def load_reviewed_file(path: Path, *, reviewer: str | None = None) -> ReviewedFile:
    """Read a filled review queue, a scored file with ``decision``, or a Semrush Audit export.

    Args:
        path: The reviewed file.
        reviewer: Used where the file has no ``reviewer`` value; defaults to the OS user.

    Raises:
        InputError: Unreadable file, no decision column, unknown decision/scope/date value (the
            message names file, line and value), or no decision at all.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    links, original = _read_source(path)
    if links.height != original.height:
        raise InputError(
            f"{path}: importer returned {links.height} links for {original.height} rows; "
            "fix or remove the malformed rows and import again"
        )
    links = conform(links.lazy()).select(list(CANONICAL)).collect()
    if path.suffix.lower() != ".parquet":  # only CSV text carries the spreadsheet formula guard
        links, original = unguard_frame(links), unguard_frame(original)
    columns = _Columns(original)

    if (decision_column := columns.get(DECISION)) is not None:
        decided = _decisions_from_column(path, original, decision_column)
    elif (status_column := columns.get(STATUS)) is not None:
        decided = _decisions_from_semrush_status(path, original, status_column)
    else:
        raise InputError(
            f"{path}: no decision column; expected a 'decision' column (a filled review queue or "
            "a scored file) or the 'Status' column of a Semrush Backlink Audit export"
        )

    fallback_reviewer = (reviewer or "").strip() or default_reviewer()
    reviewer_column = columns.get(REVIEWER)
    reviewer_expr = (
        pl.col(reviewer_column).cast(pl.String).str.strip_chars().replace("", None)
        if reviewer_column is not None
        else pl.lit(None, pl.String)
    )
    domain_column = columns.get(REF_DOMAIN)
    given_domain = (
        pl.col(domain_column).cast(pl.String).str.strip_chars().str.to_lowercase()
        if domain_column is not None
        else pl.lit(None, pl.String)
    ).replace("", None)

    frame = pl.concat(
        [
            links.with_columns(pl.col(name).str.strip_chars() for name in KEY),
            # with_columns, not select: literal columns must broadcast to the file's height.
            original.with_columns(
                given_domain.alias("__given_domain"),
                _scopes(path, original, columns).alias("__scope"),
                reviewer_expr.fill_null(fallback_reviewer).alias("__reviewer"),
                _decided_at(path, original, columns).alias("__decided_at"),
            ).select(
                "__given_domain",
                "__scope",
                pl.col("__reviewer").alias(REVIEWER),
                pl.col("__decided_at").alias(DECIDED_AT),
            ),
            decided,
        ],
        how="horizontal",
    ).with_row_index(ROW)

    blank = frame.filter(pl.col(DECISION).is_null()).height
    frame = frame.filter(pl.col(DECISION).is_not_null())
    if frame.is_empty():
        raise InputError(
            f"{path}: no decisions to import ({blank} rows have a blank decision); fill the "
            "'decision' column with toxic or not_toxic"
        )
    keyless = frame.filter(
        pl.any_horizontal(pl.col(name).fill_null("") == "" for name in KEY)
    ).head(1)
    if not keyless.is_empty():
        raise InputError(
            f"{_location(path, int(keyless[ROW][0]))}: decision without a source_url or target_url"
        )

    frame = frame.with_columns(
        pl.coalesce("__given_domain", registrable_domains(frame[SOURCE_URL])).alias(REF_DOMAIN),
        pl.coalesce("__scope", "__status_domain", pl.lit(SCOPE_LINK)).alias(SCOPE),
    )
    orphan = frame.filter((pl.col(SCOPE) == SCOPE_DOMAIN) & pl.col(REF_DOMAIN).is_null()).head(1)
    if not orphan.is_empty():
        raise InputError(
            f"{_location(path, int(orphan[ROW][0]))}: domain-wide decision but no referring "
            "domain can be read from the source URL"
        )
    decisions = frame.with_columns(
        pl.lit(path.name).alias(SOURCE_FILE), pl.lit(None, TIMESTAMP).alias(IMPORTED_AT)
    ).pipe(conform_segment)
    return ReviewedFile(path=path, decisions=decisions, blank=blank)
