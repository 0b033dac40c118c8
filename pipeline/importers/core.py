"""``read_export``: one export file in, the canonical link table out, every problem accounted for.

The steps: read the file into text cells (``read``), decide the format (``detect``, or the
user's ``--format``), map the vendor's columns onto the canonical ones (the vendor module),
parse cells into canonical dtypes (``values``), then check rows (``validate``). Bad rows fail
the import by default; with ``on_error="skip"`` they are left out, counted and described.
Importers never write files.

``open_export`` does the same in chunks, so that a 10-million-row export is read in memory
bounded by the chunk size: the format, the mapping and the target URL are settled when the file
is opened, then each chunk is parsed and checked on its own, duplicates and unparsed-cell reports
being carried from chunk to chunk. ``read_export`` is its chunks put together, so both give the
same links, problems and errors.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
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
from pipeline.importers.read import (
    CHUNK_ROWS,
    POSITION,
    PROBLEM,
    RawTable,
    TableStream,
    concat_tables,
    open_table,
)
from pipeline.importers.spec import Column, Fields, FormatSpec, Mapped, MissingColumn

logger = logging.getLogger(__name__)

OnError = Literal["skip", "fail"]
ON_ERROR_CHOICES: tuple[str, ...] = ("skip", "fail")

# Rows listed one by one in ImportResult.problems; beyond this a single summary line follows.
MAX_LISTED_PROBLEMS = 100
# Other bad rows named in a failure message after the first.
_NAMED_IN_FAILURE = 5
# Data rows read before the format is detected (a localized header is told by its values).
_DETECT_ROWS = 1_000
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


@dataclass(frozen=True, eq=False)
class ImportChunk:
    """Good rows of an export, a chunk of :meth:`ExportStream.chunks`.

    Attributes:
        links: Canonical columns only (``features.schema.conform`` applied), in file order.
        original: The vendor's columns as read; the same rows in the same order as ``links``,
            and the same columns and dtypes in every chunk.
    """

    links: pl.DataFrame
    original: pl.DataFrame


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
    stream = open_export(path, fmt, site=site, on_error=on_error)
    chunks = list(stream.chunks())
    return ImportResult(
        links=pl.concat([chunk.links for chunk in chunks]),
        original=pl.concat([chunk.original for chunk in chunks]),
        format=stream.format,
        path=stream.path,
        skipped=stream.skipped,
        problems=stream.problems,
    )


def open_export(
    path: Path,
    fmt: str | None = None,
    *,
    site: str | None = None,
    on_error: OnError = "fail",
    chunk_rows: int = CHUNK_ROWS,
) -> ExportStream:
    """Open a backlink export to read it in chunks of at most ``chunk_rows`` data lines.

    Arguments as for :func:`read_export`. The file type, encoding, delimiter, header, format,
    mapping and ``site`` are settled here, from the first blocks of the file.

    Raises:
        InputError: as :func:`read_export` for every problem found in what is read up front;
            undecodable bytes further on and bad rows are raised by :meth:`ExportStream.chunks`.
    """
    if on_error not in ON_ERROR_CHOICES:
        raise ValueError(f"on_error must be one of {ON_ERROR_CHOICES}, not {on_error!r}")
    path = Path(path)
    forced = None if fmt is None else spec_for(fmt, path)
    tables = open_table(path, KNOWN_COLUMNS, chunk_rows=chunk_rows)
    raw = tables.chunks()
    sample: list[RawTable] = []
    while sum(table.frame.height for table in sample) < _DETECT_ROWS:
        table = next(raw, None)
        if table is None:
            break
        sample.append(table)
    spec = forced or BY_NAME[detect(concat_tables(sample))]
    target = _target_url(spec, site, path)
    mapping = _mapping(spec, tables, target)
    return ExportStream(path, spec, tables, itertools.chain(sample, raw), mapping, on_error)


class ExportStream:
    """An export opened with :func:`open_export`, read chunk by chunk.

    Attributes:
        path: The file read.
        format: The detected or forced format name (one of ``FORMATS``).
        title: What users call the format ("Ahrefs Backlinks").
        skipped: Rows left out (as :attr:`ImportResult.skipped`), once ``chunks`` is exhausted.
        problems: As :attr:`ImportResult.problems`, once ``chunks`` is exhausted.
        rows: Good rows yielded in all, once ``chunks`` is exhausted.
    """

    def __init__(
        self,
        path: Path,
        spec: FormatSpec,
        tables: TableStream,
        raw: Iterator[RawTable],
        mapping: dict[str, Mapped],
        on_error: OnError,
    ) -> None:
        self.path = path
        self.format = spec.name
        self.title = spec.title
        self.skipped = 0
        self.problems: tuple[str, ...] = ()
        self.rows = 0
        self._unit = tables.unit
        self._decimal_comma = tables.decimal_comma
        self._raw: Iterator[RawTable] | None = raw
        self._mapping = mapping
        self._on_error = on_error

    def chunks(self) -> Iterator[ImportChunk]:
        """Good rows in file order, a chunk at a time (chunks without good rows are left out).

        With ``on_error="fail"``, once a bad row is found nothing more is yielded; the rest of
        the file is still read to count and place the other bad rows, then the InputError of
        :func:`read_export` is raised. May be iterated only once.

        Raises:
            InputError: bad rows (``"fail"``), no usable row, undecodable bytes met on the way.
        """
        if self._raw is None:
            raise RuntimeError(f"{self.path}: the chunks of an export can be read only once")
        raw, self._raw = self._raw, None
        return self._read(raw)

    def _read(self, raw: Iterator[RawTable]) -> Iterator[ImportChunk]:
        mapping = self._mapping
        sources = {
            name: mapped.name for name, mapped in mapping.items() if isinstance(mapped, Column)
        }
        checker = validate.RowChecker(self._unit, sources)
        found = _Found()
        unparsed: dict[str, _Unparsed] = {}
        failed = False
        for table in raw:
            links, report = _parse(_text_view(table), mapping, self._decimal_comma)
            row_problems = checker.check(links, table.positions)
            found.add(_bad_rows(table, row_problems))
            failed = failed or (found.total > 0 and self._on_error == "fail")
            if failed:
                continue
            for name, counted in report.items():
                earlier = unparsed.get(name)
                unparsed[name] = counted if earlier is None else earlier.merge(counted)
            keep = row_problems.is_null()
            if keep.any():
                self.rows += int(keep.sum())
                yield ImportChunk(links=links.filter(keep), original=table.frame.filter(keep))

        if failed:
            raise InputError(_failure(self.path, self._unit, found))
        if not self.rows:
            first = found.head[PROBLEM][0] if found.total else "no rows"
            raise InputError(
                f"{self.path}: no usable rows: all {found.total} data rows were left out ({first})"
            )
        lines = [
            _unparsed_line(name, mapping[name], counted, self._unit)
            for name, counted in unparsed.items()
            if counted.count
        ]
        self.skipped = found.total
        self.problems = (*_listed(found), *lines)
        if found.total:
            logger.warning(
                "%s: skipped %d bad rows (first: %s)", self.path, found.total, self.problems[0]
            )
        logger.info("%s: read %d links (%s)", self.path, self.rows, self.format)


def _bad_rows(table: RawTable, row_problems: pl.Series) -> pl.DataFrame:
    """Every bad row of a chunk, in file order: rows read.py could not split, then bad URLs
    and duplicates (``position``, ``problem``)."""
    malformed = table.malformed.select(
        pl.col(POSITION),
        pl.format("{} {}: malformed row: {}", pl.lit(table.unit), POSITION, PROBLEM).alias(PROBLEM),
    )
    checked = pl.DataFrame({POSITION: table.positions, PROBLEM: row_problems})
    return pl.concat([malformed, checked.drop_nulls(PROBLEM)]).sort(POSITION)


class _Found:
    """Bad rows found so far: how many, and the first MAX_LISTED_PROBLEMS in file order."""

    def __init__(self) -> None:
        self.total = 0
        self.head = pl.DataFrame(schema={POSITION: pl.Int64, PROBLEM: pl.String})

    def add(self, found: pl.DataFrame) -> None:
        """Add a chunk's bad rows (sorted; chunks come in file order)."""
        self.total += found.height
        room = MAX_LISTED_PROBLEMS - self.head.height
        if room > 0 and found.height:
            self.head = pl.concat([self.head, found.head(room)])


@dataclass(frozen=True)
class _Unparsed:
    """Cells of one column that did not parse: how many, and the first one's position and text."""

    count: int
    position: int | None
    value: str | None

    def merge(self, later: _Unparsed) -> _Unparsed:
        """This chunk's count and a later chunk's, the first cell kept."""
        if not self.count:
            return later
        return _Unparsed(self.count + later.count, self.position, self.value)


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


def _mapping(spec: FormatSpec, table: TableStream, target: str | None) -> dict[str, Mapped]:
    """The vendor module's mapping; a missing required column becomes an InputError."""
    fields = Fields(tuple(table.columns), decimal_comma=table.decimal_comma)
    try:
        mapping = spec.to_links(fields, target)
    except MissingColumn as exc:
        expected = " or ".join(repr(alias) for alias in exc.aliases)
        hint = ""
        other = best_match(table.columns)
        if other is not None and other != spec.name:
            hint = f"; it looks like a {BY_NAME[other].title} export, try --format {other}"
        raise InputError(
            f"{table.path}: missing required column {exc.aliases[0]!r} ({exc.canonical}) for "
            f"a {spec.title} export: expected {expected}; found columns "
            f"{describe_columns(table.columns)}{hint}"
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
    text: pl.DataFrame, mapping: dict[str, Mapped], decimal_comma: bool
) -> tuple[pl.DataFrame, dict[str, _Unparsed]]:
    """Parse mapped cells into canonical dtypes; count cells that could not be parsed.

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
        _parse_distinct(staged[_RAW + name], name, column, decimal_comma)
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
        return links, {}
    report = parsed.select(
        *(check for name in checked for check in _unparsed_check(name, pl.col(_RAW + name)))
    ).row(0, named=True)
    return links, {
        name: _Unparsed(
            report[f"{name}:count"], report[f"{name}:position"], report[f"{name}:value"]
        )
        for name in checked
    }


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


def _unparsed_line(name: str, mapped: Mapped, unparsed: _Unparsed, unit: str) -> str:
    assert isinstance(mapped, Column)
    expected = (
        "one of " + "/".join(schema.LINK_TYPES)
        if name == schema.LINK_TYPE
        else _EXPECTED.get(type(schema.CANONICAL[name]), "a value")
    )
    count = unparsed.count
    return (
        f"column {mapped.name!r} ({name}): {count} value{'s' if count > 1 else ''} not "
        f"understood as {expected}, left empty (first: {unit} {unparsed.position}, "
        f"{unparsed.value!r})"
    )


def _failure(path: Path, unit: str, found: _Found) -> str:
    """One line: the first bad row in full, then where the others are."""
    first = found.head[PROBLEM][0]
    others = found.head[POSITION].slice(1, _NAMED_IN_FAILURE).to_list()
    more = ""
    if others:
        listed = ", ".join(str(position) for position in others)
        ellipsis = ", …" if found.total - 1 > len(others) else ""
        more = (
            f" (and {found.total - 1} more bad row{'s' if found.total > 2 else ''}: "
            f"{unit}s {listed}{ellipsis})"
        )
    return f"{path}: {first}{more}; fix the export, or pass --on-error skip to leave bad rows out"


def _listed(found: _Found) -> tuple[str, ...]:
    messages = found.head[PROBLEM].to_list()
    if found.total > MAX_LISTED_PROBLEMS:
        messages.append(f"… and {found.total - MAX_LISTED_PROBLEMS} more rows left out")
    return tuple(messages)
