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

Text is streamed (:func:`open_table`): the file is read in blocks of :data:`BLOCK_BYTES`, decoded
incrementally and cut into chunks of at most ``chunk_rows`` new lines, so memory follows the
chunk size, not the file size. The delimiter and the header come from the first
:data:`SNIFF_LINES` lines and records, as for a whole file. A record whose quoted field runs past
the end of a chunk is carried, whole, into the next one, so line numbers and records are the same
as when the file is read at once, with one bound: a record still open after
:data:`MAX_RECORD_LINES` lines is taken for a stray quote and treated as swallowed (each of its
lines read on its own), and quote parity restarts after it. A whole-file read would instead go on
swallowing lines until some later quote closed the field; a real quoted cell of over 10,000 lines
is not something a backlink export holds. Spreadsheets are read whole (Excel caps them at about a
million rows) and Parquet is read in slices; both are then cut into chunks the same way.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

import numpy as np
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

# The first bytes: enough for the file type and for telling BOM-less UTF-16 from UTF-8.
_HEAD_BYTES = 4096
# A NUL byte is never text, but real exports carry a stray one in a cell now and then (one real
# Semrush export of 261 has one, inside a Hebrew anchor). NULs in the first characters of the
# file, or more than this many in it, mean it is not a text export and it is refused; fewer,
# later, are removed from their cells, and each line is named in a warning (the row is kept).
MAX_STRAY_NULS = 100
# Bytes read and decoded at a time; a module constant so that tests can make blocks tiny.
BLOCK_BYTES = 8 * 1024 * 1024
# Data lines per chunk by default: small exports are one chunk.
CHUNK_ROWS = 200_000
# A record still open after this many lines is a stray quote, not a cell (see the docstring).
MAX_RECORD_LINES = 10_000
# Whether UTF-8 chunks are first tried with polars' own CSV reader (see _fast_cut); a module
# constant so that tests can read every file the careful way and compare.
FAST_CSV = True

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
        malformed_cells: The same rows' cells by position (first fields under the header's
            names, missing ones empty), with ``frame``'s columns; None when there are none
            (Parquet). Kept so that an import can keep every row of the file.
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
    malformed_cells: pl.DataFrame | None = None

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


class TableStream:
    """An export opened for reading chunk by chunk (see :func:`open_table`).

    Attributes:
        path: The file read.
        unit: How positions are named (``"line"``, ``"row"`` or ``"data row"``).
        columns: The header's column names, as every chunk's ``frame`` has them.
        delimiter: The CSV delimiter, None for spreadsheets and Parquet.
        encoding: The text encoding, None for spreadsheets and Parquet.
    """

    def __init__(
        self,
        path: Path,
        unit: str,
        columns: list[str],
        chunks: Iterator[RawTable],
        *,
        delimiter: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.path = path
        self.unit = unit
        self.columns = columns
        self.delimiter = delimiter
        self.encoding = encoding
        self._chunks: Iterator[RawTable] | None = chunks

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers likely use a decimal comma (see :attr:`RawTable.decimal_comma`)."""
        return self.delimiter == ";"

    def chunks(self) -> Iterator[RawTable]:
        """The data rows in file order, as RawTables with global positions; only once.

        Chunks without any data row are not yielded. Raises InputError for undecodable bytes
        met on the way and, at the end, when the file had a header but no data rows.
        """
        if self._chunks is None:
            raise RuntimeError(f"{self.path}: the chunks of an export can be read only once")
        chunks, self._chunks = self._chunks, None
        return chunks


def load_table(path: Path, known_columns: frozenset[str]) -> RawTable:
    """Read ``path`` (CSV/TSV in any common encoding, .xlsx/.xls, Parquet) into a RawTable.

    ``known_columns`` (normalized names) is how the header line is recognised below preamble
    lines and how the delimiter is chosen. The whole file at once: :func:`open_table`'s chunks
    put together.

    Raises:
        InputError: missing or unreadable file, undecodable bytes, no header or no data rows.
    """
    return concat_tables(list(open_table(path, known_columns).chunks()))


def concat_tables(tables: list[RawTable]) -> RawTable:
    """Chunks of one export (at least one) as one RawTable."""
    first = tables[0]
    return RawTable(
        path=first.path,
        frame=pl.concat([table.frame for table in tables]),
        positions=pl.concat([table.positions for table in tables]),
        unit=first.unit,
        malformed=pl.concat([table.malformed for table in tables]),
        delimiter=first.delimiter,
        encoding=first.encoding,
        malformed_cells=_concat_cells([table.malformed_cells for table in tables]),
    )


def _concat_cells(parts: list[pl.DataFrame | None]) -> pl.DataFrame | None:
    present = [part for part in parts if part is not None]
    return pl.concat(present) if present else None


def open_table(
    path: Path, known_columns: frozenset[str], *, chunk_rows: int = CHUNK_ROWS
) -> TableStream:
    """Open ``path`` for reading in chunks of at most ``chunk_rows`` rows (text: new lines).

    Everything needed to name the columns is read here: the file type, the encoding, the
    delimiter and the header. Text beyond the first blocks is read by the stream's chunks.

    Raises:
        InputError: missing or unreadable file, gzip, undecodable bytes in the blocks read up
            front, no header; for spreadsheets and Parquet also no data rows.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    path = Path(path)
    head = _read_head(path)
    if head.startswith(_PARQUET_MAGIC):
        return _parquet_stream(path, chunk_rows)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _spreadsheet_stream(path, known_columns, chunk_rows)
    if head.startswith(_GZIP_MAGIC):
        raise InputError(f"{path}: the file is gzip-compressed; decompress it first")
    return _text_stream(path, head, known_columns, chunk_rows)


def _read_head(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected an export file")
    with _open(path) as handle:
        try:
            head = handle.read(_HEAD_BYTES)
            blank = not head.strip() and not handle.read(1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if blank:
        raise InputError(f"{path}: the file is empty (expected a header line and data rows)")
    return head


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None


class _LineReader:
    """Decode a text export block by block into numbered lines.

    Lines end in ``\\n``, ``\\r\\n`` or ``\\r``, as a whole-file read splits them; a ``\\r``
    ending a block is held back until the next block shows whether a ``\\n`` follows. Errors name
    the byte offset in the file and the line, as a whole-file decode would.
    """

    def __init__(self, path: Path, encoding: str, skip: int, named: int = 0) -> None:
        self.path = path
        self.encoding = encoding
        self._named = named  # stray NULs another reader of the file has already warned of
        self.done = False
        self._offset = skip  # file offset of the next byte to read
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._newlines = 0  # "\n" decoded so far, for the line in error messages
        self._next_line = 1
        self._partial = ""  # text after the last complete line
        self._chars = 0  # characters decoded so far (NULs in the first ones: not text)
        self.nuls = 0  # stray NUL characters removed so far

    def next_block(self, handle: BinaryIO) -> tuple[bytes, str, bool]:
        """The next block's bytes, their decoded text (decoding and NUL errors raise here) and
        whether the file is done."""
        handle.seek(self._offset)
        try:
            data = handle.read(BLOCK_BYTES)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read the file ({exc.strerror})") from None
        final = not data
        decoded = self._decode(data, final)
        self._offset += len(data)
        return data, decoded, final

    def read(self, handle: BinaryIO) -> pl.DataFrame:
        """The complete lines of the next block (``position``, ``text``); ``done`` at the end."""
        _, decoded, final = self.next_block(handle)
        text = self._partial + decoded
        held = ""
        if not final and text.endswith("\r"):
            text, held = text[:-1], "\r"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if final:
            self.done = True
            body: str | None = (text[:-1] if text.endswith("\n") else text) if text else None
            self._partial = ""
        else:
            cut = text.rfind("\n")
            body = text[:cut] if cut >= 0 else None
            self._partial = text[cut + 1 :] + held
        lines = pl.Series(_TEXT, [] if body is None else [body], pl.String)
        frame = (
            lines.str.split("\n")
            .explode()
            .to_frame()
            .with_row_index(_POS, offset=self._next_line)
            .with_columns(pl.col(_POS).cast(pl.Int64))
        )
        self._next_line += frame.height
        return frame

    def _decode(self, data: bytes, final: bool) -> str:
        buffered = len(self._decoder.getstate()[0])  # bytes of a character split by the block
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            offset = self._offset - buffered + exc.start
            before = exc.object[: exc.start].decode(self.encoding, errors="replace")
            line = self._newlines + before.count("\n") + 1
            raise InputError(
                f"{self.path}: byte {offset} (line {line}) is not valid {self.encoding.upper()} "
                f"({exc.reason}); re-save the export as UTF-8 CSV"
            ) from None
        nul = text.find("\x00")
        if nul >= 0:
            text = self._stray_nuls(text, nul)
        self._newlines += text.count("\n")
        self._chars += len(text)
        return text

    def _stray_nuls(self, text: str, nul: int) -> str:
        """``text`` without its NULs, each line named in a warning; or the refusal of a file
        that is not text, naming the line of the first NUL at its start or of the NUL one more
        than ``MAX_STRAY_NULS``."""
        lines: list[int] = []
        at = nul
        while at >= 0:
            line = self._newlines + text.count("\n", 0, at) + 1
            if self._chars + at < _HEAD_BYTES or self.nuls + len(lines) >= MAX_STRAY_NULS:
                raise InputError(
                    f"{self.path}: line {line} contains NUL bytes; expected a text export "
                    "(CSV/TSV), an .xlsx workbook or a Parquet file"
                )
            lines.append(line)
            at = text.find("\x00", at + 1)
        first = self.nuls
        self.nuls += len(lines)
        for line in lines[max(self._named - first, 0) :]:
            logger.warning(
                "%s: line %d: removed a NUL byte from a cell (a damaged row; the row is kept)",
                self.path,
                line,
            )
        return text.replace("\x00", "")

    def read_until(self, handle: BinaryIO, lines: pl.DataFrame, count: int) -> pl.DataFrame:
        """``lines`` with lines read after it until it holds ``count`` or the file ends."""
        parts = [lines]
        height = lines.height
        while height < count and not self.done:
            parts.append(self.read(handle))
            height += parts[-1].height
        return pl.concat(parts) if len(parts) > 1 else lines


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


def _text_stream(path: Path, head: bytes, known: frozenset[str], chunk_rows: int) -> TableStream:
    """Open a CSV/TSV: decoding, delimiter and header from the first lines; chunks after."""
    encoding, skip = _sniff_encoding(head)
    reader = _LineReader(path, encoding, skip)
    with _open(path) as handle:
        lines = reader.read_until(handle, _no_lines(), SNIFF_LINES)
        first = lines.head(SNIFF_LINES)[_TEXT].to_list()
        declared = _declared_delimiter(first)
        if declared is not None:
            # Excel's "sep=;" line: not data, but it keeps its line number
            lines = lines.with_columns(
                pl.when(pl.col(_POS) == 1).then(pl.lit("")).otherwise(pl.col(_TEXT)).alias(_TEXT)
            )
            delimiter = declared
        else:
            prefer_tab = encoding.startswith("utf-16") or path.suffix.lower() in (".tsv", ".tab")
            delimiter = sniff_delimiter(first, known, prefer_tab=prefer_tab)
        records, lines = _leading_records(reader, handle, lines, delimiter)
    header_position = _header_position(records, known)
    if header_position is None:
        raise InputError(f"{path}: the file is empty (expected a header line and data rows)")
    header = records.filter(pl.col(_POS) == header_position)[_FIELDS][0].to_list()
    names = _column_names(header)
    logger.debug(
        "%s: %s, %s-separated, header on line %d", path, encoding,
        _DELIMITER_NAMES[delimiter], header_position,
    )  # fmt: skip
    header_lines = lines.filter(pl.col(_POS) <= header_position)
    if FAST_CSV and encoding == "utf-8" and not _line_frame_of(header_lines, delimiter)[1]:
        cut = _Cut(delimiter, header_position, names, blank_first=declared is not None)
        chunks = _fast_text_chunks(path, skip, cut, chunk_rows, named=reader.nuls)
    else:
        chunks = _text_chunks(reader, lines, delimiter, header_position, names, chunk_rows)
    return TableStream(path, LINE, names, chunks, delimiter=delimiter, encoding=encoding)


def _no_lines() -> pl.DataFrame:
    return pl.DataFrame(schema={_POS: pl.Int64, _TEXT: pl.String})


def _leading_records(
    reader: _LineReader, handle: BinaryIO, lines: pl.DataFrame, delimiter: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The first SNIFF_LINES complete records, where the header is looked for, and the lines.

    Lines are read on until that many records are complete, the file ends, or
    MAX_RECORD_LINES lines are read (a stray quote in the preamble).
    """
    while True:
        framed, open_at_end = _line_frame_of(lines, delimiter)
        records = _records(framed, delimiter)
        complete = records.height - int(open_at_end and not reader.done)
        if complete >= SNIFF_LINES or reader.done or lines.height > MAX_RECORD_LINES:
            return records.head(max(complete, 1)), lines
        lines = pl.concat([lines, reader.read(handle)])


def _text_chunks(
    reader: _LineReader,
    pending: pl.DataFrame,
    delimiter: str,
    header_position: int,
    names: list[str],
    chunk_rows: int,
) -> Iterator[RawTable]:
    """Cut the lines into chunks of records, carrying an unfinished record to the next chunk."""
    path = reader.path
    carry = _no_lines()
    data_rows = 0
    with _open(path) as handle:
        while True:
            pending = reader.read_until(handle, pending, chunk_rows)
            new, pending = pending.head(chunk_rows), pending.slice(chunk_rows)
            last = reader.done and pending.is_empty()
            records, carry = _chunk_records(
                pl.concat([carry, new]), delimiter, header_position, len(names), last=last
            )
            table = _cut(records, header_position, names)
            if table.positions.len() or table.malformed.height:
                data_rows += table.positions.len() + table.malformed.height
                yield table.raw(path, delimiter, reader.encoding)
            if last:
                break
    if not data_rows:
        raise InputError(
            f"{path}: the file has a header ({LINE} {header_position}) but no data rows"
        )


# --- the fast path: polars' own reader on UTF-8 chunks it provably reads the same way ---------


class _ByteReader:
    """A UTF-8 export read as :class:`_LineReader` reads it, kept as bytes.

    The same blocks are read at the same moments and decoded by a :class:`_LineReader`, so that
    undecodable bytes and NULs raise the same errors at the same point of the stream; the text
    is kept as the block's bytes, complete lines only, with every ``\r\n`` and lone ``\r`` made
    a ``\n`` (the last line of the file gets one too) and the stray NULs it removes removed.
    """

    def __init__(self, path: Path, skip: int, named: int = 0) -> None:
        self._lines = _LineReader(path, "utf-8", skip, named)
        self._partial = b""
        self.done = False

    def read(self, handle: BinaryIO) -> bytes:
        """The complete lines of the next block, each ending in ``\n``; ``done`` at the end."""
        # The careful reader's block, checks and errors; its decoded text is not kept.
        data, _, final = self._lines.next_block(handle)
        if b"\x00" in data:  # stray NULs it removed (and named): remove them from the bytes too
            data = data.replace(b"\x00", b"")
        text = self._partial + data
        held = b""
        if not final and text.endswith(b"\r"):
            text, held = text[:-1], b"\r"
        if b"\r" in text:
            text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if final:
            self.done = True
            self._partial = b""
            return text if not text or text.endswith(b"\n") else text + b"\n"
        cut = text.rfind(b"\n") + 1
        self._partial = text[cut:] + held
        return text[:cut]


@dataclass(frozen=True)
class _Cut:
    """How a text export's records are cut into columns, settled when it is opened."""

    delimiter: str
    header_position: int
    names: list[str]
    blank_first: bool  # an Excel "sep=" first line, read as an empty line


def _fast_text_chunks(
    path: Path, skip: int, cut: _Cut, chunk_rows: int, named: int = 0
) -> Iterator[RawTable]:
    """:func:`_text_chunks` for UTF-8 text: the same chunks of ``chunk_rows`` lines, each read
    by polars' CSV reader when :func:`_fast_cut` can show that it reads them as the careful
    splitter does, else by the careful splitter (and so is every chunk after an unfinished
    record, until a chunk ends without one). ``named``: the stray NULs the reader that opened
    the file has already warned of (it read them first)."""
    reader = _ByteReader(path, skip, named)
    buffer = bytearray()
    ends = np.empty(0, np.int64)  # offsets of the "\n" ending each line of the buffer
    first_line = 1  # line number of the buffer's first line
    carry = _no_lines()
    data_rows = 0
    with _open(path) as handle:
        while True:
            while len(ends) < chunk_rows and not reader.done:
                block = reader.read(handle)
                found = np.flatnonzero(np.frombuffer(block, np.uint8) == 10) + len(buffer)
                ends = np.concatenate([ends, found])
                buffer += block
            count = min(chunk_rows, len(ends))
            end = int(ends[count - 1]) + 1 if count else 0
            with memoryview(buffer) as view:
                data, chunk_ends = bytes(view[:end]), ends[:count]
            del buffer[:end]
            ends = ends[count:] - end
            last = reader.done and not len(ends)
            table = None
            if carry.is_empty() and (first_line > cut.header_position or first_line == 1):
                table = _fast_cut(data, chunk_ends, first_line, cut)
            if table is None:
                lines = _text_lines(data, first_line, blank_first=cut.blank_first)
                records, carry = _chunk_records(
                    pl.concat([carry, lines]),
                    cut.delimiter,
                    cut.header_position,
                    len(cut.names),
                    last=last,
                )
                table = _cut(records, cut.header_position, cut.names)
            first_line += count
            if table.positions.len() or table.malformed.height:
                data_rows += table.positions.len() + table.malformed.height
                yield table.raw(path, cut.delimiter, "utf-8")
            if last:
                break
    if not data_rows:
        raise InputError(
            f"{path}: the file has a header ({LINE} {cut.header_position}) but no data rows"
        )


def _text_lines(data: bytes, first_line: int, *, blank_first: bool) -> pl.DataFrame:
    """Lines of ``"\n"``-ended UTF-8 bytes as the careful reader frames them."""
    if not data:
        return _no_lines()
    text = data.decode("utf-8")[:-1]
    lines = (
        pl.Series(_TEXT, [text], pl.String)
        .str.split("\n")
        .explode()
        .to_frame()
        .with_row_index(_POS, offset=first_line)
        .with_columns(pl.col(_POS).cast(pl.Int64))
    )
    if blank_first and first_line == 1:  # as _text_stream blanks Excel's "sep=" line
        lines = lines.with_columns(
            pl.when(pl.col(_POS) == 1).then(pl.lit("")).otherwise(pl.col(_TEXT)).alias(_TEXT)
        )
    return lines


def _quoted_field(delimiter: str) -> str:
    """An RFC 4180 quoted field: quotes around it, quotes inside doubled."""
    return '"(?:[^"]|"")*"'


def _strict_line(delimiter: str) -> str:
    """A line whose every field is plain (no quote, no delimiter) or RFC 4180 quoted."""
    d = _REGEX_DELIMITER[delimiter]
    field = f'(?:{_quoted_field(delimiter)}|[^"{d}]*)'
    return f"^{field}(?:{d}{field})*$"


def _fast_cut(data: bytes, ends: np.ndarray, first_line: int, cut: _Cut) -> _Table | None:
    """The chunk's data lines as polars' CSV reader reads them, or None when that reader cannot
    be shown to give what the careful splitter gives.

    ``data`` holds whole lines, each ending in ``"\n"``, the first being line ``first_line``
    (``ends``: the offset of each line's ``"\n"``). Lines up to the header are left out. The
    lines are read twice by polars, whole (to check them) and cut into fields, and the chunk is
    taken only if every line is one record that the careful splitter cuts the same way: no
    quote, or only RFC 4180 quoted fields with balanced structural quotes; the header's number
    of fields, or no value at all (a blank row, left out as the careful path leaves it out); no
    byte-order mark at the start, which polars would drop. Anything else (a ragged or multi-line
    row, a stray quote, extra empty fields) is for the careful splitter, which names it.
    """
    skip = max(cut.header_position + 1 - first_line, 0)
    if skip >= len(ends):
        return None  # no data line: the careful splitter, on a few preamble lines
    data = data[int(ends[skip - 1]) + 1 :] if skip else data
    first_line += skip
    expected = len(ends) - skip
    if data.startswith(b"\xef\xbb\xbf") or b"\x00" in data:
        return None
    names = cut.names
    try:
        lines = pl.read_csv(
            data,
            has_header=False,
            separator="\x00",
            quote_char=None,
            schema={_TEXT: pl.String},
        )
        fields = pl.read_csv(
            data,
            has_header=False,
            separator=cut.delimiter,
            quote_char='"',
            schema=dict.fromkeys(names, pl.String),
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if lines.height != expected or fields.height != expected:
        return None
    d = cut.delimiter
    text = pl.col(_TEXT).fill_null("")
    flags = lines.select(
        text.str.contains('"', literal=True).alias("quoted"),
        (text.str.count_matches(d, literal=True) + 1).cast(pl.Int64).alias("n"),
        text.str.contains(f'^[\\s"{_REGEX_DELIMITER[d]}]*$').alias("maybe_blank"),
    )
    n = flags["n"]
    quoted = flags["quoted"]
    if quoted.any():  # only these lines can hold a field the two readers cut differently
        rows = lines.filter(quoted)
        one_record = text.str.contains(_strict_line(d)) & (_structural_quotes(text, d) % 2 == 0)
        if not bool(rows.select(one_record.all()).item()):
            return None
        unquoted = text.str.replace_all(_quoted_field(d), "")
        counts = rows.select((unquoted.str.count_matches(d, literal=True) + 1).cast(pl.Int64))
        n = n.scatter(quoted.arg_true(), counts.to_series())
    blank = pl.repeat(False, expected, dtype=pl.Boolean, eager=True)
    maybe = flags["maybe_blank"]
    if maybe.any():  # a line of spaces, quotes and delimiters may hold no value
        empty = pl.all_horizontal(
            pl.col(name).fill_null("").str.strip_chars() == "" for name in names
        )
        blank = blank.scatter(maybe.arg_true(), fields.filter(maybe).select(empty).to_series())
    if not bool(((n == len(names)) | blank).all()):
        return None
    keep = ~blank
    frame = fields.filter(keep).select(
        pl.when(pl.col(name).str.len_chars() > 0).then(pl.col(name)).alias(name) for name in names
    )
    positions = pl.int_range(first_line, first_line + expected, dtype=pl.Int64, eager=True).alias(
        _POS
    )
    return _Table(
        frame=frame,
        positions=positions.filter(keep),
        malformed=pl.DataFrame(schema={_POS: pl.Int64, PROBLEM: pl.String}),
        malformed_cells=frame.clear(),
    )


def _chunk_records(
    lines: pl.DataFrame, delimiter: str, header_position: int, width: int, *, last: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The complete records of a chunk's lines, and the lines of an unfinished last record.

    Every chunk starts on a record's first line, so quote parity starts even. When it is odd at
    the end, the last record goes on into the next chunk: its lines are returned to be carried,
    unless there are more than MAX_RECORD_LINES of them, which are read line by line here.
    """
    framed, open_at_end = _line_frame_of(lines, delimiter)
    carry = lines.clear()
    forced = None
    if open_at_end and not last:
        numbered = framed[_START].cum_sum()
        tail = numbered == numbered[-1]
        if int(tail.sum()) <= MAX_RECORD_LINES:
            carry, framed = lines.filter(tail), framed.filter(~tail)
        else:
            forced = numbered[-1]
    records = _records(framed, delimiter)

    # A quote that opens a field and never closes swallows the lines after it; when such a
    # multi-line record does not fit the header, read its lines one by one instead.
    swallowed = records.filter(
        (pl.col(_POS) > header_position) & (pl.col(_N_LINES) > 1) & ~_fits(pl.col(_FIELDS), width)
    )[_RECORD]
    if forced is not None:
        swallowed = pl.concat([swallowed, pl.Series(_RECORD, [forced], swallowed.dtype)])
    if swallowed.len():
        records = _records(framed, delimiter, split=pl.col(_RECORD).is_in(swallowed.implode()))
    return records, carry


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
        modal = int(cast(int, counts.mode().max() or 0))
        agreeing = int((counts == modal).sum()) if modal > 1 else 0
        score = (known_score, agreeing, int(modal))
        if best is None or score > best[0]:
            best = (score, delimiter)
    return order[0] if best is None else best[1]


def _line_frame(lines: list[str], delimiter: str) -> pl.DataFrame:
    """One row per physical line (numbered from 1), with whether it starts a new CSV record."""
    frame = pl.DataFrame({_TEXT: lines}, schema={_TEXT: pl.String}).with_row_index(_POS, offset=1)
    return _line_frame_of(frame.with_columns(pl.col(_POS).cast(pl.Int64)), delimiter)[0]


def _line_frame_of(lines: pl.DataFrame, delimiter: str) -> tuple[pl.DataFrame, bool]:
    """Lines (``position``, ``text``) with whether each starts a new CSV record.

    A line continues the previous record when the structural quotes so far are unbalanced:
    quotes opening a field (after a delimiter or at line start) or closing one (before a
    delimiter or at line end), once escaped pairs ``""`` are removed. Stray quotes inside an
    unquoted field (``12" screen``) are not structural and do not derail the count. Also
    returns whether the quotes are unbalanced after the last line (its record goes on).
    """
    counted = lines.with_columns(_structural_quotes(pl.col(_TEXT), delimiter).alias("quotes"))
    framed = counted.with_columns(
        (pl.col("quotes").cum_sum().shift(1, fill_value=0) % 2 == 0).alias(_START)
    ).drop("quotes")
    open_at_end = bool(counted["quotes"].sum() % 2) if counted.height else False
    return framed, open_at_end


def _structural_quotes(text: pl.Expr, delimiter: str) -> pl.Expr:
    """Quotes that open or close a field, once escaped pairs ``""`` are removed."""
    d = _REGEX_DELIMITER[delimiter]
    unescaped = text.str.replace_all('""', "", literal=True)
    return unescaped.str.count_matches(f'(?:^|{d})"') + unescaped.str.count_matches(f'"(?:{d}|$)')


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
    malformed_cells: pl.DataFrame

    def raw(
        self,
        path: Path,
        delimiter: str | None = None,
        encoding: str | None = None,
        unit: str = LINE,
    ) -> RawTable:
        """This chunk as the importers receive it: a text file's (rows located by line, with
        its delimiter and encoding) or a sheet's (``unit`` SHEET_ROW, neither)."""
        return RawTable(
            path=path,
            frame=self.frame,
            positions=self.positions,
            unit=unit,
            malformed=self.malformed,
            delimiter=delimiter,
            encoding=encoding,
            malformed_cells=self.malformed_cells,
        )


def _cut(records: pl.DataFrame, header_position: int, names: list[str]) -> _Table:
    """Cut the records below the header into columns; set aside those that do not fit."""
    width = len(names)
    data = records.filter((pl.col(_POS) > header_position) & ~_blank(pl.col(_FIELDS)))
    fits = _fits(pl.col(_FIELDS), width)
    malformed = data.filter(~fits).select(
        pl.col(_POS),
        pl.format(
            "{} fields where the header has {}", pl.col(_FIELDS).list.len(), pl.lit(width)
        ).alias(PROBLEM),
    )
    good = data.filter(fits)
    cells = [pl.col(_FIELDS).list.get(index, null_on_oob=True) for index in range(width)]
    by_name = [
        pl.when(cell.str.len_chars() > 0).then(cell).alias(name)
        for cell, name in zip(cells, names, strict=True)
    ]
    frame = good.select(by_name)
    malformed_cells = data.filter(~fits).select(by_name)
    return _Table(
        frame=frame, positions=good[_POS], malformed=malformed, malformed_cells=malformed_cells
    )


# --- spreadsheets and Parquet ----------------------------------------------------------------


def _spreadsheet_stream(path: Path, known: frozenset[str], chunk_rows: int) -> TableStream:
    """Read the first worksheet of an .xlsx/.xls file (calamine), header found as for CSV.

    The sheet is read whole (Excel holds at most about a million rows), then cut into chunks.
    """
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
    names = _column_names(header)
    data = records.filter((pl.col(_POS) > header_position) & ~_blank(pl.col(_FIELDS)))
    if data.is_empty():
        raise InputError(
            f"{path}: the file has a header ({SHEET_ROW} {header_position}) but no data rows"
        )

    def chunks() -> Iterator[RawTable]:
        for start in range(0, data.height, chunk_rows):
            table = _cut(data.slice(start, chunk_rows), header_position, names)
            yield table.raw(path, unit=SHEET_ROW)

    return TableStream(path, SHEET_ROW, names, chunks())


def _parquet_stream(path: Path, chunk_rows: int) -> TableStream:
    """Open a Parquet file; chunks are read as slices, never the whole file at once."""
    scan = pl.scan_parquet(path)
    try:
        columns = scan.collect_schema().names()
        height = int(scan.select(pl.len()).collect().item())
    except Exception as exc:  # polars/arrow errors for truncated or foreign files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    if not columns:
        raise InputError(f"{path}: the Parquet file has no columns")
    if height == 0:
        raise InputError(f"{path}: the Parquet file has columns but no data rows")

    def chunks() -> Iterator[RawTable]:
        for start in range(0, height, chunk_rows):
            try:
                frame = scan.slice(start, chunk_rows).collect()
            except Exception as exc:  # as above, for damage past the footer
                raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
            positions = pl.int_range(
                start + 1, start + frame.height + 1, dtype=pl.Int64, eager=True
            ).alias(_POS)
            yield RawTable(
                path=path,
                frame=frame,
                positions=positions,
                unit=DATA_ROW,
                malformed=pl.DataFrame(schema={_POS: pl.Int64, PROBLEM: pl.String}),
            )

    return TableStream(path, DATA_ROW, columns, chunks())
