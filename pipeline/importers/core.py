"""``read_export``: one export file in, the canonical link table out, every problem accounted for.

The steps: read the file into text cells (``read``), decide the format (``detect``, or the
user's ``--format``), map the vendor's columns onto the canonical ones (the vendor module),
parse cells into canonical dtypes (``values``), then check rows (``validate``). Bad rows fail
the import by default; with ``on_error="skip"`` they are left out, counted and described.
Importers never write files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from features import schema
from pipeline.errors import InputError
from pipeline.importers import validate, values
from pipeline.importers.detect import (
    BY_NAME,
    KNOWN_COLUMNS,
    best_match,
    describe_columns,
    detect,
    spec_for,
)
from pipeline.importers.gsc import site_url
from pipeline.importers.read import POSITION, PROBLEM, RawTable, load_table
from pipeline.importers.spec import Column, Fields, FormatSpec, Mapped, MissingColumn

logger = logging.getLogger(__name__)

OnError = Literal["skip", "fail"]
ON_ERROR_CHOICES: tuple[str, ...] = ("skip", "fail")

# Rows listed one by one in ImportResult.problems; beyond this a single summary line follows.
MAX_LISTED_PROBLEMS = 100
# Other bad rows named in a failure message after the first.
_NAMED_IN_FAILURE = 5
_POSITION = "__position"
_RAW = "__raw:"  # prefix of the trimmed vendor text behind a canonical column

# How an unparsed cell is described, by canonical dtype.
_EXPECTED: dict[type[pl.DataType], str] = {
    pl.Boolean: "true/false",
    pl.Date: "a date",
    pl.Float64: "a number",
    pl.Int64: "a whole number",
}


@dataclass(frozen=True, eq=False)
class ImportResult:
    """An export read into the canonical link table.

    Attributes:
        links: Canonical columns only (``features.schema.conform`` applied), in input row order.
        original: The vendor's columns as read (text), plus any columns the user added; the
            same rows in the same order as ``links``.
        format: The detected or forced format name (one of ``FORMATS``).
        path: The file read.
        skipped: Rows left out with ``on_error="skip"``: malformed, bad URL or duplicate.
        problems: One line per problem found, naming the row and what was wrong; also cells
            that could not be parsed (left empty, the row kept).
    """

    links: pl.DataFrame
    original: pl.DataFrame
    format: str
    path: Path
    skipped: int
    problems: tuple[str, ...]


def read_export(
    path: Path,
    fmt: str | None = None,
    *,
    site: str | None = None,
    on_error: OnError = "fail",
) -> ImportResult:
    """Read a backlink export (any supported tool, or linktox's own table) into canonical links.

    Args:
        path: The export: CSV/TSV (any delimiter, UTF-8 or UTF-16), .xlsx, or Parquet.
        fmt: Force a format (one of ``FORMATS``) instead of detecting it.
        site: The site the links point to, for Search Console exports that carry no target URL
            (``example.com``, ``sc-domain:example.com`` or a URL). Ignored by other formats.
        on_error: ``"fail"`` raises on the first malformed row, bad URL or duplicate link;
            ``"skip"`` leaves such rows out and reports them in ``skipped`` and ``problems``.

    Raises:
        InputError: one line naming the file, the row or column and what was expected.
    """
    if on_error not in ON_ERROR_CHOICES:
        raise ValueError(f"on_error must be one of {ON_ERROR_CHOICES}, not {on_error!r}")
    path = Path(path)
    forced = None if fmt is None else spec_for(fmt, path)
    table = load_table(path, KNOWN_COLUMNS)
    spec = forced or BY_NAME[detect(table)]
    target = _target_url(spec, site, path)
    mapping = _mapping(spec, table, target)
    text = _text_view(table)
    links, unparsed = _parse(text, mapping, table)
    sources = {name: mapped.name for name, mapped in mapping.items() if isinstance(mapped, Column)}
    row_problems = validate.row_problems(links, table.positions, table.unit, sources)

    # Every bad row, in file order: rows read.py could not split, then bad URLs and duplicates.
    malformed = table.malformed.select(
        pl.col(POSITION),
        pl.format("{} {}: malformed row: {}", pl.lit(table.unit), POSITION, PROBLEM).alias(PROBLEM),
    )
    checked = pl.DataFrame({POSITION: table.positions, PROBLEM: row_problems})
    found = pl.concat([malformed, checked.drop_nulls(PROBLEM)]).sort(POSITION)
    if found.height and on_error == "fail":
        raise InputError(_failure(path, table, found))

    keep = row_problems.is_null()
    links = links.filter(keep)
    original = table.frame.filter(keep)
    if links.is_empty():
        first = found[PROBLEM][0] if found.height else "no rows"
        raise InputError(
            f"{path}: no usable rows: all {found.height} data rows were left out ({first})"
        )
    problems = (*_listed(found), *unparsed)
    if found.height:
        logger.warning("%s: skipped %d bad rows (first: %s)", path, found.height, problems[0])
    logger.info("%s: read %d links (%s)", path, links.height, spec.name)
    return ImportResult(
        links=links,
        original=original,
        format=spec.name,
        path=path,
        skipped=found.height,
        problems=problems,
    )


def _target_url(spec: FormatSpec, site: str | None, path: Path) -> str | None:
    """The URL ``--site`` stands for, required by exports without target URLs."""
    if not spec.needs_site:
        if site is not None:
            logger.debug("%s: --site ignored, %s exports name their targets", path, spec.name)
        return None
    if site is None or not site.strip():
        raise InputError(
            f"{path}: {spec.title} exports carry no target URL; pass --site with the site "
            "they are for (e.g. --site example.com)"
        )
    url = site_url(site)
    if url is None:
        raise InputError(
            f"{path}: --site {site!r} is not a domain or an http(s) URL "
            "(expected e.g. example.com or https://example.com/)"
        )
    return url


def _mapping(spec: FormatSpec, table: RawTable, target: str | None) -> dict[str, Mapped]:
    """The vendor module's mapping; a missing required column becomes an InputError."""
    fields = Fields(tuple(table.frame.columns), decimal_comma=table.decimal_comma)
    try:
        mapping = spec.to_links(fields, target)
    except MissingColumn as exc:
        expected = " or ".join(repr(alias) for alias in exc.aliases)
        hint = ""
        other = best_match(table.frame.columns)
        if other is not None and other != spec.name:
            hint = f"; it looks like a {BY_NAME[other].title} export, try --format {other}"
        raise InputError(
            f"{table.path}: missing required column {exc.aliases[0]!r} ({exc.canonical}) for "
            f"a {spec.title} export: expected {expected}; found columns "
            f"{describe_columns(table.frame.columns)}{hint}"
        ) from None
    return {name: mapped for name, mapped in mapping.items() if mapped is not None}


def _text_view(table: RawTable) -> pl.DataFrame:
    """The table as text cells (Parquet and spreadsheets may carry typed columns)."""
    frame = table.frame
    typed = [
        name
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() or dtype.is_temporal() or dtype == pl.Boolean
    ]
    return frame.with_columns(
        *(pl.col(name).cast(pl.String) for name in typed), table.positions.alias(_POSITION)
    )


def _parse(
    text: pl.DataFrame, mapping: dict[str, Mapped], table: RawTable
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Parse mapped cells into canonical dtypes; report cells that could not be parsed.

    The trimmed text of each mapped column is computed once, then each distinct value is parsed
    once and mapped back: a column of dates or flags holds few distinct values, and the parsers'
    ``when/then`` chains would otherwise run over every row several times.
    """
    columns = {name: mapped for name, mapped in mapping.items() if isinstance(mapped, Column)}
    composed = {name: mapped for name, mapped in mapping.items() if not isinstance(mapped, Column)}
    staged = text.select(
        pl.col(_POSITION),
        *(column.raw().alias(_RAW + name) for name, column in columns.items()),
        *(expr.alias(name) for name, expr in composed.items()),
    )
    parsed = staged.with_columns(
        _parse_distinct(staged[_RAW + name], name, column, table.decimal_comma)
        if schema.CANONICAL[name] != pl.String() or name == schema.LINK_TYPE
        else staged[_RAW + name].alias(name)
        for name, column in columns.items()
    )
    links = schema.conform(parsed.lazy().select(*mapping)).select(list(schema.CANONICAL)).collect()
    checked = [
        name
        for name in columns
        if schema.CANONICAL[name] != pl.String() or name == schema.LINK_TYPE
    ]
    if not checked:
        return links, ()
    report = parsed.select(
        *(check for name in checked for check in _unparsed_check(name, pl.col(_RAW + name)))
    ).row(0, named=True)
    lines = [
        _unparsed_line(name, columns[name], report, table.unit)
        for name in checked
        if report[f"{name}:count"]
    ]
    return links, tuple(lines)


def _parse_distinct(raw: pl.Series, name: str, column: Column, decimal_comma: bool) -> pl.Series:
    """Parse each distinct text of a column once and map the results back onto its rows."""
    distinct = (
        raw.unique()
        .to_frame(_RAW)
        .with_columns(_parse_column(name, column, pl.col(_RAW), decimal_comma).alias(name))
    )
    rows = raw.to_frame(_RAW).join(
        distinct, on=_RAW, how="left", nulls_equal=True, maintain_order="left"
    )
    return rows[name]


def _parse_column(name: str, column: Column, raw: pl.Expr, decimal_comma: bool) -> pl.Expr:
    dtype = schema.CANONICAL[name]
    if dtype == pl.Boolean():
        return values.to_bool(raw, column.empty)
    if dtype == pl.Date():
        return values.to_date(raw, day_first=decimal_comma)
    if dtype == pl.Float64():
        return values.to_float(raw, decimal_comma)
    if dtype == pl.Int64():
        return values.to_int(raw, decimal_comma)
    if name == schema.LINK_TYPE:
        lowered = raw.str.to_lowercase()
        return pl.when(lowered.is_in(list(schema.LINK_TYPES))).then(lowered)
    return raw


def _unparsed_check(name: str, raw: pl.Expr) -> list[pl.Expr]:
    """Count, first position and first value of cells with text that did not parse."""
    bad = ~values.is_blank(raw) & pl.col(name).is_null()
    return [
        bad.sum().alias(f"{name}:count"),
        pl.col(_POSITION).filter(bad).first().alias(f"{name}:position"),
        raw.filter(bad).first().str.slice(0, 40).alias(f"{name}:value"),
    ]


def _unparsed_line(name: str, mapped: Mapped, report: dict, unit: str) -> str:
    assert isinstance(mapped, Column)
    expected = (
        "one of " + "/".join(schema.LINK_TYPES)
        if name == schema.LINK_TYPE
        else _EXPECTED.get(type(schema.CANONICAL[name]), "a value")
    )
    count = report[f"{name}:count"]
    return (
        f"column {mapped.name!r} ({name}): {count} value{'s' if count > 1 else ''} not "
        f"understood as {expected}, left empty (first: {unit} {report[f'{name}:position']}, "
        f"{report[f'{name}:value']!r})"
    )


def _failure(path: Path, table: RawTable, found: pl.DataFrame) -> str:
    """One line: the first bad row in full, then where the others are."""
    first = found[PROBLEM][0]
    others = found[POSITION].slice(1, _NAMED_IN_FAILURE).to_list()
    more = ""
    if others:
        listed = ", ".join(str(position) for position in others)
        ellipsis = ", …" if found.height - 1 > len(others) else ""
        more = (
            f" (and {found.height - 1} more bad row{'s' if found.height > 2 else ''}: "
            f"{table.unit}s {listed}{ellipsis})"
        )
    return f"{path}: {first}{more}; fix the export, or pass --on-error skip to leave bad rows out"


def _listed(found: pl.DataFrame) -> tuple[str, ...]:
    messages = found[PROBLEM].head(MAX_LISTED_PROBLEMS).to_list()
    if found.height > MAX_LISTED_PROBLEMS:
        messages.append(f"… and {found.height - MAX_LISTED_PROBLEMS} more rows left out")
    return tuple(messages)
