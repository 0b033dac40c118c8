"""Read any export file into a table of text cells: decoding, delimiter sniffing, header finding.

Vendors write CSV in many shapes: UTF-16 with a BOM and tabs (Ahrefs), ``;`` after a European
Excel re-save, preamble lines above the header (Moz), rows with a stray quote or a missing field
(Majestic). This module turns all of them, plus ``.xlsx`` and Parquet, into one
:class:`RawTable`: the vendor's columns as text, where each row sits in the file, and the rows
that could not be split into the header's columns. It knows nothing about vendors except the
set of column names that mark a header line.

The CSV splitter is written with polars expressions rather than the ``csv`` module so that it
can report the field count and the line number of every record (``pl.read_csv`` silently pads
or truncates ragged rows) without a Python loop per row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.errors import InputError

logger = logging.getLogger(__name__)

# How a position is named in messages: a line of a text file (what a spreadsheet shows as the
# row number when it opens the CSV), a worksheet row, or the n-th data row of a Parquet file.
LINE = "line"
SHEET_ROW = "row"
DATA_ROW = "data row"

# Delimiters tried, in order of preference when two fit equally well.
DELIMITERS: tuple[str, ...] = (",", "\t", ";", "|")
_REGEX_DELIMITER = {",": ",", "\t": r"\t", ";": ";", "|": r"\|"}
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}

# Lines looked at to choose the delimiter and to find the header (Moz puts a few lines above it).
SNIFF_LINES = 60

# Byte-order marks, longest first is not needed: UTF-32 is not something any vendor writes.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx (and any zip)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
_GZIP_MAGIC = b"\x1f\x8b"

# Columns of RawTable.malformed (position is also the name of RawTable.positions).
POSITION = "position"
PROBLEM = "problem"

# Internal column names used while splitting text into records.
_POS = POSITION
_TEXT = "text"
_START = "starts_record"
_RECORD = "record"
_N_LINES = "n_lines"
_FIELDS = "fields"


@dataclass(frozen=True)
class RawTable:
    """An export as read: the vendor's columns as text, before any vendor mapping.

    Attributes:
        path: The file read.
        frame: One column per header name (de-duplicated), text cells, empty cells null.
            Parquet keeps its own dtypes.
        positions: Int64, where each row of ``frame`` sits in the file, 1-based, in ``unit``s.
        unit: ``"line"``, ``"row"`` or ``"data row"`` (see the module constants).
        malformed: Rows that could not be split into the header's columns, already left out
            of ``frame``: ``position`` (Int64) and ``problem`` (String, what was wrong).
        delimiter: The CSV delimiter, None for spreadsheets and Parquet.
        encoding: The text encoding, None for spreadsheets and Parquet.
    """

    path: Path
    frame: pl.DataFrame
    positions: pl.Series
    unit: str
    malformed: pl.DataFrame
    delimiter: str | None = None
    encoding: str | None = None

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers likely use a decimal comma: a ``;`` CSV comes from a European locale."""
        return self.delimiter == ";"


def normalize_name(name: str) -> str:
    """Compare column names as vendors vary them: case, spacing and a stray BOM ignored."""
    return " ".join(name.replace("\ufeff", "").lower().split())


def _normalized(expr: pl.Expr) -> pl.Expr:
    """The polars twin of :func:`normalize_name`."""
    return (
        expr.str.replace_all("\ufeff", "", literal=True)
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
    )


def load_table(path: Path, known_columns: frozenset[str]) -> RawTable:
    """Read ``path`` (CSV/TSV in any common encoding, .xlsx/.xls, Parquet) into a RawTable.

    ``known_columns`` (normalized names) is how the header line is recognised below preamble
    lines and how the delimiter is chosen.

    Raises:
        InputError: missing or unreadable file, undecodable bytes, no header or no data rows.
    """
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _read_spreadsheet(path, known_columns)
    if data.startswith(_GZIP_MAGIC):
        raise InputError(f"{path}: the file is gzip-compressed; decompress it first")
    text, encoding = decode(path, data)
    return _read_text(path, text, encoding, known_columns)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected an export file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{path}: the file is empty (expected a header line and data rows)")
    return data


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode an export: BOM first (UTF-8, UTF-16 LE/BE), then BOM-less UTF-16, then UTF-8.

    Returns the text and the encoding's name. Undecodable bytes are an InputError naming the
    byte offset and line; linktox does not guess legacy code pages, it asks for a UTF-8 re-save.
    """
    encoding, skip = _sniff_encoding(data)
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data[skip:offset].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            f"{path}: byte {offset} (line {line}) is not valid {encoding.upper()} "
            f"({exc.reason}); re-save the export as UTF-8 CSV"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(
            f"{path}: line {line} contains NUL bytes; expected a text export (CSV/TSV), "
            "an .xlsx workbook or a Parquet file"
        )
    return text, encoding


def _sniff_encoding(data: bytes) -> tuple[str, int]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    # UTF-16 without a BOM: ASCII text leaves every other byte NUL.
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le", 0
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be", 0
    return "utf-8", 0


# --- text files ----------------------------------------------------------------------------


def _read_text(path: Path, text: str, encoding: str, known: frozenset[str]) -> RawTable:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    declared = _declared_delimiter(lines)
    if declared is not None:
        lines[0] = ""  # Excel's "sep=;" line: not data, but it keeps its line number
        delimiter = declared
    else:
        prefer_tab = encoding.startswith("utf-16") or path.suffix.lower() in (".tsv", ".tab")
        delimiter = sniff_delimiter(lines[:SNIFF_LINES], known, prefer_tab=prefer_tab)
    line_frame = _line_frame(lines, delimiter)
    records = _records(line_frame, delimiter)
    header_position = _header_position(records, known)
    if header_position is None:
        raise InputError(f"{path}: the file is empty (expected a header line and data rows)")
    header = records.filter(pl.col(_POS) == header_position)[_FIELDS][0].to_list()
    names = _column_names(header)
    width = len(names)

    # A quote that opens a field and never closes swallows the lines after it; when such a
    # multi-line record does not fit the header, read its lines one by one instead.
    swallowed = records.filter(
        (pl.col(_POS) > header_position) & (pl.col(_N_LINES) > 1) & ~_fits(pl.col(_FIELDS), width)
    )[_RECORD]
    if swallowed.len():
        records = _records(line_frame, delimiter, split=pl.col(_RECORD).is_in(swallowed.implode()))

    logger.debug(
        "%s: %s, %s-separated, header on line %d", path, encoding,
        _DELIMITER_NAMES[delimiter], header_position,
    )  # fmt: skip
    table = _frame_from_records(path, records, header_position, names, LINE)
    return RawTable(
        path=path,
        frame=table.frame,
        positions=table.positions,
        unit=LINE,
        malformed=table.malformed,
        delimiter=delimiter,
        encoding=encoding,
    )


def _declared_delimiter(lines: list[str]) -> str | None:
    """The delimiter named by an Excel ``sep=;`` first line, if the file has one."""
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and first[4:] in DELIMITERS:
        return first[4:]
    return None


def sniff_delimiter(lines: list[str], known: frozenset[str], *, prefer_tab: bool = False) -> str:
    """Choose the delimiter that splits a header line into the most known column names.

    When no line holds a known name (an unknown or localized header), choose the delimiter that
    gives the most lines the same field count above one.
    """
    order = ("\t", ",", ";", "|") if prefer_tab else DELIMITERS
    best: tuple[tuple[int, int, int], str] | None = None
    for delimiter in order:
        records = _records(_line_frame(lines, delimiter), delimiter)
        records = records.filter(~_blank(pl.col(_FIELDS)))
        if records.is_empty():
            continue
        known_score = int(records.select(_known_count(pl.col(_FIELDS), known).max()).item())
        counts = records[_FIELDS].list.len()
        modal = counts.mode().max()
        agreeing = int((counts == modal).sum()) if modal > 1 else 0
        score = (known_score, agreeing, int(modal))
        if best is None or score > best[0]:
            best = (score, delimiter)
    return order[0] if best is None else best[1]


def _line_frame(lines: list[str], delimiter: str) -> pl.DataFrame:
    """One row per physical line, with whether it starts a new CSV record.

    A line continues the previous record when the structural quotes so far are unbalanced:
    quotes opening a field (after a delimiter or at line start) or closing one (before a
    delimiter or at line end), once escaped pairs ``""`` are removed. Stray quotes inside an
    unquoted field (``12" screen``) are not structural and do not derail the count.
    """
    d = _REGEX_DELIMITER[delimiter]
    unescaped = pl.col(_TEXT).str.replace_all('""', "", literal=True)
    quotes = unescaped.str.count_matches(f'(?:^|{d})"') + unescaped.str.count_matches(f'"(?:{d}|$)')
    return (
        pl.DataFrame({_TEXT: lines}, schema={_TEXT: pl.String})
        .with_row_index(_POS, offset=1)
        .with_columns(
            pl.col(_POS).cast(pl.Int64),
            (quotes.cum_sum().shift(1, fill_value=0) % 2 == 0).alias(_START),
        )
    )


def _records(
    line_frame: pl.DataFrame, delimiter: str, split: pl.Expr | None = None
) -> pl.DataFrame:
    """Join lines into CSV records and split each record into its fields.

    ``split`` (an expression over the first pass's ``record`` ids) marks lines that must each
    stand alone as a record. Returns one row per record: ``record`` (first-pass id of its first
    line), ``position`` (its first line), ``n_lines`` and ``fields`` (list of text).
    """
    if split is None:
        numbered = line_frame.with_columns(pl.col(_START).cum_sum().alias(_RECORD))
        if numbered.height == 0 or bool(numbered[_START].all()):
            single = numbered.select(_RECORD, _POS, _TEXT, pl.lit(1, pl.UInt32).alias(_N_LINES))
            return _with_fields(single, delimiter)
        key = pl.col(_RECORD)
    else:
        numbered = line_frame.with_columns(pl.col(_START).cum_sum().alias(_RECORD))
        alone = numbered.select(split.alias("alone"))["alone"]
        numbered = numbered.with_columns(alone.alias("alone"))
        key = pl.col(_START) | pl.col("alone") | pl.col("alone").shift(1, fill_value=False)
        key = key.cum_sum()
    records = numbered.group_by(key.alias("group"), maintain_order=True).agg(
        pl.col(_RECORD).first(),
        pl.col(_POS).first(),
        pl.col(_TEXT).str.join("\n"),
        pl.len().alias(_N_LINES),
    )
    return _with_fields(records.drop("group"), delimiter)


def _with_fields(records: pl.DataFrame, delimiter: str) -> pl.DataFrame:
    """Add each record's fields; records without a quote take the fast plain split."""
    quoted = pl.col(_TEXT).str.contains('"', literal=True)
    plain = records.filter(~quoted).with_columns(pl.col(_TEXT).str.split(delimiter).alias(_FIELDS))
    if plain.height == records.height:
        return plain.drop(_TEXT)
    rest = records.filter(quoted).with_columns(
        _split_fields(pl.col(_TEXT), delimiter).alias(_FIELDS)
    )
    return pl.concat([plain, rest]).sort(_POS).drop(_TEXT)


def _split_fields(record: pl.Expr, delimiter: str) -> pl.Expr:
    """Split CSV records into unquoted fields.

    Each field is matched with its trailing delimiter (one is appended to the record), trying
    in turn: an RFC 4180 quoted field, a leniently quoted one (unescaped quotes inside, closed by
    a quote before a delimiter), and an unquoted field.
    """
    d = _REGEX_DELIMITER[delimiter]
    pattern = f'"(?:[^"]|"")*"{d}|(?s:".*?"){d}|[^{d}]*{d}'
    field = pl.element().str.strip_suffix(delimiter)
    inner = field.str.replace(r'(?s)^"(.*)"$', "$1").str.replace_all('""', '"', literal=True)
    unquoted = pl.when(field.str.starts_with('"')).then(inner).otherwise(field)
    return (record + delimiter).str.extract_all(pattern).list.eval(unquoted)


def _blank(fields: pl.Expr) -> pl.Expr:
    """A record with no value in any field (blank lines, Excel's trailing ``,,,`` rows)."""
    return fields.list.eval(pl.element().fill_null("").str.strip_chars() == "").list.all()


def _known_count(fields: pl.Expr, known: frozenset[str]) -> pl.Expr:
    """How many fields of a record are known column names: the header has the most."""
    members = sorted(known)
    return fields.list.eval(_normalized(pl.element().fill_null("")).is_in(members)).list.sum()


def _fits(fields: pl.Expr, width: int) -> pl.Expr:
    """A record fits a header of ``width`` names; extra fields are tolerated only when empty."""
    n = fields.list.len()
    extra_empty = (
        fields.list.slice(width)
        .list.eval(pl.element().fill_null("").str.strip_chars() == "")
        .list.all()
    )
    return (n == width) | ((n > width) & extra_empty)


def _header_position(records: pl.DataFrame, known: frozenset[str]) -> int | None:
    """The header: among the first records, the one with the most known column names.

    Without any known name (a localized or unknown header), the first non-blank record.
    """
    head = records.head(SNIFF_LINES).filter(~_blank(pl.col(_FIELDS)))
    if head.is_empty():
        return None
    scored = head.with_columns(_known_count(pl.col(_FIELDS), known).alias("known"))
    best = scored.filter(pl.col("known") == pl.col("known").max())
    return int(best[_POS][0])


def _column_names(header: list[str | None]) -> list[str]:
    """Header cells as column names: trimmed, trailing empty cells dropped, blanks and repeats
    given unique names (``column_7``, ``Anchor (2)``) so that no column is lost."""
    cells = [(cell or "").replace("\ufeff", "").strip() for cell in header]
    while cells and not cells[-1]:
        cells.pop()
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        name = cell or f"column_{index}"
        candidate, repeat = name, 2
        while candidate in seen:
            candidate, repeat = f"{name} ({repeat})", repeat + 1
        seen.add(candidate)
        names.append(candidate)
    return names


@dataclass(frozen=True)
class _Table:
    frame: pl.DataFrame
    positions: pl.Series
    malformed: pl.DataFrame


def _frame_from_records(
    path: Path, records: pl.DataFrame, header_position: int, names: list[str], unit: str
) -> _Table:
    """Cut the records below the header into columns; set aside those that do not fit."""
    width = len(names)
    data = records.filter((pl.col(_POS) > header_position) & ~_blank(pl.col(_FIELDS)))
    if data.is_empty():
        raise InputError(
            f"{path}: the file has a header ({unit} {header_position}) but no data rows"
        )
    fits = _fits(pl.col(_FIELDS), width)
    malformed = data.filter(~fits).select(
        pl.col(_POS),
        pl.format(
            "{} fields where the header has {}", pl.col(_FIELDS).list.len(), pl.lit(width)
        ).alias(PROBLEM),
    )
    good = data.filter(fits)
    cells = [pl.col(_FIELDS).list.get(index, null_on_oob=True) for index in range(width)]
    frame = good.select(
        pl.when(cell.str.len_chars() > 0).then(cell).alias(name)
        for cell, name in zip(cells, names, strict=True)
    )
    return _Table(frame=frame, positions=good[_POS], malformed=malformed)


# --- spreadsheets and Parquet ----------------------------------------------------------------


def _read_spreadsheet(path: Path, known: frozenset[str]) -> RawTable:
    """Read the first worksheet of an .xlsx/.xls file (calamine), header found as for CSV."""
    try:
        sheet = pl.read_excel(
            path,
            engine="calamine",
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            raise_if_empty=False,
        )
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise InputError(f"{path}: not a readable spreadsheet ({exc})") from None
    if sheet.width == 0 or sheet.height == 0:
        raise InputError(f"{path}: the first worksheet is empty (expected a header row)")
    records = sheet.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(_POS),
        pl.concat_list(pl.all().cast(pl.String)).alias(_FIELDS),
    )
    header_position = _header_position(records, known)
    if header_position is None:
        raise InputError(f"{path}: the first worksheet is empty (expected a header row)")
    header = records.filter(pl.col(_POS) == header_position)[_FIELDS][0].to_list()
    table = _frame_from_records(path, records, header_position, _column_names(header), SHEET_ROW)
    return RawTable(
        path=path,
        frame=table.frame,
        positions=table.positions,
        unit=SHEET_ROW,
        malformed=table.malformed,
    )


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars/arrow errors for truncated or foreign files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    if frame.width == 0:
        raise InputError(f"{path}: the Parquet file has no columns")
    if frame.height == 0:
        raise InputError(f"{path}: the Parquet file has columns but no data rows")
    return RawTable(
        path=path,
        frame=frame,
        positions=pl.int_range(1, frame.height + 1, dtype=pl.Int64, eager=True).alias(_POS),
        unit=DATA_ROW,
        malformed=pl.DataFrame(schema={_POS: pl.Int64, PROBLEM: pl.String}),
    )
