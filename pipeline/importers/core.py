"""``read_export``: one export file in, the canonical link table out, every problem accounted for.

The steps: read the file into text cells (``read``), decide the format (``detect``, or the
user's ``--format``), map the vendor's columns onto the canonical ones (the vendor module),
parse cells into canonical dtypes (``values``), then check rows (``validate``). What happens to
rows that cannot be scored is ``on_error``:

* ``"keep"`` (the ``linktox score`` default): every row of the file is kept, in file order. A row
  that cannot be scored (a row that does not split into the header's columns, a source or target
  URL that is empty or not an http(s) URL with a host a browser opens) carries its problem in
  words; a row that repeats an earlier one in every canonical value carries the position of its
  first copy (it is counted once and scored as that copy). Cells that could not be parsed are
  left empty and named in the row's problem too. Only when no row at all can be scored is it an
  error.
* ``"fail"`` (this module's default, as for label imports): the first bad row (malformed, bad
  URL, or the same source, target and anchor as an earlier row) refuses the whole file.
* ``"skip"``: bad rows are left out, counted and described.

Structural problems (missing, empty or undecodable file, no header, missing required column)
refuse the file in every mode. Importers never write files.

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
from dataclasses import dataclass, replace
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

OnError = Literal["keep", "skip", "fail"]
ON_ERROR_CHOICES: tuple[str, ...] = ("keep", "skip", "fail")
KEEP: OnError = "keep"

# Rows listed one by one in ImportResult.problems; beyond this a single summary line follows.
MAX_LISTED_PROBLEMS = 100
# First rows named in the summary, the report and the log (RowCounts examples).
_EXAMPLES = 5
# Other bad rows named in a failure message after the first.
_NAMED_IN_FAILURE = 5
# Data rows read before the format is detected (a localized header is told by its values).
_DETECT_ROWS = 1_000
_POSITION = "__position"
_RAW = "__raw"  # the trimmed vendor text of a column, while it is parsed
_KEY = "__cell"  # a vendor column's cells, while each distinct one is parsed
_COMPOSED = "__composed"
_UNPARSED = "__unparsed:"  # prefix of a column's cells that did not parse (null where they did)
_IGNORED = "__ignored"
# Unparsed cells are quoted with at most this many characters.
_SHOWN_CHARS = 40

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
        rows: Row accounting (:class:`RowCounts`): rows read, unscorable, repeated.
        positions: Where each row sits in the file (Int64), aligned with ``links``.
        problem: Per row, why it cannot be scored or which cells were not understood (null for
            a clean row); only ``on_error="keep"`` keeps rows that cannot be scored.
        duplicate_of: Per row, the position of the earlier row it repeats (``keep`` only).
        scorable: Per row, whether it can be scored (False for rows kept with a problem).
    """

    links: pl.DataFrame
    original: pl.DataFrame
    format: str
    path: Path
    skipped: int
    problems: tuple[str, ...]
    rows: RowCounts
    positions: pl.Series
    problem: pl.Series
    duplicate_of: pl.Series
    scorable: pl.Series


@dataclass(frozen=True)
class RowCounts:
    """How the rows of an export were accounted for (known once the stream is exhausted).

    Attributes:
        read: Data rows in the file (malformed ones included).
        scored: Distinct rows that can be scored (what profile features count).
        unscored: Rows kept without a score (``keep``), with ``unscored_examples`` (the first
            few ``"line N: problem"``).
        skipped: Rows left out (``skip``).
        repeated: Rows that repeat an earlier row exactly (``keep``): counted once, scored as
            their first copy; ``repeated_examples`` are the first few ``"line N (= line M)"``.
        cells: Cells that could not be parsed and were left empty, in all columns.
        level: ``"link"``, or ``"domain"`` for exports with one row per referring domain.
    """

    read: int = 0
    scored: int = 0
    unscored: int = 0
    skipped: int = 0
    repeated: int = 0
    cells: int = 0
    unscored_examples: tuple[str, ...] = ()
    repeated_examples: tuple[str, ...] = ()
    level: str = "link"


@dataclass(frozen=True, eq=False)
class ImportChunk:
    """Rows of an export, a chunk of :meth:`ExportStream.chunks`.

    Attributes:
        links: Canonical columns only (``features.schema.conform`` applied), in file order.
        original: The vendor's columns as read; the same rows in the same order as ``links``,
            and the same columns and dtypes in every chunk.
        positions: Where each row sits in the file (Int64).
        problem: Per row, what cannot be scored or was not understood, in words (null if none).
        duplicate_of: Per row, the position of the earlier row it repeats (null if none).
        scorable: Per row, whether it can be scored (False: kept with its problem, no score).
    """

    links: pl.DataFrame
    original: pl.DataFrame
    positions: pl.Series
    problem: pl.Series
    duplicate_of: pl.Series
    scorable: pl.Series


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
            ``"skip"`` leaves such rows out and reports them in ``skipped`` and ``problems``;
            ``"keep"`` keeps every row (see the module docstring).

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
        rows=stream.counts,
        positions=pl.concat([chunk.positions for chunk in chunks]),
        problem=pl.concat([chunk.problem for chunk in chunks]),
        duplicate_of=pl.concat([chunk.duplicate_of for chunk in chunks]),
        scorable=pl.concat([chunk.scorable for chunk in chunks]),
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
        level: ``"link"``, or ``"domain"`` for one row per referring domain.
        skipped: Rows left out (as :attr:`ImportResult.skipped`), once ``chunks`` is exhausted.
        problems: As :attr:`ImportResult.problems`, once ``chunks`` is exhausted.
        rows: Rows yielded in all, once ``chunks`` is exhausted.
        counts: :class:`RowCounts`, once ``chunks`` is exhausted.
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
        self.level = spec.level
        self.skipped = 0
        self.problems: tuple[str, ...] = ()
        self.rows = 0
        self.counts = RowCounts(level=spec.level)
        self.unit = tables.unit
        self._unit = tables.unit
        self._decimal_comma = tables.decimal_comma
        self._raw: Iterator[RawTable] | None = raw
        self._mapping = mapping
        self._on_error = on_error

    def chunks(self) -> Iterator[ImportChunk]:
        """Rows in file order, a chunk at a time (chunks without rows are left out).

        With ``on_error="fail"``, once a bad row is found nothing more is yielded; the rest of
        the file is still read to count and place the other bad rows, then the InputError of
        :func:`read_export` is raised. May be iterated only once.

        Raises:
            InputError: bad rows (``"fail"``), no usable row, undecodable bytes met on the way.
        """
        if self._raw is None:
            raise RuntimeError(f"{self.path}: the chunks of an export can be read only once")
        raw, self._raw = self._raw, None
        return self._read_kept(raw) if self._on_error == KEEP else self._read(raw)

    def _sources(self) -> dict[str, str]:
        mapping = self._mapping
        return {name: mapped.name for name, mapped in mapping.items() if isinstance(mapped, Column)}

    def _read(self, raw: Iterator[RawTable]) -> Iterator[ImportChunk]:
        mapping = self._mapping
        checker = validate.RowChecker(self._unit, self._sources())
        found = _Found()
        unparsed: dict[str, _Unparsed] = {}
        failed = False
        read = 0
        for table in raw:
            read += table.positions.len() + table.malformed.height
            links, report, _ = _parse(_text_view(table), mapping, self._decimal_comma)
            row_problems = checker.check(links, table.positions)
            found.add(_bad_rows(table, row_problems))
            failed = failed or (found.total > 0 and self._on_error == "fail")
            if failed:
                continue
            _merge_unparsed(unparsed, report)
            keep = row_problems.is_null()
            if keep.any():
                self.rows += int(keep.sum())
                kept = int(keep.sum())
                yield ImportChunk(
                    links=links.filter(keep),
                    original=table.frame.filter(keep),
                    positions=table.positions.filter(keep),
                    problem=pl.Series(PROBLEM, [None] * kept, pl.String),
                    duplicate_of=pl.Series(validate.DUPLICATE_OF, [None] * kept, pl.Int64),
                    scorable=pl.Series("scorable", [True] * kept, pl.Boolean),
                )

        if failed:
            raise InputError(_failure(self.path, self._unit, found))
        if not self.rows:
            first = found.head[PROBLEM][0] if found.total else "no rows"
            raise InputError(
                f"{self.path}: no usable rows: all {found.total} data rows were left out ({first})"
            )
        lines = _unparsed_lines(unparsed, mapping, self._unit)
        self.skipped = found.total
        self.problems = (*_listed(found), *lines)
        self.counts = RowCounts(
            read=read,
            scored=self.rows,
            skipped=found.total,
            cells=sum(counted.count for counted in unparsed.values()),
            unscored_examples=tuple(found.head[PROBLEM].head(_EXAMPLES).to_list()),
            level=self.level,
        )
        if found.total:
            logger.warning(
                "%s: skipped %d bad rows (first: %s)", self.path, found.total, self.problems[0]
            )
        logger.info("%s: read %d links (%s)", self.path, self.rows, self.format)

    def _read_kept(self, raw: Iterator[RawTable]) -> Iterator[ImportChunk]:
        """``on_error="keep"``: every row, in file order, with its problem and repeat marks."""
        mapping = self._mapping
        checker = validate.RowChecker(self._unit, self._sources(), key=validate.EXACT_KEY)
        unscored = _Found()
        repeats = _Found()
        unparsed: dict[str, _Unparsed] = {}
        read = 0
        for table in raw:
            text, malformed = _with_malformed(table)
            read += text.height
            links, report, notes = _parse(
                text, mapping, self._decimal_comma, notes=True, ignore=malformed.is_not_null()
            )
            positions = text[_POSITION]
            rows = checker.rows(links, positions, bad=malformed.is_not_null())
            problem = rows.select(pl.coalesce(pl.lit(malformed), pl.col(PROBLEM)).alias(PROBLEM))[
                PROBLEM
            ]
            scorable = problem.is_null().alias("scorable")
            note = pl.select(
                pl.when(pl.lit(scorable)).then(pl.lit(notes)).otherwise(pl.lit(problem))
            ).to_series()
            unscored.add(
                pl.DataFrame({POSITION: positions, PROBLEM: problem})
                .drop_nulls(PROBLEM)
                .select(POSITION, pl.format("{} {}: {}", pl.lit(self._unit), POSITION, PROBLEM))
                .rename({"literal": PROBLEM})
            )
            duplicate_of = rows[validate.DUPLICATE_OF]
            repeats.add(
                pl.DataFrame({POSITION: positions, PROBLEM: duplicate_of})
                .drop_nulls(PROBLEM)
                .select(
                    POSITION,
                    pl.format(
                        "{} {} (= {} {})", pl.lit(self._unit), POSITION, pl.lit(self._unit),
                        PROBLEM,
                    ).alias(PROBLEM),
                )
            )  # fmt: skip
            _merge_unparsed(unparsed, report)
            self.rows += text.height
            yield ImportChunk(
                links=links,
                original=text.drop(_POSITION),
                positions=positions.alias(POSITION),
                problem=note.alias(PROBLEM),
                duplicate_of=duplicate_of.alias(validate.DUPLICATE_OF),
                scorable=scorable,
            )
        if unscored.total == self.rows:
            first = unscored.head[PROBLEM][0] if unscored.total else "no rows"
            raise InputError(
                f"{self.path}: no usable rows: none of the {self.rows} data rows can be scored "
                f"({first})"
            )
        lines = _unparsed_lines(unparsed, mapping, self._unit)
        self.problems = (*_listed(unscored, kept=True), *lines)
        self.counts = RowCounts(
            read=read,
            scored=read - unscored.total - repeats.total,
            unscored=unscored.total,
            repeated=repeats.total,
            cells=sum(counted.count for counted in unparsed.values()),
            unscored_examples=tuple(unscored.head[PROBLEM].head(_EXAMPLES).to_list()),
            repeated_examples=tuple(repeats.head[PROBLEM].head(_EXAMPLES).to_list()),
            level=self.level,
        )
        if unscored.total:
            logger.warning(
                "%s: %d rows cannot be scored and are kept without a score (first: %s)",
                self.path, unscored.total, unscored.head[PROBLEM][0],
            )  # fmt: skip
        if repeats.total:
            logger.info(
                "%s: %d rows repeat an earlier row exactly; each counts once (first: %s)",
                self.path, repeats.total, repeats.head[PROBLEM][0],
            )  # fmt: skip
        logger.info("%s: read %d rows (%s)", self.path, self.rows, self.format)


def _with_malformed(table: RawTable) -> tuple[pl.DataFrame, pl.Series]:
    """The chunk's rows as text with their positions (``__position``), malformed rows included
    (cells by position) in file order, and per row the malformed-row problem (null if none)."""
    text = _text_view(table)
    problem = pl.Series(PROBLEM, [None] * text.height, pl.String)
    cells = table.malformed_cells
    if cells is None or not cells.height:
        return text, problem
    bad = cells.with_columns(table.malformed[POSITION].alias(_POSITION))
    merged = pl.concat(
        [
            text.with_columns(problem),
            bad.with_columns(
                pl.format("malformed row: {}", table.malformed[PROBLEM]).alias(PROBLEM)
            ),
        ],
        how="vertical_relaxed",
    ).sort(_POSITION)
    return merged.drop(PROBLEM), merged[PROBLEM]


def _merge_unparsed(unparsed: dict[str, _Unparsed], report: dict[str, _Unparsed]) -> None:
    for name, counted in report.items():
        earlier = unparsed.get(name)
        unparsed[name] = counted if earlier is None else earlier.merge(counted)


def _unparsed_lines(unparsed: dict[str, _Unparsed], mapping: dict[str, Mapped], unit: str) -> list:
    return [
        _unparsed_line(name, mapping[name], counted, unit)
        for name, counted in unparsed.items()
        if counted.count
    ]


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
    text: pl.DataFrame,
    mapping: dict[str, Mapped],
    decimal_comma: bool,
    *,
    notes: bool = False,
    ignore: pl.Series | None = None,
) -> tuple[pl.DataFrame, dict[str, _Unparsed], pl.Series | None]:
    """Parse mapped cells into canonical dtypes; count cells that could not be parsed, and with
    ``notes`` describe them per row (``column 'Last seen': 'soon' is not a date, left empty``).

    Each typed column is parsed on its distinct cells and mapped back (:func:`_parse_distinct`),
    which also tells which cells did not parse, so that the counts and notes never look at the
    rows' text again; composed columns (link types from several flags) are worked out once per
    distinct combination of their vendor columns. Rows marked in ``ignore`` (malformed rows,
    whose cells sit under the wrong names) are not counted or noted.
    """
    columns = {name: mapped for name, mapped in mapping.items() if isinstance(mapped, Column)}
    composed = {name: mapped for name, mapped in mapping.items() if not isinstance(mapped, Column)}
    checked = [name for name in columns if _is_checked(name)]
    constant = {name: expr for name, expr in composed.items() if not expr.meta.root_names()}
    strings = {name: column for name, column in columns.items() if name not in checked}
    guarded = _guarded(text, {column.name for column in strings.values()})
    staged = text.select(
        pl.col(_POSITION),
        (pl.lit(False) if ignore is None else pl.lit(ignore)).alias(_IGNORED),
        *(column.raw(column.name in guarded).alias(name) for name, column in strings.items()),
        *(expr.alias(name) for name, expr in constant.items()),
    )
    parsed = pl.concat(
        [
            staged,
            *(_parse_distinct(text, name, columns[name], decimal_comma) for name in checked),
            *(
                _composed_distinct(text, name, expr)
                for name, expr in composed.items()
                if name not in constant
            ),
        ],
        how="horizontal",
    )
    links = schema.conform(parsed.lazy().select(*mapping)).select(list(schema.CANONICAL)).collect()
    row_notes = None
    if notes:
        messages = [_unparsed_note(name, columns[name]) for name in checked]
        row_notes = parsed.select(
            pl.concat_str(messages, separator="; ", ignore_nulls=True).replace("", None)
            if messages
            else pl.lit(None, pl.String)
        ).to_series()
    if not checked:
        return links, {}, row_notes
    report = parsed.select(*(check for name in checked for check in _unparsed_check(name))).row(
        0, named=True
    )
    return (
        links,
        {
            name: _Unparsed(
                report[f"{name}:count"], report[f"{name}:position"], report[f"{name}:value"]
            )
            for name in checked
        },
        row_notes,
    )


def _guarded(text: pl.DataFrame, names: set[str]) -> set[str]:
    """The columns among ``names`` with a cell that starts with the formula guard: free text is
    trimmed on every row, and looking for the guard costs as much as the trimming."""
    if not names:
        return set()
    found = text.select(values.has_guard(pl.col(name)).alias(name) for name in names)
    return {name for name, present in found.row(0, named=True).items() if present}


def _is_checked(name: str) -> bool:
    """Whether a canonical column is parsed from text (and its unparsed cells reported)."""
    return schema.CANONICAL[name] != pl.String() or name == schema.LINK_TYPE


def _expected(name: str) -> str:
    if name == schema.LINK_TYPE:
        return "one of " + "/".join(schema.LINK_TYPES)
    return _EXPECTED.get(type(schema.CANONICAL[name]), "a value")


def _unparsed_note(name: str, column: Column) -> pl.Expr:
    """Per row: the cell of ``name`` that did not parse, in words; null when it did."""
    return pl.when(~pl.col(_IGNORED)).then(
        pl.format(
            f"column {column.name!r}: '{{}}' is not {_expected(name)}, left empty",
            pl.col(_UNPARSED + name),
        )
    )


def _parse_distinct(
    text: pl.DataFrame, name: str, column: Column, decimal_comma: bool
) -> pl.DataFrame:
    """Parse each distinct cell of a column once and map the results back onto its rows:
    ``name`` (the parsed value) and ``__unparsed:name`` (the cell's first 40 characters when it
    holds text that did not parse, null otherwise)."""
    raw = pl.col(_RAW)
    value = pl.col(name)

    def evaluate(cells: pl.LazyFrame) -> pl.LazyFrame:
        trimmed = cells.with_columns(replace(column, name=_KEY).raw().alias(_RAW))
        typed = trimmed.with_columns(_parse_column(name, column, raw, decimal_comma).alias(name))
        return typed.select(
            _KEY,
            value,
            pl.when(~values.is_blank(raw) & value.is_null())
            .then(raw.str.slice(0, _SHOWN_CHARS))
            .alias(_UNPARSED + name),
        )

    return values.by_distinct(text.select(pl.col(column.name).alias(_KEY)), [_KEY], evaluate)


def _composed_distinct(text: pl.DataFrame, name: str, expr: pl.Expr) -> pl.DataFrame:
    """A composed column (an expression of several vendor columns, row by row), worked out once
    per distinct combination of those columns."""
    roots = list(dict.fromkeys(expr.meta.root_names()))
    return values.by_distinct(
        text, roots, lambda cells: cells.with_columns(expr.alias(_COMPOSED))
    ).rename({_COMPOSED: name})


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


def _unparsed_check(name: str) -> list[pl.Expr]:
    """Count, first position and first value of cells with text that did not parse."""
    unparsed = pl.col(_UNPARSED + name)
    bad = unparsed.is_not_null() & ~pl.col(_IGNORED)
    return [
        bad.sum().alias(f"{name}:count"),
        pl.col(_POSITION).filter(bad).first().alias(f"{name}:position"),
        unparsed.filter(bad).first().alias(f"{name}:value"),
    ]


def _unparsed_line(name: str, mapped: Mapped, unparsed: _Unparsed, unit: str) -> str:
    assert isinstance(mapped, Column)
    expected = _expected(name)
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


def _listed(found: _Found, *, kept: bool = False) -> tuple[str, ...]:
    messages = found.head[PROBLEM].to_list()
    if found.total > MAX_LISTED_PROBLEMS:
        what = "kept without a score" if kept else "left out"
        messages.append(f"… and {found.total - MAX_LISTED_PROBLEMS} more rows {what}")
    return tuple(messages)
