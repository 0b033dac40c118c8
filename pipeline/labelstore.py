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

Resolution (:func:`resolve_labels`): one label per link key (``source_url``, ``target_url``).
A link-scope decision beats a domain-scope one (it is more specific); within a scope the latest
decision wins (by ``decided_at``, then ``imported_at``, then segment name and row). Domain-scope
decisions label every link of that ``ref_domain`` in the store, and :func:`domain_decisions` /
:func:`apply_labels` let callers apply them to links the store has never seen.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from features.schema import CANONICAL, REQUIRED, SOURCE_URL, TARGET_URL, conform
from pipeline.errors import InputError, atomic_path

log = logging.getLogger(__name__)

DEFAULT_STORE = Path("data/labels")
SEGMENTS_DIR = "segments"
SEGMENT_SUFFIX = ".parquet"

# Stored decision columns (besides the canonical link columns).
REF_DOMAIN = "ref_domain"
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
_ROW = "__row"

# Columns of a filled queue / scored file / Semrush Audit export that carry decisions.
STATUS = "status"  # Semrush Backlink Audit
_LEVEL_NAMES = ("level", "disavow level", "disavow type", "disavow scope")

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


def _fold(text: str) -> str:
    """The normalized form of a token; :func:`_normalize_token` is its vectorized twin."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_ALIASES: dict[str, str] = {
    **{_fold(alias): TOXIC for alias in TOXIC_ALIASES},
    **{_fold(alias): NOT_TOXIC for alias in NOT_TOXIC_ALIASES},
}

# Semrush Backlink Audit statuses, matched by prefix; the neutral ones mean "not decided yet".
_SEMRUSH_TOXIC_PREFIXES = ("disavow", "remove", "delete")
_SEMRUSH_KEEP_PREFIXES = ("whitelist", "keep")
_SEMRUSH_UNDECIDED = ("for review", "review", "new", "not reviewed", "none", "all links")

_SCOPES: dict[str, str] = {
    "link": SCOPE_LINK,
    "url": SCOPE_LINK,
    "page": SCOPE_LINK,
    "domain": SCOPE_DOMAIN,
    "site": SCOPE_DOMAIN,
}

_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
)

_HASH_VERSION = b"linktox-labels-v1\n"
_HASH_CHARS = 32


# ---------------------------------------------------------------------------------------------
# Reading the store
# ---------------------------------------------------------------------------------------------


def segment_paths(store_dir: Path = DEFAULT_STORE) -> list[Path]:
    """The segment files, in name order; temporary (`.`-prefixed) files never count."""
    directory = Path(store_dir) / SEGMENTS_DIR
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob(f"*{SEGMENT_SUFFIX}")
        if not path.name.startswith(".") and path.is_file()
    )


def _empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _conform_segment(frame: pl.DataFrame) -> pl.DataFrame:
    """Give a segment the current schema, so segments written by older versions still read."""
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in SEGMENT_SCHEMA.items()
    )


def read_decisions(store_dir: Path = DEFAULT_STORE) -> pl.DataFrame:
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
        frames.append(_conform_segment(frame).with_columns(pl.lit(path.stem).alias(SEGMENT)))
    if not frames:
        return _empty({**SEGMENT_SCHEMA, SEGMENT: pl.String()})
    return pl.concat(frames, how="vertical")


def _in_decision_order(decisions: pl.DataFrame) -> pl.DataFrame:
    """Sort so that the last row of any group is its latest decision."""
    return (
        decisions.with_row_index(_ROW)
        .sort(DECIDED_AT, IMPORTED_AT, SEGMENT, _ROW, nulls_last=False)
        .drop(_ROW)
    )


# ---------------------------------------------------------------------------------------------
# Resolution: decisions -> labels
# ---------------------------------------------------------------------------------------------

_RESOLVED_SCHEMA: dict[str, pl.DataType] = {
    **CANONICAL,
    REF_DOMAIN: pl.String(),
    LABEL: pl.Int8(),
    SCOPE: pl.String(),
    REVIEWER: pl.String(),
    DECIDED_AT: TIMESTAMP,
    SOURCE_FILE: pl.String(),
}

_DOMAIN_SCHEMA: dict[str, pl.DataType] = {
    REF_DOMAIN: pl.String(),
    LABEL: pl.Int8(),
    REVIEWER: pl.String(),
    DECIDED_AT: TIMESTAMP,
    SOURCE_FILE: pl.String(),
}

_label_expr = (pl.col(DECISION) == TOXIC).cast(pl.Int8)


def latest_domain_decisions(decisions: pl.DataFrame) -> pl.DataFrame:
    """The latest domain-scope decision per ``ref_domain`` (pure; see :func:`domain_decisions`)."""
    ordered = _in_decision_order(decisions)
    return (
        ordered.filter(pl.col(SCOPE) == SCOPE_DOMAIN, pl.col(REF_DOMAIN).is_not_null())
        .unique(REF_DOMAIN, keep="last", maintain_order=True)
        .select(
            pl.col(REF_DOMAIN),
            _label_expr.alias(LABEL),
            pl.col(REVIEWER),
            pl.col(DECIDED_AT),
            pl.col(SOURCE_FILE),
        )
        .sort(REF_DOMAIN)
        .cast(_DOMAIN_SCHEMA)
    )


def resolve_decisions(decisions: pl.DataFrame) -> pl.DataFrame:
    """One label per link key from raw decisions (pure; see :func:`resolve_labels`)."""
    if decisions.is_empty():
        return _empty(_RESOLVED_SCHEMA)
    ordered = _in_decision_order(decisions)
    # Link attributes from the latest row of each link, whatever its scope.
    links = ordered.unique(list(KEY), keep="last", maintain_order=True).select(
        *CANONICAL, REF_DOMAIN
    )
    decided = [DECISION, REVIEWER, DECIDED_AT, SOURCE_FILE]
    by_link = (
        ordered.filter(pl.col(SCOPE) == SCOPE_LINK)
        .unique(list(KEY), keep="last", maintain_order=True)
        .select(*KEY, *(pl.col(name).alias(f"link_{name}") for name in decided))
    )
    by_domain = (
        ordered.filter(pl.col(SCOPE) == SCOPE_DOMAIN, pl.col(REF_DOMAIN).is_not_null())
        .unique(REF_DOMAIN, keep="last", maintain_order=True)
        .select(REF_DOMAIN, *(pl.col(name).alias(f"domain_{name}") for name in decided))
    )
    link_wins = pl.col(f"link_{DECISION}").is_not_null()
    resolved = (
        links.join(by_link, on=list(KEY), how="left")
        .join(by_domain, on=REF_DOMAIN, how="left")
        .with_columns(
            # Link-scope first: a reviewer who judged this very link knows better than a
            # domain-wide verdict.
            *(
                pl.when(link_wins)
                .then(pl.col(f"link_{name}"))
                .otherwise(pl.col(f"domain_{name}"))
                .alias(name)
                for name in decided
            ),
            pl.when(link_wins)
            .then(pl.lit(SCOPE_LINK))
            .otherwise(pl.lit(SCOPE_DOMAIN))
            .alias(SCOPE),
        )
        .filter(pl.col(DECISION).is_not_null())
        .with_columns(_label_expr.alias(LABEL))
        .select(list(_RESOLVED_SCHEMA))
        .sort(*KEY)
    )
    return resolved.cast(_RESOLVED_SCHEMA)


_CONFLICT_SCHEMA: dict[str, pl.DataType] = {
    SCOPE: pl.String(),
    REF_DOMAIN: pl.String(),
    SOURCE_URL: pl.String(),
    TARGET_URL: pl.String(),
    "toxic_reviewers": pl.String(),
    "not_toxic_reviewers": pl.String(),
    "latest": pl.String(),
}


def find_conflicts(decisions: pl.DataFrame) -> pl.DataFrame:
    """Links (or domains) on which reviewers disagree (pure; see :func:`conflicts`).

    Each reviewer counts with their own latest decision, so a reviewer who changed their mind to
    agree with a colleague is no longer in conflict; a reviewer disagreeing with themselves over
    time is not a conflict either (their latest decision simply wins).
    """
    if decisions.is_empty():
        return _empty(_CONFLICT_SCHEMA)
    ordered = _in_decision_order(decisions)

    def disagreements(scope: str, key: list[str]) -> pl.DataFrame:
        return (
            ordered.filter(pl.col(SCOPE) == scope)
            .unique([*key, REVIEWER], keep="last", maintain_order=True)
            .group_by(key, maintain_order=True)
            .agg(
                *([] if REF_DOMAIN in key else [pl.col(REF_DOMAIN).last()]),
                pl.col(DECISION).n_unique().alias("__n"),
                *(
                    pl.col(REVIEWER)
                    .filter(pl.col(DECISION) == value)
                    .unique()
                    .sort()
                    .str.join(", ")
                    .alias(f"{value}_reviewers")
                    for value in (TOXIC, NOT_TOXIC)
                ),
                pl.col(DECISION).last().alias("latest"),
            )
            .filter(pl.col("__n") > 1)
            .with_columns(pl.lit(scope).alias(SCOPE))
        )

    links = disagreements(SCOPE_LINK, list(KEY))
    domains = disagreements(SCOPE_DOMAIN, [REF_DOMAIN]).with_columns(
        pl.lit(None, pl.String).alias(SOURCE_URL), pl.lit(None, pl.String).alias(TARGET_URL)
    )
    found = pl.concat(
        [frame.select(list(_CONFLICT_SCHEMA)).cast(_CONFLICT_SCHEMA) for frame in (links, domains)]
    )
    return found.sort(SCOPE, REF_DOMAIN, SOURCE_URL, TARGET_URL, nulls_last=True)


def resolve_labels(store_dir: Path = DEFAULT_STORE) -> pl.DataFrame:
    """One row per reviewed link key: canonical columns, ``ref_domain`` and the resolved label.

    Columns: every ``CANONICAL`` column, ``ref_domain``, ``label`` (Int8, 1 = toxic), ``scope``
    (which kind of decision decided it), ``reviewer``, ``decided_at``, ``source_file``. Links
    covered only by a domain-scope decision get that decision. Empty store -> empty frame.
    """
    return resolve_decisions(read_decisions(store_dir))


def domain_decisions(store_dir: Path = DEFAULT_STORE) -> pl.DataFrame:
    """The latest domain-wide decision per referring domain.

    Columns: ``ref_domain``, ``label`` (Int8, 1 = toxic), ``reviewer``, ``decided_at``,
    ``source_file``. Use it (or :func:`apply_labels`) to label links the store has never seen.
    """
    return latest_domain_decisions(read_decisions(store_dir))


def conflicts(store_dir: Path = DEFAULT_STORE) -> pl.DataFrame:
    """Where reviewers disagree: one row per link (scope ``link``) or domain (scope ``domain``).

    Columns: ``scope``, ``ref_domain``, ``source_url``, ``target_url`` (null for domains),
    ``toxic_reviewers``, ``not_toxic_reviewers`` (``", "``-joined) and ``latest`` (the decision
    that currently wins).
    """
    return find_conflicts(read_decisions(store_dir))


def apply_labels(links: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Add the reviewers' verdict to any link frame (same rows, same order).

    Args:
        links: Frame with ``source_url`` and ``target_url``; with ``ref_domain`` too, domain-wide
            decisions reach links the store has never seen.
        decisions: Raw decisions, as from :func:`read_decisions`.

    Returns:
        ``links`` plus ``reviewed_label`` (Int8, 1 = toxic, null = not reviewed) and
        ``reviewed_scope`` (``link``/``domain``/null). Link-scope decisions beat domain ones.
    """
    resolved = resolve_decisions(decisions)
    by_link = resolved.filter(pl.col(SCOPE) == SCOPE_LINK).select(
        *KEY, pl.col(LABEL).alias("__link_label")
    )
    out = links.join(by_link, on=list(KEY), how="left", maintain_order="left")
    if REF_DOMAIN in links.columns:
        by_domain = latest_domain_decisions(decisions).select(
            REF_DOMAIN, pl.col(LABEL).alias("__domain_label")
        )
        out = out.join(by_domain, on=REF_DOMAIN, how="left", maintain_order="left")
    else:
        out = out.with_columns(pl.lit(None, pl.Int8).alias("__domain_label"))
    return out.with_columns(
        pl.coalesce("__link_label", "__domain_label").alias(REVIEWED_LABEL),
        pl.when(pl.col("__link_label").is_not_null())
        .then(pl.lit(SCOPE_LINK))
        .when(pl.col("__domain_label").is_not_null())
        .then(pl.lit(SCOPE_DOMAIN))
        .alias(REVIEWED_SCOPE),
    ).drop("__link_label", "__domain_label")


# ---------------------------------------------------------------------------------------------
# Normalizing a reviewed file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedFile:
    """A reviewed file's decisions, normalized to the segment schema."""

    path: Path
    decisions: pl.DataFrame  # SEGMENT_SCHEMA; decided_at null where the file gave none
    blank: int  # rows without a decision (skipped)


def strip_formula_guard(frame: pl.DataFrame) -> pl.DataFrame:
    """Undo CSV formula neutralisation: ``'=x`` -> ``=x`` in every text column.

    linktox writes text cells starting with ``= + - @``, tab or CR with a leading ``'`` so that
    spreadsheets do not run them (OWASP CSV injection); reading such a file back must give the
    original text.
    """
    return frame.with_columns(
        pl.col(name).str.replace(r"^'([=+\-@\t\r])", "$1")
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


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
    bad = frame.with_row_index(_ROW).filter(mask).select(_ROW, value.alias("__value")).head(1)
    if bad.is_empty():
        return None
    return int(bad[_ROW][0]), str(bad["__value"][0])


class _Columns:
    """Find a file's columns by name, ignoring case, spaces, ``_`` and ``-`` ("Decided at")."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._names: dict[str, str] = {}
        for name in frame.columns:
            self._names.setdefault(_fold(name), name)  # first one wins

    def get(self, name: str) -> str | None:
        return self._names.get(_fold(name))


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
    try:
        from pipeline.importers import read_export
    except ImportError as exc:  # only while the importers package is still being written
        if not (exc.name or "").startswith("pipeline.importers"):
            raise
        return _read_canonical_csv_fallback(path)
    result = read_export(path)
    links, original = result.links, result.original
    if isinstance(links, pl.LazyFrame):
        links = links.collect()
    if isinstance(original, pl.LazyFrame):
        original = original.collect()
    return links, original


# --- FALLBACK (remove once pipeline.importers lands) ------------------------------------------
# Only linktox's canonical-named CSV: enough for a review queue of a canonical export.
_TRUE = ("true", "1", "yes", "y", "t")


def _read_canonical_csv_fallback(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    try:
        original = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.NoDataError, pl.exceptions.ComputeError, OSError) as exc:
        raise InputError(f"{path}: cannot read as CSV ({exc})") from exc
    missing = [name for name in REQUIRED if name not in original.columns]
    if missing:
        raise InputError(f"{path}: missing column {missing[0]!r} (expected a linktox CSV)")
    casts = []
    for name, dtype in CANONICAL.items():
        if name not in original.columns:
            continue
        text = pl.col(name).str.strip_chars()
        if dtype == pl.Boolean:
            casts.append(text.str.to_lowercase().is_in(_TRUE).alias(name))
        elif dtype == pl.Date:
            casts.append(text.str.to_date("%Y-%m-%d", strict=False).alias(name))
        else:
            casts.append(text.cast(dtype, strict=False).alias(name))
    links = conform(original.select(casts).lazy()).select(list(CANONICAL)).collect()
    return links, original


# --- end of FALLBACK --------------------------------------------------------------------------


def _decisions_from_column(path: Path, original: pl.DataFrame, column: str) -> pl.DataFrame:
    """Map a ``decision`` column through the aliases; blank -> null; unknown -> InputError."""
    token = _normalize_token(pl.col(column))
    decision = token.replace_strict(_ALIASES, default=None, return_dtype=pl.String)
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
    toxic = pl.any_horizontal(token.str.starts_with(prefix) for prefix in _SEMRUSH_TOXIC_PREFIXES)
    keep = pl.any_horizontal(token.str.starts_with(prefix) for prefix in _SEMRUSH_KEEP_PREFIXES)
    undecided = (token == "") | token.is_in(_SEMRUSH_UNDECIDED)
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
    for level in _LEVEL_NAMES:
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
    scope = token.replace_strict(_SCOPES, default=None, return_dtype=pl.String)
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
        *(text.str.to_datetime(fmt, time_zone="UTC", strict=False) for fmt in _DATETIME_FORMATS),
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
        links, original = strip_formula_guard(links), strip_formula_guard(original)
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
    ).with_row_index(_ROW)

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
            f"{_location(path, int(keyless[_ROW][0]))}: decision without a source_url or target_url"
        )

    frame = frame.with_columns(
        pl.coalesce("__given_domain", registrable_domains(frame[SOURCE_URL])).alias(REF_DOMAIN),
        pl.coalesce("__scope", "__status_domain", pl.lit(SCOPE_LINK)).alias(SCOPE),
    )
    orphan = frame.filter((pl.col(SCOPE) == SCOPE_DOMAIN) & pl.col(REF_DOMAIN).is_null()).head(1)
    if not orphan.is_empty():
        raise InputError(
            f"{_location(path, int(orphan[_ROW][0]))}: domain-wide decision but no referring "
            "domain can be read from the source URL"
        )
    decisions = frame.with_columns(
        pl.lit(path.name).alias(SOURCE_FILE), pl.lit(None, TIMESTAMP).alias(IMPORTED_AT)
    ).pipe(_conform_segment)
    return ReviewedFile(path=path, decisions=decisions, blank=blank)


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
    digest = hashlib.sha256(_HASH_VERSION + canonical.encode("utf-8")).hexdigest()
    return digest[:_HASH_CHARS]


_UNHASHED = (SOURCE_FILE, IMPORTED_AT)


def import_file(
    path: Path,
    *,
    store_dir: Path = DEFAULT_STORE,
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
        stored = _conform_segment(pl.read_parquet(segment))

    found = conflicts(store_dir)
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
